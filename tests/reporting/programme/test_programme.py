"""The programme (issue 15): screening, self-pay package, pilot status, meetings, the programme
report and the benchmark, through services and pages. Bad input: a clear message, nothing saved."""

from __future__ import annotations

import datetime
import io
from decimal import Decimal

import pytest
from allauth.mfa.models import Authenticator
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from ipvb.models import Department
from reporting.models import WeeklyDepartmentTotal
from reporting.parties import GROUP_NAME
from reporting.pilot import pilot_progress
from reporting.programme import benchmark, meetings, questionnaires, services
from reporting.programme.models import (
    InternalMeeting,
    PackageChoice,
    ProgrammeMeeting,
    ProgrammeReport,
    ProgrammeReportBuild,
    QuestionnaireVersion,
    Screening,
)
from reporting.programme.report import load_schema, programme_build_request
from reporting.programme.selectors import involvement
from tests.factories import OrganisationFactory, UserFactory
from tests.reporting.builders import consent
from tests.reporting.programme.builders import (
    benchmark_report,
    completed_screening,
    default_questionnaire,
    prices,
    programme_report,
)
from tests.reporting.programme.routes import ROUTES

pytestmark = pytest.mark.django_db
D = Decimal


def party_client(client):  # type: ignore[no-untyped-def]
    user = UserFactory(email="vera@vilans.example")
    user.groups.add(Group.objects.get_or_create(name=GROUP_NAME)[0])
    Authenticator.objects.create(user=user, type=Authenticator.Type.TOTP, data={"secret": "x"})
    client.force_login(user)
    return client


# Screening -----------------------------------------------------------------------------------------


def test_default_questionnaire_is_loaded_on_install() -> None:
    version = default_questionnaire()
    assert version.status == QuestionnaireVersion.Status.PUBLISHED
    titles = [a["title"] for a in version.areas]
    assert (
        titles[0] == "Betrokkenheid van de raad van bestuur" and "Ervaring uit Waardigheid & Trots" in titles
    )
    assert len(titles) == 7 and version.question_count == 14


def test_org_admin_saves_continues_and_completes_the_screening(world) -> None:  # type: ignore[no-untyped-def]
    admin = world.client("org_admin")
    url = reverse("programme_screening")
    assert admin.post(url, {"q_A1": "3", "q_A2": "2", "action": "save"}).status_code == 302
    screening = Screening.objects.for_organisation(world.org_a).get()
    assert screening.status == Screening.Status.IN_PROGRESS and screening.answers == {"A1": 3, "A2": 2}
    page = admin.get(url).content.decode()
    assert 'name="q_A1" value="3" checked' in page  # continued later with the saved answers
    # Completing with questions open: refused, nothing changes.
    response = admin.post(url, {"q_A1": "3", "action": "complete"})
    assert response.status_code == 400 and "Beantwoord eerst alle vragen" in response.content.decode()
    codes = [q["code"] for a in default_questionnaire().areas for q in a["questions"]]
    data = {f"q_{c}": "3" for c in codes} | {"q_B3": "0", "q_B2": "1", "q_B1": "1", "action": "complete"}
    data |= {"own_software": "on", "own_software_name": "Eigen rekenmodel"}
    response = admin.post(url, data)
    screening.refresh_from_db()
    assert response.status_code == 302 and screening.status == Screening.Status.COMPLETED
    # B: 1+1+0 = 2/9 = 22.2 % < 50 → not ready; total 35/42 = 83.3 % → ready with conditions.
    assert screening.outcome == Screening.Outcome.CONDITIONS and screening.weakest_areas == ["B"]
    assert screening.total_pct == D("83.3")
    assert screening.own_software and screening.questionnaire.number == 1
    detail = admin.get(response["Location"]).content.decode()
    assert "Gereed met voorwaarden" in detail and "Financiële administratie" in detail


def test_answers_outside_the_scale_are_refused_and_nothing_saved(world) -> None:  # type: ignore[no-untyped-def]
    admin = world.client("org_admin")
    for bad in ("4", "-1", "2.5", "drie"):
        response = admin.post(reverse("programme_screening"), {"q_A1": bad, "action": "save"})
        assert response.status_code == 400
        assert "kies een score van 0 tot en met 3" in response.content.decode()
    assert not Screening.objects.for_organisation(world.org_a).exists()
    with pytest.raises(ValidationError):
        services.screening_save(organisation=world.org_a, user=None, answers={"Z9": 1}, own_software=False)


def test_a_screening_of_another_organisation_is_not_found(world) -> None:  # type: ignore[no-untyped-def]
    other = completed_screening(world, "b")
    response = world.client("org_admin").get(reverse("programme_screening_detail", kwargs={"pk": other.pk}))
    assert response.status_code == 404


def test_screening_stays_against_its_version_when_a_new_one_is_published(world, client) -> None:  # type: ignore[no-untyped-def]
    services.screening_save(organisation=world.org_a, user=None, answers={"A1": 2}, own_software=False)
    party = party_client(client)
    response = party.post(reverse("programme_party_questionnaires"))
    draft = QuestionnaireVersion.objects.get(number=2)
    assert response.status_code == 302 and draft.status == QuestionnaireVersion.Status.DRAFT
    url = reverse("programme_party_questionnaire", kwargs={"pk": draft.pk})
    bad = party.post(
        url,
        {
            "title": "x",
            "text": "- vraag zonder gebied",
            "ready_pct": "75",
            "conditions_pct": "50",
            "area_min_pct": "50",
        },
    )
    assert bad.status_code == 400 and "vóór het eerste gebied" in bad.content.decode()
    order = party.post(
        url,
        {
            "title": "x",
            "text": "Gebied\n- vraag",
            "ready_pct": "50",
            "conditions_pct": "60",
            "area_min_pct": "50",
        },
    )
    assert order.status_code == 400
    ok = party.post(
        url,
        {
            "title": "iPVB-screening 2027",
            "text": "Bestuur\n- Besluit genomen\n\nGeld\n- Kostprijzen\n- Kostenplaatsen",
            "ready_pct": "75",
            "conditions_pct": "50",
            "area_min_pct": "50",
        },
    )
    assert ok.status_code == 302
    assert (
        party.post(reverse("programme_party_questionnaire_publish", kwargs={"pk": draft.pk})).status_code
        == 302
    )
    draft.refresh_from_db()
    assert draft.status == QuestionnaireVersion.Status.PUBLISHED and draft.question_count == 3
    # The screening in progress stays on version 1; a new one uses version 2.
    assert services.screening_current(organisation=world.org_a).questionnaire.number == 1
    services.screening_save(organisation=world.org_b, user=None, answers={"B2": 1}, own_software=False)
    assert services.screening_current(organisation=world.org_b).questionnaire.number == 2
    with pytest.raises(ValidationError):
        questionnaires.questionnaire_update(
            version=draft, title="x", text="A\n- b", ready_pct=1, conditions_pct=1, area_min_pct=1
        )


def test_reporting_party_sees_every_screening_and_its_answers(world, client) -> None:  # type: ignore[no-untyped-def]
    screening = completed_screening(world, "b", score=2)
    party = party_client(client)
    home = party.get(reverse("programme_party_home")).content.decode()
    assert "Organisatie B" in home
    page = party.get(reverse("programme_party_screening", kwargs={"pk": screening.pk})).content.decode()
    assert "Betrokkenheid van de raad van bestuur" in page and "Gereed met voorwaarden" in page


# Self-pay package ---------------------------------------------------------------------------------


def test_package_choice_deduction_and_export(world, client) -> None:  # type: ignore[no-untyped-def]
    from openpyxl import load_workbook

    prices(2026)
    completed_screening(world, own_software=True)
    admin = world.client("org_admin")
    url = reverse("programme_package")
    response = admin.post(url, {"year": "2026", "additions": ["guidance", "software"]})
    assert response.status_code == 302
    page = admin.get(url + "?jaar=2026").content.decode()
    assert "16.500,00" in page  # 12500 + 4000 + 3600 − 3600 (own software)
    party = party_client(client)
    export = party.get(reverse("programme_party_packages_export") + "?jaar=2026")
    assert export["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(export.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[1][0] == "Organisatie A"
    assert D(str(rows[1][-3])) == D("3600") and D(str(rows[1][-2])) == D("16500")


def test_choosing_an_addition_that_does_not_exist_that_year(world) -> None:  # type: ignore[no-untyped-def]
    prices(2026)
    admin = world.client("org_admin")
    url = reverse("programme_package")
    response = admin.post(url, {"year": "2027", "additions": ["guidance"]})
    assert response.status_code == 400 and "nog geen pakketprijzen" in response.content.decode()
    response = admin.post(url, {"year": "2026", "additions": ["catering"]})
    assert response.status_code == 400 and "bestaan" in response.content.decode()
    assert not PackageChoice.objects.for_organisation(world.org_a).exists()


def test_party_sets_prices_and_bad_amounts_are_refused(world, client) -> None:  # type: ignore[no-untyped-def]
    party = party_client(client)
    url = reverse("programme_party_packages")
    data = {
        "year": "2026",
        "base": "12500",
        "guidance": "4000",
        "documents": "750",
        "software": "3600",
        "meetings": "-1",
    }
    assert party.post(url, data).status_code == 400
    assert not services.package_prices(year=2026)
    data["meetings"] = "1200,00"
    assert party.post(url, data).status_code == 302
    assert services.package_prices(year=2026)["meetings"] == D("1200.00")


# Pilot status ------------------------------------------------------------------------------------


def _totals(world, weeks: list[tuple[int, int]]) -> list[datetime.date]:  # type: ignore[no-untyped-def]
    first = datetime.date(2026, 1, 5)
    days = []
    for i, (with_group, without_group) in enumerate(weeks):
        week = first + datetime.timedelta(weeks=i)
        days.append(week)
        for dept, n in ((world.dept_a, with_group), (world.dept_a2, without_group)):
            WeeklyDepartmentTotal.objects.create(
                organisation=world.org_a, department=dept, week_start=week, clients=n, on_ipvb=n
            )
    return days


def test_pilot_status_at_49_and_50_clients(world) -> None:  # type: ignore[no-untyped-def]
    weeks = _totals(world, [(30, 19), (30, 20), (25, 24)])
    progress = pilot_progress(organisation=world.org_a)
    assert progress.week == weeks[2] and progress.status.clients_on_ipvb == 49
    assert progress.status.departments_met and not progress.status.clients_met and not progress.status.met
    assert progress.first_met == weeks[1]  # 50 clients in the second week: first met then
    WeeklyDepartmentTotal.objects.for_organisation(world.org_a).filter(
        week_start=weeks[2], department=world.dept_a
    ).update(on_ipvb=26)
    progress = pilot_progress(organisation=world.org_a)
    assert progress.status.clients_on_ipvb == 50 and progress.status.met


def test_pilot_status_with_one_kind_of_department_missing(world) -> None:  # type: ignore[no-untyped-def]
    _totals(world, [(40, 20)])
    Department.objects.for_organisation(world.org_a).filter(pk=world.dept_a2.pk).update(is_pilot=False)
    progress = pilot_progress(organisation=world.org_a)
    assert progress.status.without_group_care == 0 and progress.status.with_group_care == 1
    assert not progress.status.met and progress.first_met is None
    assert progress.status.clients_on_ipvb == 40  # only the pilot departments count


# Involving every level ----------------------------------------------------------------------------


def test_meeting_in_the_future_with_attendance_is_refused(world) -> None:  # type: ignore[no-untyped-def]
    admin = world.client("org_admin")
    future = (timezone.localdate() + datetime.timedelta(days=7)).isoformat()
    response = admin.post(
        reverse("programme_meeting_record"), {"held_on": future, "topic": "Plan", "board": "1"}
    )
    assert response.status_code == 400 and "in de toekomst" in response.content.decode()
    assert not InternalMeeting.objects.for_organisation(world.org_a).exists()
    planned = admin.post(reverse("programme_meeting_record"), {"held_on": future, "topic": "Plan"})
    assert planned.status_code == 302  # a planned meeting without attendance is fine


def test_involvement_per_level_and_rhythm(world) -> None:  # type: ignore[no-untyped-def]
    today = timezone.localdate()
    start = today - datetime.timedelta(days=70)
    consent(world.org_a, signed_on=start, start_date=start)  # 5 two-weekly slots
    for days, board, care in ((60, 1, 3), (45, 0, 2), (10, 0, 4)):
        meetings.internal_meeting_record(
            organisation=world.org_a,
            user=None,
            held_on=today - datetime.timedelta(days=days),
            topic="x",
            board=board,
            management=1,
            team_leaders=0,
            care_staff=care,
        )
    national = meetings.programme_meeting_record(
        user=None,
        kind=ProgrammeMeeting.Kind.NATIONAL,
        held_on=today - datetime.timedelta(days=20),
        topic="Landelijk",
        attendance={world.org_a.pk: {"team_leaders": 2}},
        organisations=[world.org_a],
    )
    result = involvement(organisation=world.org_a, today=today)
    by_level = {level.code: level for level in result.levels}
    assert by_level["board"].days == 60 and by_level["board"].warning
    assert by_level["team_leaders"].last == national.held_on and not by_level["team_leaders"].warning
    assert by_level["care_staff"].days == 10 and not by_level["care_staff"].warning
    assert (result.held, result.expected, result.rhythm_met) == (3, 5, False)
    page = world.client("board").get(reverse("programme_home")).content.decode()
    assert "Langer dan zes weken niet betrokken" in page and "Achter op het tweewekelijkse ritme" in page
    with pytest.raises(ValidationError):  # attendance for an organisation outside the programme
        meetings.programme_meeting_record(
            user=None,
            kind="regional",
            held_on=today,
            topic="x",
            attendance={world.org_b.pk: {"board": 1}},
            organisations=[world.org_a],
        )


# Programme report ---------------------------------------------------------------------------------


def test_programme_report_is_built_valid_and_suppressed(world, client) -> None:  # type: ignore[no-untyped-def]
    import jsonschema

    report = programme_report(world)
    jsonschema.validate(report.data, load_schema())
    month = report.data["months"][0]
    assert month["month"] == "2026-01" and month["organisations"] == 1
    assert month["clients_on_ipvb"] == "< 5" and month["suppressed"] and month["utilisation_mean_pct"] is None
    party = party_client(client)
    page = party.get(reverse("programme_party_report", kwargs={"pk": report.pk})).content.decode()
    assert "Organisatie A" in page and "&lt; 5" in page
    pdf = party.get(reverse("programme_party_report_pdf", kwargs={"pk": report.pk}))
    assert pdf.content.startswith(b"%PDF")


def test_a_range_of_months_without_reports_is_refused(world, client) -> None:  # type: ignore[no-untyped-def]
    programme_report(world)
    party = party_client(client)
    before = ProgrammeReportBuild.objects.count()
    response = party.post(
        reverse("programme_party_reports"), {"first_month": "2025-06", "last_month": "2025-07"}
    )
    assert response.status_code == 400 and "geen maandrapporten" in response.content.decode()
    response = party.post(
        reverse("programme_party_reports"), {"first_month": "2026-02", "last_month": "2026-01"}
    )
    assert response.status_code == 400 and "vóór de eerste maand" in response.content.decode()
    assert ProgrammeReportBuild.objects.count() == before
    response = party.post(
        reverse("programme_party_reports"),
        {"first_month": "2026-01", "last_month": "2026-01", "reason": "Tussenstand"},
    )
    assert response.status_code == 302  # eager in tests: built at once
    assert ProgrammeReport.objects.count() == 2
    with pytest.raises(ValidationError):
        programme_build_request(first_month="2030-01", last_month="2030-02", user=None, enqueue=False)


# Benchmark ---------------------------------------------------------------------------------------


def test_benchmark_shown_with_4_organisations_hidden_with_3(world, client) -> None:  # type: ignore[no-untyped-def]
    benchmark_report(world.org_a, "58.98", "80.0", "6.0")
    benchmark_report(world.org_b, "61.00", "90.0", "5.0")
    third = OrganisationFactory(name="Organisatie C")
    benchmark_report(third, "55.50", "70.0", "7.5")
    own = benchmark.benchmark_for_organisation(world.org_a)
    assert own["participating"] and {g["metric"] for g in own["groups"]} == {"K", "utilisation", "wellbeing"}
    assert all(not g["shown"] and g["others"] is None for g in own["groups"])  # 2 others only
    api = world.client("manager").get(reverse("programme-benchmark")).json()
    assert all(not g["shown"] for g in api["groups"])
    benchmark_report(OrganisationFactory(name="Organisatie D"), "60.00", "100.0", "4.0")
    own = benchmark.benchmark_for_organisation(world.org_a)
    k = next(g for g in own["groups"] if g["metric"] == "K")
    assert k["shown"] and k["own"] == "58.98" and k["rank"] == 2 and k["of"] == 4
    assert k["others"] == ["55.50", "60.00", "61.00"] and k["median"] == "59.49"
    page = world.client("board").get(reverse("programme_benchmark")).content.decode()
    assert (
        "<svg" in page
        and "Uw organisatie" in page
        and "Organisatie B" not in page
        and "Organisatie C" not in page
    )
    api = world.client("financial").get(reverse("programme-benchmark")).json()
    assert "Organisatie" not in str(api) and any(g["shown"] for g in api["groups"])
    party = party_client(client)
    named = party.get(reverse("reporting-programme-benchmark")).json()
    k = next(g for g in named["groups"] if g["metric"] == "K")
    assert [v["organisation"] for v in k["values"]] == [
        "Organisatie C",
        "Organisatie A",
        "Organisatie D",
        "Organisatie B",
    ]
    assert not any(g["group"] == "4VV" for g in named["groups"])  # suppressed at the source
    page = party.get(reverse("programme_party_benchmark")).content.decode()
    assert "Organisatie C" in page and "<svg" in page


# Roles -------------------------------------------------------------------------------------------


def test_reporting_party_gets_every_party_page(world, client) -> None:  # type: ignore[no-untyped-def]
    party = party_client(client)
    for route in ROUTES:
        if "reporting_party" not in route.extra or route.method != "get":
            continue
        url = reverse(route.name, kwargs=route.kwargs(world) if route.kwargs else None)
        assert party.get(url).status_code == 200, route.name


def test_organisation_users_never_see_admin_buttons_they_cannot_use(world) -> None:  # type: ignore[no-untyped-def]
    page = world.client("manager").get(reverse("programme_home")).content.decode()
    assert reverse("programme_screening") not in page and reverse("programme_package") not in page
    meetings = world.client("board").get(reverse("programme_meetings")).content.decode()
    assert reverse("programme_meeting_record") not in meetings
    party_only = world.client("org_admin").get(reverse("programme_party_home"))
    assert party_only.status_code == 403


def test_migration_keeps_the_same_default_questionnaire_as_the_code() -> None:
    import importlib

    from reporting.programme import defaults

    migration = importlib.import_module("reporting.migrations.0003_programme")
    assert migration.DEFAULT_AREAS == defaults.AREAS
