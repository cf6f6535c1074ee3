"""PostgreSQL-only SQL for the access log (used by migration ipvb 0002)."""

from .migration_sql import postgresql_only

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
