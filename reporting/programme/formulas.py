"""Pure formulas of the programme (no Django): the screening score and outcome, the amount
of the self-pay package. Decimal in and out, half-up rounding."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

SCALE = (0, 1, 2, 3)
MAX_SCORE = 3
READY, CONDITIONS, NOT_YET = "ready", "conditions", "not_yet"


def round1(value: Decimal) -> Decimal:
    return value.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class AreaScore:
    code: str
    title: str
    points: int
    max_points: int

    @property
    def pct(self) -> Decimal:
        return (
            round1(Decimal(self.points) * 100 / Decimal(self.max_points)) if self.max_points else Decimal(0)
        )


@dataclass(frozen=True)
class ScreeningResult:
    areas: list[AreaScore]
    points: int
    max_points: int
    outcome: str
    weakest: list[str] = field(default_factory=list)

    @property
    def pct(self) -> Decimal:
        return (
            round1(Decimal(self.points) * 100 / Decimal(self.max_points)) if self.max_points else Decimal(0)
        )


def question_codes(areas: Iterable[Mapping[str, Any]]) -> list[str]:
    return [q["code"] for area in areas for q in area.get("questions", [])]


def screening_score(
    *,
    areas: list[Mapping[str, Any]],
    answers: Mapping[str, int],
    ready_pct: Decimal,
    conditions_pct: Decimal,
    area_min_pct: Decimal,
) -> ScreeningResult:
    """Every question scores 0–3. An area's score is its points as a percentage of the
    maximum; so is the total. Outcome: *ready* when the total reaches ``ready_pct`` and no area
    is below ``area_min_pct``; *ready with conditions* when the total reaches
    ``conditions_pct``; else *not yet*. The weakest areas are those below ``area_min_pct``, or
    when there are none, the lowest-scoring area(s) if below 100 %."""
    scores = []
    for area in areas:
        codes = [q["code"] for q in area.get("questions", [])]
        scores.append(
            AreaScore(
                code=area["code"],
                title=area["title"],
                points=sum(int(answers[c]) for c in codes),
                max_points=MAX_SCORE * len(codes),
            )
        )
    points = sum(a.points for a in scores)
    max_points = sum(a.max_points for a in scores)
    total = round1(Decimal(points) * 100 / Decimal(max_points)) if max_points else Decimal(0)
    below = sorted((a for a in scores if a.pct < Decimal(area_min_pct)), key=lambda a: (a.pct, a.code))
    if total >= Decimal(ready_pct) and not below:
        outcome = READY
    elif total >= Decimal(conditions_pct):
        outcome = CONDITIONS
    else:
        outcome = NOT_YET
    if below:
        weakest = [a.code for a in below]
    else:
        lowest = min((a.pct for a in scores), default=Decimal(100))
        weakest = [a.code for a in scores if a.pct == lowest and lowest < 100]
    return ScreeningResult(scores, points, max_points, outcome, weakest)


@dataclass(frozen=True)
class PackageLine:
    part: str
    amount: Decimal
    deducted: Decimal = Decimal(0)

    @property
    def net(self) -> Decimal:
        return self.amount - self.deducted


@dataclass(frozen=True)
class PackageAmount:
    lines: list[PackageLine]

    @property
    def gross(self) -> Decimal:
        return sum((line.amount for line in self.lines), Decimal(0))

    @property
    def deduction(self) -> Decimal:
        return sum((line.deducted for line in self.lines), Decimal(0))

    @property
    def total(self) -> Decimal:
        return self.gross - self.deduction


def package_amount(
    *, prices: Mapping[str, Decimal], additions: Iterable[str], own_software: bool, software: str = "software"
) -> PackageAmount:
    """Base package plus the chosen additions at the year's prices; the software part is
    deducted (charged 0) when the screening found equivalent own software."""
    lines = [PackageLine("base", Decimal(prices["base"]))]
    for part in additions:
        amount = Decimal(prices[part])
        lines.append(PackageLine(part, amount, amount if part == software and own_software else Decimal(0)))
    return PackageAmount(lines)
