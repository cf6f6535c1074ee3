"""The programme in the demo: both demo organisations screened with chosen additions,
internal meetings over the last months, national and regional meetings, a programme report."""

import io

import pytest
from django.core.management import call_command

from ipvb.models import Organisation
from reporting.programme.models import ProgrammeMeeting, ProgrammeReport, Screening
from reporting.programme.selectors import programme_overview

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo")]


def test_demo_programme() -> None:
    call_command("load_demo", "--quiet-logins", stdout=io.StringIO())
    call_command("load_demo", "--quiet-logins", stdout=io.StringIO())  # idempotent
    rows = {s.organisation.agb_code: s for s in programme_overview()}
    assert set(rows) == {"73730001", "73730002"}
    first, second = rows["73730001"], rows["73730002"]
    assert first.screening.outcome == Screening.Outcome.READY
    assert second.screening.outcome == Screening.Outcome.CONDITIONS and second.screening.own_software
    assert first.choice.additions == ["guidance", "software", "meetings"]
    assert second.amount.deduction > 0  # own software: the software part is deducted
    assert first.involvement.held >= 6 and not first.involvement.warnings
    assert [level.code for level in second.involvement.warnings] == ["board"]
    assert first.pilot.status.departments_met and second.pilot.status.departments_met
    # De Zonnehof meets the pilot conditions (at least 50 clients on iPVB), Het Lindehuis not yet.
    assert first.pilot.status.clients_met and first.pilot.first_met is not None
    assert not second.pilot.status.clients_met and second.pilot.first_met is None
    assert ProgrammeMeeting.objects.count() == 2
    report = ProgrammeReport.objects.get()
    assert len(report.data["months"]) == 4 and len(report.data["organisations"]) == 2
    assert Screening.objects.dangerously_unscoped().count() == Organisation.objects.count() == 2
