"""Numbers, money, dates and times written the way the reader's language writes them (Babel).

Babel's output contains no-break spaces and, in Hebrew, direction marks; compare with care.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from zoneinfo import ZoneInfo

from babel import dates as babel_dates
from babel import numbers as babel_numbers

# Emporos's languages and the locale whose conventions they follow (English as written in Europe:
# day before month, 24-hour clock, the euro sign before the amount).
_LOCALES = {"en": "en_IE", "el": "el_GR", "pl": "pl_PL", "he": "he_IL"}


def locale_for(language: str) -> str:
    return _LOCALES.get(language.split("-")[0].lower(), "en_IE")


# A currency written with letters (PLN, ILS) is kept a space apart from the digits, as CLDR's
# currency spacing asks and Babel does not do: 'PLN 43.30', not 'PLN43.30'.
_LETTERS_AGAINST_DIGITS = re.compile(r"(?<=[A-Za-z])(?=\d)|(?<=\d)(?=[A-Za-z])")


def money(amount: Decimal | str, currency: str, *, language: str) -> str:
    """'43,30 €' in Greek, '43,30 €' in Polish, '€43.30' in English, '‏43.30 ₪' in Hebrew."""
    text = babel_numbers.format_currency(Decimal(amount), currency, locale=locale_for(language))
    return _LETTERS_AGAINST_DIGITS.sub("\u00a0", text)


def number(value: int | Decimal, *, language: str, decimals: int | None = None) -> str:
    """'1,250' in English, '1.250' in Greek; with `decimals`, exactly that many: '43.30'."""
    if decimals is None:
        return babel_numbers.format_decimal(value, locale=locale_for(language))
    pattern = "#,##0" + ("." + "0" * decimals if decimals else "")
    return babel_numbers.format_decimal(value, format=pattern, locale=locale_for(language))


def percent(value: Decimal, *, language: str) -> str:
    """10 -> '10%' in English, '10%' in Greek, '10%' in Polish, '10%' in Hebrew (locale spacing)."""
    return babel_numbers.format_percent(value / 100, locale=locale_for(language))


def date(value: dt.date, *, language: str) -> str:
    """'2 Dec 2026', '2 Δεκ 2026', '2 gru 2026'."""
    return babel_dates.format_date(value, format="medium", locale=locale_for(language))


# Every language Emporos speaks writes the time on a 24-hour clock; Babel's Greek short time is
# "h:mm a" (12-hour), so the pattern is given here instead of taken from the locale.
TIME_PATTERN = "HH:mm"


def _local(value: dt.datetime, time_zone: str) -> dt.datetime:
    return value.astimezone(ZoneInfo(time_zone))


def time(value: dt.datetime, *, language: str, time_zone: str) -> str:
    """'15:05' in every language (24-hour clock), in the shop's time zone."""
    return babel_dates.format_datetime(_local(value, time_zone), TIME_PATTERN, locale=locale_for(language))


def datetime(value: dt.datetime, *, language: str, time_zone: str) -> str:
    """A moment in the shop's time zone, 24-hour clock in every language Emporos speaks:
    '4 Dec 2026 15:05', '4 Δεκ 2026 15:05', '4 gru 2026 15:05', '4 בדצמ׳ 2026 15:05'."""
    pattern = babel_dates.get_date_format("medium", locale=locale_for(language)).pattern + " " + TIME_PATTERN
    return babel_dates.format_datetime(_local(value, time_zone), pattern, locale=locale_for(language))


def short_datetime(value: dt.datetime, *, language: str, time_zone: str) -> str:
    """A moment for a table cell, 24-hour clock: '04/12/2026 15:05', '4/12/26 15:05', '4.12.2026 15:05'."""
    pattern = babel_dates.get_date_format("short", locale=locale_for(language)).pattern + " " + TIME_PATTERN
    return babel_dates.format_datetime(_local(value, time_zone), pattern, locale=locale_for(language))


def weekday(value: dt.datetime, *, language: str, time_zone: str) -> str:
    """The day of the week in the shop's time zone: 'Tuesday', 'Τρίτη', 'wtorek', 'יום שלישי'."""
    return babel_dates.format_datetime(_local(value, time_zone), "EEEE", locale=locale_for(language))
