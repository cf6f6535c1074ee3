"""Reporting at scale (issue 11): a generated organisation of 2,000 clients (not only the
demo), 26 weeks back-filled, the dashboards against a bare authenticated endpoint.

    .venv/bin/python scripts/benchmark_reporting.py     # or through scripts/benchmark.py

Targets: back-filling 26 weeks for 2,000 clients < 60 s; the organisation overview (board
dashboard) within 10x the bare endpoint measured in the same run; dashboards use the same
number of queries at 10 and at 2,000 clients (asserted in tests/reporting/test_views.py)."""

from __future__ import annotations

import datetime
import os
import random
import statistics
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    if not os.environ.get("DATABASE_URL"):
        os.environ["DATABASE_URL"] = f"sqlite:///{tempfile.mkdtemp()}/bench.sqlite3"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ipvb.settings.dev")
    os.environ["DJANGO_DEBUG"] = "false"
    import django

    django.setup()

CLIENTS = 2000


def _median_ms(func, repeat: int = 7) -> tuple[float, int]:  # type: ignore[no-untyped-def]
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    func()
    samples = []
    with CaptureQueriesContext(connection) as queries:
        for _ in range(repeat):
            start = time.perf_counter()
            response = func()
            samples.append((time.perf_counter() - start) * 1000)
            assert response.status_code == 200, response.status_code
    return statistics.median(samples), len(queries) // repeat


def generate(n: int = CLIENTS, org=None):  # type: ignore[no-untyped-def]
    """A copy of the demo's De Zonnehof set-up with ``n`` clients, each with an indication, a
    placement and an agreed package (one care line) started 30 weeks ago (in ``org``, set up
    like De Zonnehof, when given)."""
    from django.utils import timezone

    from catalog.models import Activity
    from clients.formulas import bsn_is_valid
    from clients.models import Client, Indication, Placement
    from conversations.models import Conversation, Package, PackageLine
    from costing.budget import budgets_for_clients
    from ipvb.models import Department, Organisation

    org = org or Organisation.objects.get(agb_code="73730001")
    departments = list(Department.objects.for_organisation(org))
    activity = Activity.objects.for_organisation(org).get(code="PV-01")
    rng = random.Random(11)
    today = timezone.localdate()
    start = today - datetime.timedelta(weeks=30)
    bsns, candidate = [], 300_000_000
    existing = set(Client.objects.for_organisation(org).values_list("bsn", flat=True))
    while len(bsns) < n:
        candidate += 1
        text = f"{candidate:09d}"
        if bsn_is_valid(text) and text not in existing:
            bsns.append(text)
    clients = Client.objects.bulk_create(
        [
            Client(
                organisation=org,
                given_name="Bench",
                family_name=f"Client {i:04d}",
                date_of_birth=datetime.date(1940, 1, 1),
                bsn=bsns[i],
                department=departments[i % len(departments)],
                admission_date=start - datetime.timedelta(days=30),
            )
            for i in range(n)
        ],
        batch_size=500,
    )
    Placement.objects.bulk_create(
        [
            Placement(organisation=org, client=c, department=c.department, start_date=c.admission_date)
            for c in clients
        ],
        batch_size=500,
    )
    profiles = ["5VV", "6VV", "7VV", "8VV", "4VV"]
    Indication.objects.bulk_create(
        [
            Indication(
                organisation=org,
                client=c,
                decision_number=f"B-{c.pk}",
                care_profile=profiles[i % 5],
                with_treatment=False,
                with_day_activities=True,
                grondslag="somatic",
                start_date=c.admission_date,
            )
            for i, c in enumerate(clients)
        ],
        batch_size=500,
    )
    for c in clients:
        c.organisation = org
    budgets = budgets_for_clients(clients=clients, on_date=start)
    held = timezone.make_aware(datetime.datetime.combine(start, datetime.time(10)))
    conversations = Conversation.objects.bulk_create(
        [
            Conversation(
                organisation=org,
                client=c,
                held_at=held,
                outcome=Conversation.Outcome.AGREED,
                status=Conversation.Status.COMPLETED,
            )
            for c in clients
        ],
        batch_size=500,
    )
    packages = Package.objects.bulk_create(
        [
            Package(
                organisation=org,
                client=c,
                version=1,
                status=Package.Status.AGREED,
                start_date=start,
                conversation=conv,
                review_date=start + datetime.timedelta(days=182),
                total=(
                    (budgets[c.pk].personal_budget or Decimal(0)) * Decimal(str(rng.uniform(0.6, 1.4)))
                ).quantize(Decimal("0.01")),
            )
            for c, conv in zip(clients, conversations, strict=True)
        ],
        batch_size=500,
    )
    PackageLine.objects.bulk_create(
        [
            PackageLine(
                organisation=org,
                package=p,
                activity=activity,
                minutes=25,
                occurrences_per_week=7,
                staff_level=activity.default_level,
            )
            for p in packages
        ],
        batch_size=500,
    )
    return org


def run() -> None:
    from django.conf import settings
    from django.core.management import call_command
    from django.test import Client as TestClient

    from clients.models import Client
    from ipvb.models import User
    from reporting.snapshots import snapshots_backfill

    settings.ALLOWED_HOSTS = ["*"]
    from ipvb.models import Organisation

    if not Organisation.objects.filter(agb_code="73730001").exists():
        call_command("migrate", verbosity=0)
        call_command("load_demo", "--quiet-logins", verbosity=0, stdout=open(os.devnull, "w"))  # noqa: SIM115
    from ipvb import rls

    # Outside a request the database wall admits only the organisation set for the session.
    with rls.organisation_context(Organisation.objects.get(agb_code="73730001")):
        start = time.perf_counter()
        org = Organisation.objects.get(agb_code="73730001")
        # Generated once per database: a second `make benchmark` measures the same organisation
        # (not one that grows with every run).
        if Client.objects.for_organisation(org).count() < CLIENTS:
            org = generate()
            done = f"generated {CLIENTS} clients in {time.perf_counter() - start:.1f} s"
        else:
            done = "clients generated by an earlier run"
        print(
            f"\nReporting at scale: {done} ({Client.objects.for_organisation(org).count()} clients in {org.name})"
        )
        start = time.perf_counter()
        results = snapshots_backfill(organisation=org, weeks=26)
        elapsed = time.perf_counter() - start
        print(
            f"{'back-fill 26 weeks':<44} {elapsed:8.1f} s   {sum(r.created for r in results)} snapshots"
            f"{'  OK' if elapsed < 60 else '  OVER target 60 s'}"
        )
    board, manager = TestClient(), TestClient()
    board.force_login(User.objects.get(email="bestuur@zonnehof.example"))
    manager.force_login(User.objects.get(email="manager@zonnehof.example"))
    bare, bare_q = _median_ms(lambda: board.get("/api/v1/organisation/"))
    print(f"{'bare authenticated endpoint':<44} median {bare:8.1f} ms   {bare_q:3d} queries")
    for label, client, url in (
        ("board dashboard (organisation overview)", board, "/rapportage/bestuur/"),
        ("management dashboard", manager, "/rapportage/management/"),
        ("snapshot API, first page of 500", manager, "/api/v1/reporting/snapshots/"),
    ):
        ms, queries = _median_ms(lambda c=client, u=url: c.get(u))
        ratio = ms / bare if bare else 0
        verdict = ("  OK" if ratio <= 10 else "  OVER 10x") if label.startswith("board") else ""
        print(f"{label:<44} median {ms:8.1f} ms   {queries:3d} queries   {ratio:5.1f}x bare{verdict}")
    from costing.models import CostPriceModel

    draft = CostPriceModel.objects.for_organisation(org).filter(status=CostPriceModel.Status.DRAFT).first()
    if draft is not None:
        ms, queries = _median_ms(lambda: manager.get(f"/rapportage/management/?model={draft.pk}"), repeat=3)
        print(f"{'what-if of a draft model (all packages)':<44} median {ms:8.1f} ms   {queries:3d} queries")


if __name__ == "__main__":
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("load_demo", "--quiet-logins", verbosity=0, stdout=open(os.devnull, "w"))  # noqa: SIM115
    run()
