"""Reading satisfaction checks: an order's check and its state, the figures for a report."""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum
from typing import NamedTuple

from django.db.models import Avg, Count, F, Q

from emporos.core import clock
from emporos.feedback.models import BAD_AT_MOST, SatisfactionCheck
from emporos.orders.models import Order, OrderLine
from emporos.orders.states import OrderStatus


class CheckState(StrEnum):
    WAITING = "waiting"  # due later
    ASKED = "asked"  # the question is on its way or was sent
    NOT_ASKED = "not_asked"  # due, yet no message could go (no consent, the budget, too late)
    ANSWERED = "answered"


def check_of_order(order: Order) -> SatisfactionCheck | None:
    return SatisfactionCheck.objects.filter(order=order).first()


def state_of(check: SatisfactionCheck) -> CheckState:
    if check.is_answered:
        return CheckState.ANSWERED
    if check.asked_at is not None:
        return CheckState.ASKED
    return CheckState.WAITING if check.due_at > clock.now() else CheckState.NOT_ASKED


def is_fully_delivered(order: Order) -> bool:
    """Every unit of the order reached the customer (all its parcels, and its digital lines),
    whatever came back since; a cancelled order never is."""
    if order.status == OrderStatus.CANCELLED:
        return False
    lines = OrderLine.objects.filter(order=order)
    return lines.exists() and not lines.filter(quantity_delivered__lt=F("quantity")).exists()


class SatisfactionSummary(NamedTuple):
    """Checks asked since a moment, how many were answered, the average score (1-5, one decimal;
    None without answers) and the share of bad answers (score <= 2) among the answered, 0 to 1."""

    asked: int
    answered: int
    average: Decimal | None
    bad_share: Decimal | None


def satisfaction_summary(since: dt.datetime) -> SatisfactionSummary:
    """(asked, answered, average, bad_share) of the checks asked at or after `since`."""
    figures = SatisfactionCheck.objects.filter(asked_at__gte=since).aggregate(
        asked=Count("id"),
        answered=Count("id", filter=Q(score__isnull=False)),
        bad=Count("id", filter=Q(score__lte=BAD_AT_MOST)),
        average=Avg("score"),
    )
    answered = int(figures["answered"])
    average = figures["average"]
    return SatisfactionSummary(
        asked=int(figures["asked"]),
        answered=answered,
        average=Decimal(str(average)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP) if average is not None else None,
        bad_share=(Decimal(figures["bad"]) / answered).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
        if answered
        else None,
    )
