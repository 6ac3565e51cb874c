"""Filters for staff pages: ages, money, moments, a state's badge, and text isolated for right to left."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django import template
from django.utils.html import format_html
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _

from emporos.core import clock, formats
from emporos.desk.labels import label
from emporos.desk.language_names import language_label
from emporos.fulfillment import carriers
from emporos.shop import selectors as shop
from emporos.timeline.rendering import actor_words

register = template.Library()


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
    """An amount as the page's language writes it (Babel), as the timeline and the customer's
    messages do: '€43.30' in English, '43,30 €' in Greek, '43,30 zł' in Polish, '‏43.30 ‏₪' in Hebrew."""
    if amount is None:
        return ""
    if not currency:
        return formats.number(amount, language=get_language(), decimals=2)
    return formats.money(amount, currency, language=get_language())


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
def short_moment(value: dt.datetime | None) -> str:
    """A moment for a table cell, in the shop's time zone, on a 24-hour clock (Babel): '04/12/2026 15:05'."""
    if value is None:
        return ""
    return formats.short_datetime(value, language=get_language(), time_zone=str(shop.time_zone()))


@register.filter
def clock_time(value: dt.datetime | None) -> str:
    """The time of a moment in the shop's time zone, on a 24-hour clock: '15:05'."""
    if value is None:
        return ""
    return formats.time(value, language=get_language(), time_zone=str(shop.time_zone()))


@register.filter
def ltr(value: object) -> str:
    """Text that always reads left to right, isolated from the words around it (SKUs, order and
    tracking numbers, phones, e-mails, codes, signed numbers): '<bdi dir="ltr" class="ltr">+5</bdi>'.
    In a Hebrew page "+5" stays "+5" and "EM-10042." keeps its full stop outside the number."""
    if value is None or value == "":
        return ""
    return format_html('<bdi dir="ltr" class="ltr">{}</bdi>', value)


@register.filter
def isolate(value: object) -> str:
    """Text someone typed (a name, an address line, a note, a product title), isolated so that its
    own direction decides its order and it does not reorder the words around it: '<bdi>…</bdi>'."""
    if value is None or value == "":
        return ""
    return format_html("<bdi>{}</bdi>", value)


@register.filter
def signed(value: int | Decimal | None) -> str:
    """A change of a quantity with its sign, always left to right: '+5', '−3', '0'."""
    if value is None:
        return ""
    sign = "+" if value > 0 else ""
    return format_html('<bdi dir="ltr" class="ltr">{}{}</bdi>', sign, formats.number(value, language=get_language()))


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
