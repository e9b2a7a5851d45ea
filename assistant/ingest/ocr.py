"""Reading scanned pages: a PDF page without a text layer -> an image (pypdfium2) -> text boxes (RapidOCR on
onnxruntime) -> lines in reading order.

The engine runs the detection and recognition models that ship inside the rapidocr wheel (the version is pinned
in pyproject.toml, each file's sha256 here); they are handed to it by path, so its download code never runs and
OCR works offline. The models are multilingual (Latin scripts and Chinese in one model), so there is no language
to choose. Pages are taken as upright: the text-direction classifier is off (it turned good all-capital lines
upside down, and scanned contracts are upright). Text is found on the page scaled to at most 1280 px and each line
read from the page at full resolution, one line at a time: on CUAD pages that halved the time for the same accuracy.

Boxes become lines when their middles are within half a line height of each other, each line read left to right;
a gap between lines well above the page's usual line spacing starts a new paragraph (a blank line). A heading such
as "12. Termination" so stays on a line of its own, for structure detection. Full-width punctuation the model
sometimes reads in Latin text ("；") becomes its ASCII form, and a clause number the model glued to its title
("12.TERMINATION", a space it missed) gets its space back.
"""

from __future__ import annotations

import functools
import importlib.util
import re
import statistics
import threading
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, Callable, Sequence

import numpy as np

from ..core.errors import ModelIntegrityError, OcrPageError

RAPIDOCR = "rapidocr==3.10.0"
MODELS = {  # RapidOCR config section -> bundled model file and its sha256 (rapidocr 3.10.0)
    "Det": ("PP-OCRv6_det_small.onnx", "090f04abcd9d9a7498bc4ebf677e4cb9bdce1fe4197ddb7e529f1ef44e1ff94f"),
    "Rec": ("PP-OCRv6_rec_small.onnx", "6f327246b50388f3c176ae304bd95767ea6dc0c9ae92153ef8cbe210b3c14884"),
}
FULLWIDTH = {c: c - 0xFEE0 for c in range(0xFF01, 0xFF5F)} | {0x3000: 0x20}  # "；" -> ";": the model is trained on Chinese too
GLUED_NUMBER = re.compile(r"^(\d{1,3}(?:\.\d{1,3})*\.)(?=[A-Z])")  # "12.TERMINATION": the space the model missed
SAME_LINE = 0.5  # two boxes share a line when their middles are closer than this share of the smaller height
PARAGRAPH_GAP = 1.5  # a line spacing this many times the page's usual one starts a paragraph
NOTHING_READ = "OCR recognised no text on it (a blank page, or print too faint or small to read); the page is left empty"
_PDFIUM = threading.Lock()  # pdfium is not thread-safe


@dataclass(frozen=True)
class TextBox:
    """One piece of text the engine found, with its middle and height on the page (pixels)."""

    text: str
    left: float
    middle: float
    height: float


def text_box(points: Any, text: str) -> TextBox:
    """A box from the engine's four corners (top-left, top-right, bottom-right, bottom-left): the height is that of
    its sides, not of its bounding rectangle, so a slightly skewed line keeps its own height."""
    (x0, y0), (x1, y1), (x2, y2), (x3, y3) = [(float(x), float(y)) for x, y in points]
    height = ((y3 - y0) + (y2 - y1)) / 2
    return TextBox(text, min(x0, x3), (y0 + y1 + y2 + y3) / 4, max(height, 1.0))


def text_lines(boxes: Sequence[TextBox]) -> list[list[TextBox]]:
    """Boxes grouped into lines, top to bottom, each read left to right."""
    lines: list[list[TextBox]] = []
    for box in sorted(boxes, key=lambda b: b.middle):
        line = next((line for line in reversed(lines[-2:]) if _same_line(line, box)), None)
        if line is None:
            lines.append([box])
        else:
            line.append(box)
    return [sorted(line, key=lambda b: b.left) for line in lines]


def _same_line(line: list[TextBox], box: TextBox) -> bool:
    return any(abs(other.middle - box.middle) < SAME_LINE * min(other.height, box.height) for other in line)


def page_text(boxes: Sequence[TextBox]) -> str:
    """The page's text: one line of text per line of boxes, a blank line where a paragraph gap is."""
    lines = text_lines(boxes)
    if not lines:
        return ""
    middles = [statistics.mean(b.middle for b in line) for line in lines]
    spacings = [b - a for a, b in zip(middles, middles[1:])]
    usual = statistics.median(spacings) if len(spacings) >= 2 else 0.0
    parts = [_line_text(lines[0])]
    for spacing, line in zip(spacings, lines[1:]):
        parts.append("\n\n" if usual and spacing > PARAGRAPH_GAP * usual else "\n")
        parts.append(_line_text(line))
    return "".join(parts)


def _line_text(line: list[TextBox]) -> str:
    text = " ".join(" ".join(b.text.translate(FULLWIDTH).split()) for b in line)
    return GLUED_NUMBER.sub(r"\1 ", text)


def models_dir() -> Path:
    """Where the installed rapidocr keeps its bundled models (found without importing it)."""
    spec = importlib.util.find_spec("rapidocr")
    if spec is None or not spec.submodule_search_locations:
        raise ModelIntegrityError(f"the OCR engine is not installed: pip install {RAPIDOCR}")
    return Path(list(spec.submodule_search_locations)[0]) / "models"


class OcrEngine:
    """RapidOCR with its bundled models, checked against their pinned sha256 and loaded once, on first use.
    One page at a time (a lock), so it can be shared between threads."""

    def __init__(self) -> None:
        self._engine: Any = None
        self._lock = threading.Lock()

    def load(self) -> None:
        from ..index.embeddings import verify_file

        with self._lock:
            if self._engine is not None:
                return
            folder = models_dir()
            params: dict[str, Any] = {
                "Global.log_level": "error", "Global.use_cls": False,
                "Global.max_side_len": 10000,  # lines are read from the page at the dpi asked for ...
                "Det.limit_type": "max", "Det.limit_side_len": 1280,  # ... found on it at most 1280 px high: half the time, as accurate
                "Rec.rec_batch_num": 1,  # one line at a time: no padding to the longest line of a batch, fastest on 2 cores
            }
            for section, (file_name, sha256) in MODELS.items():
                verify_file(folder / file_name, sha256, f"OCR model {file_name}", RAPIDOCR)
                params[f"{section}.model_path"] = str(folder / file_name)
            from rapidocr import RapidOCR

            self._engine = RapidOCR(params=params)

    def read(self, image: np.ndarray) -> list[TextBox]:
        """The text boxes on a page image (grey or BGR pixels)."""
        self.load()
        with self._lock:
            result = self._engine(image, use_det=True, use_cls=False, use_rec=True)
        boxes, texts = getattr(result, "boxes", None), getattr(result, "txts", None)
        if boxes is None or texts is None:
            return []
        return [text_box(points, text) for points, text in zip(boxes, texts) if text.strip()]


@functools.cache
def shared_engine() -> OcrEngine:
    """One engine per process (its models take a second to load and some 100 MB)."""
    return OcrEngine()


@dataclass(frozen=True)
class OcrProgress:
    """OCR is about to read ``page`` of ``file_name``, the ``number``-th of the ``total`` pages it needs OCR for."""

    file_name: str
    page: int
    number: int
    total: int

    def label(self) -> str:
        where = f"page {self.number}/{self.total}" if self.page == self.number else f"page {self.page} ({self.number}/{self.total})"
        return f"OCR {where} of {Path(self.file_name).name}"

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


class ScanReader:
    """Reads chosen pages of a PDF by OCR: each is rendered at ``dpi`` and read by ``engine``. ``progress`` hears
    before each page (a page takes seconds). A page that fails is an ``OcrPageError``; the others are still read."""

    def __init__(self, engine: OcrEngine, dpi: int = 150, progress: Callable[[OcrProgress], None] | None = None):
        self.engine = engine
        self.dpi = dpi
        self.progress = progress

    def read(self, data: bytes, name: str, pages: Sequence[int]) -> tuple[dict[int, str], list[OcrPageError]]:
        """(text of each page read, the pages that could not be) for 1-based ``pages`` of the PDF ``data``."""
        texts: dict[int, str] = {}
        failures: list[OcrPageError] = []
        try:
            images = _PageImages(data, self.dpi)
        except Exception as error:  # pdfium refuses the file: no page can be rendered
            return {}, [OcrPageError(name, page, f"could not be rendered for OCR ({type(error).__name__}: {error})") for page in pages]
        with images:
            for number, page in enumerate(pages, 1):
                if self.progress:
                    self.progress(OcrProgress(name, page, number, len(pages)))
                try:
                    image = images.render(page)
                except Exception as error:
                    failures.append(OcrPageError(name, page, f"could not be rendered for OCR ({type(error).__name__}: {error})"))
                    continue
                try:
                    text = page_text(self.engine.read(image))
                except ModelIntegrityError as error:
                    failures.append(OcrPageError(name, page, f"the OCR engine could not start ({error})"))
                    continue
                except Exception as error:  # onnxruntime or the engine's own errors: this page is lost, not the file
                    failures.append(OcrPageError(name, page, f"the OCR engine failed ({type(error).__name__}: {error})"))
                    continue
                if any(c.isalnum() for c in text):
                    texts[page] = text
                else:
                    failures.append(OcrPageError(name, page, NOTHING_READ))
        return texts, failures


class _PageImages:
    """A PDF opened by pdfium, rendering one page at a time (under a lock: pdfium is not thread-safe)."""

    def __init__(self, data: bytes, dpi: int):
        import pypdfium2 as pdfium

        with _PDFIUM:
            self.pdf = pdfium.PdfDocument(data)
        self.scale = dpi / 72

    def render(self, page_number: int) -> np.ndarray:
        with _PDFIUM:
            page = self.pdf[page_number - 1]
            try:
                return page.render(scale=self.scale, grayscale=True).to_numpy().copy()
            finally:
                page.close()

    def __enter__(self) -> "_PageImages":
        return self

    def __exit__(self, *exc: object) -> None:
        with _PDFIUM:
            self.pdf.close()
