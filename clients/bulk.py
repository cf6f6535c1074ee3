"""Bulk onboarding (issue 16): many clients with their first placement and indications,
validated like ``services.client_create`` and ``services.indication_create`` and written in
batches (``bulk_create``), in a fixed number of queries per batch instead of ~170 per client.

All or nothing: with any error nothing is saved and the errors come back per row (Dutch
messages, keyed by field). The client import uses this path for large files
(``importing.BULK_FROM_ROWS``); the synthetic generator (``clients.synthetic``) uses it too."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from ipvb.models import Department, Organisation

from . import bsn_crypto
from .formulas import bsn_is_valid, normalise_bsn, split_surname
from .models import Client, Indication, Placement
from .rules import check_department, check_person_dates, indication_errors

BATCH_SIZE = 1000


@dataclass
class NewIndication:
    decision_number: str
    care_profile: str
    grondslag: str
    start_date: datetime.date
    end_date: datetime.date | None = None
    with_treatment: bool = False
    with_day_activities: bool = True


@dataclass
class NewClient:
    department: Department
    given_name: str
    family_name: str
    date_of_birth: datetime.date
    bsn: str
    admission_date: datetime.date
    name_prefix: str = ""
    wishes: str = ""
    indications: list[NewIndication] = field(default_factory=list)


@dataclass
class BulkResult:
    clients: list[Client]
    indications: list[Indication]
    errors: dict[int, dict[str, list[str]]]  # row index -> {field: [messages]}

    @property
    def ok(self) -> bool:
        return not self.errors


def _messages(exc: ValidationError) -> dict[str, list[str]]:
    if hasattr(exc, "error_dict"):
        return {name: [str(m) for m in messages] for name, messages in exc.message_dict.items()}
    return {"__all__": [str(m) for m in exc.messages]}


def _clean_bsn(value: str, *, taken: set[str], seen: set[str]) -> tuple[str, str]:
    """The normalised BSN and its digest, checked like ``rules.bsn_clean`` (``taken``: the
    organisation's digests; ``seen``: the digests of earlier rows of this batch)."""
    bsn = normalise_bsn(value)
    if len(bsn) != 9 or not bsn.isdigit():
        raise ValidationError(
            {"bsn": _("Een BSN bestaat uit 9 cijfers (of 8 cijfers, dan komt er een 0 voor).")}
        )
    if not bsn_is_valid(bsn):
        raise ValidationError(
            {"bsn": _("Dit BSN klopt niet: het voldoet niet aan de elfproef. Controleer het nummer.")}
        )
    digest = bsn_crypto.digest(bsn)
    if digest in taken or digest in seen:
        raise ValidationError({"bsn": _("Er is al een cliënt met dit BSN in uw organisatie.")})
    return bsn, digest


def validate(*, organisation: Organisation, rows: list[NewClient]) -> tuple[list[Client], BulkResult]:
    """Checks every row (one query for the BSNs already in the organisation); builds the unsaved
    clients and indications."""
    taken = set(
        Client.objects.for_organisation(organisation)
        .with_bsns([normalise_bsn(row.bsn) for row in rows])
        .values_list("bsn_hash", flat=True)
    )
    seen: set[str] = set()
    clients: list[Client] = []
    indications: list[Indication] = []
    errors: dict[int, dict[str, list[str]]] = {}
    for index, row in enumerate(rows):
        try:
            check_department(organisation=organisation, department=row.department)
            bsn, digest = _clean_bsn(row.bsn, taken=taken, seen=seen)
            check_person_dates(date_of_birth=row.date_of_birth, admission_date=row.admission_date)
            prefix, surname = split_surname(row.family_name, row.name_prefix)
            client = Client(
                organisation=organisation,
                department=row.department,
                given_name=row.given_name.strip(),
                name_prefix=prefix,
                family_name=surname,
                date_of_birth=row.date_of_birth,
                bsn=bsn,
                bsn_hash=digest,
                admission_date=row.admission_date,
                wishes=row.wishes,
            )
            # The department was checked above (no query per row for its existence).
            client.full_clean(exclude=["organisation", "bsn", "department"], validate_constraints=False)
            periods: list[tuple[datetime.date, datetime.date | None]] = []
            own: list[Indication] = []
            for new in row.indications:
                problems = indication_errors(
                    client=client,
                    care_profile=new.care_profile,
                    grondslag=new.grondslag,
                    start_date=new.start_date,
                    end_date=new.end_date,
                    decision_number=new.decision_number,
                    others=periods,
                )
                if problems:
                    raise ValidationError(problems)
                indication = Indication(
                    organisation=organisation,
                    client=client,
                    decision_number=new.decision_number.strip(),
                    care_profile=new.care_profile,
                    grondslag=new.grondslag,
                    start_date=new.start_date,
                    end_date=new.end_date,
                    with_treatment=new.with_treatment,
                    with_day_activities=new.with_day_activities,
                )
                indication.full_clean(exclude=["organisation", "client"], validate_constraints=False)
                periods.append((new.start_date, new.end_date))
                own.append(indication)
        except ValidationError as exc:
            errors[index] = _messages(exc)
            continue
        seen.add(digest)
        clients.append(client)
        indications.extend(own)
    return clients, BulkResult(clients=clients, indications=indications, errors=errors)


@transaction.atomic
def clients_bulk_create(
    *, organisation: Organisation, rows: list[NewClient], batch_size: int = BATCH_SIZE
) -> BulkResult:
    """Every row validated first; with any error nothing is saved (``result.errors``). Else the
    clients, their first placement and their indications are inserted in batches."""
    clients, result = validate(organisation=organisation, rows=rows)
    if result.errors:
        return BulkResult(clients=[], indications=[], errors=result.errors)
    try:
        with transaction.atomic():
            Client.objects.bulk_create(clients, batch_size=batch_size)
    except IntegrityError as exc:  # a concurrent insert of one of the BSNs
        raise ValidationError({"bsn": _("Er is al een cliënt met dit BSN in uw organisatie.")}) from exc
    Placement.objects.bulk_create(
        [
            Placement(
                organisation=organisation,
                client=client,
                department=client.department,
                start_date=client.admission_date,
            )
            for client in clients
        ],
        batch_size=batch_size,
    )
    Indication.objects.bulk_create(result.indications, batch_size=batch_size)
    return result


__all__ = ["BATCH_SIZE", "BulkResult", "NewClient", "NewIndication", "clients_bulk_create", "validate"]


def _iso(value: str | None) -> datetime.date | None:
    return datetime.date.fromisoformat(value) if value else None


def rows_from_import(rows: list[Any], *, departments: dict[int, Department]) -> list[NewClient]:
    """The checked rows of a client import (``import_checks.ImportRow``; one row per indication,
    several rows of one BSN are one client) as bulk rows."""
    by_bsn: dict[str, NewClient] = {}
    for row in rows:
        data = row.data
        client = by_bsn.get(data["bsn"])
        if client is None:
            client = by_bsn[data["bsn"]] = NewClient(
                department=departments[data["department"]],
                given_name=data["given_name"],
                family_name=data["family_name"],
                name_prefix=data.get("name_prefix", ""),
                date_of_birth=datetime.date.fromisoformat(data["date_of_birth"]),
                bsn=data["bsn"],
                admission_date=datetime.date.fromisoformat(data["admission_date"]),
                wishes=data["wishes"],
            )
        indication = data.get("indication")
        if indication:
            client.indications.append(
                NewIndication(
                    decision_number=indication["decision_number"],
                    care_profile=indication["care_profile"],
                    with_treatment=indication["with_treatment"],
                    with_day_activities=indication["with_day_activities"],
                    grondslag=indication["grondslag"],
                    start_date=datetime.date.fromisoformat(indication["start_date"]),
                    end_date=_iso(indication["end_date"]),
                )
            )
    return list(by_bsn.values())
