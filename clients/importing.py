"""Import of clients and indications from a CSV or XLSX export of an ECD.

Two steps: ``import_preview`` reads the file and checks every row (nothing is saved; the
preview lists every row's errors); when there are none, ``import_confirm`` saves all rows in
one transaction, or nothing. Between the two the checked rows travel in a signed token bound
to the organisation and the user, and are checked again before saving.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field
from typing import Any

from django.core import signing
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from ipvb import spreadsheets
from ipvb.models import Department, Organisation

from . import services
from .formulas import bsn_is_valid, mask_bsn, normalise_bsn, split_surname
from .models import Client
from .profiles import Grondslag, profile_from_text

TOKEN_SALT = "clients.import"
TOKEN_MAX_AGE = 60 * 60  # seconds
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")

# Canonical column -> accepted headers (compared after normalising case, spaces, _ and -).
COLUMNS: dict[str, tuple[str, ...]] = {
    "given_name": ("voornaam", "voornamen", "roepnaam", "given name", "first name"),
    "name_prefix": ("tussenvoegsel", "tussenvoegsels", "voorvoegsel", "name prefix", "prefix"),
    "family_name": ("achternaam", "geslachtsnaam", "family name", "last name"),
    "date_of_birth": ("geboortedatum", "date of birth", "birth date"),
    "bsn": ("bsn", "burgerservicenummer"),
    "department": ("afdeling", "department"),
    "admission_date": ("opnamedatum", "datum opname", "admission date"),
    "wishes": ("wensen", "wensen en voorkeuren", "wishes"),
    "decision_number": ("besluitnummer", "besluitnummer ciz", "decision number"),
    "care_profile": ("zorgprofiel", "profiel", "care profile"),
    "with_treatment": ("met behandeling", "behandeling", "with treatment"),
    "with_day_activities": ("met dagbesteding", "dagbesteding", "with day activities"),
    "grondslag": ("grondslag",),
    "indication_start": ("ingangsdatum", "ingangsdatum indicatie", "indication start"),
    "indication_end": ("einddatum", "einddatum indicatie", "indication end"),
}
REQUIRED = ("given_name", "family_name", "date_of_birth", "bsn", "department", "admission_date")
INDICATION_COLUMNS = (
    "decision_number",
    "care_profile",
    "with_treatment",
    "with_day_activities",
    "grondslag",
    "indication_start",
    "indication_end",
)
INDICATION_REQUIRED = ("decision_number", "care_profile", "grondslag", "indication_start")
HEADER_LABELS = {key: aliases[0] for key, aliases in COLUMNS.items()}
HEADER_LABELS["indication_start"] = "ingangsdatum"

TRUE_WORDS = {"ja", "j", "yes", "y", "1", "true", "waar", "x"}
FALSE_WORDS = {"nee", "n", "no", "0", "false", "onwaar", ""}
GRONDSLAG_WORDS = {
    "somatisch": Grondslag.SOMATIC,
    "som": Grondslag.SOMATIC,
    "psychogeriatrisch": Grondslag.PSYCHOGERIATRIC,
    "pg": Grondslag.PSYCHOGERIATRIC,
    "psychiatrisch": Grondslag.PSYCHIATRIC,
    "lichamelijk": Grondslag.PHYSICAL,
    "lg": Grondslag.PHYSICAL,
    "verstandelijk": Grondslag.INTELLECTUAL,
    "vg": Grondslag.INTELLECTUAL,
    "zintuiglijk": Grondslag.SENSORY,
    "zg": Grondslag.SENSORY,
}
DATE_FORMATS = ("%Y-%m-%d", "%d-%m-%Y", "%d/%m/%Y", "%d.%m.%Y", "%Y-%m-%d %H:%M:%S")


class ImportFileError(Exception):
    """The file as a whole cannot be read (wrong type, encoding or columns)."""


@dataclass
class ImportRow:
    number: int  # the line in the file (the header is line 1)
    raw: dict[str, str]
    errors: list[str] = field(default_factory=list)
    data: dict[str, Any] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def display_bsn(self) -> str:
        value = normalise_bsn(self.raw.get("bsn", ""))
        return mask_bsn(value) if bsn_is_valid(value) else self.raw.get("bsn", "")


@dataclass
class ImportPreview:
    rows: list[ImportRow] = field(default_factory=list)
    file_errors: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.file_errors and bool(self.rows) and all(row.ok for row in self.rows)

    @property
    def error_count(self) -> int:
        return len(self.file_errors) + sum(len(row.errors) for row in self.rows)

    @property
    def client_count(self) -> int:
        return len({row.data.get("bsn") for row in self.rows if row.data.get("bsn")})

    @property
    def indication_count(self) -> int:
        return sum(1 for row in self.rows if row.data.get("indication"))


# Reading ---------------------------------------------------------------------------------


def _normalise_header(text: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"[_\-]", " ", str(text or "").strip().lower())).strip()


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return value.date().isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, bool):
        return "ja" if value else "nee"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip() if not str(value).startswith(FORMULA_PREFIXES) else str(value)


def read_table(*, name: str, content: bytes) -> list[list[str]]:
    """The file's rows as text, read by the one spreadsheet reader (size, row and column
    limits before parsing; formulas are read as their text so they can be refused)."""
    if not name.lower().endswith((".csv", ".xlsx")):
        raise ImportFileError(_("Kies een CSV- of XLSX-bestand (.csv of .xlsx)."))
    try:
        rows = spreadsheets.read_rows(content=content, name=name, formats=("csv", "xlsx"), data_only=False)
        if name.lower().endswith(".csv"):
            return [list(row) for row in rows]
        return [[_cell_text(value) for value in row] for row in rows]
    except ValidationError as exc:
        if exc.error_list[0].code == "invalid" and name.lower().endswith(".xlsx"):
            raise ImportFileError(
                _("Dit is geen geldig XLSX-bestand. Sla het opnieuw op als Excel-werkmap (.xlsx).")
            ) from exc
        raise ImportFileError(" ".join(exc.messages)) from exc


def map_columns(header: list[str]) -> dict[int, str]:
    """Column index -> canonical name; raises with every problem of the header at once."""
    lookup = {alias: key for key, aliases in COLUMNS.items() for alias in aliases}
    mapping: dict[int, str] = {}
    unknown: list[str] = []
    duplicate: list[str] = []
    for index, title in enumerate(header):
        normal = _normalise_header(title)
        if not normal:
            continue
        key = lookup.get(normal)
        if key is None:
            unknown.append(str(title).strip())
        elif key in mapping.values():
            duplicate.append(str(title).strip())
        else:
            mapping[index] = key
    missing = [HEADER_LABELS[key] for key in REQUIRED if key not in mapping.values()]
    problems = []
    if missing:
        problems.append(_("Verplichte kolommen ontbreken: %(columns)s.") % {"columns": ", ".join(missing)})
    if unknown:
        problems.append(_("Onbekende kolommen: %(columns)s.") % {"columns": ", ".join(unknown)})
    if duplicate:
        problems.append(_("Kolommen komen dubbel voor: %(columns)s.") % {"columns": ", ".join(duplicate)})
    if problems:
        problems.append(
            _("Verwachte kolommen: %(columns)s.")
            % {"columns": ", ".join(HEADER_LABELS[key] for key in COLUMNS)}
        )
        raise ImportFileError(" ".join(problems))
    return mapping


def raw_rows(*, name: str, content: bytes) -> list[dict[str, Any]]:
    """The file as [{"number": line, "raw": {column: text}}], empty rows left out."""
    table = read_table(name=name, content=content)
    if not table or not any(cell.strip() for cell in table[0] if isinstance(cell, str)):
        raise ImportFileError(_("Het bestand is leeg of de eerste regel bevat geen kolomnamen."))
    mapping = map_columns(table[0])
    rows = []
    for number, cells in enumerate(table[1:], start=2):
        raw = {key: (cells[index] if index < len(cells) else "") for index, key in mapping.items()}
        raw = {key: ("" if value is None else str(value)) for key, value in raw.items()}
        if not any(value.strip() for value in raw.values()):
            continue
        rows.append({"number": number, "raw": raw})
    if not rows:
        raise ImportFileError(_("Het bestand bevat geen cliënten."))
    return rows


# Checking --------------------------------------------------------------------------------


def _parse_date(text: str) -> datetime.date | None:
    for fmt in DATE_FORMATS:
        try:
            return datetime.datetime.strptime(text.strip(), fmt).date()  # noqa: DTZ007
        except ValueError:
            continue
    return None


def _parse_bool(text: str) -> bool | None:
    word = text.strip().lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    return None


def _parse_grondslag(text: str) -> str | None:
    word = text.strip().lower()
    for value, label in Grondslag.choices:
        if word in {value, str(label).lower()}:
            return value
    return GRONDSLAG_WORDS.get(word.split()[0] if word else "")


def _check_row(row: ImportRow, *, departments: dict[str, Department]) -> None:
    raw = row.raw
    errors = row.errors
    for key, value in raw.items():
        if value.startswith(FORMULA_PREFIXES):
            errors.append(
                _(
                    "Kolom %(column)s begint met '%(char)s' en lijkt op een formule; zulke cellen worden "
                    "om veiligheidsredenen niet geïmporteerd."
                )
                % {"column": HEADER_LABELS[key], "char": value[:1].replace("\t", "tab").replace("\r", "CR")}
            )
    if errors:
        return
    data = row.data
    for key in REQUIRED:
        if not raw.get(key, "").strip():
            errors.append(_("Kolom %(column)s is leeg.") % {"column": HEADER_LABELS[key]})
    data["given_name"] = raw.get("given_name", "").strip()[:100]
    data["name_prefix"], data["family_name"] = split_surname(
        raw.get("family_name", "").strip()[:150], raw.get("name_prefix", "").strip()[:20]
    )
    data["wishes"] = raw.get("wishes", "").strip()
    bsn = normalise_bsn(raw.get("bsn", ""))
    if raw.get("bsn", "").strip():
        if len(bsn) != 9 or not bsn.isdigit():
            errors.append(_("BSN %(bsn)s bestaat niet uit 9 cijfers.") % {"bsn": raw["bsn"]})
        elif not bsn_is_valid(bsn):
            errors.append(_("BSN %(bsn)s voldoet niet aan de elfproef.") % {"bsn": raw["bsn"]})
        else:
            data["bsn"] = bsn
    for key in ("date_of_birth", "admission_date"):
        text = raw.get(key, "").strip()
        if text:
            parsed = _parse_date(text)
            if parsed is None:
                errors.append(
                    _("Kolom %(column)s: '%(value)s' is geen datum (dd-mm-jjjj).")
                    % {"column": HEADER_LABELS[key], "value": text}
                )
            else:
                data[key] = parsed.isoformat()
    if (
        data.get("date_of_birth")
        and data.get("admission_date")
        and data["admission_date"] < data["date_of_birth"]
    ):
        errors.append(_("De opnamedatum ligt vóór de geboortedatum."))
    department_name = raw.get("department", "").strip()
    if department_name:
        department = departments.get(department_name.lower())
        if department is None:
            errors.append(
                _("Afdeling '%(name)s' bestaat niet in uw organisatie. Bekende afdelingen: %(known)s.")
                % {"name": department_name, "known": ", ".join(d.name for d in departments.values())}
            )
        else:
            data["department"] = department.pk
    if any(raw.get(key, "").strip() for key in INDICATION_COLUMNS):
        _check_indication(row)


def _check_indication(row: ImportRow) -> None:
    raw, errors = row.raw, row.errors
    indication: dict[str, Any] = {}
    for key in INDICATION_REQUIRED:
        if not raw.get(key, "").strip():
            errors.append(
                _("Kolom %(column)s is leeg, maar de regel bevat een indicatie.")
                % {"column": HEADER_LABELS[key]}
            )
    indication["decision_number"] = raw.get("decision_number", "").strip()[:50]
    profile_text = raw.get("care_profile", "").strip()
    if profile_text:
        profile = profile_from_text(profile_text)
        if profile is None:
            errors.append(
                _("Zorgprofiel '%(value)s' is onbekend (gebruik bijvoorbeeld 4VV of 753).")
                % {"value": profile_text}
            )
        indication["care_profile"] = profile
    grondslag_text = raw.get("grondslag", "").strip()
    if grondslag_text:
        grondslag = _parse_grondslag(grondslag_text)
        if grondslag is None:
            errors.append(_("Grondslag '%(value)s' is onbekend.") % {"value": grondslag_text})
        indication["grondslag"] = grondslag
    for key, target in (("with_treatment", "with_treatment"), ("with_day_activities", "with_day_activities")):
        value = _parse_bool(raw.get(key, ""))
        if value is None:
            errors.append(
                _("Kolom %(column)s: gebruik ja of nee, niet '%(value)s'.")
                % {"column": HEADER_LABELS[key], "value": raw.get(key, "")}
            )
        indication[target] = bool(value)
    for key, target in (("indication_start", "start_date"), ("indication_end", "end_date")):
        text = raw.get(key, "").strip()
        indication[target] = None
        if text:
            parsed = _parse_date(text)
            if parsed is None:
                errors.append(
                    _("Kolom %(column)s: '%(value)s' is geen datum (dd-mm-jjjj).")
                    % {"column": HEADER_LABELS[key], "value": text}
                )
            else:
                indication[target] = parsed.isoformat()
    row.data["indication"] = indication


def _date_or_none(value: str | None) -> datetime.date | None:
    return datetime.date.fromisoformat(value) if value else None


def check_rows(*, organisation: Organisation, rows: list[dict[str, Any]]) -> ImportPreview:
    """Checks every row against the file and the database; saves nothing."""
    departments = {d.name.lower(): d for d in Department.objects.for_organisation(organisation)}
    preview = ImportPreview(rows=[ImportRow(number=r["number"], raw=dict(r["raw"])) for r in rows])
    for row in preview.rows:
        _check_row(row, departments=departments)
    existing = set(
        Client.objects.for_organisation(organisation)
        .with_bsns([row.data["bsn"] for row in preview.rows if row.data.get("bsn")])
        .values_list("bsn", flat=True)
    )
    first_of: dict[str, ImportRow] = {}
    periods: dict[str, list[tuple[datetime.date, datetime.date | None]]] = {}
    person_keys = ("given_name", "family_name", "date_of_birth", "department", "admission_date")
    for row in preview.rows:
        bsn = row.data.get("bsn")
        if not bsn:
            continue
        if bsn in existing:
            row.errors.append(_("Er is al een cliënt met dit BSN in uw organisatie."))
            continue
        first = first_of.get(bsn)
        if first is not None:
            same_person = all(row.data.get(k) == first.data.get(k) for k in person_keys)
            if not (same_person and row.data.get("indication") and first.data.get("indication")):
                row.errors.append(
                    _(
                        "Dit BSN staat ook op regel %(line)s. Meerdere regels voor één cliënt mogen alleen "
                        "als elke regel een indicatie bevat en de persoonsgegevens gelijk zijn."
                    )
                    % {"line": first.number}
                )
                continue
        else:
            first_of[bsn] = row
        indication = row.data.get("indication")
        if indication and not row.errors:
            start = _date_or_none(indication.get("start_date"))
            end = _date_or_none(indication.get("end_date"))
            problems = services.indication_errors(
                client=Client(organisation=organisation),
                care_profile=indication.get("care_profile") or "",
                grondslag=indication.get("grondslag") or "",
                start_date=start,
                end_date=end,
                decision_number=indication.get("decision_number", ""),
                others=periods.get(bsn, []),
            )
            for messages in problems.values():
                row.errors.extend(messages)
            if start is not None:
                periods.setdefault(bsn, []).append((start, end))
    return preview


def import_preview(*, organisation: Organisation, name: str, content: bytes) -> ImportPreview:
    try:
        rows = raw_rows(name=name, content=content)
    except ImportFileError as exc:
        return ImportPreview(file_errors=[str(exc)])
    return check_rows(organisation=organisation, rows=rows)


# Token and saving ------------------------------------------------------------------------


def make_token(*, organisation: Organisation, user: Any, preview: ImportPreview) -> str:
    payload = {
        "org": organisation.pk,
        "user": user.pk,
        "rows": [{"number": row.number, "raw": row.raw} for row in preview.rows],
    }
    return signing.dumps(payload, salt=TOKEN_SALT, compress=True)


def read_token(*, token: str, organisation: Organisation, user: Any) -> list[dict[str, Any]]:
    try:
        payload = signing.loads(token, salt=TOKEN_SALT, max_age=TOKEN_MAX_AGE)
    except signing.SignatureExpired as exc:
        raise ValidationError(_("De voorvertoning is verlopen. Lees het bestand opnieuw in.")) from exc
    except signing.BadSignature as exc:
        raise ValidationError(_("De voorvertoning is ongeldig. Lees het bestand opnieuw in.")) from exc
    if payload.get("org") != organisation.pk or payload.get("user") != user.pk:
        raise ValidationError(
            _("De voorvertoning hoort niet bij u of deze organisatie. Lees het bestand opnieuw in.")
        )
    return payload["rows"]


def import_confirm(
    *, organisation: Organisation, rows: list[dict[str, Any]]
) -> tuple[ImportPreview, list[Client]]:
    """Checks again and saves every row in one transaction; with any error nothing is saved
    and the preview with the errors is returned."""
    preview = check_rows(organisation=organisation, rows=rows)
    if not preview.ok:
        return preview, []
    departments = {d.pk: d for d in Department.objects.for_organisation(organisation)}
    if len(preview.rows) >= BULK_FROM_ROWS:
        return _confirm_in_bulk(preview, organisation=organisation, departments=departments)
    created: dict[str, Client] = {}
    try:
        with transaction.atomic():
            for row in preview.rows:
                try:
                    _save_row(row, organisation=organisation, departments=departments, created=created)
                except ValidationError as exc:
                    row.errors.extend(str(message) for message in exc.messages)
            if not preview.ok:
                raise _Rollback
    except _Rollback:
        preview.file_errors.append(
            _("Er is niets opgeslagen: los de fouten hieronder op en lees het bestand opnieuw in.")
        )
        return preview, []
    return preview, list(created.values())


class _Rollback(Exception):
    pass


# From this many rows the import writes through the bulk path (clients.bulk: validated like the
# services, inserted in batches); smaller files go row by row through the services.
BULK_FROM_ROWS = 200


def _confirm_in_bulk(
    preview: ImportPreview, *, organisation: Organisation, departments: dict[int, Department]
) -> tuple[ImportPreview, list[Client]]:
    from . import bulk

    new = bulk.rows_from_import(preview.rows, departments=departments)
    result = bulk.clients_bulk_create(organisation=organisation, rows=new)
    if result.ok:
        return preview, result.clients
    for index, problems in result.errors.items():
        for row in preview.rows:
            if row.data["bsn"] == new[index].bsn:
                row.errors.extend(message for messages in problems.values() for message in messages)
                break
    preview.file_errors.append(
        _("Er is niets opgeslagen: los de fouten hieronder op en lees het bestand opnieuw in.")
    )
    return preview, []


def _save_row(
    row: ImportRow,
    *,
    organisation: Organisation,
    departments: dict[int, Department],
    created: dict[str, Client],
) -> None:
    data = row.data
    client = created.get(data["bsn"])
    if client is None:
        client = services.client_create(
            organisation=organisation,
            department=departments[data["department"]],
            given_name=data["given_name"],
            family_name=data["family_name"],
            name_prefix=data.get("name_prefix", ""),
            date_of_birth=datetime.date.fromisoformat(data["date_of_birth"]),
            bsn=data["bsn"],
            admission_date=datetime.date.fromisoformat(data["admission_date"]),
            wishes=data["wishes"],
        )
        created[data["bsn"]] = client
    indication = data.get("indication")
    if indication:
        services.indication_create(
            client=client,
            decision_number=indication["decision_number"],
            care_profile=indication["care_profile"],
            with_treatment=indication["with_treatment"],
            with_day_activities=indication["with_day_activities"],
            grondslag=indication["grondslag"],
            start_date=_date_or_none(indication["start_date"]),
            end_date=_date_or_none(indication["end_date"]),
        )
