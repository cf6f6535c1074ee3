"""The two catalogues of an organisation.

* ``Activity``: care and wellbeing activities a client can choose in the package. An activity
  has no price field: its price derives from the published cost-price model in force on the
  date asked (``catalog.selectors.activity_price``).
* ``AddOnItem`` + ``AddOnPrice``: the add-on catalogue (bijkoop), bought privately. A price is
  effective-dated; a change is a new ``AddOnPrice`` from a date, never an edit of the past.

Periods are half-open: ``active_from``/``valid_from`` is the first day, ``active_until``/
``valid_until`` the first day it no longer applies (null: open ended). Two consecutive prices
therefore share a date: the old one ends where the new one starts.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from ipvb.tenancy import TenantModel
from ipvb.validators import validate_care_date


class ActivityCategory(models.TextChoices):
    PERSONAL_CARE = "personal_care", _("Persoonlijke verzorging")
    NURSING = "nursing", _("Verpleging")
    WELLBEING = "wellbeing", _("Welzijn en activiteiten")
    HOUSEHOLD = "household", _("Huishouden")
    TREATMENT = "treatment", _("Behandelgerelateerd")
    GROUP = "group", _("Groepsactiviteit")


class AddOnCategory(models.TextChoices):
    HAIRDRESSER = "hairdresser", _("Kapper")
    PEDICURE = "pedicure", _("Pedicure")
    LAUNDRY = "laundry", _("Was van persoonlijke kleding")
    MEDIA = "media", _("Televisie en internet")
    OUTINGS = "outings", _("Uitstapjes")
    EXTRA_CARE = "extra_care", _("Extra zorguren buiten het budget")
    OTHER = "other", _("Overige diensten")


class AddOnUnit(models.TextChoices):
    PER_TIME = "per_time", _("per keer")
    PER_WEEK = "per_week", _("per week")
    PER_MONTH = "per_month", _("per maand")
    PER_HOUR = "per_hour", _("per uur")


class VatRate(models.IntegerChoices):
    """The Dutch VAT rates (btw): zero, low and high."""

    ZERO = 0, _("0 % (vrijgesteld of nultarief)")
    LOW = 9, _("9 % (laag tarief)")
    HIGH = 21, _("21 % (hoog tarief)")


# The fields a user edits, in the order every form, serializer and spreadsheet shows them.
ACTIVITY_FIELDS = (
    "code",
    "name",
    "description",
    "category",
    "default_minutes",
    "default_level",
    "wlz_eligible",
    "is_group",
    "group_size",
    "active_from",
    "active_until",
)
ADDON_FIELDS = ("name", "description", "category", "unit", "active_from", "active_until")


def _active_on(prefix_from: str, prefix_until: str, on_date: datetime.date) -> Q:
    return Q(**{f"{prefix_from}__lte": on_date}) & (
        Q(**{f"{prefix_until}__isnull": True}) | Q(**{f"{prefix_until}__gt": on_date})
    )


def active_on_q(on_date: datetime.date) -> Q:
    """Filter for catalogue rows (activities, add-on items) active on ``on_date``."""
    return _active_on("active_from", "active_until", on_date)


def price_in_force_q(on_date: datetime.date) -> Q:
    """Filter for add-on prices in force on ``on_date``."""
    return _active_on("valid_from", "valid_until", on_date)


class Activity(TenantModel):
    """A care or wellbeing activity of the organisation's catalogue."""

    code = models.CharField(
        _("code"),
        max_length=32,
        help_text=_("Korte unieke code binnen uw organisatie, bijvoorbeeld PV-01."),
    )
    name = models.CharField(_("naam"), max_length=200)
    description = models.TextField(
        _("omschrijving"),
        blank=True,
        help_text=_("In gewone taal: wat krijgt de cliënt?"),
    )
    category = models.CharField(_("categorie"), max_length=32, choices=ActivityCategory.choices)
    default_minutes = models.PositiveIntegerField(
        _("minuten per keer"),
        validators=[MinValueValidator(1, _("Het aantal minuten moet minstens 1 zijn."))],
        help_text=_("De gebruikelijke duur van één keer, in minuten."),
    )
    default_level = models.ForeignKey(
        "costing.StaffLevel",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("deskundigheidsniveau"),
        help_text=_("Het gebruikelijke niveau van de medewerker die de activiteit uitvoert."),
    )
    wlz_eligible = models.BooleanField(
        _("Wlz-zorg"), default=True, help_text=_("Komt de activiteit ten laste van het Wlz-budget?")
    )
    is_group = models.BooleanField(
        _("groepsactiviteit"),
        default=False,
        help_text=_("In een groep geleverd: de personeelskosten worden over de deelnemers verdeeld."),
    )
    group_size = models.PositiveIntegerField(
        _("groepsgrootte"),
        null=True,
        blank=True,
        validators=[MinValueValidator(2, _("Een groep heeft minstens 2 deelnemers."))],
        help_text=_(
            "Aantal deelnemers waarover de kosten worden verdeeld (alleen bij een groepsactiviteit)."
        ),
    )
    active_from = models.DateField(_("actief vanaf"), validators=[validate_care_date])
    active_until = models.DateField(
        _("actief tot"),
        null=True,
        blank=True,
        validators=[validate_care_date],
        help_text=_("De eerste dag waarop de activiteit niet meer gekozen kan worden. Leeg: onbepaald."),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("activiteit")
        verbose_name_plural = _("activiteiten")
        ordering = ["category", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "code"],
                name="catalog_activity_unique_code_per_org",
                violation_error_message=_("Deze code wordt al gebruikt door een andere activiteit."),
            ),
            models.CheckConstraint(
                condition=Q(default_minutes__gte=1),
                name="catalog_activity_minutes_positive",
                violation_error_message=_("Het aantal minuten moet minstens 1 zijn."),
            ),
            models.CheckConstraint(
                condition=(Q(is_group=True) & Q(group_size__gte=2))
                | (Q(is_group=False) & Q(group_size__isnull=True)),
                name="catalog_activity_group_size_when_group",
                violation_error_message=_(
                    "Een groepsactiviteit heeft een groepsgrootte van minstens 2; een activiteit die "
                    "niet in een groep wordt geleverd heeft geen groepsgrootte."
                ),
            ),
            models.CheckConstraint(
                condition=Q(active_until__isnull=True) | Q(active_until__gte=F("active_from")),
                name="catalog_activity_period_order",
                violation_error_message=_("De einddatum ligt vóór de begindatum."),
            ),
        ]
        indexes = [models.Index(fields=["organisation", "category"], name="catalog_act_org_cat_idx")]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    @property
    def divisor(self) -> int:
        """Over how many participants the staff cost is divided (1 unless a group activity)."""
        return self.group_size if self.is_group and self.group_size else 1

    def is_active_on(self, on_date: datetime.date) -> bool:
        return self.active_from <= on_date and (self.active_until is None or on_date < self.active_until)


class AddOnItem(TenantModel):
    """An item of the add-on catalogue (bijkoop): a service the client pays privately."""

    name = models.CharField(_("naam"), max_length=200)
    description = models.TextField(
        _("omschrijving"), blank=True, help_text=_("In gewone taal: wat krijgt de cliënt?")
    )
    category = models.CharField(_("categorie"), max_length=32, choices=AddOnCategory.choices)
    unit = models.CharField(_("eenheid"), max_length=16, choices=AddOnUnit.choices)
    active_from = models.DateField(_("actief vanaf"), validators=[validate_care_date])
    active_until = models.DateField(
        _("actief tot"),
        null=True,
        blank=True,
        validators=[validate_care_date],
        help_text=_("De eerste dag waarop het artikel niet meer gekozen kan worden. Leeg: onbepaald."),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("bijkoopartikel")
        verbose_name_plural = _("bijkoopartikelen")
        ordering = ["category", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "name"],
                name="catalog_addon_unique_name_per_org",
                violation_error_message=_("Er is al een bijkoopartikel met deze naam."),
            ),
            models.CheckConstraint(
                condition=Q(active_until__isnull=True) | Q(active_until__gte=F("active_from")),
                name="catalog_addon_period_order",
                violation_error_message=_("De einddatum ligt vóór de begindatum."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def is_active_on(self, on_date: datetime.date) -> bool:
        return self.active_from <= on_date and (self.active_until is None or on_date < self.active_until)


class AddOnPrice(TenantModel):
    """The price of an add-on item from ``valid_from`` until (not including) ``valid_until``.

    Prices are never edited after the fact: a change is a new row from a date, which closes the
    open row before it (``catalog.addons.addon_price_set``). Periods of one item never overlap
    (checked in the service; on PostgreSQL also by an exclusion constraint)."""

    item = models.ForeignKey(
        AddOnItem, on_delete=models.CASCADE, related_name="prices", verbose_name=_("artikel")
    )
    valid_from = models.DateField(_("geldig vanaf"), validators=[validate_care_date])
    valid_until = models.DateField(_("geldig tot"), null=True, blank=True, validators=[validate_care_date])
    price_incl_vat = models.DecimalField(
        _("prijs per eenheid incl. btw"),
        max_digits=12,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.00"), _("Een prijs kan niet negatief zijn."))],
    )
    vat_rate = models.PositiveSmallIntegerField(
        _("btw-tarief"),
        choices=VatRate.choices,
        validators=[MaxValueValidator(21)],
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("bijkoopprijs")
        verbose_name_plural = _("bijkoopprijzen")
        ordering = ["item", "valid_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "item", "valid_from"],
                name="catalog_addonprice_unique_start",
                violation_error_message=_("Er is al een prijs die op deze datum ingaat."),
            ),
            models.CheckConstraint(
                condition=Q(price_incl_vat__gte=0),
                name="catalog_addonprice_not_negative",
                violation_error_message=_("Een prijs kan niet negatief zijn."),
            ),
            models.CheckConstraint(
                condition=Q(vat_rate__in=[0, 9, 21]),
                name="catalog_addonprice_dutch_vat",
                violation_error_message=_("Kies een Nederlands btw-tarief: 0, 9 of 21 %%."),
            ),
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True) | Q(valid_until__gt=F("valid_from")),
                name="catalog_addonprice_period_order",
                violation_error_message=_("De einddatum van een prijs ligt na de ingangsdatum."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.item_id}: {self.price_incl_vat} vanaf {self.valid_from}"

    def is_valid_on(self, on_date: datetime.date) -> bool:
        return self.valid_from <= on_date and (self.valid_until is None or on_date < self.valid_until)

    @property
    def price_excl_vat(self) -> Decimal:
        """Price without VAT, rounded half-up to cents (for invoices and reports)."""
        from .formulas import excl_vat

        return excl_vat(self.price_incl_vat, self.vat_rate)

    @property
    def vat_amount(self) -> Decimal:
        return self.price_incl_vat - self.price_excl_vat
