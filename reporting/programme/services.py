"""Writes of the organisation's programme (domain page section 10): the screening and the
self-pay package. Keyword-only, typed; bad input raises ValidationError with a Dutch message
and saves nothing. The questionnaire is ``questionnaires``, meetings are ``meetings``."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ipvb.models import Organisation, User

from .formulas import SCALE, question_codes, screening_score
from .models import (
    ADDITIONS,
    PackageChoice,
    PackagePart,
    PackagePrice,
    QuestionnaireVersion,
    Screening,
)
from .questionnaires import questionnaire_in_force


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


def screening_current(*, organisation: Organisation) -> Screening | None:
    return (
        Screening.objects.for_organisation(organisation).filter(status=Screening.Status.IN_PROGRESS).first()
    )


def screening_save(
    *,
    organisation: Organisation,
    user: User,
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
                organisation=organisation,
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


def screening_latest_completed(*, organisation: Organisation) -> Screening | None:
    return (
        Screening.objects.for_organisation(organisation)
        .filter(status=Screening.Status.COMPLETED)
        .order_by("-completed_at", "-pk")
        .first()
    )


def package_prices_set(
    *, year: int, amounts: dict[str, Decimal | None], user: User | None
) -> list[PackagePrice]:
    if not 2000 <= int(year) <= 2100:
        raise ValidationError({"year": _("Kies een programmajaar tussen 2000 en 2100.")})
    cleaned: dict[str, Decimal] = {}
    for part in PackagePart.values:
        value = amounts.get(part)
        if value is None:
            raise ValidationError({part: _("Vul voor elk onderdeel een bedrag in.")})
        amount = Decimal(value)
        if (
            not amount.is_finite()
            or amount < 0
            or amount >= Decimal("1e10")
            or amount != amount.quantize(Decimal("0.01"))
        ):
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


def package_choose(
    *, organisation: Organisation, year: int, additions: list[str], user: User
) -> PackageChoice:
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
        organisation=organisation,
        year=year,
        additions=chosen,
        chosen_by=user,
        chosen_at=timezone.now(),
    )


def package_choice_in_force(*, organisation: Organisation, year: int) -> PackageChoice | None:
    return (
        PackageChoice.objects.for_organisation(organisation)
        .filter(year=year)
        .order_by("-chosen_at", "-pk")
        .first()
    )
