"""Clients, their placements (department history), contact persons and CIZ indications."""

from __future__ import annotations

import datetime
from typing import Any, ClassVar

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from ipvb.tenancy import TenantManager, TenantModel, TenantQuerySet
from ipvb.validators import validate_care_date

from . import bsn_crypto
from .fields import BsnHashField, EncryptedBsnField
from .formulas import display_name, mask_bsn, sort_name
from .profiles import COD163, HISTORIC, CareProfile, Grondslag
from .validators import validate_bsn


class ClientQuerySet(TenantQuerySet):
    def with_bsn(self, bsn: object) -> ClientQuerySet:
        """Exact BSN match through the keyed hash (the BSN itself is encrypted)."""
        return self.filter(bsn_hash=bsn_crypto.digest(bsn))

    def with_bsns(self, bsns: list[str]) -> ClientQuerySet:
        return self.filter(bsn_hash__in=[bsn_crypto.digest(bsn) for bsn in bsns])


class ClientManager(TenantManager.from_queryset(ClientQuerySet)):  # type: ignore[misc]  # a class built at runtime
    pass


class Client(TenantModel):
    """A resident (cliënt) of a nursing-home department. The BSN is encrypted at rest
    (``bsn``, a plain string in Python) and found through its keyed hash (``bsn_hash``)."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("In zorg")
        DISCHARGED = "discharged", _("Uitgeschreven")

    given_name = models.CharField(_("voornaam"), max_length=100)
    name_prefix = models.CharField(
        _("tussenvoegsel"), max_length=20, blank=True, help_text=_("Bijvoorbeeld de, van, van der.")
    )
    family_name = models.CharField(
        _("achternaam"),
        max_length=150,
        help_text=_("Zonder tussenvoegsel: sorteren en zoeken gaan op de achternaam."),
    )
    date_of_birth = models.DateField(_("geboortedatum"), validators=[validate_care_date])
    bsn = EncryptedBsnField(_("BSN"), validators=[validate_bsn])
    bsn_hash = BsnHashField()
    department = models.ForeignKey(
        "ipvb.Department",
        on_delete=models.PROTECT,
        related_name="clients",
        verbose_name=_("afdeling"),
    )
    admission_date = models.DateField(_("opnamedatum"), validators=[validate_care_date])
    discharge_date = models.DateField(
        _("datum uitschrijving"), null=True, blank=True, validators=[validate_care_date]
    )
    discharge_reason = models.CharField(_("reden uitschrijving"), max_length=300, blank=True)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.ACTIVE)
    wishes = models.TextField(_("wensen en voorkeuren"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects: ClassVar[ClientManager] = ClientManager()

    class Meta:
        verbose_name = _("cliënt")
        verbose_name_plural = _("cliënten")
        ordering = ["family_name", "given_name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "bsn_hash"],
                name="client_unique_bsn_per_org",
                violation_error_message=_("Er is al een cliënt met dit BSN in uw organisatie."),
            ),
            models.CheckConstraint(
                condition=Q(bsn_hash__regex=r"^[0-9a-f]{64}$"),
                name="client_bsn_hash_hex",
                violation_error_message=_("Een BSN bestaat uit 9 cijfers."),
            ),
            models.CheckConstraint(
                condition=Q(discharge_date__isnull=True) | Q(discharge_date__gte=F("admission_date")),
                name="client_discharge_after_admission",
                violation_error_message=_("De datum van uitschrijving ligt vóór de opnamedatum."),
            ),
            models.CheckConstraint(
                condition=Q(status="active", discharge_date__isnull=True)
                | Q(status="discharged", discharge_date__isnull=False),
                name="client_status_matches_discharge",
                violation_error_message=_(
                    "Een uitgeschreven cliënt heeft een datum van uitschrijving, een cliënt in zorg niet."
                ),
            ),
        ]
        indexes = [models.Index(fields=["organisation", "department", "status"])]

    def __str__(self) -> str:
        return self.full_name

    def save(self, *args: Any, **kwargs: Any) -> None:
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "bsn" in update_fields and "bsn_hash" not in update_fields:
            kwargs["update_fields"] = [*update_fields, "bsn_hash"]
        super().save(*args, **kwargs)

    @property
    def access_log_label(self) -> str:
        return _("Dossier van %(name)s") % {"name": self.full_name}

    @property
    def full_name(self) -> str:
        return display_name(self.given_name, self.name_prefix, self.family_name)

    @property
    def sort_name(self) -> str:
        """ "Boer, Johanna de": how the client appears in an alphabetical list."""
        return sort_name(self.given_name, self.name_prefix, self.family_name)

    @property
    def masked_bsn(self) -> str:
        return mask_bsn(self.bsn)

    @property
    def is_active(self) -> bool:
        return self.status == self.Status.ACTIVE


class Placement(TenantModel):
    """A dated stay of a client on a department; the open one is the current department."""

    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="placements")
    department = models.ForeignKey(
        "ipvb.Department", on_delete=models.PROTECT, related_name="placements", verbose_name=_("afdeling")
    )
    start_date = models.DateField(_("vanaf"), validators=[validate_care_date])
    end_date = models.DateField(_("tot en met"), null=True, blank=True, validators=[validate_care_date])

    class Meta:
        verbose_name = _("plaatsing")
        verbose_name_plural = _("plaatsingen")
        ordering = ["client", "-start_date", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=F("start_date")),
                name="placement_end_after_start",
                violation_error_message=_("Het einde van de plaatsing ligt vóór het begin."),
            ),
            models.UniqueConstraint(
                fields=["client"], condition=Q(end_date__isnull=True), name="placement_one_open_per_client"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.department} {self.start_date:%d-%m-%Y}"


class ContactPerson(TenantModel):
    """A relative or representative of a client."""

    class Role(models.TextChoices):
        LEGAL_REPRESENTATIVE = "legal_representative", _("Wettelijk vertegenwoordiger")
        FIRST_CONTACT = "first_contact", _("Eerste contactpersoon")
        OTHER = "other", _("Overig")

    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="contact_persons")
    name = models.CharField(_("naam"), max_length=200)
    relation = models.CharField(
        _("relatie"), max_length=100, help_text=_("Bijvoorbeeld dochter, partner, mentor.")
    )
    role = models.CharField(_("rol"), max_length=32, choices=Role.choices, default=Role.OTHER)
    phone = models.CharField(_("telefoon"), max_length=30, blank=True)
    email = models.EmailField(_("e-mailadres"), blank=True)
    takes_part_in_conversations = models.BooleanField(_("neemt deel aan gesprekken"), default=False)

    class Meta:
        verbose_name = _("contactpersoon")
        verbose_name_plural = _("contactpersonen")
        ordering = ["client", "name", "pk"]

    def __str__(self) -> str:
        return self.name


class Indication(TenantModel):
    """A CIZ indication (Wlz-indicatie). The indications of one client never overlap."""

    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="indications")
    decision_number = models.CharField(_("besluitnummer CIZ"), max_length=50)
    care_profile = models.CharField(_("zorgprofiel"), max_length=8, choices=CareProfile.choices)
    with_treatment = models.BooleanField(_("met behandeling"), default=False)
    with_day_activities = models.BooleanField(_("met dagbesteding"), default=True)
    grondslag = models.CharField(_("grondslag"), max_length=32, choices=Grondslag.choices)
    start_date = models.DateField(_("ingangsdatum"), validators=[validate_care_date])
    end_date = models.DateField(_("einddatum"), null=True, blank=True, validators=[validate_care_date])
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("indicatie")
        verbose_name_plural = _("indicaties")
        ordering = ["client", "-start_date", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=F("start_date")),
                name="indication_end_after_start",
                violation_error_message=_("De einddatum ligt vóór de ingangsdatum."),
            ),
            models.CheckConstraint(
                condition=Q(care_profile__in=list(COD163)), name="indication_known_care_profile"
            ),
        ]
        indexes = [models.Index(fields=["organisation", "client", "start_date"])]

    def __str__(self) -> str:
        return f"{self.get_care_profile_display()} {self.start_date:%d-%m-%Y}"

    @property
    def cod163(self) -> str:
        return COD163.get(self.care_profile, "")

    @property
    def is_historic_profile(self) -> bool:
        return self.care_profile in HISTORIC

    def is_in_force_on(self, on_date: datetime.date) -> bool:
        return self.start_date <= on_date and (self.end_date is None or on_date <= self.end_date)
