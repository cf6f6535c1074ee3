"""Raw SQL in migrations that only PostgreSQL runs (constraints and triggers SQLite, the demo
database, does not have; the same rules are checked in services, forms and the API)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from django.db.backends.base.schema import BaseDatabaseSchemaEditor
    from django.db.migrations.state import StateApps

    Step = Callable[[StateApps, BaseDatabaseSchemaEditor], None]


def run_on_postgresql(schema_editor: BaseDatabaseSchemaEditor, statements: Sequence[str]) -> None:
    """Runs ``statements`` as they are (no placeholders) on PostgreSQL; nothing elsewhere."""
    if schema_editor.connection.vendor != "postgresql":
        return
    for statement in statements:
        schema_editor.execute(statement, params=None)


def postgresql_only(statements: Sequence[str], reverse_statements: Sequence[str]) -> tuple[Step, Step]:
    """``(forwards, backwards)`` for ``migrations.RunPython``."""

    def forwards(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
        run_on_postgresql(schema_editor, statements)

    def backwards(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
        run_on_postgresql(schema_editor, reverse_statements)

    return forwards, backwards
