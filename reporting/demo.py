"""Demo data of reporting: a few clients pushed over their budget some weeks ago (re-indication
and meerzorg candidates, through the conversations services), then 26 weeks of weekly
snapshots for every demo organisation. Idempotent."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from catalog.models import Activity
from catalog.selectors import quote_with_card
from clients.models import Client
from conversations.models import Conversation, Package
from conversations.selectors import current_agreed
from costing.budget import budget_for_client
from costing.selectors import rate_card
from ipvb.models import Membership, Organisation

from .snapshots import snapshots_backfill

DEMO_AGB = ("73730001", "73730002")
MARKER = "Zorgzwaarte neemt toe; onderbouwing voor herindicatie/meerzorg wordt verzameld."
WEEKS = 26


def _member(org: Organisation, prefix: str) -> Membership | None:
    return (
        Membership.objects.for_organisation(org)
        .filter(is_active=True, user__email__startswith=prefix)
        .select_related("user")
        .first()
    )


def _push_over(
    org: Organisation,
    client: Client,
    factor: Decimal,
    start: datetime.date,
    care: Membership,
    leader: Membership,
) -> bool:
    from conversations.approvals import package_agree, package_approve
    from conversations.packages import package_line_add, package_start_draft
    from conversations.services import conversation_save

    budget = budget_for_client(client=client, on_date=start)
    activity = Activity.objects.for_organisation(org).filter(code="WB-02").first()
    card = rate_card(organisation=org, on_date=start)
    if not budget.personal_budget or activity is None or card is None:
        return False
    held = timezone.make_aware(
        datetime.datetime.combine(start - datetime.timedelta(days=1), datetime.time(11))
    )
    conversation = conversation_save(
        client=client,
        by=care.user,
        professionals=[care.user],
        data={
            "held_at": held,
            "kind": Conversation.Kind.ON_REQUEST,
            "client_present": True,
            "wishes": "Meer aanwezigheid overdag.",
            "assessment": "Zorgvraag duidelijk gestegen.",
            "agreements": MARKER,
            "outcome": Conversation.Outcome.AGREED,
            "next_review_date": start + datetime.timedelta(days=91),
        },
    )
    draft = package_start_draft(client=client, by=care.user, start_date=start)
    draft.refresh_from_db()
    current = sum((line.cost_per_week or Decimal(0) for line in draft.lines.all()), Decimal(0))
    quote = quote_with_card(activity=activity, card=card, on_date=start, minutes=60, occurrences=7)
    if quote is None or quote.price <= 0:
        return False
    per_minute = quote.price / 60
    minutes = int((budget.personal_budget * factor - current) / per_minute) + 10
    minutes = max(10, min(minutes, 1400))
    package_line_add(
        package=draft,
        membership=care,
        expected_version=draft.lock_version,
        activity=activity,
        minutes=minutes,
        occurrences_per_week=7,
    )
    draft.refresh_from_db()
    agreed = package_agree(
        package=draft,
        membership=care,
        conversation=conversation,
        expected_version=draft.lock_version,
        overrun_reason=MARKER,
    )
    if agreed.status == Package.Status.PENDING_APPROVAL:
        package_approve(
            package=agreed,
            membership=leader,
            expected_version=agreed.lock_version,
            note="Akkoord; herindicatie/meerzorg wordt aangevraagd.",
        )
    return True


def _signal_cases(org: Organisation, out: Any) -> int:
    care, leader = _member(org, "zorg@"), _member(org, "teamleider@")
    if care is None or leader is None:
        return 0
    if Conversation.objects.for_organisation(org).filter(agreements=MARKER).exists():
        return 0
    today = timezone.localdate()
    start = today - datetime.timedelta(weeks=8)
    made = 0
    wanted = {"meerzorg": ("7VV", "8VV"), "reindication": ("5VV", "6VV")}
    clients = (
        Client.objects.for_organisation(org)
        .filter(status=Client.Status.ACTIVE)
        .select_related("department", "organisation")
        .order_by("pk")
    )
    for kind, profiles in wanted.items():
        for client in clients:
            package = current_agreed(client=client)
            budget = budget_for_client(client=client, on_date=start)
            if (
                budget.indication is None
                or budget.indication.care_profile not in profiles
                or client.department_id not in leader.department_ids()
                or (package is not None and package.start_date >= start)
            ):
                continue
            factor = Decimal("1.32") if kind == "meerzorg" else Decimal("1.20")
            try:
                with transaction.atomic():
                    if _push_over(org, client, factor, start, care, leader):
                        made += 1
                        break
            except (ValidationError, TypeError) as exc:
                if out is not None:
                    out.write(f"  reporting demo: {kind} case skipped ({exc})")
    return made


def _draft_model(org: Organisation) -> bool:
    """A draft 2026 model with a pay rise for verzorgende IG, so the manager's dashboard shows
    the what-if before publishing (left alone when the organisation already has a draft)."""
    from costing import cost_models
    from costing.models import CostPriceModel, ModelLevel

    models = CostPriceModel.objects.for_organisation(org)
    if models.filter(status=CostPriceModel.Status.DRAFT).exists():
        return False
    published = models.filter(status=CostPriceModel.Status.PUBLISHED, year=2026).order_by("-version").first()
    if published is None:
        return False
    draft = cost_models.cost_model_new_version(
        model=published,
        user=None,
        effective_from=datetime.date(2026, 12, 1),
        change_note="Concept: cao-verhoging verzorgende IG (demo).",
    )
    row = (
        ModelLevel.objects.for_organisation(org)
        .filter(model=draft, staff_level__code="verzorgende-ig")
        .select_related("staff_level")
        .first()
    )
    if row is not None:
        cost_models.cost_model_level_set(
            model=draft,
            user=None,
            staff_level=row.staff_level,
            inputs={
                "salary": (row.salary * Decimal("1.12")).quantize(Decimal("0.01")),
                "holiday_pct": row.holiday_pct,
                "year_end_pct": row.year_end_pct,
                "irregular_pct": row.irregular_pct,
                "employer_charges_pct": row.employer_charges_pct,
            },
        )
    return True


def load(out: Any = None) -> None:
    for agb_code in DEMO_AGB:
        org = Organisation.objects.filter(agb_code=agb_code).first()
        if org is None:
            continue
        cases = _signal_cases(org, out)
        try:
            with transaction.atomic():
                _draft_model(org)
        except ValidationError as exc:
            if out is not None:
                out.write(f"  reporting demo: draft model skipped ({exc})")
        results = snapshots_backfill(organisation=org, weeks=WEEKS, trigger="demo")
        if out is not None:
            out.write(
                f"  {org.name}: {cases} signal cases, {WEEKS} weeks of snapshots "
                f"({sum(r.created for r in results)} new)"
            )
    _transparency(out)
    # The programme (issue 15): screenings, packages, meetings, a programme report.
    from .programme.demo import load as load_programme

    load_programme(out)


REPORT_MONTHS = 4  # the demo's participation starts four months back; one report per past month


def _transparency(out: Any) -> None:
    """The reporting party's demo login (vilans@ipvb.example, in the reporting_party group),
    a participation agreement with consent for both demo organisations and their monthly
    reports of the past months (built synchronously; idempotent)."""
    from django.contrib.auth.models import Group

    from ipvb.demo import _user

    from .models import MonthlyReport, ReportBuild
    from .parties import GROUP_NAME, participation_in_force
    from .transparency_services import participation_record, run_build

    vilans = _user("vilans@ipvb.example", "Vera", "Vilans")
    vilans.groups.add(Group.objects.get_or_create(name=GROUP_NAME)[0])
    this_month = timezone.localdate().replace(day=1)
    months = []
    day = this_month
    for _ in range(REPORT_MONTHS):
        day = (day - datetime.timedelta(days=1)).replace(day=1)
        months.append(day)
    for agb_code in DEMO_AGB:
        org = Organisation.objects.filter(agb_code=agb_code).first()
        if org is None:
            continue
        if participation_in_force(org) is None:
            admin = _member(org, "beheer@")
            participation_record(
                organisation=org,
                user=admin.user if admin else None,
                signed_on=months[-1] - datetime.timedelta(days=10),
                signed_by_name="Margreet Hoekstra",
                signed_by_function="Voorzitter raad van bestuur",
                project_leader="Ingrid Smit",
                start_date=months[-1],
                consent_cost_price=True,
                consent_addons=True,
                consent_usage=True,
            )
        made = 0
        for month in reversed(months):
            if MonthlyReport.objects.for_organisation(org).filter(month=month).exists():
                continue
            build = ReportBuild.objects.create(
                organisation=org, month=month, trigger=ReportBuild.Trigger.JOB, requested_at=timezone.now()
            )
            run_build(org.pk, build.pk)
            made += 1
        if out is not None:
            out.write(f"  {org.name}: transparency reports of {len(months)} months ({made} new)")
