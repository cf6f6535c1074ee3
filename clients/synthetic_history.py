"""26 weeks of package history for synthetic clients (``clients.synthetic``): an intake
conversation and package version 1 half a year ago, periodic reviews with new versions since,
add-ons on some packages, an open draft for some clients; prices and budgets computed by the
composer's pricing code and frozen on agreed versions.

Written as rows, not model instances (``clients.bulk.insert_rows``: PostgreSQL ``COPY`` for the
owner role), with the conversation and package ids reserved from their sequences first. The
pricing is ``conversations.pricing.price_package`` itself, for every package; what is shared
is its input: one unsaved line per distinct (activity, occurrences, funding) or (add-on,
quantity) and one unsaved draft per start date, so the ORM builds a few hundred instances per
organisation instead of some 25 per client."""

from __future__ import annotations

import datetime
import random
from decimal import Decimal
from typing import Any

from django.utils import timezone

from ipvb.models import Organisation, User

from . import bulk

HISTORY_WEEKS = 26


def _monday(day: datetime.date) -> datetime.date:
    return day - datetime.timedelta(days=day.weekday())


def package_history(
    org: Organisation,
    *,
    clients: list[Any],
    contacts: dict[int, int],
    rng: random.Random,
    setup: dict[str, Any],
    users: dict[str, User],
    today: datetime.date,
) -> dict[str, int]:
    """``contacts``: client id -> the id of its contact person (who takes part in every
    conversation)."""
    from catalog.models import AddOnPrice
    from conversations.models import Conversation, Package, PackageLine
    from conversations.pricing import DEFAULT_TOLERANCE, PricingInputs, price_package
    from costing.batch import BudgetInputs, organisation_scope
    from costing.budget import budget_for_client

    first = _monday(today) - datetime.timedelta(weeks=HISTORY_WEEKS)
    plans: list[tuple[Any, list[datetime.date], bool]] = []  # client, version start dates, open draft
    for client in clients:
        starts = [first]
        while True:
            following = starts[-1] + datetime.timedelta(weeks=rng.randint(8, 13))
            if following > today:
                break
            starts.append(following)
        plans.append((client, starts, rng.random() < 0.1))
    next_monday = _monday(today) + datetime.timedelta(weeks=1)
    dates = {start for _c, starts, _d in plans for start in starts} | {next_monday}
    inputs = BudgetInputs(clients=clients, dates=dates, scope=organisation_scope(org))
    prices: dict[int, list[Any]] = {}
    for price in AddOnPrice.objects.for_organisation(org).order_by("item_id", "-valid_from"):
        prices.setdefault(price.item_id, []).append(price)

    per_date: dict[datetime.date, tuple[Any, Any, PricingInputs, datetime.datetime]] = {}

    def on(start: datetime.date) -> tuple[Any, Any, PricingInputs, datetime.datetime]:
        """The lookups, an unsaved draft to price, the pricing inputs and the conversation time
        of one start date."""
        if start not in per_date:
            lookups = inputs.lookups(start)
            settings = lookups.settings(org.pk, start.year)
            per_date[start] = (
                lookups,
                Package(organisation=org, status=Package.Status.DRAFT, start_date=start),
                PricingInputs(
                    card=lookups.card(org.pk),
                    tolerance=(settings.overrun_tolerance_pct if settings else None) or DEFAULT_TOLERANCE,
                    addon_prices={item_id: _price_on(rows, start) for item_id, rows in prices.items()},
                ),
                timezone.make_aware(
                    datetime.datetime.combine(start - datetime.timedelta(days=3), datetime.time(10, 0))
                ),
            )
        return per_date[start]

    shared_lines: dict[tuple[Any, ...], PackageLine] = {}

    def line_for(spec: tuple[Any, ...]) -> PackageLine:
        if spec not in shared_lines:
            if spec[0] == "activity":
                _kind, activity, occurrences, funding = spec
                shared_lines[spec] = PackageLine(
                    organisation=org,
                    activity=activity,
                    minutes=activity.default_minutes,
                    occurrences_per_week=occurrences,
                    staff_level=activity.default_level,
                    funding=funding,
                    wlz_eligible=activity.wlz_eligible,
                )
            else:
                _kind, item, quantity = spec
                shared_lines[spec] = PackageLine(
                    organisation=org,
                    addon_item=item,
                    quantity_per_month=quantity,
                    funding=PackageLine.Funding.PRIVATE,
                )
        return shared_lines[spec]

    total = sum(len(starts) + (1 if draft else 0) for _c, starts, draft in plans)
    conversation_ids = iter(bulk.reserve_ids(Conversation, total))
    package_ids = iter(bulk.reserve_ids(Package, total))
    conversation_rows: list[tuple[Any, ...]] = []
    attendance_rows: list[tuple[int, int]] = []
    package_rows: list[tuple[Any, ...]] = []
    line_rows: list[tuple[Any, ...]] = []
    now = timezone.now()
    zorg = users["zorg"].pk
    for client, starts, draft in plans:
        periods = [(start, "agreed") for start in starts] + ([(next_monday, "draft")] if draft else [])
        previous = None
        for version, (start, status) in enumerate(periods, start=1):
            lookups, unsaved, pricing_inputs, held_at = on(start)
            conversation_id, package_id = next(conversation_ids), next(package_ids)
            conversation_rows.append(
                (
                    conversation_id,
                    org.pk,
                    client.pk,
                    held_at,
                    Conversation.Kind.INTAKE if version == 1 else Conversation.Kind.PERIODIC_REVIEW,
                    "Graag elke ochtend rustig opstarten.",
                    "Zorg volgens het afgesproken pakket.",
                    Conversation.Outcome.AGREED,
                    Conversation.Status.COMPLETED,
                    zorg,
                )
            )
            if client.pk in contacts:
                attendance_rows.append((conversation_id, contacts[client.pk]))
            own = [line_for(spec) for spec in _line_specs(rng=rng, setup=setup)]
            pricing = price_package(
                package=unsaved,
                lines=own,
                budget=budget_for_client(client=client, on_date=start, lookups=lookups),
                inputs=pricing_inputs,
            )
            agreed = status == "agreed"
            for position, priced in enumerate(pricing.lines):
                line = priced.line
                line_rows.append(
                    (
                        org.pk,
                        package_id,
                        line.activity_id,
                        line.addon_item_id,
                        line.minutes,
                        line.occurrences_per_week,
                        line.staff_level_id,
                        line.quantity_per_month,
                        line.funding,
                        line.wlz_eligible,
                        position,
                        priced.rate if agreed else None,
                        priced.cost_per_week if agreed else None,
                        priced.monthly_cost if agreed else None,
                    )
                )
            if agreed:  # frozen like package_agree
                later = version < len(starts)
                package_rows.append(
                    (
                        package_id,
                        org.pk,
                        client.pk,
                        version,
                        Package.Status.SUPERSEDED if later else Package.Status.AGREED,
                        previous,
                        start,
                        starts[version] - datetime.timedelta(days=1) if later else None,
                        conversation_id,
                        pricing.totals.budget,
                        pricing.totals.total,
                        pricing.totals.private_per_month,
                        pricing.tolerance_pct,
                        start + datetime.timedelta(weeks=26),
                        zorg,
                        now,
                        zorg,
                        3,
                    )
                )
            else:
                package_rows.append(
                    (
                        *(
                            package_id,
                            org.pk,
                            client.pk,
                            version,
                            Package.Status.DRAFT,
                            previous,
                            start,
                            None,
                        ),
                        *(conversation_id, None, None, None, None, None, None, None, zorg, 0),
                    )
                )
            previous = package_id
    bulk.insert_rows(Conversation, CONVERSATION_COLUMNS, conversation_rows)
    bulk.insert_rows(
        Conversation.contact_persons.through, ("conversation_id", "contactperson_id"), attendance_rows
    )
    bulk.insert_rows(Package, PACKAGE_COLUMNS, package_rows)
    bulk.insert_rows(PackageLine, LINE_COLUMNS, line_rows)
    return {"packages": len(package_rows), "lines": len(line_rows), "conversations": len(conversation_rows)}


CONVERSATION_COLUMNS = (
    "id",
    "organisation_id",
    "client_id",
    "held_at",
    "kind",
    "wishes",
    "agreements",
    "outcome",
    "status",
    "created_by_id",
)
PACKAGE_COLUMNS = (
    "id",
    "organisation_id",
    "client_id",
    "version",
    "status",
    "based_on_id",
    "start_date",
    "end_date",
    "conversation_id",
    "personal_budget",
    "total",
    "private_per_month",
    "tolerance_pct",
    "review_date",
    "agreed_by_id",
    "agreed_at",
    "created_by_id",
    "lock_version",
)
LINE_COLUMNS = (
    "organisation_id",
    "package_id",
    "activity_id",
    "addon_item_id",
    "minutes",
    "occurrences_per_week",
    "staff_level_id",
    "quantity_per_month",
    "funding",
    "wlz_eligible",
    "position",
    "rate",
    "cost_per_week",
    "monthly_cost",
)


def _price_on(prices: list[Any], on_date: datetime.date) -> Any:
    """The price row in force on ``on_date`` (newest first), like ``catalog.selectors.addon_price``."""
    for price in prices:
        if price.valid_from <= on_date and (price.valid_until is None or price.valid_until > on_date):
            return price
    return None


def _line_specs(*, rng: random.Random, setup: dict[str, Any]) -> list[tuple[Any, ...]]:
    """The lines of one package: 4-8 activities (one in twelve privately paid), 0-2 add-ons."""
    budget, private = "budget", "private"
    specs: list[tuple[Any, ...]] = [
        ("activity", activity, rng.choice((1, 2, 3, 7, 7, 14)), private if rng.random() < 0.08 else budget)
        for activity in rng.sample(setup["activities"], k=rng.randint(4, 8))
    ]
    for k in range(rng.choice((0, 0, 1, 2))):
        specs.append(("addon", setup["items"][k], Decimal(rng.randint(1, 4))))
    return specs
