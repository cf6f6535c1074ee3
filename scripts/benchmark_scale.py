"""The performance budget of issue 16, on a generated organisation of 2,000 clients.

Every target is a ratio to an authenticated bare endpoint (``/healthz`` with a logged-in
session) measured in the same run, plus the query count; the table says PASS or FAIL per
target. Measured in-process through Django's test client at one connection (no gunicorn, no
concurrency: see docs/performance.md for what that leaves out). PostgreSQL only (the figures
mean little on SQLite, where it still runs): run with DATABASE_URL=postgres://... ."""

from __future__ import annotations

import os
import statistics
import time
from collections.abc import Callable
from typing import Any

CLIENTS = int(os.environ.get("IPVB_BENCH_CLIENTS", "2000"))  # smaller for a quick check
SEED = 16
OVERVIEW_CLIENTS = min(1000, CLIENTS)


def _median_ms(func: Callable[[], Any], repeat: int) -> float:
    return _medians(func, repeat)[0]


def _medians(func: Callable[[], Any], repeat: int) -> tuple[float, float]:
    """Median wall-clock ms and median CPU ms of this process (the application's own work,
    which the load of other processes on a shared machine hardly changes)."""
    func()  # warm up
    wall, cpu = [], []
    for _ in range(repeat):
        start, start_cpu = time.perf_counter(), time.process_time()
        func()
        wall.append((time.perf_counter() - start) * 1000)
        cpu.append((time.process_time() - start_cpu) * 1000)
    return statistics.median(wall), statistics.median(cpu)


def _queries(func: Callable[[], Any]) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        func()
    return sum(1 for query in queries.captured_queries if "set_config" not in query["sql"])


def _organisation() -> Any:
    from django.db import connection

    from clients import synthetic
    from ipvb.models import Organisation

    code = synthetic.agb_code(SEED, 0)
    org = Organisation.objects.filter(agb_code=code).first()
    if org is None:
        summary = synthetic.generate(organisations=1, clients=CLIENTS, seed=SEED)
        print(
            f"generated 1 organisation of {summary.clients} clients ({summary.packages} packages, "
            f"{summary.lines} lines) in {summary.seconds:.1f} s: {summary.clients_per_second:.0f} clients/s; "
            f"CPU {summary.cpu_ms_per_client:.1f} ms per client (application + database)"
        )
        org = Organisation.objects.get(agb_code=code)
        with connection.cursor() as cursor:  # fresh planner statistics after the bulk load
            cursor.execute("ANALYZE")
    return org


def run() -> list[tuple[str, float, float, int, bool]]:
    from django.db import connection
    from django.test import Client
    from django.utils import timezone

    from clients.models import Client as Resident
    from conversations.models import Package, PackageLine
    from costing.batch import budgets_on
    from ipvb.models import Department, User

    print()
    if connection.vendor != "postgresql":
        print(
            "issue 16 performance budget on SQLite: the ratios say little (use DATABASE_URL=postgres://...)"
        )
    org = _organisation()
    code = org.agb_code
    leader, manager = Client(), Client()
    leader.force_login(User.objects.get(email=f"teamleider.{code}@synthetisch.example"))
    manager.force_login(User.objects.get(email=f"manager.{code}@synthetisch.example"))
    # One department of 1,000 clients for the overview target (the generator makes small ones).
    big = Department.objects.for_organisation(org).order_by("pk").first()
    moved = list(
        Resident.objects.for_organisation(org).order_by("pk").values_list("pk", flat=True)[:OVERVIEW_CLIENTS]
    )
    Resident.objects.for_organisation(org).filter(pk__in=moved).update(department=big)
    Department.objects.for_organisation(org).filter(pk=big.pk).update(places=OVERVIEW_CLIENTS)
    draft = Package.objects.for_organisation(org).filter(status=Package.Status.DRAFT).order_by("pk").first()
    line = PackageLine.objects.for_organisation(org).filter(package=draft, activity__isnull=False).first()

    def change() -> None:
        version = Package.objects.for_organisation(org).get(pk=draft.pk).lock_version
        leader.post(
            f"/pakketregels/{line.pk}/",
            {
                "minutes": line.minutes,
                "occurrences_per_week": 7,
                "funding": "budget",
                "wanted": "on",
                "necessary": "on",
                "wlz_eligible": "on",
                "version": version,
            },
            HTTP_HX_REQUEST="true",
        )

    clients = list(Resident.objects.for_organisation(org).select_related("department"))
    today = timezone.localdate()
    bare, bare_cpu = _medians(lambda: leader.get("/healthz"), 40)
    targets: list[tuple[str, Callable[[], Any], float, int]] = [
        ("composer line change (htmx)", change, 3, 15),
        ("composer page", lambda: leader.get(f"/pakketten/{draft.pk}/samenstellen/"), 4, 10),
        ("GET /api/v1/packages/ (50 rows)", lambda: manager.get("/api/v1/packages/"), 5, 10),
        ("GET /api/v1/clients/ (50 rows)", lambda: manager.get("/api/v1/clients/"), 5, 10),
        ("GET /api/v1/conversations/ (50 rows)", lambda: manager.get("/api/v1/conversations/"), 5, 10),
        ("GET /api/v1/package-lines/ (50 rows)", lambda: manager.get("/api/v1/package-lines/"), 5, 10),
        (
            f"department overview ({OVERVIEW_CLIENTS:,} clients, page 1)",
            lambda: manager.get(f"/afdelingen/{big.pk}/overzicht/"),
            10,
            3,
        ),
    ]
    print(
        f"issue 16 performance budget: {len(clients):,} clients in one organisation; bare endpoint "
        f"(authenticated /healthz) {bare:.2f} ms, {bare_cpu:.2f} ms CPU; one connection, in-process; "
        f"load average {os.getloadavg()[0]:.1f}\n"
    )
    print(
        f"{'target':<44} {'median ms':>10} {'ratio':>8} {'target':>8} {'CPU ms':>8} {'CPU ratio':>10} "
        f"{'queries':>8}  verdict (on the wall-clock ratio)"
    )
    rows = []
    for label, func, limit, repeat in targets:
        median, cpu = _medians(func, repeat)
        count = _queries(func)
        ratio = median / bare
        ok = ratio <= limit
        rows.append((label, median, ratio, count, ok))
        print(
            f"{label:<44} {median:10.1f} {ratio:7.1f}x {limit:7.0f}x {cpu:8.1f} {cpu / bare_cpu:9.1f}x "
            f"{count:8d}  {'PASS' if ok else 'FAIL'}"
        )
    start = time.perf_counter()
    count = _queries(lambda: budgets_on(clients=clients, on_date=today))
    batch = (time.perf_counter() - start) * 1000
    print(
        f"{'budgets of every client (set-based)':<44} {batch:10.1f} {'':>8} {'':>8} {'':>8} {'':>10} {count:8d}  "
        f"{'PASS' if count <= 6 else 'FAIL'} (constant queries; {batch / len(clients) * 1000:.0f} µs per client)"
    )
    print(
        "not measured here: 8 concurrent connections, package PDF off the request path, the monthly "
        "batch and the 150 req/s load test (docs/performance.md)"
    )
    return rows
