"""The shop's settings as every part reads them, from a short per-process cache."""

from __future__ import annotations

import datetime as dt
import time
from zoneinfo import ZoneInfo

from django.conf import settings

from emporos.core.calendar import BusinessHours
from emporos.core.config import setting
from emporos.shop.models import ShopSettings

# Another process sees a saved change within this many seconds; the saving process at once.
CACHE_SECONDS = 5.0
_cached: tuple[float, ShopSettings] | None = None


def defaults() -> ShopSettings:
    """The settings before the owner has saved any: from the EMPOROS_* environment."""
    opens, closes = setting("BUSINESS_HOURS").split("-")
    return ShopSettings(
        id=1,
        name=setting("SHOP_NAME"),
        time_zone=settings.TIME_ZONE,
        currency=setting("CURRENCY"),
        languages=[code for code, _ in settings.LANGUAGES],
        business_days=list(setting("BUSINESS_DAYS")),
        opens_at=dt.time.fromisoformat(opens.strip()),
        closes_at=dt.time.fromisoformat(closes.strip()),
        overdue_hours=setting("OVERDUE_WORKING_HOURS"),
    )


def current() -> ShopSettings:
    """The shop's settings (a copy: changes go through shop.services.update_settings)."""
    global _cached
    if _cached is None or time.monotonic() - _cached[0] > CACHE_SECONDS:
        row = ShopSettings.objects.filter(pk=1).first() or defaults()
        _cached = (time.monotonic(), row)
    return _cached[1]


def forget() -> None:
    """Drop the cached copy, so the next read sees the database."""
    global _cached
    _cached = None


def business_hours() -> BusinessHours:
    shop = current()
    return BusinessHours(
        time_zone=ZoneInfo(shop.time_zone),
        days=frozenset(shop.business_days),
        opens_at=shop.opens_at,
        closes_at=shop.closes_at,
    )


def time_zone() -> ZoneInfo:
    return ZoneInfo(current().time_zone)
