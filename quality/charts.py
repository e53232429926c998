"""A small server-rendered SVG line chart per goal (weekly values against the target); the
markup is in templates/quality/includes/trend.html, the numbers are in a table beside it."""

from dataclasses import dataclass
from decimal import Decimal

WIDTH = 260
HEIGHT = 80
PAD = 6


@dataclass(frozen=True)
class Point:
    x: float
    y: float
    label: str


@dataclass(frozen=True)
class TrendChart:
    slug: str
    title: str
    description: str
    points: list[Point]
    target_y: float
    width: int = WIDTH
    height: int = HEIGHT

    @property
    def polyline(self) -> str:
        return " ".join(f"{p.x},{p.y}" for p in self.points)


def _y(value: Decimal | float, top: float) -> float:
    plot = HEIGHT - 2 * PAD
    return round(HEIGHT - PAD - float(value) / top * plot, 2)


def trend_chart(
    *,
    slug: str,
    title: str,
    labels: list[str],
    values: list[Decimal | None],
    target: Decimal,
    kappa: bool = False,
) -> TrendChart:
    """Percentages on a fixed 0–100 scale (so two goals' lines compare by eye), a kappa on 0–1;
    a week with nothing to measure is left out of the line rather than drawn as zero."""
    top = 1.0 if kappa else 100.0
    unit, empty = ("", "no audit") if kappa else (" %", "no cases")
    step = (WIDTH - 2 * PAD) / max(len(values) - 1, 1)
    points = [
        Point(round(PAD + i * step, 2), _y(max(value, 0), top), f"{label}: {value}{unit}")
        for i, (label, value) in enumerate(zip(labels, values, strict=True))
        if value is not None
    ]
    measured = [
        f"{label} {value}{unit}" if value is not None else f"{label} {empty}"
        for label, value in zip(labels, values, strict=True)
    ]
    return TrendChart(
        slug=slug,
        title=title,
        description="Weekly values, oldest first: "
        + "; ".join(measured)
        + f". Target {target}{unit}.",
        points=points,
        target_y=_y(target, top),
    )
