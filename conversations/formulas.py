"""Package arithmetic of the domain page, section 6 and 7. Pure Python, Decimal in and out.

line cost per week   = round2(K_level × minutes × occurrences / 60)
package total        = Σ line costs of budget-funded lines
balance              = B − package total;   utilisation = total / B
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from enum import Enum

# One line's cost per week is the catalogue's activity cost at n times a week (a group
# activity shared over the group); rounding is costing's half-up to cents.
from catalog.formulas import activity_cost as line_cost_per_week
from costing.formulas import round2

WEEKS_PER_MONTH = Decimal(52) / Decimal(12)
MINUTES_PER_WEEK = 7 * 24 * 60


def weekly_to_monthly(amount: Decimal) -> Decimal:
    """A weekly amount as a monthly one (52 weeks / 12 months), rounded to cents."""
    return round2(amount * WEEKS_PER_MONTH)


@dataclass(frozen=True)
class Totals:
    budget: Decimal
    total: Decimal
    balance: Decimal
    utilisation_pct: Decimal | None  # None when the budget is zero
    hours: Decimal  # budget-funded care hours per week
    private_per_month: Decimal

    @property
    def overrun(self) -> bool:
        return self.total > self.budget

    @property
    def overrun_amount(self) -> Decimal:
        return max(self.total - self.budget, Decimal("0.00"))


def package_totals(
    *,
    budget: Decimal,
    budget_line_costs: Iterable[Decimal],
    budget_line_minutes: Iterable[int] = (),
    private_monthly_costs: Iterable[Decimal] = (),
) -> Totals:
    total = sum(budget_line_costs, Decimal("0.00"))
    minutes = sum(budget_line_minutes, 0)
    utilisation = None if budget <= 0 else round2(total / budget * 100)
    return Totals(
        budget=budget,
        total=total,
        balance=budget - total,
        utilisation_pct=utilisation,
        hours=(Decimal(minutes) / Decimal(60)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP),
        private_per_month=sum(private_monthly_costs, Decimal("0.00")),
    )


class Latitude(Enum):
    WITHIN_BUDGET = "within_budget"
    WITHIN_TOLERANCE = "within_tolerance"  # a care professional may agree, with a written reason
    BEYOND_TOLERANCE = "beyond_tolerance"  # a team leader approves


def latitude(*, total: Decimal, budget: Decimal, tolerance_pct: Decimal) -> Latitude:
    if total <= budget:
        return Latitude.WITHIN_BUDGET
    if total <= budget * (1 + tolerance_pct / Decimal(100)):
        return Latitude.WITHIN_TOLERANCE
    return Latitude.BEYOND_TOLERANCE


__all__ = [
    "Latitude",
    "Totals",
    "latitude",
    "line_cost_per_week",
    "package_totals",
    "round2",
    "weekly_to_monthly",
]
