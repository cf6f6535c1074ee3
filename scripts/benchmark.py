"""Measures the hot paths and prints the figures; ends with the performance budget of issue 16
(``scripts/benchmark_scale.py``: one table, every target as a ratio to the authenticated bare
endpoint at 1 and 8 concurrent connections against gunicorn, PASS/FAIL per target). Exits
with status 1 when a target of that table fails.

    make benchmark            # a throw-away SQLite database, or DATABASE_URL if set
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ipvb_bench .venv/bin/python scripts/benchmark.py --budget
                              # only the issue 16 table (migrates, generates its data once)

Targets (what a tablet user needs to feel "instant"): composer page < 150 ms, one composer
change (htmx round trip) < 150 ms, department overview < 300 ms, package PDF < 1.5 s,
peak Python memory of a PDF < 60 MiB, peak memory of importing a malicious ~5 MB spreadsheet
< 100 MiB (measured in a fresh process per file).
"""

from __future__ import annotations

import io
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
    verdict = (
        "" if target_ms is None else ("  OK" if median <= target_ms else f"  OVER target {target_ms:.0f} ms")
    )
    print(
        f"{label:<44} median {median:8.1f} ms   p max {max(samples):8.1f} ms   "
        f"{len(queries) / repeat:5.0f} queries{verdict}"
    )


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

    print(
        f"iPVB benchmark on {connection.vendor}; demo data of {org.name}: "
        f"{Package.objects.for_organisation(org).count()} packages\n"
    )
    timed("composer page (GET)", lambda: client.get(f"/pakketten/{draft.pk}/samenstellen/"), target_ms=150)

    def change() -> None:
        version = Package.objects.for_organisation(org).get(pk=draft.pk).lock_version
        client.post(
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

    timed("composer change (htmx POST + meter)", change, target_ms=150)
    timed(
        "department overview (all clients)",
        lambda: manager.get(f"/afdelingen/{department.pk}/overzicht/"),
        target_ms=300,
    )
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
    print(
        f"{'package PDF (WeasyPrint)':<44} median {elapsed:8.1f} ms   {len(response.content) / 1024:6.1f} KiB   "
        f"peak Python memory {peak / 2**20:6.1f} MiB{'  OK' if ok else '  OVER target'}"
    )
    spreadsheet_bombs()
    sys.path.insert(0, str(ROOT / "scripts"))
    import benchmark_reporting  # reporting at 2,000 clients (issue 11)

    benchmark_reporting.run()
    import benchmark_transparency  # transparency reports, 20 organisations x 250 clients (issue 12)

    benchmark_transparency.run()
    budget()


def budget() -> None:
    """The performance budget of issue 16 (2,000 generated clients); exit status 1 on a FAIL."""
    from django.conf import settings

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]  # the in-process query counts
    call_command("migrate", verbosity=0)
    sys.path.insert(0, str(ROOT / "scripts"))
    import benchmark_scale

    rows = benchmark_scale.run()
    if any(verdict.startswith("FAIL") for _label, verdict in rows):
        sys.exit(1)


def spreadsheet_bombs() -> None:
    """Peak memory of one import of a malicious ~5 MB spreadsheet, each in a fresh process (so
    ru_maxrss, the process' high-water mark, measures that import alone). Target < 100 MiB."""
    import json
    import subprocess

    from openpyxl import Workbook

    from tests.ipvb import spreadsheet_bombs as bombs

    honest = Workbook()
    honest.active.append(["voornaam", "achternaam", "geboortedatum", "bsn", "afdeling", "opnamedatum"])
    for number in range(5000):
        honest.active.append(
            [f"Naam {number}", "de Vries", "01-01-1940", "123456782", "De Boomgaard", "01-01-2024"]
        )
    buffer = io.BytesIO()
    honest.save(buffer)
    files = {
        "500,000+ rows (4.9 MB)": ("clients", bombs.many_rows(690_000)),
        "declared A1:XFD1048576, padded (4.9 MB)": ("clients", bombs.padded(bombs.declared_huge())),
        "declared A1:XFD1048576 (levels import)": ("levels", bombs.padded(bombs.declared_huge())),
        "cell in column XFD, padded (4.9 MB)": ("clients", bombs.padded(bombs.far_cell())),
        "compression bomb, padded (4.9 MB)": ("clients", bombs.padded(bombs.compression_bomb(40))),
        "100,001 shared strings, padded (4.9 MB)": ("clients", bombs.padded(bombs.many_shared_strings())),
        "rich-text row, padded (4.9 MB)": ("clients", bombs.padded(bombs.rich_text_row())),
        "45 MB of text: the most the limits let in": ("clients", bombs.within_limits()),
        "honest 5,000-row workbook (for scale)": ("clients", buffer.getvalue()),
    }
    print()
    worst = 0.0
    with tempfile.TemporaryDirectory() as folder:
        for label, (entry, content) in files.items():
            path = Path(folder) / "upload.xlsx"
            path.write_bytes(content)
            result = subprocess.run(
                [sys.executable, __file__, "--import-once", entry, str(path)],
                capture_output=True,
                text=True,
                check=True,
                env=os.environ,
            )
            figures = json.loads(result.stdout.strip().splitlines()[-1])
            if not label.startswith("honest"):
                worst = max(worst, figures["rss_mib"], figures["traced_mib"])
            print(
                f"import {label:<44} {len(content) / 2**20:4.1f} MiB file  {figures['ms']:7.1f} ms   "
                f"peak RSS +{figures['rss_mib']:6.1f} MiB   peak Python {figures['traced_mib']:6.1f} MiB   "
                f"{figures['outcome'][:60]}"
            )
    verdict = "OK" if worst < 100 else "OVER target 100 MiB"
    print(f"{'worst malicious spreadsheet import':<47} peak {worst:6.1f} MiB  {verdict}")


def import_once(entry: str, path: str) -> None:
    """One import of the file at ``path`` in this (fresh) process; prints its figures as JSON."""
    import json
    import resource

    import openpyxl  # noqa: F401 - loaded before measuring, like a warm worker

    from clients import importing
    from costing import xlsx
    from costing.models import CostPriceModel
    from ipvb.models import Organisation

    org = Organisation.objects.get(agb_code="73730001")
    model = CostPriceModel.objects.for_organisation(org).order_by("pk").first()
    content = Path(path).read_bytes()

    def run() -> str:
        if entry == "levels":
            from django.core.exceptions import ValidationError

            try:
                return f"{len(xlsx.level_import_rows(model=model, content=content))} levels"
            except ValidationError as exc:
                return "refused: " + " ".join(exc.messages)
        preview = importing.import_preview(organisation=org, name="upload.xlsx", content=content)
        return (
            "refused: " + " ".join(preview.file_errors)
            if preview.file_errors
            else f"{len(preview.rows)} rows"
        )

    def status(field: str) -> float:  # MiB, from /proc/self/status (Linux)
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024
        raise KeyError(field)

    try:
        Path("/proc/self/clear_refs").write_text("5")  # resets the high-water mark VmHWM to now
        before = status("VmRSS")
        peak_rss = lambda: status("VmHWM")  # noqa: E731
    except OSError:  # not Linux: the process' lifetime maximum (includes start-up)
        before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        peak_rss = lambda: resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # noqa: E731
    start = time.perf_counter()
    outcome = run()
    elapsed = (time.perf_counter() - start) * 1000
    rss = peak_rss() - before
    tracemalloc.start()
    run()
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(json.dumps({"ms": elapsed, "rss_mib": rss, "traced_mib": peak / 2**20, "outcome": outcome}))


if __name__ == "__main__":
    if sys.argv[1:2] == ["--import-once"]:
        import_once(sys.argv[2], sys.argv[3])
    elif sys.argv[1:2] == ["--budget"]:
        budget()
    else:
        main()
