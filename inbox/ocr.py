"""Our one door to the OCR and rasterising tools (STYLE: each outside integration sits behind one
small module): Tesseract through pytesseract, poppler's pdftoppm, pypdf for PDF structure.

Whatever is missing fails with one clear line (OcrUnavailable), never a traceback in the inbox.
"""

import io
import os
import shutil
import subprocess
import tempfile
from dataclasses import dataclass

from PIL import Image, ImageChops, ImageFilter, ImageSequence

# Fax machines send 200 dpi across; "normal" mode halves the vertical resolution (200x100).
OCR_DPI = 200
TESSERACT_CONFIG = "--oem 1 --psm 11"
# Celery already runs one task per core; Tesseract's own OpenMP threads on top of that made each
# page 4x slower in wall time on the shared 2-core machine.
os.environ.setdefault("OMP_THREAD_LIMIT", "1")
TESSERACT_TIMEOUT_SECONDS = 60


class OcrUnavailable(Exception):
    """A tool the reading needs is not installed."""


class BadInput(Exception):
    """The file cannot be read: the message says why, in one line a specialist understands."""


@dataclass(frozen=True)
class Word:
    text: str
    conf: float
    left: int
    top: int
    width: int
    height: int
    block: int = 0
    line: int = 0

    @property
    def right(self) -> int:
        return self.left + self.width

    @property
    def bottom(self) -> int:
        return self.top + self.height

    @property
    def cx(self) -> float:
        return self.left + self.width / 2

    @property
    def cy(self) -> float:
        return self.top + self.height / 2


@dataclass(frozen=True)
class PdfInfo:
    pages: int
    form_fields: dict[str, str]


def tesseract_check() -> None:
    if shutil.which("tesseract") is None:
        raise OcrUnavailable(
            "Tesseract is not installed: install the Debian package tesseract-ocr."
        )


def pdf_inspect(data: bytes) -> PdfInfo:
    """Page count and filled AcroForm fields; BadInput for a corrupt or encrypted PDF."""
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            raise BadInput(
                "The PDF is encrypted (password-protected); ask the sender to resend it."
            )
        pages = len(reader.pages)
        fields = reader.get_fields() or {}
    except BadInput:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError, AttributeError, OSError) as exc:
        raise BadInput("The PDF is damaged and cannot be opened.") from exc
    if pages == 0:
        raise BadInput("The PDF has no pages.")
    values = {}
    for name, field in fields.items():
        value = field.get("/V")
        if value is None:
            continue
        text = str(value)
        if text.startswith("/"):  # a checkbox or radio: /Yes, /Off, /Expedited
            text = text[1:]
        values[name] = text.strip()
    return PdfInfo(pages=pages, form_fields=values)


def pdf_rasterise(data: bytes, *, dpi: int = OCR_DPI) -> list[Image.Image]:
    """Every page of a PDF as a greyscale image, through poppler's pdftoppm."""
    if shutil.which("pdftoppm") is None:
        raise OcrUnavailable("pdftoppm is not installed: install the Debian package poppler-utils.")
    with tempfile.TemporaryDirectory(prefix="inbox-") as tmp:
        source = os.path.join(tmp, "in.pdf")
        with open(source, "wb") as fh:
            fh.write(data)
        result = subprocess.run(  # noqa: S603 - fixed argument list, no shell
            ["pdftoppm", "-r", str(dpi), "-gray", "-png", source, os.path.join(tmp, "p")],  # noqa: S607
            capture_output=True,
            timeout=120,
            check=False,
        )
        if result.returncode != 0:
            raise BadInput("The PDF is damaged and its pages cannot be drawn.")
        names = sorted(n for n in os.listdir(tmp) if n.startswith("p") and n.endswith(".png"))
        images = []
        for name in names:
            with Image.open(os.path.join(tmp, name)) as img:
                images.append(img.copy())
    if not images:
        raise BadInput("The PDF has no pages that can be drawn.")
    return images


def image_pages(data: bytes) -> list[Image.Image]:
    """The pages of a TIFF (one or many), PNG or JPEG, at square resolution: a 200x100 dpi fax
    page is stretched vertically, or its letters are half-height for the OCR."""
    try:
        with Image.open(io.BytesIO(data)) as img:
            pages = []
            for frame in ImageSequence.Iterator(img):
                page = frame.convert("L")
                xdpi, ydpi = _dpi(frame)
                if xdpi and ydpi and abs(xdpi - ydpi) > 1:
                    page = page.resize((page.width, round(page.height * xdpi / ydpi)))
                    ydpi = xdpi
                pages.append(_to_ocr_scale(page, xdpi))
    except (OSError, ValueError, Image.DecompressionBombError) as exc:
        raise BadInput("The image is damaged and cannot be opened.") from exc
    if not pages:
        raise BadInput("The image has no pages.")
    return pages


def image_page_count(data: bytes) -> int:
    try:
        with Image.open(io.BytesIO(data)) as img:
            return getattr(img, "n_frames", 1)
    except (OSError, ValueError, Image.DecompressionBombError) as exc:
        raise BadInput("The image is damaged and cannot be opened.") from exc


def _dpi(img: Image.Image) -> tuple[float, float]:
    dpi = img.info.get("dpi")
    if dpi and len(dpi) == 2:
        return float(dpi[0]), float(dpi[1])
    return 0.0, 0.0


def _to_ocr_scale(page: Image.Image, dpi: float) -> Image.Image:
    # A 200 dpi fax is read as it is (upscaling to 300 dpi cost 3x the time for no gain in the
    # benchmark); only scans coarser than that are scaled up.
    if dpi and dpi < OCR_DPI - 50:
        factor = OCR_DPI / dpi
        page = page.resize(
            (round(page.width * factor), round(page.height * factor)), Image.BILINEAR
        )
    return page


RULE_LENGTH = 60  # pixels: longer dark runs are table rules, not letters (at 200 dpi)


def remove_rules(image: Image.Image) -> Image.Image:
    """The page without the table rules and box borders. Tesseract treats a ruled box as a
    picture and drops the text inside it: every value of a boxed form was lost without this."""
    grey = image.convert("L")
    width, height = grey.size
    cleaned = grey
    for size in ((max(1, width // RULE_LENGTH), height), (width, max(1, height // RULE_LENGTH))):
        small = grey.resize(size, Image.BOX)
        mask = small.point(lambda p: 255 if p < 40 else 0)
        mask = mask.resize((width, height), Image.NEAREST).filter(ImageFilter.MaxFilter(3))
        cleaned = ImageChops.lighter(cleaned, mask)
    return cleaned


def ocr_words(image: Image.Image) -> list[Word]:
    """The words Tesseract finds on a page, with their boxes (pixels) and confidences (0-100)."""
    tesseract_check()
    import pytesseract

    try:
        data = pytesseract.image_to_data(
            remove_rules(image),
            lang="eng",
            config=TESSERACT_CONFIG,
            output_type=pytesseract.Output.DICT,
            timeout=TESSERACT_TIMEOUT_SECONDS,
        )
    except pytesseract.TesseractNotFoundError as exc:
        raise OcrUnavailable(
            "Tesseract is not installed: install the Debian package tesseract-ocr."
        ) from exc
    except RuntimeError as exc:  # pytesseract's timeout
        raise BadInput("A page took too long to read.") from exc
    words = []
    for i, text in enumerate(data["text"]):
        text = (text or "").strip()
        conf = float(data["conf"][i])
        if not text or conf < 0:
            continue
        words.append(
            Word(
                text=text,
                conf=conf,
                left=int(data["left"][i]),
                top=int(data["top"][i]),
                width=int(data["width"][i]),
                height=int(data["height"][i]),
                block=int(data["block_num"][i]),
                line=int(data["line_num"][i]),
            )
        )
    return words


def ocr_digits(image: Image.Image, box: tuple[int, int, int, int]) -> Word | None:
    """One table cell read again as a single line of digits; None if nothing is there."""
    import pytesseract

    left, top, right, bottom = box
    crop = remove_rules(image.crop((max(0, left), max(0, top), right, bottom)))
    try:
        data = pytesseract.image_to_data(
            crop,
            config="--oem 1 --psm 7 -c tessedit_char_whitelist=0123456789",
            output_type=pytesseract.Output.DICT,
            timeout=TESSERACT_TIMEOUT_SECONDS,
        )
    except (pytesseract.TesseractNotFoundError, RuntimeError):
        return None
    for i, text in enumerate(data["text"]):
        text = (text or "").strip()
        if text.isdigit() and float(data["conf"][i]) >= 0:
            return Word(
                text=text,
                conf=float(data["conf"][i]),
                left=max(0, left) + int(data["left"][i]),
                top=max(0, top) + int(data["top"][i]),
                width=int(data["width"][i]),
                height=int(data["height"][i]),
            )
    return None


def png_bytes(image: Image.Image, *, max_width: int = 1275) -> bytes:
    """A page image for the review screen: letter width at 150 dpi, 1-bit-friendly PNG."""
    if image.width > max_width:
        image = image.resize((max_width, round(image.height * max_width / image.width)))
    out = io.BytesIO()
    image.convert("L").save(out, format="PNG", optimize=True)
    return out.getvalue()


# What each kind of field may contain: Tesseract then cannot read a 0 as "O" or a J as "]".
FIELD_WHITELISTS = {
    "digits": "0123456789",
    "member_id": "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789",
    "service_code": "ABCDEFGHIJKLMNOPQRSTUV0123456789",
    "icd": "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.,",
}
FIELD_SCALE = 1.5  # 200 dpi fax → 300 dpi, the resolution Tesseract's models are trained at


def prepare_field(image: Image.Image, box: tuple[int, int, int, int]) -> Image.Image:
    """One field's region made easy to read: cropped, table rules removed, upscaled to ~300 dpi
    with a smooth filter (a 1-bit fax's stair-stepped strokes otherwise stay jagged), then
    binarised again and given a white margin (Tesseract misreads glyphs touching the edge)."""
    left, top, right, bottom = box
    crop = remove_rules(
        image.crop((max(0, left), max(0, top), min(image.width, right), min(image.height, bottom)))
    )
    crop = crop.resize(
        (max(1, round(crop.width * FIELD_SCALE)), max(1, round(crop.height * FIELD_SCALE))),
        Image.LANCZOS,
    )
    crop = crop.filter(ImageFilter.GaussianBlur(0.6)).point(lambda p: 255 if p > 140 else 0)
    framed = Image.new("L", (crop.width + 40, crop.height + 40), 255)
    framed.paste(crop, (20, 20))
    return framed


def ocr_region_words(
    image: Image.Image, box: tuple[int, int, int, int], kind: str, *, psm: int = 6
) -> list[Word]:
    """The words of a region read with a field kind's whitelist, boxes in page pixels."""
    import pytesseract

    config = f"--oem 1 --psm {psm} -c tessedit_char_whitelist={FIELD_WHITELISTS[kind]}"
    try:
        data = pytesseract.image_to_data(
            prepare_field(image, box),
            config=config,
            output_type=pytesseract.Output.DICT,
            timeout=TESSERACT_TIMEOUT_SECONDS,
        )
    except (pytesseract.TesseractNotFoundError, RuntimeError):
        return []
    left, top = max(0, box[0]), max(0, box[1])
    words = []
    for i, text in enumerate(data["text"]):
        text = (text or "").strip()
        if not text or float(data["conf"][i]) < 0:
            continue
        words.append(
            Word(
                text=text,
                conf=float(data["conf"][i]),
                left=left + round((int(data["left"][i]) - 20) / FIELD_SCALE),
                top=top + round((int(data["top"][i]) - 20) / FIELD_SCALE),
                width=round(int(data["width"][i]) / FIELD_SCALE),
                height=round(int(data["height"][i]) / FIELD_SCALE),
                block=int(data["block_num"][i]),
                line=int(data["line_num"][i]),
            )
        )
    return words


def ocr_field(
    image: Image.Image, box: tuple[int, int, int, int], kind: str, *, psm: int = 7
) -> tuple[str, float] | None:
    """One located field read again on its own, restricted to the characters its kind allows:
    the text (words joined by spaces) and the lowest word confidence; None if nothing is read."""
    import pytesseract

    config = f"--oem 1 --psm {psm} -c tessedit_char_whitelist={FIELD_WHITELISTS[kind]}"
    try:
        data = pytesseract.image_to_data(
            prepare_field(image, box),
            config=config,
            output_type=pytesseract.Output.DICT,
            timeout=TESSERACT_TIMEOUT_SECONDS,
        )
    except (pytesseract.TesseractNotFoundError, RuntimeError):
        return None
    words = [
        ((text or "").strip(), float(conf))
        for text, conf in zip(data["text"], data["conf"], strict=True)
        if (text or "").strip() and float(conf) >= 0
    ]
    if not words:
        return None
    return " ".join(t for t, _ in words), min(c for _, c in words)
