"""Demo data of the programme (called at the end of ``reporting.demo.load``): package prices
(illustrative), both demo organisations screened with their chosen additions, internal
meetings over the last months, a national and a regional meeting, and a programme report over
the months of the demo's monthly reports. Idempotent."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.utils import timezone

from ipvb.models import Organisation

from . import meetings, questionnaires, services
from .formulas import question_codes
from .models import InternalMeeting, ProgrammeMeeting, ProgrammeReport, Screening

DEMO_AGB = ("73730001", "73730002")
# Illustrative amounts (not the programme's real prices).
PRICES = {
    "base": Decimal("12500.00"),
    "guidance": Decimal("4000.00"),
    "documents": Decimal("750.00"),
    "software": Decimal("3600.00"),
    "meetings": Decimal("1200.00"),
}
CHOICES = {"73730001": ["guidance", "software", "meetings"], "73730002": ["documents", "software"]}
# Per demo organisation: the score per area (ready / ready with conditions) and own software.
SCREENING = {
    "73730001": ({"A": 3, "B": 3, "C": 2, "D": 2, "E": 3, "F": 3, "G": 2}, ""),
    "73730002": (
        {"A": 2, "B": 1, "C": 2, "D": 1, "E": 2, "F": 3, "G": 1},
        "Eigen kostprijsmodel in Excel (demo)",
    ),
}


def _admin(org: Organisation) -> Any:
    from reporting.demo import _member

    member = _member(org, "beheer@")
    return member.user if member else None


def _screening(org: Organisation) -> None:
    if Screening.objects.for_organisation(org).exists():
        return
    version = questionnaires.questionnaire_in_force()
    if version is None:
        return
    scores, software = SCREENING[org.agb_code]
    answers = {code: scores.get(code[0], 2) for code in question_codes(version.areas)}
    services.screening_save(
        organisation=org,
        user=_admin(org),
        answers=answers,
        own_software=bool(software),
        own_software_name=software,
        complete=True,
    )


def _meetings(org: Organisation, start: datetime.date, today: datetime.date) -> int:
    if InternalMeeting.objects.for_organisation(org).exists():
        return 0
    first_org = org.agb_code == DEMO_AGB[0]
    made, day, n = 0, start + datetime.timedelta(days=3), 0
    topics = ("Kostprijsmodel en tarieven", "Gesprekken met cliënt en familie", "Regelruimte in de teams")
    while day <= today:
        n += 1
        # The second organisation skips some meetings and has not involved its board lately.
        if first_org or n % 3 != 0:
            meetings.internal_meeting_record(
                organisation=org,
                user=_admin(org),
                held_on=day,
                topic=topics[n % len(topics)],
                board=1 if (first_org and n % 2 == 1) or n == 1 else 0,
                management=2,
                team_leaders=2 if first_org or n % 2 == 0 else 0,
                care_staff=4 if first_org else 2,
            )
            made += 1
        day += datetime.timedelta(days=14)
    return made


def _programme_meetings(organisations: list[Organisation], today: datetime.date) -> None:
    if ProgrammeMeeting.objects.exists():
        return
    first, second = [*organisations, None, None][:2]
    attendance: dict[int, dict[str, int]] = {}
    if first is not None:
        attendance[first.pk] = {"board": 1, "management": 1, "team_leaders": 1, "care_staff": 0}
    if second is not None:
        attendance[second.pk] = {"board": 0, "management": 1, "team_leaders": 0, "care_staff": 1}
    meetings.programme_meeting_record(
        user=None,
        kind=ProgrammeMeeting.Kind.NATIONAL,
        held_on=today - datetime.timedelta(weeks=10),
        topic="Landelijke startbijeenkomst iPVB-proof worden",
        attendance=attendance,
        organisations=organisations,
    )
    meetings.programme_meeting_record(
        user=None,
        kind=ProgrammeMeeting.Kind.REGIONAL,
        held_on=today - datetime.timedelta(weeks=4),
        topic="Regionale bijeenkomst: ervaringen met de gesprekken",
        region="Midden-Nederland",
        attendance={k: {**v, "care_staff": 2} for k, v in attendance.items()},
        organisations=organisations,
    )


def _report(out: Any) -> None:
    from reporting.demo import REPORT_MONTHS

    from .report import programme_build_request, run_programme_build

    if ProgrammeReport.objects.exists():
        return
    last = (timezone.localdate().replace(day=1) - datetime.timedelta(days=1)).replace(day=1)
    first = last
    for _ in range(REPORT_MONTHS - 1):
        first = (first - datetime.timedelta(days=1)).replace(day=1)
    try:
        build = programme_build_request(
            first_month=first, last_month=last, user=None, reason="Tussenrapportage (demo)", enqueue=False
        )
    except Exception as exc:  # no monthly reports (e.g. a partial demo)
        if out is not None:
            out.write(f"  programme demo: no programme report ({exc})")
        return
    run_programme_build(build.pk)


def load(out: Any = None) -> None:
    from reporting.parties import participation_in_force

    for year in {timezone.localdate().year, timezone.localdate().year + 1}:
        if not services.package_prices(year=year):
            services.package_prices_set(year=year, amounts=dict(PRICES), user=None)
    today = timezone.localdate()
    organisations = []
    for agb_code in DEMO_AGB:
        org = Organisation.objects.filter(agb_code=agb_code).first()
        if org is None:
            continue
        organisations.append(org)
        _screening(org)
        if services.package_choice_in_force(organisation=org, year=today.year) is None:
            services.package_choose(
                organisation=org, year=today.year, additions=CHOICES[agb_code], user=_admin(org)
            )
        record = participation_in_force(org)
        start = record.start_date if record else today - datetime.timedelta(weeks=16)
        made = _meetings(org, start, today)
        if out is not None:
            out.write(f"  {org.name}: programme screening, package and {made} new internal meetings")
    _programme_meetings(organisations, today)
    _report(out)
