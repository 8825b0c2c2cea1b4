from django.db import models
from django.utils.translation import gettext_lazy as _


class OrganizationType(models.TextChoices):
    ENTERPRISE = "enterprise", _("Enterprise")
    UNIVERSITY = "university", _("University")
    INSTITUTE = "institute", _("Research institute")
    NEW_RD = "new_rd", _("New-type R&D institution")
    KEY_LAB = "key_lab", _("Key laboratory")
    TECH_CENTRE = "tech_centre", _("Enterprise technology centre")
    PILOT_PLATFORM = "pilot", _("Pilot-scale platform")
    POC_CENTRE = "poc", _("Proof-of-concept centre")
    INCUBATOR = "incubator", _("Incubator / park")
    SERVICE = "service", _("Service agency")
    GOVERNMENT = "government", _("Government body")


class OrganizationSize(models.TextChoices):
    MICRO = "micro", _("Micro")
    SMALL = "small", _("Small")
    MEDIUM = "medium", _("Medium")
    LARGE = "large", _("Large")
