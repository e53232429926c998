"""Server-rendered SVG bar charts: no chart library, no script, readable by a screen reader
through the SVG title and the data table the template shows with it."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Bar:
    key: str
    label: str
    value: int
    y: int
    width: int
    text_x: int


@dataclass(frozen=True)
class BarChart:
    title: str
    bars: list[Bar]
    height: int
    width: int
    label_width: int

    @property
    def total(self) -> int:
        return sum(b.value for b in self.bars)

    @property
    def description(self) -> str:
        return "; ".join(f"{b.label}: {b.value}" for b in self.bars)


def bar_chart(
    title: str,
    rows: list[tuple[str, str, int]],
    *,
    width: int = 420,
    label_width: int = 180,
    bar_height: int = 22,
    gap: int = 8,
) -> BarChart:
    """Horizontal bars scaled to the largest value; `rows` are (key, label, value)."""
    room = width - label_width - 40  # leave space for the value after the bar
    largest = max((value for _, _, value in rows), default=0) or 1
    bars = []
    for i, (key, label, value) in enumerate(rows):
        bar_width = round(room * value / largest)
        bars.append(
            Bar(
                key=key,
                label=label,
                value=value,
                y=i * (bar_height + gap),
                width=bar_width,
                text_x=label_width + bar_width + 6,
            )
        )
    return BarChart(
        title=title,
        bars=bars,
        height=max(len(rows) * (bar_height + gap) - gap, bar_height),
        width=width,
        label_width=label_width,
    )
