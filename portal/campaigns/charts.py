"""Server-rendered SVG charts of the key figures: no JavaScript, a text alternative in
the SVG (`role="img"`, title and description) and a table beside each for screen readers
and for reading exact values. Every text goes through format_html (escaped)."""

from __future__ import annotations

import datetime as dt

from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

WIDTH, HEIGHT = 480, 200
PAD_LEFT, PAD_RIGHT, PAD_TOP, PAD_BOTTOM = 44, 12, 12, 26


def _join(parts) -> SafeString:
    """Pieces already built by format_html, joined (each stays escaped as built)."""
    return format_html_join("", "{}", ((part,) for part in parts))


def bars(*, title: str, description: str, items: list[tuple[str, int]],
         chart_id: str) -> SafeString:
    """Horizontal bars, one per (label, value), scaled to the largest value; each label on
    its own line above its bar, so the chart stays legible at a phone's width."""
    width, row_height = 360, 46
    height = row_height * len(items)
    top = max((value for _, value in items), default=0) or 1
    span = width - 48

    def bar(index, label, value):
        y = index * row_height
        length = round(span * value / top) if value else 0
        return format_html(
            '<g><text x="0" y="{}" class="chart__label">{}</text>'
            '<rect x="0" y="{}" width="{}" height="16" class="chart__bar"></rect>'
            '<text x="{}" y="{}" class="chart__value">{}</text></g>',
            y + 15, label, y + 21, max(length, 2), max(length, 2) + 6, y + 34, value)

    body = _join(bar(i, label, value) for i, (label, value) in enumerate(items))
    return format_html(
        '<svg class="chart chart--bars" viewBox="0 0 {} {}" role="img" '
        'aria-labelledby="{}-t {}-d" preserveAspectRatio="xMinYMin meet">'
        '<title id="{}-t">{}</title><desc id="{}-d">{}</desc>{}</svg>',
        width, height, chart_id, chart_id, chart_id, title, chart_id, description, body)


def density_line(*, title: str, description: str, points: list[tuple[dt.date, float]],
                 start: float | None, start_label: str, chart_id: str) -> SafeString:
    """Density (0–100 %) per day as a line, with the density at the start as a dashed
    reference line. Fewer than two points: the line is a dot."""
    plot_w = WIDTH - PAD_LEFT - PAD_RIGHT
    plot_h = HEIGHT - PAD_TOP - PAD_BOTTOM
    values = [v for _, v in points] + ([start] if start is not None else [])
    top = min(100.0, max(10.0, (max(values, default=0) // 10 + 1) * 10))

    def y(value):
        return round(PAD_TOP + plot_h * (1 - value / top), 1)

    def x(index):
        return round(PAD_LEFT + (plot_w * index / (len(points) - 1) if len(points) > 1
                                 else plot_w / 2), 1)

    grid = format_html_join("", '<g><line x1="{}" x2="{}" y1="{}" y2="{}" class="chart__grid">'
                            '</line><text x="{}" y="{}" class="chart__axis" text-anchor="end">'
                            '{} %</text></g>',
                            ((PAD_LEFT, WIDTH - PAD_RIGHT, y(v), y(v), PAD_LEFT - 6, y(v) + 4,
                              int(v)) for v in (0, top / 2, top)))
    parts = [grid]
    if start is not None:
        parts.append(format_html(
            '<line x1="{}" x2="{}" y1="{}" y2="{}" class="chart__start"></line>'
            '<text x="{}" y="{}" class="chart__axis" text-anchor="end">{}</text>',
            PAD_LEFT, WIDTH - PAD_RIGHT, y(start), y(start), WIDTH - PAD_RIGHT,
            y(start) + 16 if y(start) < PAD_TOP + 20 else y(start) - 5, start_label))
    if points:
        coords = " ".join(f"{x(i)},{y(v)}" for i, (_, v) in enumerate(points))
        parts.append(format_html('<polyline points="{}" class="chart__line"></polyline>',
                                 coords))
        parts.append(format_html_join("", '<circle cx="{}" cy="{}" r="3" class="chart__dot">'
                                      '</circle>', ((x(i), y(v)) for i, (_, v)
                                                    in enumerate(points))))
        for index in sorted({0, len(points) - 1}):
            parts.append(format_html(
                '<text x="{}" y="{}" class="chart__axis" text-anchor="{}">{}</text>',
                x(index), HEIGHT - 8, "start" if index == 0 and len(points) > 1 else "end",
                date_format(points[index][0], "SHORT_DATE_FORMAT")))
    return format_html(
        '<svg class="chart" viewBox="0 0 {} {}" role="img" aria-labelledby="{}-t {}-d" '
        'preserveAspectRatio="xMinYMin meet"><title id="{}-t">{}</title>'
        '<desc id="{}-d">{}</desc>{}</svg>',
        WIDTH, HEIGHT, chart_id, chart_id, chart_id, title, chart_id, description,
        _join(parts))
