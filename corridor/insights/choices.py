"""Enumerations of the insights app's agreements half: sharing rules and the hidden-barriers register."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class SharingRule(models.TextChoices):
    FIXED = "fixed", _("Agreed fixed ratios")
    PROPORTIONAL = "proportional", _("Proportional to contributions")
    SHAPLEY = "shapley", _("Shapley value")


class BarrierCategory(models.TextChoices):
    SOCIAL_INSURANCE = "social_insurance", _("Social-insurance transfer")
    TALENT_RESIDENCE = "talent_residence", _("Talent recognition and residence (户籍)")
    QUALIFICATION = "qualification", _("Qualification mutual recognition")
    RESEARCH_DATA = "research_data", _("Research-data sharing")
    SUBSIDY = "subsidy", _("Subsidy portability")
    OTHER = "other", _("Other")


class BarrierStatus(models.TextChoices):
    IN_FORCE = "in_force", _("In force")
    UNDER_REVISION = "under_revision", _("Under revision")
    REPEALED = "repealed", _("Repealed")


# Words in a lost case's note that point to a category of barrier (see selectors_sharing.cited_barriers).
CATEGORY_KEYWORDS: dict[str, tuple[str, ...]] = {
    BarrierCategory.SOCIAL_INSURANCE: ("社保", "社会保险", "公积金", "医保", "social insurance", "pension"),
    BarrierCategory.TALENT_RESIDENCE: ("户籍", "落户", "人才认定", "居住证", "residence", "hukou", "talent"),
    BarrierCategory.QUALIFICATION: ("资质", "互认", "职称", "认证", "许可", "qualification", "certificat", "permit", "licen"),
    BarrierCategory.RESEARCH_DATA: ("数据", "出境", "data"),
    BarrierCategory.SUBSIDY: ("补贴", "补助", "奖励", "subsid", "grant"),
    BarrierCategory.OTHER: (),
}
