"""Access specs of the programme's routes (included in tests/reporting/routes.py)."""

from __future__ import annotations

from ipvb.roles import Role
from tests.reporting.programme.builders import (
    completed_screening,
    default_questionnaire,
    meeting_data,
    programme_report,
)
from tests.routing import Route

STATUS = frozenset({Role.ORG_ADMIN, Role.MANAGER, Role.BOARD})
ADMIN = frozenset({Role.ORG_ADMIN})
BENCHMARK = frozenset({Role.ORG_ADMIN, Role.MANAGER, Role.BOARD, Role.FINANCIAL})
PARTY = {"roles": frozenset(), "extra": {"reporting_party": True}}


def screening_a(w):  # type: ignore[no-untyped-def]
    return {"pk": completed_screening(w).pk}


def screening_b(w):  # type: ignore[no-untyped-def]
    return {"pk": completed_screening(w, "b").pk}


def questionnaire(w):  # type: ignore[no-untyped-def]
    return {"pk": default_questionnaire().pk}


def report(w):  # type: ignore[no-untyped-def]
    return {"pk": programme_report(w).pk}


ROUTES = [
    Route("programme_home", roles=STATUS),
    Route("programme_screening", roles=ADMIN),
    Route("programme_screening_detail", roles=STATUS, kwargs=screening_a, other_kwargs=screening_b),
    Route("programme_package", roles=ADMIN),
    Route("programme_meetings", roles=STATUS),
    Route("programme_meeting_record", roles=ADMIN, method="post", data=meeting_data, ok_status=302),
    Route("programme_benchmark", roles=BENCHMARK),
    Route("programme-benchmark", api=True, roles=BENCHMARK),
    Route("programme_party_home", **PARTY),
    Route("programme_party_screening", kwargs=screening_a, **PARTY),
    Route("programme_party_questionnaires", **PARTY),
    Route("programme_party_questionnaire", kwargs=questionnaire, **PARTY),
    Route(
        "programme_party_questionnaire_publish", kwargs=questionnaire, method="post", ok_status=302, **PARTY
    ),
    Route("programme_party_packages", **PARTY),
    Route("programme_party_packages_export", **PARTY),
    Route("programme_party_meetings", **PARTY),
    Route("programme_party_reports", **PARTY),
    Route("programme_party_report", kwargs=report, **PARTY),
    Route("programme_party_report_pdf", kwargs=report, **PARTY),
    Route("programme_party_benchmark", **PARTY),
    Route("reporting-programme-benchmark", api=True, **PARTY),
]
