"""Writes of the programme (domain page section 10). Keyword-only, typed; bad input raises
ValidationError with a Dutch message and saves nothing."""

from __future__ import annotations

import datetime
import string
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .formulas import SCALE, question_codes, screening_score
from .models import (
    ADDITIONS,
    LEVEL_CODES,
    InternalMeeting,
    PackageChoice,
    PackagePart,
    PackagePrice,
    ProgrammeMeeting,
    ProgrammeMeetingAttendance,
    QuestionnaireVersion,
    Screening,
)

MAX_TEXT = 300
MAX_ATTENDEES = 500


# Questionnaire (the reporting party) -------------------------------------------------------------


def questionnaire_text(areas: list[dict[str, Any]]) -> str:
    """The editable text of a questionnaire: an area title on its own line, its questions
    below it on lines starting with "- "."""
    lines = []
    for area in areas:
        lines.append(area["title"])
        lines.extend(f"- {q['text']}" for q in area.get("questions", []))
        lines.append("")
    return "\n".join(lines).strip() + "\n"


def questionnaire_parse(text: str) -> list[dict[str, Any]]:
    areas: list[dict[str, Any]] = []
    for raw in (text or "").splitlines():
        line = raw.strip()
        if not line:
            continue
        if len(line) > MAX_TEXT:
            raise ValidationError(
                {"text": _("Een regel is te lang (hoogstens %(max)s tekens).") % {"max": MAX_TEXT}}
            )
        if line.startswith("-"):
            if not areas:
                raise ValidationError(
                    {"text": _("Een vraag staat vóór het eerste gebied; begin met de naam van een gebied.")}
                )
            question = line.lstrip("-").strip()
            if question:
                area = areas[-1]
                area["questions"].append(
                    {"code": f"{area['code']}{len(area['questions']) + 1}", "text": question}
                )
            continue
        if len(areas) == len(string.ascii_uppercase):
            raise ValidationError({"text": _("Een vragenlijst heeft hoogstens 26 gebieden.")})
        areas.append({"code": string.ascii_uppercase[len(areas)], "title": line, "questions": []})
    if not areas:
        raise ValidationError({"text": _("De vragenlijst heeft geen gebieden en vragen.")})
    empty = [a["title"] for a in areas if not a["questions"]]
    if empty:
        raise ValidationError(
            {
                "text": _("Het gebied ‘%(area)s’ heeft geen vragen (een vraag begint met “- ”).")
                % {"area": empty[0]}
            }
        )
    return areas


def _thresholds(ready_pct: Any, conditions_pct: Any, area_min_pct: Any) -> tuple[Decimal, Decimal, Decimal]:
    try:
        values = tuple(Decimal(str(v)) for v in (ready_pct, conditions_pct, area_min_pct))
    except (InvalidOperation, ValueError):
        raise ValidationError(_("Vul de drempels in als percentage tussen 0 en 100.")) from None
    if any(v < 0 or v > 100 for v in values):
        raise ValidationError(_("Vul de drempels in als percentage tussen 0 en 100."))
    if values[1] > values[0]:
        raise ValidationError(
            {"conditions_pct": _("De drempel ‘gereed met voorwaarden’ mag niet hoger zijn dan ‘gereed’.")}
        )
    return values  # type: ignore[return-value]


def questionnaire_new_draft(*, user: Any) -> QuestionnaireVersion:
    """A new draft, copied from the latest version (one draft at a time)."""
    with transaction.atomic():
        versions = QuestionnaireVersion.objects.select_for_update().order_by("-number")
        latest = versions.first()
        if latest is not None and latest.status == QuestionnaireVersion.Status.DRAFT:
            raise ValidationError(_("Er is al een conceptversie; werk die bij of publiceer die eerst."))
        return QuestionnaireVersion.objects.create(
            number=(latest.number + 1) if latest else 1,
            title=latest.title if latest else "iPVB-screening",
            areas=latest.areas if latest else [],
            ready_pct=latest.ready_pct if latest else 75,
            conditions_pct=latest.conditions_pct if latest else 50,
            area_min_pct=latest.area_min_pct if latest else 50,
            created_by=user,
        )


def questionnaire_update(
    *,
    version: QuestionnaireVersion,
    title: str,
    text: str,
    ready_pct: Any,
    conditions_pct: Any,
    area_min_pct: Any,
    note: str = "",
) -> QuestionnaireVersion:
    if version.status != QuestionnaireVersion.Status.DRAFT:
        raise ValidationError(_("Een gepubliceerde versie wordt nooit gewijzigd; maak een nieuwe versie."))
    title = (title or "").strip()
    if not title:
        raise ValidationError({"title": _("Geef de vragenlijst een titel.")})
    areas = questionnaire_parse(text)
    ready, conditions, area_min = _thresholds(ready_pct, conditions_pct, area_min_pct)
    QuestionnaireVersion.objects.filter(pk=version.pk, status=QuestionnaireVersion.Status.DRAFT).update(
        title=title[:200],
        areas=areas,
        ready_pct=ready,
        conditions_pct=conditions,
        area_min_pct=area_min,
        note=(note or "")[:500],
    )
    version.refresh_from_db()
    return version


def questionnaire_publish(*, version: QuestionnaireVersion, user: Any) -> QuestionnaireVersion:
    if version.status != QuestionnaireVersion.Status.DRAFT:
        raise ValidationError(_("Deze versie is al gepubliceerd."))
    if not version.question_count:
        raise ValidationError(_("Een vragenlijst zonder vragen kan niet worden gepubliceerd."))
    QuestionnaireVersion.objects.filter(pk=version.pk).update(
        status=QuestionnaireVersion.Status.PUBLISHED, published_by=user, published_at=timezone.now()
    )
    version.refresh_from_db()
    return version


def questionnaire_default() -> QuestionnaireVersion:
    """Version 1 with the default set of section 10: loaded on install by the migration, and
    loaded again here if the table was emptied (a flushed test database, a reset demo)."""
    from . import defaults

    version, _created = QuestionnaireVersion.objects.get_or_create(
        number=1,
        defaults={
            "status": QuestionnaireVersion.Status.PUBLISHED,
            "title": defaults.TITLE,
            "areas": defaults.AREAS,
            "ready_pct": defaults.READY_PCT,
            "conditions_pct": defaults.CONDITIONS_PCT,
            "area_min_pct": defaults.AREA_MIN_PCT,
            "note": "Standaardvragenlijst (domeinpagina sectie 10)",
            "published_at": timezone.now(),
        },
    )
    return version


def questionnaire_in_force() -> QuestionnaireVersion | None:
    version = (
        QuestionnaireVersion.objects.filter(status=QuestionnaireVersion.Status.PUBLISHED)
        .order_by("-number")
        .first()
    )
    if version is None and not QuestionnaireVersion.objects.exists():
        version = questionnaire_default()
    return version


# Screening (the organisation's admin) ----------------------------------------------------------


def _clean_answers(version: QuestionnaireVersion, answers: dict[str, Any]) -> dict[str, int]:
    codes = set(question_codes(version.areas))
    cleaned: dict[str, int] = {}
    for code, value in answers.items():
        if code not in codes:
            raise ValidationError(_("Vraag %(code)s hoort niet bij deze vragenlijst.") % {"code": code})
        if value in (None, ""):
            continue
        try:
            score = int(str(value))
        except ValueError:
            score = -1
        if score not in SCALE or str(value).strip() not in {str(s) for s in SCALE}:
            raise ValidationError(
                {code: _("Vraag %(code)s: kies een score van 0 tot en met 3.") % {"code": code}}
            )
        cleaned[code] = score
    return cleaned


def screening_current(*, organisation: Any) -> Screening | None:
    return (
        Screening.objects.for_organisation(organisation).filter(status=Screening.Status.IN_PROGRESS).first()
    )


def screening_save(
    *,
    organisation: Any,
    user: Any,
    answers: dict[str, Any],
    own_software: bool,
    own_software_name: str = "",
    complete: bool = False,
) -> Screening:
    """Saves the organisation's screening in progress (started against the questionnaire in
    force); ``complete`` needs every question answered and records the outcome."""
    now = timezone.now()
    own_software_name = (own_software_name or "").strip()[:200]
    if own_software and not own_software_name:
        raise ValidationError({"own_software_name": _("Noem de eigen software met dezelfde uitkomst.")})
    with transaction.atomic():
        screening = (
            Screening.objects.for_organisation(organisation)
            .select_for_update()
            .filter(status=Screening.Status.IN_PROGRESS)
            .select_related("questionnaire")
            .first()
        )
        version = screening.questionnaire if screening else questionnaire_in_force()
        if version is None:
            raise ValidationError(_("Er is nog geen gepubliceerde vragenlijst."))
        cleaned = _clean_answers(version, answers)
        if complete:
            missing = [c for c in question_codes(version.areas) if c not in cleaned]
            if missing:
                raise ValidationError(
                    _("Beantwoord eerst alle vragen om de screening af te ronden (open: %(codes)s).")
                    % {"codes": ", ".join(missing)}
                )
        if screening is None:
            screening = Screening(
                organisation_id=getattr(organisation, "pk", organisation),
                questionnaire=version,
                started_by=user,
                started_at=now,
            )
        screening.answers = cleaned
        screening.own_software = own_software
        screening.own_software_name = own_software_name if own_software else ""
        screening.updated_at = now
        if complete:
            result = screening_score(
                areas=version.areas,
                answers=cleaned,
                ready_pct=version.ready_pct,
                conditions_pct=version.conditions_pct,
                area_min_pct=version.area_min_pct,
            )
            screening.status = Screening.Status.COMPLETED
            screening.outcome = result.outcome
            screening.total_pct = result.pct
            screening.area_scores = [
                {"code": a.code, "title": a.title, "points": a.points, "max": a.max_points, "pct": str(a.pct)}
                for a in result.areas
            ]
            screening.weakest_areas = result.weakest
            screening.completed_by = user
            screening.completed_at = now
        try:
            screening.save()
        except IntegrityError:
            raise ValidationError(
                _("De screening is tegelijk door iemand anders gestart; laad de pagina opnieuw.")
            ) from None
    return screening


def screening_latest_completed(*, organisation: Any) -> Screening | None:
    return (
        Screening.objects.for_organisation(organisation)
        .filter(status=Screening.Status.COMPLETED)
        .order_by("-completed_at", "-pk")
        .first()
    )


# Self-pay package ---------------------------------------------------------------------------------


def package_prices_set(*, year: int, amounts: dict[str, Any], user: Any) -> list[PackagePrice]:
    if not 2000 <= int(year) <= 2100:
        raise ValidationError({"year": _("Kies een programmajaar tussen 2000 en 2100.")})
    cleaned: dict[str, Decimal] = {}
    for part in PackagePart.values:
        value = amounts.get(part)
        if value in (None, ""):
            raise ValidationError({part: _("Vul voor elk onderdeel een bedrag in.")})
        try:
            amount = Decimal(str(value))
        except InvalidOperation:
            raise ValidationError({part: _("Vul het bedrag in als getal, bijvoorbeeld 1250,00.")}) from None
        if amount < 0 or amount >= Decimal("1e10") or amount != amount.quantize(Decimal("0.01")):
            raise ValidationError({part: _("Een bedrag is niet negatief en heeft hoogstens twee decimalen.")})
        cleaned[part] = amount
    now = timezone.now()
    with transaction.atomic():
        return [
            PackagePrice.objects.update_or_create(
                year=year, part=part, defaults={"amount": amount, "set_by": user, "set_at": now}
            )[0]
            for part, amount in cleaned.items()
        ]


def package_prices(*, year: int) -> dict[str, Decimal]:
    return dict(PackagePrice.objects.filter(year=year).values_list("part", "amount"))


def package_choose(*, organisation: Any, year: int, additions: list[str], user: Any) -> PackageChoice:
    prices = package_prices(year=year)
    if "base" not in prices:
        raise ValidationError(
            {"year": _("Voor %(year)s zijn nog geen pakketprijzen vastgesteld.") % {"year": year}}
        )
    chosen = []
    for part in additions:
        if part not in ADDITIONS or part not in prices:
            raise ValidationError(
                {
                    "additions": _("De aanvulling ‘%(part)s’ bestaat niet in %(year)s.")
                    % {"part": part, "year": year}
                }
            )
        if part not in chosen:
            chosen.append(part)
    chosen.sort(key=ADDITIONS.index)
    current = package_choice_in_force(organisation=organisation, year=year)
    if current is not None and current.additions == chosen:
        raise ValidationError(_("Er is niets gewijzigd ten opzichte van de keuze die nu geldt."))
    return PackageChoice.objects.create(
        organisation_id=getattr(organisation, "pk", organisation),
        year=year,
        additions=chosen,
        chosen_by=user,
        chosen_at=timezone.now(),
    )


def package_choice_in_force(*, organisation: Any, year: int) -> PackageChoice | None:
    return (
        PackageChoice.objects.for_organisation(organisation)
        .filter(year=year)
        .order_by("-chosen_at", "-pk")
        .first()
    )


# Meetings ---------------------------------------------------------------------------------------


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


def _check_date(held_on: Any, attendance: dict[str, int]) -> datetime.date:
    if not isinstance(held_on, datetime.date):
        raise ValidationError({"held_on": _("Vul een geldige datum in.")})
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
    *, organisation: Any, user: Any, held_on: Any, topic: str, **levels: Any
) -> InternalMeeting:
    topic = (topic or "").strip()
    if not topic:
        raise ValidationError({"topic": _("Vul het onderwerp van de bijeenkomst in.")})
    attendance = _attendance(levels)
    _check_date(held_on, attendance)
    return InternalMeeting.objects.create(
        organisation_id=getattr(organisation, "pk", organisation),
        held_on=held_on,
        topic=topic[:MAX_TEXT],
        recorded_by=user,
        recorded_at=timezone.now(),
        **attendance,
    )


def programme_meeting_record(
    *,
    user: Any,
    kind: str,
    held_on: Any,
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
            topic=topic[:MAX_TEXT],
            region=(region or "").strip()[:100],
            recorded_by=user,
            recorded_at=timezone.now(),
        )
        for org_id, counts in rows.items():
            ProgrammeMeetingAttendance.objects.create(organisation_id=org_id, meeting=meeting, **counts)
    return meeting
