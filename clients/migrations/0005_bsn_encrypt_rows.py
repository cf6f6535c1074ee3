# BSN encrypted at rest, step 2 of 3: encrypts every stored BSN and fills its keyed hash.
# Raw SQL on purpose: the historical model would decrypt on read. Rows that are already
# encrypted (a re-run) only get their hash checked.

from django.db import migrations


def encrypt_rows(apps, schema_editor):
    from clients import bsn_crypto

    connection = schema_editor.connection
    with connection.cursor() as cursor:
        cursor.execute("SELECT id, bsn FROM clients_client")
        rows = cursor.fetchall()
        for pk, value in rows:
            plain = bsn_crypto.decrypt(value) if bsn_crypto.looks_encrypted(value) else value
            cursor.execute(
                "UPDATE clients_client SET bsn = %s, bsn_hash = %s WHERE id = %s",
                [bsn_crypto.encrypt(plain), bsn_crypto.digest(plain), pk],
            )


def decrypt_rows(apps, schema_editor):
    from clients import bsn_crypto

    connection = schema_editor.connection
    with connection.cursor() as cursor:
        cursor.execute("SELECT id, bsn FROM clients_client")
        for pk, value in cursor.fetchall():
            if bsn_crypto.looks_encrypted(value):
                cursor.execute(
                    "UPDATE clients_client SET bsn = %s WHERE id = %s", [bsn_crypto.decrypt(value), pk]
                )


class Migration(migrations.Migration):

    dependencies = [
        ("clients", "0004_bsn_encrypted_schema"),
    ]

    operations = [migrations.RunPython(encrypt_rows, decrypt_rows)]
