"""Bar charts drawn as SVG on the server: no script, readable by screen readers through their
title and the data table printed beside each chart."""

from dataclasses import dataclass

from egov.reports.tables import number, percent

WIDTH = 320  # the drawing's own units; it scales to the page's width
BAR = 22
GAP = 10
LABEL = 130


@dataclass
class Bar:
    label: str
    value: float
    text: str
    y: float = 0
    width: float = 0
    colour: str = "c1"


@dataclass
class Chart:
    id: str
    title: str
    bars: list[Bar]
    height: float = 0
    plot_x: int = LABEL
    plot_width: int = WIDTH - LABEL - 60


def bars(chart_id: str, title: str, items: list[tuple[str, float | None]], unit: str = "count"):
    """A horizontal bar per item; ``unit`` is count or percent (scaled to 100)."""
    largest = 100 if unit == "percent" else max([value or 0 for _label, value in items] or [0])
    chart = Chart(chart_id, title, [])
    for index, (label, value) in enumerate(items):
        text = percent(value) if unit == "percent" else number(int(value or 0))
        bar = Bar(str(label), value or 0, text, colour=f"c{index % 4 + 1}")
        bar.y = index * (BAR + GAP)
        bar.width = round(chart.plot_width * float(bar.value) / float(largest), 1) if largest else 0
        chart.bars.append(bar)
    chart.height = len(items) * (BAR + GAP)
    return chart
