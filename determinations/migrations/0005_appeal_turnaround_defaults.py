"""Appeal decision deadlines per line of business × pre/post-service × priority (admin data).

- Medicare Advantage: 42 CFR 422.590 — pre-service reconsideration 30 days, expedited 72 hours
  (422.590(e)), payment reconsideration 60 days; no expedited payment appeal (422.584(a)).
- Medicaid and CHIP: 42 CFR 438.408(b) — 30 days standard, 72 hours expedited.
- Commercial and Exchange: 29 CFR 2560.503-1(i) — 30 days pre-service, 60 days post-service,
  72 hours urgent care.
"""

from django.db import migrations

DAY = 24
MA = "42 CFR 422.590"
MEDICAID = "42 CFR 438.408(b)"
ERISA = "29 CFR 2560.503-1(i)"
DEFAULTS = {
    # (line of business, timing, priority): (hours, source)
    ("medicare_advantage", "pre_service", "standard"): (30 * DAY, MA),
    ("medicare_advantage", "pre_service", "expedited"): (72, MA),
    ("medicare_advantage", "post_service", "standard"): (60 * DAY, MA),
    ("medicaid", "pre_service", "standard"): (30 * DAY, MEDICAID),
    ("medicaid", "pre_service", "expedited"): (72, MEDICAID),
    ("medicaid", "post_service", "standard"): (30 * DAY, MEDICAID),
    ("chip", "pre_service", "standard"): (30 * DAY, MEDICAID),
    ("chip", "pre_service", "expedited"): (72, MEDICAID),
    ("chip", "post_service", "standard"): (30 * DAY, MEDICAID),
    ("exchange", "pre_service", "standard"): (30 * DAY, ERISA),
    ("exchange", "pre_service", "expedited"): (72, ERISA),
    ("exchange", "post_service", "standard"): (60 * DAY, ERISA),
    ("commercial", "pre_service", "standard"): (30 * DAY, ERISA),
    ("commercial", "pre_service", "expedited"): (72, ERISA),
    ("commercial", "post_service", "standard"): (60 * DAY, ERISA),
}


def seed(apps, schema_editor):
    AppealTurnaround = apps.get_model("determinations", "AppealTurnaround")
    for (lob, timing, priority), (hours, source) in DEFAULTS.items():
        AppealTurnaround.objects.update_or_create(
            line_of_business=lob,
            service_timing=timing,
            priority=priority,
            defaults={"hours": hours, "source": source},
        )


class Migration(migrations.Migration):
    dependencies = [("determinations", "0004_appeal_turnaround_and_appeal_letters")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
