"""Writes of the clients app. Each service owns its transaction and raises a Django
ValidationError with a Dutch message (keyed by field where one is to blame)."""

from __future__ import annotations

import datetime
import enum
from typing import Final

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from ipvb.models import Department, Organisation
from ipvb.validators import validate_care_date

from . import rules
from .formulas import split_surname
from .models import Client, ContactPerson, Indication, Placement


class Unchanged(enum.Enum):
    """The value of an update argument that is not given: the field keeps its value."""

    UNCHANGED = "unchanged"


UNCHANGED: Final = Unchanged.UNCHANGED


def _set_given(instance: Client | ContactPerson | Indication, **values: object) -> None:
    for key, value in values.items():
        if value is not UNCHANGED:
            setattr(instance, key, value)


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
    rules.check_department(organisation=organisation, department=department)
    value = rules.bsn_clean(organisation=organisation, bsn=bsn)
    rules.check_person_dates(date_of_birth=date_of_birth, admission_date=admission_date)
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
        client.bsn = rules.bsn_clean(organisation=organisation, bsn=bsn, exclude_pk=client.pk)
    rules.check_person_dates(date_of_birth=date_of_birth, admission_date=admission_date)
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
    rules.check_department(organisation=organisation, department=department)
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
                % {"date": rules.display_date(start)}
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
                % {"date": rules.display_date(client.admission_date)}
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
                    % {"date": rules.display_date(current.start_date)}
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
def contact_person_create(
    *,
    client: Client,
    name: str,
    relation: str = "",
    role: str = ContactPerson.Role.OTHER,
    phone: str = "",
    email: str = "",
    takes_part_in_conversations: bool = False,
) -> ContactPerson:
    contact = ContactPerson(
        organisation_id=client.organisation_id,
        client=client,
        name=name,
        relation=relation,
        role=role,
        phone=phone,
        email=email,
        takes_part_in_conversations=takes_part_in_conversations,
    )
    _contact_check(contact)
    contact.save()
    return contact


@transaction.atomic
def contact_person_update(
    *,
    contact: ContactPerson,
    name: str | Unchanged = UNCHANGED,
    relation: str | Unchanged = UNCHANGED,
    role: str | Unchanged = UNCHANGED,
    phone: str | Unchanged = UNCHANGED,
    email: str | Unchanged = UNCHANGED,
    takes_part_in_conversations: bool | Unchanged = UNCHANGED,
) -> ContactPerson:
    _set_given(
        contact,
        name=name,
        relation=relation,
        role=role,
        phone=phone,
        email=email,
        takes_part_in_conversations=takes_part_in_conversations,
    )
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


def _save_indication(indication: Indication, *, check_historic: bool = True) -> Indication:
    errors = rules.indication_errors(
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
def indication_create(
    *,
    client: Client,
    care_profile: str,
    grondslag: str,
    start_date: datetime.date,
    end_date: datetime.date | None = None,
    decision_number: str = "",
    with_treatment: bool = False,
    with_day_activities: bool = True,
) -> Indication:
    indication = Indication(
        organisation_id=client.organisation_id,
        client=client,
        decision_number=(decision_number or "").strip(),
        care_profile=care_profile,
        with_treatment=with_treatment,
        with_day_activities=with_day_activities,
        grondslag=grondslag,
        start_date=start_date,
        end_date=end_date,
    )
    # Lock the client so two concurrent writes cannot both pass the overlap check.
    Client.objects.for_organisation(client.organisation_id).select_for_update().filter(pk=client.pk).first()
    return _save_indication(indication)


@transaction.atomic
def indication_update(
    *,
    indication: Indication,
    care_profile: str | Unchanged = UNCHANGED,
    grondslag: str | Unchanged = UNCHANGED,
    start_date: datetime.date | Unchanged = UNCHANGED,
    end_date: datetime.date | Unchanged | None = UNCHANGED,
    decision_number: str | Unchanged = UNCHANGED,
    with_treatment: bool | Unchanged = UNCHANGED,
    with_day_activities: bool | Unchanged = UNCHANGED,
) -> Indication:
    # An existing historic indication may still be corrected (e.g. its end date); changing its
    # profile or start date is checked like a new one.
    # (Read from the database: a ModelForm has already changed the instance it was given.)
    before = (
        Indication.objects.for_organisation(indication.organisation_id)
        .filter(pk=indication.pk)
        .values_list("care_profile", "start_date")
        .first()
    )
    _set_given(
        indication,
        care_profile=care_profile,
        grondslag=grondslag,
        start_date=start_date,
        end_date=end_date,
        decision_number=decision_number,
        with_treatment=with_treatment,
        with_day_activities=with_day_activities,
    )
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
