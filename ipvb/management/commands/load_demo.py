"""Loads the demo data of every app, in dependency order. Running it twice changes nothing."""

import importlib
import importlib.util
from typing import Any

from django.core.management.base import BaseCommand
from django.db import transaction

from ipvb.rls import allow_cross_organisation

DEMO_MODULES = (
    "ipvb.demo",
    "clients.demo",
    "costing.demo",
    "catalog.demo",
    "conversations.demo",
    "reporting.demo",
    "family.demo",
)


class Command(BaseCommand):
    help = "Loads the demo organisations, users and data (idempotent)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--quiet-logins", action="store_true", help="Do not print the logins.")

    def handle(self, *args: Any, **options: Any) -> None:
        with transaction.atomic():
            # Demo data of several organisations at once: the one reviewed use of the
            # cross-organisation setting outside reporting/ (ipvb.rls; test_rls checks).
            allow_cross_organisation()
            for name in DEMO_MODULES:
                if importlib.util.find_spec(name) is not None:
                    importlib.import_module(name).load(self.stdout)
        self.stdout.write(self.style.SUCCESS("Demo data loaded."))
        if not options["quiet_logins"]:
            from ipvb.demo import DEMO_PASSWORD, demo_logins

            self.stdout.write(f"\nDemo logins (password for all: {DEMO_PASSWORD}):")
            for email, org, roles in demo_logins():
                self.stdout.write(f"  {email:<32} {roles:<24} {org}")
