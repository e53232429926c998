"""Denial reason codes and appeal deadlines per line of business (editable in the admin)."""

from django.db import migrations

REASONS = [
    (
        "not_med_necessary",
        "Not medically necessary",
        "The information we have does not show that this service is medically necessary for "
        "you at this time under the criteria named below.",
        "La información que tenemos no demuestra que este servicio sea médicamente necesario "
        "para usted en este momento, según los criterios que se indican abajo.",
        True,
    ),
    (
        "experimental",
        "Experimental or investigational",
        "This service is considered experimental or investigational for your condition: it "
        "has not been shown to work as well as accepted treatments.",
        "Este servicio se considera experimental o en investigación para su condición: no se "
        "ha demostrado que funcione tan bien como los tratamientos aceptados.",
        True,
    ),
    (
        "insufficient_info",
        "Insufficient clinical information",
        "We did not receive the medical information we need to show that the criteria named "
        "below are met.",
        "No recibimos la información médica que necesitamos para demostrar que se cumplen los "
        "criterios que se indican abajo.",
        True,
    ),
    (
        "out_of_network",
        "Out of network",
        "The provider who would give this service is not in your plan's network, and your plan "
        "covers this service only from network providers.",
        "El proveedor que daría este servicio no pertenece a la red de su plan, y su plan cubre "
        "este servicio solo con proveedores de la red.",
        False,
    ),
    (
        "not_covered",
        "Not a covered benefit",
        "This service is not a benefit covered by your plan.",
        "Este servicio no es un beneficio cubierto por su plan.",
        False,
    ),
]

# 42 CFR 422.582: Medicare Advantage members have 65 days to ask for reconsideration; the other
# lines of business use 60 days here (state Medicaid rules and plan contracts may differ: edit
# the row).
APPEAL_DAYS = {
    "medicare_advantage": 65,
    "medicaid": 60,
    "chip": 60,
    "exchange": 60,
    "commercial": 60,
}


def seed(apps, schema_editor):
    DenialReason = apps.get_model("determinations", "DenialReason")
    AppealPolicy = apps.get_model("determinations", "AppealPolicy")
    for order, (code, label, en, es, needs_criterion) in enumerate(REASONS):
        DenialReason.objects.update_or_create(
            code=code,
            defaults={
                "label": label,
                "plain_language": en,
                "plain_language_es": es,
                "requires_criterion": needs_criterion,
                "sort_order": order,
            },
        )
    for lob, days in APPEAL_DAYS.items():
        AppealPolicy.objects.update_or_create(
            line_of_business=lob,
            defaults={
                "appeal_days": days,
                "appeals_phone": "1-800-555-0199",
                "appeals_fax": "1-800-555-0198",
            },
        )


class Migration(migrations.Migration):
    dependencies = [("determinations", "0002_letter_pipeline_and_reference")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
