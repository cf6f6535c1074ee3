"""What-if of a draft cost-price model (domain page section 11): the packages in force priced
with the draft instead of the published model."""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import QuerySet

from clients.models import Indication
from clients.selectors import indications_in_force
from conversations.models import Package, PackageLine
from conversations.selectors import packages_in_force
from costing.budget import BudgetLookups, budget_for_client
from costing.models import CostPriceModel
from costing.selectors import RateCard, rate_card_for_model, year_settings
from ipvb.models import Organisation

from .. import formulas
from .snapshots import D0


@dataclass
class WhatIf:
    model: CostPriceModel
    packages: int
    current_over_budget: int
    current_over_tolerance: int
    over_budget: int
    over_tolerance: int
    budget_before: Decimal
    budget_after: Decimal
    total_before: Decimal
    total_after: Decimal
    missing_levels: int = 0


class _DraftLookups(BudgetLookups):
    """The budget inputs of ``BudgetLookups`` with the draft's rate card for every client."""

    def __init__(
        self, *, card: RateCard, on_date: datetime.date, indications: Mapping[int, Indication | None]
    ) -> None:
        super().__init__(on_date=on_date, indications=indications)
        self._card = card

    def card(self, organisation: Organisation | int) -> RateCard:
        return self._card


def draft_models(*, organisation: Organisation) -> QuerySet[CostPriceModel]:
    return (
        CostPriceModel.objects.for_organisation(organisation)
        .filter(status=CostPriceModel.Status.DRAFT)
        .order_by("-year", "-version")
    )


def draft_model_effect(
    *, organisation: Organisation, model: CostPriceModel, on_date: datetime.date
) -> WhatIf:
    """Re-prices every package in force on ``on_date`` and every budget with the K of the draft
    ``model``: how many go over budget and over tolerance, against today."""
    tolerance = year_settings(organisation=organisation, year=on_date.year)
    tolerance_pct = (tolerance.overrun_tolerance_pct if tolerance else None) or Decimal("5")
    packages = list(
        packages_in_force(organisation=organisation, on_date=on_date)
        .select_related("client", "client__department", "client__organisation")
        .order_by("client_id", "-start_date")
    )
    latest: dict[int, Package] = {}
    for package in packages:
        latest.setdefault(package.client_id, package)
    clients = [p.client for p in latest.values()]
    draft_card = rate_card_for_model(model=model)
    indications = indications_in_force(clients=clients, on_date=on_date)
    now_lookups = BudgetLookups(on_date=on_date, indications=indications)
    new_lookups = _DraftLookups(card=draft_card, on_date=on_date, indications=indications)
    cost: dict[int, Decimal] = defaultdict(lambda: D0)
    missing = 0
    for line in (
        PackageLine.objects.for_organisation(organisation)
        .filter(
            package__in=[p.pk for p in latest.values()],
            funding=PackageLine.Funding.BUDGET,
            activity__isnull=False,
        )
        .select_related("activity")
        .only(
            "package_id",
            "minutes",
            "occurrences_per_week",
            "staff_level_id",
            "activity__is_group",
            "activity__group_size",
            "organisation_id",
        )
    ):
        rate = draft_card.rate(line.staff_level_id)
        if rate is None:
            missing += 1
            continue
        cost[line.package_id] += formulas.round2(
            rate * line.minutes * line.occurrences_per_week / Decimal(60 * line.activity.divisor)
        )
    result = WhatIf(model, len(latest), 0, 0, 0, 0, D0, D0, D0, D0, missing)
    for package in latest.values():
        before = budget_for_client(client=package.client, on_date=on_date, lookups=now_lookups)
        after = budget_for_client(client=package.client, on_date=on_date, lookups=new_lookups)
        b_before = before.personal_budget if before.personal_budget is not None else D0
        b_after = after.personal_budget if after.personal_budget is not None else D0
        t_before = package.total or D0
        t_after = cost.get(package.pk, D0)
        result.budget_before += b_before
        result.budget_after += b_after
        result.total_before += t_before
        result.total_after += t_after
        result.current_over_budget += int(formulas.is_overrun(t_before, b_before))
        result.over_budget += int(formulas.is_overrun(t_after, b_after))
        result.current_over_tolerance += int(formulas.over_threshold(t_before, b_before, tolerance_pct))
        result.over_tolerance += int(formulas.over_threshold(t_after, b_after, tolerance_pct))
    return result
