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

One organisation per transaction. The setup of an organisation (a few hundred rows) is
written with ``bulk_create`` (``clients.synthetic_setup``); the clients, their placements,
indications and contact persons, and the package history (``clients.synthetic_history``) with
``clients.bulk.insert_rows``: PostgreSQL ``COPY`` when the role may (the owner role: run the
command with ``DATABASE_OWNER_URL`` set, it then connects as the owner), batched ``INSERT``
otherwise. ``workers`` > 1 spreads the organisations over processes, each with its own
connection; the result does not depend on the number of workers.

``logins`` gives the first organisation one login per role with a known password
(``LOGIN_PASSWORD``, e-mail ``<role>@synthetisch.example``) for load tests; the other
generated users have no usable password."""

from __future__ import annotations

import datetime
import os
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

LOGIN_PASSWORD = "synthetisch-2026"
LOGIN_DOMAIN = "synthetisch.example"
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
    logins: bool = False,
) -> Summary:
    """``organisations`` new organisations of ``clients`` clients each (refuses a seed whose
    organisations exist already: generate into an empty database or pick another seed)."""
    from costing import demo as costing_demo

    if organisations < 1 or organisations > 9999 or clients < 0:
        raise ValueError("organisations: 1 to 9999; clients: 0 or more.")
    codes = [agb_code(seed, index) for index in range(organisations)]
    if Organisation.objects.filter(agb_code__in=codes).exists():
        raise ValueError(f"Seed {seed} was generated already (AGB codes {codes[0]}…).")
    if logins and User.objects.filter(email__in=[email for email, _role in login_emails()]).exists():
        raise ValueError(f"The logins of the generated data exist already (@{LOGIN_DOMAIN}).")
    today = today or timezone.localdate()
    started = time.perf_counter()
    costing_demo._tariffs(None)  # the (illustrative) national tariffs, once
    summary = Summary()
    cpu_start = _cpu()
    if workers > 1:
        summary = _in_parallel(
            codes=codes, seed=seed, clients=clients, today=today, workers=workers, started=started, out=out
        )
    else:
        _in_sequence(
            codes=codes, seed=seed, clients=clients, today=today, started=started, out=out, summary=summary
        )
        cpu_end = _cpu()
        summary.app_cpu, summary.db_cpu = cpu_end[0] - cpu_start[0], cpu_end[1] - cpu_start[1]
    if logins:
        create_logins(Organisation.objects.get(agb_code=codes[0]))
    summary.seconds = time.perf_counter() - started
    return summary


def login_emails() -> list[tuple[str, str]]:
    """(e-mail, role) of the known logins ``generate(logins=True)`` creates."""
    return [(f"{role.value.replace('_', '-')}@{LOGIN_DOMAIN}", role.value) for role in Role]


def create_logins(org: Organisation) -> None:
    """One login per role in ``org`` (password ``LOGIN_PASSWORD``, e-mail verified; the
    department-bound roles on every department)."""
    from allauth.account.models import EmailAddress

    from ipvb.roles import DEPARTMENT_BOUND_ROLES

    departments = list(Department.objects.for_organisation(org))
    with transaction.atomic():
        for email, role in login_emails():
            user = User(email=email, first_name="Synthetisch", last_name=str(Role(role).label))
            user.set_password(LOGIN_PASSWORD)
            user.save()
            EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
            membership = Membership.objects.create(organisation=org, user=user, roles=[role])
            if role in DEPARTMENT_BOUND_ROLES:
                membership.departments.set(departments)


def _in_sequence(
    *,
    codes: list[str],
    seed: int,
    clients: int,
    today: datetime.date,
    started: float,
    out: Any,
    summary: Summary,
) -> None:
    organisations = len(codes)
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


def _one(index: int, code: str, seed: int, clients: int, today: datetime.date) -> dict[str, int]:
    """One organisation in its own transaction; its random stream depends on (seed, index) only,
    so the result is the same however the organisations are spread over workers."""
    from django.db import connection

    rng = random.Random(f"{seed}-{index}")
    with transaction.atomic():
        if connection.vendor == "postgresql":
            # A bulk load need not wait for the WAL flush at every commit: a crash of the
            # server can lose the last committed organisations, never consistency.
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL synchronous_commit TO OFF")
        return _organisation(index=index, code=code, seed=seed, n_clients=clients, rng=rng, today=today)


def _worker_start() -> None:
    from multiprocessing.util import Finalize

    from django.db import connections

    connections.close_all()  # a forked worker opens its own connection (never the parent's)
    Finalize(None, connections.close_all, exitpriority=10)  # and closes it when the pool ends
    _WORKER["cpu"] = _cpu()


_WORKER: dict[str, Any] = {}


def _worker_one(job: tuple[int, str, int, int, datetime.date]) -> dict[str, Any]:
    """One organisation in a worker; with the worker's CPU (process and backend) so far."""
    counts: dict[str, Any] = dict(_one(*job))
    cpu = _cpu()
    counts["app_cpu"], counts["db_cpu"] = cpu[0] - _WORKER["cpu"][0], cpu[1] - _WORKER["cpu"][1]
    counts["pid"] = os.getpid()
    return counts


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
    """The organisations spread over ``workers`` processes (fork), each with its own connection,
    one organisation at a time (a free worker takes the next)."""
    import multiprocessing

    from django.db import connections

    connections.close_all()
    jobs = [(index, code, seed, clients, today) for index, code in enumerate(codes)]
    summary = Summary()
    cpu: dict[int, tuple[float, float]] = {}  # per worker: its CPU so far (the last report)
    step = max(1, len(codes) // 10)
    with multiprocessing.get_context("fork").Pool(workers, initializer=_worker_start) as pool:
        for counts in pool.imap_unordered(_worker_one, jobs):
            summary.organisations += 1
            summary.clients += counts["clients"]
            summary.packages += counts["packages"]
            summary.lines += counts["lines"]
            summary.conversations += counts["conversations"]
            cpu[counts["pid"]] = (counts["app_cpu"], counts["db_cpu"])
            if out is not None and summary.organisations % step == 0:
                elapsed = time.perf_counter() - started
                out.write(
                    f"  {summary.organisations}/{len(codes)} organisations, {summary.clients} clients, "
                    f"{elapsed:.1f} s ({summary.clients / elapsed:.0f} clients/s)\n"
                )
        pool.close()  # the workers finish (and close their connections) instead of being killed
        pool.join()
    summary.app_cpu = sum(app for app, _db in cpu.values())
    summary.db_cpu = sum(db for _app, db in cpu.values())
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
    people, contacts = _clients(org, seed=seed, index=index, n=n_clients, rng=rng, setup=setup, today=today)
    history = package_history(
        org, clients=people, contacts=contacts, rng=rng, setup=setup, users=users, today=today
    )
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
) -> tuple[list[Any], dict[int, int]]:
    """The clients (through the bulk path) and, per client id, the id of its contact person."""
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
    result = bulk.clients_bulk_create(organisation=org, rows=rows, copy=True)
    if not result.ok:
        raise ValueError(f"synthetic clients refused: {list(result.errors.items())[:3]}")
    ids = bulk.reserve_ids(ContactPerson, len(result.clients))
    bulk.insert_rows(
        ContactPerson,
        ("id", "organisation_id", "client_id", "name", "relation", "role", "takes_part_in_conversations"),
        [
            (
                pk,
                org.pk,
                client.pk,
                f"{rng.choice(GIVEN)} {client.family_name}",
                rng.choice(("dochter", "zoon", "partner", "mentor")),
                ContactPerson.Role.FIRST_CONTACT,
                True,
            )
            for pk, client in zip(ids, result.clients, strict=True)
        ],
    )
    return result.clients, {client.pk: pk for pk, client in zip(ids, result.clients, strict=True)}
