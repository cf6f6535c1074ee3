"""What the worklists list besides signals: packages waiting for approval, reviews due, drafts in
progress and clients without a package, limited to what the membership may see."""

from __future__ import annotations

import datetime
from typing import Any

from clients.models import Client
from clients.selectors import restrict_to_visible
from conversations.models import Package
from conversations.selectors import packages_in_force
from ipvb.models import Membership

from .. import formulas


def approvals_waiting(*, membership: Membership) -> list[Package]:
    qs = Package.objects.for_organisation(membership.organisation).filter(
        status=Package.Status.PENDING_APPROVAL
    )
    qs = restrict_to_visible(qs, membership=membership, client_path="client__")
    return list(qs.select_related("client", "client__department", "submitted_by").order_by("submitted_at"))


def reviews(*, membership: Membership, today: datetime.date) -> list[dict[str, Any]]:
    """Packages in force whose review is overdue or due within 30 days."""
    horizon = today + datetime.timedelta(days=formulas.REVIEW_DUE_DAYS)
    qs = packages_in_force(organisation=membership.organisation, on_date=today).filter(
        status=Package.Status.AGREED, review_date__lte=horizon
    )
    qs = restrict_to_visible(qs, membership=membership, client_path="client__")
    return [
        {"package": p, "client": p.client, "state": formulas.review_state(p.review_date, today)}
        for p in qs.select_related("client", "client__department").order_by("review_date")
    ]


def drafts_in_progress(*, membership: Membership) -> list[Package]:
    qs = Package.objects.for_organisation(membership.organisation).filter(status__in=Package.OPEN_STATUSES)
    qs = restrict_to_visible(qs, membership=membership, client_path="client__")
    return list(qs.select_related("client", "client__department").order_by("client__family_name"))


def clients_without_package(*, membership: Membership, today: datetime.date) -> list[Client]:
    in_force = packages_in_force(organisation=membership.organisation, on_date=today).values("client_id")
    qs = Client.objects.for_organisation(membership.organisation).filter(status=Client.Status.ACTIVE)
    qs = restrict_to_visible(qs, membership=membership).exclude(pk__in=in_force)
    return list(qs.select_related("department").order_by("family_name", "given_name"))
