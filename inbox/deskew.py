"""Straightening a faxed page before it is read.

A fax feeder pulls the sheet in at a slight angle; at 2 degrees the end of a row sits 60 pixels
(about three text lines) lower than its start on a 200 dpi page, so a label and its value no
longer share a line and a table's rows slant into each other. Tesseract's OSD
only knows quarter turns, so the small angle is found here the classic way: the angle whose
horizontal projection profile (ink per pixel row) has the sharpest peaks and valleys is the one
at which the text lines and table rules lie flat. Pillow only; no numpy.
"""

from array import array

from PIL import Image, ImageOps

MAX_ANGLE = 3.0  # degrees either way; a page fed more crooked than that is rescanned
COARSE_STEP = 0.5
FINE_STEP = 0.1
MIN_CORRECTION = 0.15  # below this the rotation's blur costs more than the slant
WORK_WIDTH = 600  # about 70 dpi across: several rows per text line, a few ms per trial


def _sharpness(ink: Image.Image, angle: float) -> float:
    """How sharply the rows alternate between ink and paper at this rotation."""
    turned = ink.rotate(angle, resample=Image.BILINEAR, expand=False, fillcolor=0)
    # The page squeezed to one column: each pixel is its row's mean ink.
    rows = array("f", turned.resize((1, turned.height), Image.BOX).tobytes())
    return float(sum((b - a) ** 2 for a, b in zip(rows, rows[1:], strict=False)))


def skew_angle(image: Image.Image) -> float:
    """The rotation (degrees, counter-clockwise) that makes the page's lines horizontal."""
    grey = image.convert("L")
    if grey.width > WORK_WIDTH:
        grey = grey.resize((WORK_WIDTH, round(grey.height * WORK_WIDTH / grey.width)), Image.BOX)
    # Ink bright, paper black, in floating point so that faint rows still count.
    ink = ImageOps.invert(grey).convert("F")
    steps = round(MAX_ANGLE / COARSE_STEP)
    coarse = [i * COARSE_STEP for i in range(-steps, steps + 1)]
    best = max(coarse, key=lambda a: (_sharpness(ink, a), -abs(a)))
    fine_steps = round(COARSE_STEP / FINE_STEP)
    fine = [round(best + i * FINE_STEP, 2) for i in range(-fine_steps + 1, fine_steps)]
    fine = [a for a in fine if abs(a) <= MAX_ANGLE]
    return max(fine, key=lambda a: (_sharpness(ink, a), -abs(a)))


def deskew(image: Image.Image) -> Image.Image:
    """The page turned straight (greyscale, same size, white where the corners were)."""
    angle = skew_angle(image)
    if abs(angle) < MIN_CORRECTION:
        return image
    grey = image.convert("L")
    turned = grey.rotate(angle, resample=Image.BICUBIC, expand=False, fillcolor=255)
    if grey.getcolors(2) is not None:
        # A black-and-white fax stays black and white: the grey edges rotation leaves would make
        # thin table rules too pale for remove_rules and blur small print for Tesseract.
        turned = turned.point(lambda p: 255 if p > 127 else 0)
    return turned
