"""Reads of costing: the rate card in force, year settings, group share and the weekly budget
of a client (domain page sections 4 and 5). Every selector takes the organisation (or an
object that carries it)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import formulas
from .models import (
    CostPriceModel,
    GroupCare,
    ModelLevel,
    OrganisationYearSettings,
    StaffLevel,
    Tariff,
)

# Who can fix what (shown with every missing piece).
WHO_TARIFF = "platform"
WHO_FINANCIAL = "financial"
WHO_TEAM = "team_leader"
WHO_CARE = "care"


def _level_id(level: StaffLevel | int) -> int:
    return level if isinstance(level, int) else level.pk


# Staff levels and models -------------------------------------------------------------------


def staff_levels(*, organisation: Any) -> QuerySet[StaffLevel]:
    return StaffLevel.objects.for_organisation(organisation).order_by("order", "name")


def models_for(*, organisation: Any, year: int | None = None) -> QuerySet[CostPriceModel]:
    qs = CostPriceModel.objects.for_organisation(organisation).select_related(
        "published_by", "created_by", "based_on"
    )
    if year is not None:
        qs = qs.filter(year=year)
    return qs.order_by("-year", "-version")


def model_in_force(*, organisation: Any, on_date: datetime.date) -> CostPriceModel | None:
    """The published model with the latest effective date on or before ``on_date``."""
    return (
        CostPriceModel.objects.for_organisation(organisation)
        .filter(status=CostPriceModel.Status.PUBLISHED, effective_from__lte=on_date)
        .order_by("-effective_from", "-version")
        .first()
    )


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


def level_rates(*, model: CostPriceModel) -> dict[int, LevelRate]:
    rows = (
        ModelLevel.objects.for_organisation(model.organisation_id)
        .filter(model=model)
        .select_related("staff_level")
        .order_by("staff_level__order", "staff_level__name")
    )
    result: dict[int, LevelRate] = {}
    for row in rows:
        row.model = model
        result[row.staff_level_id] = LevelRate(row.staff_level, row, row.build_up())
    return result


def rate_card_for_model(*, model: CostPriceModel) -> RateCard:
    return RateCard(model=model, levels=level_rates(model=model))


def rate_card(*, organisation: Any, on_date: datetime.date) -> RateCard | None:
    model = model_in_force(organisation=organisation, on_date=on_date)
    if model is None:
        return None
    return rate_card_for_model(model=model)


# Year settings, tariffs and group care -------------------------------------------------------


def year_settings(*, organisation: Any, year: int) -> OrganisationYearSettings | None:
    return (
        OrganisationYearSettings.objects.for_organisation(organisation)
        .filter(year=year)
        .select_related("reference_level")
        .first()
    )


def tariff_for(
    *, year: int, care_profile: str, with_treatment: bool, with_day_activities: bool
) -> Tariff | None:
    return (
        Tariff.objects.filter(
            year=year,
            care_profile=care_profile,
            with_treatment=with_treatment,
            with_day_activities=with_day_activities,
        )
        .select_related("source_import")
        .first()
    )


def tariffs(*, year: int | None = None) -> QuerySet[Tariff]:
    qs = Tariff.objects.select_related("source_import")
    if year is not None:
        qs = qs.filter(year=year)
    return qs


def tariff_years() -> list[int]:
    return list(Tariff.objects.order_by("-year").values_list("year", flat=True).distinct())


def group_care_rows(*, department: Any, year: int) -> QuerySet[GroupCare]:
    return (
        GroupCare.objects.for_organisation(department.organisation_id)
        .filter(department=department, year=year)
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
    department: Any
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


def group_share_for_department(*, department: Any, year: int, card: RateCard | None) -> GroupShare:
    lines = [
        GroupShareLine(row.staff_level, row.hours_per_week, card.rate(row.staff_level_id) if card else None)
        for row in group_care_rows(department=department, year=year)
    ]
    missing = [line.level for line in lines if line.rate is None]
    amount = None
    if card is not None and not missing:
        amount = formulas.group_share(
            ((line.hours_per_week, line.rate) for line in lines if line.rate is not None),
            department.places,
        )
    return GroupShare(department, year, department.places, lines, amount, missing)


# The weekly budget of a client ---------------------------------------------------------------


@dataclass(frozen=True)
class Missing:
    message: str
    who: str

    def __str__(self) -> str:
        return self.message


@dataclass
class Budget:
    """The waterfall R, H, G, B of one client on one date (domain page section 5).

    Figures are None when an input is missing; ``missing`` then says what and who can fix it.
    ``personal_budget`` is never negative (``raw_budget`` may be, with a warning).
    """

    client: Any
    on_date: datetime.date
    care_revenue: Decimal | None = None  # R
    hotel_deduction: Decimal | None = None  # H
    group_share: Decimal | None = None  # G
    personal_budget: Decimal | None = None  # max(B, 0)
    raw_budget: Decimal | None = None  # B = R - H - G
    hours_at_reference: Decimal | None = None
    reference_level: StaffLevel | None = None
    reference_rate: Decimal | None = None
    tariff: Tariff | None = None
    model: CostPriceModel | None = None
    indication: Any = None
    settings: OrganisationYearSettings | None = None
    group: GroupShare | None = None
    missing: list[str] = field(default_factory=list)
    missing_detail: list[Missing] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def is_complete(self) -> bool:
        return self.personal_budget is not None

    @property
    def is_negative(self) -> bool:
        return self.raw_budget is not None and self.raw_budget < 0

    def _missing(self, message: str, who: str) -> None:
        self.missing.append(message)
        self.missing_detail.append(Missing(message, who))


def _profile_label(code: str) -> str:
    return "9VV B" if code == "9VVB" else code


def _variant_label(with_treatment: bool, with_day_activities: bool) -> str:
    treatment = _("met behandeling") if with_treatment else _("zonder behandeling")
    day = _("met dagbesteding") if with_day_activities else _("zonder dagbesteding")
    return f"{treatment}, {day}"


class BudgetLookups:
    """Memoised inputs of ``budget_for_client`` for one date, so many budgets (a department
    list) share one rate card, one set of year settings, one tariff per profile and variant and
    one group share per department instead of repeating them per client."""

    def __init__(self, *, on_date: datetime.date, indications: dict[int, Any] | None = None) -> None:
        self.on_date = on_date
        self._indications = indications
        self._memo: dict[tuple[Any, ...], Any] = {}

    def _get(self, key: tuple[Any, ...], compute: Any) -> Any:
        if key not in self._memo:
            self._memo[key] = compute()
        return self._memo[key]

    def indication(self, client: Any) -> Any:
        if self._indications is not None:
            return self._indications.get(client.pk)
        from clients.selectors import indication_in_force

        return indication_in_force(client=client, on_date=self.on_date)

    def tariff(
        self, *, year: int, care_profile: str, with_treatment: bool, with_day_activities: bool
    ) -> Tariff | None:
        key = ("tariff", year, care_profile, with_treatment, with_day_activities)
        return self._get(
            key,
            lambda: tariff_for(
                year=year,
                care_profile=care_profile,
                with_treatment=with_treatment,
                with_day_activities=with_day_activities,
            ),
        )

    def settings(self, organisation: Any, year: int) -> OrganisationYearSettings | None:
        return self._get(
            ("settings", getattr(organisation, "pk", organisation), year),
            lambda: year_settings(organisation=organisation, year=year),
        )

    def card(self, organisation: Any) -> RateCard | None:
        return self._get(
            ("card", getattr(organisation, "pk", organisation)),
            lambda: rate_card(organisation=organisation, on_date=self.on_date),
        )

    def group(self, department: Any, year: int, card: RateCard | None) -> GroupShare:
        return self._get(
            ("group", department.pk, year),
            lambda: group_share_for_department(department=department, year=year, card=card),
        )


def budgets_for_clients(*, clients: list[Any], on_date: datetime.date) -> dict[int, Budget]:
    """``budget_for_client`` for many clients of one organisation at once, in a bounded number
    of queries (the indications in force come in one query)."""
    from .batch import budgets_on  # six queries in all (issue 16), from preloaded inputs

    return budgets_on(clients=clients, on_date=on_date)


def _historic_without_tariff(profile: str, year: int) -> int | None:
    """The last tariff year of a historic profile (1VV-3VV) when ``year`` is after it, else None."""
    from clients.profiles import HISTORIC, HISTORIC_LAST_TARIFF_YEAR

    return HISTORIC_LAST_TARIFF_YEAR if profile in HISTORIC and year > HISTORIC_LAST_TARIFF_YEAR else None


def budget_for_client(*, client: Any, on_date: datetime.date, lookups: BudgetLookups | None = None) -> Budget:
    """The weekly budget of ``client`` on ``on_date``: fed by the indication in force, the
    tariff of its year and variant, the organisation's year settings, the published model in
    force and the group-bound care of the client's department."""
    lookups = lookups or BudgetLookups(on_date=on_date)
    organisation = client.organisation_id  # the id: no query for the organisation row
    budget = Budget(client=client, on_date=on_date)
    year = on_date.year

    indication = lookups.indication(client)
    budget.indication = indication
    if indication is None:
        budget._missing(
            _(
                "Er is geen indicatie van kracht op %(date)s. Een zorgprofessional of teamleider kan de "
                "CIZ-indicatie bij de cliënt vastleggen."
            )
            % {"date": on_date.strftime("%d-%m-%Y")},
            WHO_CARE,
        )
    else:
        budget.tariff = lookups.tariff(
            year=year,
            care_profile=indication.care_profile,
            with_treatment=indication.with_treatment,
            with_day_activities=indication.with_day_activities,
        )
        last_year = _historic_without_tariff(indication.care_profile, year)
        if budget.tariff is None and last_year is not None:
            # No tariff file will ever hold it: send the user to the indication, not to Tarieven.
            budget._missing(
                _(
                    "%(profile)s is een historisch zorgprofiel; na %(last)s is er geen tarief meer voor. "
                    "Een zorgprofessional of teamleider legt de huidige CIZ-indicatie (4VV tot en met 10VV) "
                    "bij de cliënt vast."
                )
                % {"profile": _profile_label(indication.care_profile), "last": last_year},
                WHO_CARE,
            )
        elif budget.tariff is None:
            budget._missing(
                _(
                    "Er is geen tarief voor %(profile)s (%(variant)s) in %(year)s. Een platformbeheerder "
                    "(staf) kan de tarieventabel van %(year)s importeren onder Tarieven."
                )
                % {
                    "profile": _profile_label(indication.care_profile),
                    "variant": _variant_label(indication.with_treatment, indication.with_day_activities),
                    "year": year,
                },
                WHO_TARIFF,
            )

    budget.settings = lookups.settings(organisation, year)
    if budget.settings is None:
        budget._missing(
            _(
                "De jaarinstellingen van %(year)s (contractpercentage, hotelkosten) ontbreken. Een "
                "financieel medewerker kan ze vastleggen onder Kostprijs > Jaarinstellingen."
            )
            % {"year": year},
            WHO_FINANCIAL,
        )

    card = lookups.card(organisation)
    budget.model = card.model if card else None
    if card is None:
        budget._missing(
            _(
                "Er is geen gepubliceerd kostprijsmodel van kracht op %(date)s. Een financieel medewerker "
                "kan een model publiceren onder Kostprijs > Kostprijsmodellen."
            )
            % {"date": on_date.strftime("%d-%m-%Y")},
            WHO_FINANCIAL,
        )

    department = getattr(client, "department", None)
    if department is None:
        budget._missing(
            _("De cliënt is niet op een afdeling geplaatst. Een teamleider kan de afdeling vastleggen."),
            WHO_TEAM,
        )
    elif card is not None:
        budget.group = lookups.group(department, year, card)
        if budget.group.missing_levels:
            budget._missing(
                _(
                    "Het kostprijsmodel in kracht heeft geen tarief voor %(levels)s, dat in de "
                    "groepsgebonden zorg van %(department)s staat. Een financieel medewerker kan het "
                    "niveau aan het model toevoegen."
                )
                % {
                    "levels": ", ".join(str(level) for level in budget.group.missing_levels),
                    "department": department,
                },
                WHO_FINANCIAL,
            )
        elif not budget.group.lines:
            budget.warnings.append(
                _(
                    "Voor %(department)s is in %(year)s geen groepsgebonden zorg vastgelegd; het "
                    "groepsdeel is 0,00."
                )
                % {"department": department, "year": year}
            )

    if budget.tariff is not None and budget.settings is not None:
        budget.care_revenue = formulas.weekly_care_revenue(
            budget.tariff.care_per_day, budget.settings.contract_percentage
        )
    if budget.settings is not None:
        budget.hotel_deduction = formulas.hotel_deduction(budget.settings.hotel_costs_per_day)
    if budget.group is not None:
        budget.group_share = budget.group.amount

    if None not in (budget.care_revenue, budget.hotel_deduction, budget.group_share):
        assert budget.care_revenue is not None
        assert budget.hotel_deduction is not None
        assert budget.group_share is not None
        budget.raw_budget = formulas.personal_budget(
            budget.care_revenue, budget.hotel_deduction, budget.group_share
        )
        budget.personal_budget = formulas.shown_budget(budget.raw_budget)
        if budget.raw_budget < 0:
            budget.warnings.append(
                _(
                    "Het berekende budget is negatief (%(amount)s); het wordt als 0,00 getoond. Controleer "
                    "de hotelkosten en de groepsgebonden zorg van de afdeling."
                )
                % {"amount": f"{budget.raw_budget:.2f}".replace(".", ",")}
            )
        _reference_hours(budget, card)
    return budget


def _reference_hours(budget: Budget, card: RateCard | None) -> None:
    settings = budget.settings
    if card is None or settings is None or budget.personal_budget is None:
        return
    level = settings.reference_level
    if level is None:
        budget.warnings.append(
            _(
                "Er is geen referentieniveau ingesteld; het budget wordt niet in uren getoond. Een "
                "financieel medewerker kan dit instellen in de jaarinstellingen."
            )
        )
        return
    rate = card.rate(level)
    budget.reference_level = level
    if rate is None or rate <= 0:
        budget.warnings.append(
            _("Het referentieniveau %(level)s staat niet in het kostprijsmodel in kracht.") % {"level": level}
        )
        return
    budget.reference_rate = rate
    budget.hours_at_reference = formulas.hours_at_rate(budget.personal_budget, rate)


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
    ("effective_from", gettext_lazy("Ingangsdatum")),
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
        level = (a or b).level  # type: ignore[union-attr]
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
