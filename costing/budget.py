"""The weekly budget of a client (domain page section 5): the waterfall R - H - G = B on a
date, fed by the indication in force, the tariff of its year and variant, the organisation's
year settings, the published model in force and the group-bound care of the client's
department. When an input is missing the budget says what, and who can fix it.
``budgets_for_clients`` computes many at once from preloaded inputs (``batch``)."""

from __future__ import annotations

import datetime
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext as _

from . import formulas
from .models import CostPriceModel, OrganisationYearSettings, StaffLevel, Tariff
from .selectors import GroupShare, RateCard, group_share_for_department, rate_card, year_settings
from .tariffs import tariff_for

if TYPE_CHECKING:
    from clients.models import Client, Indication
    from ipvb.models import Department, Organisation

# Who can fix what (shown with every missing piece).
WHO_TARIFF = "platform"
WHO_FINANCIAL = "financial"
WHO_TEAM = "team_leader"
WHO_CARE = "care"


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

    client: Client
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
    indication: Indication | None = None
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

    def __init__(
        self, *, on_date: datetime.date, indications: Mapping[int, Indication | None] | None = None
    ) -> None:
        self.on_date = on_date
        self._indications = indications
        self._memo: dict[tuple[Any, ...], Any] = {}

    def preload(self, key: tuple[Any, ...], value: Any) -> None:
        """An input read elsewhere (e.g. with others in one query), under the key its lookup uses."""
        self._memo[key] = value

    def _get(self, key: tuple[Any, ...], compute: Callable[[], Any]) -> Any:
        if key not in self._memo:
            self._memo[key] = compute()
        return self._memo[key]

    def indication(self, client: Client) -> Indication | None:
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

    def settings(self, organisation: Organisation | int, year: int) -> OrganisationYearSettings | None:
        return self._get(
            ("settings", getattr(organisation, "pk", organisation), year),
            lambda: year_settings(organisation=organisation, year=year),
        )

    def card(self, organisation: Organisation | int) -> RateCard | None:
        return self._get(
            ("card", getattr(organisation, "pk", organisation)),
            lambda: rate_card(organisation=organisation, on_date=self.on_date),
        )

    def group(self, department: Department, year: int, card: RateCard | None) -> GroupShare:
        return self._get(
            ("group", department.pk, year),
            lambda: group_share_for_department(department=department, year=year, card=card),
        )


def budgets_for_clients(*, clients: list[Client], on_date: datetime.date) -> dict[int, Budget]:
    """``budget_for_client`` for many clients of one organisation at once, in a bounded number
    of queries (the indications in force come in one query)."""
    from .batch import budgets_on  # six queries in all (issue 16), from preloaded inputs

    return budgets_on(clients=clients, on_date=on_date)


def _historic_without_tariff(profile: str, year: int) -> int | None:
    """The last tariff year of a historic profile (1VV-3VV) when ``year`` is after it, else None."""
    from clients.profiles import HISTORIC, HISTORIC_LAST_TARIFF_YEAR

    return HISTORIC_LAST_TARIFF_YEAR if profile in HISTORIC and year > HISTORIC_LAST_TARIFF_YEAR else None


def budget_for_client(
    *, client: Client, on_date: datetime.date, lookups: BudgetLookups | None = None
) -> Budget:
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
