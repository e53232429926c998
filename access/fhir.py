"""Our attribution lists as FHIR Group resources (validated with fhir.resources' R4B models)."""

from fhir.resources.R4B.group import Group

from .models import AttributionGroup


def group(item: AttributionGroup) -> dict:
    members = []
    for attribution in item.shared:
        period = {"start": attribution.start.isoformat()}
        if attribution.end:
            period["end"] = attribution.end.isoformat()
        members.append(
            {"entity": {"reference": f"Patient/{attribution.member_id}"}, "period": period}
        )
    return Group.model_validate(
        {
            "resourceType": "Group",
            "id": str(item.pk),
            "identifier": [{"system": "urn:um-portal:attribution-group", "value": str(item.pk)}],
            "active": True,
            "type": "person",
            "actual": True,
            "name": item.name,
            "managingEntity": {"display": item.organization.name},
            "quantity": len({m["entity"]["reference"] for m in members}),
            "member": members,
        }
    ).model_dump(mode="json", by_alias=True, exclude_none=True)
