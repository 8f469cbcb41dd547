"""Images for the print file: their pixels in the interior's colour space, the box they are drawn in
(grown into the bleed where they reach the trim), and their effective resolution at that size.

The conversions are Pillow's, without colour management: grayscale is ITU-R 601-2 luma, and CMYK
is the complement of RGB with all the gray component moved to black (full GCR), so a colour image
never carries more than 200 % ink (IngramSpark allows 240 %). A transparent image is flattened on
white first, since PDF/X-1a allows no transparency.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from PIL import Image as PilImage
from PIL import ImageChops

from booksmith.pagemodel import Image, Page, PageModel
from booksmith.printers import PageBleed

REACHES_TRIM = 0.5  # points: an image edge this close to the trim is taken to touch it
INCH = 72.0


@dataclass(frozen=True)
class Box:
    x: float
    y: float
    width: float
    height: float


@dataclass(frozen=True)
class ImageUse:
    """One image as placed on one page of the print file, with its effective resolution."""

    name: str
    pixels: tuple[int, int]
    placed: Box  # as drawn, in points on the trimmed page (grown into the bleed where it touches the trim)
    page: int  # 1-based position in the print file
    label: str  # the page's folio ('17', 'iv')

    @property
    def ppi(self) -> float:
        """The lower of the two directions' pixels per inch at the drawn size."""
        return min(self.pixels[0] / (self.placed.width / INCH), self.pixels[1] / (self.placed.height / INCH))


def drawn_box(image: Image, page: Page, model: PageModel, bleed: PageBleed | None) -> Box:
    """The box an image is drawn in: its placed box, grown by the bleed on each edge where it
    reaches the trim, so that trimming never leaves a white sliver between picture and paper edge."""
    box = Box(image.x, image.y, image.width, image.height)
    if bleed is None:
        return box
    left = bleed.left(page.side) if image.x <= REACHES_TRIM else 0.0
    right = bleed.right(page.side) if image.x + image.width >= model.width - REACHES_TRIM else 0.0
    bottom = bleed.bottom if image.y <= REACHES_TRIM else 0.0
    top = bleed.top if image.y + image.height >= model.height - REACHES_TRIM else 0.0
    return Box(box.x - left, box.y - bottom, box.width + left + right, box.height + bottom + top)


def covering(box: Box, pixels: tuple[int, int]) -> Box:
    """The picture scaled, in its own proportions, to cover box, centred on it (the part outside is
    clipped): a box grown into the bleed on some edges only is filled without distorting the image."""
    scale = max(box.width / pixels[0], box.height / pixels[1])
    width, height = pixels[0] * scale, pixels[1] * scale
    return Box(box.x - (width - box.width) / 2, box.y - (height - box.height) / 2, width, height)


def pixel_size(path: Path) -> tuple[int, int]:
    with PilImage.open(path) as image:
        return image.size


def image_uses(model: PageModel, bleed: PageBleed | None) -> list[ImageUse]:
    """Every image of the print file, page by page, at the size it is drawn."""
    sizes: dict[Path, tuple[int, int]] = {}
    uses = []
    for page in model.pages:
        for image in page.images:
            if image.path not in sizes:
                sizes[image.path] = pixel_size(image.path)
            uses.append(ImageUse(image.path.name, sizes[image.path], drawn_box(image, page, model, bleed),
                                 page.number, page.label))
    return uses


def print_pixels(path: Path, mode: str) -> PilImage.Image:
    """The image's pixels as the print file carries them: mode 'L' (a black-and-white interior) or
    'CMYK' (a colour one)."""
    with PilImage.open(path) as opened:
        opened.load()
        image = _on_white(opened)
    if mode == "L":
        return image if image.mode == "L" else image.convert("RGB").convert("L")
    if mode == "CMYK":
        return _cmyk_with_black(image.convert("RGB"))
    raise ValueError(f"no print conversion to mode {mode!r}")


def _on_white(image: PilImage.Image) -> PilImage.Image:
    has_alpha = image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info
    if not has_alpha:
        return image
    rgba = image.convert("RGBA")
    white = PilImage.new("RGBA", rgba.size, (255, 255, 255, 255))
    white.alpha_composite(rgba)
    return white.convert("RGB")


def _cmyk_with_black(rgb: PilImage.Image) -> PilImage.Image:
    cyan, magenta, yellow = (ImageChops.invert(band) for band in rgb.split())
    black = ImageChops.darker(ImageChops.darker(cyan, magenta), yellow)
    bands = (ImageChops.subtract(cyan, black), ImageChops.subtract(magenta, black),
             ImageChops.subtract(yellow, black), black)
    return PilImage.merge("CMYK", bands)
