"""A user's own API key: issued only in a session that passed MFA (when MFA is required),
shown once, rotated or revoked by the user."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from rest_framework.authtoken.models import Token

from .. import mfa
from .base import TenantTemplateView


def api_token_issue(*, request: HttpRequest) -> Token:
    """Replaces the user's key with a new one. Refuses unless the session passed MFA (when
    the user must have MFA)."""
    from django.core.exceptions import PermissionDenied

    user = request.user
    if mfa.must_have_mfa(user, getattr(request, "membership", None)) and not mfa.session_passed_mfa(request):
        raise PermissionDenied(str(mfa.MFA_REQUIRED_MESSAGE))
    Token.objects.filter(user=user).delete()
    return Token.objects.create(user=user)


class ApiTokenView(TenantTemplateView):
    template_name = "ipvb/api_token.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        user = self.request.user
        context["existing"] = Token.objects.filter(user=user).first()
        context["mfa_blocked"] = mfa.must_have_mfa(
            user, self.request.membership  # type: ignore[attr-defined]
        ) and not mfa.session_passed_mfa(self.request)
        return context

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.POST.get("action") == "revoke":
            Token.objects.filter(user=request.user).delete()
            messages.success(request, _("Uw API-sleutel is ingetrokken."))
            return redirect("api_token")
        token = api_token_issue(request=request)
        # Shown once, in this response only; never stored in the session or a URL.
        return render(
            request, self.template_name, {**self.get_context_data(), "new_key": token.key, "existing": token}
        )
