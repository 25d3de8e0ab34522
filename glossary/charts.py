"""Bar charts drawn on the server as accessible SVG: no JavaScript, nothing fetched.

Each chart carries a ``<title>`` and a ``<desc>`` that states every value, is marked
``role="img"`` with ``aria-labelledby`` pointing at both, and is shown next to a table
with the same numbers (see ``templates/trainers/_chart.html``). Colours are presentation
attributes, not ``style``, so the Content Security Policy allows them and they print.
Right-to-left interfaces get a mirrored drawing: labels on the right, bars growing left,
time running from right to left.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass, field

from markupsafe import Markup

SVG_NS = "http://www.w3.org/2000/svg"
FILL, TRACK, INK, AXIS = "#0b5cad", "#e3e8ee", "#1b1f24", "#6e7781"
FONT = "Noto Sans, Noto Naskh Arabic, Noto Sans Ethiopic, sans-serif"
MAX_LABEL = 32


@dataclass(frozen=True)
class Bar:
    """One bar: its label, the value it is drawn from and the text shown beside it."""

    label: str
    value: float
    text: str
    lang: str | None = None  # when the label is in another language than the interface


@dataclass
class Chart:
    """A titled set of bars; ``kind`` is ``bars`` (horizontal) or ``columns`` (vertical,
    for values over time). ``maximum`` is the value of a full bar (the largest value
    when not given). ``headers`` name the two columns of the table alternative."""

    chart_id: str
    title: str
    description: str
    bars: list[Bar]
    kind: str = "bars"
    maximum: float | None = None
    headers: tuple[str, str] = ("", "")
    width: int = 640
    notes: list[str] = field(default_factory=list)

    def svg(self, *, rtl: bool = False) -> Markup:
        """The chart as inline SVG markup (escaped, safe to insert in a page)."""
        draw = _columns if self.kind == "columns" else _bars
        return Markup(ET.tostring(draw(self, rtl), encoding="unicode"))

    @property
    def top(self) -> float:
        """The value of a full-length bar (never zero)."""
        return self.maximum or max((b.value for b in self.bars), default=0) or 1


def _root(chart: Chart, width: int, height: int) -> ET.Element:
    svg = ET.Element("svg", {
        "xmlns": SVG_NS, "class": f"chart chart-{chart.kind}", "id": chart.chart_id,
        "viewBox": f"0 0 {width} {height}", "width": str(width), "height": str(height),
        "role": "img", "aria-labelledby": f"{chart.chart_id}-title {chart.chart_id}-desc",
        "font-family": FONT, "font-size": "13",
    })
    ET.SubElement(svg, "title", {"id": f"{chart.chart_id}-title"}).text = chart.title
    ET.SubElement(svg, "desc", {"id": f"{chart.chart_id}-desc"}).text = chart.description
    return svg


def _short(label: str) -> str:
    return label if len(label) <= MAX_LABEL else label[: MAX_LABEL - 1] + "…"


def _text(parent: ET.Element, text: str, x: float, y: float, anchor: str, *, rtl: bool,
          cls: str, lang: str | None = None, size: str | None = None) -> ET.Element:
    attrs = {"class": cls, "x": f"{x:.1f}", "y": f"{y:.1f}", "text-anchor": anchor,
             "fill": INK}
    if rtl:
        attrs["direction"] = "rtl"
    if lang:
        attrs["lang"] = lang
    if size:
        attrs["font-size"] = size
    element = ET.SubElement(parent, "text", attrs)
    element.text = text
    return element


def _bars(chart: Chart, rtl: bool) -> ET.Element:
    """Horizontal bars: label, track with the bar, value text."""
    row, thickness, pad = 26, 16, 8
    longest = max((len(_short(b.label)) for b in chart.bars), default=8)
    label_w = min(max(longest * 7.5 + 2 * pad, 90), 280)
    value_w = max((len(b.text) for b in chart.bars), default=4) * 7 + 2 * pad
    width = max(chart.width, int(label_w + value_w + 160))
    track_w = width - label_w - value_w
    height = max(len(chart.bars), 1) * row + 2 * pad
    svg = _root(chart, width, height)

    def x(start: float, span: float = 0) -> float:
        # Mirror horizontally for right-to-left interfaces.
        return width - start - span if rtl else start

    if not chart.bars:
        _text(svg, "—", x(pad), pad + row / 2 + 4, "start", rtl=rtl, cls="chart-empty")
    for n, bar in enumerate(chart.bars):
        top = pad + n * row
        length = track_w * min(max(bar.value / chart.top, 0), 1)
        group = ET.SubElement(svg, "g", {"class": "chart-bar", "data-label": bar.label,
                                         "data-value": f"{bar.value:g}"})
        # "end" is the side next to the bars in both directions.
        _text(group, _short(bar.label), x(label_w - pad), top + row / 2 + 4, "end", rtl=rtl,
              cls="chart-label", lang=bar.lang)
        ET.SubElement(group, "rect", {"class": "chart-track", "x": f"{x(label_w, track_w):.1f}",
                                      "y": f"{top + (row - thickness) / 2:.1f}",
                                      "width": f"{track_w:.1f}", "height": str(thickness),
                                      "fill": TRACK})
        ET.SubElement(group, "rect", {"class": "chart-fill", "x": f"{x(label_w, length):.1f}",
                                      "y": f"{top + (row - thickness) / 2:.1f}",
                                      "width": f"{length:.1f}", "height": str(thickness),
                                      "fill": FILL})
        _text(group, bar.text, x(label_w + track_w + pad), top + row / 2 + 4, "start",
              rtl=rtl, cls="chart-value")
    return svg


def _columns(chart: Chart, rtl: bool) -> ET.Element:
    """Vertical columns over a baseline, value above each, label below."""
    pad, plot_h, label_h, value_h = 8, 160, 34, 18
    slot = max((chart.width - 2 * pad) / max(len(chart.bars), 1), 56)
    width = int(max(chart.width, slot * len(chart.bars) + 2 * pad))
    height = pad + value_h + plot_h + label_h
    base = pad + value_h + plot_h
    svg = _root(chart, width, height)
    ET.SubElement(svg, "line", {"class": "chart-axis", "x1": str(pad), "x2": str(width - pad),
                                "y1": str(base), "y2": str(base), "stroke": AXIS})
    if not chart.bars:
        _text(svg, "—", width / 2, base - plot_h / 2, "middle", rtl=rtl, cls="chart-empty")
    for n, bar in enumerate(chart.bars):
        column = len(chart.bars) - 1 - n if rtl else n
        middle = pad + slot * column + slot / 2
        tall = plot_h * min(max(bar.value / chart.top, 0), 1)
        group = ET.SubElement(svg, "g", {"class": "chart-bar", "data-label": bar.label,
                                         "data-value": f"{bar.value:g}"})
        ET.SubElement(group, "rect", {"class": "chart-fill", "x": f"{middle - slot * 0.3:.1f}",
                                      "y": f"{base - tall:.1f}", "width": f"{slot * 0.6:.1f}",
                                      "height": f"{tall:.1f}", "fill": FILL})
        _text(group, bar.text, middle, base - tall - 4, "middle", rtl=rtl, cls="chart-value")
        for line, part in enumerate(bar.label.split("\n")):
            _text(group, part, middle, base + 15 + 13 * line, "middle", rtl=rtl,
                  cls="chart-label", lang=bar.lang, size="11")
    return svg


def percent(part: int, whole: int) -> int:
    """``part`` of ``whole`` as a whole percentage (0 when ``whole`` is 0)."""
    return round(100 * part / whole) if whole else 0
