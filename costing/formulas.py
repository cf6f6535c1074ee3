"""The cost-price format and the budget waterfall (domain page sections 4, 5, 6 and 8).

Pure Python: no Django imports, Decimal in and Decimal out. Half-up rounding to whole cents
(``round2``) only at the points the domain page names; intermediate values are never rounded.

Symbols (domain page section 4):
    P paid hours per FTE per year; l leave, s sickness, t training (% of paid hours);
    b client-bound share (% of available hours); o overhead surcharge (%).
    Per level: S gross monthly salary at full time; h holiday allowance, y year-end payment,
    r irregular-hours allowance (each % of salary); e employer charges (% on their total).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")
TENTH = Decimal("0.1")
HUNDRED = Decimal(100)
MONTHS_PER_YEAR = Decimal(12)
DAYS_PER_WEEK = Decimal(7)
DAYS_PER_YEAR = Decimal(365)
ZERO = Decimal(0)


def _d(value: Decimal | int | str) -> Decimal:
    if isinstance(value, float):  # pragma: no cover - guarded for callers
        raise TypeError("Use Decimal, never float, for money and rates.")
    return value if isinstance(value, Decimal) else Decimal(value)


def round2(value: Decimal) -> Decimal:
    """Half-up rounding to whole cents (20.125 -> 20.13), never banker's rounding."""
    return _d(value).quantize(CENT, rounding=ROUND_HALF_UP)


def round1(value: Decimal) -> Decimal:
    """Half-up rounding to one decimal (hours shown at the reference level)."""
    return _d(value).quantize(TENTH, rounding=ROUND_HALF_UP)


# Section 4: the cost-price format ---------------------------------------------------------


def employer_cost(
    salary: Decimal, holiday_pct: Decimal, year_end_pct: Decimal, irregular_pct: Decimal, charges_pct: Decimal
) -> Decimal:
    """E = S x 12 x (1 + (h + y + r)/100) x (1 + e/100), unrounded."""
    allowances = (_d(holiday_pct) + _d(year_end_pct) + _d(irregular_pct)) / HUNDRED
    return _d(salary) * MONTHS_PER_YEAR * (1 + allowances) * (1 + _d(charges_pct) / HUNDRED)


def available_hours(
    paid_hours: Decimal, leave_pct: Decimal, sickness_pct: Decimal, training_pct: Decimal
) -> Decimal:
    """A = P x (1 - (l + s + t)/100), unrounded."""
    return _d(paid_hours) * (1 - (_d(leave_pct) + _d(sickness_pct) + _d(training_pct)) / HUNDRED)


def client_bound_hours(available: Decimal, client_bound_pct: Decimal) -> Decimal:
    """C = A x b/100, unrounded (client-bound hours per FTE per year)."""
    return _d(available) * _d(client_bound_pct) / HUNDRED


def direct_cost_per_hour(employer_cost_per_year: Decimal, client_bound: Decimal) -> Decimal:
    """D = E / C, unrounded."""
    return _d(employer_cost_per_year) / _d(client_bound)


def integral_rate(direct_cost: Decimal, overhead_pct: Decimal) -> Decimal:
    """K = round2(D x (1 + o/100)): the published price of one client-bound hour."""
    return round2(_d(direct_cost) * (1 + _d(overhead_pct) / HUNDRED))


@dataclass(frozen=True)
class ModelInputs:
    paid_hours: Decimal  # P
    leave_pct: Decimal  # l
    sickness_pct: Decimal  # s
    training_pct: Decimal  # t
    client_bound_pct: Decimal  # b
    overhead_pct: Decimal  # o

    @property
    def available_hours(self) -> Decimal:
        return available_hours(self.paid_hours, self.leave_pct, self.sickness_pct, self.training_pct)

    @property
    def client_bound_hours(self) -> Decimal:
        return client_bound_hours(self.available_hours, self.client_bound_pct)


@dataclass(frozen=True)
class LevelInputs:
    salary: Decimal  # S
    holiday_pct: Decimal  # h
    year_end_pct: Decimal  # y
    irregular_pct: Decimal  # r
    charges_pct: Decimal  # e


@dataclass(frozen=True)
class LevelBuildUp:
    """Every step of one level's rate, as a financial would check it (all unrounded but K)."""

    employer_cost: Decimal  # E
    available_hours: Decimal  # A
    client_bound_hours: Decimal  # C
    direct_cost: Decimal  # D
    overhead_pct: Decimal  # o
    integral_rate: Decimal  # K (rounded half-up to cents)


def level_build_up(model: ModelInputs, level: LevelInputs) -> LevelBuildUp:
    e = employer_cost(
        level.salary, level.holiday_pct, level.year_end_pct, level.irregular_pct, level.charges_pct
    )
    a = model.available_hours
    c = client_bound_hours(a, model.client_bound_pct)
    d = direct_cost_per_hour(e, c)
    return LevelBuildUp(
        employer_cost=e,
        available_hours=a,
        client_bound_hours=c,
        direct_cost=d,
        overhead_pct=_d(model.overhead_pct),
        integral_rate=integral_rate(d, model.overhead_pct),
    )


# Section 5: from ZZP to personal budget -----------------------------------------------------


def weekly_care_revenue(tariff_per_day: Decimal, contract_pct: Decimal) -> Decimal:
    """R = round2(care tariff per day x contract% / 100 x 7)."""
    return round2(_d(tariff_per_day) * _d(contract_pct) / HUNDRED * DAYS_PER_WEEK)


def hotel_deduction(hotel_per_day: Decimal) -> Decimal:
    """H = round2(hotel and facility costs per day x 7)."""
    return round2(_d(hotel_per_day) * DAYS_PER_WEEK)


def group_share(hours_and_rates: Iterable[tuple[Decimal, Decimal]], places: int | Decimal) -> Decimal:
    """G = round2(sum(group-bound hours per week x K_level) / places)."""
    places = _d(places)
    if places <= 0:
        raise ValueError("A department has at least one place.")
    total = sum((_d(hours) * _d(rate) for hours, rate in hours_and_rates), ZERO)
    return round2(total / places)


def personal_budget(care_revenue: Decimal, hotel: Decimal, group: Decimal) -> Decimal:
    """B = R - H - G (may be negative; show it with ``shown_budget``)."""
    return _d(care_revenue) - _d(hotel) - _d(group)


def shown_budget(raw_budget: Decimal) -> Decimal:
    """A negative B is shown as 0 (with a warning)."""
    return max(_d(raw_budget), ZERO)


def hours_at_rate(budget: Decimal, rate: Decimal) -> Decimal:
    """B in hours at a reference level: B / K_ref, one decimal, half-up. Never negative."""
    return round1(shown_budget(budget) / _d(rate))


# Section 6 and 8: package lines and staffing ------------------------------------------------


def line_cost_per_week(rate: Decimal, minutes: Decimal | int, occurrences: Decimal | int) -> Decimal:
    """round2(K x minutes x occurrences / 60)."""
    return round2(_d(rate) * _d(minutes) * _d(occurrences) / Decimal(60))


def fte_required(hours_per_week: Decimal, client_bound_hours_per_fte: Decimal) -> Decimal:
    """Required FTE = hours per week x (365/7) / C, shown to two decimals (half-up).

    100 client-bound hours per week at C = 1216.944 -> 4.28 FTE.
    """
    return round2(_d(hours_per_week) * DAYS_PER_YEAR / DAYS_PER_WEEK / _d(client_bound_hours_per_fte))
