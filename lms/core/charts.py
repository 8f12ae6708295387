"""Charts for officers who compare: bar and line charts drawn on the server as SVG.

pygal draws the chart; the page shows it as an ``<img>`` with a ``data:`` URL (the CSP allows
``data:`` images and nothing in the SVG runs), so no script, stylesheet or font comes from
anywhere but the app. Every chart keeps its figures, and ``macros/charts.html`` shows them as
a table under the picture for screen readers and for copying — a chart never hides a number.

    chart = charts.bar(_("按单位"), ["一厂", "二厂"], {_("人次"): [120, 80]})
    {% from "macros/charts.html" import chart_figure %}{{ chart_figure(chart) }}
"""

from __future__ import annotations

import base64
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import pygal
from pygal.style import Style

_SCRIPT = re.compile(rb"<script\b.*?(?:/>|</script>)", re.S)

# The app's palette (app.css) and a CJK font the browser already has: the SVG is an image,
# so it cannot load the page's fonts.
_STYLE = Style(
    background="transparent",
    plot_background="transparent",
    foreground="#1f2933",
    foreground_strong="#1f2933",
    foreground_subtle="#52606d",
    colors=("#b4232a", "#1d6fa5", "#2f855a", "#b7791f", "#6b46c1", "#4a5568"),
    font_family="'Noto Sans CJK SC','WenQuanYi Micro Hei','Microsoft YaHei',sans-serif",
    label_font_size=13,
    major_label_font_size=13,
    legend_font_size=13,
    title_font_size=15,
    value_font_size=12,
)


@dataclass(frozen=True)
class Chart:
    title: str
    labels: list[str]
    series: dict[str, list[float | int | None]]
    svg: bytes

    @property
    def data_uri(self) -> str:
        return "data:image/svg+xml;base64," + base64.b64encode(self.svg).decode("ascii")

    def rows(self) -> list[tuple[str, list]]:
        """(label, one value per series) — the table under the picture."""
        names = list(self.series)
        return [(label, [self.series[n][i] for n in names]) for i, label in enumerate(self.labels)]


def _draw(kind, title: str, labels: Sequence, series: Mapping[str, Sequence], **options) -> Chart:
    labels = [str(label) for label in labels]
    series = {str(name): list(values) for name, values in series.items()}
    for name, values in series.items():
        if len(values) != len(labels):
            raise ValueError(f"series {name!r} has {len(values)} values for {len(labels)} labels")
    graph = kind(
        style=_STYLE,
        title=str(title),
        js=[],  # pygal's tooltips are a script from its CDN: none here
        show_legend=len(series) > 1,
        legend_at_bottom=True,
        print_values=len(labels) * len(series) <= 24,
        width=720,
        height=max(240, 34 * len(labels) + 120) if kind is pygal.HorizontalBar else 360,
        truncate_label=-1,
        **options,
    )
    graph.x_labels = labels
    for name, values in series.items():
        graph.add(name, values)
    return Chart(str(title), labels, series, _without_scripts(graph.render()))


def _without_scripts(svg: bytes) -> bytes:
    """The SVG without pygal's tooltip script: shown as an image it would never run anyway."""
    return _SCRIPT.sub(b"", svg)


def bar(title: str, labels: Sequence, series: Mapping[str, Sequence], *, horizontal=None) -> Chart:
    """Bars per label; horizontal when the labels are many or long (names of organizations)."""
    if horizontal is None:
        horizontal = len(labels) > 6 or any(len(str(label)) > 6 for label in labels)
    return _draw(pygal.HorizontalBar if horizontal else pygal.Bar, title, labels, series)


def line(title: str, labels: Sequence, series: Mapping[str, Sequence]) -> Chart:
    """A trend: one point per label (months, years), one line per series."""
    return _draw(pygal.Line, title, labels, series, x_label_rotation=0)
