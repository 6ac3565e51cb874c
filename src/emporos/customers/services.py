"""Writes of customers."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from emporos.core import clock
from emporos.core.errors import ErrorCollector
from emporos.core.text import check_text, search_form
from emporos.customers.models import Customer

# The columns: name and its search form (which can be longer: 'ß' -> 'ss'), e-mail, phone.
NAME_MAX_LENGTH = 200
EMAIL_MAX_LENGTH = 254
PHONE_MAX_LENGTH = 20


@dataclass(frozen=True)
class CustomerDetails:
    """Already normalised contact details (see emporos.core.contact)."""

    email: str
    name: str
    phone: str
    language: str


def check_details(errors: ErrorCollector, details: CustomerDetails, *, prefix: str = "") -> None:
    """Add an error for each detail that cannot be stored as it is, its normalised forms included."""
    check_text(errors, f"{prefix}name", details.name, max_length=NAME_MAX_LENGTH, required=True)
    if not any(error.field == f"{prefix}name" for error in errors.errors):
        searchable = search_form(details.name)
        if len(searchable) > NAME_MAX_LENGTH:
            errors.add(
                f"{prefix}name",
                "too_long",
                f"This name has {len(searchable)} characters once letters like ß are spelled out (ss); "
                f"at most {NAME_MAX_LENGTH} fit. Shorten it.",
            )
    if len(details.email) > EMAIL_MAX_LENGTH:
        errors.add(f"{prefix}email", "too_long", f"An e-mail address has at most {EMAIL_MAX_LENGTH} characters.")
    if len(details.phone) > PHONE_MAX_LENGTH:
        errors.add(f"{prefix}phone", "too_long", f"A phone number has at most {PHONE_MAX_LENGTH} characters.")


# What a later order brings up to date: the latest order's details win.
UPDATED_ON_UPSERT = ("name", "phone", "language", "search_name", "updated_at")


def customer_row(*, details: CustomerDetails, at: dt.datetime) -> dict[str, Any]:
    """The Customer field values `upsert_customer` writes (its public id from the model's default),
    for a writer that upserts the customer in a statement of its own; `details` checked already."""
    return {
        "email": details.email,
        "name": details.name,
        "phone": details.phone,
        "language": details.language,
        "search_name": search_form(details.name),
        "created_at": at,
        "updated_at": at,
    }


def upsert_customer(*, details: CustomerDetails) -> Customer:
    """The customer with this e-mail, created or brought up to date, in one statement.

    The latest order's name, phone and language win: they are what the customer just gave.
    Raises ValidationFailed when a detail does not fit (see check_details); callers check first.
    """
    errors = ErrorCollector()
    check_details(errors, details)
    errors.raise_if_any()
    (saved,) = Customer.objects.bulk_create(
        [Customer(**customer_row(details=details, at=clock.now()))],
        update_conflicts=True,
        unique_fields=["email"],
        update_fields=list(UPDATED_ON_UPSERT),
    )
    return saved
