"""Abstract placeholder pictures drawn with Pillow, so the demo needs no stock
photography and no network."""

from __future__ import annotations

import io
import random

from django.core.files.images import ImageFile
from PIL import Image as PILImage
from PIL import ImageDraw, ImageFilter
from wagtail.images import get_image_model

# title -> (top colour, bottom colour, shape colour), soft and calm on purpose.
PALETTES: dict[str, tuple[str, str, str]] = {
    "Morning light": ("#f6d8b8", "#8fb9c9", "#fff4e6"),
    "Still water": ("#bfe3e0", "#3d7a8c", "#e8f6f4"),
    "Warm stone": ("#e9c9a6", "#9b6b4e", "#f7e7d4"),
    "Forest path": ("#cfe3c2", "#4f7d5b", "#eef6e8"),
    "Evening calm": ("#d7c6e6", "#4d4a7a", "#f1eaf7"),
    "Sea breeze": ("#d4ecf7", "#2f6f9f", "#f2fafe"),
    "Soft clay": ("#f3d3c7", "#b3645a", "#fbeee9"),
    "Sand dunes": ("#f5e6c4", "#c09a55", "#fdf7e8"),
}


def draw_abstract(*, title: str, size: tuple[int, int] = (1200, 675)) -> bytes:
    """A vertical gradient with a few blurred circles; the same title always
    draws the same picture."""
    top, bottom, shape = PALETTES[title]
    width, height = size
    mask = PILImage.linear_gradient("L").resize(size)
    canvas = PILImage.composite(
        PILImage.new("RGB", size, bottom), PILImage.new("RGB", size, top), mask
    )
    # The shapes are drawn into a quarter-size alpha mask, blurred, then scaled
    # up: softer edges for a fraction of the work.
    small = (width // 4, height // 4)
    mask = PILImage.new("L", small, 0)
    draw = ImageDraw.Draw(mask)
    rng = random.Random(title)
    for _ in range(5):
        radius = rng.randint(small[1] // 8, small[1] // 3)
        x, y = rng.randint(0, small[0]), rng.randint(0, small[1])
        draw.ellipse(
            (x - radius, y - radius, x + radius, y + radius), fill=rng.randint(60, 130)
        )
    mask = mask.filter(ImageFilter.GaussianBlur(radius=6)).resize(size)
    canvas.paste(PILImage.new("RGB", size, shape), (0, 0), mask)
    buffer = io.BytesIO()
    canvas.save(buffer, format="PNG")
    return buffer.getvalue()


def ensure_image(*, title: str):
    """The Wagtail image with this title, drawn and stored on first use."""
    Image = get_image_model()
    image = Image.objects.filter(title=title).first()
    if image is None:
        filename = title.lower().replace(" ", "-") + ".png"
        data = io.BytesIO(draw_abstract(title=title))
        image = Image(title=title, file=ImageFile(data, name=filename))
        image.save()
    return image
