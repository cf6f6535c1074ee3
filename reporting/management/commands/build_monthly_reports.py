"""manage.py build_monthly_reports [--month YYYY-MM] [--wait SECONDS]: the monthly batch of
transparency reports for one month, the same as the beat job on the 1st (issue 16)."""

from __future__ import annotations

import datetime
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db.models import Q
from django.utils import timezone

from ipvb.rls import cross_organisation
from reporting.models import MonthlyReport, ReportBuild
from reporting.tasks import build_monthly_reports, previous_month


class Command(BaseCommand):
    help = (
        "Queues the monthly transparency report of every consenting organisation for a month "
        "(default: last month), one Celery task per organisation. Idempotent: what has its "
        "report already is not built again. Without a broker (no REDIS_URL) the builds run here."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--month", help="YYYY-MM, a month that has ended; default last month.")
        parser.add_argument(
            "--wait",
            type=float,
            default=0,
            help="Wait up to this many seconds for the month's job builds to finish, then report.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        month = previous_month()
        if options["month"]:
            try:
                month = datetime.datetime.strptime(options["month"], "%Y-%m").date()  # noqa: DTZ007
            except ValueError as exc:
                raise CommandError("--month must be YYYY-MM, e.g. 2026-01.") from exc
        if month >= timezone.localdate().replace(day=1):
            raise CommandError("A monthly report can only be built once the month has ended.")
        sent = build_monthly_reports(month.isoformat())
        self.stdout.write(f"{month:%Y-%m}: {sent} report builds queued.")
        if options["wait"] <= 0:
            return
        end = time.monotonic() + options["wait"]
        while True:
            done, failed, open_ = self._progress(month)
            if not open_ or time.monotonic() > end:
                break
            time.sleep(1)
        self.stdout.write(f"{month:%Y-%m}: {done} built, {failed} failed, {open_} not finished.")
        if open_ or failed:
            raise CommandError("Not every report of the month was built.")

    @staticmethod
    def _progress(month: datetime.date) -> tuple[int, int, int]:
        with cross_organisation():  # the reporting party's platform job (ipvb.rls)
            jobs = ReportBuild.objects.dangerously_unscoped().filter(
                month=month, trigger=ReportBuild.Trigger.JOB
            )
            done = MonthlyReport.objects.dangerously_unscoped().filter(build__in=jobs.values("pk")).count()
            failed = jobs.filter(status=ReportBuild.Status.FAILED).count()
            open_ = jobs.filter(~Q(status=ReportBuild.Status.FAILED)).count() - done
        return done, failed, open_
