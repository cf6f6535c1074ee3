# BSN encrypted at rest, step 3 of 3: the encrypted field, the hash required, and the
# per-organisation uniqueness rule on the hash.

import clients.fields
import clients.validators
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("clients", "0005_bsn_encrypt_rows"),
    ]

    operations = [
        migrations.AlterField(
            model_name="client",
            name="bsn",
            field=clients.fields.EncryptedBsnField(
                max_length=255, validators=[clients.validators.validate_bsn], verbose_name="BSN"
            ),
        ),
        migrations.AlterField(
            model_name="client",
            name="bsn_hash",
            field=clients.fields.BsnHashField(editable=False, max_length=64),
        ),
        migrations.AddConstraint(
            model_name="client",
            constraint=models.UniqueConstraint(
                fields=("organisation", "bsn_hash"),
                name="client_unique_bsn_per_org",
                violation_error_message="Er is al een cliënt met dit BSN in uw organisatie.",
            ),
        ),
        migrations.AddConstraint(
            model_name="client",
            constraint=models.CheckConstraint(
                condition=models.Q(("bsn_hash__regex", "^[0-9a-f]{64}$")),
                name="client_bsn_hash_hex",
                violation_error_message="Een BSN bestaat uit 9 cijfers.",
            ),
        ),
    ]
