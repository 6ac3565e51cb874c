"""The pick list of a wave (A4): what to take from which bin, in walking order, and for whom.

Items arrive sorted by location, bin and SKU; the list keeps that order, starts a group at each
location, and repeats the table header and the location on every page so a loose page still
says where it belongs. The footer's "page 2/3" is written once the last page is known.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

from emporos.fulfillment.documents.canvas import BLACK, GREY, LIGHT, Align, Sheet, line_height
from emporos.fulfillment.documents.data import PickItem, PickList

WIDTH = 210.0
HEIGHT = 297.0
MARGIN = 12.0
INNER = WIDTH - 2 * MARGIN
FOOTER = HEIGHT - MARGIN - 4
EXPRESS_MARK = "★"
BOX = 4.5  # the tick box's side, mm


@dataclass(frozen=True)
class Column:
    heading: str
    x: float  # from the start margin
    width: float
    align: Align = "start"


def columns() -> dict[str, Column]:
    """The table's columns in reading order; the name takes what the others leave."""
    widths = {"bin": 22.0, "sku": 34.0, "name": 0.0, "quantity": 15.0, "box": 10.0, "orders": 44.0}
    widths["name"] = INNER - sum(widths.values()) - 2.0 * (len(widths) - 1)
    headings = {
        "bin": _("Bin"),
        "sku": _("SKU"),
        "name": _("Product"),
        "quantity": _("Quantity"),
        "box": "",
        "orders": _("Orders"),
    }
    aligns: dict[str, Align] = {"quantity": "center", "box": "center"}
    result = {}
    x = 0.0
    for key, width in widths.items():
        result[key] = Column(headings[key], x, width, aligns.get(key, "start"))
        x += width + 2.0
    return result


def draw_pick_list(sheet: Sheet, pick: PickList) -> None:
    """The whole list, on as many pages as it takes, page numbers included."""
    first_page = sheet.page_number + 1
    sheet.new_page()
    table = columns()
    y = _title(sheet, pick)
    y = _table_header(sheet, table, y)
    express = frozenset(pick.express_orders)
    location = None
    for item in pick.items:
        row = _Row.of(sheet, table, item, express)
        starts_group = item.location != location
        location = item.location
        orders = row.orders
        first, fresh_page = True, False
        while True:  # a row with more orders than a page holds goes on over the next pages
            room = FOOTER - 2 - y - (_group_height() if starts_group else 0)
            fitting = row.orders_fitting(room, remaining=len(orders), first=first)
            if fitting == 0 and not fresh_page:
                sheet.new_page()
                y = _table_header(sheet, table, MARGIN)
                starts_group = fresh_page = True
                continue
            fitting, fresh_page = max(fitting, 1), False  # a row taller than a page overflows it
            if starts_group:
                y = _group(sheet, item.location, y)
                starts_group = False
            y = row.draw(sheet, table, y, orders[:fitting], first=first)
            orders, first = orders[fitting:], False
            if not orders:
                break
    _footers(sheet, pick, first_page)


def _title(sheet: Sheet, pick: PickList) -> float:
    y = MARGIN
    y += sheet.text(MARGIN, y, INNER, f"{_('Pick list')} {pick.wave}", size=18, bold=True) + 1
    facts = ((_("Cut-off"), pick.cutoff), (_("Printed at"), pick.printed_at), (_("Orders"), str(pick.orders)))
    x = MARGIN
    for heading, value in facts:
        sheet.text(x, y, 60, heading, size=8, color=GREY)
        sheet.text(x, y + line_height(8), 60, value, size=11, bold=True)
        x += 62
    y += line_height(8) + line_height(11) + 2
    if pick.express_orders:
        heading = f"{EXPRESS_MARK} {_('Express')}"
        badge = sheet.badge(MARGIN, y, heading, size=10)
        numbers = sheet.wrap(", ".join(pick.express_orders), INNER - badge - 3, size=10, bold=True)
        y = max(
            y + line_height(10) + 2,
            sheet.paragraph(MARGIN + badge + 3, y + 0.7, INNER - badge - 3, numbers, size=10, bold=True),
        )
    return y + 3


def _table_header(sheet: Sheet, table: dict[str, Column], y: float) -> float:
    for column in table.values():
        sheet.text(
            MARGIN + column.x, y, column.width, column.heading, size=8, bold=True, color=GREY, align=column.align
        )
    y += line_height(8) + 0.5
    sheet.rule(MARGIN, y, INNER, thickness=0.5)
    return y + 1


def _group_height() -> float:
    return line_height(10) + 2.5


def _group(sheet: Sheet, location: str, y: float) -> float:
    """A shaded bar naming the location the rows below are in."""
    sheet.box(MARGIN, y, INNER, line_height(10) + 1, fill=LIGHT)
    sheet.text(MARGIN + 1.5, y + 0.5, INNER - 3, f"{_('Location')}: {location}", size=10, bold=True, shrink=True)
    return y + _group_height()


@dataclass(frozen=True)
class _Row:
    item: PickItem
    name: list[str]
    orders: list[str]

    @classmethod
    def of(cls, sheet: Sheet, table: dict[str, Column], item: PickItem, express: frozenset[str]) -> _Row:
        marked = ", ".join(f"{EXPRESS_MARK}{number}" if number in express else number for number in item.orders)
        return cls(
            item=item,
            name=sheet.wrap(item.name, table["name"].width, size=9),
            orders=sheet.wrap(marked, table["orders"].width, size=8),
        )

    def height(self, orders: int, *, first: bool) -> float:
        """The height of the row's part with `orders` lines of order numbers (the first part
        holds the name, the quantity and the tick box)."""
        item_height = max(line_height(12), len(self.name) * line_height(9)) if first else line_height(10)
        return max(item_height, orders * line_height(8)) + 2

    def orders_fitting(self, room: float, *, remaining: int, first: bool) -> int:
        """How many of the `remaining` lines of order numbers fit in `room` mm: all, some, or
        none (also none when even the row's part without them does not fit)."""
        if self.height(0, first=first) > room:
            return 0
        return max(0, min(remaining, int((room - 2) / line_height(8))))

    def draw(self, sheet: Sheet, table: dict[str, Column], y: float, orders: list[str], *, first: bool) -> float:
        """The row's first part, or a continuation that repeats the bin and SKU in grey."""
        top = y + 0.8
        item = self.item
        color = BLACK if first else GREY
        sheet.text(
            MARGIN + table["bin"].x, top, table["bin"].width, item.bin, size=10, bold=True, color=color, shrink=True
        )
        sheet.text(MARGIN + table["sku"].x, top, table["sku"].width, item.sku, size=9, color=color, shrink=True)
        if first:
            sheet.paragraph(MARGIN + table["name"].x, top, table["name"].width, self.name, size=9)
            quantity = table["quantity"]
            sheet.text(MARGIN + quantity.x, top, quantity.width, str(item.quantity), size=12, bold=True, align="center")
            box = table["box"]
            sheet.box(MARGIN + box.x + (box.width - BOX) / 2, top + 0.3, BOX, BOX, fill=None)
        sheet.paragraph(MARGIN + table["orders"].x, top, table["orders"].width, orders, size=8)
        bottom = y + self.height(len(orders), first=first)
        sheet.rule(MARGIN, bottom - 0.2, INNER, thickness=0.1, grey=LIGHT)
        return bottom


def _footers(sheet: Sheet, pick: PickList, first_page: int) -> None:
    last_page = sheet.page_number
    total = last_page - first_page + 1
    for page in range(first_page, last_page + 1):
        sheet.go_to_page(page)
        sheet.text(MARGIN, FOOTER, INNER / 2, f"{_('Pick list')} {pick.wave}", size=8, color=GREY)
        number = f"{_('Page')} {page - first_page + 1}/{total}"
        sheet.text(MARGIN + INNER / 2, FOOTER, INNER / 2, number, size=8, color=GREY, align="end")
    sheet.go_to_page(last_page)
