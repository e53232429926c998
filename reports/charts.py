"""Server-rendered SVG bar charts: the geometry is computed here, the markup is in
templates/reports/includes/*.html. No JavaScript, no CDN; each chart has a title and a
description for screen readers, and the same numbers are in a table next to it."""

import math
from dataclasses import dataclass, field

WIDTH = 720
HEIGHT = 240
MARGIN_LEFT = 48
MARGIN_BOTTOM = 36
MARGIN_TOP = 12
MAX_X_LABELS = 12


def nice_ceiling(value: float) -> tuple[float, float]:
    """A round axis maximum (1, 2, 2.5 or 5 × 10^k steps, four ticks) at or above `value`."""
    if value <= 0:
        return 4.0, 1.0  # an empty chart still gets whole-number ticks
    raw_step = value / 4
    magnitude = 10 ** math.floor(math.log10(raw_step))
    for multiple in (1, 2, 2.5, 5, 10):
        step = multiple * magnitude
        if step >= raw_step:
            break
    return step * 4, step


def _tick_label(value: float) -> str:
    return f"{value:,.0f}" if value == int(value) else f"{value:,.1f}"


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    css: str
    tooltip: str


@dataclass(frozen=True)
class Tick:
    position: float
    label: str


@dataclass
class BarChart:
    title: str
    description: str
    width: int = WIDTH
    height: int = HEIGHT
    bars: list[Bar] = field(default_factory=list)
    y_ticks: list[Tick] = field(default_factory=list)
    x_labels: list[Tick] = field(default_factory=list)
    legend: list[tuple[str, str]] = field(default_factory=list)  # (label, css class)
    slug: str = "chart"

    @property
    def plot_left(self) -> int:
        return MARGIN_LEFT

    @property
    def plot_bottom(self) -> int:
        return self.height - MARGIN_BOTTOM

    @property
    def plot_right(self) -> int:
        return self.width - 8


def bar_chart(
    *,
    slug: str,
    title: str,
    description: str,
    categories: list[str],
    series: list[tuple[str, list[float], str]],
    width: int = WIDTH,
    height: int = HEIGHT,
) -> BarChart:
    """Vertical bars, one group per category and one bar per series in the group."""
    chart = BarChart(title=title, description=description, width=width, height=height, slug=slug)
    chart.legend = [(name, css) for name, _, css in series]
    top, step = nice_ceiling(max((v for _, values, _ in series for v in values), default=0))
    plot_height = height - MARGIN_BOTTOM - MARGIN_TOP
    plot_width = width - MARGIN_LEFT - 8
    scale = plot_height / top
    chart.y_ticks = [
        Tick(round(height - MARGIN_BOTTOM - i * step * scale, 2), _tick_label(i * step))
        for i in range(0, 5)
    ]
    if not categories:
        return chart
    group = plot_width / len(categories)
    bar_width = max(group * 0.8 / len(series), 1)
    every = max(1, math.ceil(len(categories) / MAX_X_LABELS))
    for i, category in enumerate(categories):
        left = MARGIN_LEFT + i * group + group * 0.1
        for j, (name, values, css) in enumerate(series):
            value = values[i]
            h = value * scale
            chart.bars.append(
                Bar(
                    x=round(left + j * bar_width, 2),
                    y=round(height - MARGIN_BOTTOM - h, 2),
                    width=round(bar_width, 2),
                    height=round(h, 2),
                    css=css,
                    tooltip=f"{category}: {_tick_label(value)} {name.lower()}",
                )
            )
        if i % every == 0:
            chart.x_labels.append(Tick(round(MARGIN_LEFT + (i + 0.5) * group, 2), category))
    return chart
