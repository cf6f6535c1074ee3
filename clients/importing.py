"""Import of clients and indications from a CSV or XLSX export of an ECD.

Two steps: ``import_preview`` reads the file and checks every row (nothing is saved; the
preview lists every row's errors); when there are none, ``import_confirm`` saves all rows in
one transaction, or nothing. Between the two the checked rows travel in a signed token bound
to the organisation and the user, and are checked again before saving.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.core import signing
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from ipvb.models import Department, Organisation

from . import services
from .import_checks import ImportPreview, ImportRow, check_rows, date_or_none
from .import_reading import ImportFileError, raw_rows
from .models import Client

TOKEN_SALT = "clients.import"
TOKEN_MAX_AGE = 60 * 60  # seconds


def import_preview(*, organisation: Organisation, name: str, content: bytes) -> ImportPreview:
    try:
        rows = raw_rows(name=name, content=content)
    except ImportFileError as exc:
        return ImportPreview(file_errors=[str(exc)])
    return check_rows(organisation=organisation, rows=rows)


# The token between the two steps, and saving --------------------------------------------


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
            start_date=datetime.date.fromisoformat(indication["start_date"]),
            end_date=date_or_none(indication["end_date"]),
        )
