from django.core.management.base import BaseCommand
from django.test.utils import override_settings

from um_portal.demo.accounts import DEMO_PASSWORD, PRINTED_USERS
from um_portal.demo.steps import seed_all


class Command(BaseCommand):
    help = "Create demo users, reference data and cases (idempotent); --cases N adds N more."

    def add_arguments(self, parser):
        parser.add_argument(
            "--cases",
            type=int,
            default=0,
            help="Add this many more realistic cases with bulk inserts.",
        )
        parser.add_argument(
            "--print-logins", action="store_true", help="Print the demo logins at the end."
        )

    def handle(self, *args, cases: int, print_logins: bool, **options):
        # The demo's letters and invites are real e-mails; keep them in memory rather than
        # printing whole PDFs to the console (or mailing anyone) while seeding.
        with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
            seed_all(log=lambda msg: self.stdout.write(msg))
        if cases:
            from um_portal.demo.bulk import bulk_cases

            bulk_cases(count=cases, out=self.stdout)
        # The reports read daily summaries; a bulk load bypasses the sweep's change tracking
        # (its rows are stamped in the past), so the summaries are rewritten after seeding.
        from reports.rollup.build import rollup_rebuild

        self.stdout.write(f"Report summaries: {rollup_rebuild()} rows.")
        if print_logins:
            self.stdout.write(f"\nDemo logins (password for all: {DEMO_PASSWORD}):")
            for username in PRINTED_USERS:
                self.stdout.write(f"  {username}")
