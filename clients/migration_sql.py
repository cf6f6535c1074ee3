"""PostgreSQL-only SQL of the clients migrations (SQLite, the demo database, skips it; the
same rules are validated in services, forms and the API)."""

from __future__ import annotations

from ipvb.migration_sql import postgresql_only

OVERLAP_SQL = [
    "CREATE EXTENSION IF NOT EXISTS btree_gist",
    # The indications of one client never overlap (end date inclusive; open end = infinite).
    """ALTER TABLE clients_indication ADD CONSTRAINT indication_no_overlap_per_client
       EXCLUDE USING gist (
           organisation_id WITH =,
           client_id WITH =,
           daterange(start_date, end_date, '[]') WITH &&
       )""",
    # Placements of one client never overlap either (one department at a time).
    """ALTER TABLE clients_placement ADD CONSTRAINT placement_no_overlap_per_client
       EXCLUDE USING gist (
           organisation_id WITH =,
           client_id WITH =,
           daterange(start_date, end_date, '[]') WITH &&
       )""",
]

OVERLAP_REVERSE_SQL = [
    "ALTER TABLE clients_indication DROP CONSTRAINT IF EXISTS indication_no_overlap_per_client",
    "ALTER TABLE clients_placement DROP CONSTRAINT IF EXISTS placement_no_overlap_per_client",
]


forwards, backwards = postgresql_only(OVERLAP_SQL, OVERLAP_REVERSE_SQL)
