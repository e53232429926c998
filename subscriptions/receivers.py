"""How this app learns that a case changed status: intake writes a StatusEvent in the changing
transaction; after it commits, the fan-out task queues what subscribers are owed. Only requests
that came through the FHIR API can be owed anything, so other cases cost nothing here (the test
reads attributes of the instance already in memory, no query)."""

from django.db import transaction
from django.db.models.signals import post_save
from django.dispatch import receiver

from intake.models import CareRequest, StatusEvent


@receiver(post_save, sender=StatusEvent, dispatch_uid="subscriptions.status_event")
def status_event_saved(sender, instance: StatusEvent, created: bool, **kwargs) -> None:
    case = instance.care_request
    if not created or case.channel != CareRequest.Channel.API or not case.external_system:
        return
    from .tasks import notifications_fan_out_task

    event_id = instance.pk
    # robust: a broker outage must never fail the decision; the sweeper finds the event later.
    transaction.on_commit(lambda: notifications_fan_out_task.delay(event_id), robust=True)
