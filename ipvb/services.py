"""Writes of the tenancy core (users, memberships, invitations, the chosen organisation)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import (
    Department,
    Membership,
    MembershipInvitation,
    Organisation,
    User,
    default_invitation_expiry,
    validate_roles,
)
from .roles import Role
from .tenancy import active_memberships


def _check_departments(*, organisation: Organisation, departments: Iterable[Department]) -> list[Department]:
    departments = list(departments)
    if any(department.organisation_id != organisation.pk for department in departments):
        raise ValidationError({"departments": _("Deze afdeling hoort niet bij uw organisatie.")})
    return departments


def _send_set_password_mail(
    *, request: Any, user: User, organisation: Organisation, roles: list[str], invited_by: Any
) -> None:
    """A real invitation (Dutch, then English; no host-name prefix): who invited the person, to
    which organisation and role, the link to set a password and when it expires."""
    import datetime

    from allauth.account.forms import default_token_generator
    from allauth.account.utils import user_pk_to_url_str
    from django.conf import settings
    from django.core.mail import send_mail
    from django.template.loader import render_to_string
    from django.utils import timezone, translation

    from .roles import Role

    path = reverse(
        "account_reset_password_from_key",
        kwargs={"uidb36": user_pk_to_url_str(user), "key": default_token_generator.make_token(user)},
    )
    inviter = getattr(invited_by, "email", "") or ""
    inviter_name = (invited_by.get_full_name() if invited_by is not None else "") or inviter
    expires = timezone.localtime() + datetime.timedelta(seconds=settings.PASSWORD_RESET_TIMEOUT)
    parts, subjects = [], []
    for language in ("nl", "en"):
        with translation.override(language):
            context = {
                "organisation": organisation.name,
                "roles": ", ".join(str(Role(role).label) for role in roles if role in Role.values),
                "inviter": inviter_name,
                "url": request.build_absolute_uri(path),
                "expires_at": expires,
            }
            subjects.append(render_to_string("ipvb/email/new_account_subject.txt", context).strip())
            parts.append(render_to_string("ipvb/email/new_account_message.txt", context).strip())
    send_mail(
        subject=" / ".join(dict.fromkeys(subjects)),
        message="\n\n— English below —\n\n".join(parts) + "\n",
        from_email=None,
        recipient_list=[user.email],
    )


@dataclass(frozen=True)
class InvitationOutcome:
    """What the inviting organisation learns from adding an e-mail address: only what it typed
    itself. The same whether the address is new, belongs to an existing account (of any
    organisation) or to platform staff, so nothing about the person is revealed."""

    email: str
    roles: list[str]
    departments: list[int]
    status: str = MembershipInvitation.Status.INVITED


def _send_invitation_notice(*, request: Any, invitation: MembershipInvitation) -> None:
    from django.core.mail import send_mail
    from django.template.loader import render_to_string

    path = reverse("invitation_list")
    context = {
        "organisation": invitation.organisation.name,
        "roles": ", ".join(invitation.role_labels),
        "url": request.build_absolute_uri(path) if request is not None else path,
        "expires_at": invitation.expires_at,
    }
    send_mail(
        subject=render_to_string("ipvb/email/invitation_subject.txt", context).strip(),
        message=render_to_string("ipvb/email/invitation_message.txt", context),
        from_email=None,
        recipient_list=[invitation.email],
    )


def _invitation_open(*, organisation: Organisation, email: str) -> MembershipInvitation | None:
    return (
        MembershipInvitation.objects.for_organisation(organisation)
        .filter(email=email, accepted_at__isnull=True, declined_at__isnull=True)
        .select_for_update()
        .first()
    )


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
    invited_by: User | None = None,
) -> InvitationOutcome:
    """Adds a person to the organisation.

    * A new e-mail address: creates the account and the membership and sends a link to set a
      password (as before).
    * The e-mail address of an existing account (of any organisation): creates an invitation
      (or renews the open one) and sends a notice; the person accepts it after logging in
      (``invitation_accept``). Their account, name, other organisations and active
      organisation are not touched and not revealed.
    * Platform staff: recorded like any invitation (the answer reveals nothing), but no notice
      is sent and it can never be accepted.

    The return value is the same in every case (``InvitationOutcome``)."""
    departments = _check_departments(organisation=organisation, departments=departments)
    email = User.objects.normalize_email(email.strip()).lower()
    roles = list(roles)
    try:
        validate_roles(roles)
    except ValidationError as exc:
        raise ValidationError({"roles": exc.messages}) from exc
    user = User.objects.filter(email__iexact=email).first()
    if user is None:
        user = User.objects.create_user(email=email, first_name=first_name, last_name=last_name)
        user.set_unusable_password()
        user.save(update_fields=["password"])
        membership = Membership(organisation=organisation, user=user, roles=roles)
        membership.full_clean()
        membership.save()
        membership.departments.set(departments)
        if request is not None:
            transaction.on_commit(
                lambda: _send_set_password_mail(
                    request=request, user=user, organisation=organisation, roles=roles, invited_by=invited_by
                )
            )
        return InvitationOutcome(email=email, roles=roles, departments=[d.pk for d in departments])
    if Membership.objects.for_organisation(organisation).filter(user=user).exists():
        # The organisation already sees this person in its own list: nothing new is revealed.
        raise ValidationError({"email": _("Deze gebruiker is al lid van uw organisatie.")})
    invitation = _invitation_open(organisation=organisation, email=email) or MembershipInvitation(
        organisation=organisation, email=email
    )
    invitation.roles = roles
    invitation.invited_by = invited_by
    invitation.expires_at = default_invitation_expiry()
    invitation.full_clean()
    invitation.save()
    invitation.departments.set(departments)
    if not user.is_platform_staff and user.is_active:
        transaction.on_commit(lambda: _send_invitation_notice(request=request, invitation=invitation))
    return InvitationOutcome(email=email, roles=roles, departments=[d.pk for d in departments])


@transaction.atomic
def invitation_accept(*, invitation: MembershipInvitation, user: User) -> Membership:
    """The invited person joins the organisation. Only the invitee can accept (the invitation
    is found through their own e-mail address); platform staff never can. The user's active
    organisation stays what it was: with a second membership and no choice remembered yet, the
    current one is remembered, so neither the web nor the API switches by itself."""
    locked = (
        MembershipInvitation.objects.for_invitee(user).select_for_update().filter(pk=invitation.pk).first()
    )
    if locked is None:
        raise ValidationError(_("Deze uitnodiging is niet voor u bestemd."))
    if user.is_platform_staff:
        raise ValidationError(
            _("Een platformbeheerder kan geen lid worden van een organisatie; er is niets gewijzigd.")
        )
    if locked.status != MembershipInvitation.Status.INVITED:
        raise ValidationError(_("Deze uitnodiging is niet meer geldig; er is niets gewijzigd."))
    if Membership.objects.for_user(user).filter(organisation=locked.organisation_id).exists():
        raise ValidationError(_("U bent al lid van deze organisatie; er is niets gewijzigd."))
    current = active_memberships(user)
    membership = Membership(organisation=locked.organisation, user=user, roles=list(locked.roles))
    membership.full_clean()
    membership.save()
    membership.departments.set(list(locked.departments.all()))
    locked.accepted_at = timezone.now()
    locked.save(update_fields=["accepted_at"])
    if user.last_organisation_id is None and len(current) == 1:
        active_organisation_remember(user=user, organisation=current[0].organisation)
    return membership


@transaction.atomic
def invitation_decline(*, invitation: MembershipInvitation, user: User) -> MembershipInvitation:
    locked = (
        MembershipInvitation.objects.for_invitee(user).select_for_update().filter(pk=invitation.pk).first()
    )
    if locked is None:
        raise ValidationError(_("Deze uitnodiging is niet voor u bestemd."))
    if locked.accepted_at is not None or locked.declined_at is not None:
        raise ValidationError(_("Deze uitnodiging is niet meer geldig; er is niets gewijzigd."))
    locked.declined_at = timezone.now()
    locked.save(update_fields=["declined_at"])
    return locked


def invitation_revoke(*, invitation: MembershipInvitation) -> None:
    """The inviting organisation withdraws an invitation that has not been accepted."""
    if invitation.accepted_at is not None:
        raise ValidationError(_("Een geaccepteerde uitnodiging kan niet worden ingetrokken."))
    invitation.delete()


def active_organisation_remember(*, user: User, organisation: Organisation) -> None:
    """The user's own choice of organisation, kept across logins and used by API tokens. Only
    called for the acting user (the switcher, the choose page)."""
    if user.last_organisation_id != organisation.pk:
        user.last_organisation = organisation
        user.save(update_fields=["last_organisation"])


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
