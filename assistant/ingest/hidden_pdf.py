"""Hidden text in PDFs: a page's text as pypdf extracts it, with the pieces a reader cannot see marked as hidden.

pypdf reports each piece of text it adds to a page's text (``visitor_text``), and every operator before it runs
(``visitor_operand_before``); their concatenation is exactly what ``extract_text`` returns (checked on every page of
the corpus). ``GraphicsTracker`` follows the state that decides visibility (fill and stroke colour, text render mode,
fill alpha, font size, the clipping rectangle, with ``q``/``Q`` nesting) and the areas painted so far, and judges
each show-text operator. A piece is hidden when every show-text operator in it was: near-white text that is not on
a painted (dark) area, render mode 3 (invisible), text under 1 pt, text outside the page or outside a clip that
shows next to nothing, or text drawn fully transparent. A piece mixing visible and hidden operators counts as visible.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace
from typing import Any, Callable

from .hidden import detail_of, hide, strip_marks

WHITE_LEVEL = 0.9  # every colour component at least this light (CMYK: at most 1 - this)
TINY_POINTS = 1.0
OUTSIDE_MARGIN = 2.0  # points beyond the page edge before text counts as off-page
PLACEMENT = ("text outside the page", "clipped text", "tiny text")  # verdicts that depend on coordinates pypdf may not give
OCR_LAYER = "invisible text"  # over a drawn image: a searchable scan's text layer
MOSTLY = 0.5
CLIP_SHOWS_NOTHING = 4.0  # points: a clip this narrow or low hides what is drawn outside it
FAR_LINES = 2.0  # text this many font sizes away from such a clip is hidden by it
SHOW_TEXT = {b"Tj", b"TJ", b"'", b'"'}
FILL_PATH = {b"f", b"F", b"f*", b"B", b"B*", b"b", b"b*"}


@dataclass
class _State:
    fill: tuple[float, ...] = (0.0,)
    stroke: tuple[float, ...] = (0.0,)
    render: int = 0
    alpha: float = 1.0
    font_size: float = 12.0
    clip: tuple[float, float, float, float] | None = None


@dataclass
class GraphicsTracker:
    """Judges every show-text operator of one page; ``verdicts`` are the reasons (or "") since the last piece."""

    box: tuple[float, float, float, float]
    ext_states: dict[str, float] = field(default_factory=dict)  # ExtGState name -> fill alpha
    state: _State = field(default_factory=_State)
    stack: list[_State] = field(default_factory=list)
    painted: list[tuple[float, float, float, float]] = field(default_factory=list)
    path: list[tuple[float, float, float, float]] = field(default_factory=list)
    clip_pending: bool = False
    verdicts: list[str] = field(default_factory=list)
    drew_object: bool = False  # an image or form was drawn (``Do``)
    frames: list[tuple[int, list]] = field(default_factory=list)  # (pypdf's matrix object at a Do, the page matrix then)

    def operator(self, op: bytes, operands: list, cm: list, tm: list) -> None:
        """One operator as pypdf visits it. pypdf reads a form XObject's content with a fresh matrix (the form's own
        coordinates), so the tracker keeps the matrix in force at each ``Do`` and composes it with what pypdf reports
        until pypdf is back in the outer content (its matrix object is seen again)."""
        while self.frames and id(cm) == self.frames[-1][0]:
            self.frames.pop()
        matrix = _compose(cm, self.frames[-1][1]) if self.frames else list(cm)
        try:
            self._operator(op, operands, matrix, tm)
        except (TypeError, ValueError, IndexError, KeyError, ZeroDivisionError):
            pass  # a malformed operand: the text it shows is judged visible
        if op == b"Do":
            self.frames.append((id(cm), matrix))

    def _operator(self, op: bytes, operands: list, cm: list, tm: list) -> None:
        s = self.state
        if op == b"q":
            self.stack.append(replace(s))
        elif op == b"Q" and self.stack:
            self.state = self.stack.pop()
        elif op in (b"g", b"rg", b"k", b"sc", b"scn"):
            s.fill = _colour(operands, s.fill)
        elif op in (b"G", b"RG", b"K", b"SC", b"SCN"):
            s.stroke = _colour(operands, s.stroke)
        elif op == b"cs":
            s.fill = (0.0,)
        elif op == b"CS":
            s.stroke = (0.0,)
        elif op == b"Tr":
            s.render = int(operands[0])
        elif op == b"Tf":
            s.font_size = float(operands[1])
        elif op == b"gs":
            s.alpha = self.ext_states.get(str(operands[0]), s.alpha)
        elif op == b"re":
            x, y, w, h = (float(v) for v in operands[:4])
            self.path.append(_box_of(cm, x, y, x + w, y + h))
        elif op in (b"W", b"W*"):
            self.clip_pending = True
        elif op in FILL_PATH or op == b"n" or op in (b"S", b"s"):
            if op in FILL_PATH and not _is_white(s.fill) and s.alpha > 0:
                self.painted += self.path
            if self.clip_pending and self.path:
                s.clip = _intersect(s.clip, _union(self.path))
            self.path, self.clip_pending = [], False
        elif op == b"Do":
            self.drew_object = True
            self.painted.append(_box_of(cm, 0.0, 0.0, 1.0, 1.0))  # an image or form may be the dark background
        elif op in SHOW_TEXT:
            self.verdicts.append(self._judge(cm, tm))

    def _judge(self, cm: list, tm: list) -> str:
        s = self.state
        x, y = _apply(cm, tm[4], tm[5])
        scale = math.sqrt(abs((tm[0] * tm[3] - tm[1] * tm[2]) * (cm[0] * cm[3] - cm[1] * cm[2])))
        if s.render in (3, 7):
            return "invisible text"
        if 0 < s.font_size * scale < TINY_POINTS or s.font_size * scale == 0:
            return "tiny text"
        x0, y0, x1, y1 = self.box
        if x < x0 - OUTSIDE_MARGIN or x > x1 + OUTSIDE_MARGIN or y < y0 - OUTSIDE_MARGIN or y > y1 + OUTSIDE_MARGIN:
            return "text outside the page"
        if s.clip is not None and _degenerate(s.clip) and _far(s.clip, x, y, s.font_size * scale):
            return "clipped text"
        if s.alpha <= 0.01:
            return "transparent text"
        colour = s.stroke if s.render in (1, 5) else s.fill
        if _is_white(colour) and not any(_inside(area, x, y, 0.0) for area in self.painted):
            return "white text"
        return ""

    def piece(self, text: str) -> str:
        """The piece pypdf just added, marked when every show-text operator in it was hidden (one reason)."""
        verdicts, self.verdicts = self.verdicts, []
        if not text.strip() or not verdicts or "" in verdicts or len(set(verdicts)) != 1:
            return strip_marks(text)
        return hide(text, verdicts[0])


def marked_page_text(page: Any, listener: Callable[[str, Any, float, list, list], None] | None = None) -> str:
    """``page.extract_text()`` with hidden pieces marked (``hidden.hide``); the plain text when nothing is hidden.
    ``listener`` hears each piece of the text returned (as returned, marks and all) with the font dictionary, font
    size and matrices pypdf reported for it, in order: that is how a caller reads fonts in the same pass.

    Verdicts that rest on where the text is drawn (off the page, clipped, tiny) or on render mode 3 are not
    trusted when they would hide most of the page: pypdf reports text inside a form XObject in the form's own
    coordinates (EDGAR's EvoPdf filings draw every page as one scaled form), and a searchable scan's OCR layer is
    invisible text over the page image (trusted when the page draws an image or form). Hidden text planted in a
    contract is a few lines among visible ones."""
    tracker = GraphicsTracker(_page_box(page), _ext_states(page))
    pieces: list[str] = []
    fonts: list[tuple[Any, float, list, list]] = []

    def visit(piece: str, cm: list, tm: list, font: Any, size: float) -> None:
        pieces.append(tracker.piece(piece))
        fonts.append((font, size, cm, tm))

    text = page.extract_text(visitor_operand_before=tracker.operator, visitor_text=visit) or ""
    untrusted = PLACEMENT + ((OCR_LAYER,) if tracker.drew_object else ())
    if _mostly(pieces, untrusted):
        pieces = [piece if detail_of(piece) not in untrusted else strip_marks(piece) for piece in pieces]
    marked = "".join(pieces)
    if strip_marks(marked) != strip_marks(text):
        return strip_marks(text)  # never trade the text itself for a mark
    if listener is not None:
        for piece, font in zip(pieces, fonts):
            listener(piece, *font)
    return marked


def _mostly(pieces: list[str], details: tuple[str, ...]) -> bool:
    """Whether verdicts for ``details`` would hide at least ``MOSTLY`` of the page's characters."""
    total = sum(len("".join(strip_marks(p).split())) for p in pieces)
    placed = sum(len("".join(strip_marks(p).split())) for p in pieces if detail_of(p) in details)
    return total > 0 and placed >= MOSTLY * total


def _page_box(page: Any) -> tuple[float, float, float, float]:
    try:
        box = page.cropbox
        return (float(box.left), float(box.bottom), float(box.right), float(box.top))
    except Exception:  # no usable box: nothing counts as off-page
        return (-math.inf, -math.inf, math.inf, math.inf)


def _ext_states(page: Any) -> dict[str, float]:
    """Fill alpha (``/ca``) of each graphics state the page's resources name."""
    found: dict[str, float] = {}
    try:
        states = page["/Resources"].get_object().get("/ExtGState")
        for name, value in (states.get_object() if states is not None else {}).items():
            alpha = value.get_object().get("/ca")
            if alpha is not None:
                found[str(name)] = float(alpha)
    except Exception:  # missing or malformed resources: alpha stays opaque
        pass
    return found


def _colour(operands: list, previous: tuple[float, ...]) -> tuple[float, ...]:
    numbers = tuple(float(v) for v in operands if isinstance(v, (int, float)) or type(v).__name__ in ("FloatObject", "NumberObject"))
    return numbers if len(numbers) in (1, 3, 4) else previous  # a pattern or an odd colour space: unknown, keep


def _is_white(colour: tuple[float, ...]) -> bool:
    if len(colour) == 4:  # CMYK: no ink
        return all(c <= 1 - WHITE_LEVEL for c in colour)
    return all(c >= WHITE_LEVEL for c in colour)


def _compose(inner: list, outer: list) -> list:
    """The matrix that applies ``inner`` then ``outer`` (PDF's row-vector convention)."""
    a1, b1, c1, d1, e1, f1 = (float(v) for v in inner)
    a2, b2, c2, d2, e2, f2 = outer
    return [a1 * a2 + b1 * c2, a1 * b2 + b1 * d2, c1 * a2 + d1 * c2, c1 * b2 + d1 * d2, e1 * a2 + f1 * c2 + e2, e1 * b2 + f1 * d2 + f2]


def _apply(m: list, x: float, y: float) -> tuple[float, float]:
    return (m[0] * x + m[2] * y + m[4], m[1] * x + m[3] * y + m[5])


def _box_of(m: list, x0: float, y0: float, x1: float, y1: float) -> tuple[float, float, float, float]:
    corners = [_apply(m, x, y) for x in (x0, x1) for y in (y0, y1)]
    xs, ys = [c[0] for c in corners], [c[1] for c in corners]
    return (min(xs), min(ys), max(xs), max(ys))


def _union(boxes: list[tuple[float, float, float, float]]) -> tuple[float, float, float, float]:
    return (min(b[0] for b in boxes), min(b[1] for b in boxes), max(b[2] for b in boxes), max(b[3] for b in boxes))


def _intersect(a: tuple[float, float, float, float] | None, b: tuple[float, float, float, float]) -> tuple[float, float, float, float]:
    if a is None:
        return b
    return (max(a[0], b[0]), max(a[1], b[1]), min(a[2], b[2]), min(a[3], b[3]))


def _degenerate(box: tuple[float, float, float, float]) -> bool:
    """A clip that shows next to nothing (``0 0 1 1 re W n``): text drawn outside it is hidden on purpose. Wider
    clips (table cells, columns, page slices) are not trusted: the clip state pypdf lets the tracker follow drifts
    on real filings, and a clause cut out of a contract by mistake is worse than a planted line left visible (which
    the instruction test still flags)."""
    return box[2] - box[0] <= CLIP_SHOWS_NOTHING or box[3] - box[1] <= CLIP_SHOWS_NOTHING


def _far(box: tuple[float, float, float, float], x: float, y: float, size: float) -> bool:
    """Whether a glyph at (x, y) is more than ``FAR_LINES`` font sizes from the box (not just a line next to it)."""
    dx = max(box[0] - x, 0.0, x - box[2])
    dy = max(box[1] - y, 0.0, y - box[3])
    return math.hypot(dx, dy) > FAR_LINES * max(size, 1.0)


def _inside(box: tuple[float, float, float, float], x: float, y: float, height: float) -> bool:
    """Whether a glyph at (x, y) of the given height falls (at least partly) in the box."""
    return box[0] - 1 <= x <= box[2] + 1 and box[1] - 1 <= y + height * 0.5 and y <= box[3] + 1
