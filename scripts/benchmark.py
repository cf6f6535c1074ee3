"""Measures the hot paths on the demo data and prints the figures (no pass/fail in tests).

    make benchmark            # a throw-away SQLite database, or DATABASE_URL if set

Targets (what a tablet user needs to feel "instant"): composer page < 150 ms, one composer
change (htmx round trip) < 150 ms, department overview < 300 ms, package PDF < 1.5 s,
peak Python memory of a PDF < 60 MiB.
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
if not os.environ.get("DATABASE_URL"):
    os.environ["DATABASE_URL"] = f"sqlite:///{tempfile.mkdtemp()}/bench.sqlite3"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ipvb.settings.dev")
os.environ["DJANGO_DEBUG"] = "false"

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, reset_queries  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402


def timed(label: str, func, repeat: int = 10, target_ms: float | None = None) -> None:  # type: ignore[no-untyped-def]
    func()  # warm up
    samples = []
    with CaptureQueriesContext(connection) as queries:
        for _ in range(repeat):
            start = time.perf_counter()
            func()
            samples.append((time.perf_counter() - start) * 1000)
    median = statistics.median(samples)
    verdict = "" if target_ms is None else ("  OK" if median <= target_ms else f"  OVER target {target_ms:.0f} ms")
    print(f"{label:<44} median {median:8.1f} ms   p max {max(samples):8.1f} ms   "
          f"{len(queries) / repeat:5.0f} queries{verdict}")


def main() -> None:
    from django.conf import settings

    settings.ALLOWED_HOSTS = ["*"]
    call_command("migrate", verbosity=0)
    call_command("load_demo", "--quiet-logins", verbosity=0, stdout=open(os.devnull, "w"))  # noqa: SIM115
    from conversations.models import Package
    from ipvb.models import Department, Organisation, User

    org = Organisation.objects.get(agb_code="73730001")
    department = Department.objects.for_organisation(org).get(name="De Boomgaard")
    package = Package.objects.for_organisation(org).filter(status="agreed").order_by("pk").first()
    client = Client()
    client.force_login(User.objects.get(email="teamleider@zonnehof.example"))
    manager = Client()
    manager.force_login(User.objects.get(email="manager@zonnehof.example"))
    draft = Package.objects.for_organisation(org).filter(status="draft").first()
    if draft is None:
        client.post(f"/clienten/{package.client_id}/pakket/nieuw/")
        draft = Package.objects.for_organisation(org).get(client_id=package.client_id, status="draft")
    line = draft.lines.order_by("pk").first()

    print(f"iPVB benchmark on {connection.vendor}; demo data of {org.name}: "
          f"{Package.objects.for_organisation(org).count()} packages\n")
    timed("composer page (GET)", lambda: client.get(f"/pakketten/{draft.pk}/samenstellen/"), target_ms=150)

    def change() -> None:
        version = Package.objects.for_organisation(org).get(pk=draft.pk).lock_version
        client.post(f"/pakketregels/{line.pk}/", {"minutes": line.minutes, "occurrences_per_week": 7,
                                                   "funding": "budget", "wanted": "on", "necessary": "on",
                                                   "wlz_eligible": "on", "version": version},
                    HTTP_HX_REQUEST="true")

    timed("composer change (htmx POST + meter)", change, target_ms=150)
    timed("department overview (all clients)", lambda: manager.get(f"/afdelingen/{department.pk}/overzicht/"),
          target_ms=300)
    timed("package detail page", lambda: client.get(f"/pakketten/{package.pk}/"), target_ms=150)
    timed("client list", lambda: manager.get("/clienten/"), target_ms=200)

    reset_queries()
    pdf_url = f"/pakketten/{package.pk}/pdf/"
    client.get(pdf_url)  # warm up: WeasyPrint loads fonts once per process
    samples = []
    for _ in range(5):
        start = time.perf_counter()
        response = client.get(pdf_url)
        samples.append((time.perf_counter() - start) * 1000)
    elapsed = statistics.median(samples)
    tracemalloc.start()  # measured separately: tracing slows Python down several times
    client.get(pdf_url)
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    ok = elapsed < 1500 and peak < 60 * 2**20
    print(f"{'package PDF (WeasyPrint)':<44} median {elapsed:8.1f} ms   {len(response.content) / 1024:6.1f} KiB   "
          f"peak Python memory {peak / 2**20:6.1f} MiB{'  OK' if ok else '  OVER target'}")


if __name__ == "__main__":
    main()
