"""The access log partitioned by month on PostgreSQL (ipvb.accesslog_partitions); nothing
changes on SQLite or in the model."""

from django.db import migrations

from ipvb.accesslog_partitions import partition_backwards, partition_forwards


class Migration(migrations.Migration):
    dependencies = [
        ("ipvb", "0005_api_tokens"),
    ]

    operations = [
        migrations.RunPython(partition_forwards, partition_backwards, elidable=False),
    ]
