"""Conversations and the package composer. The composer updates with htmx: every change posts
one line and gets the whole composer (lines and meter) back, without a page reload; without
JavaScript the same forms post and redirect."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.views import generic
from django.views.generic.detail import SingleObjectMixin

from clients.selectors import clients_for
from clients.views import READERS, ClientScopedMixin
from clients.visibility import VisibleThroughClientMixin
from ipvb import accesslog, downloads
from ipvb.concurrency import parse_version
from ipvb.forms import apply_errors
from ipvb.models import Department
from ipvb.pdf import render_pdf
from ipvb.roles import Role
from ipvb.views.base import (
    TenantCreateView,
    TenantDetailView,
    TenantListView,
    TenantObjectMixin,
    TenantUpdateView,
)

from . import selectors, services
from .forms import (
    AddonAddForm,
    AgreeForm,
    ConversationForm,
    LineAddForm,
    LineUpdateForm,
    SendBackForm,
    SwapForm,
)
from .models import Conversation, Package, PackageLine

# Who may do what (docs/conversations.md). Conversations and packages are care work: the
# functional administrator (org admin) and the manager read them but hold no conversation and
# compose no package (domain page, section 2).
WRITERS = frozenset({Role.CARE_PROFESSIONAL, Role.TEAM_LEADER})
LEADERS = frozenset({Role.TEAM_LEADER})
NON_FIELD = "__all__"


def can_write(request: HttpRequest) -> bool:
    """May this user hold conversations and compose packages (the screens' ``can_write``)?"""
    membership = getattr(request, "membership", None)
    return membership is not None and membership.has_role(*WRITERS)


# Conversations ------------------------------------------------------------------------------


class ConversationListView(ClientScopedMixin, TenantListView):
    model = Conversation
    allowed_roles = READERS
    template_name = "conversations/conversation_list.html"
    access_log_client = "client"

    def restrict_queryset(self, queryset: QuerySet) -> QuerySet:
        return queryset.filter(client=self.client).prefetch_related("contact_persons", "professionals")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return {**super().get_context_data(**kwargs), "can_write": can_write(self.request)}


class ConversationFormMixin:
    request: HttpRequest

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()  # type: ignore[misc]
        kwargs["client"] = self.conversation_client
        kwargs["user"] = self.request.user
        return kwargs

    def form_valid(self, form: ConversationForm) -> HttpResponse:
        data = {
            name: form.cleaned_data[name]
            for name in form.Meta.fields
            if name not in {"contact_persons", "professionals"}
        }
        try:
            self.object = services.conversation_save(
                conversation=form.instance if form.instance.pk else None,
                client=self.conversation_client,
                by=self.request.user,
                data=data,
                contact_persons=form.cleaned_data["contact_persons"],
                professionals=form.cleaned_data["professionals"],
            )
        except ValidationError as exc:
            apply_errors(form, exc)
            return self.form_invalid(form)  # type: ignore[attr-defined]
        self._access_log_saved = True
        messages.success(self.request, _("Gesprek opgeslagen."))
        return redirect("conversation_detail", pk=self.object.pk)


class ConversationCreateView(ConversationFormMixin, ClientScopedMixin, TenantCreateView):
    model = Conversation
    form_class = ConversationForm
    allowed_roles = WRITERS
    template_name = "conversations/conversation_form.html"
    access_log_client = "client"

    @property
    def conversation_client(self) -> Any:
        return self.client


class ConversationUpdateView(ConversationFormMixin, VisibleThroughClientMixin, TenantUpdateView):
    model = Conversation
    form_class = ConversationForm
    allowed_roles = WRITERS
    template_name = "conversations/conversation_form.html"
    access_log_client = "client"

    @property
    def conversation_client(self) -> Any:
        return self.object.client

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return {**super().get_context_data(**kwargs), "client": self.object.client}


class ConversationDetailView(VisibleThroughClientMixin, TenantDetailView):
    model = Conversation
    allowed_roles = READERS
    template_name = "conversations/conversation_detail.html"
    access_log_client = "client"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return {**super().get_context_data(**kwargs), "can_write": can_write(self.request)}


# The package composer ---------------------------------------------------------------------


def composer_context(request: HttpRequest, package: Package, **extra: Any) -> dict[str, Any]:
    membership = request.membership  # type: ignore[attr-defined]
    lines = selectors.lines_of(package=package)
    pricing = selectors.price_package(package=package, lines=lines)
    can_change_level = membership.has_role(Role.TEAM_LEADER)
    context = {
        "package": package,
        "client": package.client,
        "pricing": pricing,
        "budget": pricing.budget,
        "editable": package.is_editable and can_write(request),
        "can_change_level": can_change_level,
        "add_form": LineAddForm(
            organisation=request.organisation,  # type: ignore[attr-defined]  # loaded once per request
            package=package,
            can_change_level=can_change_level,
            initial={"version": package.lock_version},
        ),
        "addon_form": AddonAddForm(
            organisation=request.organisation,  # type: ignore[attr-defined]
            package=package,
            initial={"version": package.lock_version},
        ),
        # The level choice is only shown to team leaders (no query for anyone else).
        "staff_levels": _staff_levels(package) if can_change_level else [],
    }
    context.update(extra)
    return context


def _staff_levels(package: Package) -> list[Any]:
    from costing.models import StaffLevel

    return list(StaffLevel.objects.for_organisation(package.organisation_id).order_by("order", "name"))


class PackageStartView(ClientScopedMixin, TenantObjectMixin, generic.View):
    """POST: open (or reuse) the client's draft and go to the composer."""

    model = Package
    allowed_roles = WRITERS
    access_log_client = "client"
    access_log_action = accesslog.CREATE

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            package = services.package_start_draft(client=self.client, by=request.user)
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
            return redirect("client_detail", pk=self.client.pk)
        return redirect("package_composer", pk=package.pk)


class PackageComposerView(VisibleThroughClientMixin, TenantDetailView):
    model = Package
    allowed_roles = WRITERS
    template_name = "conversations/package_composer.html"
    access_log_client = "client"

    def restrict_queryset(self, queryset: QuerySet) -> QuerySet:
        return super().restrict_queryset(queryset).select_related("client", "client__department")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return {**super().get_context_data(**kwargs), **composer_context(self.request, self.object)}


class ComposerActionView(VisibleThroughClientMixin, TenantObjectMixin, SingleObjectMixin, generic.View):
    """Base of the composer's POST actions: returns the composer partial for htmx, a redirect
    otherwise. A stale edit keeps the user's input on screen, with the current package."""

    allowed_roles = WRITERS
    access_log_action = accesslog.UPDATE

    def package_of(self, obj: Any) -> Package:
        return obj if isinstance(obj, Package) else obj.package

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.object = self.get_object()
        package = self.package_of(self.object)
        pending: dict[str, Any] = {}
        try:
            self.perform(request, package)
        except services.StaleEdit as exc:
            pending = {
                "stale_message": exc.messages[0],
                "pending": request.POST.dict(),
                "pending_action": request.path,
            }
        except ValidationError as exc:
            pending = {
                "errors": exc.messages
                if not hasattr(exc, "error_dict")
                else [m for msgs in exc.message_dict.values() for m in msgs]
            }
        # Re-read with the client and department in the same query (the budget needs both).
        package = (
            Package.objects.for_organisation(package.organisation_id)
            .select_related("client", "client__department")
            .get(pk=package.pk)
        )
        if request.headers.get("HX-Request"):
            return render(
                request, "conversations/_composer.html", composer_context(request, package, **pending)
            )
        for message in pending.get("errors", []) + (
            [pending["stale_message"]] if "stale_message" in pending else []
        ):
            messages.error(request, message)
        return redirect("package_composer", pk=package.pk)

    def expected_version(self, request: HttpRequest) -> int | None:
        return parse_version(request.POST.get("version"))

    def perform(self, request: HttpRequest, package: Package) -> None:
        raise NotImplementedError


def _form_errors(form: Any) -> ValidationError:
    return ValidationError({field: [str(e) for e in errors] for field, errors in form.errors.items()})


class PackageLineAddView(ComposerActionView):
    model = Package
    access_log_client = "client"

    def perform(self, request: HttpRequest, package: Package) -> None:
        membership = request.membership  # type: ignore[attr-defined]
        if "addon_item" in request.POST:
            form: Any = AddonAddForm(request.POST, organisation=package.organisation, package=package)
            if not form.is_valid():
                raise _form_errors(form)
            services.package_line_add(
                package=package,
                membership=membership,
                expected_version=self.expected_version(request),
                addon_item=form.cleaned_data["addon_item"],
                quantity_per_month=form.cleaned_data["quantity_per_month"],
            )
            return
        form = LineAddForm(
            request.POST,
            organisation=package.organisation,
            package=package,
            can_change_level=membership.has_role(Role.TEAM_LEADER),
        )
        if not form.is_valid():
            raise _form_errors(form)
        data = form.cleaned_data
        services.package_line_add(
            package=package,
            membership=membership,
            expected_version=self.expected_version(request),
            activity=data["activity"],
            minutes=data["minutes"],
            occurrences_per_week=data["occurrences_per_week"],
            funding=data["funding"],
            staff_level=data.get("staff_level"),
        )


class PackageLineUpdateView(ComposerActionView):
    model = PackageLine
    client_path = "package__client__"
    access_log_client = "package.client"

    def perform(self, request: HttpRequest, package: Package) -> None:
        form = LineUpdateForm(request.POST, organisation=request.organisation)  # type: ignore[attr-defined]
        if not form.is_valid():
            raise _form_errors(form)
        services.package_line_update(
            line=self.object,
            membership=request.membership,  # type: ignore[attr-defined]
            expected_version=self.expected_version(request),
            **form.changes(self.object),
        )


class PackageLineRemoveView(ComposerActionView):
    model = PackageLine
    client_path = "package__client__"
    access_log_client = "package.client"

    def perform(self, request: HttpRequest, package: Package) -> None:
        services.package_line_remove(line=self.object, expected_version=self.expected_version(request))


class PackageAgreeView(VisibleThroughClientMixin, TenantObjectMixin, SingleObjectMixin, generic.FormView):
    model = Package
    form_class = AgreeForm
    allowed_roles = WRITERS
    template_name = "conversations/package_agree.html"
    access_log_client = "client"

    @cached_property
    def package(self) -> Package:
        return self.get_object()

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        kwargs.update(organisation=self.package.organisation, package=self.package)
        kwargs.setdefault("initial", {}).update(
            {
                "version": self.package.lock_version,
                "start_date": self.package.start_date,
                "conversation": selectors.conversations_of(client=self.package.client)
                .filter(status=Conversation.Status.COMPLETED)
                .values_list("pk", flat=True)
                .first(),
            }
        )
        return kwargs

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        self.object = self.package
        context = super().get_context_data(**kwargs)
        context.update(composer_context(self.request, self.package))
        # With only a prepared conversation, complete that one instead of starting another.
        context["prepared_conversation"] = (
            Conversation.objects.for_organisation(self.request.organisation)  # type: ignore[attr-defined]
            .filter(client=self.package.client, status=Conversation.Status.PREPARED)
            .order_by("-held_at")
            .first()
        )
        return context

    def form_valid(self, form: AgreeForm) -> HttpResponse:
        data = form.cleaned_data
        try:
            package = services.package_agree(
                package=self.package,
                membership=self.request.membership,  # type: ignore[attr-defined]
                conversation=data["conversation"],
                expected_version=data["version"],
                start_date=data["start_date"],
                overrun_reason=data["overrun_reason"],
                review_date=data["review_date"],
            )
        except services.StaleEdit as exc:
            # Keep the user's input on screen with the current version, so a second "save" after
            # reading the updated package goes through.
            self.package.refresh_from_db()
            posted: Any = form.data.copy()  # type: ignore[attr-defined]  # a QueryDict
            posted["version"] = str(self.package.lock_version)
            form.data = posted
            apply_errors(form, exc)
            return self.form_invalid(form)
        except ValidationError as exc:
            apply_errors(form, exc, rename={"version": NON_FIELD})
            return self.form_invalid(form)
        self._access_log_saved = True
        if package.status == Package.Status.PENDING_APPROVAL:
            messages.warning(
                self.request,
                _(
                    "Het pakket overschrijdt de regelruimte en is ter goedkeuring naar "
                    "een teamleider gestuurd."
                ),
            )
        else:
            messages.success(
                self.request,
                _("Het pakket is afgesproken en gaat in op %(date)s.")
                % {"date": package.start_date.strftime("%d-%m-%Y")},
            )
        return redirect("package_detail", pk=package.pk)


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
        membership = self.request.membership  # type: ignore[attr-defined]
        previous = selectors.previous_version(package=package)
        context.update(composer_context(self.request, package))
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


class PackageDecisionView(VisibleThroughClientMixin, TenantObjectMixin, SingleObjectMixin, generic.View):
    model = Package
    allowed_roles = LEADERS
    access_log_client = "client"
    access_log_action = accesslog.UPDATE
    decision = "approve"

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        package = self.get_object()
        membership = request.membership  # type: ignore[attr-defined]
        version = parse_version(request.POST.get("version"))
        try:
            if self.decision == "approve":
                services.package_approve(
                    package=package,
                    membership=membership,
                    expected_version=version,
                    note=request.POST.get("note", ""),
                )
                messages.success(request, _("Overschrijding goedgekeurd; het pakket is afgesproken."))
            else:
                services.package_send_back(
                    package=package,
                    membership=membership,
                    expected_version=version,
                    reason=request.POST.get("reason", ""),
                )
                messages.success(request, _("Het pakket is teruggestuurd naar de zorgprofessional."))
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        return redirect("package_detail", pk=package.pk)


class PackageSwapView(VisibleThroughClientMixin, TenantObjectMixin, SingleObjectMixin, generic.View):
    model = Package
    allowed_roles = WRITERS
    access_log_client = "client"
    access_log_action = accesslog.UPDATE

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        package = self.get_object()
        form = SwapForm(request.POST, organisation=package.organisation, package=package)
        if form.is_valid():
            try:
                services.package_swap_record(package=package, by=request.user, **form.cleaned_data)
                messages.success(request, _("De ruil is vastgelegd."))
                for warning in services.swap_warnings(
                    package=package,
                    replaced=form.cleaned_data["replaced"],
                    replacement=form.cleaned_data["replacement"],
                ):
                    messages.warning(request, warning)
            except ValidationError as exc:
                for message in exc.messages:
                    messages.error(request, message)
        else:
            for errors in form.errors.values():
                for message in errors:
                    messages.error(request, message)
        return redirect("package_detail", pk=package.pk)


class PackageDocumentMixin(VisibleThroughClientMixin, TenantDetailView):
    model = Package
    allowed_roles = READERS
    access_log_client = "client"
    template_name = "conversations/package_document.html"

    def document_context(self) -> dict[str, Any]:
        package = self.object
        pricing = selectors.price_package(package=package)
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
            "organisation": self.request.organisation,  # type: ignore[attr-defined]
            "printed_at": timezone.localtime(),
        }


class PackagePrintView(PackageDocumentMixin):
    access_log_action = accesslog.PRINT

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return {**super().get_context_data(**kwargs), **self.document_context()}


class PackagePdfView(PackageDocumentMixin):
    access_log_action = accesslog.EXPORT

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.object = self.get_object()
        rendered = render_pdf(self.template_name, self.document_context(), request=request)
        response = HttpResponse(rendered.pdf, content_type="application/pdf")
        response["Content-Disposition"] = downloads.attachment(
            f"zorgpakket-{self.object.client.family_name}-v{self.object.version}.pdf"
        )
        return response


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


OVERVIEW_PAGE = 100


class DepartmentOverviewView(TenantDetailView):
    """Per client of a department: budget, package total, utilisation, review due."""

    model = Department
    allowed_roles = READERS
    template_name = "conversations/department_overview.html"

    def access_log_shown_clients(self, context: dict[str, Any]) -> list[int]:
        return [row.client.pk for row in context.get("rows", [])]

    def restrict_queryset(self, queryset: QuerySet) -> QuerySet:
        return self.request.membership.restrict_departments(queryset)  # type: ignore[attr-defined]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        today = timezone.localdate()
        clients = (
            clients_for(membership=self.request.membership)  # type: ignore[attr-defined]
            .filter(department=self.object, status="active")
            .defer("bsn")  # not shown: no decryption per row
        )
        # A page of rows at a time (issue 16: a department of 1,000 clients built every row).
        paginator = Paginator(
            clients.order_by("family_name", "given_name", "pk").values_list("pk", flat=True), OVERVIEW_PAGE
        )
        page = paginator.get_page(self.request.GET.get("page"))
        context["rows"] = selectors.department_rows(
            clients=clients.filter(pk__in=list(page.object_list)), department=self.object, on_date=today
        )
        context["page_obj"] = page
        context["is_paginated"] = page.has_other_pages()
        context["today"] = today
        return context
