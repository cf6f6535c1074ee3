"""Writes of costing. Every function owns its transaction and raises Django's ValidationError
with a Dutch message; on error nothing is saved."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ipvb import spreadsheets
from ipvb.validators import validate_care_date, validate_year

from .models import (
    CostPriceModel,
    GroupCare,
    ModelLevel,
    OrganisationYearSettings,
    StaffLevel,
    Tariff,
    TariffImport,
)

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


# Validation helpers ---------------------------------------------------------------------------


def _pct(value: Any, label: str, errors: dict[str, str], key: str, *, upper: bool = True) -> Decimal | None:
    try:
        number = Decimal(str(value).strip().replace(",", "."))
    except (InvalidOperation, AttributeError):
        errors[key] = _("%(label)s is geen getal.") % {"label": label}
        return None
    if not number.is_finite():
        errors[key] = _("%(label)s is geen getal.") % {"label": label}
        return None
    if number < 0 or (upper and number > HUNDRED):
        errors[key] = (
            _("%(label)s moet tussen 0 en 100 liggen.") if upper else _("%(label)s kan niet negatief zijn.")
        ) % {"label": label}
        return None
    return number


def _amount(value: Any, label: str, errors: dict[str, str], key: str) -> Decimal | None:
    try:
        number = Decimal(str(value).strip().replace(",", "."))
    except (InvalidOperation, AttributeError):
        errors[key] = _("%(label)s is geen getal.") % {"label": label}
        return None
    if not number.is_finite():
        errors[key] = _("%(label)s is geen getal.") % {"label": label}
        return None
    if number < 0:
        errors[key] = _("%(label)s kan niet negatief zijn.") % {"label": label}
        return None
    return number


def validate_model_inputs(values: dict[str, Any]) -> dict[str, Decimal]:
    """Checks the model-wide inputs; raises ValidationError (per field) when one is wrong."""
    errors: dict[str, str] = {}
    clean: dict[str, Decimal | None] = {}
    paid = _amount(values.get("paid_hours_per_fte"), _("Betaalde uren per fte"), errors, "paid_hours_per_fte")
    if paid is not None and paid <= 0:
        errors["paid_hours_per_fte"] = _("Het aantal betaalde uren per fte moet groter zijn dan 0.")
    clean["paid_hours_per_fte"] = paid
    clean["leave_pct"] = _pct(values.get("leave_pct"), _("Verlof"), errors, "leave_pct")
    clean["sickness_pct"] = _pct(values.get("sickness_pct"), _("Verzuim"), errors, "sickness_pct")
    clean["training_pct"] = _pct(values.get("training_pct"), _("Scholing"), errors, "training_pct")
    clean["client_bound_pct"] = _pct(
        values.get("client_bound_pct"), _("Cliëntgebonden deel"), errors, "client_bound_pct"
    )
    if clean["client_bound_pct"] is not None and clean["client_bound_pct"] <= 0:
        errors["client_bound_pct"] = _("Het cliëntgebonden deel moet groter zijn dan 0 %.")
    clean["overhead_pct"] = _pct(
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


def validate_level_inputs(values: dict[str, Any]) -> dict[str, Decimal]:
    errors: dict[str, str] = {}
    clean = {
        "salary": _amount(values.get("salary"), _("Salaris"), errors, "salary"),
        "holiday_pct": _pct(values.get("holiday_pct"), _("Vakantietoeslag"), errors, "holiday_pct"),
        "year_end_pct": _pct(values.get("year_end_pct"), _("Eindejaarsuitkering"), errors, "year_end_pct"),
        "irregular_pct": _pct(values.get("irregular_pct"), _("ORT"), errors, "irregular_pct"),
        "employer_charges_pct": _pct(
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
    for name, validate, value in (
        ("year", validate_year, year),
        ("effective_from", validate_care_date, effective_from),
    ):
        try:
            validate(value)
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


# Staff levels -------------------------------------------------------------------------------


@transaction.atomic
def staff_level_save(
    *, organisation: Any, code: str, name: str, order: int = 0, level: StaffLevel | None = None
) -> StaffLevel:
    code = code.strip().lower()
    clash = StaffLevel.objects.for_organisation(organisation).filter(code=code)
    if level is not None:
        clash = clash.exclude(pk=level.pk)
    if clash.exists():
        raise ValidationError({"code": _("Er is al een functieniveau met deze code.")})
    if level is None:
        level = StaffLevel(organisation=organisation)
    level.code, level.name, level.order = code, name.strip(), order
    level.full_clean()
    level.save()
    return level


# Year settings -----------------------------------------------------------------------------


@transaction.atomic
def year_settings_save(
    *,
    organisation: Any,
    user: Any,
    year: int,
    values: dict[str, Any],
    settings: OrganisationYearSettings | None = None,
) -> OrganisationYearSettings:
    existing = OrganisationYearSettings.objects.for_organisation(organisation).filter(year=year)
    if settings is not None:
        existing = existing.exclude(pk=settings.pk)
    if existing.exists():
        raise ValidationError({"year": _("Er zijn al jaarinstellingen voor %(year)s.") % {"year": year}})
    reference = values.get("reference_level")
    if reference is not None and reference.organisation_id != organisation.pk:
        raise ValidationError({"reference_level": _("Dit functieniveau hoort niet bij uw organisatie.")})
    if settings is None:
        settings = OrganisationYearSettings(organisation=organisation)
    settings.year = year
    for key, value in values.items():
        setattr(settings, key, value)
    settings.updated_by = user
    settings.full_clean()
    settings.save()
    return settings


# Cost-price models -----------------------------------------------------------------------------


def _next_version(organisation: Any, year: int) -> int:
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
    organisation: Any,
    user: Any,
    year: int,
    effective_from: datetime.date,
    inputs: dict[str, Any],
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
    user: Any,
    inputs: dict[str, Any],
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
    *, model: CostPriceModel, user: Any, staff_level: StaffLevel, inputs: dict[str, Any]
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
def cost_model_level_remove(*, model: CostPriceModel, user: Any, staff_level: StaffLevel) -> None:
    model = _lock(model)
    _ensure_draft(model)
    ModelLevel.objects.for_organisation(model.organisation_id).filter(
        model=model, staff_level=staff_level
    ).delete()
    model.updated_by = user
    model.save(update_fields=["updated_by", "updated_at"])


@transaction.atomic
def cost_model_levels_replace(
    *, model: CostPriceModel, user: Any, rows: list[tuple[StaffLevel, dict[str, Any]]]
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
def cost_model_publish(*, model: CostPriceModel, user: Any) -> CostPriceModel:
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
    user: Any,
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


# Group-bound care ------------------------------------------------------------------------------


@transaction.atomic
def group_care_save(*, department: Any, year: int, hours: dict[StaffLevel, Any]) -> list[GroupCare]:
    """Sets the group-bound hours per week per level of a department and year (0 or empty
    removes the level). All valid or nothing saved."""
    errors: list[str] = []
    clean: dict[StaffLevel, Decimal] = {}
    for level, value in hours.items():
        if level.organisation_id != department.organisation_id:
            errors.append(_("Dit functieniveau hoort niet bij uw organisatie."))
            continue
        if value in (None, ""):
            clean[level] = ZERO
            continue
        problems: dict[str, str] = {}
        number = _amount(value, level.name, problems, "hours")
        if number is None:
            errors.append(
                _("Uren voor %(level)s: %(error)s") % {"level": level.name, "error": problems["hours"]}
            )
        else:
            clean[level] = number
    if errors:
        raise ValidationError(errors)
    rows = []
    scoped = GroupCare.objects.for_organisation(department.organisation_id)
    for level, number in clean.items():
        if number == 0:
            scoped.filter(department=department, year=year, staff_level=level).delete()
            continue
        row, _created = scoped.update_or_create(
            organisation_id=department.organisation_id,
            department=department,
            year=year,
            staff_level=level,
            defaults={"hours_per_week": number},
        )
        rows.append(row)
    return rows


# Tariff import ---------------------------------------------------------------------------------

TARIFF_COLUMNS = {
    "jaar": "year",
    "zorgprofiel": "care_profile",
    "behandeling": "with_treatment",
    "dagbesteding": "with_day_activities",
    "zorgtarief_per_dag": "care_per_day",
    "nhc_per_dag": "nhc_per_day",
    "nic_per_dag": "nic_per_day",
}
OPTIONAL_TARIFF_COLUMNS = {"bron", "toelichting"}
YES = {"ja", "j", "yes", "y", "1", "true", "waar", "met"}
NO = {"nee", "n", "no", "0", "false", "onwaar", "zonder"}


@dataclass
class TariffRow:
    line: int
    year: int
    care_profile: str
    with_treatment: bool
    with_day_activities: bool
    care_per_day: Decimal
    nhc_per_day: Decimal
    nic_per_day: Decimal

    @property
    def key(self) -> tuple[int, str, bool, bool]:
        return (self.year, self.care_profile, self.with_treatment, self.with_day_activities)

    def as_dict(self) -> dict[str, Any]:
        return {
            "line": self.line,
            "year": self.year,
            "care_profile": self.care_profile,
            "with_treatment": self.with_treatment,
            "with_day_activities": self.with_day_activities,
            "care_per_day": str(self.care_per_day),
            "nhc_per_day": str(self.nhc_per_day),
            "nic_per_day": str(self.nic_per_day),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> TariffRow:
        return cls(
            line=int(data["line"]),
            year=int(data["year"]),
            care_profile=str(data["care_profile"]),
            with_treatment=bool(data["with_treatment"]),
            with_day_activities=bool(data["with_day_activities"]),
            care_per_day=Decimal(data["care_per_day"]),
            nhc_per_day=Decimal(data["nhc_per_day"]),
            nic_per_day=Decimal(data["nic_per_day"]),
        )


@dataclass
class TariffPreview:
    file_name: str
    rows: list[TariffRow] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    source: str = ""
    is_illustrative: bool = False
    replaced: int = 0

    @property
    def year(self) -> int | None:
        years = {row.year for row in self.rows}
        return years.pop() if len(years) == 1 else None

    @property
    def is_valid(self) -> bool:
        return not self.errors and bool(self.rows)


def _read_table(*, content: bytes, file_name: str) -> list[list[str]]:
    """The file's rows as stripped text, read by the one spreadsheet reader (``ipvb.spreadsheets``:
    size, row and column limits before parsing)."""
    if not file_name.lower().endswith((".csv", ".xlsx")):
        raise ValidationError(_("Kies een CSV- of XLSX-bestand."))
    rows = spreadsheets.read_rows(
        content=content, name=file_name, formats=("csv", "xlsx"), csv_fallback_encoding="latin-1"
    )
    return [["" if cell is None else str(cell).strip() for cell in row] for row in rows]


def _bool_cell(value: str) -> bool | None:
    value = value.strip().lower()
    if value in YES:
        return True
    if value in NO:
        return False
    return None


def tariff_import_preview(*, content: bytes, file_name: str) -> TariffPreview:
    """Reads and checks a tariff file without saving anything. Every problem is listed."""
    from clients.profiles import CURRENT, HISTORIC, HISTORIC_LAST_TARIFF_YEAR, profile_from_text

    preview = TariffPreview(file_name=file_name)
    try:
        table = [row for row in _read_table(content=content, file_name=file_name) if any(row)]
    except ValidationError as exc:
        preview.errors.extend(exc.messages)
        return preview
    if not table:
        preview.errors.append(_("Het bestand is leeg."))
        return preview
    header = [cell.strip().lower().replace(" ", "_") for cell in table[0]]
    missing_columns = [col for col in TARIFF_COLUMNS if col not in header]
    if missing_columns:
        preview.errors.append(
            _("Deze kolommen ontbreken: %(columns)s. Verwacht: %(expected)s.")
            % {"columns": ", ".join(missing_columns), "expected": ", ".join(TARIFF_COLUMNS)}
        )
        return preview
    index = {
        name: header.index(name)
        for name in header
        if name in TARIFF_COLUMNS or name in OPTIONAL_TARIFF_COLUMNS
    }
    seen: dict[tuple[int, str, bool, bool], int] = {}
    sources: set[str] = set()
    for number, raw in enumerate(table[1:], start=2):
        cells = raw + [""] * (len(header) - len(raw))

        def cell(name: str, cells: list[str] = cells) -> str:
            return cells[index[name]] if name in index else ""

        line_errors: list[str] = []
        try:
            year = int(Decimal(cell("jaar")))
            if not 2000 <= year <= 2100:
                raise ValueError
        except (InvalidOperation, ValueError):
            line_errors.append(_("jaar '%(value)s' is geen geldig jaar") % {"value": cell("jaar")})
            year = 0
        profile = profile_from_text(cell("zorgprofiel"))
        if profile is None:
            line_errors.append(_("onbekend zorgprofiel '%(value)s'") % {"value": cell("zorgprofiel")})
        elif profile in HISTORIC and year > HISTORIC_LAST_TARIFF_YEAR:
            line_errors.append(
                _("%(profile)s is een historisch zorgprofiel; na %(last)s heeft het geen tarief meer")
                % {"profile": profile, "last": HISTORIC_LAST_TARIFF_YEAR}
            )
        treatment = _bool_cell(cell("behandeling"))
        day = _bool_cell(cell("dagbesteding"))
        if treatment is None:
            line_errors.append(_("behandeling moet 'ja' of 'nee' zijn"))
        if day is None:
            line_errors.append(_("dagbesteding moet 'ja' of 'nee' zijn"))
        amounts: dict[str, Decimal] = {}
        for column in ("zorgtarief_per_dag", "nhc_per_dag", "nic_per_dag"):
            problems: dict[str, str] = {}
            value = _amount(cell(column), column, problems, column)
            if value is None:
                line_errors.append(problems[column])
            elif value != value.quantize(Decimal("0.01")):
                line_errors.append(_("%(label)s heeft meer dan twee decimalen") % {"label": column})
            else:
                amounts[column] = value
        if line_errors:
            preview.errors.append(
                _("Regel %(line)s: %(errors)s.") % {"line": number, "errors": "; ".join(line_errors)}
            )
            continue
        assert profile is not None and treatment is not None and day is not None
        row = TariffRow(
            line=number,
            year=year,
            care_profile=profile,
            with_treatment=treatment,
            with_day_activities=day,
            care_per_day=amounts["zorgtarief_per_dag"],
            nhc_per_day=amounts["nhc_per_dag"],
            nic_per_day=amounts["nic_per_dag"],
        )
        if row.key in seen:
            preview.errors.append(
                _(
                    "Regel %(line)s: dubbel met regel %(first)s (%(year)s, %(profile)s, behandeling %(t)s, "
                    "dagbesteding %(d)s)."
                )
                % {
                    "line": number,
                    "first": seen[row.key],
                    "year": year,
                    "profile": profile,
                    "t": _("ja") if treatment else _("nee"),
                    "d": _("ja") if day else _("nee"),
                }
            )
            continue
        seen[row.key] = number
        preview.rows.append(row)
        for column in ("bron", "toelichting"):
            if cell(column):
                sources.add(cell(column))
    years = sorted({row.year for row in preview.rows})
    if len(years) > 1:
        preview.errors.append(
            _("Het bestand bevat meerdere jaren (%(years)s); importeer één jaar per bestand.")
            % {"years": ", ".join(map(str, years))}
        )
    if preview.rows:
        present = {row.care_profile for row in preview.rows}
        missing = sorted(CURRENT - present, key=lambda p: int(p.rstrip("VB").rstrip("V") or 0))
        if missing:
            preview.errors.append(
                _("Deze zorgprofielen ontbreken in het bestand: %(profiles)s.")
                % {"profiles": ", ".join("9VV B" if p == "9VVB" else p for p in missing)}
            )
    elif not preview.errors:
        preview.errors.append(_("Het bestand bevat geen tariefregels."))
    preview.source = "; ".join(sorted(sources))[:255]
    preview.is_illustrative = "illustratief" in (preview.source + " " + file_name).lower()
    if preview.year is not None:
        preview.replaced = Tariff.objects.filter(year=preview.year).count()
    return preview


@transaction.atomic
def tariff_import_apply(*, preview: TariffPreview, user: Any) -> TariffImport:
    """Replaces the tariff table of the file's year by the checked rows (staff only)."""
    if user is None or not getattr(user, "is_staff", False):
        raise ValidationError(_("Alleen een platformbeheerder (staf) mag tarieven importeren."))
    return store_tariffs(preview=preview, user=user)


@transaction.atomic
def store_tariffs(*, preview: TariffPreview, user: Any) -> TariffImport:
    """Writes a checked preview (used by the staff import and by the demo loader)."""
    if not preview.is_valid or preview.year is None:
        raise ValidationError(preview.errors or [_("Het bestand bevat geen tariefregels.")])
    year = preview.year
    record = TariffImport.objects.create(
        year=year,
        file_name=preview.file_name[:255],
        source=preview.source,
        is_illustrative=preview.is_illustrative,
        row_count=len(preview.rows),
        imported_by=user,
    )
    keep = []
    for row in preview.rows:
        tariff, _created = Tariff.objects.update_or_create(
            year=row.year,
            care_profile=row.care_profile,
            with_treatment=row.with_treatment,
            with_day_activities=row.with_day_activities,
            defaults={
                "care_per_day": row.care_per_day,
                "nhc_per_day": row.nhc_per_day,
                "nic_per_day": row.nic_per_day,
                "source_import": record,
            },
        )
        keep.append(tariff.pk)
    Tariff.objects.filter(year=year).exclude(pk__in=keep).delete()
    return record
