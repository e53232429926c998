"""A member created from a PAS bundle may have no birth date; coverage created from one is
`unverified` until intake checks it (never in force before that)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("intake", "0005_reporting_indexes"),
    ]

    operations = [
        migrations.AlterField(
            model_name="coverage",
            name="status",
            field=models.CharField(
                choices=[
                    ("active", "Active"),
                    ("terminated", "Terminated"),
                    ("suspended", "Suspended"),
                    ("unverified", "Unverified (from submission)"),
                ],
                default="active",
                max_length=12,
            ),
        ),
        migrations.AlterField(
            model_name="member",
            name="birth_date",
            field=models.DateField(blank=True, null=True),
        ),
    ]
