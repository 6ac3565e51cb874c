"""The support desk's clock and targets: the shop's opening hours and public holidays, the working
minutes to answer and to solve by priority and topic, and how a new ticket's priority is chosen."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model

from emporos.access.models import StaffRole
from emporos.core.config import setting
from emporos.shop import selectors as shop
from emporos.support import sla
from emporos.support.models import Priority, SlaTarget, Topic


@dataclass(frozen=True)
class Targets:
    first_response_minutes: int
    next_response_minutes: int
    resolution_minutes: int


# Working minutes: first answer, next answer, solved. A working day is about 8 hours (480 minutes).
BUILT_IN = {
    Priority.URGENT: Targets(60, 120, 480),
    Priority.HIGH: Targets(120, 240, 960),
    Priority.NORMAL: Targets(240, 480, 1920),
    Priority.LOW: Targets(480, 960, 2880),
}


def targets(priority: str, topic: str) -> Targets:
    """The owner's row for this priority and topic, else for the priority, else the built-in one."""
    rows = {row.topic: row for row in SlaTarget.objects.filter(priority=priority, topic__in=[topic, ""])}
    row = rows.get(topic) or rows.get("")
    if row is not None:
        return Targets(row.first_response_minutes, row.next_response_minutes, row.resolution_minutes)
    return BUILT_IN[Priority(priority)]


def calendar() -> sla.WorkingCalendar:
    """The shop's opening hours, closed on its country's public holidays."""
    current = shop.current()
    return sla.WorkingCalendar(
        time_zone=ZoneInfo(current.time_zone),
        days=frozenset(current.business_days),
        opens_at=current.opens_at,
        closes_at=current.closes_at,
        country=current.country or setting("SHOP_COUNTRY"),
    )


def priority_for(*, topic: str, order_total: Decimal | None, channel: str) -> str:
    """High for a bad satisfaction answer, a case the shop raised, or an order worth at least
    EMPOROS_SUPPORT_HIGH_VALUE; normal otherwise (staff change it as they read)."""
    if channel in ("survey", "proactive"):
        return Priority.HIGH
    threshold = Decimal(str(setting("SUPPORT_HIGH_VALUE")))
    if order_total is not None and order_total >= threshold:
        return Priority.HIGH
    if topic == Topic.PAYMENT:
        return Priority.HIGH
    return Priority.NORMAL


def agents_on_duty() -> int:
    """Active staff who answer customers (support and owners); at least one."""
    users = get_user_model().objects.filter(
        is_active=True, staff_profile__role__in=[StaffRole.SUPPORT, StaffRole.OWNER]
    )
    return max(users.count(), 1)
