from django.db import models
from django.utils.translation import gettext_lazy as _


class ResourceKind(models.TextChoices):
    KEY_LAB = "key_lab", _("Key laboratory")
    TECH_CENTRE = "tech_centre", _("Enterprise technology centre")
    PILOT = "pilot", _("Pilot-scale platform")
    POC = "poc", _("Proof-of-concept centre")
    INSTRUMENT = "instrument", _("Large instrument")
    EXPERT_TEAM = "expert_team", _("Expert team")
    ACHIEVEMENT = "achievement", _("Achievement / patent")


class OpenTo(models.TextChoices):
    EVERYONE = "everyone", _("Everyone")
    DELTA = "delta", _("Organisations in the Yangtze River Delta")
    CORRIDOR = "corridor", _("Organisations in the corridor")
    PARTNERS = "partners", _("Partners by agreement")


class FeeBasis(models.TextChoices):
    FREE = "free", _("Free")
    COST = "cost", _("At cost")
    MARKET = "market", _("Market price")
    NEGOTIABLE = "negotiable", _("Negotiable")


class ResourceStatus(models.TextChoices):
    AVAILABLE = "available", _("Available")
    LIMITED = "limited", _("Limited capacity")
    UNAVAILABLE = "unavailable", _("Not available")


class EvidenceKind(models.TextChoices):
    ACHIEVEMENT = "achievement", _("Achievement")
    PATENT = "patent", _("Patent")
    EQUIPMENT = "equipment", _("Equipment")
    TEAM = "team", _("Team member")


class Confidentiality(models.TextChoices):
    PUBLIC = "public", _("Public")
    SUMMARY = "summary", _("Summary only")


class DemandStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")
    NEGOTIATING = "negotiating", _("In negotiation")
    COOPERATING = "cooperating", _("In cooperation")
    SOLVED = "solved", _("Solved")
    CLOSED = "closed", _("Closed")


# The demand workflow: from each status, the statuses one may move to.
DEMAND_TRANSITIONS: dict[str, frozenset[str]] = {
    DemandStatus.DRAFT: frozenset({DemandStatus.PUBLISHED, DemandStatus.CLOSED}),
    DemandStatus.PUBLISHED: frozenset({DemandStatus.NEGOTIATING, DemandStatus.CLOSED}),
    DemandStatus.NEGOTIATING: frozenset({DemandStatus.COOPERATING, DemandStatus.PUBLISHED, DemandStatus.CLOSED}),
    DemandStatus.COOPERATING: frozenset({DemandStatus.SOLVED, DemandStatus.CLOSED}),
    DemandStatus.SOLVED: frozenset(),
    DemandStatus.CLOSED: frozenset(),
}


class CooperationType(models.TextChoices):
    JOINT_RD = "joint_rd", _("Joint R&D")
    TRANSFER = "transfer", _("Technology transfer")
    LICENSING = "licensing", _("Licensing")
    PILOT = "pilot", _("Pilot-scale verification")
    INDUSTRIALISATION = "industrialisation", _("Industrialisation")
    PLATFORM_SHARING = "platform_sharing", _("Platform sharing")


class CooperationStage(models.TextChoices):
    NEGOTIATING = "negotiating", _("Negotiating")
    SIGNED = "signed", _("Signed")
    IN_PROGRESS = "in_progress", _("In progress")
    COMPLETED = "completed", _("Completed")
    TERMINATED = "terminated", _("Terminated")


class PartyRole(models.TextChoices):
    LEAD = "lead", _("Lead")
    RD = "rd", _("R&D")
    PRODUCTION = "production", _("Production")
    FUNDING = "funding", _("Funding")
    SERVICE = "service", _("Service / other")
