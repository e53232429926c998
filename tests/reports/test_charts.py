from reports.charts import bar_chart, nice_ceiling


def test_nice_ceiling_rounds_up_to_round_steps():
    assert nice_ceiling(0) == (4.0, 1.0)
    assert nice_ceiling(7) == (8, 2)
    assert nice_ceiling(95) == (100, 25)
    assert nice_ceiling(1234) == (2000, 500)


def test_bar_chart_geometry_scales_to_the_axis():
    chart = bar_chart(
        slug="t",
        title="T",
        description="D",
        categories=["a", "b"],
        series=[("Received", [4, 8], "series-a"), ("Decided", [0, 2], "series-b")],
        width=400,
        height=200,
    )
    assert len(chart.bars) == 4
    top = max(chart.bars, key=lambda b: b.height)
    assert top.tooltip == "b: 8 received"
    # 8 is the axis top: the bar fills the plot height (200 - 36 bottom - 12 top).
    assert top.height == 152.0
    assert [t.label for t in chart.y_ticks] == ["0", "2", "4", "6", "8"]
    assert [t.label for t in chart.x_labels] == ["a", "b"]


def test_bar_chart_thins_x_labels():
    chart = bar_chart(
        slug="t",
        title="T",
        description="D",
        categories=[str(i) for i in range(31)],
        series=[("Cases", [1] * 31, "series-a")],
    )
    assert len(chart.x_labels) == 11
