"""A PDF page surface in logical coordinates, so one layout serves left-to-right and Hebrew pages.

Layouts place things by their distance from the *start* edge (left, or right on a right-to-left
page); `Sheet` mirrors the boxes, swaps start and end alignment, and leaves the inside of a
barcode alone. Text that holds a right-to-left letter goes through HarfBuzz shaping and the
Unicode bidi algorithm (fpdf2 with uharfbuzz); other text is written directly, which is several
times faster and looks the same in DejaVu Sans. Fonts are bundled (fonts/), parsed once per
document and subset into it when the document is written.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from pathlib import Path
from typing import Literal

from fpdf import FPDF

from emporos.fulfillment.documents import barcodes

FONTS = Path(__file__).resolve().parent / "fonts"
FAMILY = "DejaVu"
POINT_MM = 25.4 / 72
# Right-to-left letters: Hebrew, Arabic, Syriac, Thaana, NKo and their presentation forms.
RTL_LETTER = re.compile("[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefc]")
# A strong left-to-right letter (Latin, Greek, Cyrillic and their accented forms).
LTR_LETTER = re.compile("[A-Za-z\u00c0-\u024f\u0370-\u03ff\u0400-\u04ff]")

Align = Literal["start", "end", "center"]
BLACK = 0
GREY = 90
LIGHT = 200
WHITE = 255


def has_rtl(text: str) -> bool:
    return RTL_LETTER.search(text) is not None


def reads_right_to_left(lines: Iterable[str]) -> bool:
    """Whether a block of text (an address) is right to left: its first strong letter is."""
    for line in lines:
        rtl = RTL_LETTER.search(line)
        ltr = LTR_LETTER.search(line)
        if rtl or ltr:
            return ltr is None or (rtl is not None and rtl.start() < ltr.start())
    return False


def shout(text: str, language: str) -> str:
    """Capitals for a badge; Greek capitals drop their accents (ΥΠΟΓΡΑΦΗ, not ΥΠΟΓΡΑΦΉ)."""
    upper = text.upper()
    if language == "el":
        upper = unicodedata.normalize("NFC", unicodedata.normalize("NFD", upper).replace("\u0301", ""))
    return upper


def line_height(size: float) -> float:
    """The height in mm of a line of text `size` points tall."""
    return size * POINT_MM * 1.25


class Sheet:
    """One FPDF document of same-sized pages; `rtl` mirrors every page of it."""

    def __init__(self, *, width: float, height: float, rtl: bool = False, title: str = "", language: str = "en"):
        self.width = width
        self.height = height
        self.rtl = rtl
        pdf = FPDF(unit="mm", format=(width, height))
        pdf.set_auto_page_break(False)
        pdf.set_margins(0, 0, 0)
        pdf.c_margin = 0
        pdf.add_font(FAMILY, "", FONTS / "DejaVuSans.ttf")
        pdf.add_font(FAMILY, "B", FONTS / "DejaVuSans-Bold.ttf")
        pdf.set_font(FAMILY, "", 10)
        pdf.set_creator("Emporos")
        pdf.set_lang(language)
        if title:
            pdf.set_title(title)
        self.pdf = pdf

    def new_page(self) -> None:
        self.pdf.add_page()

    @property
    def page_number(self) -> int:
        return self.pdf.page_no()

    def go_to_page(self, number: int) -> None:
        """Draw on an earlier page (for "page 2/3" once a document's last page is known).

        fpdf2 remembers the font and fill colour of the page it writes, not of each page: both
        are written again into the page returned to, or its text would take that page's last
        font and colour."""
        self.pdf.page = number
        self.pdf.current_font_is_set_on_page = False
        if self.pdf.fill_color is not None:
            self.pdf._out(self.pdf.fill_color.serialize().lower())

    def output(self) -> bytes:
        return bytes(self.pdf.output())

    # Geometry ---------------------------------------------------------------------------------

    def _x(self, x: float, w: float) -> float:
        """The physical left edge of a box `w` wide starting `x` from the start edge."""
        return self.width - x - w if self.rtl else x

    def _align(self, align: Align, rtl: bool) -> str:
        if align == "center":
            return "C"
        return "R" if (align == "end") != rtl else "L"

    # Text -------------------------------------------------------------------------------------

    def font(self, size: float, *, bold: bool = False) -> None:
        self.pdf.set_font(FAMILY, "B" if bold else "", size)

    def measure(self, text: str, *, size: float, bold: bool = False) -> float:
        """The width of `text` in mm, measured without shaping (DejaVu has no ligatures to change it)."""
        self.font(size, bold=bold)
        return float(self.pdf.get_string_width(text))

    def text(
        self,
        x: float,
        y: float,
        w: float,
        text: str,
        *,
        size: float,
        bold: bool = False,
        align: Align = "start",
        color: int = BLACK,
        rtl: bool | None = None,
        shrink: bool = False,
    ) -> float:
        """Write one line in the box from `x` to `x + w` with its top at `y`; return the line height.

        `rtl` sets the alignment's direction for this line (default: the page's). `shrink` makes
        a text that does not fit smaller, down to 70 %, and cuts what still does not fit with "…".
        """
        if not text:
            return line_height(size)
        rtl = self.rtl if rtl is None else rtl
        if shrink:
            text, size = self._fit(text, w, size=size, bold=bold)
        self.font(size, bold=bold)
        self.pdf.set_text_color(color)
        height = line_height(size)
        left = self._x(x, w)
        fpdf_align = self._align(align, rtl)
        if has_rtl(text):
            self.pdf.set_xy(left, y)
            self.pdf.set_text_shaping(True, direction="rtl" if rtl else None)
            self.pdf.cell(w, height, text, align=fpdf_align)
            self.pdf.set_text_shaping(False)
        else:
            # Placed directly, on the baseline `cell` would use: about six times faster.
            if fpdf_align != "L":
                width = float(self.pdf.get_string_width(text))
                left += w - width if fpdf_align == "R" else (w - width) / 2
            self.pdf.text(left, y + height / 2 + 0.3 * size * POINT_MM, text)
        return height

    def _fit(self, text: str, w: float, *, size: float, bold: bool) -> tuple[str, float]:
        width = self.measure(text, size=size, bold=bold)
        if width <= w:
            return text, size
        smaller = max(size * 0.7, size * w / width)
        if self.measure(text, size=smaller, bold=bold) <= w:
            return text, smaller
        while len(text) > 1 and self.measure(text + "…", size=smaller, bold=bold) > w:
            text = text[:-1]
        return text.rstrip() + "…", smaller

    def wrap(self, text: str, w: float, *, size: float, bold: bool = False) -> list[str]:
        """`text` broken into lines no wider than `w` mm, at spaces, or anywhere in a long word."""
        lines: list[str] = []
        for paragraph in text.splitlines() or [""]:
            line = ""
            for word in paragraph.split(" "):
                candidate = f"{line} {word}" if line else word
                if self.measure(candidate, size=size, bold=bold) <= w:
                    line = candidate
                    continue
                if line:
                    lines.append(line)
                line = word
                while len(line) > 1 and self.measure(line, size=size, bold=bold) > w:
                    cut = len(line) - 1
                    while cut > 1 and self.measure(line[:cut], size=size, bold=bold) > w:
                        cut -= 1
                    lines.append(line[:cut])
                    line = line[cut:]
            lines.append(line)
        return lines

    def paragraph(
        self,
        x: float,
        y: float,
        w: float,
        lines: Iterable[str],
        *,
        size: float,
        bold: bool = False,
        align: Align = "start",
        color: int = BLACK,
        rtl: bool | None = None,
    ) -> float:
        """Write lines one under the other; return the `y` below the last."""
        for line in lines:
            y += self.text(x, y, w, line, size=size, bold=bold, align=align, color=color, rtl=rtl)
        return y

    # Shapes -----------------------------------------------------------------------------------

    def box(self, x: float, y: float, w: float, h: float, *, fill: int | None = BLACK, line: float = 0.3) -> None:
        """A filled rectangle (`fill` grey level), or a frame `line` mm thick when `fill` is None."""
        if fill is None:
            self.pdf.set_line_width(line)
            self.pdf.set_draw_color(BLACK)
            self.pdf.rect(self._x(x, w), y, w, h, style="D")
        else:
            self.pdf.set_fill_color(fill)
            self.pdf.rect(self._x(x, w), y, w, h, style="F")

    def rule(self, x: float, y: float, w: float, *, thickness: float = 0.2, grey: int = BLACK) -> None:
        self.box(x, y, w, thickness, fill=grey)

    def badge(self, x: float, y: float, text: str, *, size: float, align: Align = "start") -> float:
        """White bold text on a black box at `x` (its start edge, or its end edge for "end"); its width."""
        pad = size * POINT_MM * 0.45
        w = self.measure(text, size=size, bold=True) + 2 * pad
        h = line_height(size) + pad
        left = x - w if align == "end" else x
        self.box(left, y, w, h)
        self.text(left + pad, y + pad / 2, w - 2 * pad, text, size=size, bold=True, color=WHITE, align="center")
        return w

    # Barcodes (drawn with the page's mirroring of their box, never of their modules) ----------

    def code128(self, x: float, y: float, *, data: str, module: float, height: float) -> float:
        """Code128 of `data` whose quiet zone starts at `x`; return the width with both quiet zones."""
        symbol = barcodes.code128(data)
        total = symbol.width_with_quiet_zones * module
        left = self._x(x, total) + barcodes.CODE128_QUIET_MODULES * module
        self._fill_black((left + bar.start * module, y, bar.length * module, height) for bar in symbol.bars)
        return total

    def qr(self, x: float, y: float, *, payload: str, side: float) -> None:
        """A QR code of `payload` whose quiet zone fills the square `side` mm wide at (`x`, `y`)."""
        symbol = barcodes.qr(payload)
        module = side / symbol.size_with_quiet_zone
        left = self._x(x, side) + barcodes.QR_QUIET_MODULES * module
        top = y + barcodes.QR_QUIET_MODULES * module
        self._fill_black(
            (left + run.start * module, top + run.row * module, run.length * module, run.rows * module)
            for run in symbol.runs
        )

    def _fill_black(self, rectangles: Iterable[tuple[float, float, float, float]]) -> None:
        """Black rectangles (left, top, width, height in mm) as one path and one fill.

        A label's barcodes are some two hundred rectangles, and fpdf2's `rect()` costs ten times
        more per rectangle than the path operators themselves (3 ms against 0.3 ms a label), so
        they go straight into the page's content stream, inside their own graphics state. This
        leans on fpdf2's `_out` (fpdf2 is pinned below 3); the decoding tests would catch a change.
        """
        k, page_height = self.pdf.k, self.pdf.h
        path = " ".join(
            f"{left * k:.3f} {(page_height - top - height) * k:.3f} {width * k:.3f} {height * k:.3f} re"
            for left, top, width, height in rectangles
        )
        self.pdf._out(f"q 0 g {path} f Q")
