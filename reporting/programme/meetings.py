"""Meetings of the programme (domain page section 10): the organisation's internal meetings and
the national and regional meetings the reporting party records, with attendance per level.
Keyword-only; bad input raises ValidationError with a Dutch message and saves nothing."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ipvb.models import Organisation, User

from .models import (
    LEVEL_CODES,
    InternalMeeting,
    ProgrammeMeeting,
    ProgrammeMeetingAttendance,
)

MAX_TOPIC = 300  # characters of a meeting's topic
MAX_ATTENDEES = 500


def _attendance(values: dict[str, Any]) -> dict[str, int]:
    cleaned = {}
    for code in LEVEL_CODES:
        raw = values.get(code) or 0
        try:
            n = int(raw)
        except (TypeError, ValueError):
            raise ValidationError({code: _("Vul het aantal aanwezigen in als heel getal.")}) from None
        if n < 0 or n > MAX_ATTENDEES:
            raise ValidationError({code: _("Het aantal aanwezigen ligt tussen 0 en 500.")})
        cleaned[code] = n
    return cleaned


def _check_date(held_on: datetime.date, attendance: dict[str, int]) -> datetime.date:
    if held_on > timezone.localdate() and any(attendance.values()):
        raise ValidationError(
            {
                "held_on": _(
                    "Een bijeenkomst in de toekomst heeft nog geen aanwezigen; vul die in als ze geweest is."
                )
            }
        )
    if held_on < datetime.date(2000, 1, 1):
        raise ValidationError({"held_on": _("Vul een geldige datum in.")})
    return held_on


def internal_meeting_record(
    *,
    organisation: Organisation,
    user: User | None,
    held_on: datetime.date,
    topic: str,
    board: int = 0,
    management: int = 0,
    team_leaders: int = 0,
    care_staff: int = 0,
) -> InternalMeeting:
    topic = (topic or "").strip()
    if not topic:
        raise ValidationError({"topic": _("Vul het onderwerp van de bijeenkomst in.")})
    attendance = _attendance(
        {"board": board, "management": management, "team_leaders": team_leaders, "care_staff": care_staff}
    )
    _check_date(held_on, attendance)
    return InternalMeeting.objects.create(
        organisation=organisation,
        held_on=held_on,
        topic=topic[:MAX_TOPIC],
        recorded_by=user,
        recorded_at=timezone.now(),
        **attendance,
    )


def programme_meeting_record(
    *,
    user: User | None,
    kind: str,
    held_on: datetime.date,
    topic: str,
    region: str = "",
    attendance: dict[Any, dict[str, Any]],
    organisations: Any,
) -> ProgrammeMeeting:
    """A national or regional meeting and, per participating organisation, who attended.
    ``attendance`` maps organisation ids to level counts; ``organisations`` are the ones the
    reporting party may record attendance for."""
    if kind not in ProgrammeMeeting.Kind.values:
        raise ValidationError({"kind": _("Kies landelijk of regionaal.")})
    topic = (topic or "").strip()
    if not topic:
        raise ValidationError({"topic": _("Vul het onderwerp van de bijeenkomst in.")})
    allowed = {o.pk for o in organisations}
    rows = {}
    for org_id, levels in attendance.items():
        if int(org_id) not in allowed:
            raise ValidationError(
                _("Aanwezigheid kan alleen worden vastgelegd voor deelnemende organisaties.")
            )
        counts = _attendance(levels)
        if any(counts.values()):
            rows[int(org_id)] = counts
    _check_date(held_on, {"any": sum(sum(c.values()) for c in rows.values())})
    with transaction.atomic():
        meeting = ProgrammeMeeting.objects.create(
            kind=kind,
            held_on=held_on,
            topic=topic[:MAX_TOPIC],
            region=(region or "").strip()[:100],
            recorded_by=user,
            recorded_at=timezone.now(),
        )
        for org_id, counts in rows.items():
            ProgrammeMeetingAttendance.objects.create(organisation_id=org_id, meeting=meeting, **counts)
    return meeting
