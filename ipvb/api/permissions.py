from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework import permissions

from ..tenancy import attach_membership


def ensure_membership(request: Any) -> Any:
    """The DRF user may differ from the session user (token auth): resolve for it."""
    django_request = request._request
    if getattr(django_request, "tenancy_user_id", object()) != getattr(request.user, "pk", None):
        attach_membership(django_request, request.user)
    return django_request.membership


class IsTenantMember(permissions.BasePermission):
    message = _("U heeft geen actief lidmaatschap bij een organisatie.")

    def has_permission(self, request: Any, view: Any) -> bool:
        return ensure_membership(request) is not None


class HasViewRole(permissions.BasePermission):
    """``read_roles`` for safe methods, ``write_roles`` for the rest (None: any role)."""

    message = _("Uw rol geeft geen toegang tot deze handeling.")

    def has_permission(self, request: Any, view: Any) -> bool:
        membership = request._request.membership
        if request.method in permissions.SAFE_METHODS:
            roles = getattr(view, "read_roles", None)
        else:
            roles = getattr(view, "write_roles", frozenset())
        action_roles = getattr(view, "action_roles", {}).get(getattr(view, "action", None))
        if action_roles is not None:
            roles = action_roles
        return roles is None or membership.has_role(*roles)
