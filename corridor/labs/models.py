"""Shared laboratories (共享实验室): instruments and platforms opened for booking, and their bookings.

Every instrument is also a resource of the three lists (kind "instrument" or "pilot"); the
services create that resource and keep it in step. Bookings and owners' maintenance blocks
share one table so that the database itself keeps them from overlapping (see the migrations).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from corridor.core.models import TrackedModel
from corridor.labs.choices import (
    ACTIVE_STATUSES,
    BookingKind,
    BookingStatus,
    InstrumentCategory,
    InstrumentKind,
    InstrumentStatus,
    UserGroup,
    Weekday,
)

MINUTES_PER_DAY = 24 * 60


def _non_negative(value: Decimal) -> None:
    if value is not None and value < 0:
        raise ValidationError(_("Amounts cannot be negative."), code="negative")


def minutes_label(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


class Instrument(TrackedModel):
    owner_lookup = "organization"

    organization = models.ForeignKey(
        "orgs.Organization", verbose_name=_("owner organisation"), on_delete=models.PROTECT, related_name="instruments"
    )
    resource = models.OneToOneField(
        "lists.Resource", verbose_name=_("resource"), on_delete=models.PROTECT, related_name="instrument", editable=False
    )
    kind = models.CharField(_("kind"), max_length=20, choices=InstrumentKind.choices, default=InstrumentKind.INSTRUMENT)
    name = models.CharField(_("name"), max_length=200)
    model_name = models.CharField(_("model"), max_length=120, blank=True)
    manufacturer = models.CharField(_("manufacturer"), max_length=120, blank=True)
    category = models.CharField(_("category"), max_length=20, choices=InstrumentCategory.choices)
    city = models.ForeignKey("regions.City", verbose_name=_("city"), on_delete=models.PROTECT, related_name="instruments")
    address = models.CharField(_("address"), max_length=200, blank=True)
    room = models.CharField(_("room"), max_length=60, blank=True)
    capabilities = models.TextField(_("capabilities"))
    min_booking_minutes = models.PositiveIntegerField(_("shortest booking (minutes)"), default=30, validators=[MinValueValidator(1)])
    max_booking_minutes = models.PositiveIntegerField(_("longest booking (minutes)"), default=8 * 60, validators=[MinValueValidator(1)])
    lead_time_hours = models.PositiveIntegerField(
        _("lead time (hours)"), default=24, help_text=_("How long before its start a booking must be requested.")
    )
    cancel_cutoff_hours = models.PositiveIntegerField(
        _("cancellation cut-off (hours)"), default=24, help_text=_("Users may cancel until this many hours before the start.")
    )
    price_own = models.DecimalField(_("price per hour, own organisation (yuan)"), max_digits=12, decimal_places=2, default=Decimal("0.00"), validators=[_non_negative])
    price_corridor = models.DecimalField(_("price per hour, corridor (yuan)"), max_digits=12, decimal_places=2, validators=[_non_negative])
    price_outside = models.DecimalField(_("price per hour, outside (yuan)"), max_digits=12, decimal_places=2, validators=[_non_negative])
    market_price = models.DecimalField(
        _("market reference price per hour (yuan)"),
        max_digits=12,
        decimal_places=2,
        validators=[_non_negative],
        help_text=_("What the same service costs on the market; the savings are measured against it."),
    )
    qualification_required = models.BooleanField(_("qualification required"), default=False)
    approval_required = models.BooleanField(
        _("approval required"), default=True, help_text=_("Otherwise bookings that keep the rules are confirmed at once.")
    )
    status = models.CharField(_("status"), max_length=20, choices=InstrumentStatus.choices, default=InstrumentStatus.AVAILABLE)
    contact_name = models.CharField(_("contact person"), max_length=100, blank=True)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    is_demo = models.BooleanField(_("demo data"), default=False)

    class Meta:
        ordering = ["name", "id"]
        indexes = [models.Index(fields=["city", "category"]), models.Index(fields=["organization", "status"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(min_booking_minutes__lte=models.F("max_booking_minutes")), name="instrument_booking_length_range"
            ),
        ]
        verbose_name = _("instrument")
        verbose_name_plural = _("instruments")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("labs:instrument_detail", args=[self.pk])

    @staticmethod
    def public_q() -> Q:
        return ~Q(status=InstrumentStatus.RETIRED)

    def is_public(self) -> bool:
        return self.status != InstrumentStatus.RETIRED

    def owned_by(self, org_ids: set[int]) -> bool:
        return self.organization_id in org_ids

    def clean(self) -> None:
        super().clean()
        if self.min_booking_minutes and self.max_booking_minutes and self.min_booking_minutes > self.max_booking_minutes:
            raise ValidationError({"max_booking_minutes": _("The longest booking cannot be shorter than the shortest.")})

    def history_extra(self) -> dict[str, object]:
        return {"opening_hours": [str(p) for p in self.opening_periods.all()]}

    def price_for(self, group: str) -> Decimal:
        if group == UserGroup.OWN:
            return self.price_own
        if group == UserGroup.CORRIDOR:
            return self.price_corridor
        return self.price_outside

    @property
    def location(self) -> str:
        return " ".join(part for part in (str(self.city), self.address, self.room) if part)


class OpeningPeriod(models.Model):
    """One stretch of opening time on a weekday, in local time (Asia/Shanghai); minutes since midnight."""

    instrument = models.ForeignKey(Instrument, verbose_name=_("instrument"), on_delete=models.CASCADE, related_name="opening_periods")
    weekday = models.PositiveSmallIntegerField(_("weekday"), choices=Weekday.choices)
    start_minute = models.PositiveSmallIntegerField(_("opens (minute of day)"), validators=[MaxValueValidator(MINUTES_PER_DAY - 1)])
    end_minute = models.PositiveSmallIntegerField(_("closes (minute of day)"), validators=[MaxValueValidator(MINUTES_PER_DAY)])

    class Meta:
        ordering = ["weekday", "start_minute"]
        constraints = [
            models.CheckConstraint(condition=Q(start_minute__lt=models.F("end_minute")), name="opening_period_ordered"),
            models.CheckConstraint(condition=Q(weekday__lte=6), name="opening_period_weekday"),
        ]
        verbose_name = _("opening period")
        verbose_name_plural = _("opening hours")

    def __str__(self) -> str:
        return f"{Weekday(self.weekday).label} {minutes_label(self.start_minute)}–{minutes_label(self.end_minute)}"

    def clean(self) -> None:
        super().clean()
        if self.start_minute is not None and self.end_minute is not None and self.start_minute >= self.end_minute:
            raise ValidationError({"end_minute": _("An opening period must close after it opens.")})


class Blackout(models.Model):
    """A period in which the instrument is closed whatever its opening hours say (holidays, moves)."""

    instrument = models.ForeignKey(Instrument, verbose_name=_("instrument"), on_delete=models.CASCADE, related_name="blackouts")
    start = models.DateTimeField(_("start"))
    end = models.DateTimeField(_("end"))
    reason = models.CharField(_("reason"), max_length=200, blank=True)

    class Meta:
        ordering = ["start"]
        constraints = [models.CheckConstraint(condition=Q(start__lt=models.F("end")), name="blackout_ordered")]
        verbose_name = _("blackout period")
        verbose_name_plural = _("blackout periods")

    def __str__(self) -> str:
        return f"{self.instrument}: {self.start:%Y-%m-%d %H:%M}–{self.end:%Y-%m-%d %H:%M}"


class Qualification(models.Model):
    """A user has been trained on an instrument and may book it where it requires qualification."""

    instrument = models.ForeignKey(Instrument, verbose_name=_("instrument"), on_delete=models.CASCADE, related_name="qualifications")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="lab_qualifications")
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("granted by"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    granted = models.DateTimeField(_("granted"), auto_now_add=True)
    expires = models.DateTimeField(_("expires"), null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["instrument", "user"], name="qualification_unique")]
        verbose_name = _("qualification")
        verbose_name_plural = _("qualifications")

    def __str__(self) -> str:
        return f"{self.user} @ {self.instrument}"

    def valid_at(self, when: dt.datetime) -> bool:
        return self.expires is None or self.expires > when


class Booking(TrackedModel):
    """A booking of an instrument, or an owner's maintenance block (kind), over [start, end)."""

    owner_lookup = "instrument__organization"

    instrument = models.ForeignKey(Instrument, verbose_name=_("instrument"), on_delete=models.PROTECT, related_name="bookings")
    kind = models.CharField(_("kind"), max_length=20, choices=BookingKind.choices, default=BookingKind.BOOKING)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("booked by"), on_delete=models.PROTECT, related_name="lab_bookings")
    organization = models.ForeignKey(
        "orgs.Organization",
        verbose_name=_("for organisation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="lab_bookings",
    )
    status = models.CharField(_("status"), max_length=20, choices=BookingStatus.choices, default=BookingStatus.REQUESTED)
    start = models.DateTimeField(_("start"))
    end = models.DateTimeField(_("end"))
    purpose = models.TextField(_("purpose"), blank=True)
    user_group = models.CharField(_("price group"), max_length=20, choices=UserGroup.choices, default=UserGroup.OUTSIDE)
    # The prices in force when the booking was made: later price changes do not touch it.
    price_per_hour = models.DecimalField(_("price per hour (yuan)"), max_digits=12, decimal_places=2, default=Decimal("0.00"))
    market_price_per_hour = models.DecimalField(_("market price per hour (yuan)"), max_digits=12, decimal_places=2, default=Decimal("0.00"))
    fee = models.DecimalField(_("fee (yuan)"), max_digits=12, decimal_places=2, default=Decimal("0.00"))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("decided by"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decision_note = models.CharField(_("decision note"), max_length=300, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled"), null=True, blank=True)
    actual_start = models.DateTimeField(_("actual start"), null=True, blank=True)
    actual_end = models.DateTimeField(_("actual end"), null=True, blank=True)
    usage_report = models.TextField(_("usage report"), blank=True)
    is_demo = models.BooleanField(_("demo data"), default=False)

    class Meta:
        ordering = ["start", "id"]
        indexes = [
            models.Index(fields=["instrument", "start"]),
            models.Index(fields=["user", "start"]),
            models.Index(fields=["status"]),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(start__lt=models.F("end")), name="booking_ordered"),
            models.CheckConstraint(
                condition=Q(actual_start__isnull=True) | Q(actual_end__isnull=True) | Q(actual_start__lt=models.F("actual_end")),
                name="booking_actual_ordered",
            ),
        ]
        verbose_name = _("booking")
        verbose_name_plural = _("bookings")

    def __str__(self) -> str:
        return f"{self.instrument} {self.start:%Y-%m-%d %H:%M}"

    def get_absolute_url(self) -> str:
        return reverse("labs:booking_detail", args=[self.pk])

    @staticmethod
    def public_q() -> Q:
        return Q(pk__in=[])

    def is_public(self) -> bool:
        return False

    def owned_by(self, org_ids: set[int]) -> bool:
        return self.instrument.organization_id in org_ids

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE_STATUSES

    @property
    def hours(self) -> Decimal:
        return Decimal((self.end - self.start).total_seconds()) / Decimal(3600)

    @property
    def used_hours(self) -> Decimal:
        if self.actual_start is None or self.actual_end is None:
            return Decimal(0)
        return Decimal((self.actual_end - self.actual_start).total_seconds()) / Decimal(3600)
