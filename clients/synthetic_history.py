"""26 weeks of package history for synthetic clients (``clients.synthetic``): an intake
conversation and package version 1 half a year ago, periodic reviews with new versions since,
add-ons on some packages, an open draft for some clients; prices and budgets computed by the
composer's pricing code and frozen on agreed versions. Package lines are written with COPY."""

from __future__ import annotations

import datetime
import random
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from ipvb.models import Organisation, User

from . import bulk
from .models import ContactPerson

HISTORY_WEEKS = 26


def _monday(day: datetime.date) -> datetime.date:
    return day - datetime.timedelta(days=day.weekday())


def package_history(
    org: Organisation,
    *,
    clients: list[Any],
    rng: random.Random,
    setup: dict[str, Any],
    users: dict[str, User],
    today: datetime.date,
) -> dict[str, int]:
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
    conversations: list[Conversation] = []
    packages: list[Package] = []
    lines: list[list[PackageLine]] = []
    contacts = {
        row.client_id: row
        for row in ContactPerson.objects.for_organisation(org).filter(client__in=[c.pk for c in clients])
    }
    now = timezone.now()
    for client, starts, draft in plans:
        periods = [(start, "agreed") for start in starts] + ([(next_monday, "draft")] if draft else [])
        for version, (start, status) in enumerate(periods, start=1):
            conversation = Conversation(
                organisation=org,
                client=client,
                held_at=timezone.make_aware(
                    datetime.datetime.combine(start - datetime.timedelta(days=3), datetime.time(10, 0))
                ),
                kind=Conversation.Kind.INTAKE if version == 1 else Conversation.Kind.PERIODIC_REVIEW,
                wishes="Graag elke ochtend rustig opstarten.",
                agreements="Zorg volgens het afgesproken pakket.",
                outcome=Conversation.Outcome.AGREED,
                status=Conversation.Status.COMPLETED,
                created_by=users["zorg"],
            )
            conversations.append(conversation)
            package = Package(
                organisation=org,
                client=client,
                version=version,
                status=Package.Status.DRAFT,
                start_date=start,
                created_by=users["zorg"],
            )
            own = _lines(org, rng=rng, setup=setup, package=package)
            lookups = inputs.lookups(start)
            settings = lookups.settings(org.pk, start.year)
            pricing = price_package(
                package=package,
                lines=own,
                budget=budget_for_client(client=client, on_date=start, lookups=lookups),
                inputs=PricingInputs(
                    card=lookups.card(org.pk),
                    tolerance=(settings.overrun_tolerance_pct if settings else None) or DEFAULT_TOLERANCE,
                    addon_prices={
                        line.addon_item_id: _price_on(prices.get(line.addon_item_id, []), start)
                        for line in own
                        if line.addon_item_id
                    },
                ),
            )
            if status == "agreed":
                for priced in pricing.lines:
                    priced.line.rate = priced.rate
                    priced.line.cost_per_week = priced.cost_per_week
                    priced.line.monthly_cost = priced.monthly_cost
                later = version < len(starts)
                package.status = Package.Status.SUPERSEDED if later else Package.Status.AGREED
                package.end_date = starts[version] - datetime.timedelta(days=1) if later else None
                package.personal_budget = pricing.totals.budget
                package.total = pricing.totals.total
                package.private_per_month = pricing.totals.private_per_month
                package.tolerance_pct = pricing.tolerance_pct
                package.review_date = start + datetime.timedelta(weeks=26)
                package.agreed_by = users["zorg"]
                package.agreed_at = now
                package.lock_version = 3
            packages.append(package)
            lines.append(own)
    Conversation.objects.bulk_create(conversations, batch_size=bulk.BATCH_SIZE)
    through = Conversation.contact_persons.through
    through.objects.bulk_create(
        [
            through(conversation_id=conversation.pk, contactperson_id=contacts[conversation.client_id].pk)
            for conversation in conversations
            if conversation.client_id in contacts
        ],
        batch_size=bulk.BATCH_SIZE,
    )
    for package, conversation in zip(packages, conversations, strict=True):
        package.conversation = conversation
    Package.objects.bulk_create(packages, batch_size=bulk.BATCH_SIZE)
    all_lines = [line for own in lines for line in own]
    _copy_lines(all_lines)
    return {"packages": len(packages), "lines": len(all_lines), "conversations": len(conversations)}


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
    "wanted",
    "necessary",
    "wlz_eligible",
    "note",
    "position",
    "rate",
    "cost_per_week",
    "monthly_cost",
)


def _copy_lines(lines: list[Any]) -> None:
    """The package lines (the largest table: some 20 per client) with PostgreSQL's COPY, which
    skips the ORM's per-value SQL compilation; ``bulk_create`` elsewhere and where row-level
    security applies to the role (COPY FROM is refused there). Lines need no id back."""
    from django.db import connection

    from conversations.models import PackageLine

    if connection.vendor != "postgresql":
        PackageLine.objects.bulk_create(lines, batch_size=bulk.BATCH_SIZE)
        return
    import psycopg

    for line in lines:
        line.package_id = line.package.pk
    table = PackageLine._meta.db_table
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            raw = cursor.cursor  # the psycopg cursor under Django's wrapper
            with raw.copy(f"COPY {table} ({', '.join(LINE_COLUMNS)}) FROM STDIN") as copy:
                for line in lines:
                    copy.write_row([getattr(line, column) for column in LINE_COLUMNS])
    except psycopg.errors.FeatureNotSupported:
        # PostgreSQL refuses COPY FROM into a table under row-level security for a role that
        # does not bypass it (the application role): insert in batches instead.
        PackageLine.objects.bulk_create(lines, batch_size=bulk.BATCH_SIZE)


def _price_on(prices: list[Any], on_date: datetime.date) -> Any:
    """The price row in force on ``on_date`` (newest first), like ``catalog.selectors.addon_price``."""
    for price in prices:
        if price.valid_from <= on_date and (price.valid_until is None or price.valid_until > on_date):
            return price
    return None


def _lines(org: Organisation, *, rng: random.Random, setup: dict[str, Any], package: Any) -> list[Any]:
    from conversations.models import PackageLine

    chosen = rng.sample(setup["activities"], k=rng.randint(4, 8))
    own = []
    for position, activity in enumerate(chosen):
        private = rng.random() < 0.08
        own.append(
            PackageLine(
                organisation=org,
                package=package,
                activity=activity,
                minutes=activity.default_minutes,
                occurrences_per_week=rng.choice((1, 2, 3, 7, 7, 14)),
                staff_level=activity.default_level,
                funding=PackageLine.Funding.PRIVATE if private else PackageLine.Funding.BUDGET,
                wlz_eligible=activity.wlz_eligible,
                position=position,
            )
        )
    for k in range(rng.choice((0, 0, 1, 2))):
        item = setup["items"][k]
        own.append(
            PackageLine(
                organisation=org,
                package=package,
                addon_item=item,
                quantity_per_month=Decimal(rng.randint(1, 4)),
                funding=PackageLine.Funding.PRIVATE,
                position=len(own),
            )
        )
    return own
