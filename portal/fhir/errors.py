from dataclasses import dataclass, field


@dataclass
class Issue:
    """One OperationOutcome issue: what is wrong and where (a FHIRPath expression)."""

    code: str  # FHIR issue-type: structure, required, invalid, not-found, business-rule, ...
    diagnostics: str
    expression: list[str] = field(default_factory=list)
    severity: str = "error"


class PasError(Exception):
    """A request Bundle we cannot process: answered with an OperationOutcome, nothing created."""

    def __init__(self, issues: list[Issue], status: int = 400):
        super().__init__("; ".join(i.diagnostics for i in issues))
        self.issues = issues
        self.status = status


def fail(code: str, diagnostics: str, *expression: str, status: int = 400) -> PasError:
    return PasError(
        [Issue(code=code, diagnostics=diagnostics, expression=list(expression))], status
    )
