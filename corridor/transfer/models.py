"""Records of imports, the column mappings people chose, and the external ids rows carry."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from corridor.transfer.choices import ImportMode, ImportStatus


def _upload_path(instance: ImportRun, filename: str) -> str:
    # The stored name never uses the uploaded name: it is kept only as data (file_name).
    return f"transfer/{instance.sha256[:2]}/{instance.sha256}"


class ImportRun(models.Model):
    """One uploaded file and what became of it: who, when, which file, how many rows did what."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), null=True, on_delete=models.SET_NULL, related_name="import_runs"
    )
    organization = models.ForeignKey(
        "orgs.Organization",
        verbose_name=_("on behalf of"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="import_runs",
        help_text=_("The organisation whose column mapping and external ids the import uses; empty for platform-wide imports."),
    )
    created = models.DateTimeField(_("uploaded"), auto_now_add=True, db_index=True)
    finished = models.DateTimeField(_("finished"), null=True, blank=True)
    file = models.FileField(_("file"), upload_to=_upload_path, blank=True)
    file_name = models.CharField(_("file name"), max_length=255)
    file_size = models.PositiveBigIntegerField(_("size (bytes)"), default=0)
    sha256 = models.CharField(_("SHA-256"), max_length=64, db_index=True)
    type = models.CharField(_("type"), max_length=40)
    mode = models.CharField(_("mode"), max_length=20, choices=ImportMode.choices, default=ImportMode.ALL_OR_NOTHING)
    dry_run = models.BooleanField(_("dry run"), default=False)
    source = models.CharField(_("through"), max_length=20, default="web", help_text=_("web, api or cli"))
    status = models.CharField(_("status"), max_length=20, choices=ImportStatus.choices, default=ImportStatus.UPLOADED)
    mapping = models.JSONField(_("column mapping"), default=dict, blank=True)
    rows = models.PositiveIntegerField(_("rows"), default=0)
    created_count = models.PositiveIntegerField(_("created"), default=0)
    updated_count = models.PositiveIntegerField(_("updated"), default=0)
    unchanged_count = models.PositiveIntegerField(_("unchanged"), default=0)
    invalid_count = models.PositiveIntegerField(_("invalid"), default=0)
    message = models.TextField(_("message"), blank=True)
    # [[row number, column number or null, message], …] in sheet coordinates (1-based).
    errors = models.JSONField(_("row messages"), default=list, blank=True)
    warnings = models.JSONField(_("warnings"), default=list, blank=True)
    # {"create": [{"row": n, "label": "…", "messages": [...]}, …], "update": …, "unchanged": …, "invalid": …}
    preview = models.JSONField(_("preview"), default=dict, blank=True)
    # Rows handled so far by the running check or commit ("check" / "commit"), for progress displays.
    progress = models.PositiveIntegerField(_("rows handled"), default=0)
    phase = models.CharField(_("phase"), max_length=20, blank=True)

    class Meta:
        ordering = ["-created", "-id"]
        verbose_name = _("import")
        verbose_name_plural = _("imports")

    def __str__(self) -> str:
        return f"{self.file_name} ({self.type}, {self.get_status_display()})"

    @property
    def has_errors(self) -> bool:
        return bool(self.errors)

    def counts(self) -> dict[str, int]:
        return {
            "rows": self.rows,
            "created": self.created_count,
            "updated": self.updated_count,
            "unchanged": self.unchanged_count,
            "invalid": self.invalid_count,
        }


class ColumnMapping(models.Model):
    """How one organisation's spreadsheet headers map onto the columns of one import type."""

    organization = models.ForeignKey(
        "orgs.Organization", verbose_name=_("organisation"), null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    type = models.CharField(_("type"), max_length=40)
    # {normalised header: column key, or "" to ignore the column}
    mapping = models.JSONField(_("mapping"), default=dict)
    updated = models.DateTimeField(_("updated"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("updated by"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organization", "type"], name="transfer_mapping_unique_org"),
            models.UniqueConstraint(fields=["type"], condition=Q(organization__isnull=True), name="transfer_mapping_unique_platform"),
        ]
        verbose_name = _("column mapping")
        verbose_name_plural = _("column mappings")

    def __str__(self) -> str:
        return f"{self.organization or '-'} / {self.type}"


class ExternalKey(models.Model):
    """The id a row carries in someone's spreadsheet, tied to the object it was imported as.

    External ids are scoped by the organisation the import ran for (empty scope: platform-wide
    imports by operators), so two city offices may both number their rows 1, 2, 3.
    """

    type = models.CharField(_("type"), max_length=40)
    scope = models.ForeignKey(
        "orgs.Organization", verbose_name=_("scope"), null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    external_id = models.CharField(_("external id"), max_length=100)
    object_id = models.BigIntegerField(_("object id"), db_index=True)
    created = models.DateTimeField(_("created"), auto_now_add=True)
    import_run = models.ForeignKey(ImportRun, verbose_name=_("import"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["type", "scope", "external_id"], name="transfer_external_key_unique_scoped"),
            models.UniqueConstraint(
                fields=["type", "external_id"], condition=Q(scope__isnull=True), name="transfer_external_key_unique_platform"
            ),
        ]
        indexes = [models.Index(fields=["type", "object_id"])]
        verbose_name = _("external id")
        verbose_name_plural = _("external ids")

    def __str__(self) -> str:
        return f"{self.type}:{self.external_id} → {self.object_id}"
