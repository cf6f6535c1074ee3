"""``migrate`` as the owner role (ipvb.db_roles), then row-level security and the app role's
grants (ipvb.rls, ipvb.db_roles). With one database role it behaves like Django's own."""

from typing import Any

from django.core.management.commands.migrate import Command as MigrateCommand
from django.db import connections

from ipvb import db_roles, rls


class Command(MigrateCommand):
    help = MigrateCommand.help + " Runs as DATABASE_OWNER_URL when set; applies row-level security."

    def handle(self, *args: Any, **options: Any) -> None:
        alias = options["database"]
        with db_roles.as_owner(alias):
            super().handle(*args, **options)
            if options.get("plan") or options.get("check_unapplied"):
                return
            connection = connections[alias]
            if connection.vendor != "postgresql":
                return
            if rls.enabled():
                tables = rls.apply_policies(connection)
                if options["verbosity"] >= 2:
                    self.stdout.write(f"Row-level security on {len(tables)} tenant tables.")
            else:
                rls.remove_policies(connection)  # IPVB_RLS=false
            app_user = getattr(connection, "_ipvb_app_user", None)
            if app_user and db_roles.role_exists(app_user, alias):
                db_roles.grant_app_privileges(app_user, alias)
