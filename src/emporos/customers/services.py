"""Writes of customers."""

from __future__ import annotations

from dataclasses import dataclass

from emporos.core import clock
from emporos.core.text import search_form
from emporos.customers.models import Customer


@dataclass(frozen=True)
class CustomerDetails:
    """Already normalised contact details (see emporos.core.contact)."""

    email: str
    name: str
    phone: str
    language: str


def upsert_customer(*, details: CustomerDetails) -> Customer:
    """The customer with this e-mail, created or brought up to date, in one statement.

    The latest order's name, phone and language win: they are what the customer just gave.
    """
    now = clock.now()
    customer = Customer(
        email=details.email,
        name=details.name,
        phone=details.phone,
        language=details.language,
        search_name=search_form(details.name),
        created_at=now,
        updated_at=now,
    )
    (saved,) = Customer.objects.bulk_create(
        [customer],
        update_conflicts=True,
        unique_fields=["email"],
        update_fields=["name", "phone", "language", "search_name", "updated_at"],
    )
    return saved
