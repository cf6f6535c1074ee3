from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("ipvb", "0003_invitations_last_organisation"),
    ]

    operations = [
        migrations.AddField(
            model_name="accesslogentry",
            name="criteria",
            field=models.CharField(blank=True, default="", max_length=500, verbose_name="zoekcriteria"),
        ),
    ]
