"""Security headers that Django and django-csp do not set themselves, and the log filter that
keeps password-reset keys out of the logs. See docs/security.md."""

from __future__ import annotations

import logging
import re
from typing import Any

from django.conf import settings


class PermissionsPolicyMiddleware:
    """``Permissions-Policy``: browser features the application never uses are off."""

    def __init__(self, get_response: Any) -> None:
        self.get_response = get_response

    def __call__(self, request: Any) -> Any:
        response = self.get_response(request)
        policy = ", ".join(getattr(settings, "PERMISSIONS_POLICY", []))
        if policy and "Permissions-Policy" not in response:
            response["Permissions-Policy"] = policy
        return response


# Names a client might use to choose the organisation (or open the database wall) itself.
# The organisation comes only from the user's own membership (ipvb.tenancy) and the database
# settings only from the server (ipvb.rls); a request that carries one of these is refused.
TENANCY_OVERRIDE_NAMES = frozenset(
    {
        "ipvb_organisation",
        "ipvb_cross_organisation",
        "ipvb_user",
        "ipvb_family_token",
        "x_organisation",
        "x_organisation_id",
        "x_ipvb_organisation",
        "x_ipvb_cross_organisation",
        "x_tenant",
        "x_tenant_id",
    }
)


def _normalise(name: str) -> str:
    name = name.lower().replace("-", "_").replace(".", "_")
    return name[5:] if name.startswith("http_") else name


class TenancyOverrideGuardMiddleware:
    """Refuses (400, in words) a request that tries to set the tenancy itself through a header
    or a parameter, instead of silently ignoring it; logged as a warning."""

    def __init__(self, get_response: Any) -> None:
        self.get_response = get_response

    def __call__(self, request: Any) -> Any:
        names = [key for key in request.META if key.startswith("HTTP_")]
        names += list(request.GET.keys())
        if request.method == "POST" and request.content_type in (
            "application/x-www-form-urlencoded",
            "multipart/form-data",
        ):
            names += list(request.POST.keys())
        tried = sorted({_normalise(name) for name in names} & TENANCY_OVERRIDE_NAMES)
        if tried:
            from django.http import HttpResponse, JsonResponse
            from django.utils.translation import gettext as _

            logging.getLogger("ipvb.security").warning(
                "Refused a request that tried to set the tenancy itself (%s) on %s",
                ", ".join(tried),
                request.path,
            )
            message = _(
                "De organisatie volgt uit uw eigen lidmaatschap en kan niet in het verzoek worden "
                "meegegeven (%(names)s). Kies een organisatie met de organisatiekeuze."
            ) % {"names": ", ".join(tried)}
            if request.path.startswith("/api/"):
                return JsonResponse({"detail": message}, status=400)
            return HttpResponse(message, status=400, content_type="text/plain; charset=utf-8")
        return self.get_response(request)


# allauth's reset link: /accounts/password/reset/key/<uidb36>-<key>/
_RESET_KEY = re.compile(r"(/password/reset/key/)[^/\s\"']+")


def redact(text: str) -> str:
    return _RESET_KEY.sub(r"\1[verborgen]", text)


class RedactSecretsFilter(logging.Filter):
    """Replaces password-reset keys in log lines (request logs, runserver, gunicorn access)
    by a placeholder; the record is kept."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = redact(message)
        if cleaned != message:
            record.msg, record.args = cleaned, None
        return True
