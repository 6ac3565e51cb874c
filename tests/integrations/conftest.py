"""A fake transport that replays recorded carrier answers and checks every request exactly.

Each test lists the exchanges it expects, in order: the method and full URL, the headers that
must be there (with their values) or must not, and the JSON body (or the form fields, in order).
A request nobody expected, or one left unmade, fails the test, so an adapter cannot call out more
(or less) than it should.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl

from emporos.fulfillment.carriers import LabelRequest, Parcel, PostalAddress
from emporos.integrations.http import HttpRequest, HttpResponse

FIXTURES = Path(__file__).parent / "fixtures"


def fixture_bytes(carrier: str, name: str) -> bytes:
    return (FIXTURES / carrier / name).read_bytes()


def fixture_json(carrier: str, name: str) -> Any:
    return json.loads(fixture_bytes(carrier, name))


def answer(status: int, carrier: str = "", name: str = "", *, content_type: str = "application/json") -> HttpResponse:
    """A recorded answer: a fixture file's bytes (or an empty body) with its content type."""
    body = fixture_bytes(carrier, name) if name else b""
    return HttpResponse(status, {"content-type": content_type}, body)


@dataclass(frozen=True)
class Exchange:
    method: str
    url: str
    reply: HttpResponse | Exception
    headers: Mapping[str, str] = field(default_factory=dict)
    absent_headers: tuple[str, ...] = ()
    json: Any = None  # the exact JSON body expected; None: no body at all
    form: tuple[tuple[str, str], ...] | None = None  # the exact form fields expected, in order


class FakeTransport:
    def __init__(self, *exchanges: Exchange) -> None:
        self.pending = list(exchanges)
        self.requests: list[HttpRequest] = []

    def __call__(self, request: HttpRequest) -> HttpResponse:
        self.requests.append(request)
        assert self.pending, f"unexpected request: {request.method} {request.url}"
        expected = self.pending.pop(0)
        assert (request.method, request.url) == (expected.method, expected.url)
        for name, value in expected.headers.items():
            assert request.headers.get(name) == value, f"{name}: {request.headers.get(name)!r} != {value!r}"
        for name in expected.absent_headers:
            assert name not in request.headers, f"{name} should not be sent"
        if expected.form is not None:
            assert request.body is not None
            assert parse_qsl(request.body.decode("ascii"), strict_parsing=True) == list(expected.form)
        elif expected.json is None:
            assert request.body is None
        else:
            assert request.body is not None
            assert json.loads(request.body) == expected.json
        if isinstance(expected.reply, Exception):
            raise expected.reply
        return expected.reply

    def assert_all_made(self) -> None:
        assert self.pending == [], f"requests never made: {[(e.method, e.url) for e in self.pending]}"


class Clock:
    """A clock the test moves by hand (aware UTC)."""

    def __init__(self, start: dt.datetime) -> None:
        self.moment = start

    def __call__(self) -> dt.datetime:
        return self.moment

    def advance(self, **delta: float) -> None:
        self.moment += dt.timedelta(**delta)


GREEK_SHOP = PostalAddress(
    name="Γιώργος Παπαδόπουλος",
    company="Βότανα του Ολύμπου",
    line1="Αθηνάς 12",
    postal_code="10551",
    city="Αθήνα",
    country="GR",
    phone="+302101234567",
    email="orders@votana.example.gr",
)
GREEK_CUSTOMER = PostalAddress(
    name="Μαρία Παπαδοπούλου",
    line1="Ερμού 10",
    postal_code="10563",
    city="Αθήνα",
    country="GR",
    phone="+306912345678",
    email="maria@example.gr",
)
POLISH_SHOP = PostalAddress(
    name="Piotr Nowak",
    company="Herbaciarnia Sowa",
    line1="ul. Mickiewicza 12",
    postal_code="31-120",
    city="Kraków",
    country="PL",
    phone="+48 12 345 67 89",
    email="sklep@sowa.example.pl",
)
POLISH_CUSTOMER = PostalAddress(
    name="Anna Kowalska",
    line1="ul. Długa 5",
    line2="m. 3",
    postal_code="00-238",
    city="Warszawa",
    country="PL",
    phone="+48500100200",
    email="anna.kowalska@example.pl",
)
SHIPMENT_KEY = "3f6c2b1e-8d4a-4c1e-9b7a-2d5e6f7a8b9c"


def label_request(**overrides: Any) -> LabelRequest:
    """One 1.25 kg parcel (30 x 20 x 10 cm) of mountain tea from Athens to a locker in Athens."""
    fields: dict[str, Any] = {
        "reference": "EM-10042/1",
        "idempotency_key": SHIPMENT_KEY,
        "service": "locker",
        "sender": GREEK_SHOP,
        "recipient": GREEK_CUSTOMER,
        "parcel": Parcel(weight_grams=1250, length_mm=300, width_mm=200, height_mm=100),
        "pickup_point": "2086",
        "currency": "EUR",
        "declared_value": Decimal("43.30"),
        "description": "Τσάι του βουνού 100 g x 2",
    }
    fields.update(overrides)
    return LabelRequest(**fields)
