"""Writes of the clients app. Each service owns its transaction and raises a Django
ValidationError with a Dutch message (keyed by field where one is to blame)."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from ipvb.models import Department, Organisation
from ipvb.validators import validate_care_date

from .formulas import add_months, bsn_is_valid, normalise_bsn, split_surname
from .models import Client, ContactPerson, Indication, Placement
from .profiles import COD163, HISTORIC_LAST_START, MAX_MONTHS, CareProfile, Grondslag, historic_profile_ended
from .selectors import indications_overlapping


def _date(value: datetime.date | None) -> str:
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


def _check_department(*, organisation: Organisation, department: Department) -> None:
    if department is None or department.organisation_id != organisation.pk:
        raise ValidationError({"department": _("Deze afdeling hoort niet bij uw organisatie.")})


def _check_person_dates(*, date_of_birth: datetime.date, admission_date: datetime.date) -> None:
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


# Clients ---------------------------------------------------------------------------------


@transaction.atomic
def client_create(
    *,
    organisation: Organisation,
    department: Department,
    given_name: str,
    family_name: str,
    date_of_birth: datetime.date,
    bsn: str,
    admission_date: datetime.date,
    wishes: str = "",
    name_prefix: str = "",
) -> Client:
    """A new client in care on ``department`` from ``admission_date`` (first placement)."""
    _check_department(organisation=organisation, department=department)
    value = bsn_clean(organisation=organisation, bsn=bsn)
    _check_person_dates(date_of_birth=date_of_birth, admission_date=admission_date)
    prefix, surname = split_surname(family_name, name_prefix)
    client = Client(
        organisation=organisation,
        department=department,
        given_name=given_name.strip(),
        name_prefix=prefix,
        family_name=surname,
        date_of_birth=date_of_birth,
        bsn=value,
        admission_date=admission_date,
        wishes=wishes,
    )
    client.full_clean(exclude=["organisation", "bsn"], validate_constraints=False)
    try:
        with transaction.atomic():
            client.save()
    except IntegrityError as exc:  # a concurrent insert of the same BSN
        raise ValidationError({"bsn": _("Er is al een cliënt met dit BSN in uw organisatie.")}) from exc
    Placement.objects.create(
        organisation=organisation, client=client, department=department, start_date=admission_date
    )
    return client


@transaction.atomic
def client_update(
    *,
    client: Client,
    given_name: str,
    family_name: str,
    date_of_birth: datetime.date,
    admission_date: datetime.date,
    wishes: str = "",
    bsn: str | None = None,
    name_prefix: str | None = None,
) -> Client:
    """Personal data; ``bsn`` only when it is corrected (None or "" keeps it)."""
    organisation = client.organisation
    if bsn:
        client.bsn = bsn_clean(organisation=organisation, bsn=bsn, exclude_pk=client.pk)
    _check_person_dates(date_of_birth=date_of_birth, admission_date=admission_date)
    first = (
        Placement.objects.for_organisation(organisation).filter(client=client).order_by("start_date").first()
    )
    if first is not None and admission_date != client.admission_date:
        later = first.end_date is not None and admission_date > first.end_date
        if later:
            raise ValidationError(
                {"admission_date": _("De opnamedatum ligt na het einde van de eerste plaatsing.")}
            )
    if client.discharge_date and admission_date > client.discharge_date:
        raise ValidationError({"admission_date": _("De opnamedatum ligt na de datum van uitschrijving.")})
    client.given_name = given_name.strip()
    if name_prefix is None:  # not given (an API PATCH): a prefix typed in the surname wins
        found, surname = split_surname(family_name)
        client.name_prefix, client.family_name = (found, surname) if found else (client.name_prefix, surname)
    else:
        client.name_prefix, client.family_name = split_surname(family_name, name_prefix)
    client.date_of_birth = date_of_birth
    if first is not None and admission_date != client.admission_date:
        first.start_date = admission_date
        first.save(update_fields=["start_date"])
    client.admission_date = admission_date
    client.wishes = wishes
    client.full_clean(exclude=["organisation", "bsn"], validate_constraints=False)
    client.save()
    return client


@transaction.atomic
def client_move(*, client: Client, department: Department, on_date: datetime.date) -> Placement:
    """Moves a client to another department from ``on_date``; the old placement ends the day
    before, so the history stays."""
    organisation = client.organisation
    _check_department(organisation=organisation, department=department)
    if not client.is_active:
        raise ValidationError(_("Een uitgeschreven cliënt kan niet worden verplaatst."))
    if department.pk == client.department_id:
        raise ValidationError({"department": _("De cliënt woont al op deze afdeling.")})
    current = (
        Placement.objects.for_organisation(organisation)
        .select_for_update()
        .filter(client=client, end_date__isnull=True)
        .first()
    )
    start = current.start_date if current else client.admission_date
    if on_date <= start:
        raise ValidationError(
            {
                "on_date": _("De verhuisdatum moet na %(date)s liggen (begin van de huidige plaatsing).")
                % {"date": _date(start)}
            }
        )
    if current is not None:
        current.end_date = on_date - datetime.timedelta(days=1)
        current.save(update_fields=["end_date"])
    placement = Placement.objects.create(
        organisation=organisation, client=client, department=department, start_date=on_date
    )
    client.department = department
    client.save(update_fields=["department", "updated_at"])
    return placement


@transaction.atomic
def client_discharge(*, client: Client, discharge_date: datetime.date, reason: str) -> Client:
    """Ends care: status discharged, the current placement ends on ``discharge_date``."""
    if not client.is_active:
        raise ValidationError(_("Deze cliënt is al uitgeschreven."))
    try:
        validate_care_date(discharge_date)
    except ValidationError as exc:
        raise ValidationError({"discharge_date": exc.messages}) from exc
    if discharge_date < client.admission_date:
        raise ValidationError(
            {
                "discharge_date": _("De datum van uitschrijving ligt vóór de opnamedatum (%(date)s).")
                % {"date": _date(client.admission_date)}
            }
        )
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Geef de reden van uitschrijving op.")})
    organisation = client.organisation
    current = (
        Placement.objects.for_organisation(organisation).filter(client=client, end_date__isnull=True).first()
    )
    if current is not None:
        if discharge_date < current.start_date:
            raise ValidationError(
                {
                    "discharge_date": _(
                        "De datum van uitschrijving ligt vóór het begin van de huidige plaatsing (%(date)s)."
                    )
                    % {"date": _date(current.start_date)}
                }
            )
        current.end_date = discharge_date
        current.save(update_fields=["end_date"])
    client.discharge_date = discharge_date
    client.discharge_reason = reason.strip()[:300]
    client.status = Client.Status.DISCHARGED
    client.save(update_fields=["discharge_date", "discharge_reason", "status", "updated_at"])
    from family.services import family_access_end_for_client  # the family's access ends too

    family_access_end_for_client(client=client, discharge_date=discharge_date)
    return client


# Contact persons -------------------------------------------------------------------------

CONTACT_FIELDS = ("name", "relation", "role", "phone", "email", "takes_part_in_conversations")


def _contact_check(contact: ContactPerson) -> None:
    contact.full_clean(exclude=["organisation", "client"], validate_constraints=False)
    if contact.role == ContactPerson.Role.LEGAL_REPRESENTATIVE:
        others = ContactPerson.objects.for_organisation(contact.organisation_id).filter(
            client_id=contact.client_id, role=ContactPerson.Role.LEGAL_REPRESENTATIVE
        )
        if contact.pk:
            others = others.exclude(pk=contact.pk)
        if others.count() >= 2:
            raise ValidationError(
                {"role": _("Een cliënt heeft hoogstens twee wettelijk vertegenwoordigers.")}
            )


@transaction.atomic
def contact_person_create(*, client: Client, **fields: Any) -> ContactPerson:
    data = {key: fields[key] for key in CONTACT_FIELDS if key in fields}
    contact = ContactPerson(organisation_id=client.organisation_id, client=client, **data)
    _contact_check(contact)
    contact.save()
    return contact


@transaction.atomic
def contact_person_update(*, contact: ContactPerson, **fields: Any) -> ContactPerson:
    for key in CONTACT_FIELDS:
        if key in fields:
            setattr(contact, key, fields[key])
    _contact_check(contact)
    contact.save()
    return contact


@transaction.atomic
def contact_person_delete(*, contact: ContactPerson) -> None:
    from family.services import family_access_end_for_contact  # their family access ends

    family_access_end_for_contact(contact=contact)
    contact.delete()


# Indications -----------------------------------------------------------------------------

INDICATION_FIELDS = (
    "decision_number",
    "care_profile",
    "with_treatment",
    "with_day_activities",
    "grondslag",
    "start_date",
    "end_date",
)


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
            % {"profile": care_profile, "date": _date(HISTORIC_LAST_START)},
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
                % {"profile": CareProfile(care_profile).label, "months": months, "date": _date(limit)},
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
                    "start": _date(other.start_date),
                    "end": _date(other.end_date),
                },
            )
    for other_start, other_end in others or []:
        if (end_date is None or other_start <= end_date) and (other_end is None or other_end >= start_date):
            add(
                "start_date",
                _(
                    "Deze indicatie overlapt met een andere indicatie van dezelfde cliënt (%(start)s tot %(end)s)."
                )
                % {"start": _date(other_start), "end": _date(other_end)},
            )
    return errors


def _save_indication(indication: Indication, *, check_historic: bool = True) -> Indication:
    errors = indication_errors(
        client=indication.client,
        care_profile=indication.care_profile,
        grondslag=indication.grondslag,
        start_date=indication.start_date,
        end_date=indication.end_date,
        decision_number=indication.decision_number,
        exclude_pk=indication.pk,
        check_historic=check_historic,
    )
    if errors:
        raise ValidationError(errors)
    indication.full_clean(exclude=["organisation", "client"], validate_constraints=False)
    try:
        with transaction.atomic():
            indication.save()
    except IntegrityError as exc:  # the database constraint (a concurrent write)
        raise ValidationError(
            {"start_date": _("Deze indicatie overlapt met een andere indicatie van deze cliënt.")}
        ) from exc
    return indication


@transaction.atomic
def indication_create(*, client: Client, **fields: Any) -> Indication:
    data = {key: fields[key] for key in INDICATION_FIELDS if key in fields}
    data["decision_number"] = (data.get("decision_number") or "").strip()
    indication = Indication(organisation_id=client.organisation_id, client=client, **data)
    # Lock the client so two concurrent writes cannot both pass the overlap check.
    Client.objects.for_organisation(client.organisation_id).select_for_update().filter(pk=client.pk).first()
    return _save_indication(indication)


@transaction.atomic
def indication_update(*, indication: Indication, **fields: Any) -> Indication:
    # An existing historic indication may still be corrected (e.g. its end date); changing its
    # profile or start date is checked like a new one.
    # (Read from the database: a ModelForm has already changed the instance it was given.)
    before = (
        Indication.objects.for_organisation(indication.organisation_id)
        .filter(pk=indication.pk)
        .values_list("care_profile", "start_date")
        .first()
    )
    for key in INDICATION_FIELDS:
        if key in fields:
            setattr(indication, key, fields[key])
    indication.decision_number = (indication.decision_number or "").strip()
    Client.objects.for_organisation(indication.organisation_id).select_for_update().filter(
        pk=indication.client_id
    ).first()
    return _save_indication(
        indication, check_historic=(indication.care_profile, indication.start_date) != tuple(before or ())
    )


@transaction.atomic
def indication_delete(*, indication: Indication) -> None:
    indication.delete()
