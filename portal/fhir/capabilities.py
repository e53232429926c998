"""What other apps add to the CapabilityStatement (e.g. the subscriptions app registers
Subscription at start-up): the statement lists what is installed, and only that, without
portal.fhir importing those apps."""

_resources: list[dict] = []
_documentation: list[str] = []


def register_resource(resource: dict, documentation: str = "") -> None:
    if all(r["type"] != resource["type"] for r in _resources):
        _resources.append(resource)
        if documentation:
            _documentation.append(documentation)


def registered_resources() -> list[dict]:
    return list(_resources)


def registered_documentation() -> str:
    return " ".join(_documentation)


def register_operation(resource_type: str, operation: dict) -> None:
    """Add an operation to a resource another app registered (e.g. $member-match on the Patient
    Access API's Patient); the resource is added bare if nobody registered it."""
    register_resource({"type": resource_type})
    resource = next(r for r in _resources if r["type"] == resource_type)
    operations = resource.setdefault("operation", [])
    if all(o["name"] != operation["name"] for o in operations):
        operations.append(operation)
