"""Programme fixtures: screenings, package prices and choices, meetings, a programme report."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.utils import timezone

from reporting.models import MonthlyReport, ReportBuild
from reporting.programme import questionnaires, services
from reporting.programme.formulas import question_codes
from reporting.programme.models import PackagePart, QuestionnaireVersion, Screening
from tests.reporting.builders import consent

D = Decimal
PRICES: dict[str, Decimal | None] = {
    PackagePart.BASE: D("12500.00"),
    PackagePart.GUIDANCE: D("4000.00"),
    PackagePart.DOCUMENTS: D("750.00"),
    PackagePart.SOFTWARE: D("3600.00"),
    PackagePart.MEETINGS: D("1200.00"),
}


def default_questionnaire() -> QuestionnaireVersion:
    """Version 1, loaded by the migration (and again by the service after a transactional test
    emptied the table)."""
    return questionnaires.questionnaire_default()


def completed_screening(world: Any, org: str = "a", score: int = 3, own_software: bool = False) -> Screening:
    def build(w: Any) -> Screening:
        organisation = w.org_a if org == "a" else w.org_b
        version = default_questionnaire()
        return services.screening_save(
            organisation=organisation,
            user=w.user("org_admin", org),
            answers=dict.fromkeys(question_codes(version.areas), score),
            own_software=own_software,
            own_software_name="Eigen rekenmodel" if own_software else "",
            complete=True,
        )

    return world.get(f"screening_{org}", build)


def prices(year: int = 2026) -> None:
    services.package_prices_set(year=year, amounts=dict(PRICES), user=None)


def programme_report(world: Any) -> Any:
    """The programme report over January 2026 from org A's stored monthly report."""
    from reporting.programme.report import programme_build_request, run_programme_build
    from tests.reporting.builders import transparency_world

    def build(w: Any) -> Any:
        transparency_world(w)
        request = programme_build_request(
            first_month="2026-01", last_month="2026-01", user=None, enqueue=False
        )
        return run_programme_build(request.pk)

    return world.get("programme_report", build)


def meeting_data(world: Any) -> dict[str, Any]:
    return {
        "held_on": (datetime.date.today() - datetime.timedelta(days=3)).isoformat(),
        "topic": "Voortgang pilot",
        "board": "1",
        "management": "2",
        "team_leaders": "2",
        "care_staff": "4",
    }


def benchmark_report(org: Any, k: str, util: str, share: str) -> None:
    """A participating organisation with a stored report of January 2026 (only the figures the
    benchmark reads)."""
    consent(org, signed_on=datetime.date(2025, 12, 1))
    build = ReportBuild.objects.create(
        organisation=org, month=datetime.date(2026, 1, 1), requested_at=timezone.now()
    )
    MonthlyReport.objects.create(
        organisation=org,
        month=datetime.date(2026, 1, 1),
        version=1,
        schema_version="1.0",
        build=build,
        built_at=timezone.now(),
        data={
            "cost_price": {"model": {"levels": [{"level": "Verzorgende IG", "integral_rate_K": k}]}},
            "usage": {
                "snapshot_week": None,
                "utilisation": [
                    {"profile": "5VV", "suppressed": False, "mean_pct": util},
                    {"profile": "4VV", "suppressed": True, "mean_pct": None},
                ],
                "wellbeing_share": {"clients": 12, "suppressed": False, "share_pct": share},
            },
        },
    )
