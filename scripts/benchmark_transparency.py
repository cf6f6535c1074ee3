"""Transparency reports at scale (issue 12): 20 generated organisations of 250 clients each
(set up like the demo's De Zonnehof), the monthly report of last month built for all of them,
and the same usage aggregates as one raw SQL statement timed beside it in the same run.

    .venv/bin/python scripts/benchmark_transparency.py   # or through scripts/benchmark.py

The report builder aggregates in SQL (a fixed number of queries per organisation, whatever
the number of clients); the raw SQL line shows the floor the database itself needs."""

from __future__ import annotations

import datetime
import os
import sys
import tempfile
import time
from pathlib import Path

if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    if not os.environ.get("DATABASE_URL"):
        os.environ["DATABASE_URL"] = f"sqlite:///{tempfile.mkdtemp()}/bench.sqlite3"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ipvb.settings.dev")
    os.environ["DJANGO_DEBUG"] = "false"
    import django

    django.setup()

ORGANISATIONS = 20
CLIENTS = 250

RAW_SQL = """
SELECT s.organisation_id,
       COUNT(*) FILTER (WHERE s.package_id IS NOT NULL) AS on_ipvb,
       AVG(s.package_total * 100 / s.budget) FILTER (WHERE s.budget > 0 AND s.package_total IS NOT NULL),
       COUNT(*) FILTER (WHERE s.package_total * 100 / s.budget < 70 AND s.budget > 0) AS lt70,
       COUNT(*) FILTER (WHERE s.package_total * 100 / s.budget >= 110 AND s.budget > 0) AS gt110,
       COUNT(*) FILTER (WHERE s.overrun) AS overrun,
       COUNT(*) FILTER (WHERE s.reindication) AS reindication,
       COUNT(*) FILTER (WHERE s.meerzorg) AS meerzorg
  FROM reporting_weeklysnapshot s
 WHERE s.organisation_id = ANY(%s) AND s.week_start = %s
 GROUP BY s.organisation_id, s.care_profile
"""
RAW_SQL_SQLITE = RAW_SQL.replace("= ANY(%s)", "IN ({ids})")


def _setup(index: int):  # type: ignore[no-untyped-def]
    from catalog import demo as catalog_demo
    from costing import demo as costing_demo
    from costing.models import GroupCare, OrganisationYearSettings
    from ipvb.models import Department, Organisation

    org, _ = Organisation.objects.get_or_create(
        agb_code=f"7380{index:04d}",
        defaults={"name": f"Benchmark organisatie {index:02d}", "zorgkantoor_code": "5512"},
    )
    for name, kind, places in (
        ("De Boomgaard", Department.Kind.WITH_GROUP_CARE, 160),
        ("De Vlinder", Department.Kind.WITHOUT_GROUP_CARE, 240),
    ):
        Department.objects.for_organisation(org).get_or_create(
            organisation=org,
            name=name,
            defaults={"location_name": "Benchmark", "kind": kind, "places": places},
        )
    levels = costing_demo._levels(org)
    for year, values in costing_demo.YEAR_SETTINGS.items():
        OrganisationYearSettings.objects.for_organisation(org).get_or_create(
            organisation=org, year=year, defaults={**values, "reference_level": levels["verzorgende-ig"]}
        )
        costing_demo._model(org, year, levels)
        for department in Department.objects.for_organisation(org):
            for code, hours in costing_demo.GROUP_CARE.get(department.name, {}).items():
                GroupCare.objects.for_organisation(org).get_or_create(
                    organisation=org,
                    department=department,
                    year=year,
                    staff_level=levels[code],
                    defaults={"hours_per_week": hours},
                )
    catalog_demo._activities(org, levels)
    catalog_demo._addons(org)
    return org


def run() -> None:
    import benchmark_reporting
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from reporting.models import ReportBuild
    from reporting.snapshots import snapshots_backfill
    from reporting.transparency_services import participation_record, run_build

    start = time.perf_counter()
    organisations = []
    for index in range(1, ORGANISATIONS + 1):
        org = _setup(index)
        benchmark_reporting.generate(CLIENTS, org=org)
        snapshots_backfill(organisation=org, weeks=6)
        participation_record(
            organisation=org,
            user=None,
            signed_on=datetime.date(2025, 1, 10),
            signed_by_name="Bestuurder",
            signed_by_function="RvB",
            project_leader="Projectleider",
            start_date=datetime.date(2025, 1, 1),
            consent_cost_price=True,
            consent_addons=True,
            consent_usage=True,
        )
        organisations.append(org)
    print(
        f"\nTransparency reports: generated {ORGANISATIONS} organisations x {CLIENTS} clients "
        f"(with 6 weeks of snapshots) in {time.perf_counter() - start:.1f} s"
    )
    month = (timezone.localdate().replace(day=1) - datetime.timedelta(days=1)).replace(day=1)
    builds = [
        ReportBuild.objects.create(organisation=o, month=month, trigger="job", requested_at=timezone.now())
        for o in organisations
    ]
    with CaptureQueriesContext(connection) as queries:
        start = time.perf_counter()
        for build in builds:
            run_build(build.organisation_id, build.pk)
        elapsed = time.perf_counter() - start
    print(
        f"{'build all monthly reports (' + str(ORGANISATIONS) + ' orgs)':<44} {elapsed * 1000:8.1f} ms   "
        f"{elapsed * 1000 / ORGANISATIONS:6.1f} ms per org   {len(queries) // ORGANISATIONS:3d} queries per org"
    )
    from reporting.selectors.snapshots import latest_week

    last = (month.replace(day=28) + datetime.timedelta(days=4)).replace(day=1) - datetime.timedelta(days=1)
    week = latest_week(organisation=organisations[0], on_or_before=last)
    ids = [o.pk for o in organisations]
    with connection.cursor() as cursor:
        start = time.perf_counter()
        if connection.vendor == "postgresql":
            cursor.execute(RAW_SQL, [ids, week])
        else:
            cursor.execute(RAW_SQL_SQLITE.format(ids=",".join(str(i) for i in ids)), [week])
        rows = cursor.fetchall()
        raw = time.perf_counter() - start
    print(f"{'same usage aggregates as raw SQL (1 query)':<44} {raw * 1000:8.1f} ms   {len(rows)} groups")


if __name__ == "__main__":
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("load_demo", "--quiet-logins", verbosity=0, stdout=open(os.devnull, "w"))  # noqa: SIM115
    run()
