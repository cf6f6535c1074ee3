"""Core pages: role home, organisation switcher, health, departments, users, organisation."""

from __future__ import annotations

from typing import Any, cast

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.messages.views import SuccessMessageMixin
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from .. import services
from ..forms import TenantModelForm
from ..http import MemberRequest, TenantRequest
from ..models import Department, Membership, MembershipInvitation, Organisation
from ..roles import Role
from ..tenancy import SESSION_KEY
from .accounts import pending_invitations
from .base import (
    ServiceFormMixin,
    TenantCreateView,
    TenantDeleteView,
    TenantFormView,
    TenantListView,
    TenantTemplateView,
    TenantUpdateView,
)
from .forms import DepartmentDataForm, DepartmentForm, MemberCreateForm, MemberUpdateForm, OrganisationForm

ADMIN = frozenset({Role.ORG_ADMIN})
# Department data (places, group-bound care, actual staffing) is set by the team leader of the
# department and by the functional administrator (domain page, section 2).
DEPARTMENT_EDITORS = frozenset({Role.ORG_ADMIN, Role.TEAM_LEADER})

# Lazy: translated when shown, in the language of that request (not once at import).
ROLE_INTRO = {
    Role.CARE_PROFESSIONAL: gettext_lazy(
        "U ziet de cliënten van uw afdelingen, voert gesprekken en stelt "
        "samen met cliënt en familie het zorgpakket samen binnen het budget."
    ),
    Role.TEAM_LEADER: gettext_lazy(
        "U doet alles wat een zorgprofessional doet voor uw afdeling, keurt "
        "pakketten boven de regelruimte goed en beheert afdelingsgegevens."
    ),
    Role.FINANCIAL: gettext_lazy(
        "U beheert tarieven, kostprijsmodellen, de activiteitencatalogus en de bijkoopcatalogus."
    ),
    Role.MANAGER: gettext_lazy(
        "U ziet de dashboards van alle afdelingen: budget tegenover pakket, "
        "overschrijdingen, herindicatiesignalen en formatie."
    ),
    Role.ORG_ADMIN: gettext_lazy(
        "U beheert gebruikers, rollen, afdelingen en de gegevens van de organisatie."
    ),
    Role.BOARD: gettext_lazy(
        "U ziet de organisatie in één oogopslag: cliënten op iPVB, budget tegenover pakket per "
        "afdeling, signalen, formatie en de trend, zonder namen van cliënten."
    ),
}


class HomeView(TenantTemplateView):
    template_name = "ipvb/home.html"

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        tenant = cast(TenantRequest, request)  # before the membership check of the base class
        # Platform staff without a membership maintain the national tariff tables.
        if tenant.user.is_authenticated and tenant.user.is_staff and tenant.membership is None:
            return redirect("tariff_list")
        # The reporting party (Vilans) is platform-level too: its portal of transparency reports.
        if tenant.membership is None:
            from reporting.parties import is_reporting_party

            if is_reporting_party(tenant.user):
                return redirect("reporting_party_home")
            # A contact person (family): their client's page, never a staff page.
            from family.selectors import has_family_access

            if not tenant.memberships and has_family_access(tenant.user):
                return redirect("family_home")
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        membership = self.membership
        context["role_intros"] = [
            (Role(role).label, ROLE_INTRO[Role(role)]) for role in membership.roles if role in Role.values
        ]
        context["invitation_count"] = pending_invitations(cast(MemberRequest, self.request).user).count()
        return context


@require_POST
@login_required
def switch_organisation(request: TenantRequest) -> HttpResponse:
    """Switch the active organisation to another one the user is an active member of."""
    target = request.POST.get("organisation", "")
    allowed = {m.organisation_id: m for m in request.memberships}
    try:
        membership = allowed[int(target)]
    except (ValueError, KeyError):
        messages.error(request, _("U bent geen lid van die organisatie; er is niets gewijzigd."))
    else:
        request.session[SESSION_KEY] = membership.organisation_id
        # Remembered on the user (the next login and API tokens use it); only ever set here,
        # by the user themselves.
        services.active_organisation_remember(user=request.user, organisation=membership.organisation)
        messages.success(request, _("U werkt nu voor %(name)s.") % {"name": membership.organisation.name})
    next_url = request.POST.get("next") or reverse("home")
    if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
        next_url = reverse("home")
    return redirect(next_url)


def healthz(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"status": "ok"})


def readyz(request: HttpRequest) -> JsonResponse:
    checks: dict[str, str] = {}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        checks["database"] = "ok"
    except Exception as exc:
        checks["database"] = f"error: {exc.__class__.__name__}"
    if settings.CELERY_TASK_ALWAYS_EAGER:
        checks["broker"] = "in-process"
    else:
        from ..celery import app

        try:
            with app.connection_for_write() as conn:
                conn.ensure_connection(max_retries=1, timeout=2)
            checks["broker"] = "ok"
        except Exception as exc:
            checks["broker"] = f"error: {exc.__class__.__name__}"
    ready = all(value in {"ok", "in-process"} for value in checks.values())
    return JsonResponse(
        {"status": "ok" if ready else "unavailable", "checks": checks}, status=200 if ready else 503
    )


# Departments ---------------------------------------------------------------------------


class DepartmentListView(TenantListView):
    model = Department
    allowed_roles = frozenset({Role.ORG_ADMIN, Role.MANAGER, Role.TEAM_LEADER, Role.CARE_PROFESSIONAL})
    template_name = "ipvb/department_list.html"

    def restrict_queryset(self, queryset: Any) -> Any:
        return self.membership.restrict_departments(queryset)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        membership = self.membership
        context["can_create"] = membership.has_role(*ADMIN)
        context["can_edit"] = membership.has_role(*DEPARTMENT_EDITORS)
        return context


class DepartmentCreateView(SuccessMessageMixin, TenantCreateView):
    model = Department
    form_class = DepartmentForm
    allowed_roles = ADMIN
    template_name = "ipvb/form.html"
    success_url = reverse_lazy("department_list")
    extra_context = {"title": _("Nieuwe afdeling")}
    success_message = gettext_lazy("Afdeling opgeslagen.")


class DepartmentUpdateView(SuccessMessageMixin, TenantUpdateView):
    """The org admin edits every field of any department; a team leader sets the department
    data (places, group-bound day care) of their own departments only (others: 404)."""

    model = Department
    allowed_roles = DEPARTMENT_EDITORS
    template_name = "ipvb/department_form.html"
    success_url = reverse_lazy("department_list")
    extra_context = {"title": gettext_lazy("Afdeling wijzigen")}
    success_message = gettext_lazy("Afdeling opgeslagen.")

    def restrict_queryset(self, queryset: Any) -> Any:
        return self.membership.restrict_departments(queryset)

    def get_form_class(self) -> type[TenantModelForm]:
        return DepartmentForm if self.membership.has_role(*ADMIN) else DepartmentDataForm

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["related_links"] = department_data_links(self.membership, self.object)
        return context


def department_data_links(membership: Membership, department: Department) -> list[dict[str, Any]]:
    """The other department data pages this user may open: group-bound care of this year and,
    where it exists, the entry of actual staffing (formatie)."""
    from django.urls import NoReverseMatch, resolve
    from django.utils import timezone

    year = timezone.localdate().year
    candidates = [
        (
            _("Groepsgebonden zorg %(year)s") % {"year": year},
            "groupcare_edit",
            {"pk": department.pk, "year": year},
        ),
        (_("Werkelijke formatie invoeren"), "reporting_formatie_entry", {}),
    ]
    links = []
    for label, name, kwargs in candidates:
        try:
            url = reverse(name, kwargs=kwargs or None)
        except NoReverseMatch:  # a page that is not (yet) part of the product
            continue
        roles = getattr(getattr(resolve(url).func, "view_class", None), "allowed_roles", None)
        if roles is None or membership.has_role(*roles):
            links.append({"label": label, "url": url})
    return links


# Users -----------------------------------------------------------------------------------


class MemberListView(TenantListView):
    model = Membership
    allowed_roles = ADMIN
    template_name = "ipvb/member_list.html"

    def restrict_queryset(self, queryset: Any) -> Any:
        return queryset.select_related("user").prefetch_related("departments")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        # Open invitations: only what the organisation typed itself (e-mail, roles, departments).
        context["invitations"] = (
            MembershipInvitation.objects.for_organisation(self.organisation)
            .pending()
            .prefetch_related("departments")
        )
        return context


class InvitationRevokeView(ServiceFormMixin, TenantDeleteView):
    """The organisation withdraws one of its open invitations (POST only)."""

    object: MembershipInvitation
    model = MembershipInvitation
    allowed_roles = ADMIN
    http_method_names = ["post"]
    success_url = reverse_lazy("member_list")
    success_message = gettext_lazy("Uitnodiging ingetrokken.")

    def form_valid(self, form: Any) -> HttpResponse:
        return self.service_action(lambda: services.invitation_revoke(invitation=self.object))


class MemberCreateView(ServiceFormMixin, TenantFormView):
    form_class = MemberCreateForm
    allowed_roles = ADMIN
    template_name = "ipvb/form.html"
    extra_context = {"title": _("Gebruiker toevoegen")}
    success_url = reverse_lazy("member_list")

    def save(self, form: MemberCreateForm) -> services.InvitationOutcome:
        return services.membership_create(
            organisation=self.organisation,
            email=form.cleaned_data["email"],
            first_name=form.cleaned_data["first_name"],
            last_name=form.cleaned_data["last_name"],
            roles=form.cleaned_data["roles"],
            departments=form.cleaned_data["departments"],
            request=self.request,
            invited_by=cast(MemberRequest, self.request).user,
        )

    def get_success_message(self, result: services.InvitationOutcome) -> str:
        # One message whatever the address belongs to: nothing about the person is revealed.
        return _(
            "%(email)s is uitgenodigd. Wie nog geen account heeft, krijgt een e-mail om een "
            "wachtwoord in te stellen; wie al een account heeft, accepteert de uitnodiging na het inloggen."
        ) % {"email": result.email}


class MemberUpdateView(ServiceFormMixin, TenantUpdateView):
    object: Membership
    model = Membership
    form_class = MemberUpdateForm
    allowed_roles = ADMIN
    template_name = "ipvb/form.html"
    extra_context = {"title": _("Gebruiker wijzigen")}
    success_url = reverse_lazy("member_list")
    success_message = gettext_lazy("Gebruiker opgeslagen.")

    def restrict_queryset(self, queryset: Any) -> Any:
        return queryset.select_related("user")

    def save(self, form: MemberUpdateForm) -> Membership:
        return services.membership_update(
            membership=self.object,
            acting=self.membership,
            roles=form.cleaned_data["roles"],
            departments=form.cleaned_data["departments"],
            is_active=form.cleaned_data["is_active"],
        )


class OrganisationEditView(TenantFormView):
    form_class = OrganisationForm
    allowed_roles = ADMIN
    template_name = "ipvb/form.html"
    extra_context = {"title": _("Organisatiegegevens")}

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        kwargs.pop("organisation", None)
        kwargs["instance"] = Organisation.objects.get(pk=self.organisation.pk)
        return kwargs

    def form_valid(self, form: OrganisationForm) -> HttpResponse:
        form.save()
        messages.success(self.request, _("Organisatiegegevens opgeslagen."))
        return redirect("organisation_edit")
