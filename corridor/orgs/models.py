"""Organisations (with their unified social credit codes), users and who acts for whom."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from corridor.core.models import TrackedModel
from corridor.orgs.choices import OrganizationSize, OrganizationType
from corridor.orgs.creditcode import normalize, validate_credit_code


class User(AbstractUser):
    """A person using Corridor. Operators are staff; other roles are flags; organisations via memberships."""

    display_name = models.CharField(_("display name"), max_length=100, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    is_technology_manager = models.BooleanField(_("technology manager"), default=False)
    is_reviewer = models.BooleanField(_("reviewer"), default=False)
    is_demo = models.BooleanField(_("demo account"), default=False)

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.display_name or self.get_full_name() or self.username

    @property
    def is_operator(self) -> bool:
        return bool(self.is_active and (self.is_staff or self.is_superuser))

    def role_labels(self) -> list[str]:
        labels = []
        if self.is_operator:
            labels.append(str(_("Platform operator")))
        if self.is_technology_manager:
            labels.append(str(_("Technology manager")))
        if self.is_reviewer:
            labels.append(str(_("Reviewer")))
        if self.memberships.exists():
            labels.append(str(_("Organisation member")))
        return labels


class Organization(TrackedModel):
    owner_lookup = "id"

    name = models.CharField(_("name"), max_length=200, unique=True)
    name_en = models.CharField(_("English name"), max_length=200, blank=True)
    type = models.CharField(_("type"), max_length=20, choices=OrganizationType.choices)
    credit_code = models.CharField(
        _("unified social credit code"),
        max_length=18,
        blank=True,
        validators=[validate_credit_code],
        help_text=_("18 characters, GB 32100-2015; leave empty for organisations outside mainland China."),
    )
    country = models.CharField(_("country or region"), max_length=2, default="CN", help_text=_("ISO 3166 code, e.g. CN, DE"))
    city = models.ForeignKey(
        "regions.City", verbose_name=_("city"), null=True, blank=True, on_delete=models.PROTECT, related_name="organizations"
    )
    industries = models.ManyToManyField("regions.Industry", verbose_name=_("industries"), blank=True, related_name="organizations")
    size = models.CharField(_("size"), max_length=10, choices=OrganizationSize.choices, blank=True)
    founded_year = models.PositiveSmallIntegerField(_("year founded"), null=True, blank=True)
    website = models.URLField(_("website"), blank=True)
    description = models.TextField(_("description"), blank=True)
    is_demo = models.BooleanField(_("demo data"), default=False, help_text=_("Fictional organisation of the demo region."))

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["credit_code"], condition=~Q(credit_code=""), name="organization_unique_credit_code"
            )
        ]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("orgs:organization_detail", args=[self.pk])

    def clean(self) -> None:
        super().clean()
        self.credit_code = normalize(self.credit_code) if self.credit_code else ""
        self.country = (self.country or "CN").upper()
        if self.country == "CN" and self.city_id is None:
            raise ValidationError({"city": _("An organisation in China needs its city.")})

    def owned_by(self, org_ids: set[int]) -> bool:
        return self.pk in org_ids

    def is_public(self) -> bool:
        return True


class Membership(models.Model):
    """A user acting for an organisation."""

    user = models.ForeignKey(User, verbose_name=_("user"), on_delete=models.CASCADE, related_name="memberships")
    organization = models.ForeignKey(
        Organization, verbose_name=_("organisation"), on_delete=models.CASCADE, related_name="memberships"
    )
    title = models.CharField(_("title"), max_length=100, blank=True)
    joined = models.DateTimeField(_("joined"), auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "organization"], name="membership_unique")]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")

    def __str__(self) -> str:
        return f"{self.user} @ {self.organization}"
