"""Benefit-sharing maths (利益共享): pure functions, no database, every step kept for display.

Three rules split the benefits of a cooperation among its parties (docs/benefit-sharing.md):

- ``fixed``: agreed ratios in percent, which must sum to 100;
- ``proportional``: each party's weighted contribution over the total; the weights (``WEIGHTS``)
  turn every contribution kind into "weighted yuan";
- ``shapley``: the Shapley value of the cooperative game ``v(S)`` below, by exact enumeration of
  all 2^n coalitions (at most ``MAX_SHAPLEY_PARTIES`` parties).

Characteristic function. Each party's weighted contributions are grouped into a technology side
``T`` (R&D spend, IP, staff-months), a market side ``M`` (facilities, market access) and risk ``R``.
A coalition ``S`` pools them, and::

    v(S) = 2·√(T(S)·M(S)) + R(S)

Technology without a route to market (or the reverse) creates no value on its own; together they
create at most ``T + M`` (reached when the two sides are balanced; AM–GM). Risk capital adds its
amount. ``v`` is monotone, ``v(∅) = 0``; a party contributing nothing is a null player.

The resulting share of each party applies to the IP rights and to the licence income. The new local
tax of the production is split between the R&D city and the production city year by year
(``tax_schedule``), following the enclave-park (飞地园区) practice of splitting tax by agreement.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

# Contribution kinds, their unit and their weight into "weighted yuan" (see docs/benefit-sharing.md).
CONTRIBUTION_KINDS: tuple[str, ...] = ("rd_spend", "ip_value", "staff_months", "facilities", "market_access", "risk")
CONTRIBUTION_LABELS: dict[str, Any] = {
    "rd_spend": gettext_lazy("R&D spend (yuan)"),
    "ip_value": gettext_lazy("IP contributed (valued, yuan)"),
    "staff_months": gettext_lazy("Staff-months"),
    "facilities": gettext_lazy("Facilities (yuan)"),
    "market_access": gettext_lazy("Market access (yuan of sales channels)"),
    "risk": gettext_lazy("Risk borne (yuan of capital at risk)"),
}
WEIGHTS: dict[str, Decimal] = {
    "rd_spend": Decimal("1"),
    "ip_value": Decimal("1"),
    "staff_months": Decimal("30000"),  # one staff-month of researcher time counts as ¥30,000
    "facilities": Decimal("0.5"),  # equipment and space are lent, not consumed: half their value
    "market_access": Decimal("1"),
    "risk": Decimal("0.2"),  # a risk premium of 20% of the capital at risk
}
TECHNOLOGY_SIDE = ("rd_spend", "ip_value", "staff_months")
MARKET_SIDE = ("facilities", "market_access")
RISK_SIDE = ("risk",)

RULES = ("fixed", "proportional", "shapley")
MAX_SHAPLEY_PARTIES = 12
MAX_PARTIES = 40
MAX_TAX_YEARS = 30
CENT = Decimal("0.01")


class SharingError(ValueError):
    """Input that cannot be allocated; ``fields`` names where (``parties.1.ratio``, ``tax.years``, …)."""

    def __init__(self, message: str, *, field: str = "__all__", code: str = "invalid") -> None:
        super().__init__(message)
        self.message = message
        self.field = field
        self.code = code


@dataclass
class Party:
    name: str
    contributions: dict[str, Decimal] = field(default_factory=dict)
    ratio: Decimal | None = None  # percent, for the fixed rule
    key: Any = None  # the caller's id (organisation id)
    city: str = ""
    city_key: Any = None  # the caller's id of the party's city (for the tax share from the parties' shares)

    def amount(self, kind: str) -> Decimal:
        return self.contributions.get(kind, Decimal(0))

    def weighted(self, kinds: Sequence[str]) -> Decimal:
        return sum((self.amount(k) * WEIGHTS[k] for k in kinds), Decimal(0))


@dataclass
class TaxTerms:
    base_year: int
    annual_new_tax: Decimal  # expected new local tax of the first year after the base year, yuan
    years: int
    rd_share_pct: Decimal  # the R&D city's share of the new tax, percent
    growth_pct: Decimal = Decimal(0)  # yearly growth of the new tax, percent
    cap: Decimal | None = None  # most the R&D city receives in one year, yuan
    rd_city: str = ""
    production_city: str = ""
    # "ratio": rd_share_pct as given; "shares": the summed shares of the parties located in the R&D city.
    share_rule: str = "ratio"
    rd_city_key: Any = None


def rd_share_from_parties(shares: Sequence[float], parties: Sequence[Party], rd_city_key: Any) -> Decimal:
    """The R&D city's tax share in percent (to 0.01%): the summed shares of the parties located there."""
    total = sum(share for share, party in zip(shares, parties, strict=True) if rd_city_key is not None and party.city_key == rd_city_key)
    return Decimal(str(round(total * 100, 2)))


# Validation -------------------------------------------------------------------------------------


def validate_parties(parties: Sequence[Party], rule: str) -> None:
    if rule not in RULES:
        raise SharingError(_("Unknown rule “{rule}”; use one of: {rules}.").format(rule=rule, rules=", ".join(RULES)), field="rule")
    if len(parties) < 2:
        raise SharingError(_("A benefit-sharing agreement needs at least two parties."), field="parties", code="too_few_parties")
    if len(parties) > MAX_PARTIES:
        raise SharingError(
            _("At most {limit} parties can share benefits.").format(limit=MAX_PARTIES), field="parties", code="too_many_parties"
        )
    if rule == "shapley" and len(parties) > MAX_SHAPLEY_PARTIES:
        raise SharingError(
            _(
                "The exact Shapley value enumerates every coalition and is limited to {limit} parties ({n} given); "
                "use the contribution-proportional rule or agreed ratios."
            ).format(limit=MAX_SHAPLEY_PARTIES, n=len(parties)),
            field="parties",
            code="too_many_parties",
        )
    for i, party in enumerate(parties):
        for kind, value in party.contributions.items():
            if kind not in WEIGHTS:
                raise SharingError(_("Unknown contribution kind “{kind}”.").format(kind=kind), field=f"parties.{i}.{kind}")
            if not Decimal(value).is_finite():
                raise SharingError(_("Enter a number."), field=f"parties.{i}.{kind}")
            if value < 0:
                raise SharingError(
                    _("{party}: contributions cannot be negative ({kind}).").format(party=party.name, kind=CONTRIBUTION_LABELS[kind]),
                    field=f"parties.{i}.{kind}",
                    code="negative",
                )
    if rule == "fixed":
        total = Decimal(0)
        for i, party in enumerate(parties):
            if party.ratio is None:
                raise SharingError(_("Enter the agreed ratio of {party}.").format(party=party.name), field=f"parties.{i}.ratio")
            if party.ratio < 0 or party.ratio > 100:
                raise SharingError(_("A ratio lies between 0 and 100%."), field=f"parties.{i}.ratio", code="ratio_range")
            total += party.ratio
        if abs(total - 100) > Decimal("0.01"):
            raise SharingError(
                _("The agreed ratios must sum to 100% (they sum to {total}%).").format(total=_fmt(total)),
                field="parties",
                code="ratios_not_100",
            )
    elif all(party.weighted(CONTRIBUTION_KINDS) == 0 for party in parties):
        raise SharingError(
            _("Enter at least one contribution: with nothing contributed there is nothing to share."), field="parties", code="no_contributions"
        )


def _fmt(value: Decimal) -> str:
    return f"{value.normalize():f}" if value == value.to_integral() else f"{value:.2f}"


# The game ---------------------------------------------------------------------------------------


def coalition_value(parties: Sequence[Party]) -> float:
    """v(S) = 2·√(T·M) + R for the pooled weighted contributions of ``parties``."""
    t = float(sum((p.weighted(TECHNOLOGY_SIDE) for p in parties), Decimal(0)))
    m = float(sum((p.weighted(MARKET_SIDE) for p in parties), Decimal(0)))
    r = float(sum((p.weighted(RISK_SIDE) for p in parties), Decimal(0)))
    return 2.0 * math.sqrt(t * m) + r


def shapley(parties: Sequence[Party], value: Any = None) -> dict[str, Any]:
    """Exact Shapley values by enumerating the 2^n coalitions, with the working.

    φ_i = (1/n) · Σ_{k=0}^{n-1} mean over coalitions S ∌ i with |S| = k of [v(S ∪ {i}) − v(S)].
    Returns ``values`` (φ per party), ``coalitions`` ([(member indexes, v)], all 2^n) and
    ``marginals`` (per party, per coalition size: the mean marginal contribution).
    """
    n = len(parties)
    if n > MAX_SHAPLEY_PARTIES:
        raise SharingError(_("Too many parties for the exact Shapley value."), field="parties", code="too_many_parties")
    v = [0.0] * (1 << n)
    if value is not None:
        for mask in range(1, 1 << n):
            v[mask] = value([parties[i] for i in range(n) if mask >> i & 1])
    else:
        # v(S) = 2·√(T·M) + R with the sides summed incrementally: S = S' ∪ {lowest member}.
        sides = [
            (float(p.weighted(TECHNOLOGY_SIDE)), float(p.weighted(MARKET_SIDE)), float(p.weighted(RISK_SIDE))) for p in parties
        ]
        t_sum, m_sum, r_sum = [0.0] * (1 << n), [0.0] * (1 << n), [0.0] * (1 << n)
        for mask in range(1, 1 << n):
            low = (mask & -mask).bit_length() - 1
            rest = mask & (mask - 1)
            t_sum[mask] = t_sum[rest] + sides[low][0]
            m_sum[mask] = m_sum[rest] + sides[low][1]
            r_sum[mask] = r_sum[rest] + sides[low][2]
            v[mask] = 2.0 * math.sqrt(t_sum[mask] * m_sum[mask]) + r_sum[mask]
    sums = [[0.0] * n for _i in range(n)]  # sums[i][k]: total marginal of i over coalitions of size k
    counts = [math.comb(n - 1, k) for k in range(n)]
    for mask in range(1 << n):
        size = mask.bit_count()
        if size == n:
            continue
        for i in range(n):
            if not mask >> i & 1:
                sums[i][size] += v[mask | 1 << i] - v[mask]
    marginals = [[sums[i][k] / counts[k] for k in range(n)] for i in range(n)]
    values = [sum(marginals[i]) / n for i in range(n)]
    coalitions = [([i for i in range(n) if mask >> i & 1], v[mask]) for mask in range(1 << n)]
    return {"values": values, "coalitions": coalitions, "marginals": marginals, "grand": v[(1 << n) - 1]}


# Money ------------------------------------------------------------------------------------------


def split_money(total: Decimal, shares: Sequence[float]) -> list[Decimal]:
    """``total`` split by ``shares`` (summing to 1) in whole cents that add up exactly (largest remainder)."""
    cents = int((total / CENT).to_integral_value(ROUND_HALF_UP))
    raw = [cents * s for s in shares]
    floors = [math.floor(x) for x in raw]
    left = cents - sum(floors)
    order = sorted(range(len(raw)), key=lambda i: (raw[i] - floors[i], -i), reverse=True)
    for i in order[: max(left, 0)]:
        floors[i] += 1
    return [Decimal(c) * CENT for c in floors]


def tax_schedule(terms: TaxTerms) -> list[dict[str, Any]]:
    """Year-by-year split of the new local tax: year t = base_year + t (t = 1 … years).

    new tax_t = annual_new_tax · (1 + growth)^(t−1), in cents; the R&D city receives
    min(new tax_t · rd_share, cap) and the production city the rest.
    """
    if terms.years < 1 or terms.years > MAX_TAX_YEARS:
        raise SharingError(
            _("The duration lies between 1 and {limit} years.").format(limit=MAX_TAX_YEARS), field="tax.years", code="years_range"
        )
    if terms.annual_new_tax < 0:
        raise SharingError(_("The expected new tax cannot be negative."), field="tax.annual_new_tax", code="negative")
    if not (0 <= terms.rd_share_pct <= 100):
        raise SharingError(_("A ratio lies between 0 and 100%."), field="tax.rd_share_pct", code="ratio_range")
    if terms.growth_pct < -100 or terms.growth_pct > 1000:
        raise SharingError(_("The yearly growth lies between −100% and 1000%."), field="tax.growth_pct", code="growth_range")
    if terms.cap is not None and terms.cap < 0:
        raise SharingError(_("The cap cannot be negative."), field="tax.cap", code="negative")
    if terms.base_year < 1990 or terms.base_year > 2100:
        raise SharingError(_("Enter a base year between 1990 and 2100."), field="tax.base_year", code="year_range")
    rows = []
    growth = 1 + terms.growth_pct / 100
    rd_total = prod_total = Decimal(0)
    for t in range(1, terms.years + 1):
        new_tax = (terms.annual_new_tax * growth ** (t - 1)).quantize(CENT, ROUND_HALF_UP)
        uncapped = (new_tax * terms.rd_share_pct / 100).quantize(CENT, ROUND_HALF_UP)
        capped = terms.cap is not None and uncapped > terms.cap
        rd = terms.cap if capped and terms.cap is not None else uncapped
        prod = new_tax - rd
        rd_total += rd
        prod_total += prod
        rows.append(
            {
                "year": terms.base_year + t,
                "new_tax": new_tax,
                "rd_city": rd,
                "production_city": prod,
                "capped": capped,
                "rd_cumulative": rd_total,
                "production_cumulative": prod_total,
            }
        )
    return rows


# The whole calculation ----------------------------------------------------------------------------


def allocate(parties: Sequence[Party], rule: str, *, licence_income: Decimal = Decimal(0), tax: TaxTerms | None = None) -> dict[str, Any]:
    """Shares, licence income, tax split and every step of the working, as plain data (JSON-ready after ``plain``)."""
    validate_parties(parties, rule)
    if licence_income < 0:
        raise SharingError(_("The expected licence income cannot be negative."), field="licence_income", code="negative")
    n = len(parties)
    steps: list[dict[str, Any]] = []
    weighted = [
        {kind: p.amount(kind) * WEIGHTS[kind] for kind in CONTRIBUTION_KINDS} | {"total": p.weighted(CONTRIBUTION_KINDS)} for p in parties
    ]
    working: dict[str, Any] = {"rule": rule, "weights": dict(WEIGHTS), "weighted": weighted}
    if rule == "fixed":
        ratios = [p.ratio or Decimal(0) for p in parties]
        shares = [float(r) / 100 for r in ratios]
        steps.append({"step": "ratios", "ratios": ratios, "total": sum(ratios, Decimal(0))})
    elif rule == "proportional":
        totals = [w["total"] for w in weighted]
        grand = sum(totals, Decimal(0))
        shares = [float(t / grand) for t in totals]
        steps.append({"step": "weighted_totals", "totals": totals, "grand": grand})
    else:
        game = shapley(parties)
        grand_value = game["grand"]
        if grand_value <= 0:
            raise SharingError(
                _("The parties together create no value under v(S) = 2·√(T·M) + R: add technology and market contributions, or risk."),
                field="parties",
                code="no_value",
            )
        shares = [phi / grand_value for phi in game["values"]]
        working["sides"] = [
            {"T": p.weighted(TECHNOLOGY_SIDE), "M": p.weighted(MARKET_SIDE), "R": p.weighted(RISK_SIDE)} for p in parties
        ]
        working["coalitions"] = game["coalitions"]
        working["marginals"] = game["marginals"]
        working["shapley"] = game["values"]
        working["grand_value"] = grand_value
        steps.append({"step": "normalise", "grand": grand_value, "values": game["values"]})
    # Normalisation: shares rounded to 0.01% for display, money by largest remainder to whole cents.
    income = split_money(licence_income, shares)
    result_parties = []
    for i, p in enumerate(parties):
        result_parties.append(
            {
                "key": p.key,
                "name": p.name,
                "city": p.city,
                "share": shares[i],
                "share_pct": round(shares[i] * 100, 4),
                "licence_income": income[i],
                "weighted_total": weighted[i]["total"],
                "proportional_share": float(weighted[i]["total"] / sum((w["total"] for w in weighted), Decimal(0)))
                if any(w["total"] for w in weighted)
                else None,
            }
        )
    working["steps"] = steps
    result: dict[str, Any] = {
        "rule": rule,
        "n": n,
        "parties": result_parties,
        "licence_income": licence_income,
        "working": working,
        "tax": None,
    }
    if tax is not None:
        if tax.share_rule == "shares":
            tax = replace(tax, rd_share_pct=rd_share_from_parties(shares, parties, tax.rd_city_key))
            steps.append({"step": "tax_share_from_parties", "rd_share_pct": tax.rd_share_pct})
        elif tax.share_rule != "ratio":
            raise SharingError(_("Unknown tax share rule “{rule}”; use ratio or shares.").format(rule=tax.share_rule), field="tax.share_rule")
        rows = tax_schedule(tax)
        result["tax"] = {
            "base_year": tax.base_year,
            "years": tax.years,
            "rd_share_pct": tax.rd_share_pct,
            "share_rule": tax.share_rule,
            "growth_pct": tax.growth_pct,
            "cap": tax.cap,
            "rd_city": tax.rd_city,
            "production_city": tax.production_city,
            "rows": rows,
            "rd_total": rows[-1]["rd_cumulative"],
            "production_total": rows[-1]["production_cumulative"],
        }
    return result


def plain(value: Any) -> Any:
    """``allocate``'s result as JSON-compatible data: Decimals become strings, tuples lists."""
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, Mapping):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    return value
