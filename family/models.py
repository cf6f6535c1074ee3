"""The family's view (issue 17): a contact person of one client reads the budget and the
package and signs the agreed package online.

``FamilyAccess`` links one invited contact person (later: one user account) to exactly one
client of one organisation. It is not a staff membership: such a user has no ``Membership``,
so every staff page and API route refuses them, and every family page looks the client up
through the access row only."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ipvb.tenancy import TenantManager, TenantModel, TenantQuerySet


class FamilyAccessQuerySet(TenantQuerySet):
    def for_user(self, user: Any) -> FamilyAccessQuerySet:
        """A user's own access rows across organisations (how the family view finds its client;
        like ``Membership.objects.for_user``)."""
        qs = self.filter(user=user)
        qs._tenant_scoped = True
        return qs

    def for_token_hash(self, token_hash: str) -> FamilyAccessQuerySet:
        """The invitation a link refers to (the link carries a secret, only its hash is stored)."""
        qs = self.filter(token_hash=token_hash)
        qs._tenant_scoped = True
        return qs

    def live(self) -> FamilyAccessQuerySet:
        return self.filter(ended_at__isnull=True)


class FamilyAccessManager(TenantManager.from_queryset(FamilyAccessQuerySet)):  # type: ignore[misc]  # a dynamic base
    pass


class FamilyAccess(TenantModel):
    """One contact person's access to the family view of one client."""

    class Consent(models.TextChoices):
        CLIENT = "client", _("De cliënt zelf")
        REPRESENTATIVE = "representative", _("De wettelijk vertegenwoordiger")

    class EndReason(models.TextChoices):
        CONTACT_REMOVED = "contact_removed", _("Contactpersoon verwijderd")
        CONSENT_WITHDRAWN = "consent_withdrawn", _("Toestemming ingetrokken")
        DISCHARGED = "discharged", _("Cliënt uitgeschreven")

    client = models.ForeignKey(
        "clients.Client", on_delete=models.CASCADE, related_name="family_accesses", verbose_name=_("cliënt")
    )
    contact_person = models.ForeignKey(
        "clients.ContactPerson",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="family_accesses",
        verbose_name=_("contactpersoon"),
    )
    contact_name = models.CharField(_("naam contactpersoon"), max_length=200)
    email = models.EmailField(_("e-mailadres"))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="family_accesses",
        editable=False,
    )
    consent_by = models.CharField(_("toestemming gegeven door"), max_length=20, choices=Consent.choices)
    consent_note = models.CharField(_("toelichting toestemming"), max_length=300, blank=True)
    consent_recorded_at = models.DateTimeField(_("toestemming vastgelegd op"), default=timezone.now)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", editable=False
    )
    invited_at = models.DateTimeField(default=timezone.now, editable=False)
    # The invitation link: a random secret in the e-mail, only its SHA-256 here; used once.
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    token_expires_at = models.DateTimeField(editable=False)
    token_used_at = models.DateTimeField(null=True, blank=True, editable=False)
    activated_at = models.DateTimeField(_("actief sinds"), null=True, blank=True, editable=False)
    ended_at = models.DateTimeField(_("beëindigd op"), null=True, blank=True, editable=False)
    end_reason = models.CharField(
        _("reden beëindiging"), max_length=20, choices=EndReason.choices, blank=True, editable=False
    )
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    # After a discharge the last agreed package stays readable until this date (3 months).
    read_until = models.DateField(_("leesbaar tot"), null=True, blank=True, editable=False)

    objects = FamilyAccessManager()  # type: ignore[misc]  # the dynamic base above

    class Meta:
        verbose_name = _("familietoegang")
        verbose_name_plural = _("familietoegangen")
        ordering = ["-invited_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["contact_person"],
                condition=Q(ended_at__isnull=True),
                name="family_access_one_live_per_contact",
            ),
            models.UniqueConstraint(
                fields=["user"],
                condition=Q(ended_at__isnull=True, user__isnull=False),
                name="family_access_one_live_per_user",
            ),
            models.CheckConstraint(
                condition=Q(ended_at__isnull=True) | ~Q(end_reason=""),
                name="family_access_ended_has_reason",
            ),
        ]
        indexes = [models.Index(fields=["organisation", "client"])]

    def __str__(self) -> str:
        return f"{self.contact_name} → {self.client_id}"

    access_log_related = ("client",)

    @property
    def access_log_label(self) -> str:
        return _("Familietoegang van %(name)s") % {"name": self.contact_name}

    @property
    def status(self) -> str:
        if self.ended_at is not None:
            return "ended"
        if self.activated_at is not None:
            return "active"
        if self.token_expires_at <= timezone.now():
            return "expired"
        return "invited"

    @property
    def status_label(self) -> str:
        return str(
            {
                "ended": _("Beëindigd"),
                "active": _("Actief"),
                "expired": _("Uitnodiging verlopen"),
                "invited": _("Uitgenodigd"),
            }[self.status]
        )

    @property
    def is_live(self) -> bool:
        return self.ended_at is None and self.activated_at is not None


class PackageSignature(TenantModel):
    """A contact person (or the client with their own login) signs one agreed package version.
    The hash covers the version's content: if the content differs, the signature no longer
    matches; a later version needs a new signature."""

    package = models.ForeignKey(
        "conversations.Package",
        on_delete=models.RESTRICT,
        related_name="signatures",
        verbose_name=_("zorgpakket"),
    )
    client = models.ForeignKey("clients.Client", on_delete=models.CASCADE, related_name="+")
    access = models.ForeignKey(FamilyAccess, on_delete=models.RESTRICT, related_name="signatures")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    signed_name = models.CharField(_("getypte naam"), max_length=200)
    signed_at = models.DateTimeField(_("ondertekend op"), default=timezone.now)
    ip_address = models.GenericIPAddressField(_("IP-adres"), null=True, blank=True)
    content_hash = models.CharField(_("controlegetal (SHA-256)"), max_length=64)

    class Meta:
        verbose_name = _("ondertekening")
        verbose_name_plural = _("ondertekeningen")
        ordering = ["-signed_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["package", "access"], name="signature_once_per_access"),
            models.CheckConstraint(
                condition=Q(content_hash__regex=r"^[0-9a-f]{64}$"), name="signature_hash_hex"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.signed_name} {self.signed_at:%d-%m-%Y}"

    access_log_related = ("client",)

    @property
    def access_log_label(self) -> str:
        return _("Ondertekening door %(name)s") % {"name": self.signed_name}


class FamilyWish(TenantModel):
    """A wish for the next conversation, left by a contact person for the professional."""

    client = models.ForeignKey("clients.Client", on_delete=models.CASCADE, related_name="family_wishes")
    access = models.ForeignKey(FamilyAccess, on_delete=models.CASCADE, related_name="wishes")
    text = models.TextField(_("wens"), max_length=2000)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("wens voor het gesprek")
        verbose_name_plural = _("wensen voor het gesprek")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.text[:50]

    access_log_related = ("client",)
