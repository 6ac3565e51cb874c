"""Filters for staff pages: ages, money, and a state's badge."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django import template
from django.utils.formats import number_format
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _

from emporos.core import clock, formats
from emporos.desk.labels import label
from emporos.desk.language_names import language_label
from emporos.fulfillment import carriers
from emporos.shop import selectors as shop
from emporos.timeline.rendering import actor_words

register = template.Library()

_SYMBOLS = {"EUR": "€", "PLN": "zł", "ILS": "₪", "USD": "$", "GBP": "£"}


@register.filter
def age(moment: dt.datetime | None) -> str:
    """How long ago, in the largest two units: "3 h 20 min", "2 d 4 h", "5 min"."""
    if moment is None:
        return ""
    minutes = max(int((clock.now() - moment).total_seconds() // 60), 0)
    days, rest = divmod(minutes, 24 * 60)
    hours, minutes = divmod(rest, 60)
    if days:
        return _("%(days)s d %(hours)s h") % {"days": days, "hours": hours}
    if hours:
        return _("%(hours)s h %(minutes)s min") % {"hours": hours, "minutes": minutes}
    return _("%(minutes)s min") % {"minutes": minutes}


@register.filter
def money(amount: Decimal | None, currency: str = "") -> str:
    if amount is None:
        return ""
    text = number_format(amount, decimal_pos=2, use_l10n=True, force_grouping=True)
    symbol = _SYMBOLS.get(currency, currency)
    return f"{text}\u00a0{symbol}" if symbol else text


@register.filter
def count_of(number: int, word: str) -> str:
    """'1 order' / '3 orders' for the few nouns pages count."""
    forms = {
        "order": ngettext("%(n)s order", "%(n)s orders", number),
        "line": ngettext("%(n)s line", "%(n)s lines", number),
        "unit": ngettext("%(n)s unit", "%(n)s units", number),
        "parcel": ngettext("%(n)s parcel", "%(n)s parcels", number),
    }
    return forms.get(word, "%(n)s") % {"n": number}


@register.inclusion_tag("desk/_badge.html")
def badge(value: str, kind: str) -> dict[str, str]:
    """A coloured label for a state: {% badge order.status "status" %}."""
    return {"value": str(value), "kind": kind, "label": label(kind, str(value))}


@register.filter(name="label")
def label_filter(value: str, kind: str) -> str:
    """{{ order.status|label:"status" }}: the word for a value in the UI's language."""
    return label(kind, str(value))


@register.filter
def who(stored: str) -> str:
    """An actor stored as "kind:name" (a call, a stock movement) in words: a name, or
    "Emporos (automatic)" for the system."""
    kind, _sep, name = str(stored).partition(":")
    return actor_words(kind, name, language=get_language()) if name else str(stored)


@register.filter
def day(value: dt.date | None) -> str:
    """A day as the page's language writes it (Babel): '4 Dec 2026', '4 Δεκ 2026'."""
    return formats.date(value, language=get_language()) if value is not None else ""


@register.filter
def moment(value: dt.datetime | None) -> str:
    """A moment in the shop's time zone as the page's language writes it, on a 24-hour clock (Babel)."""
    if value is None:
        return ""
    return formats.datetime(value, language=get_language(), time_zone=str(shop.time_zone()))


@register.filter
def number(value: int | Decimal | None) -> str:
    """A number as the page's language writes it (Babel): '1,250' in English, '1.250' in Greek."""
    return formats.number(value, language=get_language()) if value is not None else ""


@register.filter
def kilograms(grams: int | None) -> str:
    """A weight in grams shown in kilograms: '1.25 kg', '1,25 kg'."""
    if grams is None:
        return ""
    weight = formats.number(Decimal(grams) / 1000, language=get_language())
    return _("%(weight)s kg") % {"weight": weight}


@register.filter
def carrier_name(code: str) -> str:
    """A carrier as it writes its name ("BOX NOW"); the code itself when Emporos does not know it."""
    return carriers.carrier(code).name if code in carriers.known() else code


@register.filter
def language_name(code: str) -> str:
    """A language code as its name: "Greek · Ελληνικά" to an English reader, "עברית" to a Hebrew one."""
    return language_label(code) if code else ""
