"""PostgreSQL-only SQL for the access log (used by migration ipvb 0002)."""

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


def _run(schema_editor, statements):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor != "postgresql":
        return
    for statement in statements:
        schema_editor.execute(statement, params=None)


def forwards(apps, schema_editor):  # type: ignore[no-untyped-def]
    _run(schema_editor, TRIGGER_SQL)


def backwards(apps, schema_editor):  # type: ignore[no-untyped-def]
    _run(schema_editor, TRIGGER_REVERSE_SQL)
