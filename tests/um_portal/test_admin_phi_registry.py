"""No admin back door to PHI (issue 15), proved over the admin's whole registry rather than model
by model: every model that holds a case's or a member's data — directly or one relation away
(an appeal's events, a determination's letters) — is read-only there even for a superuser, with
read-only inlines, and its pages write access-log rows. A new app's admin is covered the moment it
registers a model."""

import pytest
from django.contrib import admin
from django.test import RequestFactory

from intake.models import CareRequest, Coverage, Member
from tests.factories import UserFactory
from um_portal.audit.admin import AccessLoggedAdminMixin

PHI_MODELS = (CareRequest, Member, Coverage)


def _holds_phi(model, depth: int = 2) -> bool:
    if model in PHI_MODELS:
        return True
    if depth == 0:
        return False
    return any(
        field.is_relation
        and field.many_to_one | field.one_to_one
        and field.related_model is not None
        and field.related_model is not model
        and _holds_phi(field.related_model, depth - 1)
        for field in model._meta.concrete_fields
    )


PHI_ADMINS = sorted(
    (
        (model, model_admin)
        for model, model_admin in admin.site._registry.items()
        if _holds_phi(model)
    ),
    key=lambda pair: pair[0]._meta.label,
)


def test_the_registry_check_finds_the_phi_models_of_every_app():
    labels = {model._meta.label for model, _ in PHI_ADMINS}
    assert {
        "intake.CareRequest",
        "intake.Member",
        "intake.CaseNote",
        "determinations.Letter",
        "appeals.Appeal",
        "appeals.AppealEvent",
        "stays.Stay",
        "inbox.InboundDocument",
        "scheduling.PeerToPeer",
        "review.NurseReview",
        "access.Attribution",
        "members.DataSharingChoice",
    } <= labels
    # Configuration stays editable (and audited): it names no member.
    assert not labels & {"intake.Plan", "intake.Queue", "scheduling.Slot", "accounts.User"}


@pytest.mark.django_db
@pytest.mark.parametrize(
    "model_admin", [ma for _, ma in PHI_ADMINS], ids=[m._meta.label for m, _ in PHI_ADMINS]
)
def test_phi_is_read_only_and_access_logged_in_the_admin_even_for_a_superuser(model_admin):
    request = RequestFactory().get("/admin/")
    request.user = UserFactory(username="root", is_staff=True, is_superuser=True)
    assert model_admin.has_view_permission(request)  # read, and logged:
    assert isinstance(model_admin, AccessLoggedAdminMixin)
    assert not model_admin.has_add_permission(request)
    assert not model_admin.has_change_permission(request)
    assert not model_admin.has_delete_permission(request)
    for inline in model_admin.get_inline_instances(request):
        assert not inline.has_add_permission(request, None), inline
        assert not inline.has_change_permission(request), inline
        assert not inline.has_delete_permission(request), inline
    assert "delete_selected" not in model_admin.get_actions(request)
