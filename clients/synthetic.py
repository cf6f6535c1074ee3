"""Synthetic organisations at national scale (issue 16), reproducible from a seed.

Each organisation gets what a real one has: staff levels, published cost-price models (2025,
2026), year settings, departments of both kinds (with group-bound care where they have it), the
activity and add-on catalogues, a team leader, a care professional and a manager, and clients
(onboarded through ``clients.bulk``, validated like the services) with an indication, a contact
person and 26 weeks of package history: an intake conversation and package version 1 half a
year ago, periodic reviews with new versions since (the old one superseded), add-ons on some
packages, and an open draft for some clients. Package prices and budgets are computed by the
same pricing code as the composer (``conversations.selectors.price_package`` fed by the
set-based budget batch ``costing.batch``) and frozen on agreed versions, like ``package_agree``.

Everything is written with ``bulk_create``, one organisation per transaction."""

from __future__ import annotations

import datetime
import random
import time
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from ipvb.models import Department, Membership, Organisation, User
from ipvb.roles import Role

from . import bulk
from .demo import FAMILY, GIVEN
from .formulas import bsn_is_valid
from .models import ContactPerson
from .profiles import Grondslag

PROFILES = (("4VV", 10), ("5VV", 35), ("6VV", 15), ("7VV", 20), ("8VV", 10), ("10VV", 10))
HISTORY_WEEKS = 26
CLIENTS_PER_DEPARTMENT = 24
AGB_PREFIX = "8"


@dataclass
class Summary:
    organisations: int = 0
    clients: int = 0
    packages: int = 0
    lines: int = 0
    conversations: int = 0
    seconds: float = 0.0
    app_cpu: float = 0.0  # CPU seconds of the Python process(es)
    db_cpu: float = 0.0  # CPU seconds of their PostgreSQL backends (0 when not readable)

    @property
    def clients_per_second(self) -> float:
        return self.clients / self.seconds if self.seconds else 0.0

    @property
    def cpu_ms_per_client(self) -> float:
        """CPU time per client (application and database): independent of what else runs on
        the machine, so it extrapolates to an idle machine of N cores (N / this)."""
        return (self.app_cpu + self.db_cpu) * 1000 / self.clients if self.clients else 0.0


def _cpu() -> tuple[float, float]:
    """(CPU seconds of this process, CPU seconds of its PostgreSQL backend when it runs on this
    machine and /proc is readable, else 0)."""
    import os

    from django.db import connection

    app = sum(os.times()[:2])
    db = 0.0
    if connection.vendor == "postgresql":
        try:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_backend_pid()")
                pid = cursor.fetchone()[0]
            fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()  # noqa: SIM115
            db = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
        except (OSError, IndexError, ValueError):
            db = 0.0
    return app, db


def agb_code(seed: int, index: int) -> str:
    return f"{AGB_PREFIX}{seed % 1000:03d}{index:04d}"


def _bsn(seed: int, org_index: int, n: int) -> str:
    candidate = 100_000_000 + ((seed * 7919 + org_index * 100_003 + n * 37) % 800_000_000)
    while not bsn_is_valid(f"{candidate:09d}"):
        candidate += 1
    return f"{candidate:09d}"


def _monday(day: datetime.date) -> datetime.date:
    return day - datetime.timedelta(days=day.weekday())


def generate(
    *,
    organisations: int,
    clients: int,
    seed: int = 1,
    today: datetime.date | None = None,
    out: Any = None,
    workers: int = 1,
) -> Summary:
    """``organisations`` new organisations of ``clients`` clients each (refuses a seed whose
    organisations exist already: generate into an empty database or pick another seed)."""
    from costing import demo as costing_demo

    if organisations < 1 or organisations > 9999 or clients < 0:
        raise ValueError("organisations: 1 to 9999; clients: 0 or more.")
    codes = [agb_code(seed, index) for index in range(organisations)]
    if Organisation.objects.filter(agb_code__in=codes).exists():
        raise ValueError(f"Seed {seed} was generated already (AGB codes {codes[0]}…).")
    today = today or timezone.localdate()
    started = time.perf_counter()
    costing_demo._tariffs(None)  # the (illustrative) national tariffs, once
    summary = Summary()
    cpu_start = _cpu()
    if workers > 1:
        return _in_parallel(
            codes=codes, seed=seed, clients=clients, today=today, workers=workers, started=started, out=out
        )
    for index, code in enumerate(codes):
        counts = _one(index, code, seed, clients, today)
        summary.organisations += 1
        summary.clients += counts["clients"]
        summary.packages += counts["packages"]
        summary.lines += counts["lines"]
        summary.conversations += counts["conversations"]
        if out is not None and (index + 1) % max(1, organisations // 10) == 0:
            elapsed = time.perf_counter() - started
            out.write(
                f"  {index + 1}/{organisations} organisations, {summary.clients} clients, "
                f"{elapsed:.1f} s ({summary.clients / elapsed:.0f} clients/s)\n"
            )
    summary.seconds = time.perf_counter() - started
    cpu_end = _cpu()
    summary.app_cpu, summary.db_cpu = cpu_end[0] - cpu_start[0], cpu_end[1] - cpu_start[1]
    return summary


def _one(index: int, code: str, seed: int, clients: int, today: datetime.date) -> dict[str, int]:
    """One organisation in its own transaction; its random stream depends on (seed, index) only,
    so the result is the same however the organisations are spread over workers."""
    rng = random.Random(f"{seed}-{index}")
    with transaction.atomic():
        return _organisation(index=index, code=code, seed=seed, n_clients=clients, rng=rng, today=today)


def _worker(args: tuple[list[tuple[int, str]], int, int, datetime.date]) -> dict[str, Any]:
    from django.db import connections

    connections.close_all()  # a forked worker opens its own connection
    jobs, seed, clients, today = args
    total: dict[str, Any] = {"clients": 0, "packages": 0, "lines": 0, "conversations": 0, "organisations": 0}
    cpu_start = _cpu()
    for index, code in jobs:
        for key, value in _one(index, code, seed, clients, today).items():
            total[key] += value
        total["organisations"] += 1
    cpu_end = _cpu()
    total["app_cpu"], total["db_cpu"] = cpu_end[0] - cpu_start[0], cpu_end[1] - cpu_start[1]
    connections.close_all()
    return total


def _in_parallel(
    *,
    codes: list[str],
    seed: int,
    clients: int,
    today: datetime.date,
    workers: int,
    started: float,
    out: Any,
) -> Summary:
    """The organisations spread over ``workers`` processes (fork), each with its own connection."""
    import multiprocessing

    from django.db import connections

    connections.close_all()
    jobs = [list(enumerate(codes))[k::workers] for k in range(workers)]
    with multiprocessing.get_context("fork").Pool(workers) as pool:
        results = pool.map(_worker, [(job, seed, clients, today) for job in jobs])
    summary = Summary()
    for result in results:
        summary.organisations += result["organisations"]
        summary.clients += result["clients"]
        summary.packages += result["packages"]
        summary.lines += result["lines"]
        summary.conversations += result["conversations"]
        summary.app_cpu += result["app_cpu"]
        summary.db_cpu += result["db_cpu"]
    summary.seconds = time.perf_counter() - started
    if out is not None:
        out.write(f"  {summary.organisations} organisations in {workers} workers\n")
    return summary


def _organisation(
    *, index: int, code: str, seed: int, n_clients: int, rng: random.Random, today: datetime.date
) -> dict[str, int]:
    org = Organisation.objects.create(
        name=f"Synthetische zorggroep {seed}-{index + 1:04d}",
        agb_code=code,
        zorgkantoor_code=str(5501 + index % 33),
        takes_part_in_reporting=True,
    )
    setup = _setup(org, n_clients=n_clients, rng=rng)
    users = _people(org, code=code, departments=setup["departments"])
    people = _clients(org, seed=seed, index=index, n=n_clients, rng=rng, setup=setup, today=today)
    history = _history(org, clients=people, rng=rng, setup=setup, users=users, today=today)
    return {"clients": len(people), **history}


def _setup(org: Organisation, *, n_clients: int, rng: random.Random) -> dict[str, Any]:
    from catalog import demo as catalog_demo
    from catalog.models import Activity, AddOnItem, AddOnPrice
    from costing import demo as costing_demo
    from costing.models import CostPriceModel, GroupCare, ModelLevel, OrganisationYearSettings, StaffLevel

    n_departments = max(2, -(-n_clients // CLIENTS_PER_DEPARTMENT))
    departments = Department.objects.bulk_create(
        [
            Department(
                organisation=org,
                name=f"Afdeling {k + 1:02d}",
                location_name=f"Locatie {k // 4 + 1}",
                kind=Department.Kind.WITHOUT_GROUP_CARE if k % 3 == 1 else Department.Kind.WITH_GROUP_CARE,
                places=rng.choice((16, 20, 24, 28)),
            )
            for k in range(n_departments)
        ]
    )
    levels = {
        level.code: level
        for level in StaffLevel.objects.bulk_create(
            [
                StaffLevel(organisation=org, code=c, name=name, order=order)
                for c, name, order in costing_demo.LEVELS
            ]
        )
    }
    models = []
    for year in (2025, 2026):
        models.append(
            CostPriceModel(
                organisation=org,
                year=year,
                version=1,
                status=CostPriceModel.Status.PUBLISHED,
                effective_from=datetime.date(year, 1, 1),
                change_note="Synthetisch model.",
                published_at=datetime.datetime(year - 1, 12, 15, 10, 0, tzinfo=datetime.UTC),
                **costing_demo.MODEL_INPUTS,
            )
        )
    CostPriceModel.objects.bulk_create(models)
    ModelLevel.objects.bulk_create(
        [
            ModelLevel(
                organisation=org,
                model=model,
                staff_level=levels[c],
                salary=(salary * costing_demo.SALARY_FACTOR[model.year]).quantize(Decimal("0.01")),
                holiday_pct=Decimal("8"),
                year_end_pct=Decimal("8.33"),
                irregular_pct=irregular,
                employer_charges_pct=Decimal("27"),
            )
            for model in models
            for c, (salary, irregular) in costing_demo.SALARIES_2026.items()
        ]
    )
    OrganisationYearSettings.objects.bulk_create(
        [
            OrganisationYearSettings(
                organisation=org, year=year, reference_level=levels["verzorgende-ig"], **values
            )
            for year, values in costing_demo.YEAR_SETTINGS.items()
        ]
    )
    GroupCare.objects.bulk_create(
        [
            GroupCare(
                organisation=org,
                department=department,
                year=year,
                staff_level=levels[c],
                hours_per_week=(hours * department.places / 16).quantize(Decimal("0.01")),
            )
            for department in departments
            if department.kind == Department.Kind.WITH_GROUP_CARE
            for year in (2025, 2026)
            for c, hours in (("verzorgende-ig", Decimal("98")), ("helpende", Decimal("63")))
        ]
    )
    activities = Activity.objects.bulk_create(
        [
            Activity(
                organisation=org,
                code=c,
                name=name,
                description=description,
                category=category,
                default_minutes=minutes,
                default_level=levels[level],
                wlz_eligible=wlz,
                is_group=group_size is not None,
                group_size=group_size,
                active_from=catalog_demo.START,
            )
            for c, name, description, category, minutes, level, wlz, group_size in catalog_demo.ACTIVITIES
        ]
    )
    items = AddOnItem.objects.bulk_create(
        [
            AddOnItem(
                organisation=org,
                name=name,
                description=description,
                category=category,
                unit=unit,
                active_from=catalog_demo.START,
            )
            for name, description, category, unit, _prices in catalog_demo.ADDONS
        ]
    )
    prices = []
    for item, (*_rest, history) in zip(items, catalog_demo.ADDONS, strict=True):
        for k, (valid_from, price, vat_rate) in enumerate(history):
            prices.append(
                AddOnPrice(
                    organisation=org,
                    item=item,
                    valid_from=valid_from,
                    valid_until=history[k + 1][0] if k + 1 < len(history) else None,
                    price_incl_vat=Decimal(price),
                    vat_rate=vat_rate,
                )
            )
    AddOnPrice.objects.bulk_create(prices)
    return {
        "departments": departments,
        "levels": levels,
        "activities": [a for a in activities if not a.is_group],
        "items": items,
    }


def _people(org: Organisation, *, code: str, departments: list[Department]) -> dict[str, User]:
    roles = {"teamleider": Role.TEAM_LEADER, "zorg": Role.CARE_PROFESSIONAL, "manager": Role.MANAGER}
    users = User.objects.bulk_create(
        [User(email=f"{name}.{code}@synthetisch.example", password="!") for name in roles]
    )
    memberships = Membership.objects.bulk_create(
        [
            Membership(organisation=org, user=user, roles=[role])
            for user, role in zip(users, roles.values(), strict=True)
        ]
    )
    through = Membership.departments.through
    through.objects.bulk_create(
        [
            through(membership_id=membership.pk, department_id=department.pk)
            for membership in memberships
            for department in departments
        ]
    )
    return dict(zip(roles, users, strict=True))


def _clients(
    org: Organisation,
    *,
    seed: int,
    index: int,
    n: int,
    rng: random.Random,
    setup: dict[str, Any],
    today: datetime.date,
) -> list[Any]:
    profiles = [p for p, _w in PROFILES]
    weights = [w for _p, w in PROFILES]
    rows = []
    for k in range(n):
        admission = today - datetime.timedelta(days=rng.randint(HISTORY_WEEKS * 7 + 14, 1500))
        rows.append(
            bulk.NewClient(
                department=setup["departments"][k % len(setup["departments"])],
                given_name=rng.choice(GIVEN),
                family_name=rng.choice(FAMILY),
                date_of_birth=datetime.date(rng.randint(1922, 1948), rng.randint(1, 12), rng.randint(1, 28)),
                bsn=_bsn(seed, index, k),
                admission_date=admission,
                indications=[
                    bulk.NewIndication(
                        decision_number=f"CIZ-{seed}-{index}-{k}",
                        care_profile=rng.choices(profiles, weights)[0],
                        grondslag=rng.choice(Grondslag.values),
                        start_date=admission,
                        with_treatment=rng.random() < 0.2,
                        with_day_activities=rng.random() < 0.8,
                    )
                ],
            )
        )
    result = bulk.clients_bulk_create(organisation=org, rows=rows)
    if not result.ok:
        raise ValueError(f"synthetic clients refused: {list(result.errors.items())[:3]}")
    ContactPerson.objects.bulk_create(
        [
            ContactPerson(
                organisation=org,
                client=client,
                name=f"{rng.choice(GIVEN)} {client.family_name}",
                relation=rng.choice(("dochter", "zoon", "partner", "mentor")),
                role=ContactPerson.Role.FIRST_CONTACT,
                takes_part_in_conversations=True,
            )
            for client in result.clients
        ],
        batch_size=bulk.BATCH_SIZE,
    )
    return result.clients


def _history(
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
    from conversations.selectors import DEFAULT_TOLERANCE, PricingInputs, price_package
    from costing.batch import BudgetInputs, organisation_scope
    from costing.selectors import budget_for_client

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
