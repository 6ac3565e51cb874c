"""The shipping label in ZPL II, for thermal printers at 203 dpi (8 dots a millimetre).

The printer draws the barcodes itself (`^BC` Code128 in automatic subset mode, `^BQ` QR code),
so they are as sharp as the print head allows. Text is UTF-8 (`^CI28`); every field that holds
data passes through `^FH` with `^`, `~` and `_` escaped, so an address can never end a field or
start a command. Right-to-left text needs a printer with bidi support (`^PA`, Link-OS) and a
Unicode font for Greek and Hebrew; the layout follows the PDF label's.
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from emporos.fulfillment.documents import barcodes
from emporos.fulfillment.documents.canvas import has_rtl, reads_right_to_left, shout
from emporos.fulfillment.documents.data import ShippingLabel

DOTS_WIDE = 812  # 4 inches at 203 dpi
DOTS_HIGH = 1218  # 6 inches
MARGIN = 32
INNER = DOTS_WIDE - 2 * MARGIN
BARCODE_HEIGHT = 160
QR_MAGNIFICATION = 5
FLAGS_BOTTOM = 708  # the flags stack up from here; the barcode's rule is below
FLAG_PITCH = 56
FONT = "^A0N"  # the printer's scalable font


def escape(text: str) -> str:
    """Field data safe after `^FH`: ZPL's command characters and the escape character as hex."""
    return text.replace("_", "_5F").replace("^", "_5E").replace("~", "_7E")


def _field(
    x: int, y: int, text: str, *, height: int, width: int = INNER, align: str = "L", reverse: bool = False
) -> str:
    """One line of text at (x, y) in a block `width` dots wide, aligned L, R or C."""
    return f"^FO{x},{y}{FONT},{height},{height}^FB{width},1,0,{align}{'^FR' if reverse else ''}^FH^FD{escape(text)}^FS"


def _lines(lines: tuple[str, ...], *, x: int, y: int, height: int, width: int) -> tuple[list[str], int]:
    align = "R" if reads_right_to_left(lines) else "L"
    commands = []
    for line in lines:
        commands.append(_field(x, y, line, height=height, width=width, align=align))
        y += height + 6
    return commands, y


def _box(x: int, y: int, width: int, height: int, thickness: int) -> str:
    return f"^FO{x},{y}^GB{width},{height},{thickness}^FS"


def zpl_label(label: ShippingLabel) -> str:
    """One label, `^XA` to `^XZ`, with words in the language active for the caller."""
    texts = (*label.sender, *label.recipient, label.carrier, label.service, label.pickup_point)
    commands = ["^XA", "^CI28", f"^PW{DOTS_WIDE}", f"^LL{DOTS_HIGH}", "^LH0,0"]
    if any(has_rtl(text) for text in texts):
        commands.append("^PA0,1,1,1")  # bidi and shaping on printers that support them
    commands += [
        _field(MARGIN, MARGIN, label.carrier, height=44, width=INNER - 240),
        _field(MARGIN, MARGIN + 52, label.service, height=26, width=INNER - 240),
    ]
    if label.express:
        commands += [
            _box(DOTS_WIDE - MARGIN - 230, MARGIN, 230, 64, 64),
            _field(
                DOTS_WIDE - MARGIN - 230,
                MARGIN + 10,
                shout(_("Express"), label.language),
                height=46,
                width=230,
                align="C",
                reverse=True,
            ),
        ]
    commands.append(_box(MARGIN, 112, INNER, 4, 4))
    commands.append(_field(MARGIN, 124, pgettext("address", "From"), height=20, width=460))
    sender, y = _lines(label.sender[:5], x=MARGIN, y=148, height=22, width=460)
    commands += sender
    side = [(_("Reference"), label.reference), (_("Weight"), label.weight)]
    side_y = 124
    for heading, value in side:
        commands.append(_field(520, side_y, heading, height=20, width=DOTS_WIDE - MARGIN - 520, align="R"))
        commands.append(_field(520, side_y + 24, value, height=30, width=DOTS_WIDE - MARGIN - 520, align="R"))
        side_y += 64
    y = max(y, side_y) + 8
    commands.append(_box(MARGIN, y, INNER, 4, 4))
    flags = _flag_words(label)
    flags_top = FLAGS_BOTTOM - FLAG_PITCH * len(flags)
    commands += _recipient(label, y + 14, limit=flags_top - 8)
    commands += _flags(flags, top=flags_top)
    commands += _barcodes(label)
    commands += ["^PQ1", "^XZ"]
    return "\n".join(commands) + "\n"


def _recipient(label: ShippingLabel, y: int, *, limit: int) -> list[str]:
    """The TO block, in type as large as the lines left above `limit` allow (44 dots at most)."""
    align = "R" if reads_right_to_left(label.recipient) else "L"
    commands = [_field(MARGIN, y, pgettext("address", "To"), height=26, align=align)]
    y += 36
    room = limit - y - (70 if label.pickup_point else 0)
    lines = label.recipient
    height = max(20, min(44, room // max(1, len(lines)) - 8))
    for index, line in enumerate(lines):
        commands.append(_field(MARGIN, y, line, height=height + (6 if index == 0 else 0), align=align))
        y += height + 8 + (6 if index == 0 else 0)
    if label.pickup_point:
        commands.append(_box(MARGIN, y + 6, INNER, 52, 3))
        text = f"{_('Pickup point')}: {label.pickup_point}"
        commands.append(_field(MARGIN + 12, y + 16, text, height=34, width=INNER - 24, align=align))
    return commands


def _flag_words(label: ShippingLabel) -> list[str]:
    words = []
    if label.signature_required:
        words.append(shout(_("Signature required"), label.language))
    if label.presence_required:
        words.append(shout(_("Presence required"), label.language))
    if label.cash_on_delivery:
        words.append(f"{shout(_('Cash on delivery'), label.language)} {label.cash_on_delivery}")
    return words


def _flags(words: list[str], *, top: int) -> list[str]:
    """Each flag a full-width black bar with white words, stacked down to FLAGS_BOTTOM."""
    commands = []
    for word in words:
        commands += [
            _box(MARGIN, top, INNER, 48, 48),
            _field(MARGIN, top + 10, word, height=32, align="C", reverse=True),
        ]
        top += FLAG_PITCH
    return commands


def _barcodes(label: ShippingLabel) -> list[str]:
    """Code128 centred with its quiet zones, the tracking number printed under it; the QR below."""
    symbol = barcodes.code128(label.tracking_number)
    dots = max(2, min(4, INNER // symbol.width_with_quiet_zones))
    x = max(MARGIN, (DOTS_WIDE - symbol.width_modules * dots) // 2)
    payload = label.qr_payload or label.tracking_number
    bottom = DOTS_HIGH - MARGIN - 210
    commands = [
        _box(MARGIN, 720, INNER, 4, 4),
        f"^BY{dots},3,{BARCODE_HEIGHT}",
        f"^FO{x},744^BCN,{BARCODE_HEIGHT},Y,N,N,A^FH^FD{escape(label.tracking_number)}^FS",
        _box(MARGIN, bottom - 16, INNER, 4, 4),
        f"^FO{DOTS_WIDE - MARGIN - 220},{bottom}^BQN,2,{QR_MAGNIFICATION}^FH^FDMA,{escape(payload)}^FS",
    ]
    if label.parcel:
        commands += [
            _field(MARGIN, bottom + 16, _("Parcel"), height=24, width=400),
            _field(MARGIN, bottom + 48, label.parcel, height=96, width=400),
        ]
    return commands
