"""Draws the demo unions' logos and favicons (`portal/union/demo.py` seeds them).

    .venv/bin/python themes/demo_assets/draw_logos.py

Pure geometry, no fonts, so the output is the same on every machine. Each union gets a
white emblem on a transparent background for the top bar (whose background is the
union's primary colour) and a square favicon: the emblem on a rounded square of that
colour, so it also reads on a light browser tab.
"""

from __future__ import annotations

import math
from pathlib import Path

from PIL import Image, ImageDraw

HERE = Path(__file__).resolve().parent
SCALE = 4  # drawn this many times larger, then scaled down: smooth edges
LOGO_SIZE = 96  # the top bar shows a height-48 rendition at 2rem
FAVICON_SIZE = 128  # base.html asks for fill-64x64
WHITE = (255, 255, 255)


def _ring(draw: ImageDraw.ImageDraw, size: int) -> None:
    width = size * 0.05
    draw.ellipse((width / 2, width / 2, size - width / 2, size - width / 2), outline=255,
                 width=round(width))


def _people(draw: ImageDraw.ImageDraw, size: int, ring: bool) -> None:
    """PAL: three people side by side, the middle one in front (in a ring on the logo)."""
    s = size / 100
    if ring:
        _ring(draw, size)
    floor = 76 * s  # where all three stand: the bodies' flat lower edge

    def person(cx, head_y, head_r, body_w, body_h, grow=0.0):
        fill = 0 if grow else 255
        draw.ellipse((cx - head_r - grow, head_y - head_r - grow,
                      cx + head_r + grow, head_y + head_r + grow), fill=fill)
        draw.chord((cx - body_w - grow, floor - body_h - grow, cx + body_w + grow,
                    floor + body_h + grow), 180, 360, fill=fill)

    for cx in (31, 69):
        person(cx * s, 41 * s, 9.5 * s, 16 * s, 19 * s)
    middle = (50 * s, 34 * s, 11.5 * s, 19.5 * s, 24 * s)
    person(*middle, grow=3.5 * s)  # a gap between the middle figure and the others
    person(*middle)


def _north_star(draw: ImageDraw.ImageDraw, size: int, ring: bool) -> None:
    """Norden: a four-pointed north star with shorter diagonal rays (in a ring on the logo)."""
    s = size / 100
    c = size / 2
    if ring:
        _ring(draw, size)

    def star(long_r, waist, angle_offset):
        points = []
        for i in range(8):
            angle = angle_offset + i * math.pi / 4
            r = long_r if i % 2 == 0 else waist
            points.append((c + r * math.sin(angle), c - r * math.cos(angle)))
        return points

    draw.polygon(star(27 * s, 6 * s, math.pi / 4), fill=255)  # diagonal rays
    draw.polygon(star(40 * s, 9.5 * s, 0), fill=0)  # a gap around the main star
    draw.polygon(star(36 * s, 8 * s, 0), fill=255)
    draw.ellipse((c - 4 * s, c - 4 * s, c + 4 * s, c + 4 * s), fill=0)


EMBLEMS = {"pal": (_people, "#b3001b"), "norden": (_north_star, "#00507a")}


def _mask(emblem, size: int, ring: bool = True) -> Image.Image:
    big = Image.new("L", (size * SCALE, size * SCALE), 0)
    emblem(ImageDraw.Draw(big), size * SCALE, ring)
    return big.resize((size, size), Image.Resampling.LANCZOS)


def logo(slug: str) -> Image.Image:
    emblem, _colour = EMBLEMS[slug]
    image = Image.new("RGBA", (LOGO_SIZE, LOGO_SIZE), (*WHITE, 0))
    image.putalpha(_mask(emblem, LOGO_SIZE))
    return image


def favicon(slug: str) -> Image.Image:
    emblem, colour = EMBLEMS[slug]
    size = FAVICON_SIZE
    tile = Image.new("L", (size * SCALE, size * SCALE), 0)
    ImageDraw.Draw(tile).rounded_rectangle((0, 0, size * SCALE - 1, size * SCALE - 1),
                                           radius=size * SCALE // 5, fill=255)
    tile = tile.resize((size, size), Image.Resampling.LANCZOS)
    image = Image.new("RGBA", (size, size), colour)
    image.putalpha(tile)
    inset = size // 16  # the tile frames the emblem: no ring, so it stays legible at 16 px
    mark = Image.new("RGBA", (size - 2 * inset,) * 2, WHITE)
    mark.putalpha(_mask(emblem, size - 2 * inset, ring=False))
    image.alpha_composite(mark, (inset, inset))
    return image


def main() -> None:
    for slug in EMBLEMS:
        for kind, draw in (("logo", logo), ("favicon", favicon)):
            path = HERE / f"{slug}-{kind}.png"
            draw(slug).save(path, optimize=True)
            print(f"{path.relative_to(HERE.parent.parent)}: {path.stat().st_size} bytes")


if __name__ == "__main__":
    main()
