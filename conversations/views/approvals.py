"""A team leader's side of a package beyond the tolerance: the queue of packages awaiting
approval and the decision (approve, or send back to the care professional)."""

from __future__ import annotations

from typing import Any, cast

from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import generic
from django.views.generic.detail import SingleObjectMixin

from clients.visibility import VisibleThroughClientMixin
from ipvb import accesslog
from ipvb.concurrency import parse_version
from ipvb.views.base import ServiceFormMixin, TenantListView, TenantObjectMixin

from ..approvals import package_approve, package_send_back
from ..models import Package
from ..roles import LEADERS


class PackageDecisionView(
    ServiceFormMixin, VisibleThroughClientMixin, TenantObjectMixin, SingleObjectMixin, generic.View
):
    model = Package
    allowed_roles = LEADERS
    access_log_client = "client"
    access_log_action = accesslog.UPDATE
    decision = "approve"

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.package = cast(Package, self.get_object())  # model = Package
        return self.service_action(self.decide)

    def decide(self) -> None:
        """Approves or sends back. Returns nothing, so ``self.object`` stays unset (the access log
        records this POST as it always has)."""
        membership = self.membership
        version = parse_version(self.request.POST.get("version"))
        if self.decision == "approve":
            package_approve(
                package=self.package,
                membership=membership,
                expected_version=version,
                note=self.request.POST.get("note", ""),
            )
        else:
            package_send_back(
                package=self.package,
                membership=membership,
                expected_version=version,
                reason=self.request.POST.get("reason", ""),
            )

    def get_success_message(self, result: None) -> str:
        if self.decision == "approve":
            return _("Overschrijding goedgekeurd; het pakket is afgesproken.")
        return _("Het pakket is teruggestuurd naar de zorgprofessional.")

    def get_success_url(self) -> str:
        return reverse("package_detail", kwargs={"pk": self.package.pk})


class ApprovalListView(VisibleThroughClientMixin, TenantListView):
    model = Package
    allowed_roles = LEADERS
    template_name = "conversations/approval_list.html"
    access_log_client = "client"  # one row per client shown

    def restrict_queryset(self, queryset: QuerySet) -> QuerySet:
        return (
            super()
            .restrict_queryset(queryset)
            .filter(status=Package.Status.PENDING_APPROVAL)
            .select_related("submitted_by", "client__department")
            .order_by("submitted_at")
        )
