"""Reads of the insights app's agreements half: barrier comparisons and the barriers cases cite."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q

from corridor.brokers.choices import CaseStage, LostReason
from corridor.brokers.models import Case
from corridor.insights.choices import CATEGORY_KEYWORDS, BarrierCategory, BarrierStatus
from corridor.insights.models import Barrier
from corridor.regions.models import City


@dataclass
class CategoryComparison:
    category: str
    label: Any
    left: list[Barrier]
    right: list[Barrier]

    @property
    def left_in_force(self) -> bool:
        return any(b.status != BarrierStatus.REPEALED for b in self.left)

    @property
    def right_in_force(self) -> bool:
        return any(b.status != BarrierStatus.REPEALED for b in self.right)

    @property
    def differs(self) -> bool:
        """One city has a rule in force (or under revision) in this category and the other has none."""
        return self.left_in_force != self.right_in_force

    @property
    def state(self) -> str:
        if self.left_in_force and self.right_in_force:
            return "both"
        if self.left_in_force:
            return "left_only"
        if self.right_in_force:
            return "right_only"
        return "neither"


def compare_cities(left: City, right: City) -> list[CategoryComparison]:
    """Side by side, category by category: each city's barriers, and whether the two differ."""
    barriers = list(Barrier.objects.filter(city__in=[left, right]).select_related("city").order_by("category", "-effective_date", "title"))
    rows = []
    for value, label in BarrierCategory.choices:
        rows.append(
            CategoryComparison(
                category=value,
                label=label,
                left=[b for b in barriers if b.category == value and b.city_id == left.pk],
                right=[b for b in barriers if b.category == value and b.city_id == right.pk],
            )
        )
    return rows


@dataclass
class CitedBarrier:
    barrier: Barrier
    linked: set[int] = field(default_factory=set)  # cases linked to the barrier by an operator or manager
    derived: set[int] = field(default_factory=set)  # lost for a policy reason, in the barrier's city, the note naming its category

    @property
    def count(self) -> int:
        return len(self.linked | self.derived)


def note_mentions(note: str, category: str) -> bool:
    text = (note or "").lower()
    return any(word.lower() in text for word in CATEGORY_KEYWORDS.get(category, ()))


def cited_barriers(limit: int = 20, city: City | None = None) -> list[CitedBarrier]:
    """Barriers ranked by the cases that stalled on them.

    A case cites a barrier when it is linked to it (``Barrier.cases``), or when it was closed as
    lost for a policy, permit or qualification reason (``LostReason.POLICY``) in one of the
    barrier's cities (the case's city, R&D city or production city) and its note names the
    barrier's category (``CATEGORY_KEYWORDS``). Repealed barriers are left out.
    """
    barriers = Barrier.objects.exclude(status=BarrierStatus.REPEALED).select_related("city")
    if city is not None:
        barriers = barriers.filter(city=city)
    by_id = {b.pk: CitedBarrier(b) for b in barriers}
    if not by_id:
        return []
    for barrier_id, case_id in Barrier.cases.through.objects.filter(barrier_id__in=by_id).values_list("barrier_id", "case_id"):
        by_id[barrier_id].linked.add(case_id)
    city_ids = {c.barrier.city_id for c in by_id.values()}
    lost = Case.objects.filter(stage=CaseStage.LOST, lost_reason=LostReason.POLICY).filter(
        Q(city_id__in=city_ids) | Q(rd_city_id__in=city_ids) | Q(production_city_id__in=city_ids)
    )
    for case_id, note, cities in ((c.pk, c.lost_note, {c.city_id, c.rd_city_id, c.production_city_id}) for c in lost.only("pk", "lost_note", "city_id", "rd_city_id", "production_city_id")):
        for cited in by_id.values():
            if cited.barrier.city_id in cities and note_mentions(note, cited.barrier.category):
                cited.derived.add(case_id)
    ranked = sorted((c for c in by_id.values() if c.count), key=lambda c: (-c.count, c.barrier.city.code, c.barrier.title))
    return ranked[:limit]
