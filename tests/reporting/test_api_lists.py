"""The reporting API lists: a query count that does not grow with the rows (issue 16)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ipvb.roles import Role
from reporting.snapshots import snapshots_build
from tests.conversations import builders as conv
from tests.reporting.builders import WEEK, weekly_totals

D = Decimal
pytestmark = pytest.mark.django_db
URLS = [
    f"/api/v1/reporting/snapshots/?week={WEEK.isoformat()}",
    f"/api/v1/reporting/signals/?week={WEEK.isoformat()}",
]


def _queries(api, url: str) -> tuple[int, list[dict]]:  # type: ignore[no-untyped-def]
    with CaptureQueriesContext(connection) as ctx:
        response = api.get(url)
    assert response.status_code == 200
    return len(ctx), response.json()["results"]


@pytest.mark.parametrize("url", URLS)
def test_snapshot_lists_do_not_query_per_row(world, url) -> None:  # type: ignore[no-untyped-def]
    data = conv.setup_a(world)
    weekly_totals(world.org_a, data["client"], [D("950.00")])  # over budget: a signal
    snapshots_build(organisation=world.org_a, week_of=WEEK)
    api = world.client(Role.MANAGER)
    api.get(url)  # warm up (session, membership)
    few, rows = _queries(api, url)
    assert len(rows) == 1
    for _ in range(4):
        client = conv.client(world.org_a, world.dept_a)
        weekly_totals(world.org_a, client, [D("950.00")])
    snapshots_build(organisation=world.org_a, week_of=WEEK)
    many, rows = _queries(api, url)
    assert len(rows) == 5
    assert many == few
