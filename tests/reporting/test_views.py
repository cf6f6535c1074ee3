"""Dashboards per role, exports, evidence pack, API: behaviour beyond the access matrix."""

from __future__ import annotations

import datetime
import io
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from ipvb.models_accesslog import AccessLogEntry
from ipvb.roles import Role
from reporting.snapshots import snapshots_build
from tests.conversations import builders as conv
from tests.reporting.builders import weekly_totals

D = Decimal
pytestmark = pytest.mark.django_db


def _this_week(world, n_clients: int):  # type: ignore[no-untyped-def]
    conv.setup_a(world)
    monday = timezone.localdate() - datetime.timedelta(days=timezone.localdate().weekday())
    clients = [conv.client(world.org_a, world.dept_a, family_name=f"Geheimnaam{i}") for i in range(n_clients)]
    for client in clients:
        weekly_totals(world.org_a, client, [D("950.00")], first=monday)
    snapshots_build(organisation=world.org_a, week_of=monday)
    return clients


def _queries(client, url: str) -> int:  # type: ignore[no-untyped-def]
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx)


def test_board_sees_figures_never_names_and_queries_stay_constant(world) -> None:  # type: ignore[no-untyped-def]
    _this_week(world, 2)
    board = world.client(Role.BOARD)
    small = {
        name: _queries(board if name == "reporting_board" else world.client(Role.MANAGER), reverse(name))
        for name in ("reporting_board", "reporting_management")
    }
    page = board.get(reverse("reporting_board")).content.decode()
    assert "Geheimnaam" not in page
    assert "<svg" in page and 'aria-describedby="board-departments-table"' in page
    for i in range(8):
        client = conv.client(world.org_a, world.dept_a, family_name=f"Extra{i}")
        weekly_totals(
            world.org_a,
            client,
            [D("700.00")],
            first=timezone.localdate() - datetime.timedelta(days=timezone.localdate().weekday()),
        )
    snapshots_build(organisation=world.org_a, week_of=timezone.localdate())
    large = {
        name: _queries(board if name == "reporting_board" else world.client(Role.MANAGER), reverse(name))
        for name in ("reporting_board", "reporting_management")
    }
    assert small == large


def test_dashboard_table_exports_to_xlsx(world) -> None:  # type: ignore[no-untyped-def]
    from openpyxl import load_workbook

    _this_week(world, 2)
    response = world.client(Role.MANAGER).get(reverse("reporting_management") + "?export=afdelingen")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.values)
    assert rows[0][0] == "Afdeling"
    assert any(row[0] == "A-groep" and row[2] == 2 for row in rows[1:])
    assert world.client(Role.MANAGER).get(reverse("reporting_management") + "?export=nope").status_code == 404


def test_team_leader_worklist_lists_candidates_and_evidence_pack_is_logged(world) -> None:  # type: ignore[no-untyped-def]
    clients = _this_week(world, 1)
    monday = timezone.localdate() - datetime.timedelta(days=timezone.localdate().weekday())
    # Four weeks over 901.703 end in this week's re-indication signal.
    for week in range(3, 0, -1):
        weekly_totals(world.org_a, clients[0], [D("950.00")], first=monday - datetime.timedelta(weeks=week))
    for week in range(3, -1, -1):
        snapshots_build(organisation=world.org_a, week_of=monday - datetime.timedelta(weeks=week))
    leader = world.client(Role.TEAM_LEADER)
    page = leader.get(reverse("reporting_team")).content.decode()
    assert "Geheimnaam0" in page and "herindicatie (4 weken boven drempel)" in page
    pdf = leader.get(reverse("reporting_evidence_pack", kwargs={"client_pk": clients[0].pk}))
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    entry = AccessLogEntry.objects.for_organisation(world.org_a).filter(client_id=clients[0].pk).latest("pk")
    assert entry.action == AccessLogEntry.Action.PRINT


def test_care_worklist_shows_clients_without_package(world) -> None:  # type: ignore[no-untyped-def]
    conv.setup_a(world)
    page = world.client(Role.CARE_PROFESSIONAL).get(reverse("reporting_care")).content.decode()
    assert conv.setup_a(world)["client"].family_name in page


def test_snapshot_api_delta_pull_and_week_outside_stay(world) -> None:  # type: ignore[no-untyped-def]
    clients = _this_week(world, 2)
    api = world.client(Role.MANAGER)
    url = reverse("snapshot-list")
    full = api.get(url).json()
    assert len(full["results"]) == 3  # the example client (no package) and the two with one
    assert {"budget", "raw_budget", "package_total", "hours", "overrun_pct", "sources"} <= set(
        full["results"][0]
    )
    since = (timezone.now() + datetime.timedelta(seconds=1)).isoformat()
    assert api.get(url, {"updated_since": since}).json()["results"] == []
    bad = api.get(url, {"client": clients[0].pk, "week": "2020-01-06"})
    assert bad.status_code == 400 and "buiten het verblijf" in bad.content.decode()
    other = api.get(url, {"department": world.dept_b.pk})
    assert other.status_code == 400
    signals = api.get(reverse("signal-list"), {"kind": "overrun"}).json()
    assert len(signals["results"]) == 2
    formatie = api.get(reverse("reporting-formatie")).json()
    assert formatie[0]["department_name"] in {"A-groep", "A-zonder"}


def _agreed_example_and_draft_model(world):  # type: ignore[no-untyped-def]
    from conversations.approvals import package_agree
    from costing import cost_models
    from costing.models import CostPriceModel

    data = conv.scenario(world)
    leader = world.membership(Role.TEAM_LEADER)
    package = data["package"]
    package.refresh_from_db()
    package_agree(
        package=package,
        membership=leader,
        conversation=data["conversation"],
        expected_version=package.lock_version,
    )
    published = CostPriceModel.objects.for_organisation(world.org_a).get(
        status=CostPriceModel.Status.PUBLISHED
    )
    draft = cost_models.cost_model_new_version(
        model=published, user=None, effective_from=datetime.date(2026, 12, 1)
    )
    cost_models.cost_model_level_set(
        model=draft,
        user=None,
        staff_level=data["levels"]["verzorgende-ig"],
        inputs={
            "salary": D("6000"),
            "holiday_pct": D("8"),
            "year_end_pct": D("8.33"),
            "irregular_pct": D("7"),
            "employer_charges_pct": D("27"),
        },
    )
    return data, draft


def test_what_if_of_a_draft_model_counts_packages_going_over(world) -> None:  # type: ignore[no-untyped-def]
    from reporting.selectors.what_if import draft_model_effect

    _data, draft = _agreed_example_and_draft_model(world)
    effect = draft_model_effect(organisation=world.org_a, model=draft, on_date=timezone.localdate())
    assert effect.packages == 1
    assert (effect.current_over_budget, effect.current_over_tolerance) == (0, 0)
    assert (effect.over_budget, effect.over_tolerance) == (1, 1)
    assert effect.total_before == D("529.08") and effect.total_after > D("529.08")
    assert effect.budget_after < effect.budget_before == D("819.73")
    page = (
        world.client(Role.MANAGER).get(reverse("reporting_management"), {"model": draft.pk}).content.decode()
    )
    assert 'data-testid="what-if-over-budget">1<' in page
    missing = world.client(Role.MANAGER).get(reverse("reporting_management"), {"model": "999999"})
    assert missing.status_code == 200 and "bestaat niet (meer)" in missing.content.decode()
