"""manage.py generate_synthetic --organisations N --clients M --seed S (issue 16)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection

from clients import synthetic


class Command(BaseCommand):
    help = (
        "Generates N realistic synthetic organisations of M clients each (models, catalogues, "
        "departments, clients with indications, 26 weeks of package history, conversations, "
        "add-ons), reproducibly from a seed, through the bulk onboarding path."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--organisations", type=int, default=1)
        parser.add_argument("--clients", type=int, default=250, help="clients per organisation")
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument(
            "--workers", type=int, default=1, help="processes (one organisation per transaction each)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            summary = synthetic.generate(
                organisations=options["organisations"],
                clients=options["clients"],
                seed=options["seed"],
                workers=options["workers"],
                out=self.stdout,
            )
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        with connection.cursor() as cursor:  # fresh planner statistics after a bulk load
            cursor.execute("ANALYZE")
        self.stdout.write(
            f"{summary.organisations} organisations, {summary.clients} clients, {summary.conversations} "
            f"conversations, {summary.packages} packages, {summary.lines} package lines in "
            f"{summary.seconds:.1f} s ({summary.clients_per_second:.0f} clients per second); CPU "
            f"{summary.app_cpu:.1f} s application + {summary.db_cpu:.1f} s database = "
            f"{summary.cpu_ms_per_client:.1f} ms per client"
        )
