"""NCQA UM 5: a case whose letters are printed counts as notified only when the mail house
reports a letter mailed, not when the pipeline queued it for printing."""

from datetime import timedelta

import pytest
from django.utils import timezone

from determinations.models import Letter
from determinations.services import determination_issue
from determinations.services.delivery import letter_process
from intake.models import StatusEvent
from mailroom.services import mail_batch_build, mail_batch_hand_over, mail_return_import
from reports.filters import ReportFilters
from reports.rollup.build import rollup_rebuild, rollup_refresh
from reports.selectors.timeliness import subtotals, timeliness, timeliness_live
from tests.determinations.conftest import approve


def _total(rows):
    (total,) = subtotals(rows, by="")
    return total.decided, total.notified_on_time, total.notified_late, total.not_notified


@pytest.fixture
def printed_case(md_case, director, organization):
    """Decided for an office without e-mail: both letters go by post."""
    organization.email = ""
    organization.save(update_fields=["email"])
    determination = determination_issue(
        case=md_case,
        director=director,
        line_decisions=[approve(line) for line in md_case.service_lines.all()],
    )
    for letter in determination.letters.all():
        assert letter_process(letter.pk) == "sent"
    assert set(determination.letters.values_list("channel", flat=True)) == {"mail"}
    md_case.refresh_from_db()
    return md_case


@pytest.mark.django_db
def test_a_printed_letter_notifies_when_mailed_not_when_queued(printed_case, manager):
    today = timezone.localdate()
    filters = ReportFilters(start=today, end=today)
    assert _total(timeliness_live(filters)) == (1, 0, 0, 1)
    batch = mail_batch_build(batch_date=today)
    assert _total(timeliness_live(filters)) == (1, 0, 0, 1)
    mail_batch_hand_over(batch=batch, how="download", actor=manager)
    assert _total(timeliness_live(filters)) == (1, 0, 0, 1)
    member = Letter.objects.get(recipient="member")
    mail_return_import(
        data=f"letter_id,status,date\n{member.pk},mailed,{today}\n".encode(), actor=manager
    )
    assert _total(timeliness_live(filters)) == (1, 1, 0, 0)


@pytest.mark.django_db
def test_a_return_file_for_an_old_day_reaches_the_daily_summaries(printed_case, manager):
    """The summaries of a finished day are rebuilt when a return file delivers one of its
    letters (touched by delivery_recorded_at, not by the mailing date)."""
    decided = timezone.now() - timedelta(days=5)
    type(printed_case).objects.filter(pk=printed_case.pk).update(
        received_at=decided - timedelta(days=1),
        decided_at=decided,
        due_at=decided + timedelta(days=1),
    )
    # Its history and its letters' queueing happened that day too, as they would have.
    StatusEvent.objects.update(at=decided)
    Letter.objects.update(
        sent_at=decided + timedelta(hours=1), print_ready_at=decided + timedelta(hours=1)
    )
    day = timezone.localdate(decided)
    filters = ReportFilters(start=day, end=day)
    rollup_rebuild()
    assert _total(timeliness(filters)) == (1, 0, 0, 1)
    batch = mail_batch_build(batch_date=day)
    mail_batch_hand_over(batch=batch, how="download", actor=manager)
    late = day + timedelta(days=3)  # mailed after the due date
    provider = Letter.objects.get(recipient="provider")
    mail_return_import(
        data=f"letter_id,status,date\n{provider.pk},mailed,{late}\n".encode(), actor=manager
    )
    rollup_refresh()
    assert _total(timeliness(filters)) == (1, 0, 1, 0)
    assert _total(timeliness_live(filters)) == (1, 0, 1, 0)
