"""Expected lengths of stay (geometric mean) to start from. DEMO VALUES, illustrative only and
marked is_demo_value: a plan replaces them with its own table in the admin."""

from decimal import Decimal

from django.db import migrations

ROWS = [
    ("291", "", "Heart failure and shock with MCC", "4.1"),
    ("871", "", "Sepsis without mechanical ventilation, with MCC", "4.7"),
    ("470", "", "Major hip and knee joint replacement", "2.1"),
    ("", "I50", "Heart failure", "3.8"),
    ("", "J18", "Pneumonia, organism unspecified", "3.6"),
    ("", "A41", "Other sepsis", "4.5"),
    ("", "I63", "Cerebral infarction", "3.9"),
    ("", "S72", "Fracture of femur", "4.3"),
    ("", "J44", "Chronic obstructive pulmonary disease", "3.2"),
    ("", "N17", "Acute kidney failure", "3.4"),
]


def load(apps, schema_editor):
    Row = apps.get_model("stays", "ExpectedLengthOfStay")
    for drg, prefix, description, days in ROWS:
        Row.objects.get_or_create(
            drg=drg,
            diagnosis_prefix=prefix,
            defaults={
                "description": description,
                "geometric_mean_days": Decimal(days),
                "is_demo_value": True,
            },
        )


def unload(apps, schema_editor):
    apps.get_model("stays", "ExpectedLengthOfStay").objects.filter(is_demo_value=True).delete()


class Migration(migrations.Migration):
    dependencies = [("stays", "0001_initial")]
    operations = [migrations.RunPython(load, unload)]
