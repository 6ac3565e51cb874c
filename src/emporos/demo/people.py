"""The demo shop's customers: names in their own script, phones, e-mails and addresses."""

from __future__ import annotations

import dataclasses
import random
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TypeVar

import phonenumbers

from emporos.customers.models import Customer
from emporos.demo.tables import (
    CITIES,
    CUSTOMERS_PER_COUNTRY,
    EMAIL_DOMAINS,
    GREEK_MEN,
    GREEK_SURNAMES,
    GREEK_WOMEN,
    HEBREW_MEN,
    HEBREW_SURNAMES,
    HEBREW_WOMEN,
    LANGUAGE_WEIGHTS,
    MOBILE,
    POLISH_MEN,
    POLISH_SURNAMES,
    POLISH_WOMEN,
    SHOP_CITIES,
    STREETS,
)
from emporos.orders.models import Order
from emporos.orders.services.intake import AddressDraft

T = TypeVar("T")


@dataclass(frozen=True)
class Person:
    name: str
    first_name: str
    email: str
    phone: str
    language: str
    country: str
    address: AddressDraft

    @property
    def near_shop(self) -> bool:
        return self.address.city in SHOP_CITIES


def make_people(rng: random.Random) -> list[Person]:
    taken: set[str] = set()
    people = [
        make_person(rng, country, is_taken=taken.__contains__, taken=taken)
        for country, count in CUSTOMERS_PER_COUNTRY.items()
        for _ in range(count)
    ]
    rng.shuffle(people)
    return people


def make_person(
    rng: random.Random, country: str, *, is_taken: Callable[[str], bool], taken: set[str] | None = None
) -> Person:
    first, last, first_latin, last_latin = person_name(rng, country)
    email = email_for(rng, first_latin, last_latin, is_taken)
    if taken is not None:
        taken.add(email)
    phone = mobile_for(rng, country)
    language = pick(rng, LANGUAGE_WEIGHTS[country])
    name = f"{first} {last}"
    address = address_for(rng, country, name=name, phone=phone, latin=language == "en")
    return Person(name, first, email, phone, language, country, address)


def person_name(rng: random.Random, country: str) -> tuple[str, str, str, str]:
    """First name and surname in the country's script, and both in plain Latin letters."""
    is_woman = rng.random() < 0.55
    if country == "GR":
        first, first_latin = rng.choice(GREEK_WOMEN if is_woman else GREEK_MEN)
        male, female, male_latin, female_latin = rng.choice(GREEK_SURNAMES)
        return first, female if is_woman else male, first_latin, female_latin if is_woman else male_latin
    if country == "PL":
        first = rng.choice(POLISH_WOMEN if is_woman else POLISH_MEN)
        last = rng.choice(POLISH_SURNAMES)
        if is_woman and last.endswith(("ski", "cki")):
            last = last[:-1] + "a"
        return first, last, ascii(first), ascii(last)
    first, first_latin = rng.choice(HEBREW_WOMEN if is_woman else HEBREW_MEN)
    last, last_latin = rng.choice(HEBREW_SURNAMES)
    return first, last, first_latin, last_latin


def ascii(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.replace("ł", "l").replace("Ł", "L"))
    return "".join(char for char in decomposed if not unicodedata.combining(char)).lower().replace(" ", "")


def email_for(rng: random.Random, first: str, last: str, is_taken: Callable[[str], bool]) -> str:
    local = rng.choice(
        (
            f"{first}.{last}",
            f"{first}{last}",
            f"{first[0]}{last}",
            f"{first}.{last}{rng.randint(62, 99)}",
            f"{last}.{first}",
            f"{first}_{last}{rng.randint(1, 99)}",
        )
    )
    domain = rng.choice(EMAIL_DOMAINS)
    email = f"{local}@{domain}"
    while is_taken(email):
        email = f"{local}{rng.randint(2, 999)}@{domain}"
    return email


def mobile_for(rng: random.Random, country: str) -> str:
    """A valid mobile number in international format, e.g. '+30 694 123 4567'."""
    code, prefixes, digits = MOBILE[country]
    while True:
        number = phonenumbers.parse(f"{code}{rng.choice(prefixes)}{rng.randrange(10**digits):0{digits}d}")
        if phonenumbers.is_valid_number(number):
            return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)


def address_for(rng: random.Random, country: str, *, name: str, phone: str, latin: bool) -> AddressDraft:
    city = pick(rng, [(city, city.weight) for city in CITIES[country]])
    street_local, street_latin = rng.choice(STREETS[country])
    street, number, line2 = street_latin if latin else street_local, rng.randint(1, 180), ""
    prefix = rng.choice(city.postal_prefixes)
    if country == "GR":
        line1, postal_code = f"{street} {number}", f"{prefix} {rng.randint(10, 99)}"
        if rng.random() < 0.3:
            floor = rng.randint(1, 6)
            line2 = f"Floor {floor}" if latin else f"{floor}ος όροφος"
    elif country == "PL":
        flat = f"/{rng.randint(1, 60)}" if rng.random() < 0.6 else ""
        line1, postal_code = f"ul. {street} {number}{flat}", f"{prefix}-{rng.randrange(1000):03d}"
    else:
        line1 = f"{number} {street}" if latin else f"{street} {number}"
        postal_code = f"{prefix}{rng.randrange(10**5):05d}"
        if rng.random() < 0.5:
            flat_number = rng.randint(1, 40)
            line2 = f"Apt {flat_number}" if latin else f"דירה {flat_number}"
    city_name = city.latin if latin else city.local
    return AddressDraft(
        name=name, line1=line1, line2=line2, city=city_name, postal_code=postal_code, country=country, phone=phone
    )


ADDRESS_FIELDS = frozenset(f.name for f in dataclasses.fields(AddressDraft))


def returning_person(rng: random.Random) -> Person | None:
    """Most live orders come from customers the shop knows, shipped where they shipped before."""
    ids = list(Customer.objects.order_by("id").values_list("id", flat=True))
    if not ids or rng.random() < 0.3:
        return None
    customer = Customer.objects.get(pk=rng.choice(ids))
    shipped_to = (
        Order.objects.filter(customer=customer, shipping_address__isnull=False)
        .order_by("-placed_at")
        .values_list("shipping_address", flat=True)
        .first()
    )
    if not isinstance(shipped_to, dict) or shipped_to.get("country") not in CITIES:
        return None
    address = AddressDraft(**{key: value for key, value in shipped_to.items() if key in ADDRESS_FIELDS})
    first_name = customer.name.split()[0]
    return Person(
        customer.name, first_name, customer.email, customer.phone, customer.language, address.country, address
    )


def email_taken(email: str) -> bool:
    return Customer.objects.filter(email=email).exists()


# --- baskets -------------------------------------------------------------------------------------


def pick(rng: random.Random, weighted: Sequence[tuple[T, float]]) -> T:
    return rng.choices([value for value, _ in weighted], [weight for _, weight in weighted])[0]
