"""Personal API keys, on django-rest-knox (no crypto of our own).

* A user creates keys in the web application (``/api-sleutel/``), only in a session that
  passed MFA when MFA is required. Each key has a name and an expiry, is shown once, and only
  its SHA-512 hash is stored (``ApiToken.digest``).
* A key is bound to the organisation the user worked in when creating it: the API acts in
  that organisation, and only while the membership there is active.
* Revoked: by the user, by an organisation admin (their organisation's keys), and all of a
  user's keys when the password changes; the keys of a membership when it ends (or the
  organisation is deactivated).
* Every use is recorded as ``last_used_at`` (at most once a minute per key)."""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.db.models.signals import post_delete, post_save, pre_save
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from knox.auth import TokenAuthentication
from rest_framework import exceptions

from . import mfa
from .models import ApiToken, Membership, Organisation, User
from .rls import set_user

logger = logging.getLogger("ipvb.api_tokens")

EXPIRY_CHOICES_DAYS = (7, 30, 90, 365)
LAST_USED_GRANULARITY = timedelta(minutes=1)

INVALID_TOKEN_MESSAGE = gettext_lazy(
    "Ongeldige, verlopen of ingetrokken API-sleutel. Maak in de webapplicatie (API-sleutels) een nieuwe."
)
MEMBERSHIP_ENDED_MESSAGE = gettext_lazy(
    "Het lidmaatschap waarvoor deze API-sleutel is gemaakt is beëindigd; de sleutel werkt niet meer."
)


def expiry_choices() -> list[int]:
    return [days for days in EXPIRY_CHOICES_DAYS if days <= settings.API_TOKEN_MAX_DAYS] or [
        settings.API_TOKEN_MAX_DAYS
    ]


def token_create(*, request: Any, name: str, days: int) -> tuple[ApiToken, str]:
    """A new key for the requesting user in their active organisation. Returns the stored
    token and the key itself (to show once). Refuses without a passed MFA session (when the
    user must have MFA), without a name or with an expiry outside the choices."""
    user = request.user
    membership = getattr(request, "membership", None)
    if mfa.must_have_mfa(user, membership) and not mfa.session_passed_mfa(request):
        raise PermissionDenied(str(mfa.MFA_REQUIRED_MESSAGE))
    if membership is None:
        raise PermissionDenied(_("U heeft geen actief lidmaatschap bij een organisatie."))
    errors: dict[str, str] = {}
    name = (name or "").strip()
    if not name:
        errors["name"] = _("Geef de sleutel een naam, bijvoorbeeld het systeem dat hem gebruikt.")
    elif len(name) > 100:
        errors["name"] = _("Een naam is hoogstens 100 tekens.")
    if days not in expiry_choices():
        errors["days"] = _("Kies een geldigheidsduur uit de lijst.")
    if errors:
        raise ValidationError(errors)
    token, key = ApiToken.objects.create(
        user=user, expiry=timedelta(days=days), name=name, organisation=membership.organisation
    )
    logger.info("api token created user=%s organisation=%s", user.pk, membership.organisation_id)
    return token, key


def token_revoke(*, token: ApiToken, by: Any) -> None:
    logger.info(
        "api token revoked user=%s organisation=%s by=%s", token.user_id, token.organisation_id, by.pk
    )
    token.delete()


def tokens_of_user(user: User) -> QuerySet[ApiToken]:
    return ApiToken.objects.filter(user=user, expiry__gt=timezone.now()).select_related("organisation")


def tokens_of_organisation(organisation: Organisation) -> QuerySet[ApiToken]:
    return ApiToken.objects.filter(organisation=organisation, expiry__gt=timezone.now()).select_related(
        "user"
    )


def revoke_all_of_user(user: Any, *, reason: str) -> int:
    deleted, _detail = ApiToken.objects.filter(user=user).delete()
    if deleted:
        logger.info("api tokens revoked user=%s count=%s reason=%s", user.pk, deleted, reason)
    return deleted


def revoke_for_membership(*, user_id: int, organisation_id: int, reason: str) -> int:
    """The keys a user made in an organisation (and any key not bound to one)."""
    from django.db.models import Q

    deleted, _detail = ApiToken.objects.filter(
        Q(organisation_id=organisation_id) | Q(organisation__isnull=True), user_id=user_id
    ).delete()
    if deleted:
        logger.info(
            "api tokens revoked user=%s organisation=%s count=%s reason=%s",
            user_id,
            organisation_id,
            deleted,
            reason,
        )
    return deleted


class MembershipEnded(exceptions.AuthenticationFailed):
    default_detail = MEMBERSHIP_ENDED_MESSAGE
    default_code = "membership_ended"


class ApiTokenAuthentication(TokenAuthentication):
    """knox's check (hash compare, expiry, inactive user) with Dutch answers, no 500 on a
    malformed header, the organisation membership still active, and ``last_used_at``."""

    def authenticate(self, request: Any) -> Any:
        try:
            return super().authenticate(request)
        except MembershipEnded:
            raise
        except (exceptions.AuthenticationFailed, UnicodeDecodeError, ValueError) as exc:
            raise exceptions.AuthenticationFailed(INVALID_TOKEN_MESSAGE, code="invalid_token") from exc

    def validate_user(self, auth_token: ApiToken) -> tuple[Any, ApiToken]:
        user, token = super().validate_user(auth_token)
        if token.organisation_id is not None:
            set_user(user.pk)  # row-level security: the user's own memberships (ipvb.rls)
            active = (
                Membership.objects.for_user(user)
                .filter(organisation_id=token.organisation_id, is_active=True, organisation__is_active=True)
                .exists()
            )
            if not active:
                # The signals revoke a membership's keys when it ends; this is the backstop.
                raise MembershipEnded()
        now = timezone.now()
        if token.last_used_at is None or now - token.last_used_at >= LAST_USED_GRANULARITY:
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
            token.last_used_at = now
        return user, token


def token_organisation_id(request: Any) -> int | None:
    """The organisation the request's key is bound to (None for a session or unbound key)."""
    auth = getattr(request, "auth", None)
    return auth.organisation_id if isinstance(auth, ApiToken) else None


# Revocation on password change and membership end -----------------------------------------


def _remember_password_change(sender: Any, instance: User, update_fields: Any = None, **kwargs: Any) -> None:
    if instance.pk is None or (update_fields is not None and "password" not in update_fields):
        return
    stored = User.objects.filter(pk=instance.pk).values_list("password", "is_active").first()
    instance._ipvb_revoke_tokens = stored is not None and (  # type: ignore[attr-defined]  # pre_save -> post_save
        stored[0] != instance.password or (stored[1] and not instance.is_active)
    )


def _revoke_after_password_change(sender: Any, instance: User, created: bool = False, **kwargs: Any) -> None:
    if getattr(instance, "_ipvb_revoke_tokens", False):
        instance._ipvb_revoke_tokens = False  # type: ignore[attr-defined]  # pre_save -> post_save
        revoke_all_of_user(instance, reason="password_changed_or_deactivated")


def _revoke_when_membership_ends(sender: Any, instance: Membership, **kwargs: Any) -> None:
    if kwargs.get("signal") is post_delete or not instance.is_active:
        revoke_for_membership(
            user_id=instance.user_id, organisation_id=instance.organisation_id, reason="membership_ended"
        )


def _revoke_when_organisation_deactivated(sender: Any, instance: Organisation, **kwargs: Any) -> None:
    if not instance.is_active:
        ApiToken.objects.filter(organisation=instance).delete()


def connect_signals() -> None:
    pre_save.connect(_remember_password_change, sender=User, dispatch_uid="ipvb_token_pw_pre")
    post_save.connect(_revoke_after_password_change, sender=User, dispatch_uid="ipvb_token_pw_post")
    post_save.connect(_revoke_when_membership_ends, sender=Membership, dispatch_uid="ipvb_token_member_save")
    post_delete.connect(_revoke_when_membership_ends, sender=Membership, dispatch_uid="ipvb_token_member_del")
    post_save.connect(
        _revoke_when_organisation_deactivated, sender=Organisation, dispatch_uid="ipvb_token_org_save"
    )


class ApiTokenScheme(OpenApiAuthenticationExtension):
    """The OpenAPI description of the key: ``Authorization: Token <key>``."""

    target_class = "ipvb.api_tokens.ApiTokenAuthentication"
    name = "tokenAuth"

    def get_security_definition(self, auto_schema: Any) -> dict[str, Any]:
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": 'Persoonlijke API-sleutel (webapplicatie, API-sleutels), met het voorvoegsel "Token": '
            "`Authorization: Token ipvb_…`",
        }
