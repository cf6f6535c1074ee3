"""Conversation records and the care package (the client's iPVB instrument)."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from ipvb.tenancy import TenantModel
from ipvb.validators import validate_care_date

from .formulas import MINUTES_PER_WEEK, round2

# What the care professional records of a conversation: the web form and the API edit these.
CONVERSATION_FIELDS = (
    "held_at",
    "kind",
    "client_present",
    "contact_persons",
    "professionals",
    "wishes",
    "assessment",
    "agreements",
    "outcome",
    "outcome_reason",
    "next_review_date",
)


class Conversation(TenantModel):
    """A client–family–professional conversation; prepared in advance, completed afterwards."""

    class Kind(models.TextChoices):
        INTAKE = "intake", _("Intakegesprek")
        PERIODIC_REVIEW = "periodic_review", _("Periodieke evaluatie")
        ON_REQUEST = "on_request", _("Op verzoek")

    class Outcome(models.TextChoices):
        AGREED = "agreed", _("Overeenstemming")
        PARTLY_AGREED = "partly_agreed", _("Gedeeltelijke overeenstemming")
        NO_AGREEMENT = "no_agreement", _("Geen overeenstemming")
        POSTPONED = "postponed", _("Uitgesteld")

    class Status(models.TextChoices):
        PREPARED = "prepared", _("Voorbereid")
        COMPLETED = "completed", _("Afgerond")

    client = models.ForeignKey("clients.Client", on_delete=models.CASCADE, related_name="conversations")
    held_at = models.DateTimeField(_("datum en tijd"), validators=[validate_care_date])
    kind = models.CharField(_("soort gesprek"), max_length=20, choices=Kind.choices, default=Kind.INTAKE)
    client_present = models.BooleanField(_("cliënt aanwezig"), default=True)
    contact_persons = models.ManyToManyField(
        "clients.ContactPerson", blank=True, related_name="conversations", verbose_name=_("contactpersonen")
    )
    professionals = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="conversations", verbose_name=_("professionals")
    )
    wishes = models.TextField(_("wensen van de cliënt (in eigen woorden)"), blank=True)
    assessment = models.TextField(_("inschatting van de professional"), blank=True)
    agreements = models.TextField(_("gemaakte afspraken"), blank=True)
    outcome = models.CharField(_("uitkomst"), max_length=20, choices=Outcome.choices, blank=True)
    outcome_reason = models.TextField(_("toelichting bij de uitkomst"), blank=True)
    next_review_date = models.DateField(
        _("volgende evaluatie"), null=True, blank=True, validators=[validate_care_date]
    )
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.PREPARED)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("gesprek")
        verbose_name_plural = _("gesprekken")
        ordering = ["-held_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(outcome__in=["", "agreed"]) | ~Q(outcome_reason=""),
                name="conversation_reason_when_not_agreed",
            ),
            models.CheckConstraint(
                condition=Q(status="prepared") | ~Q(outcome=""), name="conversation_completed_has_outcome"
            ),
        ]
        indexes = [
            models.Index(fields=["organisation", "client", "held_at"]),
            # The organisation's conversations newest first, as the API list pages them (issue 16).
            models.Index(fields=["organisation", "-held_at", "-id"], name="conversation_org_recent"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.held_at:%d-%m-%Y}"

    access_log_related = ("client",)

    @property
    def access_log_label(self) -> str:
        return _("Gesprek (%(kind)s) van %(date)s met %(name)s") % {
            "kind": self.get_kind_display(),
            "date": f"{self.held_at:%d-%m-%Y}",
            "name": self.client.full_name,
        }

    @property
    def is_completed(self) -> bool:
        return self.status == self.Status.COMPLETED

    @property
    def supports_agreement(self) -> bool:
        return self.is_completed and self.outcome in {self.Outcome.AGREED, self.Outcome.PARTLY_AGREED}


class Package(TenantModel):
    """One version of a client's care package. A draft becomes agreed (directly or after a
    team leader's approval) and stays in force until the next agreed version."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Concept")
        PENDING_APPROVAL = "pending_approval", _("Wacht op goedkeuring")
        AGREED = "agreed", _("Afgesproken")
        SUPERSEDED = "superseded", _("Vervangen")

    OPEN_STATUSES = (Status.DRAFT, Status.PENDING_APPROVAL)

    client = models.ForeignKey("clients.Client", on_delete=models.CASCADE, related_name="packages")
    version = models.PositiveIntegerField(_("versie"))
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.DRAFT)
    based_on = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    start_date = models.DateField(_("ingangsdatum"), validators=[validate_care_date])
    end_date = models.DateField(_("einddatum"), null=True, blank=True, validators=[validate_care_date])
    conversation = models.ForeignKey(
        Conversation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="packages",
        verbose_name=_("gesprek"),
    )
    personal_budget = models.DecimalField(
        _("persoonlijk budget per week"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    total = models.DecimalField(
        _("pakkettotaal per week"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    private_per_month = models.DecimalField(
        _("eigen betaling per maand"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    tolerance_pct = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True)
    overrun_reason = models.TextField(_("reden voor overschrijding"), blank=True)
    review_date = models.DateField(
        _("evaluatiedatum"), null=True, blank=True, validators=[validate_care_date]
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    agreed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    agreed_at = models.DateTimeField(null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    sent_back_reason = models.TextField(_("reden terugsturen"), blank=True)
    sent_back_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    lock_version = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("zorgpakket")
        verbose_name_plural = _("zorgpakketten")
        ordering = ["client", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "client", "version"], name="package_unique_version"
            ),
            models.UniqueConstraint(
                fields=["client"],
                condition=Q(status__in=["draft", "pending_approval"]),
                name="package_one_open_per_client",
            ),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=F("start_date")),
                name="package_end_after_start",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["draft", "pending_approval"]) | Q(conversation__isnull=False),
                name="package_agreed_in_conversation",
            ),
        ]
        indexes = [models.Index(fields=["organisation", "client", "status"])]

    def __str__(self) -> str:
        return f"{self.client} v{self.version}"

    access_log_related = ("client",)

    @property
    def access_log_label(self) -> str:
        return _("Zorgpakket versie %(v)s van %(name)s") % {"v": self.version, "name": self.client.full_name}

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES

    @property
    def overrun_amount(self) -> Decimal | None:
        """What the package costs per week above the budget (0 within it)."""
        if self.total is None or self.personal_budget is None:
            return None
        return max(self.total - self.personal_budget, Decimal("0.00"))

    @property
    def utilisation_pct(self) -> Decimal | None:
        """Package total as % of the budget, half-up to 2 places (display figure)."""
        if self.total is None or not self.personal_budget:
            return None
        return round2(self.total / self.personal_budget * 100)

    @property
    def overrun_pct(self) -> Decimal | None:
        if self.overrun_amount is None or not self.personal_budget:
            return None
        return round2(self.overrun_amount / self.personal_budget * 100)

    @property
    def is_editable(self) -> bool:
        return self.status == self.Status.DRAFT


class PackageLine(TenantModel):
    """A catalogue activity (funded from the budget or privately) or an add-on purchase."""

    class Funding(models.TextChoices):
        BUDGET = "budget", _("Budget (Wlz)")
        PRIVATE = "private", _("Eigen betaling")

    # The organisation without an index of its own: ``packageline_org_package_pos`` starts with
    # it. With both, PostgreSQL took the one-column index for the API's first page, because
    # the row-level security filter makes it expect some 40 lines per organisation instead of
    # thousands, and then read and sorted every line of the organisation (6 ms instead of
    # 0.3 ms at 2,000 clients, issue 16).
    organisation = models.ForeignKey(
        "ipvb.Organisation", on_delete=models.PROTECT, related_name="+", editable=False, db_index=False
    )
    package = models.ForeignKey(Package, on_delete=models.CASCADE, related_name="lines")
    activity = models.ForeignKey(
        "catalog.Activity",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("activiteit"),
    )
    addon_item = models.ForeignKey(
        "catalog.AddOnItem",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("bijkoopartikel"),
    )
    minutes = models.PositiveIntegerField(_("minuten per keer"), null=True, blank=True)
    occurrences_per_week = models.PositiveIntegerField(_("keer per week"), null=True, blank=True)
    staff_level = models.ForeignKey(
        "costing.StaffLevel",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("deskundigheidsniveau"),
    )
    quantity_per_month = models.DecimalField(
        _("aantal per maand"), max_digits=8, decimal_places=2, null=True, blank=True
    )
    funding = models.CharField(
        _("financiering"), max_length=10, choices=Funding.choices, default=Funding.BUDGET
    )
    wanted = models.BooleanField(_("gewenst door cliënt"), default=True)
    necessary = models.BooleanField(_("noodzakelijk volgens professional"), default=True)
    wlz_eligible = models.BooleanField(_("Wlz-zorg"), default=True)
    note = models.CharField(_("toelichting"), max_length=300, blank=True)
    position = models.PositiveIntegerField(default=0)
    # Snapshots taken when the package is submitted or agreed (history never changes).
    rate = models.DecimalField(max_digits=10, decimal_places=2, null=True, blank=True)
    cost_per_week = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    monthly_cost = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)

    class Meta:
        verbose_name = _("pakketregel")
        verbose_name_plural = _("pakketregels")
        ordering = ["package", "position", "pk"]
        # The line lists (API, package pages) read an organisation's lines in the order package,
        # position, id: one index scan in that order, without a sort, also in a database that
        # holds every organisation (issue 16).
        indexes = [
            models.Index(
                fields=["organisation", "package", "position", "id"], name="packageline_org_package_pos"
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(
                        activity__isnull=False,
                        addon_item__isnull=True,
                        minutes__gte=1,
                        occurrences_per_week__gte=1,
                        staff_level__isnull=False,
                    )
                    | Q(
                        activity__isnull=True,
                        addon_item__isnull=False,
                        funding="private",
                        quantity_per_month__gt=0,
                    )
                ),
                name="package_line_activity_or_addon",
            ),
            models.CheckConstraint(
                condition=Q(activity__isnull=True)
                | Q(minutes__lte=MINUTES_PER_WEEK / F("occurrences_per_week")),
                name="package_line_fits_in_week",
            ),
        ]

    def __str__(self) -> str:
        return str(self.activity or self.addon_item)

    @property
    def is_addon(self) -> bool:
        return self.addon_item_id is not None

    @property
    def item_name(self) -> str:
        """The activity's name, or the add-on item's (a line has exactly one of them)."""
        item = self.activity if self.activity_id else self.addon_item
        return item.name if item is not None else ""

    @property
    def minutes_per_week(self) -> int:
        return (self.minutes or 0) * (self.occurrences_per_week or 0)


class PackageSwap(TenantModel):
    """Client and staff swapped an activity within a week without a new conversation."""

    package = models.ForeignKey(Package, on_delete=models.CASCADE, related_name="swaps")
    week_of = models.DateField(_("week van"), validators=[validate_care_date])
    replaced = models.ForeignKey(
        "catalog.Activity", on_delete=models.PROTECT, related_name="+", verbose_name=_("vervalt")
    )
    replacement = models.ForeignKey(
        "catalog.Activity", on_delete=models.PROTECT, related_name="+", verbose_name=_("in plaats daarvan")
    )
    note = models.CharField(_("toelichting"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("ruil")
        verbose_name_plural = _("ruilingen")
        ordering = ["-week_of", "-pk"]
