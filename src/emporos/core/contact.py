"""E-mail addresses and phone numbers, checked and put in one canonical form."""

from __future__ import annotations

import phonenumbers
from email_validator import EmailNotValidError, validate_email


class InvalidContact(ValueError):
    """The value is not a usable e-mail address or phone number; the message says why."""


def normalize_email(value: str) -> str:
    """The address in lower case, syntax checked (no DNS look-up): ' Maria@Example.GR' -> 'maria@example.gr'."""
    try:
        result = validate_email(value.strip(), check_deliverability=False)
    except EmailNotValidError as exc:
        raise InvalidContact(f"'{value}' is not a valid e-mail address ({exc}).") from None
    return result.normalized.lower()


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
