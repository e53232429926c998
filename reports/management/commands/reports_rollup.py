"""Build the reports' daily summaries: `--rebuild` rewrites every day (after a bulk load or a
change of definitions); without it, the same sweep Celery beat runs every five minutes."""

import time

from django.core.management.base import BaseCommand

from reports.rollup.build import rollup_rebuild, rollup_refresh


class Command(BaseCommand):
    help = "Refresh (or with --rebuild, rewrite) the reports' daily decision summaries."

    def add_arguments(self, parser):
        parser.add_argument("--rebuild", action="store_true", help="Rewrite every day.")

    def handle(self, *args, rebuild: bool = False, **options):
        started = time.monotonic()
        written = rollup_rebuild() if rebuild else rollup_refresh()
        self.stdout.write(
            f"Daily summaries: {written} rows written in {time.monotonic() - started:.1f} s."
        )
