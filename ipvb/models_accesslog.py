"""The access log (NEN 7513-style): who did what with which client's data, when and from
where. Append-only: the application refuses to update or delete rows, and on PostgreSQL a
trigger refuses it too (migration ipvb 0002). Rows hold no content of the record (no BSN,
no names, no query strings): only ids, the action and request metadata."""

from __future__ import annotations

from typing import Any, ClassVar

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .tenancy import TenantManager, TenantModel, TenantQuerySet


class AccessLogImmutableError(RuntimeError):
    """Access log rows are never changed or removed."""


class AccessLogQuerySet(TenantQuerySet):
    def update(self, **kwargs: Any) -> int:
        raise AccessLogImmutableError("Access log rows cannot be updated.")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise AccessLogImmutableError("Access log rows cannot be deleted.")

    def bulk_update(self, *args: Any, **kwargs: Any) -> int:
        raise AccessLogImmutableError("Access log rows cannot be updated.")

    def update_or_create(self, *args: Any, **kwargs: Any) -> Any:
        raise AccessLogImmutableError("Access log rows cannot be updated.")


class AccessLogManager(TenantManager.from_queryset(AccessLogQuerySet)):  # type: ignore[misc]  # django-stubs cannot type a from_queryset() base
    pass


# The family's view (family app) logs with a channel of its own.
FAMILY_CHANNEL = "family"


class AccessLogEntry(TenantModel):
    class Action(models.TextChoices):
        READ = "read", _("Inzien")
        SEARCH = "search", _("Zoeken")
        CREATE = "create", _("Aanmaken")
        UPDATE = "update", _("Wijzigen")
        DELETE = "delete", _("Verwijderen")
        PRINT = "print", _("Afdrukken")
        EXPORT = "export", _("Exporteren")
        REVEAL_BSN = "reveal_bsn", _("BSN getoond")

    class Channel(models.TextChoices):
        WEB = "web", _("Web")
        API = "api", _("API")
        SYSTEM = "system", _("Systeem")
        FAMILY = FAMILY_CHANNEL, _("Familie")

    # Without a database constraint too, as the user and client links below: the log's
    # organisation is the request's own (row-level security checks it on every insert), and the
    # constraint checked the organisation's row for every log row at commit (FOR KEY SHARE):
    # 50 checks for a page of a list, and all concurrent requests of one organisation taking a
    # shared lock on the same row (issue 16). Deleting an organisation is still refused (PROTECT).
    organisation = models.ForeignKey(
        "ipvb.Organisation", on_delete=models.PROTECT, related_name="+", editable=False, db_constraint=False
    )
    created_at = models.DateTimeField(_("tijdstip"), default=timezone.now, db_index=True, editable=False)
    # Kept without a database constraint so the log never blocks (or cascades from) removing
    # a user or a record; the id stays.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        related_name="+",
        verbose_name=_("gebruiker"),
    )
    user_email = models.CharField(_("gebruiker (e-mail)"), max_length=254, blank=True)
    roles = models.CharField(_("rollen"), max_length=200, blank=True)
    client = models.ForeignKey(
        "clients.Client",
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("cliënt"),
    )
    action = models.CharField(_("handeling"), max_length=16, choices=Action.choices)
    object_type = models.CharField(_("soort gegeven"), max_length=100, blank=True)
    object_id = models.CharField(_("id gegeven"), max_length=40, blank=True)
    channel = models.CharField(_("kanaal"), max_length=8, choices=Channel.choices, default=Channel.WEB)
    method = models.CharField(_("HTTP-methode"), max_length=8, blank=True)
    path = models.CharField(_("adres (pad)"), max_length=300, blank=True)
    ip_address = models.GenericIPAddressField(_("IP-adres"), null=True, blank=True)
    # The search criteria of a list or search (query parameters, digit runs that could be a
    # BSN masked); empty for other actions.
    criteria = models.CharField(_("zoekcriteria"), max_length=500, blank=True, default="")

    objects: ClassVar[AccessLogManager] = AccessLogManager()
    # Set on the rows of a log screen by ipvb.accesslog_labels.describe (not a column).
    object_label: str

    class Meta:
        verbose_name = _("toegangslogregel")
        verbose_name_plural = _("toegangslog")
        ordering = ["-created_at", "-pk"]
        default_permissions = ("add", "view")
        indexes = [
            models.Index(fields=["organisation", "client", "-created_at"]),
            models.Index(fields=["organisation", "user", "-created_at"]),
            # The organisation's log newest first, as the list pages it (issue 16).
            models.Index(fields=["organisation", "-created_at", "-id"], name="accesslog_org_recent"),
        ]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.user_email} {self.action}"

    @property
    def channel_label(self) -> str:
        return str(self.get_channel_display())

    @property
    def role_labels(self) -> str:
        """The roles in words ("Teamleider, Manager")."""
        from .roles import Role

        return ", ".join(
            str(Role(code).label) if code in Role.values else code for code in self.roles.split(",") if code
        )

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None or kwargs.get("force_update"):
            raise AccessLogImmutableError("Access log rows cannot be updated.")
        kwargs["force_insert"] = True
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise AccessLogImmutableError("Access log rows cannot be deleted.")


# Every channel with its label (filters of the access-log page).
CHANNEL_CHOICES = AccessLogEntry.Channel.choices
