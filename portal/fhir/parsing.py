"""Parse a PAS request Bundle with fhir.resources R4B models and resolve its references.

PAS requires every resource the Claim refers to inside the Bundle, referenced by the entry's
fullUrl (often `urn:uuid:...`) or by a relative `Type/id` URL (FHIR R4 Bundle reference
resolution, http://hl7.org/fhir/R4/bundle.html#references).
"""

from dataclasses import dataclass

from fhir.resources.R4B.bundle import Bundle
from pydantic import ValidationError

from .errors import Issue, PasError, fail

MAX_ENTRIES = 500


@dataclass
class ParsedBundle:
    bundle: Bundle
    claim: object  # fhir.resources.R4B.claim.Claim
    claim_full_url: str
    by_url: dict[str, object]  # every key a reference may use -> resource
    full_urls: dict[int, str]  # id(resource) -> its entry's fullUrl

    def resolve(self, reference, expression: str, *types: str):
        """The resource a Reference points to, or PasError naming the missing one."""
        ref = getattr(reference, "reference", None) if reference is not None else None
        if not ref:
            raise fail("required", f"{expression} must reference a resource.", expression)
        resource = self.by_url.get(ref)
        if resource is None and "/" in ref and not ref.startswith("urn:"):
            resource = self.by_url.get("/".join(ref.rstrip("/").split("/")[-2:]))
        if resource is None:
            raise fail(
                "not-found",
                f"{expression} refers to {ref}, which is not in the Bundle.",
                expression,
            )
        if types and resource.get_resource_type() not in types:
            raise fail(
                "invalid",
                f"{expression} must refer to a {' or '.join(types)}, not a "
                f"{resource.get_resource_type()}.",
                expression,
            )
        return resource

    def full_url_of(self, resource) -> str:
        return self.full_urls.get(id(resource), "")


def _pydantic_issues(exc: ValidationError, prefix: str = "Bundle") -> list[Issue]:
    issues = []
    for err in exc.errors()[:20]:
        path = prefix
        for part in err.get("loc", ()):
            path += f"[{part}]" if isinstance(part, int) else f".{part}"
        issues.append(
            Issue(code="structure", diagnostics=f"{path}: {err['msg']}", expression=[path])
        )
    return issues


def operation_input(data, *, operation: str = "$submit"):
    """The Bundle an operation was given: posted as it is, or — the general form of a FHIR
    operation call — wrapped in a Parameters resource as the parameter named `resource` (the
    PAS OperationDefinitions' only input). Anything else is returned unchanged for
    parse_bundle to refuse."""
    if not isinstance(data, dict) or data.get("resourceType") != "Parameters":
        return data
    parameters = data.get("parameter")
    found = [
        p.get("resource")
        for p in (parameters if isinstance(parameters, list) else [])
        if isinstance(p, dict) and p.get("name") == "resource"
    ]
    if len(found) != 1 or not isinstance(found[0], dict):
        raise fail(
            "required",
            f"{operation} called with Parameters needs exactly one parameter named "
            "'resource' holding the Bundle.",
            "Parameters.parameter",
        )
    return found[0]


def parse_bundle(data, *, operation: str = "$submit") -> ParsedBundle:
    """Validate the Bundle's structure; PasError (400) says what is wrong."""
    if not isinstance(data, dict):
        raise fail("structure", "The body must be a FHIR Bundle in JSON.")
    if data.get("resourceType") != "Bundle":
        raise fail(
            "structure",
            f"{operation} takes a Bundle, not {data.get('resourceType') or 'an unknown resource'}.",
            "Bundle",
        )
    entries = data.get("entry")
    if not isinstance(entries, list) or not entries:
        raise fail(
            "required", "The Bundle has no entries; the Claim must be the first.", "Bundle.entry"
        )
    if len(entries) > MAX_ENTRIES:
        raise fail("too-costly", f"The Bundle has more than {MAX_ENTRIES} entries.", "Bundle.entry")
    for i, entry in enumerate(entries):
        if not isinstance(entry, dict) or not isinstance(entry.get("resource"), dict):
            raise fail("required", f"Bundle.entry[{i}] has no resource.", f"Bundle.entry[{i}]")
    try:
        bundle = Bundle.model_validate(data)
    except ValidationError as exc:
        raise PasError(_pydantic_issues(exc)) from exc
    except (KeyError, ValueError, TypeError) as exc:
        # fhir.resources raises KeyError for an unknown resourceType.
        raise fail("structure", f"The Bundle is not valid FHIR R4: {exc}.", "Bundle") from exc
    if bundle.type != "collection":
        raise fail(
            "invalid",
            f"A PAS request Bundle has type collection, not {bundle.type}.",
            "Bundle.type",
        )
    claim = bundle.entry[0].resource
    if claim.get_resource_type() != "Claim":
        raise fail(
            "invalid",
            f"The first entry must be the Claim, not a {claim.get_resource_type()}.",
            "Bundle.entry[0].resource",
        )
    by_url: dict[str, object] = {}
    full_urls: dict[int, str] = {}
    for i, entry in enumerate(bundle.entry):
        resource = entry.resource
        if i > 0 and resource.get_resource_type() == "Claim":
            raise fail(
                "invalid", "A PAS request Bundle carries exactly one Claim.", f"Bundle.entry[{i}]"
            )
        if entry.fullUrl:
            by_url[entry.fullUrl] = resource
            full_urls[id(resource)] = entry.fullUrl
        if resource.id:
            by_url.setdefault(f"{resource.get_resource_type()}/{resource.id}", resource)
            full_urls.setdefault(id(resource), f"{resource.get_resource_type()}/{resource.id}")
    parsed = ParsedBundle(
        bundle=bundle,
        claim=claim,
        claim_full_url=full_urls.get(id(claim), ""),
        by_url=by_url,
        full_urls=full_urls,
    )
    _check_references(parsed, data)
    return parsed


def _walk_references(node, path: str):
    if isinstance(node, dict):
        ref = node.get("reference")
        if isinstance(ref, str):
            yield path, ref
        for key, value in node.items():
            if key != "reference":
                yield from _walk_references(value, f"{path}.{key}")
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _walk_references(value, f"{path}[{i}]")


def _check_references(parsed: ParsedBundle, data: dict) -> None:
    """Every reference in every resource resolves inside the Bundle (PAS bundle rule)."""
    issues = []
    for i, entry in enumerate(data["entry"]):
        for path, ref in _walk_references(entry["resource"], f"Bundle.entry[{i}].resource"):
            if ref.startswith("#"):
                continue  # a contained resource
            found = ref in parsed.by_url or (
                "/" in ref
                and not ref.startswith("urn:")
                and "/".join(ref.rstrip("/").split("/")[-2:]) in parsed.by_url
            )
            if not found:
                issues.append(
                    Issue(
                        code="not-found",
                        diagnostics=f"{path} refers to {ref}, which is not in the Bundle.",
                        expression=[path],
                    )
                )
    if issues:
        raise PasError(issues[:20])
