"""No desk page shows an English string of the catalog in Polish or Hebrew.

Every page of the desk reachable by GET is rendered for an owner, with orders, a wave, a parcel,
messages, packaging and a webhook endpoint in the database, in pl and in he. A catalog msgid whose
translation differs from it (or is missing) must not appear in the page's visible text. Strings
translated as themselves ("SKU", "PDF") are allowed; user content is left out: the text inside
`<bdi>`, `dir="auto"`/`dir="ltr"` elements and codes (`.mono`), which is where the desk puts every
name, address, note and number someone typed, and the proper names of carriers and methods.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import polib
import pytest
from django.conf import settings
from django.test import Client
from django.urls import URLPattern, reverse

import emporos.locale
from emporos.access.services import invite_staff
from emporos.core.actor import Actor
from emporos.desk import urls as desk_urls
from emporos.fulfillment.models import Packaging, Shipment, Wave
from emporos.help import services as help_services
from emporos.notifications.models import Message
from emporos.shipping.models import Method
from emporos.shop import selectors as shop
from tests.conftest import place
from tests.desk.test_webhook_pages import hook
from tests.fulfillment.conftest import confirm, drain, order_of

pytestmark = pytest.mark.django_db

LOCALE = Path(emporos.locale.__file__).resolve().parent
LANGUAGES = ["pl", "he"]

# Pages that are not HTML pages of their own (files, or actions that answer a POST) are skipped by
# their answer; these must each have been rendered, so the test cannot pass by rendering nothing.
PAGES = {
    "home",
    "queue",
    "orders",
    "order",
    "order_ship",
    "customer",
    "inventory",
    "sku",
    "fulfillment",
    "wave",
    "packing",
    "pack",
    "shipments",
    "shipment",
    "delay_cases",
    "on_time",
    "settings",
    "messages_settings",
    "message_template",
    "message_log",
    "message",
    "fulfillment_settings",
    "packaging",
    "webhooks",
    "webhook",
    "staff",
    "staff_member",
    "help_centre",
    "help_article_new",
    "help_article",
}

# Elements whose text is someone's content, not the desk's words.
USER_CONTENT_TAGS = {"bdi", "pre", "q", "blockquote", "address", "textarea", "code", "script", "style"}
# Attributes a person reads (text nodes aside).
READ_ATTRIBUTES = {"placeholder", "aria-label", "title", "alt"}
# Proper names that are English words: carriers' and the test shop's.
PROPER_NAMES = ["Demo Express", "BOX NOW", "InPost"]

PLACEHOLDER = re.compile(r"%\(\w+\)[-#0 +]*\d*(?:\.\d+)?[diouxXeEfFgGcrsa]|%[sd]")
TAG = re.compile(r"<[^>]+>")


class VisibleText(HTMLParser):
    """The text a person reads on the page, text node by text node, without user content."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._stack: list[bool] = []  # per open element: does it hold user content?

    def _skipping(self) -> bool:
        return any(self._stack)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        is_user = (
            tag in USER_CONTENT_TAGS
            or values.get("dir") in {"auto", "ltr"}
            or "mono" in values.get("class", "").split()
            or "ltr" in values.get("class", "").split()
        )
        if not self._skipping() and not is_user:
            self.parts.extend(values[name] for name in READ_ATTRIBUTES if values.get(name))
        if tag not in {"br", "input", "img", "meta", "link", "hr", "wbr", "source", "col", "area", "base"}:
            self._stack.append(is_user)

    def handle_endtag(self, tag: str) -> None:
        if self._stack:
            self._stack.pop()

    def handle_data(self, data: str) -> None:
        if not self._skipping() and data.strip():
            self.parts.append(" ".join(data.split()))


def visible_text(markup: str) -> str:
    parser = VisibleText()
    parser.feed(markup)
    names = [*PROPER_NAMES, shop.current().name]
    parts = []
    for part in parser.parts:
        for name in names:
            part = part.replace(name, "").strip()
        if part:
            parts.append(part)
    return "\n".join(parts)


@dataclass(frozen=True)
class Untranslated:
    msgid: str
    pattern: re.Pattern[str]


def _pattern(msgid: str) -> re.Pattern[str] | None:
    """The msgid as it reads on a page: markup dropped, placeholders matching a short value.
    None for a msgid with no word of three letters or more (nothing to tell English by)."""
    literal = " ".join(TAG.sub(" ", msgid).split())
    words = PLACEHOLDER.sub(" ", literal)
    if not re.search(r"[A-Za-z]{3}", words):
        return None
    if " " not in literal:  # one word: only as a text of its own, not inside a translated sentence
        return re.compile(rf"^{re.escape(literal)}$", re.M)
    pieces = [re.escape(piece).replace(r"\ ", r"\s+") for piece in PLACEHOLDER.split(literal)]
    body = r"[^\n]{1,80}?".join(pieces)
    return re.compile(rf"(?<![\w.-]){body}(?![\w-]|\.\w)")


def untranslated(language: str) -> list[Untranslated]:
    """Each English msgid of the catalog that the language writes otherwise (or not at all yet)."""
    catalog = polib.pofile(str(LOCALE / language / "LC_MESSAGES" / "django.po"))
    as_itself: set[str] = set()
    english: set[str] = set()
    for entry in catalog:
        if not entry.msgid or entry.obsolete:
            continue
        forms = [entry.msgid, entry.msgid_plural] if entry.msgid_plural else [entry.msgid]
        written = list(entry.msgstr_plural.values()) if entry.msgid_plural else [entry.msgstr]
        for form in forms:
            if entry.translated() and not entry.fuzzy and form in written:
                as_itself.add(form)
            else:
                english.add(form)
    found = []
    for msgid in sorted(english - as_itself):
        pattern = _pattern(msgid)
        if pattern is not None:
            found.append(Untranslated(msgid, pattern))
    return found


@pytest.fixture
def shop_with_everything(api: Client, catalog: None, greece: None, owner: Client) -> dict[str, Any]:
    """Orders (one shipped, one cancelled, one waiting for stock), a wave, a parcel, messages,
    packaging and a webhook endpoint: something on every page of the desk."""
    Method.objects.update(carrier="demo")
    Packaging.objects.create(
        code="BOX-S", name="Small box", length_mm=200, width_mm=150, height_mm=100, weight_grams=150, position=1
    )
    endpoint = hook()
    shipped = place(api)
    confirm(shipped)
    waiting = place(api, lines=[{"sku": "MUG-1", "quantity": 3, "unit_price": "12.00"}], total="39.50")
    confirm(waiting)
    cancelled = place(api, customer_note="Please ring the bell twice.")
    owner.post(f"/orders/{cancelled}/cancel/", {"reason": "Customer called to cancel."})
    drain()
    owner.post("/fulfillment/waves/")
    order = order_of(shipped)
    line = order.lines.get()
    owner.post(
        f"/orders/{shipped}/fulfillment/ship/",
        {f"line-{line.pk}": "2", "carrier": "demo", "packaging": "", "key": str(uuid.uuid4())},
    )
    drain()
    invited = invite_staff(
        username="eleni",
        email="eleni@example.com",
        first_name="Eleni",
        last_name="Pappa",
        role="warehouse",
        language="el",
        origin="http://testserver",
        actor=Actor.system("test"),
    )
    article = help_services.save_article(
        language="pl",
        category=help_services.save_category(
            slug="delivery", names={"en": "Delivery", "el": "Αποστολή", "pl": "Dostawa", "he": "משלוח"}
        ),
        title="Jak długo trwa dostawa?",
        body="Dwa dni robocze.",
        actor=Actor.system("test"),
    )
    owner.get("/")  # the notices of the actions above, shown once, in English
    message = Message.objects.order_by("pk").first()
    shipment = Shipment.objects.first()
    wave = Wave.objects.first()
    customer = order.customer
    return {
        "number": shipped,
        "sku": "TEA-100",
        "code": "BOX-S",
        "message_uuid": message.uuid if message else None,
        "kind": message.kind if message else None,
        "channel": message.channel if message else None,
        "language": "pl",
        "user_id": invited.pk,
        "article_id": article.pk,
        "public_id": {
            "customer": customer.public_id,
            "wave": wave.public_id if wave else None,
            "shipment": shipment.public_id if shipment else None,
            "packed": shipment.public_id if shipment else None,
            "webhook": endpoint.public_id,
        },
    }


def _kwargs(pattern: URLPattern, objects: dict[str, Any]) -> dict[str, Any] | None:
    """The URL's arguments from the test's objects, or None when it takes one they do not give."""
    kwargs = {}
    for name in pattern.pattern.converters:
        value = objects.get(name)
        if isinstance(value, dict):
            value = value.get(pattern.name or "")
        if value is None:
            return None
        kwargs[name] = value
    return kwargs


def desk_pages(objects: dict[str, Any]) -> list[tuple[str, str]]:
    pages = []
    for pattern in desk_urls.urlpatterns:
        assert isinstance(pattern, URLPattern)
        kwargs = _kwargs(pattern, objects)
        if kwargs is not None:
            pages.append((str(pattern.name), reverse(f"desk:{pattern.name}", kwargs=kwargs)))
    return pages


@pytest.mark.parametrize("language", LANGUAGES)
def test_no_desk_page_shows_an_english_string_that_has_a_translation(
    owner: Client, shop_with_everything: dict[str, Any], language: str
) -> None:
    strings = untranslated(language)
    owner.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    rendered: set[str] = set()
    found: dict[str, set[str]] = {}
    for name, path in desk_pages(shop_with_everything):
        response = owner.get(path)
        if response.status_code != 200 or not response["Content-Type"].startswith("text/html"):
            continue
        rendered.add(name)
        body = response.content.decode()
        assert f'<html lang="{language}"' in body, path
        text = visible_text(body)
        for string in strings:
            if string.pattern.search(text):
                found.setdefault(string.msgid, set()).add(path)

    assert PAGES - rendered == set()
    assert found == {}, "\n".join(f"{msgid!r} on {sorted(paths)}" for msgid, paths in sorted(found.items()))


TRANSLATE_TAG = re.compile(
    r"""{%\s*translate\s+(["'])(?P<msgid>.*?)\1(?:\s+context\s+(["'])(?P<context>.*?)\3)?[^%]*%}"""
)
TEMPLATES = Path(desk_urls.__file__).resolve().parent / "templates"


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_string_of_the_desk_templates_is_in_the_catalog(language: str) -> None:
    """A {% translate %} string the catalog lacks shows in English whatever the language; the pages
    above cannot tell it from user content, so the templates are read for them."""
    catalog = polib.pofile(str(LOCALE / language / "LC_MESSAGES" / "django.po"))
    known = {(entry.msgctxt, entry.msgid) for entry in catalog if entry.translated()}
    used = {
        (match.group("context"), match.group("msgid"))
        for path in TEMPLATES.rglob("*.html")
        for match in TRANSLATE_TAG.finditer(path.read_text())
    }
    assert len(used) > 100
    assert sorted(used - known, key=str) == []


def test_the_text_leaves_out_user_content_and_matches_whole_words() -> None:
    markup = (
        '<p title="Order">Paid <bdi>Order me a tea</bdi> <span class="mono">Stock</span>'
        '<span dir="auto">Shipping</span><q>Note</q> Demo Express</p><p>Ordered</p>'
    )

    text = visible_text(markup)

    assert text.split("\n") == ["Order", "Paid", "Ordered"]
    order = _pattern("Order")
    placed = _pattern('Placed <time datetime="%(iso)s">%(date)s</time>')
    assert order is not None
    assert placed is not None
    assert order.search(text) is not None  # in the title
    assert order.search("Ordered\nOrder-1") is None
    assert order.search("Order this") is None  # a word inside a sentence is not a string of its own
    assert placed.search("Placed\n4 Dec 2026 15:05") is not None
    assert _pattern("%(n)s × %(m)s") is None
