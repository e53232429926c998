"""Who outside the plan may see a care request: object permissions (django-guardian).

A request is granted to its requesting provider organisation's group when it is created:
`view_carerequest` to read it in the portal, the API and FHIR, `change_carerequest` to act on it
(answer a request for information, withdraw, upload, ask for a peer-to-peer call). Plan staff
need no grants; their roles let them see every case. Membership of the group is kept by
um_portal.accounts.services, so a user who leaves an organisation loses its requests at once.
"""

from collections.abc import Iterable

from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType

from um_portal.accounts.models import ProviderOrganization
from um_portal.accounts.services import provider_organization_group

from ..models import CareRequest, CareRequestGroupObjectPermission

ORGANIZATION_PERMISSIONS = ("view_carerequest", "change_carerequest")


def care_request_grant_to_organization(*, care_requests: Iterable[CareRequest]) -> int:
    """Grant each request to its provider organisation; returns the grants written.

    Takes many requests at once so bulk loads cost three queries, not three per request;
    granting twice is harmless (the unique constraint skips rows that exist). Callers run it in
    the transaction that creates the requests, so a request never exists without its grant.
    """
    grants = care_request_organization_grants(care_requests=care_requests)
    CareRequestGroupObjectPermission.objects.bulk_create(
        grants, ignore_conflicts=True, batch_size=5000
    )
    return len(grants)


def care_request_organization_grants(
    *, care_requests: Iterable[CareRequest]
) -> list[CareRequestGroupObjectPermission]:
    """The unsaved grant rows for the requests (two or three queries), for callers that write
    them another way: the bulk seed copies them with PostgreSQL COPY."""
    cases = [case for case in care_requests if case.provider_organization_id is not None]
    if not cases:
        return []
    organizations = ProviderOrganization.objects.select_related("group").in_bulk(
        {case.provider_organization_id for case in cases}
    )
    group_ids = {
        pk: provider_organization_group(organization=org).pk for pk, org in organizations.items()
    }
    permissions = list(
        Permission.objects.filter(
            content_type=ContentType.objects.get_for_model(CareRequest),
            codename__in=ORGANIZATION_PERMISSIONS,
        )
    )
    return [
        CareRequestGroupObjectPermission(
            group_id=group_ids[case.provider_organization_id],
            permission=permission,
            content_object=case,
        )
        for case in cases
        for permission in permissions
    ]
