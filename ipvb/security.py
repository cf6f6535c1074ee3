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
