from datetime import timedelta

import pytest

from intake.models import CareRequest
from reports.selectors.stats import Percentile, duration_stats, percentile_cont
from tests.reports.conftest import H


def test_percentile_cont_interpolates_like_postgresql():
    assert percentile_cont([1.0], 0.5) == 1.0
    assert percentile_cont([1.0, 2.0], 0.5) == 1.5
    assert percentile_cont([0.0, 10.0, 20.0, 30.0], 0.9) == pytest.approx(27.0)
    assert percentile_cont([5.0, 7.0, 9.0], 0.0) == 5.0
    assert percentile_cont([5.0, 7.0, 9.0], 1.0) == 9.0


def test_percentile_cont_needs_values():
    with pytest.raises(ValueError):
        percentile_cont([], 0.5)


def test_percentile_rejects_a_fraction_outside_0_to_1():
    with pytest.raises(ValueError):
        Percentile("received_at", 1.5)


def _decided(dataset):
    return CareRequest.objects.filter(
        coverage__plan=dataset.ma_plan,
        status__in=["approved", "partially_approved", "denied"],
        decided_at__year=2025,
    )


def test_python_path_groups_and_skips_undecided(dataset):
    stats = duration_stats(_decided(dataset), group_by=("priority",), in_database=False)
    assert stats[("expedited",)].median == 30 * H
    assert stats[("standard",)].count == 7
    assert stats[("standard",)].p90 == 216 * H


def test_python_path_without_groups(dataset):
    stats = duration_stats(_decided(dataset), in_database=False)
    # 0.5, 10, 24, 30, 48 | 80, 96, 168, 200, 240 hours
    assert stats[()].count == 10
    assert stats[()].median == 64 * H


def test_database_path_matches_python_path(dataset, require_postgres):
    for group_by in ((), ("priority",), ("priority", "coverage__plan__line_of_business")):
        in_db = duration_stats(_decided(dataset), group_by=group_by, in_database=True)
        in_py = duration_stats(_decided(dataset), group_by=group_by, in_database=False)
        assert in_db == in_py
    assert in_db[("standard", "medicare_advantage")].mean == timedelta(
        seconds=round(776.5 * 3600 / 7)
    )


def test_empty_set_has_no_groups(db):
    assert (
        duration_stats(CareRequest.objects.none(), group_by=("priority",), in_database=False) == {}
    )
