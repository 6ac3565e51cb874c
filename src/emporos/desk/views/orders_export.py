"""The orders list as a CSV file: exactly the orders the list shows for the same filters, in its order.

Streamed: rows are read from the database a chunk at a time and written out as they come, so an
export of 100,000 orders never holds them all in memory (bench/order_desk.py measures it).
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Iterator
from zoneinfo import ZoneInfo

from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from emporos.access.roles import Permission
from emporos.core import clock
from emporos.core.errors import ValidationFailed
from emporos.desk.auth import staff_required
from emporos.desk.labels import label
from emporos.desk.views import orders as orders_view
from emporos.orders import selectors
from emporos.orders.selectors import ExportRow
from emporos.orders.states import FulfillmentStatus, OrderStatus, PaymentStatus
from emporos.shipping import selectors as shipping
from emporos.shop import selectors as shop

# Written out in pieces of about this many characters: few writes, little memory.
_PIECE = 64 * 1024
# A cell a spreadsheet would run as a formula (CSV injection): = + - @, and tab or carriage return
# that some programs strip before looking. A plain number ("-5", "+306912345678") runs nothing.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"^[+-]?\d+(\.\d+)?$")


def safe_cell(value: str) -> str:
    """`value` as a spreadsheet shows it without running it: a leading quote before a formula."""
    if value.startswith(_FORMULA_START) and not _PLAIN_NUMBER.match(value):
        return "'" + value
    return value


def _header(time_zone: ZoneInfo) -> list[str]:
    return [
        _("Order"),
        _("Placed at (%(time_zone)s)") % {"time_zone": time_zone.key},
        _("Status"),
        _("Payment"),
        _("Fulfilment"),
        _("Customer"),
        _("E-mail"),
        _("Phone"),
        _("Channel"),
        _("Shipping method"),
        _("Items"),
        _("Total"),
        _("Currency"),
    ]


def _words() -> dict[str, dict[str, str]]:
    """The staff member's words for each status, read now: the rows are written after the view returns."""
    kinds = {"status": OrderStatus, "payment_status": PaymentStatus, "fulfillment_status": FulfillmentStatus}
    return {kind: {value: label(kind, value) for value in enum} for kind, enum in kinds.items()}


def _cells(row: ExportRow, time_zone: ZoneInfo, words: dict[str, dict[str, str]]) -> list[str]:
    return [
        row.number,
        row.placed_at.astimezone(time_zone).isoformat(timespec="seconds"),
        words["status"].get(row.status, row.status),
        words["payment_status"].get(row.payment_status, row.payment_status),
        words["fulfillment_status"].get(row.fulfillment_status, row.fulfillment_status),
        safe_cell(row.customer_name),
        safe_cell(row.email),
        safe_cell(row.phone),
        safe_cell(row.channel),
        safe_cell(row.shipping_method),
        str(row.items),
        str(row.total),
        row.currency,
    ]


def _pieces(
    header: list[str], words: dict[str, dict[str, str]], rows: Iterable[ExportRow], time_zone: ZoneInfo
) -> Iterator[str]:
    """The file in pieces: a byte-order mark (spreadsheets then read Greek, Polish and Hebrew as
    UTF-8) with the header at once, so the download starts before the orders are read; then the
    rows as they are read, about `_PIECE` characters at a time."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    yield "\ufeff" + buffer.getvalue()
    buffer.seek(0)
    buffer.truncate()
    for row in rows:
        writer.writerow(_cells(row, time_zone, words))
        if buffer.tell() >= _PIECE:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    if buffer.tell():
        yield buffer.getvalue()


@staff_required(Permission.VIEW_ORDERS)
@require_GET
def orders_csv(request: HttpRequest) -> HttpResponse | StreamingHttpResponse:
    """The orders of the list with the same filters and order; filters that cannot be used show the
    list with the message next to them, as the list itself does."""
    form = orders_view.OrderFilterForm(
        request.GET, channels=selectors.channels_in_use(), shipping_methods=shipping.method_names()
    )
    time_zone = shop.time_zone()
    today = clock.now().astimezone(time_zone).date()
    if not form.is_valid():
        return orders_view.orders_page(request)
    try:
        filters = form.order_filters(time_zone, today)
    except ValidationFailed:
        return orders_view.orders_page(request)
    rows = selectors.export_rows(filters, sort=form.sort)
    pieces = _pieces(_header(time_zone), _words(), rows, time_zone)
    response = StreamingHttpResponse(pieces, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="orders-{today.isoformat()}.csv"'
    response["Cache-Control"] = "no-store"
    return response
