"""The rules a client record must meet, checked before anything is written: by the services,
the bulk path (``clients.bulk``) and the import preview. BSN unique per organisation, the
department of the organisation, plausible dates, indications that do not overlap, with a
profile granted in their period."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from ipvb.models import Department, Organisation
from ipvb.validators import validate_care_date

from .formulas import add_months, bsn_is_valid, normalise_bsn
from .models import Client
from .profiles import COD163, HISTORIC_LAST_START, MAX_MONTHS, CareProfile, Grondslag, historic_profile_ended
from .selectors import indications_overlapping


def display_date(value: datetime.date | None) -> str:
    return formats.date_format(value, "d-m-Y") if value else "…"


# BSN -------------------------------------------------------------------------------------


def bsn_clean(*, organisation: Organisation, bsn: str, exclude_pk: int | None = None) -> str:
    """A valid, normalised BSN that no other client of the organisation has."""
    value = normalise_bsn(bsn)
    if len(value) != 9 or not value.isdigit():
        raise ValidationError(
            {"bsn": _("Een BSN bestaat uit 9 cijfers (of 8 cijfers, dan komt er een 0 voor).")}
        )
    if not bsn_is_valid(value):
        raise ValidationError(
            {"bsn": _("Dit BSN klopt niet: het voldoet niet aan de elfproef. Controleer het nummer.")}
        )
    others = Client.objects.for_organisation(organisation).with_bsn(value)
    if exclude_pk is not None:
        others = others.exclude(pk=exclude_pk)
    if others.exists():
        raise ValidationError({"bsn": _("Er is al een cliënt met dit BSN in uw organisatie.")})
    return value


def check_department(*, organisation: Organisation, department: Department) -> None:
    if department is None or department.organisation_id != organisation.pk:
        raise ValidationError({"department": _("Deze afdeling hoort niet bij uw organisatie.")})


def check_person_dates(*, date_of_birth: datetime.date, admission_date: datetime.date) -> None:
    errors: dict[str, str] = {}
    today = timezone.localdate()
    if date_of_birth > today:
        errors["date_of_birth"] = _("De geboortedatum ligt in de toekomst.")
    elif date_of_birth.year < 1900:
        errors["date_of_birth"] = _("De geboortedatum ligt vóór 1900; controleer het jaar.")
    if admission_date < date_of_birth:
        errors["admission_date"] = _("De opnamedatum ligt vóór de geboortedatum.")
    if errors:
        raise ValidationError(errors)


def indication_errors(
    *,
    client: Client,
    care_profile: str,
    grondslag: str,
    start_date: datetime.date | None,
    end_date: datetime.date | None,
    decision_number: str = "x",
    exclude_pk: int | None = None,
    others: list[tuple[datetime.date, datetime.date | None]] | None = None,
    check_historic: bool = True,
) -> dict[str, list[str]]:
    """Every problem of an indication as {field: [Dutch messages]} (empty: fine).
    ``others`` are extra periods not yet saved (the import checks rows against each other).
    ``check_historic``: refuse a historic profile (1VV-3VV) starting after those profiles
    ended; off only for an existing indication whose profile and start date stay as they are."""
    errors: dict[str, list[str]] = {}

    def add(field: str, message: str) -> None:
        errors.setdefault(field, []).append(message)

    if not (decision_number or "").strip():
        add("decision_number", _("Vul het besluitnummer van het CIZ in."))
    if care_profile not in COD163:
        add("care_profile", _("Onbekend zorgprofiel. Kies 4VV tot en met 10VV (1VV–3VV zijn historisch)."))
    if grondslag not in Grondslag.values:
        add("grondslag", _("Onbekende grondslag."))
    if start_date is None:
        add("start_date", _("Vul de ingangsdatum in."))
        return errors
    for name, value in (("start_date", start_date), ("end_date", end_date)):
        try:
            validate_care_date(value)
        except ValidationError as exc:
            add(name, exc.messages[0])
    if errors.get("start_date") or errors.get("end_date"):
        return errors
    if check_historic and historic_profile_ended(care_profile, start_date):
        add(
            "care_profile",
            _(
                "%(profile)s is een historisch zorgprofiel: het CIZ geeft het sinds 1 januari 2015 niet meer af "
                "en er is geen tarief meer voor. Een indicatie %(profile)s begint uiterlijk op %(date)s; "
                "kies 4VV tot en met 10VV."
            )
            % {"profile": care_profile, "date": display_date(HISTORIC_LAST_START)},
        )
    if end_date is not None and end_date < start_date:
        add("end_date", _("De einddatum ligt vóór de ingangsdatum."))
        return errors
    months = MAX_MONTHS.get(care_profile)
    if months:
        limit = add_months(start_date, months) - datetime.timedelta(days=1)
        if end_date is None or end_date > limit:
            add(
                "end_date",
                _(
                    "Een indicatie %(profile)s loopt hoogstens %(months)s maanden: uiterlijk tot en met %(date)s."
                )
                % {"profile": CareProfile(care_profile).label, "months": months, "date": display_date(limit)},
            )
    if client.pk is not None:
        for other in indications_overlapping(
            client=client, start_date=start_date, end_date=end_date, exclude_pk=exclude_pk
        ):
            add(
                "start_date",
                _(
                    "Deze indicatie overlapt met indicatie %(profile)s van %(start)s tot %(end)s. "
                    "Indicaties van één cliënt mogen elkaar niet overlappen; laat de vorige eerder eindigen."
                )
                % {
                    "profile": other.get_care_profile_display(),
                    "start": display_date(other.start_date),
                    "end": display_date(other.end_date),
                },
            )
    for other_start, other_end in others or []:
        if (end_date is None or other_start <= end_date) and (other_end is None or other_end >= start_date):
            add(
                "start_date",
                _(
                    "Deze indicatie overlapt met een andere indicatie van dezelfde cliënt (%(start)s tot %(end)s)."
                )
                % {"start": display_date(other_start), "end": display_date(other_end)},
            )
    return errors
