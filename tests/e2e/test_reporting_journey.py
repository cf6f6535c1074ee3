"""Management insight per level (issue 11): a board member, a manager (the what-if of a draft
model), a team leader (worklist, actual FTE, evidence pack) and a care professional."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from ipvb.roles import Role
from reporting.models import ActualStaffing
from reporting.snapshots import snapshots_build
from tests.conversations import builders as conv
from tests.reporting.builders import weekly_totals

from .conftest import login

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
D = Decimal


def _signals(world):  # type: ignore[no-untyped-def]
    """The example client four weeks over 901.703 up to this week: a re-indication candidate."""
    conv.setup_a(world)
    client = conv.client(world.org_a, world.dept_a, given_name="Grietje", family_name="Signaal")
    monday = timezone.localdate() - datetime.timedelta(days=timezone.localdate().weekday())
    first = monday - datetime.timedelta(weeks=3)
    weekly_totals(world.org_a, client, [D("950.00")] * 4, first=first)
    for week in range(4):
        snapshots_build(organisation=world.org_a, week_of=first + datetime.timedelta(weeks=week))
    return client


def test_board_member_sees_the_organisation_without_names(page, world) -> None:  # type: ignore[no-untyped-def]
    _signals(world)
    login(page, world.user(Role.BOARD).email)
    page.get_by_role("link", name="Organisatie in één oogopslag").first.click()
    page.wait_for_url("**/rapportage/bestuur/")
    assert "1 herindicatie" in page.get_by_test_id("board-signals").inner_text()
    assert page.locator("svg#board-trend").count() == 1
    assert "Signaal" not in page.content()


def test_manager_sees_the_what_if_of_a_draft_model(page, world) -> None:  # type: ignore[no-untyped-def]
    from tests.reporting.test_views import _agreed_example_and_draft_model

    _agreed_example_and_draft_model(world)
    snapshots_build(organisation=world.org_a, week_of=timezone.localdate())
    login(page, world.user(Role.MANAGER).email)
    page.get_by_role("link", name="Dashboard").first.click()
    page.wait_for_url("**/rapportage/management/")
    page.get_by_role("button", name="Doorrekenen").click()
    assert page.get_by_test_id("what-if-over-budget").inner_text() == "1"
    assert page.get_by_test_id("what-if-over-tolerance").inner_text() == "1"


def test_team_leader_works_the_worklist(page, world) -> None:  # type: ignore[no-untyped-def]
    client = _signals(world)
    login(page, world.user(Role.TEAM_LEADER).email)
    page.get_by_role("link", name="Werklijst teamleider").first.click()
    row = page.get_by_test_id("candidate-row").filter(has_text="Signaal")
    assert "herindicatie (4 weken boven drempel)" in row.inner_text()
    row.get_by_role("link", name="Grietje Signaal").click()
    page.wait_for_url(f"**/rapportage/clienten/{client.pk}/signalen/")
    with page.expect_download() as download:
        page.get_by_test_id("evidence-pack").click()
    assert download.value.suggested_filename.endswith(".pdf")
    page.goto("/rapportage/formatie/invoeren/")
    page.get_by_label("Afdeling").select_option(label="A-groep")
    page.get_by_label("Functieniveau").select_option(label="Verzorgende IG niveau 3")
    page.get_by_label("Werkelijke fte").fill("-2")
    page.get_by_role("button", name="Vastleggen").click()
    assert "kan niet negatief zijn" in page.content()
    page.get_by_label("Werkelijke fte").fill("9,5")
    page.get_by_role("button", name="Vastleggen").click()
    page.wait_for_url("**/rapportage/formatie/")
    assert (
        "9.50" in page.get_by_test_id("staffing-history").inner_text()
        or "9,50" in page.get_by_test_id("staffing-history").inner_text()
    )
    assert ActualStaffing.objects.for_organisation(world.org_a).count() == 1


def test_care_professional_sees_own_worklist(page, world) -> None:  # type: ignore[no-untyped-def]
    conv.scenario(world)  # a client with a draft package in progress
    login(page, world.user(Role.CARE_PROFESSIONAL).email)
    page.get_by_role("link", name="Mijn werklijst").first.click()
    page.wait_for_url("**/rapportage/werklijst/")
    assert conv.setup_a(world)["client"].family_name in page.get_by_test_id("care-drafts").inner_text()
