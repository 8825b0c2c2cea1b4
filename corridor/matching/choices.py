from django.db import models
from django.utils.translation import gettext_lazy as _


class IndexKind(models.TextChoices):
    RESOURCES = "resources", _("Resources")
    DEMANDS = "demands", _("Demands")
    MANAGERS = "managers", _("Technology managers")


class FeedbackStatus(models.TextChoices):
    CONTACTED = "contacted", _("Contacted")
    ACCEPTED = "accepted", _("Accepted")
    REJECTED = "rejected", _("Rejected")
