"""The member's CMS-0057-F choices: the member opts out of Provider Access (and the next
export leaves them out) or into Payer-to-Payer on /member/sharing/; staff record the same on the
member's behalf; each change keeps its time and is audited; pages are access-logged."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from members.models import DataSharingChoice
from tests.factories import CoverageFactory
from um_portal.audit.models import AccessLog, AuditEvent

pytestmark = pytest.mark.django_db


def test_member_opts_out_of_provider_access(client, member_user):
    member = member_user.member_account.member
    client.force_login(member_user)
    with CaptureQueriesContext(connection) as queries:
        page = client.get("/member/sharing/")
    assert page.status_code == 200
    assert len(queries) == 9, [q["sql"] for q in queries]
    assert AccessLog.objects.filter(action="data_sharing_view", member_id=member.pk).exists()
    saved = client.post("/member/sharing/", {"provider_access_opted_out": "on"})
    assert saved.status_code == 302
    choice = DataSharingChoice.objects.get(member=member)
    assert choice.provider_access_opted_out is True
    assert choice.provider_access_changed_at is not None
    assert choice.payer_to_payer_opted_in is False
    assert choice.payer_to_payer_changed_at is None
    assert choice.changed_by == member_user
    assert AuditEvent.objects.filter(action="members.data_sharing_changed").count() == 1
    # Saving the same choices again changes nothing and audits nothing.
    client.post("/member/sharing/", {"provider_access_opted_out": "on"})
    assert AuditEvent.objects.filter(action="members.data_sharing_changed").count() == 1


def test_staff_record_payer_to_payer_opt_in(client, intake_specialist):
    member = CoverageFactory().member
    client.force_login(intake_specialist)
    page = client.get(f"/members/{member.pk}/sharing/")
    assert page.status_code == 200
    assert AccessLog.objects.filter(
        action="data_sharing_view", member_id=member.pk, channel="staff"
    ).exists()
    client.post(f"/members/{member.pk}/sharing/", {"payer_to_payer_opted_in": "on"})
    choice = DataSharingChoice.objects.get(member=member)
    assert choice.payer_to_payer_opted_in is True
    assert choice.payer_to_payer_source == "staff"
    assert choice.changed_by == intake_specialist


def test_a_provider_user_cannot_reach_the_staff_page(client, provider_user):
    member = CoverageFactory().member
    client.force_login(provider_user)
    response = client.post(f"/members/{member.pk}/sharing/", {"payer_to_payer_opted_in": "on"})
    assert response.status_code in (403, 404)
    assert not DataSharingChoice.objects.exists()


def test_a_nurse_cannot_change_a_members_choices(client, nurse):
    # Only intake and the UM manager act for members (members.services.INVITING_ROLES).
    member = CoverageFactory().member
    client.force_login(nurse)
    response = client.post(f"/members/{member.pk}/sharing/", {"provider_access_opted_out": "on"})
    assert response.status_code == 403
    assert not DataSharingChoice.objects.exists()
