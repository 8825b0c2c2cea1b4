from django.db import models
from django.utils.translation import gettext_lazy as _


class CorridorMembership(models.TextChoices):
    CORE = "core", _("Core corridor city")
    EXTENDED = "extended", _("Extended corridor city")
    NONE = "", _("Elsewhere in the delta")


class IndustryScheme(models.TextChoices):
    GBT4754 = "gbt4754", _("GB/T 4754-2017 national economic industries")
    SEI2018 = "sei2018", _("Strategic emerging industries (2018)")
