"""PostgreSQL-only SQL for the access log: the append-only trigger (migration ipvb 0002) and
the insert of the log's rows (``accesslog.record`` and ``accesslog.record_many``)."""

from __future__ import annotations

import copy
from typing import TYPE_CHECKING, Any, cast

from django.db import connections, router
from django.db.models import Model

from .migration_sql import postgresql_only

if TYPE_CHECKING:
    from .models_accesslog import AccessLogEntry

TRIGGER_SQL = [
    """CREATE OR REPLACE FUNCTION ipvb_accesslog_refuse_change() RETURNS trigger AS $$
       BEGIN
           RAISE EXCEPTION 'ipvb_accesslogentry is append-only: % refused', TG_OP
               USING ERRCODE = 'insufficient_privilege';
       END;
       $$ LANGUAGE plpgsql""",
    """CREATE TRIGGER ipvb_accesslog_append_only
       BEFORE UPDATE OR DELETE ON ipvb_accesslogentry
       FOR EACH ROW EXECUTE FUNCTION ipvb_accesslog_refuse_change()""",
]

TRIGGER_REVERSE_SQL = [
    "DROP TRIGGER IF EXISTS ipvb_accesslog_append_only ON ipvb_accesslogentry",
    "DROP FUNCTION IF EXISTS ipvb_accesslog_refuse_change()",
]


forwards, backwards = postgresql_only(TRIGGER_SQL, TRIGGER_REVERSE_SQL)


def insert_per_client(template: AccessLogEntry, clients: list[int | None]) -> None:
    """Writes ``template`` once per client. On PostgreSQL one ``INSERT ... SELECT`` over the
    array of client ids, the request's columns prepared once: ``bulk_create`` prepared every
    column of every row again, most of the time a list page spent on its log (issue 16).
    Other databases (the SQLite demo): ``bulk_create`` of copies."""
    if not clients:
        return
    model = type(template)
    connection = connections[router.db_for_write(model)]
    if connection.vendor != "postgresql":
        entries = [copy.copy(template) for _ in clients]
        for entry, client in zip(entries, clients, strict=True):
            entry.client_id = client
        model.objects.bulk_create(entries)
        return
    sql, fields = _insert_statement(model, connection)
    params = [field.get_db_prep_save(field.pre_save(template, add=True), connection) for field in fields]
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, clients])


_STATEMENTS: dict[tuple[type[Model], str], tuple[str, list[Any]]] = {}


def _insert_statement(model: type[Model], connection: Any) -> tuple[str, list[Any]]:
    """The ``INSERT ... SELECT ... FROM unnest`` of ``model`` and the fields whose values it
    takes (every concrete column but the key and the client), built once per process."""
    key = (model, connection.alias)
    found = _STATEMENTS.get(key)
    if found is None:
        quote = connection.ops.quote_name
        columns, values, fields = [], [], []
        for field in model._meta.concrete_fields:
            if field.primary_key:
                continue
            columns.append(quote(cast(str, field.column)))
            if field.attname == "client_id":
                values.append("client.id")
            else:
                values.append("%s")
                fields.append(field)
        sql = (
            f"INSERT INTO {quote(model._meta.db_table)} ({', '.join(columns)}) "  # noqa: S608 - names from the model
            f"SELECT {', '.join(values)} FROM unnest(%s::bigint[]) AS client(id)"
        )
        found = _STATEMENTS[key] = (sql, fields)
    return found
