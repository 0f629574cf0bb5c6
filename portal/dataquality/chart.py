"""The report's charts as plain SVG geometry (no script: the admin runs under a CSP).
Each check gets a small bar chart of its counts over the last snapshots, on its own
scale, so that a check counting thousands does not flatten one counting ten."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils import formats
from django.utils.timezone import localtime

WIDTH, HEIGHT = 240, 64
GAP = 2


@dataclass
class Bar:
    x: float
    y: float
    width: float
    height: float
    count: int
    when: str
    latest: bool


@dataclass
class Chart:
    bars: list[Bar]
    maximum: int
    first: str
    last: str
    width: int = WIDTH
    height: int = HEIGHT


def chart_for(key: str, history) -> Chart | None:
    """Bars for check `key` over `history` (snapshots, oldest first); None when no
    snapshot has counted it."""
    points = [(s, s.counts[key]) for s in history if s.counts.get(key) is not None]
    if not points:
        return None
    maximum = max(count for _s, count in points)
    slot = WIDTH / max(len(points), 6)  # a lone snapshot is a bar, not a block
    bars = []
    for i, (snapshot, count) in enumerate(points):
        height = (HEIGHT - 1) * count / maximum if maximum else 0
        height = max(height, 1)  # a zero is a visible baseline stub
        bars.append(Bar(x=round(i * slot + GAP / 2, 2), y=round(HEIGHT - height, 2),
                        width=round(slot - GAP, 2), height=round(height, 2), count=count,
                        when=formats.date_format(localtime(snapshot.created_at),
                                                 "SHORT_DATETIME_FORMAT"),
                        latest=i == len(points) - 1))
    return Chart(bars=bars, maximum=maximum, first=bars[0].when, last=bars[-1].when)
