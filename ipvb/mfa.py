"""Requires TOTP enrolment for users with a role when IPVB_REQUIRE_MFA is on."""

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect
from django.utils.translation import gettext as _

SESSION_FLAG = "ipvb_mfa_enrolled"
EXEMPT_PREFIXES = ("/accounts/", "/static/", "/healthz", "/readyz", "/i18n/", "/api/")


def user_has_totp(user: Any) -> bool:
    from allauth.mfa.models import Authenticator

    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


class RequireMFAMiddleware:
    def __init__(self, get_response: Any) -> None:
        self.get_response = get_response

    def __call__(self, request: Any) -> Any:
        if (
            settings.IPVB_REQUIRE_MFA
            and request.user.is_authenticated
            and getattr(request, "membership", None) is not None
            and not request.path.startswith(EXEMPT_PREFIXES)
            and not request.session.get(SESSION_FLAG)
        ):
            if user_has_totp(request.user):
                request.session[SESSION_FLAG] = True
            else:
                messages.warning(
                    request,
                    _("Uw organisatie vereist tweestapsverificatie. Stel eerst een authenticator-app in."),
                )
                return redirect("mfa_activate_totp")
        return self.get_response(request)
