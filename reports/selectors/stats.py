"""Duration statistics (count, mean, median, 90th percentile) computed in the database.

PostgreSQL has `percentile_cont`; SQLite has no ordered-set aggregates, so there the selector
fetches the ordered durations in one query and interpolates exactly as percentile_cont does.
Both paths give the same numbers; the tests run both on PostgreSQL.
"""

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta
from itertools import groupby

from django.db import connection
from django.db.models import Aggregate, Avg, Count, DurationField, ExpressionWrapper, F, QuerySet

PERCENTILES = {"median": 0.5, "p90": 0.9}


class Percentile(Aggregate):
    """PostgreSQL `percentile_cont(fraction) WITHIN GROUP (ORDER BY expression)`."""

    function = "PERCENTILE_CONT"
    name = "Percentile"
    template = "%(function)s(%(fraction)s) WITHIN GROUP (ORDER BY %(expressions)s)"

    def __init__(self, expression, fraction: float, **extra):
        fraction = float(fraction)
        if not 0.0 <= fraction <= 1.0:
            raise ValueError("A percentile fraction lies between 0 and 1.")
        # The fraction is our own float, formatted by us: no user text reaches the SQL.
        super().__init__(expression, fraction=repr(fraction), **extra)


@dataclass(frozen=True)
class DurationStats:
    count: int
    mean: timedelta | None = None
    median: timedelta | None = None
    p90: timedelta | None = None


EMPTY = DurationStats(count=0)


def percentile_cont(ordered: Sequence[float], fraction: float) -> float:
    """Linear interpolation between the closest ranks, as PostgreSQL's percentile_cont."""
    if not ordered:
        raise ValueError("No values.")
    position = fraction * (len(ordered) - 1)
    lower, upper = math.floor(position), math.ceil(position)
    if lower == upper:
        return ordered[lower]
    return ordered[lower] + (ordered[upper] - ordered[lower]) * (position - lower)


def _duration(start_field: str, end_field: str) -> ExpressionWrapper:
    return ExpressionWrapper(F(end_field) - F(start_field), output_field=DurationField())


def _seconds_to_delta(seconds: float) -> timedelta:
    # Whole seconds: the reports show minutes at best, and both paths then agree exactly.
    return timedelta(seconds=round(seconds))


def _round(value: timedelta | None) -> timedelta | None:
    return None if value is None else _seconds_to_delta(value.total_seconds())


def use_database_percentiles() -> bool:
    return connection.vendor == "postgresql"


def duration_stats(
    qs: QuerySet,
    *,
    start_field: str = "received_at",
    end_field: str = "decided_at",
    group_by: tuple[str, ...] = (),
    in_database: bool | None = None,
) -> dict[tuple, DurationStats]:
    """Statistics of `end_field - start_field` over `qs`, per value of `group_by`.

    One query either way. Rows with either field empty are left out.
    """
    in_database = use_database_percentiles() if in_database is None else in_database
    qs = qs.order_by().filter(**{f"{start_field}__isnull": False, f"{end_field}__isnull": False})
    duration = _duration(start_field, end_field)
    if in_database:
        aggregates = {
            "n": Count("pk"),
            "mean": Avg(duration),
            **{k: Percentile(duration, f) for k, f in PERCENTILES.items()},
        }
        if group_by:
            rows = list(qs.values(*group_by).annotate(**aggregates))
        else:
            rows = [qs.aggregate(**aggregates)]
        result = {}
        for row in rows:
            if not row["n"]:
                continue
            key = tuple(row[g] for g in group_by)
            result[key] = DurationStats(
                count=row["n"],
                mean=_round(row["mean"]),
                median=_round(row["median"]),
                p90=_round(row["p90"]),
            )
        return result
    ordered = (
        qs.annotate(_duration=duration)
        .order_by(*group_by, "_duration")
        .values_list(*group_by, "_duration")
    )
    result = {}
    width = len(group_by)
    for key, group in groupby(ordered.iterator(chunk_size=5000), key=lambda r: r[:width]):
        seconds = [r[width].total_seconds() for r in group]
        result[tuple(key)] = DurationStats(
            count=len(seconds),
            mean=_seconds_to_delta(sum(seconds) / len(seconds)),
            **{k: _seconds_to_delta(percentile_cont(seconds, f)) for k, f in PERCENTILES.items()},
        )
    return result
