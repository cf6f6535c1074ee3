"""Reads of the programme (domain page section 10): involvement of every level, the
organisation's programme status, and the reporting party's overview of all organisations
(cross-organisation reads only here in ``reporting``, through ``dangerously_unscoped``)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import Max, Q
from django.utils import timezone

from ipvb.models import Organisation
from reporting.parties import consenting_organisations, participation_in_force
from reporting.pilot import PilotProgress, pilot_progress

from .formulas import PackageAmount, package_amount
from .models import LEVELS, InternalMeeting, PackageChoice, ProgrammeMeetingAttendance, Screening
from .services import package_choice_in_force, package_prices, screening_current, screening_latest_completed

RHYTHM_DAYS = 14  # the internal meeting every two weeks
WARN_AFTER_DAYS = 42  # a level not involved for six weeks


@dataclass(frozen=True)
class LevelInvolvement:
    code: str
    label: str
    last: datetime.date | None
    days: int | None

    @property
    def warning(self) -> bool:
        return self.days is None or self.days > WARN_AFTER_DAYS


@dataclass(frozen=True)
class Involvement:
    levels: list[LevelInvolvement]
    since: datetime.date | None
    held: int
    expected: int

    @property
    def warnings(self) -> list[LevelInvolvement]:
        return [level for level in self.levels if level.warning]

    @property
    def rhythm_met(self) -> bool:
        return self.held >= self.expected


def involvement(*, organisation: Organisation, today: datetime.date | None = None) -> Involvement:
    """Per level the last internal or national/regional meeting it attended (up to today), and
    the internal meetings held since the start of participation against one per two weeks."""
    today = today or timezone.localdate()
    internal = InternalMeeting.objects.for_organisation(organisation).filter(held_on__lte=today)
    last_internal = internal.aggregate(
        **{code: Max("held_on", filter=Q(**{f"{code}__gt": 0})) for code, _label in LEVELS},
    )
    last_programme = (
        ProgrammeMeetingAttendance.objects.for_organisation(organisation)
        .filter(meeting__held_on__lte=today)
        .aggregate(
            **{code: Max("meeting__held_on", filter=Q(**{f"{code}__gt": 0})) for code, _label in LEVELS}
        )
    )
    levels = []
    for code, label in LEVELS:
        dates = [d for d in (last_internal[code], last_programme[code]) if d is not None]
        last = max(dates) if dates else None
        levels.append(LevelInvolvement(code, str(label), last, (today - last).days if last else None))
    record = participation_in_force(organisation)
    since = record.start_date if record is not None else None
    if since is None:
        since = internal.order_by("held_on").values_list("held_on", flat=True).first()
    held = internal.filter(held_on__gte=since).count() if since else 0
    expected = max((today - since).days // RHYTHM_DAYS, 0) if since and since <= today else 0
    return Involvement(levels, since, held, expected)


@dataclass(frozen=True)
class ProgrammeStatus:
    organisation: Organisation
    screening: Screening | None
    screening_in_progress: Screening | None
    year: int
    choice: PackageChoice | None
    amount: PackageAmount | None
    pilot: PilotProgress
    involvement: Involvement


def package_for(*, organisation: Organisation, year: int, screening: Screening | None) -> tuple[Any, Any]:
    choice = package_choice_in_force(organisation=organisation, year=year)
    prices = package_prices(year=year)
    amount = None
    if choice is not None and "base" in prices and all(p in prices for p in choice.additions):
        amount = package_amount(
            prices=prices, additions=choice.additions, own_software=bool(screening and screening.own_software)
        )
    return choice, amount


def programme_status(*, organisation: Organisation, year: int | None = None) -> ProgrammeStatus:
    year = year or timezone.localdate().year
    screening = screening_latest_completed(organisation=organisation)
    choice, amount = package_for(organisation=organisation, year=year, screening=screening)
    return ProgrammeStatus(
        organisation=organisation,
        screening=screening,
        screening_in_progress=screening_current(organisation=organisation),
        year=year,
        choice=choice,
        amount=amount,
        pilot=pilot_progress(organisation=organisation),
        involvement=involvement(organisation=organisation),
    )


def programme_overview(*, year: int | None = None) -> list[ProgrammeStatus]:
    """The reporting party's overview: every participating organisation (consent in force)."""
    return [programme_status(organisation=o, year=year) for o in consenting_organisations()]


def all_screenings() -> list[Screening]:
    """Every screening of every organisation (the reporting party's instrument: the screening
    precedes joining and holds no personal data)."""
    return list(
        Screening.objects.dangerously_unscoped()
        .select_related("organisation", "questionnaire")
        .order_by("organisation__name", "-started_at")
    )


def screening_for_party(pk: int) -> Screening | None:
    return (
        Screening.objects.dangerously_unscoped()
        .select_related("organisation", "questionnaire")
        .filter(pk=pk)
        .first()
    )


def package_rows(*, year: int) -> list[dict[str, Any]]:
    """Per organisation with a choice for ``year``: the additions chosen and the amount."""
    rows = []
    organisations = Organisation.objects.filter(
        pk__in=PackageChoice.objects.dangerously_unscoped().filter(year=year).values("organisation_id")
    ).order_by("name")
    for organisation in organisations:
        screening = screening_latest_completed(organisation=organisation)
        choice, amount = package_for(organisation=organisation, year=year, screening=screening)
        rows.append(
            {"organisation": organisation, "choice": choice, "amount": amount, "screening": screening}
        )
    return rows
