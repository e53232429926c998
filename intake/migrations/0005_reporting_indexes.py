# Indexes for the reports' date-range queries (measured in docs/benchmarks.md).

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("intake", "0004_rules"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="carerequest",
            index=models.Index(
                condition=models.Q(("decided_at__isnull", False)),
                fields=["decided_at"],
                name="care_request_decided",
            ),
        ),
        migrations.AddIndex(
            model_name="carerequest",
            index=models.Index(fields=["received_at"], name="care_request_received"),
        ),
        migrations.AddIndex(
            model_name="statusevent",
            index=models.Index(fields=["to_status", "at"], name="status_event_to_status"),
        ),
        migrations.AddIndex(
            model_name="serviceline",
            index=models.Index(
                fields=["category", "care_request"], name="service_line_category_case"
            ),
        ),
    ]
