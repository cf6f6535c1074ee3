"""Checking the rows of an import file: every cell parsed (dates, yes/no, grondslag, care
profile), every row checked against the file and the database; nothing is saved here."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from ipvb.models import Department, Organisation

from . import rules
from .formulas import bsn_is_valid, mask_bsn, normalise_bsn, split_surname
from .import_reading import FORMULA_PREFIXES, HEADER_LABELS, INDICATION_COLUMNS, INDICATION_REQUIRED, REQUIRED
from .models import Client
from .profiles import Grondslag, profile_from_text

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


def date_or_none(value: str | None) -> datetime.date | None:
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
            start = date_or_none(indication.get("start_date"))
            end = date_or_none(indication.get("end_date"))
            problems = rules.indication_errors(
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
