"""Core pages: role home, organisation switcher, health, departments, users, organisation."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .. import services
from ..forms import TenantModelForm, apply_errors
from ..models import Department, Membership, Organisation
from ..roles import Role
from ..tenancy import SESSION_KEY
from .base import (
    TenantCreateView,
    TenantFormView,
    TenantListView,
    TenantTemplateView,
    TenantUpdateView,
)
from .forms import DepartmentForm, MemberCreateForm, MemberUpdateForm, OrganisationForm

ADMIN = frozenset({Role.ORG_ADMIN})

ROLE_INTRO = {
    Role.CARE_PROFESSIONAL: _(
        "U ziet de cliënten van uw afdelingen, voert gesprekken en stelt "
        "samen met cliënt en familie het zorgpakket samen binnen het budget."
    ),
    Role.TEAM_LEADER: _(
        "U doet alles wat een zorgprofessional doet voor uw afdeling, keurt "
        "pakketten boven de regelruimte goed en beheert afdelingsgegevens."
    ),
    Role.FINANCIAL: _(
        "U beheert tarieven, kostprijsmodellen, de activiteitencatalogus en de bijkoopcatalogus."
    ),
    Role.MANAGER: _(
        "U ziet de dashboards van alle afdelingen: budget tegenover pakket, "
        "overschrijdingen, herindicatiesignalen en formatie."
    ),
    Role.ORG_ADMIN: _("U beheert gebruikers, rollen, afdelingen en de gegevens van de organisatie."),
}


class HomeView(TenantTemplateView):
    template_name = "ipvb/home.html"

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        # Platform staff without a membership maintain the national tariff tables.
        if request.user.is_authenticated and request.user.is_staff and request.membership is None:  # type: ignore[attr-defined]
            return redirect("tariff_list")
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        membership = self.request.membership  # type: ignore[attr-defined]
        context["role_intros"] = [
            (Role(role).label, ROLE_INTRO[Role(role)]) for role in membership.roles if role in Role.values
        ]
        return context


@require_POST
@login_required
def switch_organisation(request: HttpRequest) -> HttpResponse:
    """Switch the active organisation to another one the user is an active member of."""
    target = request.POST.get("organisation", "")
    allowed = {m.organisation_id: m for m in request.memberships}  # type: ignore[attr-defined]
    try:
        membership = allowed[int(target)]
    except (ValueError, KeyError):
        messages.error(request, _("U bent geen lid van die organisatie; er is niets gewijzigd."))
    else:
        request.session[SESSION_KEY] = membership.organisation_id
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
        return self.request.membership.restrict_departments(queryset)  # type: ignore[attr-defined]


class DepartmentCreateView(TenantCreateView):
    model = Department
    form_class = DepartmentForm
    allowed_roles = ADMIN
    template_name = "ipvb/form.html"
    success_url = reverse_lazy("department_list")
    extra_context = {"title": _("Nieuwe afdeling")}

    def form_valid(self, form: TenantModelForm) -> HttpResponse:
        messages.success(self.request, _("Afdeling opgeslagen."))
        return super().form_valid(form)


class DepartmentUpdateView(TenantUpdateView):
    model = Department
    form_class = DepartmentForm
    allowed_roles = ADMIN
    template_name = "ipvb/form.html"
    success_url = reverse_lazy("department_list")
    extra_context = {"title": _("Afdeling wijzigen")}

    def form_valid(self, form: TenantModelForm) -> HttpResponse:
        messages.success(self.request, _("Afdeling opgeslagen."))
        return super().form_valid(form)


# Users -----------------------------------------------------------------------------------


class MemberListView(TenantListView):
    model = Membership
    allowed_roles = ADMIN
    template_name = "ipvb/member_list.html"

    def restrict_queryset(self, queryset: Any) -> Any:
        return queryset.select_related("user").prefetch_related("departments")


class MemberCreateView(TenantFormView):
    form_class = MemberCreateForm
    allowed_roles = ADMIN
    template_name = "ipvb/form.html"
    extra_context = {"title": _("Gebruiker toevoegen")}

    def form_valid(self, form: MemberCreateForm) -> HttpResponse:
        try:
            services.membership_create(
                organisation=self.request.organisation,  # type: ignore[attr-defined]
                email=form.cleaned_data["email"],
                first_name=form.cleaned_data["first_name"],
                last_name=form.cleaned_data["last_name"],
                roles=form.cleaned_data["roles"],
                departments=form.cleaned_data["departments"],
                request=self.request,
            )
        except ValidationError as exc:
            apply_errors(form, exc)
            return self.form_invalid(form)
        messages.success(
            self.request,
            _(
                "Gebruiker toegevoegd. Een nieuwe gebruiker krijgt een e-mail om een wachtwoord in te stellen."
            ),
        )
        return redirect("member_list")


class MemberUpdateView(TenantUpdateView):
    model = Membership
    form_class = MemberUpdateForm
    allowed_roles = ADMIN
    template_name = "ipvb/form.html"
    extra_context = {"title": _("Gebruiker wijzigen")}

    def restrict_queryset(self, queryset: Any) -> Any:
        return queryset.select_related("user")

    def form_valid(self, form: MemberUpdateForm) -> HttpResponse:
        try:
            services.membership_update(
                membership=self.object,
                acting=self.request.membership,  # type: ignore[attr-defined]
                roles=form.cleaned_data["roles"],
                departments=form.cleaned_data["departments"],
                is_active=form.cleaned_data["is_active"],
            )
        except ValidationError as exc:
            apply_errors(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, _("Gebruiker opgeslagen."))
        return redirect("member_list")


class OrganisationEditView(TenantFormView):
    form_class = OrganisationForm
    allowed_roles = ADMIN
    template_name = "ipvb/form.html"
    extra_context = {"title": _("Organisatiegegevens")}

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        kwargs.pop("organisation", None)
        kwargs["instance"] = Organisation.objects.get(pk=self.request.organisation.pk)  # type: ignore[attr-defined]
        return kwargs

    def form_valid(self, form: OrganisationForm) -> HttpResponse:
        form.save()
        messages.success(self.request, _("Organisatiegegevens opgeslagen."))
        return redirect("organisation_edit")
