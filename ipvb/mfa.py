"""Multi-factor authentication, one rule for every channel.

With IPVB_REQUIRE_MFA on, a user who holds a role in an organisation (or is platform staff)
must have an authenticator app (TOTP). Web pages redirect to enrolment
(``RequireMFAMiddleware``); the API refuses with 403 JSON (``MFAEnrolled``, part of every API
view's permissions); an API token can only be issued in a session that passed MFA
(``session_passed_mfa``)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework import permissions

if TYPE_CHECKING:
    from .models import Membership

SESSION_FLAG = "ipvb_mfa_enrolled"
# Set when the user proves possession of a new authenticator in this session (activation).
PROVEN_FLAG = "ipvb_mfa_proven"
# Web paths that stay reachable before enrolment. The API is not exempt: it refuses instead
# of redirecting (see MFAEnrolled).
EXEMPT_PREFIXES = ("/accounts/", "/static/", "/healthz", "/readyz", "/i18n/", "/api/")
_CACHE_ATTR = "_ipvb_has_totp"


def user_has_totp(user: Any) -> bool:
    """Whether the user has an authenticator app; memoised on the user object."""
    cached = getattr(user, _CACHE_ATTR, None)
    if cached is None:
        from allauth.mfa.models import Authenticator

        cached = Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
        setattr(user, _CACHE_ATTR, cached)
    return bool(cached)


def must_have_mfa(user: Any, membership: Membership | None) -> bool:
    """Users with a role (they may see client data) and platform staff, when MFA is required."""
    if not settings.IPVB_REQUIRE_MFA or user is None or not user.is_authenticated:
        return False
    if membership is not None or bool(user.is_staff):
        return True
    from family.selectors import has_family_access  # a contact person (the family's view)

    if has_family_access(user):
        return True
    from reporting.parties import is_reporting_party  # platform-level reporting party (Vilans)

    return is_reporting_party(user)


def lacks_required_mfa(user: Any, membership: Membership | None) -> bool:
    return must_have_mfa(user, membership) and not user_has_totp(user)


def session_passed_mfa(request: Any) -> bool:
    """The current session's login was completed with a second factor (or the user proved
    possession of a new authenticator in this session, which allauth also records)."""
    from allauth.account.authentication import get_authentication_records

    if not user_has_totp(request.user):
        return False
    records = get_authentication_records(request, request.user)
    return any(record.get("method") == "mfa" for record in records) or bool(request.session.get(PROVEN_FLAG))


def forget_enrolment(sender: Any, request: Any = None, **kwargs: Any) -> None:
    """allauth's ``authenticator_removed``: this session checks the enrolment again."""
    if request is not None and hasattr(request, "session"):
        request.session.pop(SESSION_FLAG, None)


def remember_activation(sender: Any, request: Any = None, **kwargs: Any) -> None:
    """allauth's ``authenticator_added``: entering a valid code proves possession."""
    if request is not None and hasattr(request, "session"):
        request.session[PROVEN_FLAG] = True


MFA_REQUIRED_MESSAGE = gettext_lazy(
    "Tweestapsverificatie is verplicht voor uw account. Stel eerst een authenticator-app in via "
    "de webapplicatie (Account > Tweestapsverificatie); tot die tijd weigert de API elk verzoek."
)


class MFAEnrolled(permissions.BasePermission):
    """API side of the rule: 403 JSON for a session or token user who must have MFA and has not."""

    message = MFA_REQUIRED_MESSAGE
    code = "mfa_enrolment_required"

    def has_permission(self, request: Any, view: Any) -> bool:
        user = request.user
        if user is None or not user.is_authenticated:
            return True  # IsAuthenticated answers 401 first
        from .api.permissions import ensure_membership

        membership = ensure_membership(request)
        # A session's own API call (no key): the session already showed the user enrolled, as
        # the web pages use it (RequireMFAMiddleware), so no query per call (issue 16).
        session = getattr(request._request, "session", None) if request.auth is None else None
        if session is not None and session.get(SESSION_FLAG):
            return True
        if lacks_required_mfa(user, membership):
            return False
        if session is not None and must_have_mfa(user, membership):
            session[SESSION_FLAG] = True
        return True


class RequireMFAMiddleware:
    def __init__(self, get_response: Any) -> None:
        self.get_response = get_response

    def __call__(self, request: Any) -> Any:
        if (
            request.user.is_authenticated
            and not request.path.startswith(EXEMPT_PREFIXES)
            and not request.session.get(SESSION_FLAG)
            and must_have_mfa(request.user, getattr(request, "membership", None))
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
