"""Set-based budgets (issue 16): the inputs of ``budget_for_client`` for any set of clients and
dates in a fixed number of queries per batch (indications, tariffs, year settings, published
models, their levels, group-bound care: six), never per client, date or organisation.

The figures themselves come from the one per-client path (``budget.budget_for_client``),
fed by lookups that read from the preloaded rows, so the batch equals the per-client path to
the cent by construction (a property test compares them on generated data).

``scope(model)`` gives the base queryset of a tenant model: the default is one organisation
(``for_organisation``); reporting passes its own scope to cover several organisations at once.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

from django.db.models import Q, QuerySet

from . import formulas
from .budget import Budget, BudgetLookups, budget_for_client
from .models import CostPriceModel, GroupCare, ModelLevel, OrganisationYearSettings, Tariff
from .selectors import GroupShare, GroupShareLine, LevelRate, RateCard

if TYPE_CHECKING:
    from ipvb.models import Organisation

Scope = Callable[[Any], QuerySet]


def _id(organisation: Organisation | int) -> int:
    return organisation if isinstance(organisation, int) else organisation.pk


def organisation_scope(organisation: Organisation | int) -> Scope:
    """The scope of one organisation (an Organisation or its id)."""
    return lambda model: model.objects.for_organisation(organisation)


class BudgetInputs:
    """Every row a budget reads, for ``clients`` on ``dates``, loaded once."""

    def __init__(self, *, clients: list[Any], dates: Iterable[datetime.date], scope: Scope) -> None:
        dates = sorted(set(dates))
        self.clients = clients
        self.scope = scope
        self._cards: dict[int, RateCard] = {}
        self._groups: dict[tuple[int, int, int], GroupShare] = {}
        if not clients or not dates:
            self.indications: dict[int, list[Any]] = {}
            self.tariffs: dict[tuple[int, str, bool, bool], Tariff] = {}
            self.settings: dict[tuple[int, int], OrganisationYearSettings] = {}
            self.models: dict[int, list[CostPriceModel]] = {}
            self.group_rows: dict[tuple[int, int], list[GroupCare]] = {}
            return
        from clients.models import Indication

        first, last = dates[0], dates[-1]
        years = sorted({d.year for d in dates})
        client_ids = [c.pk for c in clients]
        org_ids = sorted({c.organisation_id for c in clients})
        department_ids = sorted({c.department_id for c in clients if c.department_id})

        self.indications = defaultdict(list)
        for indication in (
            scope(Indication)
            .filter(client_id__in=client_ids, start_date__lte=last)
            .filter(Q(end_date__isnull=True) | Q(end_date__gte=first))
            .order_by("client_id", "-start_date")
        ):
            self.indications[indication.client_id].append(indication)

        self.tariffs = {}
        for tariff in Tariff.objects.filter(year__in=years).select_related("source_import").order_by("pk"):
            key = (tariff.year, tariff.care_profile, tariff.with_treatment, tariff.with_day_activities)
            self.tariffs.setdefault(key, tariff)

        self.settings = {
            (row.organisation_id, row.year): row
            for row in scope(OrganisationYearSettings)
            .filter(organisation_id__in=org_ids, year__in=years)
            .select_related("reference_level")
        }

        self.models = defaultdict(list)
        for model in (
            scope(CostPriceModel)
            .filter(
                organisation_id__in=org_ids,
                status=CostPriceModel.Status.PUBLISHED,
                effective_from__lte=last,
            )
            .order_by("organisation_id", "-effective_from", "-version")
        ):
            self.models[model.organisation_id].append(model)
        by_pk = {model.pk: model for models in self.models.values() for model in models}
        levels: dict[int, dict[int, LevelRate]] = defaultdict(dict)
        if by_pk:
            for row in (
                scope(ModelLevel)
                .filter(model_id__in=list(by_pk))
                .select_related("staff_level")
                .order_by("model_id", "staff_level__order", "staff_level__name")
            ):
                row.model = by_pk[row.model_id]
                levels[row.model_id][row.staff_level_id] = LevelRate(row.staff_level, row, row.build_up())
        self._cards = {pk: RateCard(model=model, levels=levels.get(pk, {})) for pk, model in by_pk.items()}

        self.group_rows = defaultdict(list)
        if department_ids:
            for row in (
                scope(GroupCare)
                .filter(department_id__in=department_ids, year__in=years)
                .select_related("staff_level")
                .order_by("department_id", "year", "staff_level__order", "staff_level__name")
            ):
                self.group_rows[(row.department_id, row.year)].append(row)

    # The lookups of one date ----------------------------------------------------------------

    def indication(self, client: Any, on_date: datetime.date) -> Any:
        for indication in self.indications.get(client.pk, ()):  # newest start first
            if indication.start_date <= on_date and (
                indication.end_date is None or indication.end_date >= on_date
            ):
                return indication
        return None

    def card(self, organisation_id: int, on_date: datetime.date) -> RateCard | None:
        for model in self.models.get(organisation_id, ()):  # latest effective date first
            if model.effective_from <= on_date:
                return self._cards[model.pk]
        return None

    def group(self, department: Any, year: int, card: RateCard | None) -> GroupShare:
        key = (department.pk, year, card.model.pk if card else 0)
        if key not in self._groups:
            lines = [
                GroupShareLine(
                    row.staff_level, row.hours_per_week, card.rate(row.staff_level_id) if card else None
                )
                for row in self.group_rows.get((department.pk, year), ())
            ]
            missing = [line.level for line in lines if line.rate is None]
            amount = None
            if card is not None and not missing:
                amount = formulas.group_share(
                    ((line.hours_per_week, line.rate) for line in lines if line.rate is not None),
                    department.places,
                )
            self._groups[key] = GroupShare(department, year, department.places, lines, amount, missing)
        return self._groups[key]

    def lookups(self, on_date: datetime.date) -> PreloadedLookups:
        return PreloadedLookups(inputs=self, on_date=on_date)


class PreloadedLookups(BudgetLookups):
    """``BudgetLookups`` of one date that never query: they read the preloaded rows."""

    def __init__(self, *, inputs: BudgetInputs, on_date: datetime.date) -> None:
        super().__init__(on_date=on_date)
        self.inputs = inputs

    def indication(self, client: Any) -> Any:
        return self.inputs.indication(client, self.on_date)

    def tariff(
        self, *, year: int, care_profile: str, with_treatment: bool, with_day_activities: bool
    ) -> Tariff | None:
        return self.inputs.tariffs.get((year, care_profile, with_treatment, with_day_activities))

    def settings(self, organisation: Organisation | int, year: int) -> OrganisationYearSettings | None:
        return self.inputs.settings.get((_id(organisation), year))

    def card(self, organisation: Organisation | int) -> RateCard | None:
        return self.inputs.card(_id(organisation), self.on_date)

    def group(self, department: Any, year: int, card: RateCard | None) -> GroupShare:
        return self.inputs.group(department, year, card)


def budgets_for_pairs(
    *, pairs: list[tuple[Any, datetime.date]], scope: Scope | None = None
) -> dict[tuple[int, datetime.date], Budget]:
    """The budget of every (client, date) pair, keyed by (client id, date), in six queries.
    Clients need their ``department`` loaded (``select_related``). Without ``scope`` all clients
    must belong to one organisation."""
    if not pairs:
        return {}
    clients = list({client.pk: client for client, _date in pairs}.values())
    if scope is None:
        organisations = {client.organisation_id for client in clients}
        if len(organisations) != 1:
            raise ValueError("budgets_for_pairs: clients of several organisations need a scope.")
        scope = organisation_scope(organisations.pop())
    inputs = BudgetInputs(clients=clients, dates=[on_date for _client, on_date in pairs], scope=scope)
    lookups: dict[datetime.date, PreloadedLookups] = {}
    result: dict[tuple[int, datetime.date], Budget] = {}
    for client, on_date in pairs:
        if on_date not in lookups:
            lookups[on_date] = inputs.lookups(on_date)
        result[(client.pk, on_date)] = budget_for_client(
            client=client, on_date=on_date, lookups=lookups[on_date]
        )
    return result


def budgets_on(
    *, clients: list[Any], on_date: datetime.date, scope: Scope | None = None
) -> dict[int, Budget]:
    """The budgets of ``clients`` (of any organisations, with ``scope``) on one date."""
    budgets = budgets_for_pairs(pairs=[(client, on_date) for client in clients], scope=scope)
    return {client_id: budget for (client_id, _date), budget in budgets.items()}
