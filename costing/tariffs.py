"""The national tariff table (reference data, not tenant data): lookups, and the import of a
year's table from CSV/XLSX (read and checked into a preview, then stored by platform staff).
The reader parses the file's text cells; nothing is saved before ``tariff_import_apply``."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from ipvb import spreadsheets

from .models import Tariff, TariffImport

if TYPE_CHECKING:
    from ipvb.models import User


# Lookups ---------------------------------------------------------------------------------------


def tariff_for(
    *, year: int, care_profile: str, with_treatment: bool, with_day_activities: bool
) -> Tariff | None:
    return (
        Tariff.objects.filter(
            year=year,
            care_profile=care_profile,
            with_treatment=with_treatment,
            with_day_activities=with_day_activities,
        )
        .select_related("source_import")
        .first()
    )


def tariffs(*, year: int | None = None) -> QuerySet[Tariff]:
    qs = Tariff.objects.select_related("source_import")
    if year is not None:
        qs = qs.filter(year=year)
    return qs


def tariff_years() -> list[int]:
    return list(Tariff.objects.order_by("-year").values_list("year", flat=True).distinct())


# Import ------------------------------------------------------------------------------------------

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

    def as_dict(self) -> dict[str, Any]:
        """A checked preview as plain data (kept in the session until the confirmation)."""
        return {
            "file_name": self.file_name,
            "rows": [row.as_dict() for row in self.rows],
            "source": self.source,
            "is_illustrative": self.is_illustrative,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> TariffPreview:
        return cls(
            file_name=data["file_name"],
            rows=[TariffRow.from_dict(row) for row in data["rows"]],
            source=data["source"],
            is_illustrative=data["is_illustrative"],
        )


def _read_table(*, content: bytes, file_name: str) -> list[list[str]]:
    """The file's rows as stripped text, read by the one spreadsheet reader (``ipvb.spreadsheets``:
    size, row and column limits before parsing)."""
    if not file_name.lower().endswith((".csv", ".xlsx")):
        raise ValidationError(_("Kies een CSV- of XLSX-bestand."))
    rows = spreadsheets.read_rows(
        content=content, name=file_name, formats=("csv", "xlsx"), csv_fallback_encoding="latin-1"
    )
    return [["" if cell is None else str(cell).strip() for cell in row] for row in rows]


def _amount_cell(text: str, column: str) -> Decimal | str:
    """A non-negative amount read from a cell, or the Dutch message why it is not one."""
    try:
        number = Decimal(text.strip().replace(",", "."))
    except InvalidOperation:
        return _("%(label)s is geen getal.") % {"label": column}
    if not number.is_finite():
        return _("%(label)s is geen getal.") % {"label": column}
    if number < 0:
        return _("%(label)s kan niet negatief zijn.") % {"label": column}
    return number


def _bool_cell(value: str) -> bool | None:
    value = value.strip().lower()
    if value in YES:
        return True
    if value in NO:
        return False
    return None


def tariff_import_preview_upload(*, upload: UploadedFile) -> TariffPreview:
    """``tariff_import_preview`` of an uploaded file; a file that cannot be read (too large)
    gives a preview with that problem."""
    try:
        content = spreadsheets.read_upload(upload)
    except ValidationError as exc:
        return TariffPreview(file_name=upload.name or "", errors=exc.messages)
    return tariff_import_preview(content=content, file_name=upload.name or "")


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
            value = _amount_cell(cell(column), column)
            if isinstance(value, str):
                line_errors.append(value)
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
def tariff_import_apply(*, preview: TariffPreview, user: User | None) -> TariffImport:
    """Replaces the tariff table of the file's year by the checked rows (staff only)."""
    if user is None or not user.is_staff:
        raise ValidationError(_("Alleen een platformbeheerder (staf) mag tarieven importeren."))
    return store_tariffs(preview=preview, user=user)


@transaction.atomic
def store_tariffs(*, preview: TariffPreview, user: User | None) -> TariffImport:
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
