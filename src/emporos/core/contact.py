"""E-mail addresses and phone numbers, checked and put in one canonical form."""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable

import phonenumbers
from email_validator import EmailNotValidError, validate_email


class InvalidContact(ValueError):
    """The value is not a usable e-mail address or phone number; the message says why."""


# Both are pure functions of their arguments and cost a fraction of a millisecond each (the
# standard's rules, the numbering plans): an order names the same phone for the customer and
# the address, and customers come back. A refused value raises and is not remembered.


@functools.lru_cache(maxsize=4096)
def normalize_email(value: str) -> str:
    """The address in lower case, syntax checked (no DNS look-up): ' Maria@Example.GR' -> 'maria@example.gr'."""
    try:
        result = validate_email(value.strip(), check_deliverability=False)
    except EmailNotValidError as exc:
        raise InvalidContact(f"'{value}' is not a valid e-mail address ({exc}).") from None
    return result.normalized.lower()


@functools.lru_cache(maxsize=4096)
def normalize_phone(value: str, *, region: str | None = None) -> str:
    """The number in E.164 ('+306912345678'); a national number needs `region` (ISO country)."""
    try:
        number = phonenumbers.parse(value, region)
    except phonenumbers.NumberParseException:
        raise InvalidContact(
            f"'{value}' is not a phone number; write it with the country code, e.g. +306912345678."
        ) from None
    if not phonenumbers.is_valid_number(number):
        raise InvalidContact(f"'{value}' is not a valid phone number for its country.")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def phone_candidates(value: str, *, regions: Iterable[str]) -> list[str]:
    """Every E.164 number `value` may be, as staff type it when searching: with its country code
    ('+30 690 432 5051', '0030…', '306904325051') or as a national number of one of `regions`
    ('690 432 5051' in GR, '050-123-4567' in IL). Each once, in that order: the valid numbers, or
    when there is none the numbers of a possible length for their country (a range not assigned
    yet when the phone metadata was made); empty when it is no phone number anywhere."""
    digits = re.sub(r"\D", "", value)
    if not digits:
        return []
    typed = value.strip()
    if typed.startswith("00"):
        attempts: list[tuple[str, str | None]] = [("+" + digits[2:], None)]
    elif typed.startswith("+"):
        attempts = [("+" + digits, None)]
    else:
        attempts = [(typed, region) for region in regions] + [("+" + digits, None)]
    valid: dict[str, None] = {}
    possible: dict[str, None] = {}
    for text, region in attempts:
        try:
            number = phonenumbers.parse(text, region)
        except phonenumbers.NumberParseException:
            continue
        e164 = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
        if phonenumbers.is_valid_number(number):
            valid[e164] = None
        elif phonenumbers.is_possible_number(number):
            possible[e164] = None
    return list(valid or possible)
