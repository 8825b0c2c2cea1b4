from django.db import models
from django.utils.translation import gettext_lazy as _


class ImportMode(models.TextChoices):
    ALL_OR_NOTHING = "all", _("All or nothing")
    VALID_ONLY = "valid_only", _("Valid rows only")


class ImportStatus(models.TextChoices):
    UPLOADED = "uploaded", _("Uploaded")
    REJECTED = "rejected", _("File refused")
    PREVIEWED = "previewed", _("Checked")
    INVALID = "invalid", _("Invalid rows, nothing written")
    COMMITTED = "committed", _("Imported")
    FAILED = "failed", _("Failed, nothing written")


class ExportFormat(models.TextChoices):
    XLSX = "xlsx", "Excel (.xlsx)"
    CSV = "csv", "CSV (UTF-8)"
