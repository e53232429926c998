"""Clocks for concurrent and retrospective review, as rows the UM manager can edit."""

from django.db import migrations

ERISA_CONCURRENT = (
    "29 CFR 2560.503-1(f)(2)(ii): urgent extension asked at least 24 h before the approved "
    "days run out, 24 h; otherwise the urgent-care 72 h of (f)(2)(i)"
)
QHP_CONCURRENT = "45 CFR 147.136(b)(3) incorporating 29 CFR 2560.503-1(f)(2)(i)-(ii)"
MA_EXPEDITED = "42 CFR 422.572: expedited organization determination, 72 h"
MEDICAID_EXPEDITED = "42 CFR 438.210(d)(2): expedited authorization, 72 h"
CHIP_EXPEDITED = "42 CFR 457.1230(d) applying 438.210(d)(2): expedited authorization, 72 h"
ERISA_POST = "29 CFR 2560.503-1(f)(2)(iii)(B): post-service claim, 30 days, one 15-day extension"
QHP_POST = "45 CFR 147.136(b)(3) incorporating 29 CFR 2560.503-1(f)(2)(iii)(B)"
MA_PAYMENT = "Medicare Advantage request for payment: 60 calendar days (Parts C & D appeals guidance)"
PLAN_POST = "Plan policy default: no federal post-service clock for this line of business"

# (line of business, priority, request type, timing, hours, extension days, source)
CLOCKS = [
    ("commercial", "expedited", "concurrent", "early", 24, 0, ERISA_CONCURRENT),
    ("commercial", "expedited", "concurrent", "late", 72, 0, ERISA_CONCURRENT),
    ("exchange", "expedited", "concurrent", "early", 24, 0, QHP_CONCURRENT),
    ("exchange", "expedited", "concurrent", "late", 72, 0, QHP_CONCURRENT),
    ("medicare_advantage", "expedited", "concurrent", "any", 72, 0, MA_EXPEDITED),
    ("medicaid", "expedited", "concurrent", "any", 72, 0, MEDICAID_EXPEDITED),
    ("chip", "expedited", "concurrent", "any", 72, 0, CHIP_EXPEDITED),
    ("commercial", "standard", "retrospective", "any", 30 * 24, 15, ERISA_POST),
    ("exchange", "standard", "retrospective", "any", 30 * 24, 15, QHP_POST),
    ("medicare_advantage", "standard", "retrospective", "any", 60 * 24, 0, MA_PAYMENT),
    ("medicaid", "standard", "retrospective", "any", 30 * 24, 0, PLAN_POST),
    ("chip", "standard", "retrospective", "any", 30 * 24, 0, PLAN_POST),
]


def load(apps, schema_editor):
    TurnaroundStandard = apps.get_model("intake", "TurnaroundStandard")
    for lob, priority, request_type, timing, hours, extension_days, source in CLOCKS:
        TurnaroundStandard.objects.update_or_create(
            line_of_business=lob,
            priority=priority,
            request_type=request_type,
            timing=timing,
            defaults={"hours": hours, "extension_days": extension_days, "source": source},
        )


def unload(apps, schema_editor):
    apps.get_model("intake", "TurnaroundStandard").objects.exclude(
        request_type="prospective"
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("intake", "0010_turnaround_review_type_claim_number")]
    operations = [migrations.RunPython(load, unload)]
