"""Cities of the Yangtze River Delta and the industry taxonomies everything is tagged with."""

from __future__ import annotations

from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from corridor.regions.choices import CorridorMembership, IndustryScheme


class City(models.Model):
    code = models.CharField(_("GB/T 2260 code"), max_length=6, unique=True)
    name = models.CharField(_("name"), max_length=40, unique=True)
    short_name = models.CharField(_("short name"), max_length=20, db_index=True)
    name_en = models.CharField(_("English name"), max_length=40, blank=True)
    province = models.CharField(_("province"), max_length=20)
    province_code = models.CharField(_("province code"), max_length=6)
    area_code = models.CharField(_("telephone area code"), max_length=6, blank=True)
    lon = models.FloatField(_("longitude (WGS-84)"))
    lat = models.FloatField(_("latitude (WGS-84)"))
    corridor = models.CharField(
        _("corridor membership"), max_length=10, choices=CorridorMembership.choices, blank=True, default=""
    )

    class Meta:
        ordering = ["code"]
        verbose_name = _("city")
        verbose_name_plural = _("cities")

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        lang = get_language() or ""
        if lang.startswith("en") and self.name_en:
            return self.name_en
        return self.short_name

    @property
    def in_corridor(self) -> bool:
        return bool(self.corridor)


class Industry(models.Model):
    scheme = models.CharField(_("scheme"), max_length=10, choices=IndustryScheme.choices)
    code = models.CharField(_("code"), max_length=10)
    name = models.CharField(_("name"), max_length=120)
    name_en = models.CharField(_("English name"), max_length=160, blank=True)
    level = models.PositiveSmallIntegerField(_("level"))
    parent = models.ForeignKey(
        "self", verbose_name=_("parent"), null=True, blank=True, on_delete=models.CASCADE, related_name="children"
    )
    description = models.TextField(_("description"), blank=True)

    class Meta:
        ordering = ["scheme", "code"]
        constraints = [models.UniqueConstraint(fields=["scheme", "code"], name="industry_unique_scheme_code")]
        verbose_name = _("industry")
        verbose_name_plural = _("industries")

    def __str__(self) -> str:
        lang = get_language() or ""
        name = self.name_en if lang.startswith("en") and self.name_en else self.name
        return f"{self.code} {name}"

    def ancestors(self) -> list[Industry]:
        chain: list[Industry] = []
        node = self.parent
        while node is not None:
            chain.append(node)
            node = node.parent
        return list(reversed(chain))
