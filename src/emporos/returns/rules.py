"""PLACEHOLDER until the rules engine lands (helper branch returns-rules)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True)
class Terms:
    country: str
    voluntary_days: int = 0
    customer_informed: bool = True
    informed_on: dt.date | None = None
    off_premises: bool = False
    protected_consumer: bool = False


@dataclass(frozen=True)
class Window:
    kind: str
    starts_on: dt.date | None
    ends_on: dt.date | None


@dataclass(frozen=True)
class Refusal:
    code: str
    message: str


@dataclass(frozen=True)
class Choice:
    kind: str | None
    window: Window | None
    refusal: Refusal | None = None


@dataclass(frozen=True)
class RefundDeadline:
    refund_due_on: dt.date
    may_withhold: bool
    breached: bool


CONFORMITY_REASONS = frozenset({"defective", "arrived_damaged", "not_as_described", "wrong_item"})


def choose(
    terms: Terms, *, delivered_on: Sequence[dt.date | None], ordered_on: dt.date, reasons: Collection[str], today: dt.date
) -> Choice:
    last = None if any(d is None for d in delivered_on) else max(d for d in delivered_on if d is not None)
    if set(reasons) & CONFORMITY_REASONS:
        return Choice("conformity", Window("conformity", last, last + dt.timedelta(days=730) if last else None))
    ends = last + dt.timedelta(days=14) if last else None
    if ends is None or today <= ends:
        return Choice("withdrawal", Window("withdrawal", last, ends))
    return Choice(None, None, Refusal("withdrawal_period_over", f"The withdrawal period ended on {ends}."))


def line_refusal(kind: str | None, *, exemptions: Collection[str], condition: str, downloaded: bool) -> Refusal | None:
    return None


def cancellation_fee(terms: Terms, kind: str, *, price: Decimal, currency: str, reasons: Collection[str]) -> Decimal:
    return Decimal(0)


def refund_deadline(
    *, notice_on: dt.date, goods_received_on: dt.date | None, first_scan_on: dt.date | None, today: dt.date
) -> RefundDeadline:
    due = notice_on + dt.timedelta(days=14)
    return RefundDeadline(due, goods_received_on is None and first_scan_on is None, today > due)


def outbound_shipping_refund(*, full_withdrawal: bool, shipping_paid: Decimal, cheapest_standard: Decimal) -> Decimal:
    return min(shipping_paid, cheapest_standard) if full_withdrawal else Decimal("0.00")
