"""A slot whose call was held (completed, no-show) stays taken: only a cancellation frees it.

Before this, recording a call early freed its slot and another provider could book it (issue
14). Such a double booking cannot be resolved here without a person: which call stands is a
clinical and contractual question. The migration stops with the bookings to look at instead of
failing on the index with a bare IntegrityError.
"""

from django.db import migrations, models
from django.db.models import Count

TAKEN = ("requested", "scheduled", "completed", "no_show")


def refuse_existing_double_bookings(apps, schema_editor):
    PeerToPeer = apps.get_model("scheduling", "PeerToPeer")
    doubled = (
        PeerToPeer.objects.filter(status__in=TAKEN, slot__isnull=False)
        .values("slot")
        .annotate(n=Count("pk"))
        .filter(n__gt=1)
        .values_list("slot", flat=True)
    )
    clashes = list(
        PeerToPeer.objects.filter(slot__in=list(doubled), status__in=TAKEN)
        .order_by("slot", "requested_at")
        .values_list("slot", "pk", "status")
    )
    if clashes:
        lines = "\n".join(f"  slot {s}: peer-to-peer {p} ({status})" for s, p, status in clashes)
        raise RuntimeError(
            "These slots carry more than one booking that is not cancelled. Cancel the one that "
            "should not stand (on its peer-to-peer page) and migrate again:\n" + lines
        )


class Migration(migrations.Migration):
    dependencies = [
        ("scheduling", "0003_p2p_outcome_reconsider"),
    ]

    operations = [
        migrations.RunPython(refuse_existing_double_bookings, migrations.RunPython.noop),
        migrations.RemoveConstraint(
            model_name="peertopeer",
            name="slot_booked_once",
        ),
        migrations.AddConstraint(
            model_name="peertopeer",
            constraint=models.UniqueConstraint(
                condition=models.Q(
                    ("status__in", ("requested", "scheduled", "completed", "no_show"))
                ),
                fields=("slot",),
                name="slot_booked_once",
            ),
        ),
    ]
