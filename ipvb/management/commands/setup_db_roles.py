"""Creates (or corrects) the application's database role and its grants; idempotent.

The app role comes from DATABASE_URL, the owner from DATABASE_OWNER_URL (docs/security.md).
With one URL there is nothing to do."""

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from ipvb import db_roles


class Command(BaseCommand):
    help = "Creates the app database role (owns nothing) and grants its privileges, as the owner role."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--database", default="default")
        parser.add_argument(
            "--grants-only", action="store_true", help="Do not create the role (the owner lacks CREATEROLE)."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        role = db_roles.setup(options["database"], create_role=not options["grants_only"])
        if role is None:
            self.stdout.write("Eén databaserol (geen DATABASE_OWNER_URL): niets te doen.")
        else:
            self.stdout.write(f"Databaserol {role}: aanwezig, rechten bijgewerkt.")
