"""Read models of reporting (domain page sections 7, 8 and 11): the weekly snapshot of every
active client, the runs of the snapshot job, and the actual staffing (formatie) entered by
team leaders. Snapshots are written only by ``reporting.snapshots``; never edited by hand."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from ipvb.tenancy import TenantModel

from .model_bases import MONEY, BuildProgress, StoredReport


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
    def utilisation_pct(self) -> Decimal | None:
        if self.package_total is None or not self.budget:
            return None
        return (self.package_total / self.budget * 100).quantize(Decimal("0.01"))


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
    effective_from = models.DateField(pgettext_lazy("version", "ingangsdatum"))
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


# Transparency reports for the reporting party (domain page sections 9 and 10) -----------------


class ParticipationRecord(TenantModel):
    """The organisation's participation agreement as recorded at one moment. Append-only: every
    change (including a withdrawal of consent) is a new row with who and when; the latest row is
    the agreement in force."""

    signed_on = models.DateField(_("ondertekend op"))
    signed_by_name = models.CharField(_("ondertekend door (naam)"), max_length=200)
    signed_by_function = models.CharField(_("functie ondertekenaar"), max_length=200)
    project_leader = models.CharField(_("interne iPVB-projectleider"), max_length=200)
    start_date = models.DateField(_("startdatum"))
    consent_cost_price = models.BooleanField(_("toestemming kostprijsopbouw"), default=False)
    consent_addons = models.BooleanField(_("toestemming bijkoopcatalogus"), default=False)
    consent_usage = models.BooleanField(_("toestemming gebruikscijfers"), default=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    recorded_at = models.DateTimeField()

    class Meta:
        verbose_name = _("deelnameovereenkomst")
        verbose_name_plural = _("deelnameovereenkomsten")
        ordering = ["-recorded_at", "-pk"]
        indexes = [models.Index(fields=["organisation", "recorded_at"])]

    @property
    def has_consent(self) -> bool:
        """Consent counts only for all three items together (section 10)."""
        return self.consent_cost_price and self.consent_addons and self.consent_usage


class ReportBuild(TenantModel, BuildProgress):
    """One request to build the monthly report of one organisation: its progress and outcome.
    The Celery task takes the build's id; a build that already produced its report is done
    (a redelivered task changes nothing)."""

    class Trigger(models.TextChoices):
        JOB = "job", _("Maandelijkse taak")
        ORG_ADMIN = "org_admin", _("Functioneel beheerder")
        REPORTING_PARTY = "reporting_party", _("Rapportagepartij")

    month = models.DateField(_("maand"))
    trigger = models.CharField(max_length=20, choices=Trigger.choices, default=Trigger.JOB)
    reason = models.CharField(_("reden"), max_length=500, blank=True)

    class Meta:
        ordering = ["-requested_at", "-pk"]
        indexes = [models.Index(fields=["organisation", "month"])]
        constraints = [
            # The monthly batch makes at most one build per organisation and month: a re-run,
            # a retried fan-out or two beat runs at once find it (get-or-create) instead of
            # queueing a second build that would store a second version.
            models.UniqueConstraint(
                fields=["organisation", "month"],
                condition=Q(trigger="job"),
                name="report_build_one_job_per_month",
            ),
        ]


class MonthlyReport(TenantModel, StoredReport):
    """A stored transparency report: never changed or deleted (a rebuild is a new version)."""

    changed_message = "A stored report is never changed; build a new version."
    deleted_message = "A stored report is never deleted."

    month = models.DateField(_("maand"))
    version = models.PositiveIntegerField(_("versie"))
    schema_version = models.CharField(max_length=10)
    data = models.JSONField()
    reason = models.CharField(_("reden"), max_length=500, blank=True)
    build = models.OneToOneField(ReportBuild, on_delete=models.PROTECT, related_name="report")
    built_at = models.DateTimeField(db_index=True)

    class Meta:
        verbose_name = _("maandrapport")
        verbose_name_plural = _("maandrapporten")
        ordering = ["-month", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "month", "version"], name="monthly_report_one_per_version"
            ),
        ]
        indexes = [models.Index(fields=["organisation", "month", "version"])]

    def __str__(self) -> str:
        return f"{self.organisation_id} {self.month:%Y-%m} v{self.version}"


# Stored PDFs (issue 16): rendered once, served again while their content is the same ------------


class StoredPdf(models.Model):
    """A rendered PDF and the SHA-256 of the HTML it was rendered from, per language. Served
    again only while the same template, data and language give the same HTML
    (``reporting.stored_pdf``): a changed input renders and replaces it."""

    language = models.CharField(max_length=10)
    html_sha256 = models.CharField(max_length=64)
    pdf = models.BinaryField()
    rendered_at = models.DateTimeField()

    class Meta:
        abstract = True


class MonthlyReportPdf(TenantModel, StoredPdf):
    """The PDF of a stored transparency report, rendered by the monthly batch (or on the first
    request in another language)."""

    report = models.ForeignKey(MonthlyReport, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "report", "language"], name="monthly_report_pdf_one_per_language"
            ),
        ]

    def __str__(self) -> str:
        return f"PDF {self.language} of report {self.report_id}"


class PackagePdf(TenantModel, StoredPdf):
    """The PDF of an agreed (or superseded) package version, rendered on its first download
    (``conversations.views.packages.PackagePdfView``). Here rather than in ``conversations`` to
    keep this change to one app's migrations; deleted with the package (and so with the
    client)."""

    package = models.ForeignKey("conversations.Package", on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "package", "language"], name="package_pdf_one_per_language"
            ),
        ]

    def __str__(self) -> str:
        return f"PDF {self.language} of package {self.package_id}"


# The programme's own records (domain page section 10), in reporting/programme/models.py.
from .programme.models import (  # noqa: E402, F401
    InternalMeeting,
    PackageChoice,
    PackagePrice,
    ProgrammeMeeting,
    ProgrammeMeetingAttendance,
    ProgrammeReport,
    ProgrammeReportBuild,
    QuestionnaireVersion,
    Screening,
)
