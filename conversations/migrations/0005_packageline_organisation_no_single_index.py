# The package line's organisation loses its one-column index: ``packageline_org_package_pos``
# (organisation, package, position, id) starts with it (see PackageLine.organisation). Only the
# index is dropped: Django's AlterField would also drop and re-create the foreign key, which
# checks every line again under a lock of the whole table.

import django.db.models.deletion
from django.db import migrations, models

INDEX = "conversations_packageline_organisation_id_8137ea6e"


class Migration(migrations.Migration):
    dependencies = [
        ("conversations", "0004_conversation_conversation_org_recent"),
        ("ipvb", "0008_accesslogentry_accesslog_org_recent"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="packageline",
                    name="organisation",
                    field=models.ForeignKey(
                        db_index=False,
                        editable=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="ipvb.organisation",
                    ),
                ),
            ],
            database_operations=[
                migrations.RunSQL(
                    f"DROP INDEX IF EXISTS {INDEX}",
                    reverse_sql=f"CREATE INDEX {INDEX} ON conversations_packageline (organisation_id)",
                ),
            ],
        ),
    ]
