"""The demo data of ``manage.py load_demo``, built once per test session.

Loading the demo takes half a minute; the tests that work on it need the same rows each time.
The first test that asks for the ``demo`` fixture (tests/conftest.py) runs ``load_demo`` in a
transaction on the freshly migrated database, keeps the content of every table as JSON and
rolls the transaction back. Every test that asks for ``demo`` then gets the same rows inserted
again in a fraction of a second: inside its own transaction (rolled back after the test) or,
for the browser tests against the live server, committed (and flushed after the test as
usual).

``tests/ipvb/test_platform.py``'s idempotency test runs ``load_demo`` once more over these rows
and finds nothing changed."""

from __future__ import annotations

import io
from dataclasses import dataclass

from django.core.management import call_command
from django.db import connection, transaction

# Tables the database fills itself (migrations, post_migrate): never restored, and the demo
# must leave them as they were.
SKIPPED_TABLES = ("django_migrations", "django_content_type", "auth_permission")


@dataclass(frozen=True)
class TableRows:
    table: str
    columns: tuple[str, ...]
    rows: str  # a JSON array of row objects
    sequences: tuple[tuple[str, str], ...]  # (sequence, column)


def _tables() -> list[str]:
    """Every table of the schema (a partitioned table as one, without its partitions)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p') AND NOT c.relispartition "
            "ORDER BY c.relname"
        )
        return [row[0] for row in cursor.fetchall()]


def _content(table: str) -> tuple[int, str]:
    name = connection.ops.quote_name(table)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*), coalesce(json_agg(t), '[]')::text FROM {name} t")
        count, rows = cursor.fetchone()
    return int(count), str(rows)


def _columns_and_sequences(table: str) -> tuple[tuple[str, ...], tuple[tuple[str, str], ...]]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT a.attname, pg_get_serial_sequence(quote_ident(%s), a.attname) FROM pg_attribute a "
            "WHERE a.attrelid = quote_ident(%s)::regclass AND a.attnum > 0 AND NOT a.attisdropped "
            "AND a.attgenerated = '' ORDER BY a.attnum",
            [table, table],
        )
        found = cursor.fetchall()
    columns = tuple(name for name, _ in found)
    sequences = tuple((sequence, name) for name, sequence in found if sequence)
    return columns, sequences


def capture() -> list[TableRows]:
    """The rows of every table (but the ones the database fills itself)."""
    snapshot = []
    for table in _tables():
        if table in SKIPPED_TABLES:
            continue
        count, rows = _content(table)
        if count:
            columns, sequences = _columns_and_sequences(table)
            snapshot.append(TableRows(table, columns, rows, sequences))
    return snapshot


def build(migrated: list[TableRows]) -> list[TableRows]:
    """Runs ``load_demo`` on the freshly migrated database (``migrated``: the rows of the data
    migrations, which a transactional test's flush removes) in a transaction that is rolled
    back, and returns every row it leaves. Call outside any test transaction."""
    with transaction.atomic():
        restore(migrated)
        before = {table: _content(table) for table in SKIPPED_TABLES}
        call_command("load_demo", "--quiet-logins", stdout=io.StringIO())
        for table in SKIPPED_TABLES:
            if _content(table) != before[table]:
                raise RuntimeError(f"load_demo changed {table}; tests/demo.py cannot restore it")
        snapshot = capture()
        transaction.set_rollback(True)
    return snapshot


def restore(snapshot: list[TableRows]) -> None:
    """Inserts the demo rows again (rows already there, such as those of data migrations, are
    kept), in one transaction: foreign keys are checked at its end."""
    with transaction.atomic(), connection.cursor() as cursor:
        for part in snapshot:
            name = connection.ops.quote_name(part.table)
            columns = ", ".join(connection.ops.quote_name(column) for column in part.columns)
            cursor.execute(
                f"INSERT INTO {name} ({columns}) SELECT {columns} "
                f"FROM json_populate_recordset(NULL::{name}, %s::json) ON CONFLICT DO NOTHING",
                [part.rows],
            )
            for sequence, column in part.sequences:
                # The app role may not setval(): it draws numbers until the sequence is past
                # the restored keys.
                cursor.execute(
                    f"SELECT (SELECT max({connection.ops.quote_name(column)}) FROM {name}), "
                    f"last_value, is_called FROM {sequence}"
                )
                highest, last, called = cursor.fetchone()
                missing = highest - (last if called else last - 1)
                if missing > 0:
                    cursor.execute(
                        "SELECT count(nextval(%s)) FROM generate_series(1, %s)", [sequence, missing]
                    )
