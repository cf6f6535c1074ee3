"""Formatie (section 8): the worked example 9.34 / 4.20 / 0.86 / 0.43, actual FTE with
history, the gap, and bad input."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from conversations.models import PackageLine
from ipvb.roles import Role
from reporting import services
from reporting.models import ActualStaffing
from reporting.selectors.formatie import formatie
from tests.conversations import builders as conv
from tests.reporting.builders import WEEK, agreed_package

D = Decimal
pytestmark = pytest.mark.django_db
ON = datetime.date(2026, 3, 2)
BUDGET = PackageLine.Funding.BUDGET
PRIVATE = PackageLine.Funding.PRIVATE


def _example(world):  # type: ignore[no-untyped-def]
    data = conv.setup_a(world)
    lv, act = data["levels"], data["activities"]
    agreed_package(
        world.org_a,
        data["client"],
        total=D("0"),
        start=WEEK,
        version=1,
        lines=[
            (act["OCH"], lv["verzorgende-ig"], 600, 12, BUDGET),  # 120 h
            (act["AVO"], lv["helpende"], 300, 6, BUDGET),  # 30 h
            (act["DOU"], lv["helpende"], 300, 1, PRIVATE),  # 5 h, privately funded care counts too
            (act["MED"], lv["verpleegkundige-4"], 600, 2, BUDGET),  # 20 h
            (act["WAN"], lv["welzijnsmedewerker"], 600, 1, BUDGET),  # 10 h
        ],
    )
    return data


def test_worked_example_required_fte(world) -> None:  # type: ignore[no-untyped-def]
    data = _example(world)
    item = formatie(organisation=world.org_a, on_date=ON, departments=[world.dept_a])[0]
    by_code = {line.level.code: line for line in item.lines}
    assert by_code["verzorgende-ig"].hours == D("218")
    assert [
        by_code[c].required_fte
        for c in ("verzorgende-ig", "helpende", "verpleegkundige-4", "welzijnsmedewerker")
    ] == [D("9.34"), D("4.20"), D("0.86"), D("0.43")]
    assert item.required_fte == D("14.83")
    assert item.actual_fte is None and item.gap is None
    leader = world.membership(Role.TEAM_LEADER)
    services.actual_staffing_record(
        organisation=world.org_a,
        membership=leader,
        department=world.dept_a,
        staff_level=data["levels"]["verzorgende-ig"],
        fte=D("8.00"),
        effective_from=ON - datetime.timedelta(days=60),
        by=leader.user,
    )
    services.actual_staffing_record(
        organisation=world.org_a,
        membership=leader,
        department=world.dept_a,
        staff_level=data["levels"]["verzorgende-ig"],
        fte=D("9.00"),
        effective_from=ON - datetime.timedelta(days=10),
        by=leader.user,
    )
    item = formatie(organisation=world.org_a, on_date=ON, departments=[world.dept_a])[0]
    line = next(x for x in item.lines if x.level.code == "verzorgende-ig")
    assert (line.actual_fte, line.gap) == (D("9.00"), D("-0.34"))
    assert ActualStaffing.objects.for_organisation(world.org_a).count() == 2  # history kept


@pytest.mark.parametrize(
    ("fte", "days", "field", "message"),
    [
        (D("-1"), 0, "fte", "negatief"),
        (D("1000.01"), 0, "fte", "niet aannemelijk"),
        (D("5"), -3 * 365, "effective_from", "verleden"),
        (D("5"), 2 * 365, "effective_from", "toekomst"),
    ],
)
def test_bad_input_is_refused_with_a_clear_message(world, fte, days, field, message) -> None:  # type: ignore[no-untyped-def]
    data = conv.setup_a(world)
    leader = world.membership(Role.TEAM_LEADER)
    with pytest.raises(ValidationError) as exc:
        services.actual_staffing_record(
            organisation=world.org_a,
            membership=leader,
            department=world.dept_a,
            staff_level=data["levels"]["helpende"],
            fte=fte,
            effective_from=datetime.date.today() + datetime.timedelta(days=days),
        )
    assert message in " ".join(exc.value.message_dict[field])
    assert not ActualStaffing.objects.for_organisation(world.org_a).exists()


def test_department_of_another_organisation_is_refused(world) -> None:  # type: ignore[no-untyped-def]
    data = conv.setup_a(world)
    with pytest.raises(ValidationError) as exc:
        services.actual_staffing_record(
            organisation=world.org_a,
            membership=world.membership(Role.TEAM_LEADER),
            department=world.dept_b,
            staff_level=data["levels"]["helpende"],
            fte=D("3"),
            effective_from=datetime.date.today(),
        )
    assert "eigen organisatie" in exc.value.message_dict["department"][0]
    response = world.client(Role.TEAM_LEADER).post(
        reverse("reporting_formatie_entry"),
        {
            "department": world.dept_b.pk,
            "staff_level": data["levels"]["helpende"].pk,
            "fte": "3",
            "effective_from": datetime.date.today().isoformat(),
        },
    )
    assert response.status_code == 200
    assert "Kies een afdeling van uw eigen organisatie." in response.content.decode()
    assert not ActualStaffing.objects.for_organisation(world.org_a).exists()


def test_team_leader_enters_actual_through_the_form(world) -> None:  # type: ignore[no-untyped-def]
    data = conv.setup_a(world)
    client = world.client(Role.TEAM_LEADER)
    bad = client.post(
        reverse("reporting_formatie_entry"),
        {
            "department": world.dept_a.pk,
            "staff_level": data["levels"]["helpende"].pk,
            "fte": "1500",
            "effective_from": datetime.date.today().isoformat(),
        },
    )
    assert bad.status_code == 200 and "niet aannemelijk" in bad.content.decode()
    ok = client.post(
        reverse("reporting_formatie_entry"),
        {
            "department": world.dept_a.pk,
            "staff_level": data["levels"]["helpende"].pk,
            "fte": "4,5",
            "effective_from": datetime.date.today().isoformat(),
            "note": "Na werving",
        },
    )
    assert ok.status_code == 302
    entry = ActualStaffing.objects.for_organisation(world.org_a).get()
    assert entry.fte == D("4.50") and entry.entered_by == world.user(Role.TEAM_LEADER)
    page = client.get(reverse("reporting_formatie")).content.decode()
    assert "Na werving" in page
