"""Signal rules and staffing arithmetic of the domain page (sections 7 and 8). Pure Python,
Decimal in and out; no Django import.

    overrun               total > B   (with B = 0 every package is an overrun: "no budget")
    overrun %             (total − B) / B × 100, to cents; none when B = 0
    re-indication limit   B × (1 + t/100)        (unrounded: 819.73, t = 10 -> 901.703)
    re-indication         total > limit in each of the last N consecutive weeks
    structural deficit    raw B < 0
    meerzorg candidate    profile 7VV or 8VV and total ≥ 1.25 × B
    review                overdue: review date before today; due: within 30 days
    required FTE          round2(hours per week × (365/7) / C)
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal

MEERZORG_PROFILES = frozenset({"7VV", "8VV"})
MEERZORG_FACTOR = Decimal("1.25")
DEFAULT_THRESHOLD_PCT = Decimal("10")
DEFAULT_WEEKS = 4
REVIEW_DUE_DAYS = 30
CENT = Decimal("0.01")
UTILISATION_BANDS = (
    ("lt70", Decimal("0"), Decimal("70")),
    ("70_90", Decimal("70"), Decimal("90")),
    ("90_100", Decimal("90"), Decimal("100")),
    ("100_110", Decimal("100"), Decimal("110")),
    ("gt110", Decimal("110"), None),
)


def round2(value: Decimal) -> Decimal:
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


def week_start(day: datetime.date) -> datetime.date:
    """The Monday of the ISO week of ``day``."""
    return day - datetime.timedelta(days=day.weekday())


def is_overrun(total: Decimal | None, budget: Decimal | None) -> bool:
    if total is None or budget is None:
        return False
    if budget <= 0:
        return True
    return total > budget


def overrun_pct(total: Decimal | None, budget: Decimal | None) -> Decimal | None:
    if total is None or budget is None or budget <= 0:
        return None
    return round2((total - budget) / budget * 100)


def reindication_limit(budget: Decimal, threshold_pct: Decimal) -> Decimal:
    return budget * (1 + Decimal(threshold_pct) / 100)


def over_threshold(total: Decimal | None, budget: Decimal | None, threshold_pct: Decimal) -> bool:
    if total is None or budget is None:
        return False
    return total > reindication_limit(budget, threshold_pct)


def next_streak(previous: int, over: bool) -> int:
    """Consecutive weeks over the threshold up to and including this one."""
    return previous + 1 if over else 0


def reindication(streak: int, weeks: int) -> bool:
    return streak >= weeks


def reindication_weeks(
    totals: Iterable[Decimal | None], budget: Decimal, threshold_pct: Decimal, weeks: int
) -> list[bool]:
    """The signal week by week for a run of weekly totals at one budget (the worked example)."""
    streak = 0
    result = []
    for total in totals:
        streak = next_streak(streak, over_threshold(total, budget, threshold_pct))
        result.append(reindication(streak, weeks))
    return result


def structural_deficit(raw_budget: Decimal | None) -> bool:
    return raw_budget is not None and raw_budget < 0


def meerzorg_limit(budget: Decimal) -> Decimal:
    return budget * MEERZORG_FACTOR


def is_meerzorg(care_profile: str, total: Decimal | None, budget: Decimal | None) -> bool:
    if care_profile not in MEERZORG_PROFILES or total is None or budget is None:
        return False
    return total >= meerzorg_limit(budget)


def review_state(review_date: datetime.date | None, today: datetime.date) -> str | None:
    """ "overdue", "due" (within 30 days) or None."""
    if review_date is None:
        return None
    if review_date < today:
        return "overdue"
    if review_date <= today + datetime.timedelta(days=REVIEW_DUE_DAYS):
        return "due"
    return None


def utilisation_band(utilisation_pct: Decimal | None) -> str | None:
    if utilisation_pct is None:
        return None
    for code, low, high in UTILISATION_BANDS:
        if utilisation_pct >= low and (high is None or utilisation_pct < high):
            return code
    return UTILISATION_BANDS[0][0]


def fte_required(hours_per_week: Decimal, client_bound_hours_per_fte: Decimal) -> Decimal:
    """Required FTE = round2(hours per week × (365/7) / C)."""
    return round2(Decimal(hours_per_week) * Decimal(365) / Decimal(7) / Decimal(client_bound_hours_per_fte))


def fte_gap(actual: Decimal | None, required: Decimal) -> Decimal | None:
    return None if actual is None else actual - required
