"""Choices of the technology-manager alliance and the innovation consortia, with the case stage chain."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class CertificationLevel(models.TextChoices):
    TRAINEE = "trainee", _("Trainee technology manager")
    JUNIOR = "junior", _("Junior technology manager")
    INTERMEDIATE = "intermediate", _("Intermediate technology manager")
    SENIOR = "senior", _("Senior technology manager")


class Language(models.TextChoices):
    CHINESE = "zh", _("Chinese")
    ENGLISH = "en", _("English")
    GERMAN = "de", _("German")
    JAPANESE = "ja", _("Japanese")
    KOREAN = "ko", _("Korean")
    FRENCH = "fr", _("French")


class CaseStage(models.TextChoices):
    DISCOVERY = "discovery", _("Demand discovery")
    MATCHING = "matching", _("Matching")
    NEGOTIATION = "negotiation", _("Negotiation")
    PROOF_OF_CONCEPT = "poc", _("Proof of concept")
    PILOT = "pilot", _("Pilot scale")
    CONTRACT = "contract", _("Contract")
    LANDING = "landing", _("Industrial landing")
    LOST = "lost", _("Closed as lost")


# The chain every case walks, one step at a time (需求挖掘 → … → 产业化落地).
STAGE_CHAIN: tuple[str, ...] = (
    CaseStage.DISCOVERY,
    CaseStage.MATCHING,
    CaseStage.NEGOTIATION,
    CaseStage.PROOF_OF_CONCEPT,
    CaseStage.PILOT,
    CaseStage.CONTRACT,
    CaseStage.LANDING,
)
STAGE_INDEX: dict[str, int] = {s: i for i, s in enumerate(STAGE_CHAIN)}
# Stages in which a case still needs work (and can go stale).
OPEN_STAGES: frozenset[str] = frozenset(STAGE_CHAIN[:-1])
FINAL_STAGES: frozenset[str] = frozenset({CaseStage.LANDING, CaseStage.LOST})


def next_stage(stage: str) -> str | None:
    """The one stage a case may advance to from ``stage`` (None at the end or when lost)."""
    index = STAGE_INDEX.get(stage)
    if index is None or index + 1 >= len(STAGE_CHAIN):
        return None
    return STAGE_CHAIN[index + 1]


class LostReason(models.TextChoices):
    NO_SUPPLIER = "no_supplier", _("No suitable supplier found")
    TERMS = "terms", _("Price or terms not agreed")
    TECHNICAL = "technical", _("Technical validation failed")
    FUNDING = "funding", _("Funding not available")
    WITHDRAWN = "withdrawn", _("Demand withdrawn by the enterprise")
    IP = "ip", _("IP ownership or benefit sharing not agreed")
    POLICY = "policy", _("Policy, permit or qualification barrier")
    OTHER = "other", _("Other")


class StageChangeKind(models.TextChoices):
    OPEN = "open", _("Opened")
    ADVANCE = "advance", _("Advanced")
    LOSE = "lose", _("Closed as lost")
    REOPEN = "reopen", _("Reopened by an operator")


class ActivityKind(models.TextChoices):
    MEETING = "meeting", _("Meeting")
    SITE_VISIT = "site_visit", _("Site visit")
    CALL = "call", _("Call")
    DOCUMENT = "document", _("Document")
    NOTE = "note", _("Note")


class CasePartyRole(models.TextChoices):
    DEMAND = "demand", _("Demand side")
    RD = "rd", _("R&D")
    PRODUCTION = "production", _("Production")
    FUNDING = "funding", _("Funding")
    SERVICE = "service", _("Service / other")


class DocumentKind(models.TextChoices):
    NDA = "nda", _("Confidentiality agreement")
    PROPOSAL = "proposal", _("Proposal")
    REPORT = "report", _("Test or validation report")
    CONTRACT = "contract", _("Contract")
    MINUTES = "minutes", _("Minutes")
    OTHER = "other", _("Other")


class LeadRole(models.TextChoices):
    CHAIN_LEADER = "chain_leader", _("Chain leader (链主)")
    ALLIANCE_LEADER = "alliance_leader", _("Alliance leader (盟主)")


class MemberRole(models.TextChoices):
    ENTERPRISE = "enterprise", _("Enterprise: resources and industrialisation")
    UNIVERSITY = "university", _("University: frontier research")
    INSTITUTE = "institute", _("Institute or new-type R&D institution: standards and IP")
    OTHER = "other", _("Other")


class GoalKind(models.TextChoices):
    KEY_PROBLEM = "key_problem", _("Key problem")
    CHOKEPOINT = "chokepoint", _("Chokepoint (卡脖子) technology")


class GoalStatus(models.TextChoices):
    OPEN = "open", _("Open")
    IN_PROGRESS = "in_progress", _("In progress")
    ACHIEVED = "achieved", _("Achieved")


class OutputKind(models.TextChoices):
    STANDARD = "standard", _("Standard")
    PATENT = "patent", _("Patent")
    PRODUCT = "product", _("Product")
    PILOT_LINE = "pilot_line", _("Pilot line")


class MembershipEvent(models.TextChoices):
    JOINED = "joined", _("Joined")
    LEFT = "left", _("Left")
