"""One package and its history: the package page (with the changes since the previous
version), a client's versions, recording a swap, and the printable document and its PDF."""

from __future__ import annotations

import datetime
from typing import Any, cast

from django.contrib import messages
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import generic
from django.views.generic.detail import SingleObjectMixin

from clients.views.mixins import ClientScopedMixin
from clients.visibility import VisibleThroughClientMixin
from ipvb import accesslog, downloads
from ipvb.http import MemberRequest
from ipvb.roles import Role
from ipvb.views.base import ServiceFormMixin, TenantDetailView, TenantListView, TenantObjectMixin

from .. import selectors
from ..forms import SendBackForm, SwapForm
from ..models import Package, PackageSwap
from ..pricing import price_package
from ..roles import READERS, WRITERS
from ..swaps import package_swap_record, swap_warnings
from .composer import composer_context


class PackageDetailView(VisibleThroughClientMixin, TenantDetailView):
    model = Package
    allowed_roles = READERS
    template_name = "conversations/package_detail.html"
    access_log_client = "client"

    def restrict_queryset(self, queryset: QuerySet) -> QuerySet:
        return (
            super()
            .restrict_queryset(queryset)
            .select_related(
                "client", "conversation", "agreed_by", "approved_by", "submitted_by", "sent_back_by"
            )
        )

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        package = self.object
        membership = self.membership
        previous = selectors.previous_version(package=package)
        context.update(composer_context(package, membership=membership))
        context.update(
            {
                "previous": previous,
                "changes": selectors.package_diff(old=previous, new=package) if previous else None,
                "can_approve": package.status == Package.Status.PENDING_APPROVAL
                and membership.has_role(Role.TEAM_LEADER)
                and package.submitted_by_id != membership.user_id,
                "send_back_form": SendBackForm(organisation=package.organisation),
                "swap_form": SwapForm(organisation=package.organisation, package=package)
                if package.status == Package.Status.AGREED and membership.has_role(*WRITERS)
                else None,
                "swaps": package.swaps.select_related("replaced", "replacement", "recorded_by"),
            }
        )
        return context


class PackageSwapView(
    ServiceFormMixin, VisibleThroughClientMixin, TenantObjectMixin, SingleObjectMixin, generic.View
):
    """Records a swap posted from the package page; every outcome goes back to that page, the
    form's and the service's errors as messages."""

    model = Package
    allowed_roles = WRITERS
    access_log_client = "client"
    access_log_action = accesslog.UPDATE

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.package = cast(Package, self.get_object())  # model = Package
        form = SwapForm(request.POST, organisation=self.package.organisation, package=self.package)
        if not form.is_valid():
            for errors in form.errors.values():
                for error in errors:
                    messages.error(request, str(error))
            return redirect(self.get_success_url())
        return self.service_action(
            lambda: package_swap_record(
                package=self.package, by=cast(MemberRequest, request).user, **form.cleaned_data
            )
        )

    def service_succeeded(self, result: PackageSwap) -> HttpResponse:
        # The swap is not the view's object: the log names the package's client (from get_object).
        messages.success(self.request, _("De ruil is vastgelegd."))
        for warning in swap_warnings(
            package=self.package, replaced=result.replaced, replacement=result.replacement
        ):
            messages.warning(self.request, warning)
        return redirect(self.get_success_url())

    def get_success_url(self) -> str:
        return reverse("package_detail", kwargs={"pk": self.package.pk})


class PackageVersionsView(ClientScopedMixin, TenantListView):
    model = Package
    allowed_roles = READERS
    template_name = "conversations/package_versions.html"
    access_log_client = "client"

    def restrict_queryset(self, queryset: QuerySet) -> QuerySet:
        return (
            queryset.filter(client=self.client)
            .select_related("agreed_by", "approved_by", "conversation")
            .order_by("-version")
        )


class PackageDocumentMixin(VisibleThroughClientMixin, TenantDetailView):
    model = Package
    allowed_roles = READERS
    access_log_client = "client"
    template_name = "conversations/package_document.html"

    def document_context(self, printed_at: datetime.datetime | None = None) -> dict[str, Any]:
        package = self.object
        pricing = price_package(package=package)
        return {
            "package": package,
            "client": package.client,
            "pricing": pricing,
            "contact_persons": package.client.contact_persons.all(),
            # The person who signs for the client: the legal representative, else the first
            # contact person, else the client.
            "signatory": next(
                (
                    c
                    for role in ("legal_representative", "first_contact")
                    for c in package.client.contact_persons.all()
                    if c.role == role
                ),
                None,
            ),
            "organisation": self.organisation,
            "printed_at": timezone.localtime(printed_at),
        }


class PackagePrintView(PackageDocumentMixin):
    access_log_action = accesslog.PRINT

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return {**super().get_context_data(**kwargs), **self.document_context()}


class PackagePdfView(PackageDocumentMixin):
    """The PDF of a package. An agreed (or superseded) version's PDF is rendered once and
    stored (``reporting.stored_pdf``: served again while the document's HTML is the same, with
    the moment of that rendering as "printed at"); a version still being worked on is rendered
    on every request. Access control and the access log are the detail view's."""

    access_log_action = accesslog.EXPORT
    STORED_STATUSES = (Package.Status.AGREED, Package.Status.SUPERSEDED)

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        from reporting.models import PackagePdf
        from reporting.stored_pdf import stored_or_rendered

        self.object = self.get_object()
        pdf = stored_or_rendered(
            model=PackagePdf,
            organisation_id=self.object.organisation_id,
            owner={"package": self.object},
            template_name=self.template_name,
            context=self.document_context,
            request=request,
            store=self.object.status in self.STORED_STATUSES,
        )
        response = HttpResponse(pdf, content_type="application/pdf")
        response["Content-Disposition"] = downloads.attachment(
            f"zorgpakket-{self.object.client.family_name}-v{self.object.version}.pdf"
        )
        return response
