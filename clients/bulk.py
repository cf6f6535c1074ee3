"""Bulk onboarding (issue 16): many clients with their first placement and indications,
validated like ``services.client_create`` and ``services.indication_create`` and written in
batches (``bulk_create``), in a fixed number of queries per batch instead of ~170 per client.
With ``copy=True`` (the synthetic generator) the rows go in with PostgreSQL's ``COPY``
(``insert_rows``), ids reserved from the sequences first (``reserve_ids``).

All or nothing: with any error nothing is saved and the errors come back per row (Dutch
messages, keyed by field). The client import uses this path for large files
(``importing.BULK_FROM_ROWS``); the synthetic generator (``clients.synthetic``) uses it too."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, models, transaction
from django.utils import timezone
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
    *, organisation: Organisation, rows: list[NewClient], batch_size: int = BATCH_SIZE, copy: bool = False
) -> BulkResult:
    """Every row validated first; with any error nothing is saved (``result.errors``). Else the
    clients, their first placement and their indications are inserted in batches (``copy``:
    with ``insert_rows``, for large loads; the clients get their ids all the same)."""
    clients, result = validate(organisation=organisation, rows=rows)
    if result.errors:
        return BulkResult(clients=[], indications=[], errors=result.errors)
    if copy:
        _copy_clients(organisation, clients, result.indications)
        return result
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


def _copy_clients(organisation: Organisation, clients: list[Client], indications: list[Indication]) -> None:
    for client, pk in zip(clients, reserve_ids(Client, len(clients)), strict=True):
        client.pk = pk
    insert_instances(Client, clients)
    insert_rows(
        Placement,
        ("organisation_id", "client_id", "department_id", "start_date"),
        [(organisation.pk, c.pk, c.department_id, c.admission_date) for c in clients],
    )
    for indication, pk in zip(indications, reserve_ids(Indication, len(indications)), strict=True):
        indication.pk = pk
        indication.client_id = indication.client.pk
    insert_instances(Indication, indications)


# Fields whose Python values PostgreSQL's adapters take as they are (``get_db_prep_save`` is the
# identity for them on PostgreSQL); every other field (decimals, JSON, the encrypted BSN) is
# converted by its own ``get_db_prep_save``. Exact types: a subclass may convert.
_AS_IS = frozenset(
    {
        models.BigAutoField,
        models.AutoField,
        models.BigIntegerField,
        models.IntegerField,
        models.PositiveIntegerField,
        models.PositiveSmallIntegerField,
        models.SmallIntegerField,
        models.CharField,
        models.TextField,
        models.EmailField,
        models.BooleanField,
        models.DateField,
        models.DateTimeField,
        models.ForeignKey,
    }
)
_COPY_REFUSED = "_ipvb_copy_refused"  # marker on the connection: COPY FROM refused (RLS)


def reserve_ids(model: type[models.Model], count: int) -> list[int]:
    """``count`` primary keys for ``model`` taken from its sequence in one query (PostgreSQL;
    safe with concurrent writers). Elsewhere (SQLite, one writer): the ids after the largest."""
    if count <= 0:
        return []
    table, column = model._meta.db_table, str(model._meta.pk.column)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                [table, column, count],
            )
            return [row[0] for row in cursor.fetchall()]
        name = connection.ops.quote_name
        cursor.execute(f"SELECT COALESCE(MAX({name(column)}), 0) FROM {name(table)}")  # noqa: S608 model names
        first = int(cursor.fetchone()[0]) + 1
        return list(range(first, first + count))


def _defaults(fields: Sequence[models.Field[Any, Any]]) -> list[Any]:
    now = timezone.now()
    return [
        now if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False) else f.get_default()
        for f in fields
    ]


def insert_rows(model: type[models.Model], columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
    """Inserts ``rows`` (values in the order of ``columns``, attribute names, Python values as
    the model holds them) into ``model``'s table; the columns not given get the model's
    defaults (``auto_now`` fields: now), the primary key its sequence unless given. With
    PostgreSQL's ``COPY`` where the role may (PostgreSQL refuses ``COPY FROM`` into a table
    under row-level security for a role that does not bypass it: the application role), else
    with batched ``INSERT`` statements. Model ``save()`` and signals are not run (like
    ``bulk_create``)."""
    if not rows:
        return
    by_name = {f.attname: f for f in model._meta.concrete_fields}
    given = [by_name[name] for name in columns]
    rest = [f for f in model._meta.concrete_fields if f.attname not in columns and not f.primary_key]
    postgres = connection.vendor == "postgresql"

    def converter(f: models.Field[Any, Any]) -> Any:
        if postgres and type(f) in _AS_IS:
            return None
        return lambda value: f.get_db_prep_save(value, connection)

    converters = [(k, c) for k, c in enumerate(map(converter, given)) if c is not None]
    extra = [
        value if converter(f) is None else f.get_db_prep_save(value, connection)
        for f, value in zip(rest, _defaults(rest), strict=True)
    ]
    prepared: list[Sequence[Any]] = []
    for row in rows:
        if converters:
            values = list(row)
            for k, convert in converters:
                values[k] = convert(values[k])
            row = values
        prepared.append((*row, *extra) if extra else row)
    names = [connection.ops.quote_name(str(f.column)) for f in given + rest]
    table = connection.ops.quote_name(model._meta.db_table)
    if postgres and not getattr(connection, _COPY_REFUSED, False):
        import psycopg

        try:
            statement = f"COPY {table} ({', '.join(names)}) FROM STDIN"
            with transaction.atomic(), connection.cursor() as cursor, cursor.cursor.copy(statement) as copy:
                for row in prepared:
                    copy.write_row(row)
            return
        except psycopg.errors.FeatureNotSupported:
            setattr(connection, _COPY_REFUSED, True)  # RLS applies to this role: INSERT instead
    sql = f"INSERT INTO {table} ({', '.join(names)}) VALUES "  # noqa: S608 model names
    one = "(" + ", ".join(["%s"] * len(names)) + ")"
    with connection.cursor() as cursor:
        for start in range(0, len(prepared), BATCH_SIZE // 4):
            chunk = prepared[start : start + BATCH_SIZE // 4]
            cursor.execute(sql + ", ".join([one] * len(chunk)), [value for row in chunk for value in row])


def insert_instances(model: type[models.Model], objs: Sequence[models.Model]) -> None:
    """``insert_rows`` for model instances: every concrete field, the primary key included
    (reserve it with ``reserve_ids``), through the fields' ``pre_save`` like ``bulk_create``
    (``auto_now``, the BSN hash)."""
    fields = list(model._meta.concrete_fields)
    insert_rows(model, [f.attname for f in fields], [[f.pre_save(obj, True) for f in fields] for obj in objs])


__all__ = [
    "BATCH_SIZE",
    "BulkResult",
    "NewClient",
    "NewIndication",
    "clients_bulk_create",
    "insert_instances",
    "insert_rows",
    "reserve_ids",
    "validate",
]


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


def settle_after_bulk_load() -> None:
    """What autovacuum does in time after a bulk load, done at once: fresh planner statistics,
    and on PostgreSQL the visibility map set, so that index-only scans (a list's count) need
    not visit the table (autovacuum may be off, as on the benchmark machine: the count of
    42,000 package lines took 17 ms instead of 5 ms). Inside a transaction (a test) VACUUM
    cannot run: ANALYZE only."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql" and not connection.in_atomic_block:
            cursor.execute("VACUUM (ANALYZE)")
        else:
            cursor.execute("ANALYZE")
