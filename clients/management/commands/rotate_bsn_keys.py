"""Re-encrypts every stored BSN with the first key of IPVB_BSN_KEYS and recomputes every
keyed hash with IPVB_BSN_HASH_KEY (docs/security.md, key rotation). Idempotent; run it after
putting a new key first in IPVB_BSN_KEYS (the old key stays in the list until it has run) or
after changing IPVB_BSN_HASH_KEY."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.db import connection, transaction

from clients import bsn_crypto


class Command(BaseCommand):
    help = "Re-encrypts every BSN with the newest key and recomputes the lookup hashes."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--batch-size", type=int, default=500)

    def handle(self, *args: Any, **options: Any) -> None:
        batch = max(1, options["batch_size"])
        done = 0
        last_id = 0
        while True:
            with transaction.atomic(), connection.cursor() as cursor:
                # Raw SQL: a platform task across organisations, outside the tenant managers.
                lock = " FOR UPDATE" if connection.features.has_select_for_update else ""
                cursor.execute(
                    "SELECT id, bsn FROM clients_client WHERE id > %s ORDER BY id LIMIT %s" + lock,  # noqa: S608
                    [last_id, batch],
                )
                rows = cursor.fetchall()
                if not rows:
                    break
                for pk, token in rows:
                    plain = bsn_crypto.decrypt(token)
                    cursor.execute(
                        "UPDATE clients_client SET bsn = %s, bsn_hash = %s WHERE id = %s",
                        [bsn_crypto.rotate(token), bsn_crypto.digest(plain), pk],
                    )
                done += len(rows)
                last_id = rows[-1][0]
        self.stdout.write(f"{done} BSN's opnieuw versleuteld met de nieuwste sleutel.")
