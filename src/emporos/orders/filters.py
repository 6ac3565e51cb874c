"""The filters of an order list, declared once.

The API's query parameters (and so its OpenAPI), the desk's filter form and the selector all come
from `ORDER_FILTERS`; `parse_filters` checks a value the same way wherever it came from and names
every bad one.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum

from emporos.core import clock
from emporos.core.errors import ErrorCollector
from emporos.core.text import text_problem
from emporos.orders.states import FulfillmentStatus, OrderStatus, PaymentMethod, PaymentStatus


class FilterKind(StrEnum):
    CHOICE = "choice"  # one of `choices`
    TEXT = "text"  # free text up to `max_length`
    MOMENT = "moment"  # an ISO 8601 moment with its time zone
    FLAG = "flag"  # true or false


@dataclass(frozen=True)
class OrderFilter:
    name: str  # as the API and the desk's URL spell it
    kind: FilterKind
    description: str
    choices: tuple[str, ...] = ()
    max_length: int = 0


ORDER_FILTERS: tuple[OrderFilter, ...] = (
    OrderFilter("status", FilterKind.CHOICE, "The order's status.", tuple(OrderStatus)),
    OrderFilter("payment_status", FilterKind.CHOICE, "The payment's status.", tuple(PaymentStatus)),
    OrderFilter("fulfillment_status", FilterKind.CHOICE, "How far it has shipped.", tuple(FulfillmentStatus)),
    OrderFilter("payment_method", FilterKind.CHOICE, "How the customer pays.", tuple(PaymentMethod)),
    OrderFilter("channel", FilterKind.TEXT, "The storefront channel, e.g. web.", max_length=32),
    OrderFilter("shipping_method", FilterKind.TEXT, "The shipping method's code.", max_length=64),
    OrderFilter("placed_from", FilterKind.MOMENT, "Placed at or after this moment (ISO 8601 with a time zone)."),
    OrderFilter("placed_to", FilterKind.MOMENT, "Placed before this moment (ISO 8601 with a time zone)."),
    OrderFilter("overdue", FilterKind.FLAG, "true: only orders waiting past their due time; false: the others."),
    OrderFilter("express", FilterKind.FLAG, "true: only express orders; false: the others."),
    OrderFilter("sku", FilterKind.TEXT, "Orders with a line of this SKU (exact, as stored).", max_length=64),
    OrderFilter("q", FilterKind.TEXT, "An order number, an e-mail, a phone number or part of a name.", max_length=200),
)
FILTER_NAMES = frozenset(spec.name for spec in ORDER_FILTERS)


@dataclass(frozen=True)
class OrderFilters:
    """Checked filter values; None means "any". One field per entry of ORDER_FILTERS."""

    status: str | None = None
    payment_status: str | None = None
    fulfillment_status: str | None = None
    payment_method: str | None = None
    channel: str | None = None
    shipping_method: str | None = None
    placed_from: dt.datetime | None = None
    placed_to: dt.datetime | None = None
    overdue: bool | None = None
    express: bool | None = None
    sku: str | None = None
    q: str | None = None


_TRUE, _FALSE = frozenset({"true", "1", "yes"}), frozenset({"false", "0", "no"})


def parse_filters(values: Mapping[str, object]) -> OrderFilters:
    """OrderFilters from raw values (strings from a URL, or already typed values); ValidationFailed
    names every unknown filter and every bad value. Empty values mean "any"."""
    errors = ErrorCollector()
    for name in sorted(set(values) - FILTER_NAMES):
        errors.add(name, "unknown_filter", f"Unknown filter; use one of {', '.join(sorted(FILTER_NAMES))}.")
    parsed: dict[str, object] = {}
    for spec in ORDER_FILTERS:
        raw = values.get(spec.name)
        if raw is None or raw == "":
            continue
        value = _parse(spec, raw, errors)
        if value is not None:
            parsed[spec.name] = value
    errors.raise_if_any()
    return OrderFilters(**parsed)  # type: ignore[arg-type]


def _parse(spec: OrderFilter, raw: object, errors: ErrorCollector) -> object:
    if spec.kind == FilterKind.MOMENT:
        return _moment(spec, raw, errors)
    if spec.kind == FilterKind.FLAG:
        if isinstance(raw, bool):
            return raw
        text = str(raw).strip().lower()
        if text in _TRUE | _FALSE:
            return text in _TRUE
        errors.add(spec.name, "invalid", "Use true or false.")
        return None
    text = str(raw).strip()
    if (problem := text_problem(text)) is not None:
        errors.add(spec.name, problem.code, problem.message)
    elif spec.kind == FilterKind.CHOICE and text not in spec.choices:
        errors.add(spec.name, "invalid_choice", f"Use one of {', '.join(spec.choices)}.")
    elif spec.kind == FilterKind.TEXT and len(text) > spec.max_length:
        errors.add(spec.name, "too_long", f"Use at most {spec.max_length} characters.")
    else:
        return text
    return None


def _moment(spec: OrderFilter, raw: object, errors: ErrorCollector) -> dt.datetime | None:
    if isinstance(raw, dt.datetime):
        moment = raw
    else:
        try:
            moment = dt.datetime.fromisoformat(str(raw).strip().replace("Z", "+00:00"))
        except ValueError:
            errors.add(spec.name, "invalid_datetime", "Give a moment such as 2026-11-24T10:00:00Z.")
            return None
    if (problem := clock.moment_problem(moment)) is not None:
        code = "naive_datetime" if moment.tzinfo is None or moment.utcoffset() is None else "out_of_range"
        errors.add(spec.name, code, problem)
        return None
    return moment


# What a list can be sorted by: the name a URL uses, and the column (then the id breaks ties).
SORT_COLUMNS = {
    "placed": "placed_at",
    "number": "number",
    "customer": "customer__name",
    "total": "total",
    "status": "status_step",  # Order.status_step: states.STATUS_STEPS, stored by the database
    "due": "due_by",
}


@dataclass(frozen=True)
class OrderSort:
    """A list's order: one of SORT_COLUMNS, ascending or descending; newest first by default."""

    key: str = "placed"
    descending: bool = True

    def __post_init__(self) -> None:
        if self.key not in SORT_COLUMNS:
            raise ValueError(f"Sort by one of {', '.join(SORT_COLUMNS)}.")

    @property
    def column(self) -> str:
        return SORT_COLUMNS[self.key]

    @property
    def is_default(self) -> bool:
        return self == NEWEST_FIRST


NEWEST_FIRST = OrderSort()
