"""The package composer: start (or reuse) a draft, compose its lines, agree it in a
conversation. The composer updates with htmx: every change posts one line and gets the lines and
the meter back (``#composer``), without a page reload; the add forms below it are only
re-rendered after adding a line, otherwise only their version inputs are swapped out of band.
Without JavaScript the same forms post and redirect."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Model, QuerySet
from django.forms import Form
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.views import generic
from django.views.generic.detail import SingleObjectMixin

from clients.views.mixins import ClientScopedMixin
from clients.visibility import VisibleThroughClientMixin
from ipvb import accesslog
from ipvb.concurrency import StaleEdit, parse_version
from ipvb.forms import apply_errors
from ipvb.http import MemberRequest
from ipvb.roles import Role
from ipvb.views.base import ServiceFormMixin, TenantDetailView, TenantObjectMixin

from .. import selectors
from ..approvals import package_agree
from ..composer_pricing import composer_data
from ..forms import AddonAddForm, AgreeForm, LineAddForm, LineUpdateForm
from ..models import Conversation, Package, PackageLine
from ..packages import package_line_add, package_line_remove, package_line_update, package_start_draft
from ..roles import WRITERS, can_write

if TYPE_CHECKING:
    from ipvb.models import Membership

NON_FIELD = "__all__"


def composer_context(
    package: Package,
    *,
    membership: Membership,
    add_forms: bool = True,
    **extra: Any,
) -> dict[str, Any]:
    """The composer's lines and meter, and with ``add_forms`` the options of its two add forms
    (only read when the package is editable)."""
    can_change_level = membership.has_role(Role.TEAM_LEADER)
    editable = package.is_editable and can_write(membership)
    # The lines, every input of the pricing and the staff levels in one query (issue 16).
    data = composer_data(
        package=package, staff_levels=can_change_level and editable, add_form_options=add_forms and editable
    )
    pricing = data.pricing
    context = {
        "package": package,
        "client": package.client,
        "pricing": pricing,
        "budget": pricing.budget,
        "editable": editable,
        "can_change_level": can_change_level,
        # The level choice is only shown to team leaders, on an editable package (no query for
        # anyone else); the lines and the add form share the list.
        "staff_levels": data.staff_levels,
        "add_forms": add_forms,
    }
    if add_forms and editable:
        context.update(
            {
                "add_url": reverse("package_line_add", kwargs={"pk": package.pk}),
                "add_fields": LineAddForm.base_fields,
                "addon_fields": AddonAddForm.base_fields,
                "activity_choices": data.activity_choices,
                "addon_choices": data.addon_choices,
            }
        )
    context.update(extra)
    return context


class PackageStartView(ServiceFormMixin, ClientScopedMixin, TenantObjectMixin, generic.View):
    """POST: open (or reuse) the client's draft and go to the composer."""

    model = Package
    allowed_roles = WRITERS
    access_log_client = "client"
    access_log_action = accesslog.CREATE

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        return self.service_action(
            lambda: package_start_draft(client=self.client, by=cast(MemberRequest, request).user)
        )

    def service_succeeded(self, result: Package) -> HttpResponse:
        # Straight to the composer, without a message; the access log records the client.
        return redirect("package_composer", pk=result.pk)

    def get_failure_url(self) -> str:
        return reverse("client_detail", kwargs={"pk": self.client.pk})


class PackageComposerView(VisibleThroughClientMixin, TenantDetailView):
    model = Package
    allowed_roles = WRITERS
    compiled_lookup = True  # a hot path (issue 16)
    template_name = "conversations/package_composer.html"
    access_log_client = "client"

    def restrict_queryset(self, queryset: QuerySet) -> QuerySet:
        return super().restrict_queryset(queryset).select_related("client", "client__department")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return {
            **super().get_context_data(**kwargs),
            **composer_context(self.object, membership=self.membership),
        }


class ComposerActionView(
    ServiceFormMixin, VisibleThroughClientMixin, TenantObjectMixin, SingleObjectMixin, generic.View
):
    """Base of the composer's POST actions: returns the composer partial for htmx, a redirect
    otherwise, whether the action went through or not (then with the errors). A stale edit
    keeps the user's input on screen, with the current package."""

    allowed_roles = WRITERS
    access_log_action = accesslog.UPDATE
    compiled_lookup = True  # a hot path (issue 16)
    # Adding a line re-renders the add forms (they start empty again); the other actions only
    # update their version inputs.
    renders_add_forms = False

    def restrict_queryset(self, queryset: QuerySet) -> QuerySet:
        # The package with its client and department (the budget needs both), in the same query.
        if self.model is Package:
            return super().restrict_queryset(queryset).select_related("client__department")
        # A line with what its change is validated against (the service reads nothing again).
        return (
            super()
            .restrict_queryset(queryset)
            .select_related("package__client__department", "activity", "staff_level")
        )

    def package_of(self, obj: Model) -> Package:
        return obj if isinstance(obj, Package) else cast(PackageLine, obj).package

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.object = self.get_object()
        self.package = self.package_of(self.object)
        return self.service_action(lambda: self.perform(request, self.package))

    def service_succeeded(self, result: None) -> HttpResponse:
        # The package as read with the object is current: the service locked it at the version
        # the user sent and gave this copy the new version.
        return self.composer_response({}, package=self.package)

    def service_failed(self, exc: ValidationError, form: Any = None) -> HttpResponse:
        if isinstance(exc, StaleEdit):
            return self.composer_response(
                {
                    "stale_message": exc.messages[0],
                    "pending": self.request.POST.dict(),
                    "pending_action": self.request.path,
                }
            )
        return self.composer_response(
            {
                "errors": exc.messages
                if not hasattr(exc, "error_dict")
                else [m for msgs in exc.message_dict.values() for m in msgs]
            }
        )

    def composer_response(self, pending: dict[str, Any], package: Package | None = None) -> HttpResponse:
        request = self.request
        if request.headers.get("HX-Request"):
            if package is None:  # the action failed: show the package as it is now
                package = (
                    Package.objects.for_organisation(self.package.organisation_id)
                    .select_related("client", "client__department")
                    .get(pk=self.package.pk)
                )
            context = composer_context(
                package,
                membership=self.membership,
                add_forms=self.renders_add_forms,
                **pending,
            )
            return render(request, "conversations/_composer_response.html", context)
        for message in pending.get("errors", []) + (
            [pending["stale_message"]] if "stale_message" in pending else []
        ):
            messages.error(request, message)
        return redirect("package_composer", pk=self.package.pk)

    def expected_version(self, request: HttpRequest) -> int | None:
        return parse_version(request.POST.get("version"))

    def perform(self, request: HttpRequest, package: Package) -> None:
        raise NotImplementedError


def _form_errors(form: Form) -> ValidationError:
    return ValidationError({field: [str(e) for e in errors] for field, errors in form.errors.items()})


class PackageLineAddView(ComposerActionView):
    model = Package
    access_log_client = "client"
    renders_add_forms = True

    def perform(self, request: HttpRequest, package: Package) -> None:
        membership = self.membership
        if "addon_item" in request.POST:
            addon_form = AddonAddForm(request.POST, organisation=package.organisation, package=package)
            if not addon_form.is_valid():
                raise _form_errors(addon_form)
            package_line_add(
                package=package,
                membership=membership,
                expected_version=self.expected_version(request),
                addon_item=addon_form.cleaned_data["addon_item"],
                quantity_per_month=addon_form.cleaned_data["quantity_per_month"],
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
        package_line_add(
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

    def service_succeeded(self, result: None) -> HttpResponse:
        """For htmx, only what a line change changes: its row, the meter and the version (see
        _composer_line_response.html); everything else as for the other actions."""
        if not self.request.headers.get("HX-Request"):
            return super().service_succeeded(result)
        context = composer_context(self.package, membership=self.membership, add_forms=False)
        changed = next((p for p in context["pricing"].lines if p.line.pk == self.object.pk), None)
        if changed is None or not context["editable"]:
            return render(self.request, "conversations/_composer_response.html", context)
        response = render(
            self.request, "conversations/_composer_line_response.html", {**context, "changed": changed}
        )
        response["HX-Retarget"] = f"#line-{changed.line.pk}"
        response["HX-Reswap"] = "outerHTML"
        return response

    def perform(self, request: HttpRequest, package: Package) -> None:
        line = cast(PackageLine, self.object)  # model = PackageLine
        form = LineUpdateForm(request.POST, organisation=self.organisation)
        if not form.is_valid():
            raise _form_errors(form)
        package_line_update(
            line=line,
            membership=self.membership,
            expected_version=self.expected_version(request),
            **form.changes(line),
        )


class PackageLineRemoveView(ComposerActionView):
    model = PackageLine
    client_path = "package__client__"
    access_log_client = "package.client"

    def perform(self, request: HttpRequest, package: Package) -> None:
        line = cast(PackageLine, self.object)  # model = PackageLine
        package_line_remove(line=line, expected_version=self.expected_version(request))


class PackageAgreeView(
    ServiceFormMixin, VisibleThroughClientMixin, TenantObjectMixin, SingleObjectMixin, generic.FormView
):
    model = Package
    form_class = AgreeForm
    allowed_roles = WRITERS
    template_name = "conversations/package_agree.html"
    access_log_client = "client"
    error_fields = {"version": NON_FIELD}

    @cached_property
    def package(self) -> Package:
        return cast(Package, self.get_object())  # model = Package

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
        context.update(composer_context(self.package, membership=self.membership, add_forms=False))
        # With only a prepared conversation, complete that one instead of starting another.
        context["prepared_conversation"] = (
            Conversation.objects.for_organisation(self.organisation)
            .filter(client=self.package.client, status=Conversation.Status.PREPARED)
            .order_by("-held_at")
            .first()
        )
        return context

    def save(self, form: AgreeForm) -> Package:
        data = form.cleaned_data
        package = package_agree(
            package=self.package,
            membership=self.membership,
            conversation=data["conversation"],
            expected_version=data["version"],
            start_date=data["start_date"],
            overrun_reason=data["overrun_reason"],
            review_date=data["review_date"],
        )
        self._access_log_saved = True
        return package

    def service_failed(self, exc: ValidationError, form: Any = None) -> HttpResponse:
        if isinstance(exc, StaleEdit):
            # Keep the user's input on screen with the current version, so a second "save" after
            # reading the updated package goes through.
            self.package.refresh_from_db()
            posted = cast(QueryDict, form.data).copy()  # bound to request.POST
            posted["version"] = str(self.package.lock_version)
            form.data = posted
            apply_errors(form, exc)
            return self.form_invalid(form)
        return super().service_failed(exc, form)

    def service_succeeded(self, result: Package) -> HttpResponse:
        # Beyond the tolerance the package waits for a team leader: a warning, not a success.
        if result.status == Package.Status.PENDING_APPROVAL:
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
                % {"date": result.start_date.strftime("%d-%m-%Y")},
            )
        return redirect("package_detail", pk=result.pk)
