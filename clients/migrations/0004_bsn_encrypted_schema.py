# BSN encrypted at rest, step 1 of 3: room for the ciphertext and the keyed hash.

import clients.fields
import clients.validators
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("clients", "0003_care_date_and_year_ranges"),
    ]

    operations = [
        migrations.RemoveConstraint(model_name="client", name="client_unique_bsn_per_org"),
        migrations.RemoveConstraint(model_name="client", name="client_bsn_9_digits"),
        migrations.AddField(
            model_name="client",
            name="bsn_hash",
            field=models.CharField(max_length=64, null=True, editable=False),
        ),
        # The column type only (varchar 9 -> 255); the values are still plain until step 2.
        migrations.AlterField(
            model_name="client",
            name="bsn",
            field=models.CharField(max_length=255, validators=[clients.validators.validate_bsn], verbose_name="BSN"),
        ),
    ]
