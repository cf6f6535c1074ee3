"""Access-log partitions (ipvb.accesslog_partitions): creates this month's and the next
months' partitions and drops whole partitions older than the retention period
(IPVB_ACCESSLOG_RETENTION_YEARS, default 5). Runs as the owner role; idempotent."""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connections, transaction

from ipvb import accesslog_partitions as parts
from ipvb import db_roles


class Command(BaseCommand):
    help = "Creates the next months' access-log partitions and drops those older than the retention period."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--database", default="default")
        parser.add_argument(
            "--ahead", type=int, default=3, help="Months to create ahead (default 3, at most 24)."
        )
        parser.add_argument(
            "--retention-years",
            type=int,
            default=None,
            help="Override IPVB_ACCESSLOG_RETENTION_YEARS (at least 1).",
        )
        parser.add_argument("--dry-run", action="store_true", help="Only show what would be dropped.")
        parser.add_argument(
            "--today",
            default=None,
            help="Compute the retention as of this date (YYYY-MM-DD); default today (UTC).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        alias = options["database"]
        years = options["retention_years"] or int(settings.IPVB_ACCESSLOG_RETENTION_YEARS)
        if years < 1:
            raise CommandError("De bewaartermijn is minstens 1 jaar.")
        if not 0 <= options["ahead"] <= 24:
            raise CommandError("--ahead ligt tussen 0 en 24.")
        try:
            today = datetime.date.fromisoformat(options["today"]) if options["today"] else None
        except ValueError as exc:
            raise CommandError("--today is een datum als JJJJ-MM-DD.") from exc
        today = today or datetime.datetime.now(tz=datetime.UTC).date()
        with db_roles.as_owner(alias):
            connection = connections[alias]
            if not parts.is_partitioned(connection):
                self.stdout.write("Het toegangslog is niet gepartitioneerd (geen PostgreSQL): niets te doen.")
                return
            with transaction.atomic(using=alias):
                created = parts.create_ahead(connection, options["ahead"])
                drop = parts.partitions_to_drop(parts.partitions(connection), today, years)
                if not options["dry_run"]:
                    with connection.cursor() as cursor:
                        for name in drop:
                            cursor.execute(f"DROP TABLE {connection.ops.quote_name(name)}")
                waiting = parts.default_partition_rows(connection)
        verb = "zou verwijderen" if options["dry_run"] else "verwijderd"
        self.stdout.write(
            f"Bewaartermijn {years} jaar (alles vóór {parts.retention_cutoff(today, years).isoformat()}): "
            f"{len(drop)} partitie(s) {verb}{': ' + ', '.join(drop) if drop else ''}; "
            f"{created} nieuwe partitie(s) aangemaakt."
        )
        if waiting:
            self.stderr.write(
                f"Let op: {waiting} regel(s) in {parts.DEFAULT_PARTITION} (een maandpartitie ontbrak)."
            )
