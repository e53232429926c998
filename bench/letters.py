"""Letter rendering throughput: letters per second for one worker process.

    python -m bench.letters [--letters 40]

Builds decided cases in a throw-away test database (SQLite unless DATABASE_URL is set), then
runs the worker's pipeline (claim → HTML → letter check → WeasyPrint PDF → store with checksum →
e-mail to an in-memory backend → mark sent) one letter after another, as a solo worker would.
"""

import argparse
import os
import statistics
import sys
import tempfile
import time


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.letters", description=__doc__)
    parser.add_argument("--letters", type=int, default=40, help="letters to render (even)")
    args = parser.parse_args(argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "um_portal.settings")
    os.environ.setdefault("UM_VAR_DIR", tempfile.mkdtemp(prefix="um-bench-"))
    import django

    django.setup()
    import logging

    logging.disable(logging.INFO)
    from django.conf import settings
    from django.db import connection
    from django.test.utils import setup_test_environment

    setup_test_environment()
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.CELERY_TASK_ALWAYS_EAGER = True
    old_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, serialize=False)
    try:
        _run(args.letters)
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
    return 0


def _run(count: int) -> None:
    from django.db import transaction

    from determinations.models import Letter
    from determinations.services import LineDecisionInput, determination_issue
    from determinations.services.delivery import letter_process
    from determinations.services.letters import letter_html
    from review.models import CriteriaSet
    from tests.determinations.conftest import RATIONALE, move_to_md_review
    from tests.factories import (
        CoverageFactory,
        MemberFactory,
        OrganizationFactory,
        UserFactory,
        make_case,
    )
    from um_portal.accounts.roles import Role

    intake = UserFactory(roles=[Role.INTAKE])
    nurse = UserFactory(roles=[Role.NURSE], credentials="RN")
    director = UserFactory(roles=[Role.DIRECTOR], credentials="MD")
    org = OrganizationFactory()
    cs = CriteriaSet.objects.create(slug="bench", name="Bench criteria", codes=["72148"])
    ids = []
    for i in range(count // 2):
        member = MemberFactory(preferred_language="es" if i % 2 else "en")
        case = make_case(
            actor=intake, organization=org, lines=2, coverage=CoverageFactory(member=member)
        )
        move_to_md_review(case, intake=intake, nurse=nurse)
        first, second = case.service_lines.all()
        with transaction.atomic():  # on_commit runs after: letters are claimed below
            d = determination_issue(
                case=case,
                director=director,
                line_decisions=[
                    LineDecisionInput(service_line=first, outcome="approved"),
                    LineDecisionInput(
                        service_line=second,
                        outcome="denied",
                        reason_code="not_med_necessary",
                        rationale=RATIONALE,
                        criteria_set=cs,
                        criterion=cs.criteria.first(),
                    ),
                ],
            )
            Letter.objects.filter(determination=d).update(attempts=0)
            ids += list(d.letters.values_list("pk", flat=True))
    # The eager on_commit tasks already processed them; reset so the timed loop does the work.
    Letter.objects.update(status="pending", pdf="", sha256="", sent_at=None, claimed_at=None)

    html_times = []
    for letter in Letter.objects.filter(pk__in=ids[:10]):
        t = time.perf_counter()
        letter_html(letter)
        html_times.append(time.perf_counter() - t)
    per_letter = []
    started = time.perf_counter()
    for letter_id in ids:
        t = time.perf_counter()
        assert letter_process(letter_id) == "sent"
        per_letter.append(time.perf_counter() - t)
    total = time.perf_counter() - started
    print(f"letters rendered and delivered: {len(ids)} (half provider, half member; half Spanish)")
    print(f"total: {total:.2f} s  ->  {len(ids) / total:.2f} letters/s per worker")
    print(
        f"per letter: median {statistics.median(per_letter) * 1000:.0f} ms, "
        f"max {max(per_letter) * 1000:.0f} ms; HTML only: median "
        f"{statistics.median(html_times) * 1000:.0f} ms"
    )


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
