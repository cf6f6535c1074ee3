"""The staff side of the family's view: a care professional or team leader invites a contact
person, ends an access, and sees the accesses and wishes on the client page."""

from __future__ import annotations

from typing import Any, cast

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import generic

from clients.models import Client, ContactPerson
from clients.views.mixins import ClientScopedMixin
from ipvb import accesslog
from ipvb.http import MemberRequest
from ipvb.roles import Role
from ipvb.views.base import ServiceFormMixin, TenantObjectMixin, TenantRequiredMixin

from .. import selectors, services
from ..forms import InviteForm
from ..models import FamilyAccess

STAFF_ROLES = frozenset({Role.CARE_PROFESSIONAL, Role.TEAM_LEADER})


class FamilyInviteView(ServiceFormMixin, ClientScopedMixin, TenantRequiredMixin, generic.FormView):
    """A care professional or team leader invites a contact person of a client of their own
    department; another department's or organisation's client answers 404 (the service's
    ``not_found``)."""

    allowed_roles = STAFF_ROLES
    template_name = "family/invite.html"
    access_log_client = "client"
    form_class = InviteForm
    invalid_status = 400
    invited: ContactPerson

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        kwargs["client"] = self.client
        return kwargs

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["accesses"] = selectors.accesses_of(client=self.client).select_related("contact_person")
        return context

    def save(self, form: InviteForm) -> None:
        # Returns nothing: the view has no object of its own (the access log records the client).
        data = form.cleaned_data
        services.family_invite(
            membership=self.membership,
            client=self.client,
            contact_person=data["contact_person"],
            email=data["email"],
            consent_by=data["consent_by"],
            consent_note=data.get("consent_note", ""),
            request=self.request,
        )
        self._access_log_saved = True
        self.invited = data["contact_person"]

    def service_failed(self, exc: ValidationError, form: Any = None) -> HttpResponse:
        if getattr(exc, "code", None) == "not_found":
            raise Http404 from exc
        return super().service_failed(exc, form)

    def get_success_message(self, result: None) -> str:
        return _("%(name)s is uitgenodigd voor de familiepagina.") % {"name": self.invited.name}

    def get_success_url(self) -> str:
        return reverse("client_detail", kwargs={"pk": self.client.pk})


class FamilyAccessEndView(
    ServiceFormMixin, TenantObjectMixin, generic.detail.SingleObjectMixin, generic.View
):
    """Consent withdrawn: the access (or open invitation) ends now; back to the client page."""

    model = FamilyAccess
    allowed_roles = STAFF_ROLES
    access_log_client = "client"
    access_log_action = accesslog.UPDATE
    http_method_names = ["post"]

    def restrict_queryset(self, queryset: QuerySet) -> QuerySet:
        from clients.selectors import restrict_to_visible

        return restrict_to_visible(
            queryset.select_related("client"),
            membership=self.membership,
            client_path="client__",
        )

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        access = self.get_object()
        assert isinstance(access, FamilyAccess)
        self.object = access
        return self.service_action(
            lambda: services.family_access_end(
                access=access,
                reason=FamilyAccess.EndReason.CONSENT_WITHDRAWN,
                by=cast(MemberRequest, request).user,
            )
        )

    def get_success_message(self, result: FamilyAccess) -> str:
        return _("De toegang van %(name)s tot de familiepagina is beëindigd.") % {
            "name": self.object.contact_name
        }

    def get_success_url(self) -> str:
        return reverse("client_detail", kwargs={"pk": self.object.client_id})


def staff_panel_context(*, request: HttpRequest, client: Client) -> dict[str, Any]:
    """For the client page: the family accesses, the wishes left and whether this user may
    invite (care professional, team leader)."""
    membership = getattr(request, "membership", None)
    return {
        "family_accesses": list(selectors.accesses_of(client=client).order_by("-invited_at")[:10]),
        "family_wishes": list(selectors.wishes_for_client(client=client)[:10]),
        "family_can_invite": membership is not None
        and membership.has_role(*STAFF_ROLES)
        and client.is_active,
    }
