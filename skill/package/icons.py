"""The skill's icons (108 and 512 px PNG), drawn here so they are the project's own and reproducible.

A teal tile with a white spine: five vertebrae stacked on a gentle curve. Drawn four times larger and
scaled down with Lanczos filtering for smooth edges; opaque (the Alexa app crops icons to a circle,
so everything sits well inside it).
"""
from __future__ import annotations

import io

from PIL import Image, ImageChops, ImageDraw

SIZES = {"small": 108, "large": 512}
TEAL, WHITE, SHADE = (14, 124, 123), (255, 255, 255), (10, 92, 91)
_SCALE = 4


def draw(size: int) -> Image.Image:
    big = size * _SCALE
    image = Image.new("RGB", (big, big), TEAL)
    pen = ImageDraw.Draw(image)
    unit = big / 100  # design on a 100 x 100 grid
    pen.ellipse([18 * unit, 18 * unit, 82 * unit, 82 * unit], fill=SHADE)  # the circle the app shows
    # five vertebrae, widest at the bottom, each shifted to follow the lower back's curve
    for i, (width, shift) in enumerate(((30, -2), (27, 1), (24, 3), (21, 2), (18, 0))):
        centre_x, centre_y = (50 + shift) * unit, (70 - i * 10) * unit
        half_w, half_h = width / 2 * unit, 3.6 * unit
        pen.rounded_rectangle([centre_x - half_w, centre_y - half_h, centre_x + half_w, centre_y + half_h],
                              radius=half_h, fill=WHITE)
    return image.resize((size, size), Image.Resampling.LANCZOS)


def png(size: int) -> bytes:
    out = io.BytesIO()
    draw(size).save(out, format="PNG", optimize=True)
    return out.getvalue()


def same_pixels(a: bytes, b: bytes, tolerance: int = 2) -> bool:
    """Two PNGs show the same picture: same size, no channel differing by more than `tolerance`
    (another Pillow may filter an edge pixel one step differently)."""
    first, second = (Image.open(io.BytesIO(data)).convert("RGB") for data in (a, b))
    if first.size != second.size:
        return False
    extrema = ImageChops.difference(first, second).getextrema()
    return all(high <= tolerance for _, high in extrema)
