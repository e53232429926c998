"""Reads of the Provider Access API, always scoped to the calling client's organisation."""

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone

from intake.models import Member
from members.models import DataSharingChoice

from .models import Attribution, AttributionGroup, BackendClient


def _current(today) -> Q:
    return Q(start__lte=today) & (Q(end__isnull=True) | Q(end__gte=today))


def shared_attributions(*, today=None) -> QuerySet[Attribution]:
    """Attributions in force today of members who have not opted out of Provider Access."""
    today = today or timezone.localdate()
    opted_out = DataSharingChoice.objects.filter(
        member=OuterRef("member_id"), provider_access_opted_out=True
    )
    return Attribution.objects.filter(_current(today)).exclude(Exists(opted_out))


def _groups(client: BackendClient) -> QuerySet[AttributionGroup]:
    return (
        AttributionGroup.objects.filter(organization_id=client.organization_id)
        .select_related("organization")
        .prefetch_related(
            Prefetch("attributions", queryset=shared_attributions(), to_attr="shared")
        )
    )


def group_list_for_client(client: BackendClient) -> list[AttributionGroup]:
    """The client's organisation's groups, each with its shared attributions — two queries."""
    return list(_groups(client))


def group_get_for_client(client: BackendClient, group_id) -> AttributionGroup | None:
    """One of the client's organisation's groups; None for another organisation's (so the
    answer is 404, not 403) — two queries."""
    return next(iter(_groups(client).filter(pk=group_id)), None)


def group_members(group: AttributionGroup) -> list[Member]:
    """The members an export of `group` may include (attributed today, not opted out)."""
    return list(
        Member.objects.filter(
            pk__in=shared_attributions().filter(group=group).values("member_id")
        ).order_by("last_name", "first_name", "pk")
    )
