"""Reference data every installation needs: turnaround standards and service categories."""

from django.db import migrations

CMS = "CMS-0057-F (42 CFR 422.568/422.572, 438.210, 457.1230, 156.223)"
COMMERCIAL = "Plan policy default for commercial coverage"
TURNAROUND = [
    ("medicare_advantage", "expedited", 72, CMS),
    ("medicare_advantage", "standard", 7 * 24, CMS),
    ("medicaid", "expedited", 72, CMS),
    ("medicaid", "standard", 7 * 24, CMS),
    ("chip", "expedited", 72, CMS),
    ("chip", "standard", 7 * 24, CMS),
    ("exchange", "expedited", 72, CMS),
    ("exchange", "standard", 7 * 24, CMS),
    ("commercial", "expedited", 72, COMMERCIAL),
    ("commercial", "standard", 15 * 24, COMMERCIAL),
]
CATEGORIES = [
    ("imaging", "Advanced imaging"),
    ("surgery", "Outpatient surgery"),
    ("inpatient", "Inpatient admission"),
    ("dme", "Durable medical equipment"),
    ("home-health", "Home health"),
    ("therapy", "Physical, occupational and speech therapy"),
    ("behavioral-health", "Behavioural health"),
    ("consultation", "Specialist consultation"),
    ("office-visit", "Office visit"),
    ("lab", "Laboratory"),
]


def load(apps, schema_editor):
    TurnaroundStandard = apps.get_model("intake", "TurnaroundStandard")
    ServiceCategory = apps.get_model("intake", "ServiceCategory")
    # tests/conftest.py also calls this with today's models, where the clocks have a review type
    # (0010): these rows are the prospective ones.
    by_type = {"request_type": "prospective", "timing": "any"}
    fields = {f.name for f in TurnaroundStandard._meta.get_fields()}
    for lob, priority, hours, source in TURNAROUND:
        TurnaroundStandard.objects.update_or_create(
            line_of_business=lob,
            priority=priority,
            **{k: v for k, v in by_type.items() if k in fields},
            defaults={"hours": hours, "source": source},
        )
    for code, name in CATEGORIES:
        ServiceCategory.objects.get_or_create(code=code, defaults={"name": name})


class Migration(migrations.Migration):
    dependencies = [("intake", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
