"""Writes of the tenancy core (users and memberships)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from .models import Department, Membership, Organisation, User
from .roles import Role


def _check_departments(*, organisation: Organisation, departments: Iterable[Department]) -> list[Department]:
    departments = list(departments)
    if any(department.organisation_id != organisation.pk for department in departments):
        raise ValidationError({"departments": _("Deze afdeling hoort niet bij uw organisatie.")})
    return departments


def _send_set_password_mail(*, request: Any, user: User) -> None:
    from allauth.account.forms import ResetPasswordForm
    from allauth.core.context import request_context

    form = ResetPasswordForm(data={"email": user.email})
    with request_context(request):
        if form.is_valid():
            form.save(request)


@transaction.atomic
def membership_create(
    *,
    organisation: Organisation,
    email: str,
    first_name: str = "",
    last_name: str = "",
    roles: list[str],
    departments: Iterable[Department] = (),
    request: Any = None,
) -> Membership:
    """Adds a person to the organisation; creates the user account when it is new and
    sends a link to set a password."""
    departments = _check_departments(organisation=organisation, departments=departments)
    email = email.strip().lower()
    user = User.objects.filter(email__iexact=email).first()
    created = user is None
    if user is None:
        user = User.objects.create_user(email=email, first_name=first_name, last_name=last_name)
        user.set_unusable_password()
        user.save(update_fields=["password"])
    elif Membership.objects.for_organisation(organisation).filter(user=user).exists():
        raise ValidationError({"email": _("Deze gebruiker is al lid van uw organisatie.")})
    membership = Membership(organisation=organisation, user=user, roles=list(roles))
    membership.full_clean()
    membership.save()
    membership.departments.set(departments)
    if created and request is not None:
        transaction.on_commit(lambda: _send_set_password_mail(request=request, user=user))
    return membership


@transaction.atomic
def membership_update(
    *,
    membership: Membership,
    acting: Membership,
    roles: list[str],
    departments: Iterable[Department],
    is_active: bool,
) -> Membership:
    """Changes roles, departments and status. An admin cannot lock themselves out."""
    departments = _check_departments(organisation=membership.organisation, departments=departments)
    if membership.pk == acting.pk and (not is_active or Role.ORG_ADMIN not in roles):
        raise ValidationError(
            _("U kunt uw eigen beheerdersrol of lidmaatschap niet intrekken; vraag een andere beheerder.")
        )
    membership.roles = list(roles)
    membership.is_active = is_active
    membership.full_clean()
    membership.save(update_fields=["roles", "is_active"])
    membership.departments.set(departments)
    return membership
