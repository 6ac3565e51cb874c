"""The noise budget and quiet hours: the owner's, or the EMPOROS_* defaults until saved; and the
customer's time zone they are read in."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

import phonenumbers

from emporos.core.config import setting
from emporos.customers.models import Customer
from emporos.notifications.models import MessagePolicy
from emporos.orders.models import Order
from emporos.shop import selectors as shop

ZONES = {"GR": "Europe/Athens", "PL": "Europe/Warsaw", "IL": "Asia/Jerusalem", "CY": "Asia/Nicosia"}


@dataclass(frozen=True)
class QuietHours:
    starts: dt.time
    ends: dt.time

    def contains(self, moment: dt.time) -> bool:
        if self.starts <= self.ends:
            return self.starts <= moment < self.ends
        return moment >= self.starts or moment < self.ends  # across midnight, e.g. 21:00-08:00

    def end_after(self, local: dt.datetime) -> dt.datetime:
        """The first moment at or after `local` (aware, in its zone) outside the quiet hours."""
        if not self.contains(local.timetz().replace(tzinfo=None)):
            return local
        end = local.replace(hour=self.ends.hour, minute=self.ends.minute, second=0, microsecond=0)
        if end <= local:
            end += dt.timedelta(days=1)
        # Rebuild from the wall time, so a change of daylight saving in between is honoured.
        return dt.datetime.combine(end.date(), self.ends, tzinfo=local.tzinfo)


class BadQuietHours(ValueError):
    pass


def parse_quiet_hours(text: str) -> QuietHours | None:
    """'21:00-08:00' -> QuietHours; '' -> None (no quiet hours). BadQuietHours otherwise."""
    text = text.strip()
    if not text:
        return None
    try:
        starts, ends = (dt.time.fromisoformat(part.strip()) for part in text.split("-"))
    except ValueError:
        raise BadQuietHours(text) from None
    if starts == ends:
        raise BadQuietHours(text)
    return QuietHours(starts, ends)


@dataclass(frozen=True)
class Policy:
    messages_per_order_day: int
    quiet_hours: QuietHours | None
    quiet_hours_text: str
    is_saved: bool


def current() -> Policy:
    row = MessagePolicy.objects.filter(pk=1).first()
    if row is None:
        text = setting("QUIET_HOURS")
        return Policy(setting("MESSAGES_PER_ORDER_DAY"), parse_quiet_hours(text), text, is_saved=False)
    return Policy(row.messages_per_order_day, parse_quiet_hours(row.quiet_hours), row.quiet_hours, is_saved=True)


def _country_of(customer: Customer, order: Order | None) -> str:
    address = order.shipping_address if order is not None else None
    if isinstance(address, dict) and address.get("country"):
        return str(address["country"]).upper()
    if customer.phone:
        try:
            region = phonenumbers.region_code_for_number(phonenumbers.parse(customer.phone, None))
        except phonenumbers.NumberParseException:
            region = None
        if region:
            return region
    return ""


def time_zone_of(customer: Customer, order: Order | None = None) -> ZoneInfo:
    """Where the customer is: the country shipped to, else the phone's, else the shop's zone."""
    zone = ZONES.get(_country_of(customer, order))
    return ZoneInfo(zone) if zone else ZoneInfo(shop.current().time_zone)
