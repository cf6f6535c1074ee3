"""The weekly snapshot job: worked examples of section 7 through the database, idempotency,
equality with the per-client budget code, and a constant number of queries."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from costing import services as costing_services
from costing.budget import budget_for_client
from reporting.models import WeeklySnapshot
from reporting.snapshots import snapshots_backfill, snapshots_build
from tests.conversations import builders as conv
from tests.reporting.builders import WEEK, weekly_totals

D = Decimal
pytestmark = pytest.mark.django_db


def _weeks(n: int) -> list[datetime.date]:
    return [WEEK + datetime.timedelta(weeks=i) for i in range(n)]


def _rows(org, client):  # type: ignore[no-untyped-def]
    return list(WeeklySnapshot.objects.for_organisation(org).filter(client=client).order_by("week_start"))


def test_reindication_worked_example(world) -> None:  # type: ignore[no-untyped-def]
    data = conv.setup_a(world)
    client = data["client"]
    weekly_totals(world.org_a, client, [D("950.00")] * 4 + [D("901.70")])
    for week in _weeks(5):
        snapshots_build(organisation=world.org_a, week_of=week)
    rows = _rows(world.org_a, client)
    assert [r.budget for r in rows] == [D("819.73")] * 5
    assert [r.reindication for r in rows] == [False, False, False, True, False]
    assert [r.weeks_over_threshold for r in rows] == [1, 2, 3, 4, 0]
    assert rows[0].overrun_pct == D("15.89")
    assert rows[3].sources["package"] == rows[3].package_id
    assert rows[4].overrun and not rows[4].over_threshold


def test_one_week_at_900_restarts_the_count(world) -> None:  # type: ignore[no-untyped-def]
    client = conv.setup_a(world)["client"]
    weekly_totals(world.org_a, client, [D("950.00")] * 3 + [D("900.00")] + [D("950.00")] * 4)
    snapshots_backfill(organisation=world.org_a, weeks=8, until=WEEK + datetime.timedelta(weeks=7))
    assert [r.reindication for r in _rows(world.org_a, client)] == [False] * 7 + [True]


def test_meerzorg_worked_limit(world) -> None:  # type: ignore[no-untyped-def]
    conv.setup_a(world)
    seven = conv.client(world.org_a, world.dept_a, profile="7VV")
    eight = conv.client(world.org_a, world.dept_a, profile="7VV")
    # B = round2(300 × 0.97 × 7) − 224.00 − 575.69 = 1237.31; limit 1.25 × B = 1546.6375
    weekly_totals(world.org_a, seven, [D("1546.64")])
    weekly_totals(world.org_a, eight, [D("1546.63")])
    snapshots_build(organisation=world.org_a, week_of=WEEK)
    first, second = _rows(world.org_a, seven)[0], _rows(world.org_a, eight)[0]
    assert first.budget == D("1237.31")
    assert first.meerzorg and not second.meerzorg


def test_structural_deficit_when_raw_budget_is_negative(world) -> None:  # type: ignore[no-untyped-def]
    data = conv.setup_a(world)
    world.dept_a2.places = 1
    world.dept_a2.save()
    levels = data["levels"]
    costing_services.group_care_save(
        department=world.dept_a2, year=2026, hours={levels["verzorgende-ig"]: D("98")}
    )
    client = conv.client(world.org_a, world.dept_a2)
    snapshots_build(organisation=world.org_a, week_of=WEEK)
    row = _rows(world.org_a, client)[0]
    assert row.raw_budget < 0 and row.budget == D("0.00")
    assert row.structural_deficit
    assert row.package_id is None and not row.overrun


def test_snapshots_are_idempotent_and_equal_the_budget_code(world) -> None:  # type: ignore[no-untyped-def]
    data = conv.setup_a(world)
    others = [conv.client(world.org_a, world.dept_a, profile=p) for p in ("7VV", "5VV")]
    weekly_totals(world.org_a, data["client"], [D("950.00")] * 3)
    first = snapshots_backfill(organisation=world.org_a, weeks=3, until=WEEK + datetime.timedelta(weeks=2))
    before = {
        r.pk: (r.updated_at, r.budget, r.weeks_over_threshold)
        for r in WeeklySnapshot.objects.for_organisation(world.org_a)
    }
    again = snapshots_backfill(organisation=world.org_a, weeks=3, until=WEEK + datetime.timedelta(weeks=2))
    after = {
        r.pk: (r.updated_at, r.budget, r.weeks_over_threshold)
        for r in WeeklySnapshot.objects.for_organisation(world.org_a)
    }
    assert sum(r.created for r in first) == 9
    assert sum(r.created + r.updated for r in again) == 0
    assert before == after
    for client in [data["client"], *others]:
        for row in _rows(world.org_a, client):
            budget = budget_for_client(client=client, on_date=row.week_start)
            assert (row.budget, row.raw_budget) == (budget.personal_budget, budget.raw_budget)


def test_week_of_any_day_is_its_iso_monday(world) -> None:  # type: ignore[no-untyped-def]
    client = conv.setup_a(world)["client"]
    result = snapshots_build(organisation=world.org_a, week_of=WEEK + datetime.timedelta(days=5))
    assert result.week_start == WEEK
    row = _rows(world.org_a, client)[0]
    assert (row.iso_year, row.iso_week) == (2026, 6)


def _build_queries(org) -> int:  # type: ignore[no-untyped-def]
    with CaptureQueriesContext(connection) as ctx:
        snapshots_build(organisation=org, week_of=WEEK)
    return len(ctx)


def test_builder_uses_a_constant_number_of_queries(world) -> None:  # type: ignore[no-untyped-def]
    data = conv.setup_a(world)
    weekly_totals(world.org_a, data["client"], [D("950.00")])
    small = _build_queries(world.org_a)
    for _ in range(12):
        client = conv.client(world.org_a, world.dept_a)
        weekly_totals(world.org_a, client, [D("700.00")])
    WeeklySnapshot.objects.for_organisation(world.org_a).delete()
    large = _build_queries(world.org_a)
    assert large == small


def test_department_totals_sum_the_snapshots(world) -> None:  # type: ignore[no-untyped-def]
    from django.db.models import Sum

    from reporting.models import WeeklyDepartmentTotal

    data = conv.setup_a(world)
    weekly_totals(world.org_a, data["client"], [D("950.00")] * 2)
    other = conv.client(world.org_a, world.dept_a, profile="7VV")
    weekly_totals(world.org_a, other, [D("700.00")] * 2)
    snapshots_backfill(organisation=world.org_a, weeks=2, until=WEEK + datetime.timedelta(weeks=1))
    snapshots_backfill(organisation=world.org_a, weeks=2, until=WEEK + datetime.timedelta(weeks=1))
    totals = WeeklyDepartmentTotal.objects.for_organisation(world.org_a).filter(department=world.dept_a)
    assert totals.count() == 2
    first = totals.get(week_start=WEEK)
    expected = (
        WeeklySnapshot.objects.for_organisation(world.org_a)
        .filter(week_start=WEEK)
        .aggregate(b=Sum("budget"), t=Sum("package_total"))
    )
    assert (first.clients, first.on_ipvb, first.overrun) == (2, 2, 1)
    assert (first.budget, first.total) == (expected["b"], expected["t"])
