"""Duration statistics (count, mean, median, 90th percentile) computed in the database.

PostgreSQL has `percentile_cont`; SQLite has no ordered-set aggregates, so there the selector
fetches the ordered durations in one query and interpolates exactly as percentile_cont does.
Both paths give the same numbers; the tests run both on PostgreSQL.
"""

import heapq
import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta
from itertools import groupby

from django.db import connection, connections
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
    subtotal_by: tuple[str, ...] | None = None,
    in_database: bool | None = None,
) -> dict[tuple, DurationStats]:
    """Statistics of `end_field - start_field` over `qs`, per value of `group_by`.

    With `subtotal_by` (a leading part of `group_by`, e.g. priority of priority × line of
    business) the result also holds the statistics per value of that shorter key, keyed by the
    shorter tuple. One query either way. Rows with either field empty are left out.
    """
    in_database = use_database_percentiles() if in_database is None else in_database
    if subtotal_by is not None and group_by[: len(subtotal_by)] != subtotal_by:
        raise ValueError("subtotal_by must be a leading part of group_by.")
    qs = qs.order_by().filter(**{f"{start_field}__isnull": False, f"{end_field}__isnull": False})
    duration = _duration(start_field, end_field)
    if not in_database:
        return _python_stats(qs, duration, group_by, subtotal_by)
    if subtotal_by is not None:
        return _grouping_sets_stats(qs, duration, group_by, subtotal_by)
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
        result[key] = _database_stats(row["n"], row["mean"], row["median"], row["p90"])
    return result


def _database_stats(count: int, mean, median, p90) -> DurationStats:
    return DurationStats(count=count, mean=_round(mean), median=_round(median), p90=_round(p90))


def _grouping_sets_stats(
    qs: QuerySet, duration, group_by: tuple[str, ...], subtotal_by: tuple[str, ...]
) -> dict[tuple, DurationStats]:
    """Both levels in one pass with GROUPING SETS, which the ORM cannot write.

    percentile_cont cannot be added up from the finer groups, so the subtotals need their own
    aggregate; two separate queries scanned, joined and sorted the same ~57,000 decided cases
    twice on the 12-month dashboard. The ORM still writes the inner query (the report filters,
    with their parameters); only the grouping around it is SQL of ours, built from column
    aliases and the PERCENTILES constants, never from user input.
    """
    keys = [f"key_{i}" for i in range(len(group_by))]
    inner = qs.values(**{k: F(g) for k, g in zip(keys, group_by, strict=True)}, span=duration)
    inner_sql, params = inner.query.sql_with_params()
    percentiles = ", ".join(
        f"PERCENTILE_CONT({float(f)!r}) WITHIN GROUP (ORDER BY span)" for f in PERCENTILES.values()
    )
    all_keys, sub_keys = ", ".join(keys), ", ".join(keys[: len(subtotal_by)])
    # GROUPING(...) is 0 on the rows of the full grouping set and non-zero on the subtotals,
    # whatever the key values are (a NULL key value cannot pass for a subtotal).
    sql = f"""
        SELECT {all_keys}, GROUPING({all_keys}), COUNT(*), AVG(span), {percentiles}
        FROM ({inner_sql}) AS durations
        GROUP BY GROUPING SETS (({all_keys}), ({sub_keys}))
    """  # noqa: S608 - aliases and constants of ours; the values stay parameters
    with connections[qs.db].cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    width, result = len(group_by), {}
    for row in rows:
        key = row[:width] if row[width] == 0 else row[: len(subtotal_by)]
        result[tuple(key)] = _database_stats(*row[width + 1 :])
    return result


def _python_stats(
    qs: QuerySet, duration, group_by: tuple[str, ...], subtotal_by: tuple[str, ...] | None
) -> dict[tuple, DurationStats]:
    """The ordered durations in one query, and percentile_cont's interpolation in Python."""
    ordered = (
        qs.annotate(_duration=duration)
        .order_by(*group_by, "_duration")
        .values_list(*group_by, "_duration")
    )
    width = len(group_by)
    groups: dict[tuple, list[float]] = {}
    for key, group in groupby(ordered.iterator(chunk_size=5000), key=lambda r: r[:width]):
        groups[tuple(key)] = [r[width].total_seconds() for r in group]
    if subtotal_by is not None:
        subtotals: dict[tuple, list[list[float]]] = {}
        for key, seconds in groups.items():
            subtotals.setdefault(key[: len(subtotal_by)], []).append(seconds)
        # Each group's list is sorted already; merging keeps the subtotal sorted too.
        merged = {key: list(heapq.merge(*parts)) for key, parts in subtotals.items()}
        groups.update(merged)
    return {key: _stats_of(seconds) for key, seconds in groups.items()}


def _stats_of(seconds: list[float]) -> DurationStats:
    return DurationStats(
        count=len(seconds),
        mean=_seconds_to_delta(sum(seconds) / len(seconds)),
        **{k: _seconds_to_delta(percentile_cont(seconds, f)) for k, f in PERCENTILES.items()},
    )


def micros_stats(micros: list[int]) -> DurationStats:
    """Statistics of durations given in microseconds (the daily summaries' decision times),
    interpolated as percentile_cont; equal to `duration_stats` over the same cases."""
    if not micros:
        return EMPTY
    ordered = sorted(micros)
    return DurationStats(
        count=len(ordered),
        mean=_seconds_to_delta(sum(ordered) / len(ordered) / 1e6),
        **{k: _seconds_to_delta(percentile_cont(ordered, f) / 1e6) for k, f in PERCENTILES.items()},
    )
