"""Writes of the transparency reports: the participation agreement (append-only history) and
build requests (job, org admin, reporting party). Bad input raises ValidationError with a
Dutch message and changes nothing."""

from __future__ import annotations

import datetime
import logging
from collections.abc import Generator
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ipvb.models import Organisation, User

from .models import MonthlyReport, ParticipationRecord, ReportBuild
from .parties import participation_in_force

logger = logging.getLogger(__name__)

PARTICIPATION_FIELDS = (
    "signed_on",
    "signed_by_name",
    "signed_by_function",
    "project_leader",
    "start_date",
    "consent_cost_price",
    "consent_addons",
    "consent_usage",
)


def participation_record(
    *,
    organisation: Organisation,
    user: User | None,
    signed_on: datetime.date,
    signed_by_name: str,
    signed_by_function: str,
    project_leader: str,
    start_date: datetime.date,
    consent_cost_price: bool = False,
    consent_addons: bool = False,
    consent_usage: bool = False,
) -> ParticipationRecord:
    """Records the agreement as it is now (a new row; earlier rows stay as history)."""
    values: dict[str, Any] = {
        "signed_on": signed_on,
        "signed_by_name": signed_by_name,
        "signed_by_function": signed_by_function,
        "project_leader": project_leader,
        "start_date": start_date,
        "consent_cost_price": consent_cost_price,
        "consent_addons": consent_addons,
        "consent_usage": consent_usage,
    }
    missing = [name for name in PARTICIPATION_FIELDS[:5] if not values[name]]
    if missing:
        raise ValidationError(_("Vul alle gegevens van de deelnameovereenkomst in."))
    if start_date < signed_on - datetime.timedelta(days=366):
        raise ValidationError(
            {"start_date": _("De startdatum ligt meer dan een jaar vóór de ondertekening.")}
        )
    if signed_on > timezone.localdate():
        raise ValidationError({"signed_on": _("De datum van ondertekening ligt in de toekomst.")})
    current = participation_in_force(organisation)
    if current is not None and all(getattr(current, n) == values[n] for n in PARTICIPATION_FIELDS):
        raise ValidationError(_("Er is niets gewijzigd ten opzichte van de overeenkomst die nu geldt."))
    return ParticipationRecord.objects.create(
        organisation=organisation, recorded_by=user, recorded_at=timezone.now(), **values
    )


def parse_month(value: datetime.date | str) -> datetime.date:
    if isinstance(value, datetime.date):
        return value.replace(day=1)
    try:
        return datetime.datetime.strptime(str(value).strip(), "%Y-%m").date()  # noqa: DTZ007
    except ValueError:
        raise ValidationError({"month": _("Geef de maand op als JJJJ-MM, bijvoorbeeld 2026-01.")}) from None


def check_buildable(*, organisation: Organisation, month: datetime.date) -> None:
    record = participation_in_force(organisation)
    if record is None or not record.has_consent:
        raise ValidationError(
            _(
                "Deze organisatie heeft geen toestemming voor transparantie vastgelegd; er wordt geen rapport gemaakt."
            )
        )
    this_month = timezone.localdate().replace(day=1)
    if month >= this_month:
        raise ValidationError(
            {"month": _("Een maandrapport kan pas worden gemaakt als de maand voorbij is.")}
        )
    if month < record.start_date.replace(day=1):
        raise ValidationError(
            {
                "month": _("Deze maand ligt vóór de startdatum van de deelname (%(start)s).")
                % {"start": record.start_date.strftime("%d-%m-%Y")}
            }
        )


def build_request(
    *,
    organisation: Organisation,
    month: datetime.date | str,
    user: User | None = None,
    reason: str = "",
    trigger: str = ReportBuild.Trigger.ORG_ADMIN,
    enqueue: bool = True,
) -> ReportBuild:
    """Queues a build of the report of ``month``. A manual request needs a reason (it makes a
    new version); when the broker is unreachable the request is undone and refused."""
    month = parse_month(month)
    reason = (reason or "").strip()
    if trigger != ReportBuild.Trigger.JOB and not reason:
        raise ValidationError({"reason": _("Geef een reden op voor het (opnieuw) maken van het rapport.")})
    if len(reason) > 500:
        raise ValidationError({"reason": _("De reden is te lang (hoogstens 500 tekens).")})
    check_buildable(organisation=organisation, month=month)
    pending = ReportBuild.objects.for_organisation(organisation).filter(
        month=month, status__in=[ReportBuild.Status.QUEUED, ReportBuild.Status.RUNNING]
    )
    if pending.exists():
        raise ValidationError(_("Voor deze maand wordt al een rapport gemaakt; wacht tot die klaar is."))
    build = ReportBuild.objects.create(
        organisation=organisation,
        month=month,
        trigger=trigger,
        reason=reason,
        requested_by=user,
        requested_at=timezone.now(),
    )
    if enqueue:
        enqueue_build(build)
    return build


BROKER_DOWN_MESSAGE = (
    "De achtergrondverwerking is nu niet bereikbaar; het rapport is niet aangevraagd. "
    "Probeer het over enkele minuten opnieuw."
)


def enqueue_build(build: ReportBuild) -> None:
    from .tasks import build_monthly_report

    try:
        build_monthly_report.apply_async(args=[build.organisation_id, build.pk], retry=False)
    except Exception as exc:  # the broker (Redis) is unreachable
        logger.warning("Report build %s not queued: %s", build.pk, exc)
        ReportBuild.objects.for_organisation(build.organisation_id).filter(pk=build.pk).delete()
        raise ValidationError(_(BROKER_DOWN_MESSAGE)) from exc


def run_build(organisation_id: int, build_id: int, *, progress: Any = None) -> MonthlyReport:
    """The body of the task: builds, validates and stores the report of one build, once.
    A build that already has its report returns it (redelivery is harmless)."""
    import jsonschema

    from .transparency import build_report_data, load_schema

    builds = ReportBuild.objects.for_organisation(organisation_id)
    with transaction.atomic():
        build = builds.select_for_update().get(pk=build_id)
        existing = MonthlyReport.objects.for_organisation(organisation_id).filter(build=build).first()
        if existing is not None:
            return existing
        build.status = ReportBuild.Status.RUNNING
        build.started_at = timezone.now()
        build.attempts += 1
        build.progress = 10
        build.error = ""
        build.save(update_fields=["status", "started_at", "attempts", "progress", "error"])
    try:
        data = build_report_data(organisation_id, build.month)
        builds.filter(pk=build_id).update(progress=60)
        if progress is not None:
            progress(build)
        with transaction.atomic():
            build = builds.select_for_update().get(pk=build_id)
            existing = MonthlyReport.objects.for_organisation(organisation_id).filter(build=build).first()
            if existing is not None:
                return existing
            reports = MonthlyReport.objects.for_organisation(organisation_id).filter(month=build.month)
            version = (reports.order_by("-version").values_list("version", flat=True).first() or 0) + 1
            now = timezone.now()
            data["report"] = {
                "version": version,
                "built_at": now.isoformat(),
                "reason": build.reason,
                "trigger": build.trigger,
            }
            jsonschema.validate(data, load_schema())
            report = MonthlyReport.objects.create(
                organisation_id=organisation_id,
                month=build.month,
                version=version,
                schema_version=data["schema_version"],
                data=data,
                reason=build.reason,
                build=build,
                built_at=now,
            )
            build.status = ReportBuild.Status.SUCCEEDED
            build.progress = 100
            build.finished_at = now
            build.save(update_fields=["status", "progress", "finished_at"])
            return report
    except Exception as exc:
        builds.filter(pk=build_id).update(
            status=ReportBuild.Status.FAILED, error=str(exc)[:500], finished_at=timezone.now()
        )
        raise


def monthly_job(month: datetime.date) -> Generator[tuple[int, int], None, None]:
    """The builds of the monthly batch to send, as ``(organisation id, build id)``: one build
    per consenting organisation that has no report of ``month`` and no manual build in
    progress. Call inside ``ipvb.rls.cross_organisation()``, outside a transaction: each build
    is committed before it is yielded, so its task finds it.

    Idempotent, so the batch can be re-run (or its fan-out retried) at any point: the job's
    build of an organisation and month is unique (``report_build_one_job_per_month``) and is
    found again instead of created twice; it is yielded again while it has no report and no
    worker holds it (queued, e.g. never sent because the fan-out died, or failed: sent
    again), never once its report exists.

    Largest organisation first (by its number of clients): a build takes time in proportion
    to the clients, so the workers take the long builds first and finish together instead of
    one worker building the largest organisation alone at the end (measured with 23
    organisations of 250 to 2,070 clients: two workers took 0.79 of one worker's time in
    ``pk`` order). Only ``(id, start date)`` pairs are held, a few dozen bytes an organisation."""
    from django.db.models import Count, IntegerField, OuterRef, Subquery, Value
    from django.db.models.functions import Coalesce

    from clients.models import Client

    from .parties import consenting_organisations

    clients = (
        Client.objects.dangerously_unscoped()
        .filter(organisation=OuterRef("pk"))
        .order_by()
        .values("organisation")
        .annotate(n=Count("pk"))
        .values("n")
    )
    organisations = list(
        consenting_organisations()
        .annotate(size=Coalesce(Subquery(clients, output_field=IntegerField()), Value(0)))
        .order_by("-size", "pk")
        .values_list("pk", "start_date")
    )
    for organisation_id, start_date in organisations:
        if month < start_date.replace(day=1):
            continue
        found = _job_build(organisation_id, month)
        if found is not None:
            yield organisation_id, found


def _job_build(organisation_id: int, month: datetime.date) -> int | None:
    """The job's build of the organisation and ``month`` to send, or None."""
    builds = ReportBuild.objects.for_organisation(organisation_id)
    job = builds.filter(month=month, trigger=ReportBuild.Trigger.JOB).first()
    if job is None:
        if MonthlyReport.objects.for_organisation(organisation_id).filter(month=month).exists():
            return None  # built on request already
        if builds.filter(
            month=month, status__in=[ReportBuild.Status.QUEUED, ReportBuild.Status.RUNNING]
        ).exists():
            return None  # a manual build of that month is under way
        job, _created = builds.get_or_create(
            month=month,
            trigger=ReportBuild.Trigger.JOB,
            defaults={"organisation_id": organisation_id, "requested_at": timezone.now()},
        )
    if job.status == ReportBuild.Status.RUNNING:
        return None  # a worker holds it; the broker redelivers it if that worker dies
    if MonthlyReport.objects.for_organisation(organisation_id).filter(build=job).exists():
        return None
    if job.status == ReportBuild.Status.FAILED:
        builds.filter(pk=job.pk).update(status=ReportBuild.Status.QUEUED, progress=0)
    return job.pk


def store_report_pdf(report: MonthlyReport) -> None:
    """Renders the report's PDF in the site language and stores it (the monthly batch), unless
    it is stored already (a redelivered task)."""
    from django.conf import settings
    from django.utils import translation

    from .views.transparency import report_pdf

    with translation.override(settings.LANGUAGE_CODE):
        report_pdf(report)
