"""The 4x6 inch shipping label, as a thermal printer at 203 dpi prints it.

The layout is the same in every language (sorting staff find the address and the barcode by
where they are); each address block takes the direction of its own text, so a Hebrew recipient
reads right to left inside the TO block. Barcode modules are whole printer dots wide, so the
printer never rounds one bar thinner than another.
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from emporos.fulfillment.documents import barcodes
from emporos.fulfillment.documents.canvas import BLACK, Sheet, line_height, reads_right_to_left, shout
from emporos.fulfillment.documents.data import ShippingLabel

WIDTH = 101.6
HEIGHT = 152.4
MARGIN = 4.0
INNER = WIDTH - 2 * MARGIN
DOT = 25.4 / 203  # one dot of a 203 dpi print head, in mm
BARCODE_HEIGHT = 19.0
QR_SIDE = 26.0
BOTTOM_ZONE = QR_SIDE + 1.0  # the QR code with the reference, weight and parcel beside it


def new_sheet(language: str) -> Sheet:
    return Sheet(width=WIDTH, height=HEIGHT, title=_("Shipping label"), language=language)


def module_width(symbol: barcodes.Code128Bars) -> float:
    """The widest whole number of dots (at most 4, at least 2) per module that fits the label."""
    dots = min(4, int(INNER / symbol.width_with_quiet_zones / DOT))
    if dots >= 2:
        return dots * DOT
    return INNER / symbol.width_with_quiet_zones  # an unusually long number: fit, off the dot grid


def draw_label(sheet: Sheet, label: ShippingLabel) -> None:
    """One label on a new page of `sheet`; headings in the language active for the caller."""
    sheet.new_page()
    y = _header(sheet, label)
    y = _sender(sheet, label, y)
    bottom_of_address = HEIGHT - MARGIN - BOTTOM_ZONE - BARCODE_HEIGHT - 11
    flags_top = _flags(sheet, label, bottom_of_address)
    _recipient(sheet, label, y, flags_top - 2)
    _tracking_barcode(sheet, label, bottom_of_address + 2)
    _bottom(sheet, label)


def _header(sheet: Sheet, label: ShippingLabel) -> float:
    y = MARGIN
    if label.express:
        sheet.badge(WIDTH - MARGIN, y, shout(_("Express"), label.language), size=18, align="end")
    sheet.text(MARGIN, y, INNER - 40, label.carrier, size=16, bold=True, shrink=True)
    sheet.text(MARGIN, y + 7.5, INNER - 40, label.service, size=10, shrink=True)
    y += 13
    sheet.rule(MARGIN, y, INNER, thickness=0.6)
    return y + 1.5


def _sender(sheet: Sheet, label: ShippingLabel, y: float) -> float:
    """The FROM block (small) at the start, the reference and weight at the end."""
    rtl = reads_right_to_left(label.sender)
    width = INNER * 0.62
    sheet.text(MARGIN, y, width, pgettext("address", "From"), size=7, bold=True, rtl=rtl)
    bottom = y + line_height(7)
    for line in label.sender[:5]:
        bottom += sheet.text(MARGIN, bottom, width, line, size=8, rtl=rtl, shrink=True)
    side_x = MARGIN + width + 2
    side_w = INNER - width - 2
    side_y = y
    for heading, value in ((_("Reference"), label.reference), (_("Weight"), label.weight)):
        sheet.text(side_x, side_y, side_w, heading, size=7, bold=True, align="end")
        sheet.text(side_x, side_y + line_height(7), side_w, value, size=10, bold=True, align="end", shrink=True)
        side_y += line_height(7) + line_height(10) + 0.5
    bottom = max(bottom, side_y) + 1
    sheet.rule(MARGIN, bottom, INNER, thickness=0.6)
    return bottom + 1.5


def _recipient(sheet: Sheet, label: ShippingLabel, y: float, limit: float) -> None:
    """The TO block, large; smaller type when the address has many lines."""
    rtl = reads_right_to_left(label.recipient)
    sheet.text(MARGIN, y, INNER, pgettext("address", "To"), size=9, bold=True, rtl=rtl)
    y += line_height(9) + 0.5
    lines = list(label.recipient)
    pickup = f"{_('Pickup point')}: {label.pickup_point}" if label.pickup_point else ""
    size = 15.0
    while size > 8 and y + _block_height(len(lines), size) + (line_height(11) + 2 if pickup else 0) > limit:
        size -= 1
    for index, line in enumerate(lines):
        y += sheet.text(MARGIN, y, INNER, line, size=size if index else size + 1, bold=index == 0, rtl=rtl, shrink=True)
    if pickup:
        y += 1.5
        sheet.box(MARGIN, y, INNER, line_height(11) + 1.5, fill=None, line=0.5)
        sheet.text(MARGIN + 1.5, y + 0.75, INNER - 3, pickup, size=11, bold=True, rtl=rtl, shrink=True)


def _block_height(lines: int, size: float) -> float:
    return line_height(size + 1) + (lines - 1) * line_height(size)


def _flags(sheet: Sheet, label: ShippingLabel, bottom: float) -> float:
    """Black boxes with white words, laid out from the start edge above `bottom`; their top."""
    words = []
    if label.signature_required:
        words.append(shout(_("Signature required"), label.language))
    if label.presence_required:
        words.append(shout(_("Presence required"), label.language))
    if label.cash_on_delivery:
        words.append(f"{shout(_('Cash on delivery'), label.language)} {label.cash_on_delivery}")
    if not words:
        return bottom
    size = 10
    height = line_height(size) + size * 0.16 + 1.5
    rows: list[list[str]] = [[]]
    used = 0.0
    for word in words:
        width = sheet.measure(word, size=size, bold=True) + size * 0.32 + 2
        if rows[-1] and used + width > INNER:
            rows.append([])
            used = 0.0
        rows[-1].append(word)
        used += width
    top = bottom - len(rows) * height
    for index, row in enumerate(rows):
        x = MARGIN
        for word in row:
            x += sheet.badge(x, top + index * height, word, size=size) + 2
    return top


def _tracking_barcode(sheet: Sheet, label: ShippingLabel, y: float) -> None:
    sheet.rule(MARGIN, y, INNER, thickness=0.6)
    y += 2
    symbol = barcodes.code128(label.tracking_number)
    module = module_width(symbol)
    total = symbol.width_with_quiet_zones * module
    sheet.code128((WIDTH - total) / 2, y, data=label.tracking_number, module=module, height=BARCODE_HEIGHT)
    sheet.text(MARGIN, y + BARCODE_HEIGHT + 0.8, INNER, label.tracking_number, size=12, bold=True, align="center")


def _bottom(sheet: Sheet, label: ShippingLabel) -> None:
    """The QR code at the end; the parcel count at the start, large, for the sorting staff."""
    top = HEIGHT - MARGIN - BOTTOM_ZONE
    sheet.rule(MARGIN, top, INNER, thickness=0.6)
    sheet.qr(WIDTH - MARGIN - QR_SIDE, top + 1, payload=label.qr_payload or label.tracking_number, side=QR_SIDE)
    if label.parcel:
        sheet.text(MARGIN, top + 3, INNER - QR_SIDE, _("Parcel"), size=8, bold=True, color=BLACK)
        sheet.text(MARGIN, top + 3 + line_height(8), INNER - QR_SIDE, label.parcel, size=26, bold=True)
