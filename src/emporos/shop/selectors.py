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
# Bumped by forget(): a read that began before a save never caches what it read.
_generation = 0


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
    cached = _cached
    if cached is not None and time.monotonic() - cached[0] <= CACHE_SECONDS:
        return cached[1]
    generation = _generation
    row = ShopSettings.objects.filter(pk=1).first() or defaults()
    if generation == _generation:
        _cached = (time.monotonic(), row)
    return row


def forget() -> None:
    """Drop the cached copy, so the next read sees the database."""
    global _cached, _generation
    _generation += 1
    _cached = None


def business_hours(shop: ShopSettings | None = None) -> BusinessHours:
    """The opening hours of `shop` (the current settings when None)."""
    shop = shop or current()
    return BusinessHours(
        time_zone=ZoneInfo(shop.time_zone),
        days=frozenset(shop.business_days),
        opens_at=shop.opens_at,
        closes_at=shop.closes_at,
    )


def time_zone() -> ZoneInfo:
    return ZoneInfo(current().time_zone)
