"""The user's own side of organisations: choosing the active organisation and answering
invitations. These pages need a login but no active membership (a user with several
memberships who has not chosen yet, or someone invited by a first organisation, uses them)."""

from __future__ import annotations

from typing import Any, cast

from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views import generic
from django.views.decorators.http import require_POST

from .. import services
from ..http import TenantRequest
from ..models import Membership, MembershipInvitation, MembershipInvitationQuerySet, User
from .base import ServiceFormMixin


def pending_invitations(user: User) -> MembershipInvitationQuerySet:
    """The open invitations addressed to the user's own e-mail address (never another's)."""
    return (
        MembershipInvitation.objects.for_invitee(user)
        .pending()
        .select_related("organisation")
        .prefetch_related("departments")
        .order_by("created_at")
    )


class OrganisationChooseView(LoginRequiredMixin, generic.TemplateView):
    """Asked when the user is a member of several organisations and has not chosen one yet;
    also reachable from the switcher. The choice posts to ``organisation_switch``."""

    template_name = "ipvb/organisation_choose.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        request = cast(TenantRequest, self.request)  # LoginRequiredMixin: logged in
        next_url = request.GET.get("next", "")
        if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
            next_url = ""
        context["next_url"] = next_url
        context["choices"] = request.memberships
        context["invitation_count"] = pending_invitations(request.user).count()
        return context


class InvitationListView(LoginRequiredMixin, generic.TemplateView):
    template_name = "ipvb/invitation_list.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        request = cast(TenantRequest, self.request)  # LoginRequiredMixin: logged in
        context["invitations"] = list(pending_invitations(request.user))
        context["is_platform_staff"] = request.user.is_platform_staff
        return context


def _own_invitation(request: TenantRequest, pk: int) -> MembershipInvitation:
    """Someone else's invitation answers 404, the same as one that does not exist."""
    return get_object_or_404(MembershipInvitation.objects.for_invitee(request.user), pk=pk)


# POST only (405 before anything else), then logged in.
@method_decorator([require_POST, login_required], name="dispatch")
class InvitationAnswerView(ServiceFormMixin, generic.View):
    """Accepting or declining one of the user's own invitations; back to the list either way."""

    def post(self, request: TenantRequest, pk: int) -> HttpResponse:
        invitation = _own_invitation(request, pk)
        return self.service_action(lambda: self.answer(invitation, request.user))

    def answer(self, invitation: MembershipInvitation, user: User) -> Any:
        raise NotImplementedError

    def get_success_url(self) -> str:
        return reverse("invitation_list")


class InvitationAcceptView(InvitationAnswerView):
    def answer(self, invitation: MembershipInvitation, user: User) -> Membership:
        return services.invitation_accept(invitation=invitation, user=user)

    def get_success_message(self, result: Membership) -> str:
        return _(
            "U bent nu lid van %(name)s. Met de organisatiekeuze bovenaan kiest u voor welke "
            "organisatie u werkt."
        ) % {"name": result.organisation.name}


class InvitationDeclineView(InvitationAnswerView):
    success_message = _lazy("Uitnodiging afgewezen.")

    def answer(self, invitation: MembershipInvitation, user: User) -> MembershipInvitation:
        return services.invitation_decline(invitation=invitation, user=user)
