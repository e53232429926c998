"""The demo has a returned mail batch (with an undeliverable letter on the attention page) and
today's batch waiting for the manager."""

import pytest
from django.utils import timezone

from determinations.models import Letter
from mailroom.demo import seed_mailroom
from mailroom.models import MailBatch, MailPiece
from um_portal.demo.steps import seed_all


@pytest.mark.django_db
def test_the_demo_has_a_returned_batch_and_one_waiting(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    ctx = seed_all(log=lambda msg: None)
    today = timezone.localdate()
    returned, built = MailBatch.objects.order_by("batch_date")
    assert (returned.status, built.status, built.batch_date) == ("returned", "built", today)
    assert returned.handed_over_by.username == "manager"
    pieces = MailPiece.objects.filter(batch=returned)
    assert pieces.filter(status="undeliverable").count() == 1
    mailed = pieces.filter(status="mailed")
    assert mailed.count() == returned.letter_count - 1 >= 1
    assert Letter.objects.filter(mail_piece__in=mailed, delivered_at__isnull=True).count() == 0
    # Every printed letter is in one of the two batches; seeding again adds nothing.
    assert not Letter.objects.filter(channel="mail", status="sent", mail_piece__isnull=True)
    seed_mailroom(users=ctx["users"], log=lambda msg: None)
    assert MailBatch.objects.count() == 2
