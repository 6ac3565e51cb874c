"""The packing slip (A4) that goes into the parcel: what is in it, what follows, and a thank-you.

A Hebrew slip is the mirror image of the others (the page is laid out from the right edge),
while order numbers, SKUs and amounts keep reading left to right inside it. The order number's
Code128 is what the packer scans to open the order at the packing station.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

from emporos.fulfillment.documents import barcodes
from emporos.fulfillment.documents.canvas import GREY, LIGHT, Align, Sheet, line_height, reads_right_to_left, shout
from emporos.fulfillment.documents.data import PackingSlip, SlipLine

WIDTH = 210.0
HEIGHT = 297.0
MARGIN = 15.0
INNER = WIDTH - 2 * MARGIN
FOOTER = HEIGHT - MARGIN - 3
BOTTOM = FOOTER - 4  # nothing but the footer below this
MODULE = 0.33  # mm per Code128 module: scans from a 300 dpi laser print and a phone camera
BOX = 5.0


@dataclass(frozen=True)
class Column:
    heading: str
    x: float
    width: float
    align: Align = "start"


def columns() -> dict[str, Column]:
    widths = {"sku": 40.0, "name": 0.0, "quantity": 22.0, "box": 12.0}
    widths["name"] = INNER - sum(widths.values()) - 3.0 * (len(widths) - 1)
    headings = {"sku": _("SKU"), "name": _("Product"), "quantity": _("Quantity"), "box": ""}
    aligns: dict[str, Align] = {"quantity": "center", "box": "center"}
    result = {}
    x = 0.0
    for key, width in widths.items():
        result[key] = Column(headings[key], x, width, aligns.get(key, "start"))
        x += width + 3.0
    return result


def draw_packing_slip(sheet: Sheet, slip: PackingSlip) -> None:
    """The slip on one page, or more for a long order, each page numbered within the slip."""
    _Slip(sheet, slip).draw()


class _Slip:
    def __init__(self, sheet: Sheet, slip: PackingSlip):
        self.sheet = sheet
        self.slip = slip
        self.table = columns()
        self.first_page = sheet.page_number + 1
        self.y = MARGIN

    def draw(self) -> None:
        self.sheet.new_page()
        self._header()
        self._addresses()
        packed = [line for line in self.slip.lines if not line.waiting]
        waiting = [line for line in self.slip.lines if line.waiting]
        if packed:
            self._lines(packed, tick_boxes=True)
        if waiting:
            self._keep(line_height(10) + 4 + self._row_height(waiting[0]) + line_height(8) + 2)
            self.y += 3
            self.y += self.sheet.text(MARGIN, self.y, INNER, _("Follows in a separate parcel"), size=10, bold=True)
            self._lines(waiting, tick_boxes=False)
        self._thank_you()
        self._gift_message()
        self._coupon()
        self._footers()

    # Blocks -----------------------------------------------------------------------------------

    def _header(self) -> None:
        sheet, slip = self.sheet, self.slip
        end_w = 80.0
        start_w = INNER - end_w - 5
        y = sheet.text(MARGIN, MARGIN, start_w, slip.shop_name, size=16, bold=True, shrink=True) + MARGIN
        y = sheet.paragraph(MARGIN, y + 0.5, start_w, slip.shop_address, size=9, color=GREY)
        end_x = MARGIN + INNER - end_w
        right = sheet.text(end_x, MARGIN, end_w, _("Packing slip"), size=9, color=GREY, align="end") + MARGIN
        right += sheet.text(end_x, right, end_w, slip.number, size=22, bold=True, align="end", shrink=True)
        if slip.barcode:
            width = barcodes.code128(slip.barcode).width_with_quiet_zones * MODULE
            sheet.code128(MARGIN + INNER - width, right + 1, data=slip.barcode, module=MODULE, height=12)
            right += 14
        placed = f"{_('Placed on')}: {slip.placed_on}"
        right += sheet.text(end_x, right, end_w, placed, size=9, color=GREY, align="end")
        self.y = max(y, right) + 3
        sheet.rule(MARGIN, self.y, INNER, thickness=0.5)
        self.y += 4

    def _addresses(self) -> None:
        sheet, slip = self.sheet, self.slip
        start_w = 105.0
        # The address block takes the direction of its own text, its heading included.
        rtl = reads_right_to_left(slip.ship_to) if slip.ship_to else None
        y = self.y + sheet.text(MARGIN, self.y, start_w, _("Ship to"), size=8, bold=True, color=GREY, rtl=rtl)
        for index, line in enumerate(slip.ship_to):
            y += sheet.text(MARGIN, y, start_w, line, size=11, bold=index == 0, rtl=rtl, shrink=True)
        end_x = MARGIN + start_w + 5
        end_w = INNER - start_w - 5
        right = self.y + sheet.text(end_x, self.y, end_w, _("Shipping method"), size=8, bold=True, color=GREY)
        lines = sheet.wrap(slip.method, end_w, size=11)
        right = sheet.paragraph(end_x, right, end_w, lines, size=11)
        if slip.express:
            sheet.badge(end_x, right + 1, shout(_("Express"), slip.language), size=11)
            right += line_height(11) + 3
        self.y = max(y, right) + 6

    def _table_header(self) -> None:
        for column in self.table.values():
            self.sheet.text(
                MARGIN + column.x,
                self.y,
                column.width,
                column.heading,
                size=8,
                bold=True,
                color=GREY,
                align=column.align,
            )
        self.y += line_height(8) + 0.5
        self.sheet.rule(MARGIN, self.y, INNER, thickness=0.4)
        self.y += 1

    def _row_height(self, line: SlipLine) -> float:
        names = self.sheet.wrap(line.name, self.table["name"].width, size=10)
        return max(line_height(12), len(names) * line_height(10)) + 2.4

    def _lines(self, lines: list[SlipLine], *, tick_boxes: bool) -> None:
        self._keep(line_height(8) + 2 + self._row_height(lines[0]))
        self._table_header()
        sheet, table = self.sheet, self.table
        color = 0 if tick_boxes else GREY
        for line in lines:
            names = sheet.wrap(line.name, table["name"].width, size=10)
            height = max(line_height(12), len(names) * line_height(10)) + 2.4
            if self.y + height > BOTTOM:
                self._new_page()
                self._table_header()
            top = self.y + 1
            sheet.text(MARGIN + table["sku"].x, top, table["sku"].width, line.sku, size=9, color=color, shrink=True)
            sheet.paragraph(MARGIN + table["name"].x, top, table["name"].width, names, size=10, color=color)
            quantity = table["quantity"]
            sheet.text(
                MARGIN + quantity.x,
                top,
                quantity.width,
                str(line.quantity),
                size=12,
                bold=True,
                color=color,
                align="center",
            )
            if tick_boxes:
                box = table["box"]
                sheet.box(MARGIN + box.x + (box.width - BOX) / 2, top, BOX, BOX, fill=None)
            self.y += height
            sheet.rule(MARGIN, self.y - 0.2, INNER, thickness=0.1, grey=LIGHT)

    def _thank_you(self) -> None:
        """The shop's own words, or a plain "Thank you" when it has none."""
        lines = self.sheet.wrap(self.slip.thank_you or _("Thank you"), INNER, size=10)
        self._keep(len(lines) * line_height(10) + 8)
        self.y += 8
        self.y = self.sheet.paragraph(MARGIN, self.y, INNER, lines, size=10)

    def _gift_message(self) -> None:
        if not self.slip.gift_message:
            return
        sheet = self.sheet
        lines = sheet.wrap(self.slip.gift_message, INNER - 10, size=12)
        height = line_height(8) + len(lines) * line_height(12) + 8
        self._keep(height + 6)
        self.y += 6
        sheet.box(MARGIN, self.y, INNER, height, fill=None, line=0.4)
        rtl = reads_right_to_left(lines) if any(lines) else None  # as the customer wrote it
        heading = _("Gift message")
        top = (
            self.y + 3 + sheet.text(MARGIN + 5, self.y + 3, INNER - 10, heading, size=8, bold=True, color=GREY, rtl=rtl)
        )
        sheet.paragraph(MARGIN + 5, top + 1, INNER - 10, lines, size=12, rtl=rtl)
        self.y += height

    def _coupon(self) -> None:
        slip, sheet = self.slip, self.sheet
        if not slip.coupon_code:
            return
        height = line_height(8) + line_height(20) + line_height(9) + 10
        self._keep(height + 6)
        self.y += 6
        sheet.box(MARGIN, self.y, INNER, height, fill=None, line=0.8)
        top = self.y + 4
        top += sheet.text(MARGIN + 5, top, INNER - 10, _("Your code for the next order"), size=8, bold=True, color=GREY)
        sheet.text(MARGIN + 5, top, 110, slip.coupon_code, size=20, bold=True)
        sheet.text(MARGIN + 120, top + 1, INNER - 125, slip.coupon_value, size=16, bold=True, align="end")
        if slip.coupon_expires:
            valid = f"{_('valid until')} {slip.coupon_expires}"
            sheet.text(MARGIN + 5, top + line_height(20) + 1, INNER - 10, valid, size=9, color=GREY)
        self.y += height

    # Pages ------------------------------------------------------------------------------------

    def _keep(self, height: float) -> None:
        """Start a new page unless `height` mm still fit on this one."""
        if self.y + height > BOTTOM:
            self._new_page()

    def _new_page(self) -> None:
        self.sheet.new_page()
        self.y = MARGIN
        heading = f"{_('Packing slip')} {self.slip.number}"
        self.y += self.sheet.text(MARGIN, self.y, INNER, heading, size=10, bold=True) + 3

    def _footers(self) -> None:
        """Number the pages of a slip that took more than one: "Page 1/2"."""
        sheet = self.sheet
        last = sheet.page_number
        total = last - self.first_page + 1
        if total == 1:
            return
        for page in range(self.first_page, last + 1):
            sheet.go_to_page(page)
            text = f"{self.slip.number} · {_('Page')} {page - self.first_page + 1}/{total}"
            sheet.text(MARGIN, FOOTER, INNER, text, size=8, color=GREY, align="end")
        sheet.go_to_page(last)
