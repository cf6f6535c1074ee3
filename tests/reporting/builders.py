"""Reporting fixtures on top of the conversations worked example: De Boomgaard (16 places,
98 h verzorgende IG + 63 h helpende group-bound care), a 5VV client with B = 819.73."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django.utils import timezone

from conversations.models import Conversation, Package, PackageLine
from reporting.models import ParticipationRecord
from tests.conversations import builders as conv

D = Decimal
WEEK = datetime.date(2026, 2, 2)  # a Monday (ISO 2026-W06)


def agreed_package(
    org: Any,
    client: Any,
    *,
    total: Decimal,
    start: datetime.date,
    version: int,
    end: datetime.date | None = None,
    review: datetime.date | None = None,
    lines: Sequence[tuple[Any, Any, int, int, str]] = (),
) -> Package:
    """An agreed package with a given total (written directly: the tests are about the
    weekly reading of dated packages, not about composing them)."""
    conversation = Conversation.objects.create(
        organisation=org,
        client=client,
        held_at=timezone.make_aware(datetime.datetime.combine(start, datetime.time(10))),
        kind=Conversation.Kind.INTAKE,
        outcome=Conversation.Outcome.AGREED,
        status=Conversation.Status.COMPLETED,
        agreements="Afspraken",
    )
    package = Package.objects.create(
        organisation=org,
        client=client,
        version=version,
        status=Package.Status.AGREED,
        start_date=start,
        end_date=end,
        conversation=conversation,
        total=total,
        personal_budget=None,
        review_date=review or start + datetime.timedelta(days=182),
    )
    for position, (activity, level, minutes, occurrences, funding) in enumerate(lines):
        PackageLine.objects.create(
            organisation=org,
            package=package,
            activity=activity,
            staff_level=level,
            minutes=minutes,
            occurrences_per_week=occurrences,
            funding=funding,
            position=position,
        )
    return package


def weekly_totals(org: Any, client: Any, totals: list[Decimal], first: datetime.date = WEEK) -> list[Package]:
    """One agreed package per week with the given totals (each in force for exactly that week)."""
    first_version = Package.objects.for_organisation(org).filter(client=client).count() + 1
    return [
        agreed_package(
            org,
            client,
            total=total,
            version=first_version + i,
            start=first + datetime.timedelta(weeks=i),
            end=first + datetime.timedelta(weeks=i, days=6),
        )
        for i, total in enumerate(totals)
    ]


def reporting_world(world: Any, org: str = "a") -> dict[str, Any]:
    """The example client with an agreed package in force and snapshots of WEEK."""
    from reporting.snapshots import snapshots_build

    def build(w: Any) -> dict[str, Any]:
        data = dict(conv.setup_a(w) if org == "a" else conv.setup_b(w))
        organisation = w.org_a if org == "a" else w.org_b
        data["package"] = agreed_package(
            organisation, data["client"], total=D("950.00"), start=WEEK, version=1
        )
        snapshots_build(organisation=organisation, week_of=WEEK)
        from reporting.models import WeeklySnapshot

        data["snapshot"] = WeeklySnapshot.objects.for_organisation(organisation).get(client=data["client"])
        return data

    return world.get(f"reporting_{org}", build)


def consent(org: Any, user: Any = None, **overrides: Any) -> ParticipationRecord:
    """A participation agreement with every consent (through the service), signed on
    20 November 2025 and in force from 1 December 2025 unless overridden."""
    from reporting.transparency_services import participation_record

    values: dict[str, Any] = {
        "signed_on": datetime.date(2025, 11, 20),
        "signed_by_name": "M. de Bestuurder",
        "signed_by_function": "Voorzitter RvB",
        "project_leader": "P. Leider",
        "start_date": datetime.date(2025, 12, 1),
        "consent_cost_price": True,
        "consent_addons": True,
        "consent_usage": True,
        **overrides,
    }
    return participation_record(organisation=org, user=user, **values)


def transparency_world(world: Any, org: str = "a") -> dict[str, Any]:
    """``reporting_world`` plus a participation agreement with consent and the report of
    January 2026 (version 1)."""
    from reporting.models import ReportBuild
    from reporting.transparency_services import build_request, run_build

    def build(w: Any) -> dict[str, Any]:
        data = dict(reporting_world(w, org))
        organisation = w.org_a if org == "a" else w.org_b
        consent(organisation)
        request = build_request(
            organisation=organisation, month="2026-01", trigger=ReportBuild.Trigger.JOB, enqueue=False
        )
        data["report"] = run_build(organisation.pk, request.pk)
        return data

    return world.get(f"transparency_{org}", build)
