"""The programme report (bewijslast-eindrapport, domain page section 10): over a chosen range
of months, across the participating organisations, from their stored monthly reports (the
latest version of each month). Counts that were suppressed at the source stay unknown and are
counted as such; every total about fewer than 5 clients is suppressed again. JSON validated
against ``reporting/schemas/programme_report.schema.json``, and a PDF from the same data."""

from __future__ import annotations

import datetime
import json
import logging
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from reporting.models import MonthlyReport
from reporting.parties import consenting_organisations, latest_reports
from reporting.transparency import MIN_GROUP, SUPPRESSED, count, money, pct
from reporting.transparency_services import parse_month

from .models import ProgrammeReport, ProgrammeReportBuild

logger = logging.getLogger(__name__)

SCHEMA_VERSION = "1.0"
SCHEMA_PATH = Path(__file__).resolve().parent.parent / "schemas" / "programme_report.schema.json"
MAX_MONTHS = 36
SIGNALS = ("overrun", "reindication", "structural_deficit", "meerzorg")


def load_schema() -> dict[str, Any]:
    return json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))


def month_range(first: datetime.date, last: datetime.date) -> list[datetime.date]:
    months, day = [], first
    while day <= last:
        months.append(day)
        day = (day.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)
    return months


def _reports(first: datetime.date, last: datetime.date) -> list[MonthlyReport]:
    return list(
        latest_reports(consenting_organisations().values("pk"))
        .filter(month__gte=first, month__lte=last)
        .order_by("month", "organisation__name")
    )


def check_range(first_month: Any, last_month: Any) -> tuple[datetime.date, datetime.date]:
    first, last = parse_month(first_month), parse_month(last_month)
    if first > last:
        raise ValidationError({"last_month": _("De laatste maand ligt vóór de eerste maand.")})
    if last >= timezone.localdate().replace(day=1):
        raise ValidationError({"last_month": _("Kies alleen maanden die voorbij zijn.")})
    if len(month_range(first, last)) > MAX_MONTHS:
        raise ValidationError({"first_month": _("Kies hoogstens %(max)s maanden.") % {"max": MAX_MONTHS}})
    if not _reports(first, last):
        raise ValidationError(
            _(
                "Er zijn geen maandrapporten van deelnemende organisaties in deze periode; "
                "kies een andere periode."
            )
        )
    return first, last


def _int(value: Any) -> int | None:
    return value if isinstance(value, int) else None


def _month_figures(reports: list[MonthlyReport]) -> dict[str, Any]:
    clients = 0
    clients_suppressed = 0
    signals = dict.fromkeys(SIGNALS, 0)
    conversations = 0
    util_sum, util_n = Decimal(0), 0
    wb_sum, wb_n = Decimal(0), 0
    required, actual = Decimal(0), Decimal(0)
    pilot_met = 0
    for report in reports:
        usage = report.data["usage"]
        n = _int(usage["clients_on_ipvb"]["total"])
        if n is None:
            clients_suppressed += 1
        else:
            clients += n
        for key in SIGNALS:
            signals[key] += _int(usage["signals"].get(key)) or 0
        conversations += sum(_int(row["conversations"]) or 0 for row in usage["conversations"])
        overall = next((row for row in usage["utilisation"] if row["profile"] == "all"), None)
        if overall and not overall["suppressed"] and overall["mean_pct"] is not None:
            util_sum += Decimal(overall["mean_pct"]) * overall["clients"]
            util_n += overall["clients"]
        share = usage["wellbeing_share"]
        if not share["suppressed"] and share["share_pct"] is not None:
            wb_sum += Decimal(share["share_pct"]) * share["clients"]
            wb_n += share["clients"]
        for dept in usage["formatie"]:
            for line in dept["levels"]:
                required += Decimal(line["required_fte"] or 0)
                actual += Decimal(line["actual_fte"] or 0)
        if usage["pilot_status"]["met"]:
            pilot_met += 1
    hidden = clients < MIN_GROUP
    return {
        "organisations": len(reports),
        "clients_on_ipvb": count(clients),
        "organisations_with_suppressed_clients": clients_suppressed,
        "suppressed": hidden,
        "utilisation_mean_pct": None if util_n < MIN_GROUP else pct(util_sum / util_n),
        "wellbeing_share_pct": None if wb_n < MIN_GROUP else pct(wb_sum / wb_n),
        "signals": {key: count(value) for key, value in signals.items()},
        "conversations": conversations if not hidden else SUPPRESSED,
        "formatie": {
            "required_fte": money(required),
            "actual_fte": money(actual),
            "gap_fte": money(actual - required),
        },
        "pilot_met": pilot_met,
    }


def build_programme_data(first: datetime.date, last: datetime.date) -> dict[str, Any]:
    reports = _reports(first, last)
    by_month: dict[datetime.date, list[MonthlyReport]] = {}
    by_org: dict[int, list[MonthlyReport]] = {}
    for report in reports:
        by_month.setdefault(report.month, []).append(report)
        by_org.setdefault(report.organisation_id, []).append(report)
    months = []
    for month in month_range(first, last):
        months.append({"month": f"{month:%Y-%m}", **_month_figures(by_month.get(month, []))})
    organisations = []
    for mine in sorted(by_org.values(), key=lambda rs: rs[0].organisation.name):
        latest = mine[-1]
        usage = latest.data["usage"]
        pilot = usage["pilot_status"]
        organisations.append(
            {
                "name": latest.organisation.name,
                "months_reported": len(mine),
                "last_month": f"{latest.month:%Y-%m}",
                "clients_on_ipvb": usage["clients_on_ipvb"]["total"],
                "pilot_status": {
                    "pilot_departments": pilot["pilot_departments"],
                    "with_group_care": pilot["with_group_care"],
                    "without_group_care": pilot["without_group_care"],
                    "clients_on_ipvb": pilot["clients_on_ipvb"],
                    "met": pilot["met"],
                },
            }
        )
    return {
        "schema_version": SCHEMA_VERSION,
        "period": {"first_month": f"{first:%Y-%m}", "last_month": f"{last:%Y-%m}"},
        "small_count_threshold": MIN_GROUP,
        "organisations": organisations,
        "months": months,
        "totals": {
            **_month_figures([mine[-1] for mine in by_org.values()]),
            "basis": "last_month_per_organisation",
        },
    }


def programme_build_request(
    *, first_month: Any, last_month: Any, user: Any, reason: str = "", enqueue: bool = True
) -> ProgrammeReportBuild:
    first, last = check_range(first_month, last_month)
    if ProgrammeReportBuild.objects.filter(
        status__in=[ProgrammeReportBuild.Status.QUEUED, ProgrammeReportBuild.Status.RUNNING],
        first_month=first,
        last_month=last,
    ).exists():
        raise ValidationError(
            _("Voor deze periode wordt al een programmarapport gemaakt; wacht tot dat klaar is.")
        )
    build = ProgrammeReportBuild.objects.create(
        first_month=first,
        last_month=last,
        reason=(reason or "").strip()[:500],
        requested_by=user,
        requested_at=timezone.now(),
    )
    if enqueue:
        from reporting.tasks import build_programme_report

        try:
            build_programme_report.apply_async(args=[build.pk], retry=False)
        except Exception as exc:  # the broker (Redis) is unreachable
            logger.warning("Programme report build %s not queued: %s", build.pk, exc)
            ProgrammeReportBuild.objects.filter(pk=build.pk).delete()
            from reporting.transparency_services import BROKER_DOWN_MESSAGE

            raise ValidationError(_(BROKER_DOWN_MESSAGE)) from exc
    return build


def run_programme_build(build_id: int) -> ProgrammeReport:
    """The task body: builds, validates and stores the report of one build, once."""
    import jsonschema

    with transaction.atomic():
        build = ProgrammeReportBuild.objects.select_for_update().get(pk=build_id)
        existing = ProgrammeReport.objects.filter(build=build).first()
        if existing is not None:
            return existing
        build.status = ProgrammeReportBuild.Status.RUNNING
        build.started_at = timezone.now()
        build.attempts += 1
        build.progress = 10
        build.error = ""
        build.save(update_fields=["status", "started_at", "attempts", "progress", "error"])
    try:
        data = build_programme_data(build.first_month, build.last_month)
        with transaction.atomic():
            build = ProgrammeReportBuild.objects.select_for_update().get(pk=build_id)
            existing = ProgrammeReport.objects.filter(build=build).first()
            if existing is not None:
                return existing
            now = timezone.now()
            data["report"] = {"built_at": now.isoformat(), "reason": build.reason}
            jsonschema.validate(data, load_schema())
            report = ProgrammeReport.objects.create(
                build=build,
                first_month=build.first_month,
                last_month=build.last_month,
                schema_version=SCHEMA_VERSION,
                data=data,
                built_at=now,
            )
            build.status = ProgrammeReportBuild.Status.SUCCEEDED
            build.progress = 100
            build.finished_at = now
            build.save(update_fields=["status", "progress", "finished_at"])
            return report
    except Exception as exc:
        ProgrammeReportBuild.objects.filter(pk=build_id).update(
            status=ProgrammeReportBuild.Status.FAILED, error=str(exc)[:500], finished_at=timezone.now()
        )
        raise
