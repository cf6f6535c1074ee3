"""The programme's own records (domain page section 10): the readiness screening and its
versioned questionnaire, the self-pay package (prices per year, choices per organisation),
internal and national/regional meetings, and the programme report.

Platform-level records of the reporting party (questionnaire versions, package prices,
national/regional meetings, programme reports) belong to no organisation; everything an
organisation records or that is recorded about one organisation is a ``TenantModel``."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ipvb.tenancy import TenantModel

from ..model_bases import MONEY, BuildProgress, StoredReport

PCT: dict[str, Any] = {"max_digits": 5, "decimal_places": 1}

# The four levels of item (d), in the order of the domain page.
LEVELS: tuple[tuple[str, Any], ...] = (
    ("board", _("Raad van bestuur")),
    ("management", _("Management en staf")),
    ("team_leaders", _("Leiding zorgteams")),
    ("care_staff", _("Zorgmedewerkers")),
)
LEVEL_CODES = tuple(code for code, _label in LEVELS)


class QuestionnaireVersion(models.Model):
    """One version of the screening questionnaire. A draft is edited by the reporting party;
    a published version is never changed (a screening is kept against it)."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Concept")
        PUBLISHED = "published", _("Gepubliceerd")

    number = models.PositiveIntegerField(_("versie"), unique=True)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.DRAFT)
    title = models.CharField(_("titel"), max_length=200)
    # [{"code": "A", "title": "...", "questions": [{"code": "A1", "text": "..."}]}]
    areas = models.JSONField(_("gebieden en vragen"), default=list)
    ready_pct = models.DecimalField(_("drempel gereed (%)"), default=75, **PCT)
    conditions_pct = models.DecimalField(_("drempel gereed met voorwaarden (%)"), default=50, **PCT)
    area_min_pct = models.DecimalField(_("minimum per gebied (%)"), default=50, **PCT)
    note = models.CharField(_("toelichting"), max_length=500, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("screeningsvragenlijst")
        verbose_name_plural = _("screeningsvragenlijsten")
        ordering = ["-number"]
        constraints = [
            models.CheckConstraint(
                condition=Q(conditions_pct__gte=0)
                & Q(conditions_pct__lte=models.F("ready_pct"))
                & Q(ready_pct__lte=100)
                & Q(area_min_pct__gte=0)
                & Q(area_min_pct__lte=100),
                name="questionnaire_thresholds_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} v{self.number}"

    @property
    def question_count(self) -> int:
        return sum(len(area.get("questions", [])) for area in self.areas)


class Screening(TenantModel):
    """The readiness screening of one organisation, answered against one questionnaire
    version. In progress it can be saved and continued; completed it keeps its outcome."""

    class Status(models.TextChoices):
        IN_PROGRESS = "in_progress", _("In bewerking")
        COMPLETED = "completed", _("Afgerond")

    class Outcome(models.TextChoices):
        READY = "ready", _("Gereed")
        CONDITIONS = "conditions", _("Gereed met voorwaarden")
        NOT_YET = "not_yet", _("Nog niet")

    questionnaire = models.ForeignKey(QuestionnaireVersion, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.IN_PROGRESS)
    answers = models.JSONField(default=dict)  # {question code: 0..3}
    own_software = models.BooleanField(
        _("eigen kostprijs- of iPVB-software met dezelfde uitkomst"), default=False
    )
    own_software_name = models.CharField(_("naam van de eigen software"), max_length=200, blank=True)
    outcome = models.CharField(max_length=12, choices=Outcome.choices, blank=True)
    total_pct = models.DecimalField(null=True, blank=True, **PCT)
    area_scores = models.JSONField(default=list)
    weakest_areas = models.JSONField(default=list)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    started_at = models.DateTimeField()
    updated_at = models.DateTimeField()
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("screening")
        verbose_name_plural = _("screenings")
        ordering = ["-started_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation"],
                condition=Q(status="in_progress"),
                name="screening_one_in_progress_per_org",
            ),
        ]
        indexes = [models.Index(fields=["organisation", "status"])]

    def __str__(self) -> str:
        return f"{self.organisation_id} screening {self.pk}"


class PackagePart(models.TextChoices):
    BASE = "base", _("Basispakket")
    GUIDANCE = "guidance", _("1. Begeleiding bij interne bijeenkomsten")
    DOCUMENTS = "documents", _("2. Voorbeelddocumenten")
    SOFTWARE = "software", _("3. Software voor kostprijzen en persoonsvolgende budgetten")
    MEETINGS = "meetings", _("4. Regionale en landelijke bijeenkomsten")


ADDITIONS = tuple(p for p in PackagePart.values if p != PackagePart.BASE)


class PackagePrice(models.Model):
    """The amount the reporting party sets for one part of the self-pay package in one
    programme year (calendar year)."""

    year = models.PositiveIntegerField(_("programmajaar"))
    part = models.CharField(_("onderdeel"), max_length=12, choices=PackagePart.choices)
    amount = models.DecimalField(_("bedrag"), **MONEY)
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    set_at = models.DateTimeField()

    class Meta:
        verbose_name = _("pakketprijs")
        verbose_name_plural = _("pakketprijzen")
        ordering = ["year", "part"]
        constraints = [
            models.UniqueConstraint(fields=["year", "part"], name="package_price_one_per_part"),
            models.CheckConstraint(condition=Q(amount__gte=0), name="package_price_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.part} {self.amount}"


class PackageChoice(TenantModel):
    """The additions an organisation chose for one programme year, as recorded at one moment
    (append-only; the latest row of the year is the choice in force)."""

    year = models.PositiveIntegerField(_("programmajaar"))
    additions = models.JSONField(default=list)  # PackagePart codes, never "base"
    chosen_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    chosen_at = models.DateTimeField()

    class Meta:
        verbose_name = _("pakketkeuze")
        verbose_name_plural = _("pakketkeuzes")
        ordering = ["-chosen_at", "-pk"]
        indexes = [models.Index(fields=["organisation", "year"])]


class InternalMeeting(TenantModel):
    """An internal programme meeting of the organisation (the two-weekly rhythm) with the
    number of attendees per level (0: the level was not there)."""

    held_on = models.DateField(_("datum"))
    topic = models.CharField(_("onderwerp"), max_length=300)
    board = models.PositiveSmallIntegerField(_("raad van bestuur"), default=0)
    management = models.PositiveSmallIntegerField(_("management en staf"), default=0)
    team_leaders = models.PositiveSmallIntegerField(_("leiding zorgteams"), default=0)
    care_staff = models.PositiveSmallIntegerField(_("zorgmedewerkers"), default=0)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField()

    class Meta:
        verbose_name = _("interne bijeenkomst")
        verbose_name_plural = _("interne bijeenkomsten")
        ordering = ["-held_on", "-pk"]
        indexes = [models.Index(fields=["organisation", "held_on"])]


class ProgrammeMeeting(models.Model):
    """A national or regional meeting of the programme, recorded by the reporting party."""

    class Kind(models.TextChoices):
        NATIONAL = "national", _("Landelijk")
        REGIONAL = "regional", _("Regionaal")

    kind = models.CharField(_("soort"), max_length=10, choices=Kind.choices)
    held_on = models.DateField(_("datum"))
    topic = models.CharField(_("onderwerp"), max_length=300)
    region = models.CharField(_("regio"), max_length=100, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField()

    class Meta:
        verbose_name = _("programmabijeenkomst")
        verbose_name_plural = _("programmabijeenkomsten")
        ordering = ["-held_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.held_on} {self.topic}"


class ProgrammeMeetingAttendance(TenantModel):
    """Who of one organisation attended a national or regional meeting, per level."""

    meeting = models.ForeignKey(ProgrammeMeeting, on_delete=models.CASCADE, related_name="attendance")
    board = models.PositiveSmallIntegerField(default=0)
    management = models.PositiveSmallIntegerField(default=0)
    team_leaders = models.PositiveSmallIntegerField(default=0)
    care_staff = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["meeting", "organisation_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "meeting"], name="attendance_one_per_org_meeting"
            ),
        ]


class ProgrammeReportBuild(BuildProgress):
    """One request to build the programme report over a range of months."""

    first_month = models.DateField(_("eerste maand"))
    last_month = models.DateField(_("laatste maand"))
    reason = models.CharField(_("toelichting"), max_length=500, blank=True)

    class Meta:
        ordering = ["-requested_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(first_month__lte=models.F("last_month")), name="programme_build_range_ordered"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.first_month:%Y-%m} – {self.last_month:%Y-%m} ({self.status})"


class ProgrammeReport(StoredReport):
    """A stored programme report (bewijslast-eindrapport): never changed or deleted."""

    changed_message = "A stored programme report is never changed."
    deleted_message = "A stored programme report is never deleted."

    build = models.OneToOneField(ProgrammeReportBuild, on_delete=models.PROTECT, related_name="report")
    first_month = models.DateField()
    last_month = models.DateField()
    schema_version = models.CharField(max_length=10)
    data = models.JSONField()
    built_at = models.DateTimeField(db_index=True)

    class Meta:
        verbose_name = _("programmarapport")
        verbose_name_plural = _("programmarapporten")
        ordering = ["-built_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.first_month:%Y-%m} – {self.last_month:%Y-%m}"
