"""Writes of the versioned cost-price model (domain page section 4): a draft is created,
edited and given its staff levels; publishing freezes it; a new version copies it. Every
function owns its transaction, takes Decimals (parsed by the form, serializer or import
reader) and raises Django's ValidationError with a Dutch message; on error nothing is saved."""

from __future__ import annotations

import datetime
from collections.abc import Mapping, Sequence
from decimal import Decimal
from functools import partial
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ipvb.validators import validate_care_date, validate_year

from .models import CostPriceModel, ModelLevel, StaffLevel

if TYPE_CHECKING:
    from ipvb.models import Organisation, User

ZERO = Decimal(0)
HUNDRED = Decimal(100)

MODEL_INPUT_FIELDS = (
    "paid_hours_per_fte",
    "leave_pct",
    "sickness_pct",
    "training_pct",
    "client_bound_pct",
    "overhead_pct",
)
LEVEL_INPUT_FIELDS = ("salary", "holiday_pct", "year_end_pct", "irregular_pct", "employer_charges_pct")


# Checks of the inputs ------------------------------------------------------------------------------


def _check_amount(value: Decimal | None, label: str, errors: dict[str, str], key: str) -> Decimal | None:
    """``value`` when it is a number of at least 0, else None with the Dutch message in ``errors``."""
    if value is None or not value.is_finite():
        errors[key] = _("%(label)s is geen getal.") % {"label": label}
        return None
    if value < 0:
        errors[key] = _("%(label)s kan niet negatief zijn.") % {"label": label}
        return None
    return value


def _check_pct(
    value: Decimal | None, label: str, errors: dict[str, str], key: str, *, upper: bool = True
) -> Decimal | None:
    if value is None or not value.is_finite():
        errors[key] = _("%(label)s is geen getal.") % {"label": label}
        return None
    if value < 0 or (upper and value > HUNDRED):
        errors[key] = (
            _("%(label)s moet tussen 0 en 100 liggen.") if upper else _("%(label)s kan niet negatief zijn.")
        ) % {"label": label}
        return None
    return value


def validate_model_inputs(values: Mapping[str, Decimal | None]) -> dict[str, Decimal]:
    """Checks the model-wide inputs; raises ValidationError (per field) when one is wrong."""
    errors: dict[str, str] = {}
    clean: dict[str, Decimal | None] = {}
    paid = _check_amount(
        values.get("paid_hours_per_fte"), _("Betaalde uren per fte"), errors, "paid_hours_per_fte"
    )
    if paid is not None and paid <= 0:
        errors["paid_hours_per_fte"] = _("Het aantal betaalde uren per fte moet groter zijn dan 0.")
    clean["paid_hours_per_fte"] = paid
    clean["leave_pct"] = _check_pct(values.get("leave_pct"), _("Verlof"), errors, "leave_pct")
    clean["sickness_pct"] = _check_pct(values.get("sickness_pct"), _("Verzuim"), errors, "sickness_pct")
    clean["training_pct"] = _check_pct(values.get("training_pct"), _("Scholing"), errors, "training_pct")
    clean["client_bound_pct"] = _check_pct(
        values.get("client_bound_pct"), _("Cliëntgebonden deel"), errors, "client_bound_pct"
    )
    if clean["client_bound_pct"] is not None and clean["client_bound_pct"] <= 0:
        errors["client_bound_pct"] = _("Het cliëntgebonden deel moet groter zijn dan 0 %.")
    clean["overhead_pct"] = _check_pct(
        values.get("overhead_pct"), _("Opslag overhead"), errors, "overhead_pct", upper=False
    )
    absence = [clean[k] for k in ("leave_pct", "sickness_pct", "training_pct")]
    if all(v is not None for v in absence):
        total = sum((v for v in absence if v is not None), ZERO)
        if total >= HUNDRED:
            errors["leave_pct"] = _(
                "Verlof, verzuim en scholing samen moeten onder de 100 %% blijven (nu %(total)s %%)."
            ) % {"total": total}
    if errors:
        raise ValidationError(errors)
    return {k: v for k, v in clean.items() if v is not None}


def validate_level_inputs(values: Mapping[str, Decimal | None]) -> dict[str, Decimal]:
    errors: dict[str, str] = {}
    clean = {
        "salary": _check_amount(values.get("salary"), _("Salaris"), errors, "salary"),
        "holiday_pct": _check_pct(values.get("holiday_pct"), _("Vakantietoeslag"), errors, "holiday_pct"),
        "year_end_pct": _check_pct(
            values.get("year_end_pct"), _("Eindejaarsuitkering"), errors, "year_end_pct"
        ),
        "irregular_pct": _check_pct(values.get("irregular_pct"), _("ORT"), errors, "irregular_pct"),
        "employer_charges_pct": _check_pct(
            values.get("employer_charges_pct"), _("Werkgeverslasten"), errors, "employer_charges_pct"
        ),
    }
    if errors:
        raise ValidationError(errors)
    return {k: v for k, v in clean.items() if v is not None}


def _ensure_draft(model: CostPriceModel) -> None:
    if model.status != CostPriceModel.Status.DRAFT:
        raise ValidationError(
            _(
                "Een gepubliceerd kostprijsmodel wordt nooit gewijzigd. Maak een nieuwe versie met een "
                "ingangsdatum."
            )
        )


def _lock(model: CostPriceModel) -> CostPriceModel:
    return CostPriceModel.objects.for_organisation(model.organisation_id).select_for_update().get(pk=model.pk)


def _check_effective_date(*, year: int, effective_from: datetime.date) -> None:
    for name, check in (
        ("year", partial(validate_year, year)),
        ("effective_from", partial(validate_care_date, effective_from)),
    ):
        try:
            check()
        except ValidationError as exc:
            raise ValidationError({name: exc.messages}) from exc
    if effective_from.year != year:
        raise ValidationError(
            {"effective_from": _("De ingangsdatum moet in het modeljaar %(year)s liggen.") % {"year": year}}
        )


def _check_published_date_free(model: CostPriceModel) -> None:
    clash = (
        CostPriceModel.objects.for_organisation(model.organisation_id)
        .filter(status=CostPriceModel.Status.PUBLISHED, effective_from=model.effective_from)
        .exclude(pk=model.pk)
        .first()
    )
    if clash is not None:
        raise ValidationError(
            {
                "effective_from": _(
                    "Er is al een gepubliceerd model (%(model)s) met ingangsdatum %(date)s. Kies een "
                    "andere ingangsdatum."
                )
                % {"model": clash, "date": model.effective_from.strftime("%d-%m-%Y")}
            }
        )


# Drafts, publication and versions ------------------------------------------------------------


def _next_version(organisation: Organisation | int, year: int) -> int:
    last = (
        CostPriceModel.objects.for_organisation(organisation)
        .filter(year=year)
        .order_by("-version")
        .values_list("version", flat=True)
        .first()
    )
    return (last or 0) + 1


def _save_new_version(model: CostPriceModel) -> None:
    """Saves a new model row; a concurrent request that took the same version number gets a
    clear message instead of a database error."""
    try:
        with transaction.atomic():
            model.save()
    except IntegrityError as exc:
        raise ValidationError(_("Er is tegelijk een andere versie aangemaakt. Probeer het opnieuw.")) from exc


@transaction.atomic
def cost_model_create(
    *,
    organisation: Organisation,
    user: User | None,
    year: int,
    effective_from: datetime.date,
    inputs: Mapping[str, Decimal],
    change_note: str = "",
) -> CostPriceModel:
    """A new draft model (version 1 of the year, or the next version number)."""
    clean = validate_model_inputs(inputs)
    _check_effective_date(year=year, effective_from=effective_from)
    model = CostPriceModel(
        organisation=organisation,
        year=year,
        version=_next_version(organisation, year),
        effective_from=effective_from,
        change_note=change_note,
        created_by=user,
        updated_by=user,
        **clean,
    )
    model.full_clean(validate_constraints=False)
    _save_new_version(model)
    return model


@transaction.atomic
def cost_model_update(
    *,
    model: CostPriceModel,
    user: User | None,
    inputs: Mapping[str, Decimal],
    effective_from: datetime.date | None = None,
    change_note: str | None = None,
) -> CostPriceModel:
    model = _lock(model)
    _ensure_draft(model)
    clean = validate_model_inputs({**{f: getattr(model, f) for f in MODEL_INPUT_FIELDS}, **inputs})
    if effective_from is not None:
        _check_effective_date(year=model.year, effective_from=effective_from)
        model.effective_from = effective_from
    if change_note is not None:
        model.change_note = change_note
    for key, value in clean.items():
        setattr(model, key, value)
    model.updated_by = user
    model.save()
    return model


@transaction.atomic
def cost_model_level_set(
    *, model: CostPriceModel, user: User | None, staff_level: StaffLevel, inputs: Mapping[str, Decimal]
) -> ModelLevel:
    model = _lock(model)
    _ensure_draft(model)
    if staff_level.organisation_id != model.organisation_id:
        raise ValidationError({"staff_level": _("Dit functieniveau hoort niet bij uw organisatie.")})
    clean = validate_level_inputs(inputs)
    row, _created = ModelLevel.objects.for_organisation(model.organisation_id).update_or_create(
        organisation_id=model.organisation_id, model=model, staff_level=staff_level, defaults=clean
    )
    model.updated_by = user
    model.save(update_fields=["updated_by", "updated_at"])
    return row


@transaction.atomic
def cost_model_level_remove(*, model: CostPriceModel, user: User | None, staff_level: StaffLevel) -> None:
    model = _lock(model)
    _ensure_draft(model)
    ModelLevel.objects.for_organisation(model.organisation_id).filter(
        model=model, staff_level=staff_level
    ).delete()
    model.updated_by = user
    model.save(update_fields=["updated_by", "updated_at"])


@transaction.atomic
def cost_model_levels_replace(
    *, model: CostPriceModel, user: User | None, rows: Sequence[tuple[StaffLevel, Mapping[str, Decimal]]]
) -> list[ModelLevel]:
    """Sets several levels at once (form or HR import): all valid or nothing saved."""
    model = _lock(model)
    _ensure_draft(model)
    errors: list[str] = []
    cleaned: list[tuple[StaffLevel, dict[str, Decimal]]] = []
    for level, values in rows:
        try:
            cleaned.append((level, validate_level_inputs(values)))
        except ValidationError as exc:
            for message in exc.messages:
                errors.append(f"{level.name}: {message}")
    if errors:
        raise ValidationError(errors)
    return [
        cost_model_level_set(model=model, user=user, staff_level=level, inputs=values)
        for level, values in cleaned
    ]


@transaction.atomic
def cost_model_publish(*, model: CostPriceModel, user: User | None) -> CostPriceModel:
    model = _lock(model)
    _ensure_draft(model)
    validate_model_inputs({f: getattr(model, f) for f in MODEL_INPUT_FIELDS})
    _check_effective_date(year=model.year, effective_from=model.effective_from)
    if not ModelLevel.objects.for_organisation(model.organisation_id).filter(model=model).exists():
        raise ValidationError(_("Een model zonder functieniveaus kan niet worden gepubliceerd."))
    _check_published_date_free(model)
    model.status = CostPriceModel.Status.PUBLISHED
    model.published_at = timezone.now()
    model.published_by = user
    model.updated_by = user
    try:
        with transaction.atomic():
            model.save()
    except IntegrityError as exc:  # a concurrent publication on the same date
        raise ValidationError(
            {"effective_from": _("Er is al een gepubliceerd model met deze ingangsdatum.")}
        ) from exc
    return model


@transaction.atomic
def cost_model_new_version(
    *,
    model: CostPriceModel,
    user: User | None,
    effective_from: datetime.date,
    change_note: str = "",
    year: int | None = None,
) -> CostPriceModel:
    """A new draft that copies ``model`` (inputs and levels); the original stays as it is."""
    year = year or effective_from.year
    _check_effective_date(year=year, effective_from=effective_from)
    new = CostPriceModel(
        organisation_id=model.organisation_id,
        year=year,
        version=_next_version(model.organisation_id, year),
        effective_from=effective_from,
        change_note=change_note,
        based_on=model,
        created_by=user,
        updated_by=user,
        **{f: getattr(model, f) for f in MODEL_INPUT_FIELDS},
    )
    _save_new_version(new)
    for row in ModelLevel.objects.for_organisation(model.organisation_id).filter(model=model):
        ModelLevel.objects.create(
            organisation_id=model.organisation_id,
            model=new,
            staff_level_id=row.staff_level_id,
            **{f: getattr(row, f) for f in LEVEL_INPUT_FIELDS},
        )
    return new


@transaction.atomic
def cost_model_delete_draft(*, model: CostPriceModel) -> None:
    model = _lock(model)
    _ensure_draft(model)
    ModelLevel.objects.for_organisation(model.organisation_id).filter(model=model).delete()
    model.delete()
