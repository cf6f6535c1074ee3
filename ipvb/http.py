"""The request as the tenancy middleware leaves it, as types (no runtime behaviour).

``ipvb.tenancy.attach_membership`` sets these attributes on every request once. Code that
runs before a membership is required (middleware, context processors) sees ``TenantRequest``
with optional values; views behind ``TenantRequiredMixin`` and API views behind
``IsTenantMember`` see ``MemberRequest``, where the membership and organisation are set."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.http import HttpRequest
from rest_framework.request import Request

if TYPE_CHECKING:
    from .models import Membership, Organisation, User


class TenantRequest(HttpRequest):
    user: User  # type: ignore[assignment]  # AnonymousUser before login; checked by the views
    memberships: list[Membership]
    membership: Membership | None
    organisation: Organisation | None
    membership_choice_needed: bool
    tenancy_user_id: int | None


class MemberRequest(TenantRequest):
    """Inside a tenant view: logged in, with an active membership (checked in dispatch)."""

    membership: Membership
    organisation: Organisation


class MemberAPIRequest(Request):
    """DRF's request inside a tenant API view (IsTenantMember has passed)."""

    user: User  # type: ignore[assignment]
    _request: MemberRequest
