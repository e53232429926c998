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
