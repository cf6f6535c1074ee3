"""Synthetic organisations at national scale (issue 16), reproducible from a seed.

Each organisation gets what a real one has: staff levels, published cost-price models (2025,
2026), year settings, departments of both kinds (with group-bound care where they have it), the
activity and add-on catalogues, a team leader, a care professional and a manager, and clients
(onboarded through ``clients.bulk``, validated like the services) with an indication, a contact
person and 26 weeks of package history: an intake conversation and package version 1 half a
year ago, periodic reviews with new versions since (the old one superseded), add-ons on some
packages, and an open draft for some clients. Package prices and budgets are computed by the
same pricing code as the composer (``conversations.pricing.price_package`` fed by the
set-based budget batch ``costing.batch``) and frozen on agreed versions, like ``package_agree``.

Everything is written with ``bulk_create``, one organisation per transaction. The setup of
an organisation is in ``clients.synthetic_setup``, the package history in
``clients.synthetic_history``."""

from __future__ import annotations

import datetime
import random
import time
from dataclasses import dataclass
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
from .synthetic_history import HISTORY_WEEKS, package_history
from .synthetic_setup import setup_organisation

PROFILES = (("4VV", 10), ("5VV", 35), ("6VV", 15), ("7VV", 20), ("8VV", 10), ("10VV", 10))
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
    setup = setup_organisation(org, n_clients=n_clients, rng=rng)
    users = _people(org, code=code, departments=setup["departments"])
    people = _clients(org, seed=seed, index=index, n=n_clients, rng=rng, setup=setup, today=today)
    history = package_history(org, clients=people, rng=rng, setup=setup, users=users, today=today)
    return {"clients": len(people), **history}


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
