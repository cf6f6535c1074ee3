"""``flush`` as the owner role: the app role may not TRUNCATE (ipvb.db_roles)."""

from typing import Any

from django.core.management.commands.flush import Command as FlushCommand

from ipvb import db_roles


class Command(FlushCommand):
    def handle(self, **options: Any) -> None:
        with db_roles.as_owner(options["database"]):
            super().handle(**options)
