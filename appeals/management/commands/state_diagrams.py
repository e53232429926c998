"""Write docs/state-machines.md from the FSM definitions of the care request, the appeal and the
care-management referral.
`--check` exits non-zero when the committed file differs (tests/appeals/test_state_diagrams.py)."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from appeals.models import Appeal
from caremgmt.models import Referral
from intake.models import CareRequest
from um_portal.lib.fsm_diagram import mermaid_state_diagram

PATH = Path(settings.BASE_DIR) / "docs" / "state-machines.md"
HEADER = """# State machines

Generated from the models by `python manage.py state_diagrams`; do not edit by hand (a test
fails when this file and the models disagree). Each arrow reads `transition [who may take it]
(conditions)`; `nobody` marks a system-only transition (rules engine, scheduled task).
"""


def render() -> str:
    parts = [HEADER]
    for title, model in (
        ("Care request (`intake.CareRequest.status`)", CareRequest),
        ("Appeal (`appeals.Appeal.status`)", Appeal),
        ("Care-management referral (`caremgmt.Referral.status`)", Referral),
    ):
        parts.append(f"\n## {title}\n\n```mermaid\n{mermaid_state_diagram(model)}```\n")
    return "".join(parts)


class Command(BaseCommand):
    help = "Generate docs/state-machines.md from the state machines (or --check it)."

    def add_arguments(self, parser):
        parser.add_argument("--check", action="store_true", help="Fail if the file is stale.")

    def handle(self, *args, check: bool = False, **options):
        text = render()
        if check:
            if not PATH.exists() or PATH.read_text() != text:
                raise CommandError(f"{PATH} is stale: run manage.py state_diagrams.")
            self.stdout.write("State diagrams are current.")
            return
        PATH.write_text(text)
        self.stdout.write(f"Wrote {PATH}.")
