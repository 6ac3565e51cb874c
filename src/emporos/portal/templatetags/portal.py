"""Filters for customer pages: days and moments in the page's language, and the customer's words
for the order's states."""

from __future__ import annotations

import datetime as dt

from django import template
from django.utils.html import format_html
from django.utils.translation import get_language

from emporos.core import formats
from emporos.fulfillment import carriers
from emporos.portal import labels
from emporos.returns.labels import label as return_label
from emporos.shop import selectors as shop

register = template.Library()


@register.filter
def day(value: dt.date | None) -> str:
    """'4 Dec 2026', '4 Δεκ 2026' (Babel)."""
    return formats.date(value, language=get_language()) if value is not None else ""


@register.filter
def moment(value: dt.datetime | None) -> str:
    """A moment in the shop's time zone, 24-hour clock, as the page's language writes it."""
    if value is None:
        return ""
    return formats.datetime(value, language=get_language(), time_zone=str(shop.time_zone()))


@register.filter
def state_words(code: str) -> str:
    return labels.state_words(code)


@register.filter
def milestone_words(code: str) -> str:
    return labels.milestone_words(code)


@register.filter
def waiting_words(code: str) -> str:
    return labels.waiting_words(code)


@register.simple_tag
def carrier_name(code: str, written: str = "") -> str:
    """The name a parcel's carrier goes by: the one written on the parcel, else the adapter's."""
    if written:
        return written
    return carriers.carrier(code).name if code in carriers.known() else code


@register.filter
def ltr(value: object) -> str:
    """Text that always reads left to right, isolated from the words around it (order and
    tracking numbers, codes): '<bdi dir="ltr">EM-10042</bdi>'."""
    return format_html('<bdi dir="ltr" class="ltr">{}</bdi>', value)


@register.filter
def return_words(code: str, axis: str) -> str:
    """A return's code (status, kind, reason, condition, resolution) in the page's language."""
    return return_label(axis, code)
