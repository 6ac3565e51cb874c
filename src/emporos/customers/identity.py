"""One person across e-mail addresses and phone numbers: finding the customer behind a contact,
and remembering another address or number of theirs."""

from __future__ import annotations

from django.db import IntegrityError, transaction

from emporos.core import clock
from emporos.core.text import search_form
from emporos.customers.models import ContactKind, ContactPoint, Customer


def find_by_email(email: str) -> Customer | None:
    """The customer whose address (first or another) this is; `email` already lower-cased."""
    if not email:
        return None
    found = Customer.objects.filter(email=email).first()
    if found is not None:
        return found
    point = ContactPoint.objects.select_related("customer").filter(kind=ContactKind.EMAIL, value=email).first()
    return point.customer if point is not None else None


def find_by_phone(phone: str) -> Customer | None:
    """The customer with this E.164 number (on the customer, or another number of theirs); the
    most recent when several customers gave it at checkout."""
    if not phone:
        return None
    point = ContactPoint.objects.select_related("customer").filter(kind=ContactKind.PHONE, value=phone).first()
    if point is not None:
        return point.customer
    return Customer.objects.filter(phone=phone).order_by("-updated_at").first()


def customer_for_email(email: str, *, name: str, language: str) -> Customer:
    """The customer behind `email`, created (with `name` and `language`) when nobody has it yet."""
    found = find_by_email(email)
    if found is not None:
        return found
    now = clock.now()
    name = (name or email.partition("@")[0])[:200]
    customer, _ = Customer.objects.get_or_create(
        email=email,
        defaults={
            "name": name,
            "language": language,
            "search_name": search_form(name)[:200],
            "created_at": now,
            "updated_at": now,
        },
    )
    return customer


def remember_contact(*, customer: Customer, kind: ContactKind, value: str) -> bool:
    """Record `value` as another address or number of `customer`; False when it is already
    theirs or belongs to someone else (merge the two customers for that)."""
    if not value or (kind == ContactKind.EMAIL and customer.email == value):
        return False
    if kind == ContactKind.PHONE and customer.phone == value:
        return False
    try:
        with transaction.atomic():
            ContactPoint.objects.create(customer=customer, kind=kind, value=value, created_at=clock.now())
    except IntegrityError:
        return False
    return True


def contact_points(customer: Customer) -> list[ContactPoint]:
    return list(ContactPoint.objects.filter(customer=customer).order_by("kind", "value"))
