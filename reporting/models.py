"""Read models of reporting (domain page sections 7, 8 and 11): the weekly snapshot of every
active client, the runs of the snapshot job, and the actual staffing (formatie) entered by
team leaders. Snapshots are written only by ``reporting.snapshots``; never edited by hand."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ipvb.tenancy import TenantModel

MONEY: dict[str, Any] = {"max_digits": 12, "decimal_places": 2}


class WeeklySnapshot(TenantModel):
    """The state of one active client in one ISO week (taken on the Monday): the budget shown
    and raw, the agreed package in force, hours, overrun and the signals of that week."""

    client = models.ForeignKey("clients.Client", on_delete=models.CASCADE, related_name="weekly_snapshots")
    department = models.ForeignKey("ipvb.Department", on_delete=models.PROTECT, related_name="+")
    week_start = models.DateField(_("week (maandag)"))
    iso_year = models.PositiveIntegerField()
    iso_week = models.PositiveIntegerField()
    care_profile = models.CharField(_("zorgprofiel"), max_length=8, blank=True)
    budget = models.DecimalField(_("budget B (getoond)"), null=True, blank=True, **MONEY)
    raw_budget = models.DecimalField(_("budget B (berekend)"), null=True, blank=True, **MONEY)
    budget_hours = models.DecimalField(max_digits=7, decimal_places=1, null=True, blank=True)
    package = models.ForeignKey(
        "conversations.Package", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    package_total = models.DecimalField(_("pakkettotaal"), null=True, blank=True, **MONEY)
    hours = models.DecimalField(_("uren per week (budget)"), max_digits=7, decimal_places=2, default=0)
    overrun_pct = models.DecimalField(max_digits=9, decimal_places=2, null=True, blank=True)
    review_date = models.DateField(null=True, blank=True)
    # Signals of this week (section 7).
    overrun = models.BooleanField(default=False)
    over_threshold = models.BooleanField(default=False)
    weeks_over_threshold = models.PositiveIntegerField(default=0)
    reindication = models.BooleanField(default=False)
    structural_deficit = models.BooleanField(default=False)
    meerzorg = models.BooleanField(default=False)
    threshold_pct = models.DecimalField(max_digits=6, decimal_places=2)
    threshold_weeks = models.PositiveIntegerField()
    # Where the figures came from (ids of the model, tariff, year settings, indication, package).
    sources = models.JSONField(default=dict)
    missing = models.JSONField(default=list)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(db_index=True)

    class Meta:
        verbose_name = _("weekoverzicht")
        verbose_name_plural = _("weekoverzichten")
        ordering = ["week_start", "client_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "client", "week_start"], name="snapshot_one_per_week"
            ),
        ]
        indexes = [
            models.Index(fields=["organisation", "week_start"]),
            models.Index(fields=["organisation", "updated_at", "id"]),
        ]

    def __str__(self) -> str:
        return f"{self.client_id} {self.iso_year}-W{self.iso_week:02d}"

    @property
    def utilisation_pct(self):  # type: ignore[no-untyped-def]
        if self.package_total is None or not self.budget:
            return None
        return (self.package_total / self.budget * 100).quantize(self.budget.__class__("0.01"))


class SnapshotRun(TenantModel):
    """One run of the snapshot job for one organisation and week: its outcome."""

    week_start = models.DateField()
    clients = models.PositiveIntegerField(default=0)
    created = models.PositiveIntegerField(default=0)
    updated = models.PositiveIntegerField(default=0)
    unchanged = models.PositiveIntegerField(default=0)
    trigger = models.CharField(max_length=20, default="job")
    started_at = models.DateTimeField()
    finished_at = models.DateTimeField()

    class Meta:
        ordering = ["-started_at"]


class ActualStaffing(TenantModel):
    """Actual FTE at one staff level on one department from an effective date (history kept:
    a later entry is a new row)."""

    department = models.ForeignKey(
        "ipvb.Department", on_delete=models.PROTECT, related_name="+", verbose_name=_("afdeling")
    )
    staff_level = models.ForeignKey(
        "costing.StaffLevel", on_delete=models.PROTECT, related_name="+", verbose_name=_("functieniveau")
    )
    fte = models.DecimalField(_("werkelijke fte"), max_digits=7, decimal_places=2)
    effective_from = models.DateField(_("ingangsdatum"))
    note = models.CharField(_("toelichting"), max_length=300, blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    entered_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("werkelijke formatie")
        verbose_name_plural = _("werkelijke formatie")
        ordering = ["department", "staff_level", "-effective_from", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(fte__gte=0) & Q(fte__lte=1000), name="actualstaffing_fte_range"
            ),
        ]
        indexes = [models.Index(fields=["organisation", "department", "effective_from"])]

    def __str__(self) -> str:
        return f"{self.department_id} {self.staff_level_id} {self.fte} ({self.effective_from})"


class WeeklyDepartmentTotal(TenantModel):
    """The snapshots of one department in one week summed (written with the snapshots): what
    the board's trend and department figures read, a few rows per week whatever the number of
    clients."""

    department = models.ForeignKey("ipvb.Department", on_delete=models.CASCADE, related_name="+")
    week_start = models.DateField()
    clients = models.PositiveIntegerField(default=0)
    on_ipvb = models.PositiveIntegerField(default=0)
    budget = models.DecimalField(default=0, **MONEY)
    total = models.DecimalField(default=0, **MONEY)
    overrun = models.PositiveIntegerField(default=0)
    reindication = models.PositiveIntegerField(default=0)
    structural_deficit = models.PositiveIntegerField(default=0)
    meerzorg = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["week_start", "department_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "department", "week_start"], name="department_total_one_per_week"
            ),
        ]
        indexes = [models.Index(fields=["organisation", "week_start"])]
