"""Accounts and the tenancy core: users, organisations, departments, memberships."""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any, ClassVar

from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from knox.models import AbstractAuthToken

from .roles import DEPARTMENT_BOUND_ROLES, Role
from .tenancy import TenantManager, TenantModel, TenantQuerySet
from .validators import agb_code_validator, validate_postal_code, validate_zorgkantoor_code


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def _create_user(self, email: str, password: str | None, **extra: Any) -> User:
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra: Any) -> User:
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email: str, password: str | None = None, **extra: Any) -> User:
        extra.update(is_staff=True, is_superuser=True)
        return self._create_user(email, password, **extra)


# knox (untyped) gives ApiToken its manager, so the plugin cannot build ``user.auth_token_set``.
class User(AbstractUser):  # type: ignore[django-manager-missing]  # see the comment above
    """A person who logs in with an e-mail address."""

    username = None  # type: ignore[assignment]  # no username: the e-mail address logs in
    email = models.EmailField(_("e-mailadres"), unique=True)
    # The organisation the user last chose in the switcher. Set only by the user themselves
    # (ipvb.services.active_organisation_remember); another organisation's admin never touches it.
    last_organisation = models.ForeignKey(
        "ipvb.Organisation",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
        verbose_name=_("laatst gekozen organisatie"),
    )

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = []

    # AbstractUser declares django's username-based UserManager; ours creates users by e-mail.
    # Subclassing AbstractBaseUser instead would change the model (a migration).
    objects: ClassVar[UserManager] = UserManager()  # type: ignore[assignment]  # see above

    class Meta:
        verbose_name = _("gebruiker")
        verbose_name_plural = _("gebruikers")
        ordering = ["email"]

    def __str__(self) -> str:
        return self.get_full_name() or self.email

    @property
    def is_platform_staff(self) -> bool:
        """Platform staff (national tariffs, Django admin) never belong to an organisation."""
        return bool(self.is_staff or self.is_superuser)


class Organisation(models.Model):
    """A care organisation: the tenant."""

    name = models.CharField(_("naam"), max_length=200)
    agb_code = models.CharField(_("AGB-code"), max_length=8, unique=True, validators=[agb_code_validator])
    zorgkantoor_code = models.CharField(
        _("zorgkantoorcode"), max_length=4, validators=[validate_zorgkantoor_code]
    )
    # Shown on the documents the organisation hands out (the package PDF).
    address = models.CharField(_("adres"), max_length=200, blank=True)
    postal_code = models.CharField(_("postcode"), max_length=7, blank=True, validators=[validate_postal_code])
    city = models.CharField(_("plaats"), max_length=100, blank=True)
    is_active = models.BooleanField(_("actief"), default=True)
    takes_part_in_reporting = models.BooleanField(_("neemt deel aan transparantierapportage"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("organisatie")
        verbose_name_plural = _("organisaties")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(agb_code__regex=r"^[0-9]{8}$"), name="organisation_agb_8_digits"
            ),
            models.CheckConstraint(
                condition=models.Q(zorgkantoor_code__gte="5501", zorgkantoor_code__lte="5533")
                & models.Q(zorgkantoor_code__regex=r"^[0-9]{4}$"),
                name="organisation_zorgkantoor_code_range",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Department(TenantModel):
    """A department (afdeling) of an organisation at a location."""

    class Kind(models.TextChoices):
        WITH_GROUP_CARE = "with_group_care", _("Met groepsgebonden dagzorg")
        WITHOUT_GROUP_CARE = "without_group_care", _("Zonder groepsgebonden dagzorg")

    name = models.CharField(_("naam"), max_length=200)
    location_name = models.CharField(_("locatie"), max_length=200)
    kind = models.CharField(_("soort"), max_length=32, choices=Kind.choices)
    places = models.PositiveIntegerField(
        _("aantal plaatsen"),
        validators=[MinValueValidator(1, _("Een afdeling heeft minstens één plaats."))],
    )
    is_pilot = models.BooleanField(_("pilotafdeling"), default=True)

    class Meta:
        verbose_name = _("afdeling")
        verbose_name_plural = _("afdelingen")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "name"], name="department_unique_name_per_org"),
            models.CheckConstraint(condition=models.Q(places__gte=1), name="department_places_min_1"),
        ]

    def __str__(self) -> str:
        return self.name


class MembershipQuerySet(TenantQuerySet):
    def for_user(self, user: Any) -> MembershipQuerySet:
        """A user's own memberships across organisations (how the tenant is found)."""
        qs = self.filter(user=user)
        qs._tenant_scoped = True
        return qs


class MembershipManager(TenantManager.from_queryset(MembershipQuerySet)):  # type: ignore[misc]  # django-stubs cannot type a from_queryset() base
    pass


def validate_roles(value: Any) -> None:
    if not isinstance(value, list) or not value:
        raise ValidationError(_("Kies minstens één rol."), code="roles_required")
    unknown = [role for role in value if role not in Role.values]
    if unknown:
        raise ValidationError(
            _("Onbekende rol: %(roles)s."),
            code="unknown_role",
            params={"roles": ", ".join(map(str, unknown))},
        )


class Membership(TenantModel):
    """A user's place in one organisation: roles and (for care staff) departments."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    roles = models.JSONField(_("rollen"), default=list, validators=[validate_roles])
    departments = models.ManyToManyField(
        Department, blank=True, related_name="memberships", verbose_name=_("afdelingen")
    )
    is_active = models.BooleanField(_("actief"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects: ClassVar[MembershipManager] = MembershipManager()

    class Meta:
        verbose_name = _("lidmaatschap")
        verbose_name_plural = _("lidmaatschappen")
        ordering = ["user__email"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "user"], name="membership_unique_user_per_org"),
        ]

    def __str__(self) -> str:
        return f"{self.user} @ {self.organisation_id}"

    def clean(self) -> None:
        super().clean()
        if self.user_id is not None and self.user.is_platform_staff:
            raise ValidationError(_("Een platformbeheerder kan geen lid worden van een organisatie."))

    def has_role(self, *roles: str) -> bool:
        return any(role in self.roles for role in roles)

    @property
    def role_labels(self) -> list[str]:
        return [str(Role(role).label) for role in self.roles if role in Role.values]

    @property
    def is_department_bound(self) -> bool:
        """True when the user sees only their own departments' clients."""
        return not self.has_role(Role.MANAGER, Role.ORG_ADMIN) and self.has_role(*DEPARTMENT_BOUND_ROLES)

    def restrict_departments(self, queryset: Any) -> Any:
        """Narrows a Department queryset to the departments this member works in when their
        roles are department-bound (care professional, team leader)."""
        return queryset.filter(pk__in=self.department_ids()) if self.is_department_bound else queryset

    def department_ids(self) -> list[int]:
        cached = getattr(self, "_department_ids", None)
        if cached is None:
            cached = list(self.departments.values_list("pk", flat=True))
            self._department_ids = cached
        return cached


INVITATION_VALIDITY = timedelta(days=14)


def default_invitation_expiry() -> Any:
    return timezone.now() + INVITATION_VALIDITY


class MembershipInvitationQuerySet(TenantQuerySet):
    def for_invitee(self, user: Any) -> MembershipInvitationQuerySet:
        """The invitations addressed to a user's own e-mail address, across organisations
        (how the invited person finds them; never used for the inviting side)."""
        qs = self.filter(email__iexact=user.email)
        qs._tenant_scoped = True
        return qs

    def pending(self) -> MembershipInvitationQuerySet:
        return self.filter(accepted_at__isnull=True, declined_at__isnull=True, expires_at__gt=timezone.now())


class MembershipInvitationManager(TenantManager.from_queryset(MembershipInvitationQuerySet)):  # type: ignore[misc]  # django-stubs cannot type a from_queryset() base
    pass


class MembershipInvitation(TenantModel):
    """An invitation of an existing account to join an organisation. The person accepts it
    after logging in; until then the organisation sees only the e-mail address it typed."""

    class Status(models.TextChoices):
        INVITED = "invited", _("Uitgenodigd")
        ACCEPTED = "accepted", _("Geaccepteerd")
        DECLINED = "declined", _("Afgewezen")
        EXPIRED = "expired", _("Verlopen")

    email = models.EmailField(_("e-mailadres"))
    roles = models.JSONField(_("rollen"), default=list, validators=[validate_roles])
    departments = models.ManyToManyField(
        Department, blank=True, related_name="+", verbose_name=_("afdelingen")
    )
    invited_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", editable=False
    )
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(_("geldig tot"), default=default_invitation_expiry)
    accepted_at = models.DateTimeField(null=True, blank=True, editable=False)
    declined_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects: ClassVar[MembershipInvitationManager] = MembershipInvitationManager()

    class Meta:
        verbose_name = _("uitnodiging")
        verbose_name_plural = _("uitnodigingen")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "email"],
                condition=models.Q(accepted_at__isnull=True, declined_at__isnull=True),
                name="invitation_one_open_per_email_per_org",
            ),
            models.CheckConstraint(
                condition=models.Q(accepted_at__isnull=True) | models.Q(declined_at__isnull=True),
                name="invitation_not_accepted_and_declined",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.email} @ {self.organisation_id}"

    @property
    def status(self) -> str:
        if self.accepted_at is not None:
            return self.Status.ACCEPTED
        if self.declined_at is not None:
            return self.Status.DECLINED
        if self.expires_at <= timezone.now():
            return self.Status.EXPIRED
        return self.Status.INVITED

    @property
    def role_labels(self) -> list[str]:
        return [str(Role(role).label) for role in self.roles if role in Role.values]


class ApiToken(AbstractAuthToken):
    """A personal API key (django-rest-knox): only a hash (``digest``) is stored, the key is
    shown once. Bound to the organisation the user worked in when creating it; named,
    expiring, revocable (ipvb.api_tokens)."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(_("naam"), max_length=100)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, null=True, blank=True, related_name="+", editable=False
    )
    last_used_at = models.DateTimeField(_("laatst gebruikt"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("API-sleutel")
        verbose_name_plural = _("API-sleutels")
        ordering = ["-created"]

    def __str__(self) -> str:
        return f"{self.name} ({self.user_id})"


# The access log lives in its own module (owned with the clients app).
from .models_accesslog import AccessLogEntry  # noqa: E402, F401
