"""Back-fills the weekly snapshots of past weeks from the dated data (idempotent)."""

from __future__ import annotations

import datetime
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from ipvb.models import Organisation
from ipvb.rls import organisation_context
from reporting.snapshots import snapshots_backfill


class Command(BaseCommand):
    help = "Takes the weekly snapshots of the last N ISO weeks for one or every organisation."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--weeks", type=int, default=26, help="Number of weeks (default 26).")
        parser.add_argument("--until", help="Last week to take, as a date (YYYY-MM-DD); default today.")
        parser.add_argument("--organisation", help="AGB code of one organisation; default all active.")

    def handle(self, *args: Any, **options: Any) -> None:
        weeks = options["weeks"]
        if not 1 <= weeks <= 520:
            raise CommandError("--weeks must be between 1 and 520.")
        until = None
        if options["until"]:
            try:
                until = datetime.date.fromisoformat(options["until"])
            except ValueError as exc:
                raise CommandError("--until must be a date as YYYY-MM-DD.") from exc
        organisations = Organisation.objects.filter(is_active=True)
        if options["organisation"]:
            organisations = organisations.filter(agb_code=options["organisation"])
            if not organisations.exists():
                raise CommandError(f"No active organisation with AGB code {options['organisation']}.")
        for organisation in organisations:
            start = time.perf_counter()
            with organisation_context(organisation):  # row-level security (ipvb.rls)
                results = snapshots_backfill(organisation=organisation, weeks=weeks, until=until)
            created = sum(r.created for r in results)
            updated = sum(r.updated for r in results)
            self.stdout.write(
                f"{organisation.name}: {len(results)} weeks, {created} created, {updated} updated "
                f"({time.perf_counter() - start:.1f} s)"
            )
