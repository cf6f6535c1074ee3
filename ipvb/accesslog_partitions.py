"""The access log partitioned by month on PostgreSQL, and its retention (docs/security.md).

* ``ipvb_accesslogentry`` is a table partitioned by range of ``created_at``: one partition per
  calendar month (UTC), named ``ipvb_accesslogentry_pYYYY_MM``, plus a default partition that
  only catches rows when a month's partition is missing. The append-only trigger sits on the
  partitioned table (and so on every partition); the app role may only INSERT and SELECT the
  partitioned table and has no right on the partitions themselves.
* ``ipvb_accesslog_create_partitions(months_ahead)`` (SECURITY DEFINER, owned by the owner
  role) creates the partitions of this month and the next ones; the app role may call it
  (the Celery beat task ``ipvb.tasks.create_accesslog_partitions``), nothing else.
* ``manage.py accesslog_partitions`` (run as the owner) creates them too and drops whole
  partitions older than ``IPVB_ACCESSLOG_RETENTION_YEARS`` (default 5): no row is ever
  deleted one by one.
"""

from __future__ import annotations

import datetime
import re
from typing import Any

TABLE = "ipvb_accesslogentry"
DEFAULT_PARTITION = f"{TABLE}_default"
PARTITION_RE = re.compile(rf"^{TABLE}_p(\d{{4}})_(\d{{2}})$")
CREATE_FUNCTION = "ipvb_accesslog_create_partitions"

FUNCTION_SQL = f"""
CREATE OR REPLACE FUNCTION {CREATE_FUNCTION}(months_ahead integer) RETURNS integer
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public AS $$
DECLARE
    first_month date := date_trunc('month', now() AT TIME ZONE 'UTC')::date;
    month date;
    partition_name text;
    created integer := 0;
BEGIN
    IF months_ahead IS NULL OR months_ahead < 0 OR months_ahead > 24 THEN
        RAISE EXCEPTION 'months_ahead must be between 0 and 24';
    END IF;
    FOR i IN 0..months_ahead LOOP
        month := (first_month + make_interval(months => i))::date;
        partition_name := format('{TABLE}_p%s', to_char(month, 'YYYY_MM'));
        IF to_regclass('public.' || partition_name) IS NULL THEN
            BEGIN
                EXECUTE format(
                    'CREATE TABLE public.%I PARTITION OF public.{TABLE} FOR VALUES FROM (%L) TO (%L)',
                    partition_name,
                    month::timestamp AT TIME ZONE 'UTC',
                    (month + interval '1 month')::timestamp AT TIME ZONE 'UTC'
                );
                created := created + 1;
            EXCEPTION WHEN check_violation THEN
                RAISE WARNING 'partition % not created: the default partition holds rows of that month',
                    partition_name;
            END;
        END IF;
    END LOOP;
    RETURN created;
END $$
"""  # noqa: S608 constants only


def month_start(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def add_months(month: datetime.date, count: int) -> datetime.date:
    index = month.year * 12 + month.month - 1 + count
    return datetime.date(index // 12, index % 12 + 1, 1)


def partition_name(month: datetime.date) -> str:
    return f"{TABLE}_p{month.year:04d}_{month.month:02d}"


def partition_month(name: str) -> datetime.date | None:
    match = PARTITION_RE.match(name)
    return datetime.date(int(match.group(1)), int(match.group(2)), 1) if match else None


def retention_cutoff(today: datetime.date, years: int) -> datetime.date:
    """Partitions whose whole month lies before this date are dropped: a row is kept at least
    ``years`` years (and at most one month longer)."""
    first = month_start(today)
    return first.replace(year=first.year - years)


def partitions_to_drop(names: list[str], today: datetime.date, years: int) -> list[str]:
    cutoff = retention_cutoff(today, years)
    drop = []
    for name in names:
        month = partition_month(name)
        if month is not None and add_months(month, 1) <= cutoff:
            drop.append(name)
    return sorted(drop)


def _bound(month: datetime.date) -> str:
    return f"{month.isoformat()} 00:00:00+00"


def create_partition_sql(month: datetime.date) -> str:
    return (
        f"CREATE TABLE IF NOT EXISTS {partition_name(month)} PARTITION OF {TABLE} "
        f"FOR VALUES FROM ('{_bound(month)}') TO ('{_bound(add_months(month, 1))}')"
    )


def is_partitioned(connection: Any) -> bool:
    if connection.vendor != "postgresql":
        return False
    with connection.cursor() as cursor:
        cursor.execute("SELECT relkind FROM pg_class WHERE oid = to_regclass(%s)", [TABLE])
        row = cursor.fetchone()
    return bool(row and row[0] == "p")


def partitions(connection: Any) -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid "
            "WHERE i.inhparent = to_regclass(%s) ORDER BY c.relname",
            [TABLE],
        )
        return [row[0] for row in cursor.fetchall()]


def create_ahead(connection: Any, months_ahead: int) -> int:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {CREATE_FUNCTION}(%s)", [months_ahead])
        return int(cursor.fetchone()[0])


def default_partition_rows(connection: Any) -> int:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM {DEFAULT_PARTITION}")  # noqa: S608 constant
        return int(cursor.fetchone()[0])


# The migration (ipvb 0006) ------------------------------------------------------------------


def _runner(schema_editor: Any) -> Any:
    def run(sql: str) -> None:
        schema_editor.execute(sql, params=None)  # no placeholders: the function body has % signs

    return run


def _fetch(schema_editor: Any, sql: str, params: list | None = None) -> list[tuple]:
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(sql, params)
        return list(cursor.fetchall())


def partition_forwards(apps: Any, schema_editor: Any) -> None:
    """Turns the plain table into a partitioned one, keeping every row, index, the foreign
    key and the append-only trigger."""
    if schema_editor.connection.vendor != "postgresql" or is_partitioned(schema_editor.connection):
        return
    from .accesslog_sql import TRIGGER_SQL

    old = f"{TABLE}_unpartitioned"
    indexes = _fetch(
        schema_editor,
        "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = %s AND indexname <> %s",
        [TABLE, f"{TABLE}_pkey"],
    )
    foreign_keys = _fetch(
        schema_editor,
        "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
        "WHERE conrelid = to_regclass(%s) AND contype = 'f'",
        [TABLE],
    )
    span = _fetch(schema_editor, f"SELECT min(created_at), max(id) FROM {TABLE}")[0]  # noqa: S608
    first_row, max_id = span
    run = _runner(schema_editor)
    run(f"ALTER TABLE {TABLE} RENAME TO {old}")
    run(f"ALTER SEQUENCE IF EXISTS {TABLE}_id_seq RENAME TO {old}_id_seq")
    run(
        f"CREATE TABLE {TABLE} (LIKE {old} INCLUDING DEFAULTS INCLUDING STORAGE) PARTITION BY RANGE (created_at)"
    )
    run(f"ALTER TABLE {TABLE} ALTER COLUMN id ADD GENERATED BY DEFAULT AS IDENTITY")
    today = datetime.datetime.now(tz=datetime.UTC).date()
    month = month_start(first_row.astimezone(datetime.UTC).date()) if first_row else month_start(today)
    last = add_months(month_start(today), 3)
    while month <= last:
        run(create_partition_sql(month))
        month = add_months(month, 1)
    run(f"CREATE TABLE {DEFAULT_PARTITION} PARTITION OF {TABLE} DEFAULT")
    run(f"INSERT INTO {TABLE} SELECT * FROM {old}")  # noqa: S608 constants
    run(f"ALTER TABLE {TABLE} ALTER COLUMN id RESTART WITH {int(max_id or 0) + 1}")
    run(f"DROP TABLE {old}")
    run(f"ALTER TABLE {TABLE} ADD CONSTRAINT {TABLE}_pkey PRIMARY KEY (id, created_at)")
    for _name, definition in indexes:
        run(
            definition.replace(f" ON public.{old} ", f" ON public.{TABLE} ").replace(
                f" ON {old} ", f" ON {TABLE} "
            )
        )
    for name, definition in foreign_keys:
        run(f"ALTER TABLE {TABLE} ADD CONSTRAINT {name} {definition}")
    for statement in TRIGGER_SQL:
        run(statement)
    run(FUNCTION_SQL)
    run(f"REVOKE ALL ON FUNCTION {CREATE_FUNCTION}(integer) FROM PUBLIC")


def partition_backwards(apps: Any, schema_editor: Any) -> None:
    """Back to one plain table (every row kept)."""
    if schema_editor.connection.vendor != "postgresql" or not is_partitioned(schema_editor.connection):
        return
    from .accesslog_sql import TRIGGER_SQL

    old = f"{TABLE}_partitioned"
    indexes = _fetch(
        schema_editor,
        "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = %s AND indexname <> %s",
        [TABLE, f"{TABLE}_pkey"],
    )
    foreign_keys = _fetch(
        schema_editor,
        "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
        "WHERE conrelid = to_regclass(%s) AND contype = 'f' AND conparentid = 0",
        [TABLE],
    )
    max_id = _fetch(schema_editor, f"SELECT max(id) FROM {TABLE}")[0][0]  # noqa: S608
    run = _runner(schema_editor)
    run(f"DROP FUNCTION IF EXISTS {CREATE_FUNCTION}(integer)")
    run(f"ALTER TABLE {TABLE} RENAME TO {old}")
    run(f"ALTER SEQUENCE IF EXISTS {TABLE}_id_seq RENAME TO {old}_id_seq")
    run(f"CREATE TABLE {TABLE} (LIKE {old} INCLUDING DEFAULTS INCLUDING STORAGE)")
    run(f"ALTER TABLE {TABLE} ALTER COLUMN id ADD GENERATED BY DEFAULT AS IDENTITY")
    run(f"INSERT INTO {TABLE} SELECT * FROM {old}")  # noqa: S608 constants
    run(f"ALTER TABLE {TABLE} ALTER COLUMN id RESTART WITH {int(max_id or 0) + 1}")
    run(f"DROP TABLE {old} CASCADE")
    run(f"ALTER TABLE {TABLE} ADD CONSTRAINT {TABLE}_pkey PRIMARY KEY (id)")
    for _name, definition in indexes:
        run(
            definition.replace(f" ON ONLY public.{old} ", f" ON public.{TABLE} ").replace(
                f" ON public.{old} ", f" ON public.{TABLE} "
            )
        )
    for name, definition in foreign_keys:
        run(f"ALTER TABLE {TABLE} ADD CONSTRAINT {name} {definition}")
    for statement in TRIGGER_SQL:
        run(statement)
