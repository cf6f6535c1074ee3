"""manage.py generate_synthetic --organisations N --clients M --seed S [--workers W] [--logins]
(issue 16).

With DATABASE_OWNER_URL set (two database roles) the command connects as the owner role, like
``migrate``: it writes every organisation (the application role sees one organisation at a
time under row-level security) and PostgreSQL allows the owner ``COPY FROM`` into the tenant
tables (it refuses it to a role under row-level security). Without it the one role is used."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection

from clients import bulk, synthetic
from ipvb import db_roles


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
        parser.add_argument(
            "--logins",
            action="store_true",
            help=(
                "one login per role in the first organisation (<role>@synthetisch.example, "
                f"password {synthetic.LOGIN_PASSWORD}) for load tests"
            ),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        with db_roles.as_owner():
            self.stdout.write(
                f"Generating as database role {connection.settings_dict['USER'] or '(default)'}."
            )
            try:
                summary = synthetic.generate(
                    organisations=options["organisations"],
                    clients=options["clients"],
                    seed=options["seed"],
                    workers=options["workers"],
                    logins=options["logins"],
                    out=self.stdout,
                )
            except ValueError as exc:
                raise CommandError(str(exc)) from exc
            bulk.settle_after_bulk_load()
        self.stdout.write(
            f"{summary.organisations} organisations, {summary.clients} clients, {summary.conversations} "
            f"conversations, {summary.packages} packages, {summary.lines} package lines in "
            f"{summary.seconds:.1f} s ({summary.clients_per_second:.0f} clients per second); CPU "
            f"{summary.app_cpu:.1f} s application + {summary.db_cpu:.1f} s database = "
            f"{summary.cpu_ms_per_client:.1f} ms per client"
        )
        if options["logins"]:
            self.stdout.write(f"Logins (password {synthetic.LOGIN_PASSWORD}):")
            for email, role in synthetic.login_emails():
                self.stdout.write(f"  {email}  {role}")
