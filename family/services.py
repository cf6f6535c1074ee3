"""Writes of the family's view: invite, accept, end access, sign, leave a wish."""

from __future__ import annotations

import datetime
import hashlib
import secrets
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from clients.models import Client, ContactPerson
from ipvb.models import INVITATION_VALIDITY, Membership

from . import selectors
from .models import FamilyAccess, FamilyWish, PackageSignature

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser
    from django.http import HttpRequest

    from conversations.models import Package
    from ipvb.models import User

# After a discharge the last agreed package stays readable this many months.
READ_MONTHS_AFTER_DISCHARGE = 3
INVITABLE_ROLES = (ContactPerson.Role.LEGAL_REPRESENTATIVE, ContactPerson.Role.FIRST_CONTACT)


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def _new_token() -> tuple[str, str]:
    token = secrets.token_urlsafe(32)
    return token, hash_token(token)


def invitation_path(token: str) -> str:
    return reverse("family_invitation", kwargs={"token": token})


def _send_invitation(*, request: HttpRequest | None, access: FamilyAccess, token: str) -> None:
    """Dutch, then English, like the staff invitation (``ipvb.services``)."""
    from django.core.mail import send_mail
    from django.template.loader import render_to_string
    from django.utils import translation

    inviter = access.invited_by
    inviter_name = (inviter.get_full_name() or inviter.email) if inviter is not None else ""
    url = (
        request.build_absolute_uri(invitation_path(token)) if request is not None else invitation_path(token)
    )
    parts, subjects = [], []
    for language in ("nl", "en"):
        with translation.override(language):
            context = {
                "organisation": access.organisation.name,
                "client": access.client.full_name,
                "name": access.contact_name,
                "inviter": inviter_name,
                "url": url,
                "expires_at": timezone.localtime(access.token_expires_at),
            }
            subjects.append(render_to_string("family/email/invitation_subject.txt", context).strip())
            parts.append(render_to_string("family/email/invitation_message.txt", context).strip())
    send_mail(
        subject=" / ".join(dict.fromkeys(subjects)),
        message="\n\n— English below —\n\n".join(parts) + "\n",
        from_email=None,
        recipient_list=[access.email],
    )


@transaction.atomic
def family_invite(
    *,
    membership: Membership,
    client: Client,
    contact_person: ContactPerson,
    email: str,
    consent_by: str,
    consent_note: str = "",
    request: HttpRequest | None = None,
) -> FamilyAccess:
    """A care professional or team leader invites a contact person of a client they may see,
    recording who gave consent. An open invitation of the same contact person is renewed
    (new link, 14 more days); a live access is refused."""
    from clients.selectors import clients_for
    from ipvb.roles import Role

    if not membership.has_role(Role.CARE_PROFESSIONAL, Role.TEAM_LEADER):
        raise ValidationError(_("Alleen een zorgprofessional of teamleider kan familie uitnodigen."))
    if (
        client.organisation_id != membership.organisation_id
        or not clients_for(membership=membership).filter(pk=client.pk).exists()
    ):
        raise ValidationError(_("Deze cliënt is niet gevonden."), code="not_found")
    if contact_person.client_id != client.pk or contact_person.organisation_id != client.organisation_id:
        raise ValidationError({"contact_person": _("Deze contactpersoon hoort niet bij deze cliënt.")})
    if contact_person.role not in INVITABLE_ROLES:
        raise ValidationError(
            {
                "contact_person": _(
                    "Alleen de wettelijk vertegenwoordiger of de eerste contactpersoon kan worden uitgenodigd."
                )
            }
        )
    if not client.is_active:
        raise ValidationError(_("Deze cliënt is uitgeschreven; uitnodigen kan niet meer."))
    if consent_by not in FamilyAccess.Consent.values:
        raise ValidationError({"consent_by": _("Kies wie toestemming heeft gegeven.")})
    email = (email or "").strip().lower()
    if not email:
        raise ValidationError({"email": _("Vul het e-mailadres van de contactpersoon in.")})
    existing = (
        FamilyAccess.objects.for_organisation(client.organisation_id)
        .filter(contact_person=contact_person, ended_at__isnull=True)
        .select_for_update()
        .first()
    )
    if existing is not None and existing.activated_at is not None:
        raise ValidationError(_("Deze contactpersoon heeft al toegang tot de familiepagina."))
    token, token_hash = _new_token()
    now = timezone.now()
    access = existing or FamilyAccess(organisation_id=client.organisation_id, client=client)
    access.contact_person = contact_person
    access.contact_name = contact_person.name
    access.email = email
    access.consent_by = consent_by
    access.consent_note = consent_note.strip()[:300]
    access.consent_recorded_at = now
    access.invited_by = membership.user
    access.invited_at = now
    access.token_hash = token_hash
    access.token_expires_at = now + INVITATION_VALIDITY
    access.token_used_at = None
    access.save()
    if contact_person.email != email:
        contact_person.email = email
        contact_person.save(update_fields=["email"])
    transaction.on_commit(lambda: _send_invitation(request=request, access=access, token=token))
    return access


def invalid_link_message() -> str:
    return _(
        "Deze uitnodigingslink is ongeldig, al gebruikt of verlopen. Vraag de zorgprofessional om een nieuwe uitnodiging."
    )


def invitation_for_token(token: str) -> FamilyAccess | None:
    """The open invitation a link refers to, else None (unknown, used, expired or ended: the
    same answer)."""
    from ipvb import rls

    if not token or len(token) > 100:
        return None
    digest = hash_token(token)
    if rls.enabled():
        rls.set_family_token(digest)  # row-level security: this one invitation (ipvb.rls)
    access = FamilyAccess.objects.for_token_hash(digest).select_related("organisation").first()
    if (
        access is None
        or access.token_used_at is not None
        or access.ended_at is not None
        or access.token_expires_at <= timezone.now()
        or not access.organisation.is_active
    ):
        return None
    if rls.enabled():
        rls.set_organisation(access.organisation)  # the rest of the request: its organisation
    return access


def account_for_email(email: str) -> User | None:
    from ipvb.models import User

    return User.objects.filter(email__iexact=email).first()


@transaction.atomic
def family_accept(
    *, token: str, user: User | AnonymousUser | None = None, password: str | None = None
) -> tuple[FamilyAccess, User]:
    """Uses the invitation link once. Without an account for the invited address: the account
    is made with ``password``. With one: only that account, logged in (``user``), accepts.
    Platform staff and members of an organisation cannot take a family access (they would
    otherwise see staff pages with it)."""
    from allauth.account.models import EmailAddress

    from ipvb.models import User

    access = invitation_for_token(token)
    if access is not None:
        access = (
            FamilyAccess.objects.for_organisation(access.organisation_id)
            .select_for_update()
            .get(pk=access.pk)
        )
        if access.token_used_at is not None:
            access = None
    if access is None:
        raise ValidationError(invalid_link_message(), code="invalid_link")
    account = account_for_email(access.email)
    if account is None:
        if not password:
            raise ValidationError({"password1": _("Kies een wachtwoord.")})
        account = User.objects.create_user(
            email=access.email, password=password, first_name=access.contact_name[:150]
        )
        EmailAddress.objects.get_or_create(
            user=account, email=account.email, defaults={"verified": True, "primary": True}
        )
    elif user is None or not user.is_authenticated or user.pk != account.pk:
        raise ValidationError(
            _(
                "Er bestaat al een account voor dit e-mailadres. Log eerst in met dat account en open de link opnieuw."
            ),
            code="login_required",
        )
    if (
        account.is_staff
        or account.is_superuser
        or Membership.objects.for_user(account).filter(is_active=True).exists()
    ):
        raise ValidationError(
            _(
                "Dit account kan geen familietoegang krijgen. Vraag de zorgprofessional om een uitnodiging op een ander e-mailadres."
            ),
            code="not_allowed",
        )
    if FamilyAccess.objects.for_user(account).filter(ended_at__isnull=True).exclude(pk=access.pk).exists():
        raise ValidationError(
            _(
                "Dit account heeft al toegang tot de familiepagina van een cliënt. Gebruik een ander e-mailadres."
            ),
            code="one_client",
        )
    now = timezone.now()
    access.user = account
    access.token_used_at = now
    access.activated_at = now
    access.save(update_fields=["user", "token_used_at", "activated_at"])
    return access, account


@transaction.atomic
def family_access_end(
    *, access: FamilyAccess, reason: str, by: User | None = None, on_date: datetime.date | None = None
) -> FamilyAccess:
    """Ends an access (or open invitation). After a discharge the last agreed package stays
    readable for three months; after withdrawn consent or a removed contact person nothing."""
    from clients.formulas import add_months

    if reason not in FamilyAccess.EndReason.values:
        raise ValueError(f"Unknown end reason {reason!r}")
    access = (
        FamilyAccess.objects.for_organisation(access.organisation_id).select_for_update().get(pk=access.pk)
    )
    if access.ended_at is not None:
        raise ValidationError(_("Deze toegang is al beëindigd."))
    access.ended_at = timezone.now()
    access.end_reason = reason
    access.ended_by = by
    if reason == FamilyAccess.EndReason.DISCHARGED and access.activated_at is not None:
        access.read_until = add_months(on_date or timezone.localdate(), READ_MONTHS_AFTER_DISCHARGE)
    access.save(update_fields=["ended_at", "end_reason", "ended_by", "read_until"])
    return access


def family_access_end_for_client(
    *, client: Client, discharge_date: datetime.date, by: User | None = None
) -> int:
    """Hook of ``clients.services.client_discharge``: every access of the client ends."""
    ended = 0
    for access in FamilyAccess.objects.for_organisation(client.organisation_id).filter(
        client=client, ended_at__isnull=True
    ):
        family_access_end(
            access=access, reason=FamilyAccess.EndReason.DISCHARGED, by=by, on_date=discharge_date
        )
        ended += 1
    return ended


def family_access_end_for_contact(*, contact: ContactPerson, by: User | None = None) -> int:
    """Hook of ``clients.services.contact_person_delete``: the contact's access ends."""
    ended = 0
    for access in FamilyAccess.objects.for_organisation(contact.organisation_id).filter(
        contact_person=contact, ended_at__isnull=True
    ):
        family_access_end(access=access, reason=FamilyAccess.EndReason.CONTACT_REMOVED, by=by)
        ended += 1
    return ended


@transaction.atomic
def package_sign(
    *,
    active: selectors.ActiveAccess,
    package: Package,
    agree: bool,
    signed_name: str,
    shown_hash: str,
    ip_address: str | None,
) -> PackageSignature:
    """Signs the version shown. Refused: not the latest agreed version, content changed since
    it was shown, no tick, no name, already signed, access read-only."""
    from conversations.models import Package

    if active.read_only:
        raise ValidationError(_("Uw toegang is beëindigd; ondertekenen kan niet meer."))
    package = (
        Package.objects.for_organisation(active.organisation)
        .filter(client=active.client)
        .select_for_update()
        .get(pk=package.pk)
    )
    latest = selectors.current_package(active=active)
    if package.status != Package.Status.AGREED or latest is None or latest.pk != package.pk:
        raise ValidationError(
            _(
                "Deze versie is niet meer de geldende versie van het zorgpakket. Bekijk en onderteken de nieuwe versie."
            ),
            code="not_latest",
        )
    digest = selectors.content_hash(package)
    if shown_hash != digest:
        raise ValidationError(
            _(
                "Het zorgpakket is gewijzigd sinds u het opende. Lees de versie opnieuw voordat u ondertekent."
            ),
            code="changed",
        )
    if not agree:
        raise ValidationError({"agree": _("Vink aan dat u akkoord gaat met deze versie.")})
    name = " ".join((signed_name or "").split())
    if len(name) < 2:
        raise ValidationError({"signed_name": _("Typ uw volledige naam.")})
    if len(name) > 200:
        raise ValidationError({"signed_name": _("De naam is te lang (hoogstens 200 tekens).")})
    if (
        PackageSignature.objects.for_organisation(active.organisation)
        .filter(package=package, access=active.access)
        .exists()
    ):
        raise ValidationError(_("U heeft deze versie al ondertekend."), code="already_signed")
    try:
        with transaction.atomic():
            return PackageSignature.objects.create(
                organisation=active.organisation,
                package=package,
                client=active.client,
                access=active.access,
                user=active.access.user,
                signed_name=name,
                ip_address=ip_address,
                content_hash=digest,
            )
    except IntegrityError as exc:  # a double click: the first one signed
        raise ValidationError(_("U heeft deze versie al ondertekend."), code="already_signed") from exc


MAX_WISH = 2000


@transaction.atomic
def wish_leave(*, active: selectors.ActiveAccess, text: str) -> FamilyWish:
    if active.read_only:
        raise ValidationError(_("Uw toegang is beëindigd; wensen doorgeven kan niet meer."))
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": _("Schrijf uw wens op.")})
    if len(text) > MAX_WISH:
        raise ValidationError({"text": _("Uw wens is te lang (hoogstens %(n)s tekens).") % {"n": MAX_WISH}})
    return FamilyWish.objects.create(
        organisation=active.organisation, client=active.client, access=active.access, text=text
    )
