from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, permissions

from ..rls import set_organisation
from ..tenancy import attach_membership


def ensure_membership(request: Any) -> Any:
    """The DRF user may differ from the session user (token auth): resolve for it. A personal
    API key acts in the organisation it was made in (ipvb.api_tokens), never another."""
    from ..api_tokens import token_organisation_id

    django_request = request._request
    if getattr(django_request, "tenancy_user_id", object()) != getattr(request.user, "pk", None):
        attach_membership(django_request, request.user)
        bound = token_organisation_id(request)
        if bound is not None:
            membership = next((m for m in django_request.memberships if m.organisation_id == bound), None)
            django_request.membership = membership
            django_request.organisation = membership.organisation if membership else None
            django_request.membership_choice_needed = False
            set_organisation(django_request.organisation)
    return django_request.membership


CHOOSE_ORGANISATION_MESSAGE = _(
    "U bent lid van meer dan één organisatie en heeft nog geen organisatie gekozen. Kies in de "
    "webapplicatie (menu Organisatie) voor welke organisatie u werkt; de API gebruikt daarna die keuze."
)


class IsTenantMember(permissions.BasePermission):
    message = _("U heeft geen actief lidmaatschap bij een organisatie.")

    def has_permission(self, request: Any, view: Any) -> bool:
        if ensure_membership(request) is not None:
            return True
        if getattr(request._request, "membership_choice_needed", False):
            raise exceptions.PermissionDenied(
                {"detail": CHOOSE_ORGANISATION_MESSAGE, "code": "organisation_choice_required"}
            )
        return False


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
