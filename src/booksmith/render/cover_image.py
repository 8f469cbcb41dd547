"""The front cover's image, made ready for print with Pillow: turned upright (EXIF), flattened onto
white (a print cover has no transparency), cropped about its centre to the proportions of the front
panel with its bleed (never stretched), and converted to CMYK.

The conversion uses a CMYK ICC profile when there is one (the user's --icc, or one found on the
system), through LittleCMS (Pillow's ImageCms), from the image's own embedded profile or sRGB. With
none, a plain conversion: black K = 1 - max(R, G, B) and each of C, M, Y = (1 - R - K) / (1 - K)
(full grey-component replacement, so grey and black are on the K plate alone, and a viewer's own
plain CMYK-to-RGB shows the colours as they were), with C, M and Y then scaled down wherever the
total ink would pass the printer's limit. A grayscale image goes to the K plate alone either way."""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageChops, ImageCms, ImageMath, ImageOps, ImageStat, UnidentifiedImageError

from booksmith.errors import BooksmithError, Location


@dataclass(frozen=True)
class FrontImage:
    pixels: Image.Image  # CMYK, in the proportions of the box it fills
    conversion: str  # how it became CMYK, for the note the build prints
    max_ink: float  # the most ink anywhere in it, in percent (C + M + Y + K)

    @property
    def size(self) -> tuple[int, int]:
        return self.pixels.size

    def lightness(self, bottom: float, top: float) -> float:
        """The mean lightness (0 black, 1 white) of the band between two heights, as shares of the
        image's height from its foot: a title set over the image takes black or white by it."""
        width, height = self.pixels.size
        band = self.pixels.crop((0, round(height * (1 - top)), width, round(height * (1 - bottom))))
        return ImageStat.Stat(_cmyk_to_gray(band)).mean[0] / 255.0


def load_front_image(path: Path, proportions: float, icc: Path | None, ink_limit: float) -> FrontImage:
    """The image at path, cropped to width / height = proportions, in CMYK; ink_limit (percent)
    bounds the plain conversion (an ICC profile sets its own)."""
    image = _opened(path)
    image = _cropped(image, proportions)
    if image.mode == "CMYK":
        return _front(image, "placed as it is (the image is already CMYK)")
    if _is_gray(image):
        return _front(_gray_to_k(_flattened(image, "L")), "set on the black (K) plate alone (a gray image)")
    rgb = _flattened(image, "RGB")
    if icc is not None:
        converted = ImageCms.profileToProfile(rgb, _source_profile(image), ImageCms.getOpenProfile(str(icc)),
                                              renderingIntent=ImageCms.Intent.PERCEPTUAL, outputMode="CMYK")
        return _front(converted, f"converted to CMYK with the ICC profile {icc}")
    return _front(_plain_cmyk(rgb, ink_limit), f"converted to CMYK by a plain conversion (black on the K "
                  f"plate, ink at most {ink_limit:g} %; no CMYK ICC profile, so colours may shift in print)")


def _opened(path: Path) -> Image.Image:
    where = Location(path)
    hint = "Save it again as PNG or JPEG."
    try:
        with Image.open(path) as probe:
            probe.verify()
        image = Image.open(path)
        image.load()
    except FileNotFoundError:
        raise BooksmithError("the front image does not exist", where, "Check the path given to --front.") \
            from None
    except Image.DecompressionBombError:
        raise BooksmithError(f"the front image '{path.name}' has too many pixels to open safely", where,
                             "Use an image of about 2,000 x 3,000 pixels (300 ppi on a 6 x 9 in cover).") \
            from None
    except (UnidentifiedImageError, OSError, SyntaxError) as error:
        raise BooksmithError(f"the front image '{path.name}' cannot be read ({error})", where, hint) from None
    return ImageOps.exif_transpose(image)


def _cropped(image: Image.Image, proportions: float) -> Image.Image:
    """The largest centred part of the image with these proportions."""
    width, height = image.size
    if width / height > proportions:
        kept = max(1, round(height * proportions))
        left = (width - kept) // 2
        return image.crop((left, 0, left + kept, height))
    kept = max(1, round(width / proportions))
    top = (height - kept) // 2
    return image.crop((0, top, width, top + kept))


def _is_gray(image: Image.Image) -> bool:
    return image.mode in ("1", "L", "LA", "La", "F") or image.mode.startswith("I")


def _flattened(image: Image.Image, mode: str) -> Image.Image:
    """The image in mode 'L' or 'RGB', any transparency laid over white paper."""
    if image.mode.startswith("I"):  # 16-bit gray
        image = image.convert("I").point(lambda value: value / 257.0).convert("L")
    if image.mode in ("P", "PA", "RGBA", "RGBa", "LA", "La") or "transparency" in image.info:
        rgba = image.convert("RGBA")
        paper = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        image = Image.alpha_composite(paper, rgba)
    return image.convert(mode)


def _gray_to_k(gray: Image.Image) -> Image.Image:
    empty = Image.new("L", gray.size, 0)
    return Image.merge("CMYK", (empty, empty, empty, ImageOps.invert(gray)))


def _plain_cmyk(rgb: Image.Image, ink_limit: float) -> Image.Image:
    """Per pixel, in 0-255 units: w = max(R, G, B), K = 255 - w, C = 255 (w - R) / w (and M, Y
    alike), then C, M, Y times min(1, (limit - K) / (C + M + Y)). ImageMath divides by zero as 0."""
    red, green, blue = rgb.split()
    white = _math(lambda x: x["float"](x["max"](x["max"](x["r"], x["g"]), x["b"])), r=red, g=green, b=blue)
    black = _math(lambda x: 255.0 - x["w"], w=white)
    plates = [_math(lambda x: (x["w"] - x["float"](x["p"])) * 255.0 / x["w"], w=white, p=primary)
              for primary in (red, green, blue)]
    colour = _math(lambda x: x["c"] + x["m"] + x["y"], c=plates[0], m=plates[1], y=plates[2])
    limit = ink_limit * 2.55
    scale = _math(lambda x: x["min"]((limit - x["k"]) / x["s"], 1.0), k=black, s=colour)
    cyan, magenta, yellow = (_math(lambda x: x["convert"](x["p"] * x["f"] + 0.5, "L"), p=plate, f=scale)
                             for plate in plates)
    return Image.merge("CMYK", (cyan, magenta, yellow, _math(lambda x: x["convert"](x["k"] + 0.5, "L"),
                                                             k=black)))


def _math(expression, **images: Image.Image) -> Image.Image:  # type: ignore[no-untyped-def]
    return ImageMath.lambda_eval(expression, **images)


def _source_profile(image: Image.Image) -> ImageCms.ImageCmsProfile:
    """The image's own RGB profile when it carries one, else sRGB."""
    embedded = image.info.get("icc_profile")
    if embedded:
        try:
            profile = ImageCms.ImageCmsProfile(io.BytesIO(embedded))
            if profile.profile.xcolor_space.strip() == "RGB":
                return profile
        except (OSError, ImageCms.PyCMSError):
            pass
    return ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB"))


def _front(cmyk: Image.Image, conversion: str) -> FrontImage:
    bands = dict(zip("cmyk", cmyk.split()))
    total = ImageMath.lambda_eval(lambda plate: plate["c"] + plate["m"] + plate["y"] + plate["k"], **bands)
    return FrontImage(cmyk, conversion, total.getextrema()[1] / 255.0 * 100.0)


def _cmyk_to_gray(image: Image.Image) -> Image.Image:
    """Lightness as the plates leave it: each plate darkens what the others left."""
    cyan, magenta, yellow, black = (ImageOps.invert(plate) for plate in image.split())
    rgb = Image.merge("RGB", (cyan, magenta, yellow))
    return ImageChops.multiply(rgb.convert("L"), black)
