"""Reads of costing (domain page section 4): staff levels, cost-price models and the rate card
of the model in force, year settings, the group share of a department and the comparison of
two model versions. Every selector takes the organisation (or an object that carries it).
The weekly budget is in ``budget``, the national tariff table in ``tariffs``."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db.models import QuerySet, Subquery
from django.utils.translation import gettext_lazy, pgettext_lazy

from . import formulas
from .models import (
    CostPriceModel,
    GroupCare,
    ModelLevel,
    OrganisationYearSettings,
    StaffLevel,
)

if TYPE_CHECKING:
    from ipvb.models import Department, Organisation


def _level_id(level: StaffLevel | int) -> int:
    return level if isinstance(level, int) else level.pk


# Staff levels and models -------------------------------------------------------------------


def staff_levels(*, organisation: Organisation | int) -> QuerySet[StaffLevel]:
    return StaffLevel.objects.for_organisation(organisation).order_by("order", "name")


def models_for(*, organisation: Organisation | int, year: int | None = None) -> QuerySet[CostPriceModel]:
    qs = CostPriceModel.objects.for_organisation(organisation).select_related(
        "published_by", "created_by", "based_on"
    )
    if year is not None:
        qs = qs.filter(year=year)
    return qs.order_by("-year", "-version")


def _in_force(organisation: Organisation | int, on_date: datetime.date) -> QuerySet[CostPriceModel]:
    return (
        CostPriceModel.objects.for_organisation(organisation)
        .filter(status=CostPriceModel.Status.PUBLISHED, effective_from__lte=on_date)
        .order_by("-effective_from", "-version")
    )


def model_in_force(*, organisation: Organisation | int, on_date: datetime.date) -> CostPriceModel | None:
    """The published model with the latest effective date on or before ``on_date``."""
    return _in_force(organisation, on_date).first()


@dataclass(frozen=True)
class LevelRate:
    level: StaffLevel
    model_level: ModelLevel
    build_up: formulas.LevelBuildUp

    @property
    def rate(self) -> Decimal:
        return self.build_up.integral_rate


@dataclass
class RateCard:
    """The integral hourly rates K of the published model in force."""

    model: CostPriceModel
    levels: dict[int, LevelRate]

    @property
    def rates(self) -> dict[int, Decimal]:
        """K per StaffLevel id."""
        return {level_id: entry.rate for level_id, entry in self.levels.items()}

    def rate(self, level: StaffLevel | int) -> Decimal | None:
        """K of ``level`` (a StaffLevel or its id); None when the model has no such level."""
        entry = self.levels.get(_level_id(level))
        return entry.rate if entry else None

    def client_bound_hours(self, level: StaffLevel | int | None = None) -> Decimal:
        """C: client-bound hours per FTE per year (model-wide; the same for every level)."""
        return self.model.inputs.client_bound_hours

    def fte_required(self, hours_per_week: Decimal) -> Decimal:
        return formulas.fte_required(hours_per_week, self.client_bound_hours())


def _levels(organisation: Organisation | int) -> QuerySet[ModelLevel]:
    return (
        ModelLevel.objects.for_organisation(organisation)
        .select_related("staff_level")
        .order_by("staff_level__order", "staff_level__name")
    )


def _rates(rows: Iterable[ModelLevel], model: CostPriceModel) -> dict[int, LevelRate]:
    result: dict[int, LevelRate] = {}
    for row in rows:
        row.model = model  # one model instance for every level
        result[row.staff_level_id] = LevelRate(row.staff_level, row, row.build_up())
    return result


def level_rates(*, model: CostPriceModel) -> dict[int, LevelRate]:
    return _rates(_levels(model.organisation_id).filter(model=model), model)


def rate_card_for_model(*, model: CostPriceModel) -> RateCard:
    return RateCard(model=model, levels=level_rates(model=model))


def rate_card(*, organisation: Organisation | int, on_date: datetime.date) -> RateCard | None:
    """The rate card of the model in force on ``on_date``, in one query: its levels with the
    model (in force as a subquery) and their staff levels. Only a model in force without any
    level takes a second query."""
    rows = list(
        _levels(organisation)
        .filter(model=Subquery(_in_force(organisation, on_date).values("pk")[:1]))
        .select_related("model")
    )
    if rows:
        return RateCard(model=rows[0].model, levels=_rates(rows, rows[0].model))
    model = model_in_force(organisation=organisation, on_date=on_date)
    return None if model is None else RateCard(model=model, levels={})


# Year settings and group care -------------------------------------------------------------


def year_settings(*, organisation: Organisation | int, year: int) -> OrganisationYearSettings | None:
    return (
        OrganisationYearSettings.objects.for_organisation(organisation)
        .filter(year=year)
        .select_related("reference_level")
        .first()
    )


def group_care_rows(*, department: Department, year: int) -> QuerySet[GroupCare]:
    return group_care_of(organisation=department.organisation_id, department=department.pk, year=year)


def group_care_of(*, organisation: int, department: int, year: int) -> QuerySet[GroupCare]:
    """``group_care_rows`` by ids."""
    return (
        GroupCare.objects.for_organisation(organisation)
        .filter(department_id=department, year=year)
        .select_related("staff_level")
        .order_by("staff_level__order", "staff_level__name")
    )


@dataclass(frozen=True)
class GroupShareLine:
    level: StaffLevel
    hours_per_week: Decimal
    rate: Decimal | None

    @property
    def cost_per_week(self) -> Decimal | None:
        return None if self.rate is None else self.hours_per_week * self.rate


@dataclass
class GroupShare:
    department: Department
    year: int
    places: int
    lines: list[GroupShareLine]
    amount: Decimal | None  # G per place per week; None when a level has no rate
    missing_levels: list[StaffLevel] = field(default_factory=list)

    @property
    def total_hours(self) -> Decimal:
        return sum((line.hours_per_week for line in self.lines), Decimal(0))

    @property
    def total_cost(self) -> Decimal | None:
        if self.missing_levels:
            return None
        return sum((line.cost_per_week or Decimal(0) for line in self.lines), Decimal(0))


def group_share_for_department(*, department: Department, year: int, card: RateCard | None) -> GroupShare:
    return group_share_from_rows(
        department=department, year=year, card=card, rows=group_care_rows(department=department, year=year)
    )


def group_share_from_rows(
    *, department: Department, year: int, card: RateCard | None, rows: Iterable[GroupCare]
) -> GroupShare:
    """G of ``department`` from its group-care ``rows`` of ``year`` (``group_care_rows``)."""
    lines = [
        GroupShareLine(row.staff_level, row.hours_per_week, card.rate(row.staff_level_id) if card else None)
        for row in rows
    ]
    missing = [line.level for line in lines if line.rate is None]
    amount = None
    if card is not None and not missing:
        amount = formulas.group_share(
            ((line.hours_per_week, line.rate) for line in lines if line.rate is not None),
            department.places,
        )
    return GroupShare(department, year, department.places, lines, amount, missing)


# Comparing versions ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Change:
    label: str
    old: Any
    new: Any

    @property
    def changed(self) -> bool:
        return self.old != self.new


MODEL_INPUT_LABELS = (
    ("effective_from", pgettext_lazy("version", "Ingangsdatum")),
    ("paid_hours_per_fte", gettext_lazy("P betaalde uren per fte")),
    ("leave_pct", gettext_lazy("l verlof %")),
    ("sickness_pct", gettext_lazy("s verzuim %")),
    ("training_pct", gettext_lazy("t scholing %")),
    ("client_bound_pct", gettext_lazy("b cliëntgebonden deel %")),
    ("overhead_pct", gettext_lazy("o opslag overhead %")),
)
LEVEL_INPUT_LABELS = (
    ("salary", "S"),
    ("holiday_pct", "h"),
    ("year_end_pct", "y"),
    ("irregular_pct", "r"),
    ("employer_charges_pct", "e"),
)


def model_diff(*, old: CostPriceModel, new: CostPriceModel) -> dict[str, Any]:
    """What changed between two versions: model inputs, and per level inputs and K."""
    inputs = [
        Change(str(label), getattr(old, name), getattr(new, name)) for name, label in MODEL_INPUT_LABELS
    ]
    old_levels, new_levels = level_rates(model=old), level_rates(model=new)
    levels = []
    for level_id in list(old_levels) + [i for i in new_levels if i not in old_levels]:
        a, b = old_levels.get(level_id), new_levels.get(level_id)
        entry = a or b
        assert entry is not None  # the id comes from one of the two models
        level = entry.level
        changes = [
            Change(
                label,
                getattr(a.model_level, name) if a else None,
                getattr(b.model_level, name) if b else None,
            )
            for name, label in LEVEL_INPUT_LABELS
        ]
        changes.append(Change("K", a.rate if a else None, b.rate if b else None))
        levels.append({"level": level, "changes": changes, "added": a is None, "removed": b is None})
    return {"inputs": inputs, "levels": levels}


def reference_date(*, year: int, today: datetime.date) -> datetime.date:
    """The date a year's figures are shown on: today within the year, else its first or last day."""
    if today.year == year:
        return today
    return datetime.date(year, 12, 31) if year < today.year else datetime.date(year, 1, 1)
