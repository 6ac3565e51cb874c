"""Times on a 24-hour clock in every language, in the shop's time zone (Babel's Greek short time is 12-hour)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from emporos.core import formats

# 15:05 in Athens (UTC+2 in December).
MOMENT = dt.datetime(2026, 12, 4, 13, 5, tzinfo=dt.UTC)
ATHENS = "Europe/Athens"


@pytest.mark.parametrize("language", ["en", "el", "pl", "he"])
def test_time_is_on_a_24_hour_clock(language: str) -> None:
    assert formats.time(MOMENT, language=language, time_zone=ATHENS) == "15:05"


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", "4 Dec 2026 15:05"),
        ("el", "4 Δεκ 2026 15:05"),
        ("pl", "4 gru 2026 15:05"),
        ("he", "4 בדצמ׳ 2026 15:05"),
    ],
    ids=["en", "el", "pl", "he"],
)
def test_a_moment_reads_with_the_day_and_a_24_hour_time(language: str, expected: str) -> None:
    assert formats.datetime(MOMENT, language=language, time_zone=ATHENS) == expected


@pytest.mark.parametrize(
    ("language", "expected"),
    [("en", "04/12/2026 15:05"), ("el", "4/12/26 15:05"), ("pl", "4.12.2026 15:05"), ("he", "4.12.2026 15:05")],
    ids=["en", "el", "pl", "he"],
)
def test_a_short_moment_for_tables_is_24_hour_too(language: str, expected: str) -> None:
    assert formats.short_datetime(MOMENT, language=language, time_zone=ATHENS) == expected


def test_no_afternoon_marker_in_greek() -> None:
    """Babel's Greek 'short' time would say '3:05 μ.μ.'."""
    text = formats.datetime(MOMENT, language="el", time_zone=ATHENS) + formats.time(
        MOMENT, language="el", time_zone=ATHENS
    )
    assert "μ.μ." not in text
    assert "3:05" not in text.replace("15:05", "")


@pytest.mark.parametrize(
    ("language", "currency", "expected"),
    [
        ("en", "EUR", "€1,234.50"),
        ("el", "EUR", "1.234,50\xa0€"),
        ("pl", "PLN", "1\xa0234,50\xa0zł"),
        ("he", "ILS", "\u200f1,234.50\xa0\u200f₪"),
        ("en", "PLN", "PLN\xa01,234.50"),  # letters kept a space apart from the digits
    ],
    ids=["en", "el", "pl", "he", "en-letters"],
)
def test_money_is_written_the_way_each_language_writes_it(language: str, currency: str, expected: str) -> None:
    assert formats.money(Decimal("1234.5"), currency, language=language) == expected


def test_a_number_with_fixed_decimals() -> None:
    assert formats.number(Decimal("43.3"), language="el", decimals=2) == "43,30"
    assert formats.number(Decimal("1250"), language="en", decimals=0) == "1,250"
