"""The user's own side of organisations: choosing the active organisation and answering
invitations. These pages need a login but no active membership (a user with several
memberships who has not chosen yet, or someone invited by a first organisation, uses them)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views import generic
from django.views.decorators.http import require_POST

from .. import services
from ..models import MembershipInvitation


def pending_invitations(user: Any) -> Any:
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
        next_url = self.request.GET.get("next", "")
        if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={self.request.get_host()}):
            next_url = ""
        context["next_url"] = next_url
        context["choices"] = self.request.memberships  # type: ignore[attr-defined]
        context["invitation_count"] = pending_invitations(self.request.user).count()
        return context


class InvitationListView(LoginRequiredMixin, generic.TemplateView):
    template_name = "ipvb/invitation_list.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["invitations"] = list(pending_invitations(self.request.user))
        context["is_platform_staff"] = self.request.user.is_platform_staff  # type: ignore[union-attr]
        return context


def _own_invitation(request: HttpRequest, pk: int) -> MembershipInvitation:
    """Someone else's invitation answers 404, the same as one that does not exist."""
    return get_object_or_404(MembershipInvitation.objects.for_invitee(request.user), pk=pk)


@require_POST
@login_required
def invitation_accept(request: HttpRequest, pk: int) -> HttpResponse:
    invitation = _own_invitation(request, pk)
    try:
        membership = services.invitation_accept(invitation=invitation, user=request.user)  # type: ignore[arg-type]
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return redirect("invitation_list")
    messages.success(
        request,
        _(
            "U bent nu lid van %(name)s. Met de organisatiekeuze bovenaan kiest u voor welke "
            "organisatie u werkt."
        )
        % {"name": membership.organisation.name},
    )
    return redirect("invitation_list")


@require_POST
@login_required
def invitation_decline(request: HttpRequest, pk: int) -> HttpResponse:
    invitation = _own_invitation(request, pk)
    try:
        services.invitation_decline(invitation=invitation, user=request.user)  # type: ignore[arg-type]
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return redirect("invitation_list")
    messages.success(request, _("Uitnodiging afgewezen."))
    return redirect("invitation_list")
