"""Choices of the shared laboratories: instrument kinds and states, booking states, user groups."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class InstrumentKind(models.TextChoices):
    # The same words as lists.ResourceKind: every instrument is also a resource of that kind.
    INSTRUMENT = "instrument", _("Large instrument")
    PILOT = "pilot", _("Pilot-scale platform")


class InstrumentCategory(models.TextChoices):
    MICROSCOPY = "microscopy", _("Electron and optical microscopy")
    SPECTROSCOPY = "spectroscopy", _("Spectroscopy")
    CHROMATOGRAPHY = "chromatography", _("Chromatography and mass spectrometry")
    DIFFRACTION = "diffraction", _("X-ray diffraction and scattering")
    THERMAL = "thermal", _("Thermal analysis")
    MECHANICAL = "mechanical", _("Mechanical and environmental testing")
    SEMICONDUCTOR = "semiconductor", _("Semiconductor process and test")
    BIOLOGY = "biology", _("Life-science instruments")
    COMPUTING = "computing", _("Computing and simulation")
    PILOT_LINE = "pilot_line", _("Pilot-scale line")
    OTHER = "other", _("Other")


class InstrumentStatus(models.TextChoices):
    AVAILABLE = "available", _("Available")
    MAINTENANCE = "maintenance", _("Under maintenance")
    RETIRED = "retired", _("Retired")


class BookingKind(models.TextChoices):
    BOOKING = "booking", _("Booking")
    MAINTENANCE = "maintenance", _("Maintenance block")


class BookingStatus(models.TextChoices):
    REQUESTED = "requested", _("Requested")
    CONFIRMED = "confirmed", _("Confirmed")
    REJECTED = "rejected", _("Rejected")
    CANCELLED = "cancelled", _("Cancelled")
    COMPLETED = "completed", _("Completed")


# Bookings in these states hold their time: no other such booking of the instrument may overlap.
ACTIVE_STATUSES: tuple[str, ...] = (BookingStatus.REQUESTED, BookingStatus.CONFIRMED, BookingStatus.COMPLETED)


class UserGroup(models.TextChoices):
    OWN = "own", _("Own organisation")
    CORRIDOR = "corridor", _("Corridor organisation")
    OUTSIDE = "outside", _("Outside the corridor")


class Weekday(models.IntegerChoices):
    MONDAY = 0, _("Monday")
    TUESDAY = 1, _("Tuesday")
    WEDNESDAY = 2, _("Wednesday")
    THURSDAY = 3, _("Thursday")
    FRIDAY = 4, _("Friday")
    SATURDAY = 5, _("Saturday")
    SUNDAY = 6, _("Sunday")
