"""Lines stored before every entry point filled the description (intake form, REST API without
one) have it blank; the REST API and the letters read the stored words, so they named no service.
Fill each blank from the catalogue the portal searches; a code it does not hold stays blank (the
pages then show the service category's name). Lines someone described are never touched."""

from django.db import migrations

from intake.apis.coding import catalog_description

MAX_LENGTH = 200  # ServiceLine.description


def service_line_description_backfill(apps, schema_editor) -> None:
    ServiceLine = apps.get_model("intake", "ServiceLine")
    blank = ServiceLine.objects.filter(description="")
    codes = blank.values_list("code_system", "code").distinct().order_by()
    for code_system, code in codes:
        words = catalog_description(code_system, code)[:MAX_LENGTH]
        if words:
            blank.filter(code_system=code_system, code=code).update(description=words)


class Migration(migrations.Migration):
    dependencies = [("intake", "0011_review_type_clocks")]

    operations = [
        migrations.RunPython(service_line_description_backfill, migrations.RunPython.noop),
    ]
