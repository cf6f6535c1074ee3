"""Costing: national tariff tables, organisation year settings, staff levels, versioned
cost-price models and group-bound care per department (domain page sections 4 and 5)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from ipvb.tenancy import TenantModel
from ipvb.validators import validate_care_date, validate_year

from . import formulas

ZERO = Decimal(0)
PCT_VALIDATORS = [
    MinValueValidator(ZERO, _("Een percentage ligt tussen 0 en 100.")),
    MaxValueValidator(Decimal(100), _("Een percentage ligt tussen 0 en 100.")),
]
NON_NEGATIVE = [MinValueValidator(ZERO, _("Een bedrag of aantal uren kan niet negatief zijn."))]


def pct_field(label: Any, default: Decimal | int | None = None) -> models.DecimalField:
    kwargs: dict[str, Any] = {} if default is None else {"default": Decimal(default)}
    return models.DecimalField(label, max_digits=6, decimal_places=3, validators=PCT_VALIDATORS, **kwargs)


def pct_in_range(field: str, name: str) -> models.CheckConstraint:
    return models.CheckConstraint(
        condition=Q(**{f"{field}__gte": 0}) & Q(**{f"{field}__lte": 100}), name=name
    )


# National reference data ------------------------------------------------------------------


class TariffImport(models.Model):
    """One upload of the tariff table (national reference data; not tenant data)."""

    year = models.PositiveIntegerField(_("jaar"), validators=[validate_year])
    file_name = models.CharField(_("bestand"), max_length=255)
    source = models.CharField(_("bron"), max_length=255, blank=True)
    is_illustrative = models.BooleanField(_("illustratieve waarden"), default=False)
    row_count = models.PositiveIntegerField(_("aantal regels"), default=0)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    imported_at = models.DateTimeField(_("geïmporteerd op"), auto_now_add=True)

    class Meta:
        verbose_name = _("tariefimport")
        verbose_name_plural = _("tariefimports")
        ordering = ["-imported_at"]

    def __str__(self) -> str:
        return f"{self.year}: {self.file_name}"


class Tariff(models.Model):
    """The NZa maximum daily tariff of one year, care profile and variant, with NHC and NIC
    (housing; not part of the care tariff nor of the budget). Shared by all organisations."""

    year = models.PositiveIntegerField(_("jaar"), validators=[validate_year])
    care_profile = models.CharField(_("zorgprofiel"), max_length=8)
    with_treatment = models.BooleanField(_("met behandeling"))
    with_day_activities = models.BooleanField(_("met dagbesteding"))
    care_per_day = models.DecimalField(
        _("zorgtarief per dag"), max_digits=12, decimal_places=2, validators=NON_NEGATIVE
    )
    nhc_per_day = models.DecimalField(
        _("NHC per dag"), max_digits=12, decimal_places=2, validators=NON_NEGATIVE
    )
    nic_per_day = models.DecimalField(
        _("NIC per dag"), max_digits=12, decimal_places=2, validators=NON_NEGATIVE
    )
    source_import = models.ForeignKey(
        TariffImport, on_delete=models.SET_NULL, null=True, blank=True, related_name="tariffs"
    )

    class Meta:
        verbose_name = _("tarief")
        verbose_name_plural = _("tarieven")
        ordering = ["-year", "care_profile", "with_treatment", "with_day_activities"]
        constraints = [
            models.UniqueConstraint(
                fields=["year", "care_profile", "with_treatment", "with_day_activities"],
                name="tariff_unique_year_profile_variant",
            ),
            models.CheckConstraint(
                condition=Q(care_per_day__gte=0) & Q(nhc_per_day__gte=0) & Q(nic_per_day__gte=0),
                name="tariff_amounts_non_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.profile_label} {self.variant_label}"

    @property
    def profile_label(self) -> str:
        return "9VV B" if self.care_profile == "9VVB" else self.care_profile

    @property
    def variant_label(self) -> str:
        treatment = _("met behandeling") if self.with_treatment else _("zonder behandeling")
        day = _("met dagbesteding") if self.with_day_activities else _("zonder dagbesteding")
        return f"{treatment}, {day}"

    @property
    def is_illustrative(self) -> bool:
        return bool(self.source_import and self.source_import.is_illustrative)


# Organisation data --------------------------------------------------------------------------


class StaffLevel(TenantModel):
    """A staff level of the organisation (e.g. verzorgende IG niveau 3); stable across model
    versions."""

    code = models.SlugField(_("code"), max_length=50)
    name = models.CharField(_("naam"), max_length=120)
    order = models.PositiveIntegerField(_("volgorde"), default=0)

    class Meta:
        verbose_name = _("functieniveau")
        verbose_name_plural = _("functieniveaus")
        ordering = ["order", "name"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "code"], name="stafflevel_unique_code_per_org"),
        ]

    def __str__(self) -> str:
        return self.name


class OrganisationYearSettings(TenantModel):
    """The organisation's settings for one year."""

    year = models.PositiveIntegerField(_("jaar"), validators=[validate_year])
    contract_percentage = models.DecimalField(
        _("contractpercentage"), max_digits=6, decimal_places=3, validators=PCT_VALIDATORS
    )
    hotel_costs_per_day = models.DecimalField(
        _("hotel- en facilitaire kosten per dag"), max_digits=12, decimal_places=2, validators=NON_NEGATIVE
    )
    overrun_tolerance_pct = pct_field(_("tolerantie overschrijding zorgprofessional (%)"), 5)
    reindication_threshold_pct = pct_field(_("drempel herindicatie (%)"), 10)
    reindication_weeks = models.PositiveIntegerField(
        _("aantal weken boven drempel voor herindicatie"),
        default=4,
        validators=[MinValueValidator(1, _("Minstens één week."))],
    )
    review_interval_months = models.PositiveIntegerField(
        _("evaluatie-interval (maanden)"),
        default=6,
        validators=[MinValueValidator(1, _("Minstens één maand."))],
    )
    reference_level = models.ForeignKey(
        StaffLevel,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("referentieniveau voor uren"),
    )
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("jaarinstellingen")
        verbose_name_plural = _("jaarinstellingen")
        ordering = ["-year"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "year"], name="yearsettings_unique_per_org_year"),
            pct_in_range("contract_percentage", "yearsettings_contract_pct_range"),
            pct_in_range("overrun_tolerance_pct", "yearsettings_tolerance_pct_range"),
            pct_in_range("reindication_threshold_pct", "yearsettings_reindication_pct_range"),
            models.CheckConstraint(
                condition=Q(hotel_costs_per_day__gte=0), name="yearsettings_hotel_non_negative"
            ),
        ]

    def __str__(self) -> str:
        return str(self.year)


class CostPriceModel(TenantModel):
    """A cost-price model of one organisation and year. Drafted, then published; a published
    model is never edited: a change is a new version (``based_on``) with its own effective date.
    The model in force on a date is the published one with the latest ``effective_from`` on or
    before that date."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Concept")
        PUBLISHED = "published", _("Gepubliceerd")

    year = models.PositiveIntegerField(_("jaar"), validators=[validate_year])
    version = models.PositiveIntegerField(_("versie"))
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.DRAFT)
    effective_from = models.DateField(
        pgettext_lazy("version", "ingangsdatum"), validators=[validate_care_date]
    )
    change_note = models.TextField(_("toelichting op de wijziging"), blank=True)
    based_on = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="successors",
        verbose_name=_("gebaseerd op"),
    )
    paid_hours_per_fte = models.DecimalField(
        _("betaalde uren per fte per jaar (P)"),
        max_digits=8,
        decimal_places=2,
        validators=[
            MinValueValidator(Decimal("0.01"), _("Het aantal betaalde uren moet groter zijn dan 0."))
        ],
    )
    leave_pct = pct_field(_("verlof (l, %)"))
    sickness_pct = pct_field(_("verzuim (s, %)"))
    training_pct = pct_field(_("scholing (t, %)"))
    client_bound_pct = pct_field(_("cliëntgebonden deel (b, %)"))
    overhead_pct = models.DecimalField(
        _("opslag overhead (o, %)"),
        max_digits=6,
        decimal_places=3,
        validators=[MinValueValidator(ZERO, _("Een percentage kan niet negatief zijn."))],
    )
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    published_at = models.DateTimeField(_("gepubliceerd op"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("gepubliceerd door"),
    )

    class Meta:
        verbose_name = _("kostprijsmodel")
        verbose_name_plural = _("kostprijsmodellen")
        ordering = ["-year", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "year", "version"], name="costmodel_unique_version_per_org_year"
            ),
            models.UniqueConstraint(
                fields=["organisation", "effective_from"],
                condition=Q(status="published"),
                name="costmodel_unique_published_effective_date",
            ),
            pct_in_range("leave_pct", "costmodel_leave_pct_range"),
            pct_in_range("sickness_pct", "costmodel_sickness_pct_range"),
            pct_in_range("training_pct", "costmodel_training_pct_range"),
            models.CheckConstraint(
                condition=Q(client_bound_pct__gt=0) & Q(client_bound_pct__lte=100),
                name="costmodel_client_bound_pct_range",
            ),
            models.CheckConstraint(condition=Q(overhead_pct__gte=0), name="costmodel_overhead_non_negative"),
            models.CheckConstraint(
                condition=Q(paid_hours_per_fte__gt=0), name="costmodel_paid_hours_positive"
            ),
            models.CheckConstraint(
                condition=Q(leave_pct__lt=100 - F("sickness_pct") - F("training_pct")),
                name="costmodel_absence_below_100",
            ),
            models.CheckConstraint(
                condition=Q(status="draft") | (Q(published_at__isnull=False)),
                name="costmodel_published_has_timestamp",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year} v{self.version} ({self.get_status_display()})"

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED

    @property
    def inputs(self) -> formulas.ModelInputs:
        return formulas.ModelInputs(
            paid_hours=self.paid_hours_per_fte,
            leave_pct=self.leave_pct,
            sickness_pct=self.sickness_pct,
            training_pct=self.training_pct,
            client_bound_pct=self.client_bound_pct,
            overhead_pct=self.overhead_pct,
        )


class ModelLevel(TenantModel):
    """The inputs of one staff level within one cost-price model version."""

    model = models.ForeignKey(CostPriceModel, on_delete=models.CASCADE, related_name="levels")
    staff_level = models.ForeignKey(
        StaffLevel, on_delete=models.PROTECT, related_name="model_levels", verbose_name=_("functieniveau")
    )
    salary = models.DecimalField(
        _("bruto maandsalaris bij voltijd (S)"), max_digits=12, decimal_places=2, validators=NON_NEGATIVE
    )
    holiday_pct = pct_field(_("vakantietoeslag (h, %)"))
    year_end_pct = pct_field(_("eindejaarsuitkering (y, %)"))
    irregular_pct = pct_field(_("gemiddelde ORT (r, %)"))
    employer_charges_pct = pct_field(_("werkgeverslasten (e, %)"))

    class Meta:
        verbose_name = _("functieniveau in model")
        verbose_name_plural = _("functieniveaus in model")
        ordering = ["staff_level__order", "staff_level__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["model", "staff_level"], name="modellevel_unique_level_per_model"
            ),
            models.CheckConstraint(condition=Q(salary__gte=0), name="modellevel_salary_non_negative"),
            pct_in_range("holiday_pct", "modellevel_holiday_pct_range"),
            pct_in_range("year_end_pct", "modellevel_year_end_pct_range"),
            pct_in_range("irregular_pct", "modellevel_irregular_pct_range"),
            pct_in_range("employer_charges_pct", "modellevel_charges_pct_range"),
        ]

    def __str__(self) -> str:
        return f"{self.staff_level} ({self.model})"

    @property
    def inputs(self) -> formulas.LevelInputs:
        return formulas.LevelInputs(
            salary=self.salary,
            holiday_pct=self.holiday_pct,
            year_end_pct=self.year_end_pct,
            irregular_pct=self.irregular_pct,
            charges_pct=self.employer_charges_pct,
        )

    def build_up(self) -> formulas.LevelBuildUp:
        return formulas.level_build_up(self.model.inputs, self.inputs)


class GroupCare(TenantModel):
    """Group-bound care of a department in a year: hours per week at one staff level."""

    department = models.ForeignKey(
        "ipvb.Department", on_delete=models.CASCADE, related_name="group_care", verbose_name=_("afdeling")
    )
    year = models.PositiveIntegerField(_("jaar"), validators=[validate_year])
    staff_level = models.ForeignKey(
        StaffLevel, on_delete=models.PROTECT, related_name="group_care", verbose_name=_("functieniveau")
    )
    hours_per_week = models.DecimalField(
        _("uren per week"), max_digits=7, decimal_places=2, validators=NON_NEGATIVE
    )

    class Meta:
        verbose_name = _("groepsgebonden zorg")
        verbose_name_plural = _("groepsgebonden zorg")
        ordering = ["department__name", "-year", "staff_level__order"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "department", "year", "staff_level"],
                name="groupcare_unique_level_per_department_year",
            ),
            models.CheckConstraint(condition=Q(hours_per_week__gte=0), name="groupcare_hours_non_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.department} {self.year}: {self.hours_per_week} h {self.staff_level}"
