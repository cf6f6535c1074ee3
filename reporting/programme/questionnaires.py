"""The questionnaire of the screening (domain page section 10), kept by the reporting party:
versions (one draft at a time, published versions never change), their text form and the
version in force. Keyword-only; bad input raises ValidationError with a Dutch message and
saves nothing."""

from __future__ import annotations

import string
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ipvb.models import User

from .models import (
    QuestionnaireVersion,
)

MAX_LINE = 300  # characters in one line of the questionnaire text


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
        if len(line) > MAX_LINE:
            raise ValidationError(
                {"text": _("Een regel is te lang (hoogstens %(max)s tekens).") % {"max": MAX_LINE}}
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


def _thresholds(
    ready_pct: Decimal, conditions_pct: Decimal, area_min_pct: Decimal
) -> tuple[Decimal, Decimal, Decimal]:
    ready, conditions, area_min = (Decimal(v) for v in (ready_pct, conditions_pct, area_min_pct))
    if any(not v.is_finite() or v < 0 or v > 100 for v in (ready, conditions, area_min)):
        raise ValidationError(_("Vul de drempels in als percentage tussen 0 en 100."))
    if conditions > ready:
        raise ValidationError(
            {"conditions_pct": _("De drempel ‘gereed met voorwaarden’ mag niet hoger zijn dan ‘gereed’.")}
        )
    return ready, conditions, area_min


def questionnaire_new_draft(*, user: User) -> QuestionnaireVersion:
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
    ready_pct: Decimal,
    conditions_pct: Decimal,
    area_min_pct: Decimal,
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


def questionnaire_publish(*, version: QuestionnaireVersion, user: User) -> QuestionnaireVersion:
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
