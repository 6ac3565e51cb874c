"""Fulfillment at scale: a wave of 2,000 orders picked, packed, labelled and shipped in process, and
POST /api/v1/shipping/quote under load, each against a baseline measured in the same run.

Run (about 4 minutes on 2 cores, most of it placing the orders):

    .venv/bin/python bench/fulfillment.py
    .venv/bin/python bench/fulfillment.py --orders 500 --seconds 5
    .venv/bin/python bench/fulfillment.py --skip-quote --profile 300

It recreates the database, migrates it, sets up through the services a catalog of 300 SKUs stocked
in two locations with bins, zones and methods across Greece (Crete and central Athens by postal
prefix) and abroad, and packaging; places `--orders` paid orders with `place_order` (Greek, Polish,
Hebrew and English customers, 1 to 4 lines, some express, some gift messages), confirms them and
plans them as the worker does. Then:

* the wave, in process: form_wave at a cut-off, the pick list PDF, every packing slip in one PDF
  (issuing each order's thank-you coupon), a shipment per fulfillment order (carrier demo), and
  every label in one PDF. Baseline: the same three renderers on the very values the wave handed them.
* quotes: `emporos serve` and `--clients` keep-alive clients posting carts for `--seconds`.
  Baseline: one raw-SQL statement per cart through psycopg that finds the zone, the active methods
  and their rate band, with the same clients.
"""

from __future__ import annotations

import argparse
import contextlib
import cProfile
import datetime as dt
import http.client
import io
import json
import multiprocessing
import pstats
import queue
import random
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import psycopg
from _common import (
    CpuTracker,
    Server,
    close_django_connections,
    format_cores,
    free_port,
    fresh_database,
    heading,
    parse_env_items,
    percentile,
    setup_django,
    table,
    timed,
    verdict,
)

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/bench_fulfillment"
QUOTE_PATH = "/api/v1/shipping/quote"
WAVE_TARGET = 0.40  # the whole wave reaches at least this share of the renderers' orders/s
QUOTE_TARGET = 10.0  # Emporos's quote p95 at most this many times the raw-SQL p95
QUOTE_P95_MS = 50.0  # printed only: machines vary
STOCK_PER_SKU = 20_000  # never runs out, the profile's wave included

# --- the shop: catalog, locations, zones, packaging ---------------------------------------------

# (code, name, grams, price in EUR, five options); each option comes plain and in a gift box.
PRODUCTS = [
    ("tea-mountain", "Τσάι του βουνού", 60, "4.90", ("50 g", "100 g", "150 g", "250 g", "500 g")),
    ("oregano", "Ρίγανη Ταϋγέτου", 40, "3.50", ("30 g", "50 g", "80 g", "100 g", "200 g")),
    ("olive-oil", "Ελαιόλαδο εξαιρετικό παρθένο", 600, "9.80", ("250 ml", "500 ml", "750 ml", "1 l", "3 l")),
    ("honey-thyme", "Θυμαρίσιο μέλι Κρήτης", 480, "11.50", ("250 g", "450 g", "500 g", "900 g", "1 kg")),
    ("olives", "Ελιές Καλαμάτας", 450, "6.20", ("200 g", "350 g", "500 g", "1 kg", "2 kg")),
    ("soap-olive", "Olive oil soap", 120, "3.90", ("lavender", "laurel", "plain", "honey", "mastic")),
    ("mastic", "Μαστίχα Χίου", 50, "7.50", ("10 g", "25 g", "50 g", "100 g", "gum")),
    ("mug", "Κούπα κεραμική", 350, "12.00", ("λευκή", "μπλε", "πράσινη", "τερακότα", "μαύρη")),
    ("plate", "Dinner plate, hand-thrown", 650, "18.00", ("white", "sand", "blue", "green", "speckled")),
    ("bowl", "Μπολ σαλάτας", 800, "22.00", ("20 cm", "24 cm", "28 cm", "32 cm", "36 cm")),
    ("towel", "Πετσέτα χαμάμ", 300, "16.00", ("άμμος", "θάλασσα", "λευκή", "ελιά", "ριγέ")),
    ("sandals", "Δερμάτινα σανδάλια", 700, "49.00", ("37", "38", "39", "40", "41")),
    ("tote", "Tote bag, linen", 200, "14.50", ("natural", "navy", "olive", "rust", "stripe")),
    ("candle", "Κερί σόγιας", 320, "13.90", ("σύκο", "λεμόνι", "λεβάντα", "θυμάρι", "βανίλια")),
    ("wine", "Ασύρτικο Σαντορίνης", 1300, "19.50", ("2021", "2022", "2023", "magnum", "trio")),
    ("raki", "Τσικουδιά", 1100, "15.00", ("200 ml", "500 ml", "700 ml", "1 l", "duo")),
    ("pasta", "Χυλοπίτες", 500, "3.20", ("500 g", "1 kg", "χωριάτικες", "ολικής", "με αυγό")),
    ("rusks", "Παξιμάδια κριθαρένια", 400, "3.80", ("200 g", "400 g", "800 g", "μικρά", "ντάκος")),
    ("feta-tin", "Φέτα ΠΟΠ σε δοχείο", 900, "10.90", ("400 g", "800 g", "1 kg", "2 kg", "4 kg")),
    ("saffron", "Κρόκος Κοζάνης", 20, "12.50", ("1 g", "2 g", "4 g", "8 g", "νήματα")),
    ("cookbook", "Cookbook: Greek islands", 900, "29.00", ("English", "Ελληνικά", "Polski", "עברית", "Deutsch")),
    ("icon-print", "Print of a Byzantine icon", 250, "35.00", ("A5", "A4", "A3", "A2", "framed")),
    ("komboloi", "Κομπολόι", 90, "24.00", ("κεχριμπάρι", "κόκκινο", "μαύρο", "πράσινο", "ασημί")),
    ("evil-eye", "Ματάκι βραχιόλι", 30, "9.00", ("μπλε", "ροζ", "μαύρο", "χρυσό", "ασημί")),
    ("coffee", "Ελληνικός καφές", 200, "5.40", ("100 g", "200 g", "500 g", "1 kg", "μπρίκι")),
    ("briki", "Μπρίκι χάλκινο", 350, "17.00", ("1 φλ.", "2 φλ.", "3 φλ.", "4 φλ.", "6 φλ.")),
    ("cushion", "Cushion cover, woven", 400, "26.00", ("40x40", "45x45", "50x50", "30x50", "60x60")),
    ("rug", "Κιλίμι υφαντό", 2500, "89.00", ("60x90", "70x140", "120x180", "160x230", "runner")),
    ("lamp", "Table lamp, ceramic", 1800, "64.00", ("white", "blue", "black", "sand", "tall")),
    ("puzzle", "Παζλ Ακρόπολη", 600, "19.90", ("500", "1000", "1500", "2000", "3000")),
]
OPTION_FACTORS = (1.0, 1.3, 1.7, 2.4, 4.0)  # weight and price of the five options, roughly
LOCATIONS = (("athens", "Athens warehouse", "A"), ("thessaloniki", "Thessaloniki store room", "T"))
ATHENS_SHARE = 2 / 3  # of the SKUs (and of the orders) stocked in Athens; the rest in Thessaloniki
PACKAGING = (  # (code, name, kind, length, width, height in mm, own weight and most it carries in grams)
    ("envelope-a4", "Padded envelope A4", "envelope", 320, 240, 30, 40, 800),
    ("box-s", "Box S", "box", 300, 200, 100, 180, 3000),
    ("box-m", "Box M", "box", 400, 300, 200, 320, 8000),
    ("box-l", "Box L (double wall)", "box", 600, 400, 300, 650, 25000),
)
# (zone code, name, [(country, postal prefix)], [method])
# (method code, kind, price basis, [(up to grams or EUR, price)], free over, (transit days min, max), other fields)
MethodRow = tuple[str, str, str, list[tuple[int | None, str]], str | None, tuple[int, int], dict[str, Any]]
ZONES: list[tuple[str, str, list[tuple[str, str]], list[MethodRow]]] = [
    (
        "greece",
        "Greece",
        [("GR", "")],
        [
            ("courier-standard", "home", "weight", [(2000, "3.50"), (5000, "5.00"), (10000, "7.50"), (None, "12.00")], "60.00", (1, 3), {"cash_on_delivery": True}),
            ("courier-express", "express", "weight", [(5000, "7.90"), (None, "14.90")], None, (1, 1), {"signature_required": True}),
            ("boxnow-locker", "locker", "weight", [(3000, "2.90"), (8000, "3.90")], "40.00", (1, 2), {}),
            ("courier-saturday", "home", "weight", [(None, "9.00")], None, (1, 1), {"is_active": False}),
        ],
    ),
    (
        "athens-centre",
        "Central Athens",
        [("GR", "104"), ("GR", "105"), ("GR", "106"), ("GR", "114"), ("GR", "115")],
        [
            ("courier-standard", "home", "weight", [(2000, "2.90"), (10000, "5.90"), (None, "9.90")], "50.00", (1, 1), {"cash_on_delivery": True}),
            ("courier-same-day", "express", "weight", [(5000, "6.90")], None, (0, 0), {"signature_required": True}),
            ("boxnow-locker", "locker", "weight", [(3000, "2.50"), (8000, "3.50")], "40.00", (1, 1), {}),
            ("store-pickup", "pickup", "value", [(None, "0.00")], None, (0, 0), {}),
        ],
    ),
    (
        "crete",
        "Crete",
        [("GR", "70"), ("GR", "71"), ("GR", "72"), ("GR", "73"), ("GR", "74")],
        [
            ("courier-standard", "home", "weight", [(2000, "5.50"), (10000, "8.50"), (None, "15.00")], "80.00", (2, 4), {"cash_on_delivery": True}),
            ("boxnow-locker", "locker", "weight", [(3000, "3.90"), (8000, "4.90")], None, (2, 3), {}),
        ],
    ),
    (
        "aegean",
        "Aegean islands",
        [("GR", "81"), ("GR", "82"), ("GR", "83"), ("GR", "84"), ("GR", "85")],
        [("courier-standard", "home", "value", [(30, "6.90"), (None, "4.90")], "100.00", (2, 5), {})],
    ),
    (
        "poland",
        "Poland",
        [("PL", "")],
        [("courier-international", "home", "weight", [(2000, "9.90"), (10000, "14.90"), (None, "24.90")], "150.00", (3, 5), {})],
    ),
    (
        "israel",
        "Israel",
        [("IL", "")],
        [("courier-international", "home", "weight", [(2000, "14.90"), (10000, "24.90")], None, (4, 7), {})],
    ),
]  # fmt: skip


@dataclass(frozen=True)
class Sku:
    product: str
    sku: str
    name: str
    price: Decimal
    weight_grams: int
    location: str


def make_skus() -> list[Sku]:
    """300 SKUs: 30 products, five options each, plain and in a gift box; the first two thirds in
    Athens, the rest in Thessaloniki (so each order leaves from one place, as one parcel)."""
    rows = [
        (code, f"{code.upper()}-{index + 1}{'-GIFT' if boxed else ''}", name, option, factor, grams, price, boxed)
        for code, name, grams, price, options in PRODUCTS
        for index, (option, factor) in enumerate(zip(options, OPTION_FACTORS, strict=True))
        for boxed in (False, True)
    ]
    in_athens = int(len(rows) * ATHENS_SHARE)
    return [
        Sku(
            product=code,
            sku=sku,
            name=f"{name}, {option}" + (" (κουτί δώρου)" if boxed else ""),
            price=(Decimal(price) * Decimal(str(factor)) + (3 if boxed else 0)).quantize(Decimal("0.10")),
            weight_grams=int(grams * factor) + (150 if boxed else 0),
            location=LOCATIONS[0][0] if number < in_athens else LOCATIONS[1][0],
        )
        for number, (code, sku, name, option, factor, grams, price, boxed) in enumerate(rows)
    ]


def load_shop(skus: list[Sku], rng: random.Random) -> str:
    """Catalog, stock with bins, zones and methods, packaging and an API key, through the services
    where there are services; returns the API key (scope shipping:read)."""
    from emporos.access.models import Scope
    from emporos.access.services import create_api_key
    from emporos.catalog.services import ProductDraft, VariantDraft, upsert_products
    from emporos.core.actor import Actor
    from emporos.inventory.models import Location, StockLevel
    from emporos.inventory.services import AdjustmentDraft, add_location, adjust_stock

    actor = Actor.system("bench")
    # The fresh install's one location becomes Athens, as an owner would rename it.
    Location.objects.filter(code="main").update(code=LOCATIONS[0][0], name=LOCATIONS[0][1], priority=1)
    add_location(code=LOCATIONS[1][0], name=LOCATIONS[1][1], priority=2, actor=actor)
    upsert_products(
        drafts=[
            ProductDraft(
                code=code,
                name=name,
                variants=[
                    VariantDraft(sku=s.sku, name=s.name, price=s.price, weight_grams=s.weight_grams)
                    for s in skus
                    if s.product == code
                ],
            )
            for code, name, *_rest in PRODUCTS
        ]
    )
    adjust_stock(
        drafts=[AdjustmentDraft(sku=s.sku, location=s.location, reason="count", on_hand=STOCK_PER_SKU) for s in skus],
        actor=actor,
    )
    # Bins have no service: staff type them in the admin (the demo sets them the same way).
    aisles = {code: aisle for code, _name, aisle in LOCATIONS}
    for level in StockLevel.objects.select_related("location").order_by("id"):
        level.bin = f"{aisles[level.location.code]}-{rng.randint(1, 14):02d}-{rng.randint(1, 5)}"
        level.save(update_fields=["bin"])
    load_shipping()
    return create_api_key(name="bench storefront", scopes=[Scope.SHIPPING_READ]).plain_key


def load_shipping() -> None:
    """Zones, methods with their rate bands (carrier demo) and packaging. Zones and packaging have
    no services: the owner sets them up in the admin, as the demo does."""
    from emporos.fulfillment.models import Packaging
    from emporos.shipping.models import Method, Rate, Zone, ZoneArea

    for code, name, areas, methods in ZONES:
        zone = Zone.objects.create(code=code, name=name)
        ZoneArea.objects.bulk_create([ZoneArea(zone=zone, country=c, postal_prefix=prefix) for c, prefix in areas])
        for position, (method_code, kind, basis, bands, free_over, (low, high), extra) in enumerate(methods):
            method = Method.objects.create(
                zone=zone,
                code=method_code,
                name=method_code.replace("-", " ").title().replace("Boxnow", "BOX NOW"),
                kind=kind,
                currency="EUR",
                price_basis=basis,
                free_over=Decimal(free_over) if free_over else None,
                cash_on_delivery_fee=Decimal("2.00"),
                transit_days_min=low,
                transit_days_max=high,
                position=position,
                carrier="demo",
                carrier_service=kind,
                **extra,
            )
            Rate.objects.bulk_create(
                [
                    Rate(method=method, up_to=Decimal(up_to) if up_to is not None else None, price=Decimal(price))
                    for up_to, price in bands
                ]
            )
    for position, (code, name, kind, length, width, height, grams, most) in enumerate(PACKAGING):
        Packaging.objects.create(
            code=code,
            name=name,
            kind=kind,
            length_mm=length,
            width_mm=width,
            height_mm=height,
            weight_grams=grams,
            max_weight_grams=most,
            position=position,
        )


def box_for(grams: int) -> str:
    """The smallest packaging that carries `grams`."""
    return next((code for code, *_rest, most in PACKAGING if grams <= most), PACKAGING[-1][0])


# --- the customers and their orders -----------------------------------------------------------------


@dataclass(frozen=True)
class Person:
    language: str
    name: str
    email: str
    phone: str
    country: str
    city: str
    postal_code: str
    line1: str
    line2: str = ""


# language: (share, country, [(first, latin)], [(last as a man's, as a woman's, latin)], e-mail domain)
NAMES: dict[str, tuple[float, str, list[tuple[str, str, bool]], list[tuple[str, str, str]], str]] = {
    "el": (
        0.55,
        "GR",
        [("Μαρία", "maria", True), ("Γιώργος", "giorgos", False), ("Ελένη", "eleni", True), ("Νίκος", "nikos", False),
         ("Κατερίνα", "katerina", True), ("Δημήτρης", "dimitris", False), ("Σοφία", "sofia", True),
         ("Κώστας", "kostas", False), ("Αναστασία", "anastasia", True), ("Παναγιώτης", "panagiotis", False)],
        [("Παπαδόπουλος", "Παπαδοπούλου", "papadopoulos"), ("Οικονόμου", "Οικονόμου", "oikonomou"),
         ("Γεωργίου", "Γεωργίου", "georgiou"), ("Καραγιάννης", "Καραγιάννη", "karagiannis"),
         ("Βλάχος", "Βλάχου", "vlachos"), ("Μαυρίδης", "Μαυρίδου", "mavridis"), ("Αντωνίου", "Αντωνίου", "antoniou")],
        "example.gr",
    ),
    "en": (
        0.10,
        "GR",
        [("Emma", "emma", True), ("Oliver", "oliver", False), ("Charlotte", "charlotte", True),
         ("James", "james", False), ("Sophie", "sophie", True), ("Daniel", "daniel", False)],
        [("Clarke", "Clarke", "clarke"), ("Murphy", "Murphy", "murphy"), ("Bennett", "Bennett", "bennett"),
         ("Hughes", "Hughes", "hughes"), ("Fraser", "Fraser", "fraser")],
        "example.co.uk",
    ),
    "pl": (
        0.20,
        "PL",
        [("Anna", "anna", True), ("Katarzyna", "katarzyna", True), ("Małgorzata", "malgorzata", True),
         ("Zofia", "zofia", True), ("Piotr", "piotr", False), ("Krzysztof", "krzysztof", False),
         ("Paweł", "pawel", False), ("Łukasz", "lukasz", False)],
        [("Kowalski", "Kowalska", "kowalski"), ("Wiśniewski", "Wiśniewska", "wisniewski"), ("Wójcik", "Wójcik", "wojcik"),
         ("Kamiński", "Kamińska", "kaminski"), ("Lewandowski", "Lewandowska", "lewandowski"),
         ("Zieliński", "Zielińska", "zielinski"), ("Szymański", "Szymańska", "szymanski")],
        "example.pl",
    ),
    "he": (
        0.15,
        "IL",
        [("נועה", "noa", True), ("יעל", "yael", True), ("מיכל", "michal", True), ("תמר", "tamar", True),
         ("דוד", "david", False), ("יוסף", "yosef", False), ("אורי", "uri", False), ("איתי", "itai", False)],
        [("כהן", "כהן", "cohen"), ("לוי", "לוי", "levi"), ("מזרחי", "מזרחי", "mizrahi"), ("פרץ", "פרץ", "peretz"),
         ("ביטון", "ביטון", "biton"), ("אברהם", "אברהם", "avraham"), ("פרידמן", "פרידמן", "friedman")],
        "example.co.il",
    ),
}  # fmt: skip
# language: [(city, postal codes, streets)]; English speakers live in Greece and write in Latin letters.
PLACES: dict[str, list[tuple[str, tuple[str, ...], tuple[str, ...]]]] = {
    "el": [
        ("Αθήνα", ("105 63", "106 78", "104 31", "114 73", "115 26", "116 35", "121 31", "151 24"),
         ("Ερμού", "Πανεπιστημίου", "Σταδίου", "Πατησίων", "Λεωφόρος Αλεξάνδρας", "Μιχαλακοπούλου")),
        ("Θεσσαλονίκη", ("546 24", "546 36", "552 36", "564 29"), ("Τσιμισκή", "Εγνατίας", "Αριστοτέλους")),
        ("Πάτρα", ("262 21", "262 23"), ("Μαιζώνος", "Κορίνθου", "Αγίου Νικολάου")),
        ("Ηράκλειο", ("712 02", "713 05", "714 09"), ("25ης Αυγούστου", "Καλοκαιρινού", "Δικαιοσύνης")),
        ("Χανιά", ("731 00", "731 32"), ("Χάληδων", "Τζανακάκη")),
        ("Λάρισα", ("412 22",), ("Κύπρου", "Παπαναστασίου")),
        ("Ρόδος", ("851 00",), ("Αμερικής", "Γρηγορίου Λαμπράκη")),
        ("Νάξος", ("843 00",), ("Παραλία Νάξου",)),
    ],
    "en": [
        ("Athens", ("105 58", "106 76", "114 71"), ("Ermou", "Voukourestiou", "Skoufa")),
        ("Chania", ("731 34",), ("Halidon", "Akti Tompazi")),
        ("Corfu", ("491 00",), ("Kapodistriou", "Nikiforou Theotoki")),
    ],
    "pl": [
        ("Warszawa", ("00-950", "02-583", "01-234"), ("ul. Marszałkowska", "ul. Puławska", "al. Jerozolimskie")),
        ("Kraków", ("31-042", "30-059"), ("ul. Floriańska", "ul. Karmelicka", "ul. Długa")),
        ("Gdańsk", ("80-827", "80-831"), ("ul. Długa", "ul. Mariacka")),
        ("Wrocław", ("50-077", "53-334"), ("ul. Świdnicka", "ul. Powstańców Śląskich")),
        ("Łódź", ("90-136",), ("ul. Piotrkowska",)),
    ],
    "he": [
        ("תל אביב-יפו", ("6100101", "6473921", "6423906"), ("רחוב הרצל", "שדרות רוטשילד", "רחוב דיזנגוף")),
        ("ירושלים", ("9414123", "9103401"), ("רחוב יפו", "רחוב בן יהודה", "דרך חברון")),
        ("חיפה", ("3303130", "3109601"), ("שדרות הנשיא", "רחוב מוריה")),
        ("באר שבע", ("8410501",), ("שדרות רגר",)),
    ],
}  # fmt: skip
GIFT_MESSAGES = {
    "el": ("Χρόνια πολλά! Με αγάπη, η νονά σου.", "Καλή επιτυχία στο νέο σπίτι!"),
    "en": ("Happy birthday! Lots of love.", "Congratulations on the new job!"),
    "pl": ("Wszystkiego najlepszego z okazji urodzin!", "Dla najlepszej mamy na świecie."),
    "he": ("מזל טוב ליום ההולדת! באהבה", "בהצלחה בבית החדש!"),
}
PAYMENTS = {"GR": ("card", "card", "paypal"), "PL": ("blik", "card"), "IL": ("bit", "card")}
# Mobile numbers: country -> (prefixes every number of which is valid, digits after the prefix)
MOBILE = {
    "GR": (("+30690", "+30694", "+30697", "+30698"), 7),
    "PL": (("+4850", "+4860", "+4879"), 7),
    "IL": (("+972505", "+972526", "+972544"), 6),
}


def make_people(rng: random.Random, count: int) -> list[Person]:
    languages = list(NAMES)
    weights = [NAMES[language][0] for language in languages]
    people = []
    for number in range(count):
        language = rng.choices(languages, weights)[0]
        _share, country, firsts, lasts, domain = NAMES[language]
        first, first_latin, is_woman = rng.choice(firsts)
        man, woman, last_latin = rng.choice(lasts)
        name = f"{first} {woman if is_woman else man}"
        city, codes, streets = rng.choice(PLACES[language])
        prefixes, digits = MOBILE[country]
        street = rng.choice(streets)
        if language == "pl":
            line1, line2 = f"{street} {rng.randint(1, 120)}/{rng.randint(1, 40)}", ""
        elif language == "he":
            line1, line2 = f"{street} {rng.randint(1, 90)}", f"דירה {rng.randint(1, 30)}"
        else:
            line1, line2 = f"{street} {rng.randint(1, 200)}", ""
        people.append(
            Person(
                language=language,
                name=name,
                email=f"{first_latin}.{last_latin}.{number}@{domain}",
                phone=rng.choice(prefixes) + "".join(rng.choice("0123456789") for _ in range(digits)),
                country=country,
                city=city,
                postal_code=rng.choice(codes),
                line1=line1,
                line2=line2,
            )
        )
    return people


def shipping_choice(rng: random.Random, person: Person) -> tuple[str, bool, str]:
    """(method code, express, pickup point) as a storefront would send them."""
    if person.country != "GR":
        return "courier-international", rng.random() < 0.05, ""
    roll = rng.random()
    if roll < 0.15:
        return "courier-express", True, ""
    if roll < 0.30:
        return "boxnow-locker", False, f"BN{rng.randint(1000, 9999)}"
    return "courier-standard", False, ""


def shipping_price(method: str, subtotal: Decimal) -> Decimal:
    if method == "courier-international":
        return Decimal("12.90")
    if method == "courier-express":
        return Decimal("7.90")
    return Decimal("0.00") if subtotal >= 60 else Decimal("3.50")


def make_orders(rng: random.Random, skus: list[Sku], people: list[Person], count: int, *, tag: str) -> list[Any]:
    """`count` paid OrderDrafts (with their idempotency keys): 1 to 4 lines from one location."""
    from emporos.orders.services.intake import AddressDraft, CustomerDraft, LineDraft, OrderDraft

    by_location = {code: [s for s in skus if s.location == code] for code, *_rest in LOCATIONS}
    drafts = []
    for number in range(count):
        person = rng.choice(people)
        location = LOCATIONS[0][0] if rng.random() < ATHENS_SHARE else LOCATIONS[1][0]
        chosen = rng.sample(by_location[location], k=rng.choices((1, 2, 3, 4), (35, 35, 20, 10))[0])
        lines = [
            LineDraft(sku=s.sku, quantity=rng.choices((1, 2, 3), (70, 22, 8))[0], unit_price=s.price) for s in chosen
        ]
        subtotal = sum((line.unit_price * line.quantity for line in lines), Decimal(0))
        method, express, pickup_point = shipping_choice(rng, person)
        gift = rng.random() < 0.12
        wrap_price = Decimal("2.50") if gift else Decimal(0)
        postage = shipping_price(method, subtotal)
        draft = OrderDraft(
            channel="web",
            currency="EUR",
            customer=CustomerDraft(email=person.email, name=person.name, phone=person.phone, language=person.language),
            lines=lines,
            payment_method=rng.choice(PAYMENTS[person.country]),
            payment_status="paid",
            total=subtotal + postage + wrap_price,
            shipping_price=postage,
            gift_wrap_price=wrap_price,
            shipping_address=AddressDraft(
                name=person.name,
                line1=person.line1,
                line2=person.line2,
                city=person.city,
                postal_code=person.postal_code,
                country=person.country,
                phone=person.phone,
                pickup_point=pickup_point,
            ),
            shipping_method=method,
            express=express,
            gift_wrap=gift,
            gift_message=rng.choice(GIFT_MESSAGES[person.language]) if gift else "",
        )
        drafts.append((draft, f"{tag}-{number}"))
    return drafts


def place_and_plan(drafts: list[Any]) -> list[int]:
    """Place, confirm and plan every order (planning as the worker does on OrderConfirmed)."""
    from emporos.core.actor import Actor
    from emporos.fulfillment import planning
    from emporos.orders.services import confirm_order, place_order

    storefront, staff, worker = Actor.api_key("bench storefront"), Actor.staff("orders desk"), Actor.system()
    placed = []
    for draft, key in drafts:
        order = place_order(draft=draft, actor=storefront, idempotency_key=key).order
        confirm_order(order=order, actor=staff)
        planning.plan(order=order, actor=worker)
        placed.append(order.pk)
    return placed


# --- the wave ---------------------------------------------------------------------------------------

RENDERERS = ("pick_list_pdf", "packing_slips_pdf", "labels_pdf")


class Renders:
    """While the wave runs, the renderers keep the values they were given (the baseline renders
    exactly those) and count the time spent inside them."""

    def __init__(self) -> None:
        self.inputs: dict[str, Any] = {}
        self.seconds = 0.0
        self._originals: dict[str, Callable[[Any], bytes]] = {}

    def __enter__(self) -> Renders:
        from emporos.fulfillment.documents import render

        for name in RENDERERS:
            self._originals[name] = getattr(render, name)
            setattr(render, name, self._wrap(name, self._originals[name]))
        return self

    def _wrap(self, name: str, original: Callable[[Any], bytes]) -> Callable[[Any], bytes]:
        def recorded(value: Any) -> bytes:
            self.inputs[name] = value
            started = time.perf_counter()
            try:
                return original(value)
            finally:
                self.seconds += time.perf_counter() - started

        return recorded

    def __exit__(self, *exc: object) -> None:
        from emporos.fulfillment.documents import render

        for name, original in self._originals.items():
            setattr(render, name, original)


@dataclass
class Step:
    name: str
    seconds: float
    rendering: float  # of which inside the renderers
    cores: dict[str, float]
    queries: int = 0


def measured(name: str, work: Callable[[], Any], renders: Renders | None, steps: list[Step]) -> Any:
    """Run one step, timing it, its rendering share, the CPU of each group and its queries."""
    from django.db import connection

    queries = [0]

    def count(execute: Callable[..., Any], sql: str, params: Any, many: bool, context: Any) -> Any:
        queries[0] += 1
        return execute(sql, params, many, context)

    tracker = CpuTracker(server_group=None).start()
    rendered = renders.seconds if renders else 0.0
    started = time.perf_counter()
    with connection.execute_wrapper(count):
        result = work()
    seconds = time.perf_counter() - started
    cores = tracker.stop()
    inside = (renders.seconds - rendered) if renders else seconds
    steps.append(Step(name=name, seconds=seconds, rendering=inside, cores=cores, queries=queries[0]))
    print(f"  {name}: {seconds:.2f} s (rendering {inside:.2f} s, {queries[0]} queries)", flush=True)
    return result


@dataclass
class WaveRun:
    orders: int
    fulfillment_orders: int
    steps: list[Step]
    inputs: dict[str, Any]
    pdfs: dict[str, bytes]
    wave_id: int


def run_wave(*, cutoff_at: dt.datetime, label: str) -> WaveRun:
    """Form the wave of `cutoff_at` and print, pack and ship it, timing each step."""
    from emporos.core.actor import Actor
    from emporos.fulfillment import printing, waves

    packer = Actor.staff("packer")
    steps: list[Step] = []
    print(f"{label}:", flush=True)
    with Renders() as renders:
        wave = measured(
            "form wave",
            lambda: waves.form_wave(cutoff_at=cutoff_at, actor=Actor.system("waves"), capacity=0),
            renders,
            steps,
        )
        if wave is None:
            raise RuntimeError(f"no wave formed at {cutoff_at}: nothing was ready")
        pick = measured("pick list", lambda: printing.pick_list(wave, language="el"), renders, steps)
        slips = measured(
            "packing slips + coupons",
            lambda: printing.packing_slips(wave_fulfillment_orders(wave), actor=packer),
            renders,
            steps,
        )
        measured("shipments", lambda: ship_wave(wave, packer), renders, steps)
        labels = measured("labels", lambda: printing.labels(wave_shipments(wave)), renders, steps)
    fulfillment_orders = wave_fulfillment_orders(wave)
    return WaveRun(
        orders=len({fo.order_id for fo in fulfillment_orders}),
        fulfillment_orders=len(fulfillment_orders),
        steps=steps,
        inputs=renders.inputs,
        pdfs={"pick list": pick, "packing slips": slips, "labels": labels},
        wave_id=wave.pk,
    )


def wave_fulfillment_orders(wave: Any) -> list[Any]:
    from emporos.fulfillment.models import FulfillmentOrder

    return list(FulfillmentOrder.objects.filter(wave=wave).select_related("order").order_by("-is_express", "id"))


def wave_shipments(wave: Any) -> list[Any]:
    from emporos.fulfillment.models import Shipment

    return list(Shipment.objects.filter(wave=wave).select_related("order").order_by("id"))


def ship_wave(wave: Any, packer: Any) -> int:
    """A parcel per fulfillment order, as the packer scans it: its open lines, the smallest box."""
    from django.db.models import Prefetch

    from emporos.fulfillment.models import FulfillmentOrder, FulfillmentOrderLine
    from emporos.fulfillment.shipments import ShipmentDraft, create_shipment

    fos = (
        FulfillmentOrder.objects.filter(wave=wave)
        .select_related("order")
        .prefetch_related(
            Prefetch("lines", queryset=FulfillmentOrderLine.objects.select_related("order_line__variant"))
        )
        .order_by("-is_express", "id")
    )
    shipped = 0
    for fo in fos:
        open_lines = [
            (fl.order_line.sku, fl.quantity - fl.quantity_shipped, fl.order_line.variant.weight_grams)
            for fl in fo.lines.all()
            if fl.quantity > fl.quantity_shipped
        ]
        grams = sum(quantity * weight for _sku, quantity, weight in open_lines)
        draft = ShipmentDraft(
            lines=[(sku, quantity) for sku, quantity, _weight in open_lines], carrier="demo", packaging=box_for(grams)
        )
        create_shipment(order=fo.order, draft=draft, actor=packer, idempotency_key=f"wave-{fo.public_id}", wave=wave)
        shipped += 1
    return shipped


def render_baseline(inputs: dict[str, Any]) -> tuple[list[Step], dict[str, bytes]]:
    """The renderers alone on the values the wave handed them: no database."""
    from emporos.fulfillment.documents import render

    steps: list[Step] = []
    pdfs = {}
    print("baseline, the renderers without the database:", flush=True)
    for name, kind in zip(RENDERERS, ("pick list", "packing slips", "labels"), strict=True):
        renderer = getattr(render, name)
        value = inputs[name]
        pdfs[kind] = measured(kind, lambda renderer=renderer, value=value: renderer(value), None, steps)
    return steps, pdfs


def warm_renderers() -> None:
    """Fonts, translations and code paths of every language, once, before either side is timed."""
    from emporos.fulfillment.documents import render
    from emporos.fulfillment.documents.data import PackingSlip, PickItem, PickList, ShippingLabel, SlipLine

    slips, labels = [], []
    for language, (name, city) in {
        "en": ("Emma Clarke", "Athens"),
        "el": ("Μαρία Οικονόμου", "Αθήνα"),
        "pl": ("Zofia Wójcik", "Gdańsk"),
        "he": ("נועה כהן", "חיפה"),
    }.items():
        line = SlipLine(sku="WARM-1", name=name, quantity=1)
        slips.append(
            PackingSlip("EM-1", language, "1.1.2026", "Shop", ("Ermou 1",), (name, city), "Courier", (line,), "Thanks")
        )
        labels.append(
            ShippingLabel("Demo", "Courier", "DM0000000001", "EM-1/1", ("Shop",), (name, city), "1 kg", language)
        )
    render.packing_slips_pdf(slips)
    render.labels_pdf(labels)
    item = PickItem(location="Athens", bin="A-01-1", sku="WARM-1", name="Warm", quantity=1, orders=("EM-1",))
    render.pick_list_pdf(PickList("W-1", "1.1.2026", "1.1.2026", "el", (item,), 1))


# --- checks after the wave --------------------------------------------------------------------------

WAVE_CHECKS = {
    "orders without exactly one shipment": """
        SELECT count(*) FROM orders_order o
        WHERE (SELECT count(*) FROM fulfillment_shipment s WHERE s.order_id = o.id AND s.status <> 'cancelled') <> 1""",
    "orders not completed": "SELECT count(*) FROM orders_order WHERE status <> 'completed'",
    "order lines not fully shipped": "SELECT count(*) FROM orders_orderline WHERE quantity_shipped <> quantity",
    "units still reserved": "SELECT coalesce(sum(reserved), 0) FROM inventory_stocklevel",
    "levels that differ from their ledger sums": """
        SELECT count(*) FROM inventory_stocklevel s
        LEFT JOIN (SELECT variant_id, location_id, sum(on_hand_delta) AS on_hand, sum(reserved_delta) AS reserved
                   FROM inventory_stockmovement GROUP BY 1, 2) m
            ON m.variant_id = s.variant_id AND m.location_id = s.location_id
        WHERE s.on_hand <> coalesce(m.on_hand, 0) OR s.reserved <> coalesce(m.reserved, 0)""",
    "fulfillment orders of the wave not closed": """
        SELECT count(*) FROM fulfillment_fulfillmentorder WHERE wave_id = %(wave)s AND status <> 'closed'""",
    "fulfillment orders of the wave without a slip coupon": """
        SELECT count(*) FROM fulfillment_fulfillmentorder fo
        WHERE fo.wave_id = %(wave)s
          AND NOT EXISTS (SELECT 1 FROM customers_coupon c WHERE c.code = fo.slip_coupon)""",
}


def check_wave(url: str, run: WaveRun, expected_orders: int) -> list[tuple[str, bool]]:
    import pypdfium2 as pdfium

    results = []
    with psycopg.connect(url) as conn:
        for name, sql in WAVE_CHECKS.items():
            found = int(conn.execute(sql, {"wave": run.wave_id}).fetchone()[0])  # type: ignore[index]
            results.append((f"{name}: {found}", found == 0))
        row = conn.execute("SELECT count(*) FROM fulfillment_shipment WHERE wave_id = %s", [run.wave_id]).fetchone()
        shipments = int(row[0]) if row else 0
    pages = {kind: len(pdfium.PdfDocument(pdf)) for kind, pdf in run.pdfs.items()}
    results.append((f"orders in the wave: {run.orders} of {expected_orders} placed", run.orders == expected_orders))
    results.append((f"label pages {pages['labels']} == shipments {shipments}", pages["labels"] == shipments))
    results.append(
        (
            f"packing slip pages {pages['packing slips']} >= fulfillment orders {run.fulfillment_orders}",
            pages["packing slips"] >= run.fulfillment_orders,
        )
    )
    return results


# --- quotes: carts, the raw-SQL baseline, the load generator ---------------------------------------

# Where carts go: Athens (the centre has its own zone), Thessaloniki, the mainland, Crete (a zone by
# postal prefix), the Aegean islands; some written with the customary space ("105 63").
POSTAL_CODES = (
    "10563", "105 58", "10678", "10431", "11473", "115 26", "11635", "12131", "15124", "15231", "16674",
    "17562", "18531", "54624", "546 36", "55236", "56429", "26221", "41222", "38221", "45221", "49100",
    "71202", "713 05", "71409", "73100", "731 32", "74100", "72100", "85100", "84300", "81100",
)  # fmt: skip


@dataclass(frozen=True)
class Cart:
    body: bytes
    skus: list[str]
    quantities: list[int]
    country: str
    postal_code: str  # as the storefront sent it


def make_carts(rng: random.Random, skus: list[Sku], count: int) -> list[Cart]:
    carts = []
    for _ in range(count):
        chosen = rng.sample(skus, k=rng.randint(1, 5))
        quantities = [rng.choices((1, 2, 3, 6), (70, 20, 8, 2))[0] for _ in chosen]
        postal_code = rng.choice(POSTAL_CODES)
        body = {
            "currency": "EUR",
            "destination": {"country": "GR", "postal_code": postal_code},
            "lines": [{"sku": s.sku, "quantity": q} for s, q in zip(chosen, quantities, strict=True)],
        }
        carts.append(Cart(json.dumps(body).encode(), [s.sku for s in chosen], quantities, "GR", postal_code))
    return carts


# The minimum a quote needs, in one statement: the cart's value and weight, the zone of the longest
# matching postal prefix, its active methods in the currency, and each one's first rate band that
# holds the cart (a method no band holds is not offered). Delivery windows are left out.
QUOTE_SQL = """
WITH cart AS (
    SELECT coalesce(sum(v.price * c.quantity), 0) AS subtotal, coalesce(sum(v.weight_grams * c.quantity), 0) AS grams
    FROM unnest(%(skus)s::text[], %(quantities)s::int[]) AS c(sku, quantity)
    JOIN catalog_variant v ON v.sku = c.sku AND v.is_active
), area AS (
    SELECT zone_id FROM shipping_zonearea
    WHERE country = %(country)s AND starts_with(%(postal_code)s, upper(replace(postal_prefix, ' ', '')))
    ORDER BY length(postal_prefix) DESC LIMIT 1
)
SELECT m.code,
       CASE WHEN m.free_over IS NOT NULL AND cart.subtotal >= m.free_over THEN 0.00 ELSE band.price END AS price
FROM area
JOIN shipping_method m ON m.zone_id = area.zone_id AND m.currency = %(currency)s AND m.is_active
CROSS JOIN cart
CROSS JOIN LATERAL (
    SELECT r.price FROM shipping_rate r
    WHERE r.method_id = m.id
      AND (r.up_to IS NULL OR CASE WHEN m.price_basis = 'weight' THEN cart.grams ELSE cart.subtotal END <= r.up_to)
    ORDER BY r.up_to IS NULL, r.up_to LIMIT 1
) band
ORDER BY m.position, m.id
"""


def quote_sql(conn: psycopg.Connection[Any], cart: Cart) -> list[tuple[str, str]]:
    rows = conn.execute(
        QUOTE_SQL,
        {
            "skus": cart.skus,
            "quantities": cart.quantities,
            "country": cart.country,
            "postal_code": cart.postal_code.replace(" ", "").upper(),
            "currency": "EUR",
        },
    ).fetchall()
    return [(code, f"{price:.2f}") for code, price in rows]


def quote_http(conn: http.client.HTTPConnection, cart: Cart, api_key: str) -> tuple[int, bytes]:
    headers = {"Authorization": f"Bearer {api_key}", "Content-Type": "application/json"}
    # A dropped keep-alive connection is retried once: a quote is a read.
    for attempt in (1, 2):
        try:
            conn.request("POST", QUOTE_PATH, body=cart.body, headers=headers)
            response = conn.getresponse()
            return response.status, response.read()
        except (OSError, http.client.HTTPException):
            conn.close()
            if attempt == 2:
                raise
    return 0, b""


def compare_quotes(*, port: int, api_key: str, url: str, carts: list[Cart]) -> int:
    """Carts the raw-SQL baseline prices differently from Emporos (methods and prices): 0 expected."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    differ = 0
    try:
        with psycopg.connect(url, autocommit=True) as database:
            for cart in carts:
                status, body = quote_http(conn, cart, api_key)
                options = json.loads(body)["options"] if status == 200 else []
                emporos = [(option["code"], option["price"]) for option in options]
                if status != 200 or emporos != quote_sql(database, cart):
                    differ += 1
                    if differ <= 3:
                        print(f"   differs: {cart.body.decode()} -> {emporos} vs {quote_sql(database, cart)}")
    finally:
        conn.close()
    return differ


@dataclass(frozen=True)
class LoadPlan:
    target: str  # "emporos" (HTTP) or "raw SQL"
    clients: int
    start_at: float  # time.monotonic() when measuring starts (clocks agree across processes on Linux)
    end_at: float
    max_requests: int
    carts: list[Cart]
    port: int = 0
    api_key: str = ""
    database_url: str = ""


@dataclass
class LoadResult:
    latencies_ms: list[float] = field(default_factory=list)
    statuses: Counter[int] = field(default_factory=Counter)
    warm_requests: int = 0
    last_done: float = 0.0
    errors: list[str] = field(default_factory=list)

    def merge(self, other: LoadResult) -> None:
        self.latencies_ms.extend(other.latencies_ms)
        self.statuses.update(other.statuses)
        self.warm_requests += other.warm_requests
        self.last_done = max(self.last_done, other.last_done)
        self.errors.extend(other.errors[: 5 - len(self.errors)])


def _sender(plan: LoadPlan) -> tuple[Callable[[Cart], int], Callable[[], None]]:
    if plan.target == "emporos":
        conn = http.client.HTTPConnection("127.0.0.1", plan.port, timeout=60)
        return (lambda cart: quote_http(conn, cart, plan.api_key)[0]), conn.close
    database = psycopg.connect(plan.database_url, autocommit=True)

    def send(cart: Cart) -> int:
        quote_sql(database, cart)
        return 200

    return send, database.close


def _client_thread(plan: LoadPlan, offset: int, out: list[LoadResult]) -> None:
    result = LoadResult()
    out.append(result)
    try:
        send, close = _sender(plan)
    except (OSError, psycopg.Error) as exc:
        result.errors.append(f"connect: {exc}")
        return
    try:
        for number in range(100_000):  # warm-up: connections, prepared statements, the server's caches
            if time.monotonic() >= plan.start_at:
                break
            send(plan.carts[(offset + number) % len(plan.carts)])
            result.warm_requests += 1
        for number in range(max(1, plan.max_requests // plan.clients)):
            started = time.monotonic()
            if started >= plan.end_at:
                break
            try:
                status = send(plan.carts[(offset + number) % len(plan.carts)])
            except (OSError, http.client.HTTPException, psycopg.Error) as exc:
                status = 0
                result.errors.append(f"{type(exc).__name__}: {exc}")
            done = time.monotonic()
            result.latencies_ms.append((done - started) * 1000)
            result.statuses[status] += 1
            result.last_done = done
    except (OSError, http.client.HTTPException, psycopg.Error) as exc:
        result.errors.append(f"warm-up: {type(exc).__name__}: {exc}")
    finally:
        close()


def _client_process(plan: LoadPlan, first: int, threads: int, results: multiprocessing.Queue[Any]) -> None:
    out: list[LoadResult] = []
    workers = [
        threading.Thread(target=_client_thread, args=(plan, (first + index) * 997, out), daemon=True)
        for index in range(threads)
    ]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    merged = LoadResult()
    for result in out:
        merged.merge(result)
    results.put(merged)


@dataclass
class Level:
    target: str
    clients: int
    result: LoadResult
    elapsed: float
    cores: dict[str, float]

    @property
    def requests_per_second(self) -> float:
        return len(self.result.latencies_ms) / self.elapsed if self.elapsed > 0 else 0.0

    def p(self, fraction: float) -> float:
        return percentile(self.result.latencies_ms, fraction)


def run_level(
    *, base: dict[str, Any], clients: int, processes: int, seconds: float, warmup: float, server_group: int | None
) -> Level:
    start_at = time.monotonic() + 0.5 + warmup
    plan = LoadPlan(clients=clients, start_at=start_at, end_at=start_at + seconds, **base)
    processes = max(1, min(processes, clients))
    share = [clients // processes + (1 if index < clients % processes else 0) for index in range(processes)]
    context = multiprocessing.get_context("fork")
    results: multiprocessing.Queue[Any] = context.Queue()
    children = [
        context.Process(target=_client_process, args=(plan, sum(share[:index]), threads, results), daemon=True)
        for index, threads in enumerate(share)
    ]
    try:
        for child in children:
            child.start()
        time.sleep(max(0.0, plan.start_at - time.monotonic()))
        tracker = CpuTracker(server_group=server_group, client_pids=[c.pid for c in children if c.pid]).start()
        time.sleep(max(0.0, plan.end_at - time.monotonic()))
        cores = tracker.stop()
        merged = LoadResult()
        for _ in children:
            merged.merge(results.get(timeout=seconds + 120))
        for child in children:
            child.join(timeout=30)
    finally:
        for child in children:
            if child.is_alive():
                child.terminate()
    elapsed = max(merged.last_done - plan.start_at, 1e-9) if merged.latencies_ms else 0.0
    return Level(target=plan.target, clients=clients, result=merged, elapsed=elapsed, cores=cores)


def run_quotes(*, args: argparse.Namespace, url: str, api_key: str, carts: list[Cart]) -> tuple[list[Level], int]:
    """Emporos behind `emporos serve`, then the raw-SQL baseline, with the same clients and carts."""
    levels = []
    server = Server(
        url=url,
        port=args.port or free_port(),
        workers=args.workers,
        threads=args.threads,
        extra_env=parse_env_items(args.server_env),
    )
    try:
        with timed(f"start emporos serve on 127.0.0.1:{server.port} ({args.workers} workers x {args.threads} threads)"):
            server.start()
        with timed("compare 50 quotes: Emporos against the raw-SQL statement"):
            differ = compare_quotes(port=server.port, api_key=api_key, url=url, carts=carts[:50])
        base = {"target": "emporos", "max_requests": args.max_requests, "carts": carts, "port": server.port}
        levels.append(_level(base | {"api_key": api_key}, args=args, server_group=server.pid))
    finally:
        server.stop()
    base = {"target": "raw SQL", "max_requests": args.max_requests, "carts": carts, "database_url": url}
    levels.append(_level(base, args=args, server_group=None))
    return levels, differ


def _level(base: dict[str, Any], *, args: argparse.Namespace, server_group: int | None) -> Level:
    label = f"{base['target']} quotes, {args.clients} clients: {args.warmup:.0f} s warm-up + {args.seconds:.0f} s"
    print(f"{label} ...", end="", flush=True)
    level = run_level(
        base=base,
        clients=args.clients,
        processes=args.client_processes,
        seconds=args.seconds,
        warmup=args.warmup,
        server_group=server_group,
    )
    print(
        f" {level.requests_per_second:.0f} req/s, p50 {level.p(0.5):.1f} ms, p95 {level.p(0.95):.1f} ms "
        f"cores: {format_cores(level.cores)}",
        flush=True,
    )
    for error in level.result.errors:
        print(f"   error: {error}")
    return level


# --- profile -----------------------------------------------------------------------------------------


@contextlib.contextmanager
def profiled(title: str, out: list[str], *, count: int) -> Iterator[None]:
    profiler = cProfile.Profile()
    started = time.perf_counter()
    profiler.enable()
    try:
        yield
    finally:
        profiler.disable()
        seconds = time.perf_counter() - started
        text = io.StringIO()
        text.write(f"{title}: {seconds:.1f} s under cProfile, {seconds / count * 1000:.1f} ms per order or request\n")
        stats = pstats.Stats(profiler, stream=text).strip_dirs()
        stats.sort_stats("cumulative").print_stats(40)
        stats.sort_stats("tottime").print_stats(25)
        out.append(text.getvalue())


def profile_wave(*, rng: random.Random, skus: list[Sku], people: list[Person], count: int, after: dt.datetime) -> str:
    """A second wave of `count` orders under cProfile (the measured wave is never profiled)."""
    from emporos.core import clock

    with timed(f"place, confirm and plan {count} more orders for the profile"):
        place_and_plan(make_orders(rng, skus, people, count, tag="profile"))
    cutoff = max(next_minute(clock.now()), after + dt.timedelta(minutes=1))
    out: list[str] = []
    with profiled(f"a wave of {count} orders", out, count=count):
        run = run_wave(cutoff_at=cutoff, label=f"the profile's wave of {count} orders (under cProfile)")
    return "\n".join(
        [table(["step", "s", "queries/order"], [[s.name, s.seconds, s.queries / count] for s in run.steps]), *out]
    )


def profile_quotes(*, api_key: str, carts: list[Cart], count: int) -> str:
    """cProfile of `count` POST /api/v1/shipping/quote through Django's full stack, in this process."""
    from django.test import Client

    client = Client(headers={"Authorization": f"Bearer {api_key}"})
    for cart in carts[:20]:  # warm: URL resolver, schemas, connection
        client.post(QUOTE_PATH, data=cart.body, content_type="application/json")
    out: list[str] = []
    with profiled(f"{count} quotes in process", out, count=count):
        for number in range(count):
            response = client.post(QUOTE_PATH, data=carts[number % len(carts)].body, content_type="application/json")
            if response.status_code != 200:
                raise RuntimeError(f"quote {number}: {response.status_code} {response.content[:300]!r}")
    return out[0]


# --- the run -----------------------------------------------------------------------------------------


def next_minute(moment: dt.datetime) -> dt.datetime:
    return moment.replace(second=0, microsecond=0) + dt.timedelta(minutes=1)


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=DEFAULT_URL, help="dropped and created again (default %(default)s)")
    parser.add_argument("--orders", type=int, default=2000, help="orders in the wave (default %(default)s)")
    parser.add_argument("--seconds", type=float, default=10.0, help="measured seconds of quotes (default %(default)s)")
    parser.add_argument("--warmup", type=float, default=2.0, help="unmeasured seconds first (default %(default)s)")
    parser.add_argument("--clients", type=int, default=8, help="concurrent quote clients (default %(default)s)")
    parser.add_argument(
        "--client-processes", type=int, default=2, help="load-generator processes (default %(default)s)"
    )
    parser.add_argument("--workers", type=int, default=2, help="gunicorn worker processes (default %(default)s)")
    parser.add_argument("--threads", type=int, default=4, help="threads per worker (default %(default)s)")
    parser.add_argument("--max-requests", type=int, default=200_000, help="cap per quote level (default %(default)s)")
    parser.add_argument("--port", type=int, default=0, help="server port (default: a free one)")
    parser.add_argument(
        "--server-env",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="extra environment of the server only, to try a setting (repeatable)",
    )
    parser.add_argument("--skip-wave", action="store_true", help="only the quotes")
    parser.add_argument("--skip-quote", action="store_true", help="only the wave")
    parser.add_argument(
        "--profile", type=int, default=0, metavar="N", help="also cProfile a second wave of N orders and N quotes"
    )
    parser.add_argument("--seed", type=int, default=20261201, help="of the generated data (default %(default)s)")
    args = parser.parse_args(argv)
    if not 1 <= args.orders <= 20_000 or not 0 < args.seconds <= 120 or not 1 <= args.clients <= 64:
        parser.error("--orders from 1 to 20000, --seconds from 0 to 120, --clients from 1 to 64.")
    if args.skip_wave and args.skip_quote:
        parser.error("--skip-wave and --skip-quote together leave nothing to measure.")
    return args


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    url = fresh_database(args.database_url, title="Fulfillment benchmark")
    setup_django(url)
    rng = random.Random(args.seed)
    skus = make_skus()
    with timed(f"catalog ({len(skus)} SKUs in 2 locations with bins), zones, methods, packaging, API key"):
        api_key = load_shop(skus, rng)
    people = make_people(rng, max(200, args.orders * 3 // 4))
    carts = make_carts(rng, skus, 5000)

    verdicts: list[tuple[str, bool]] = []
    wave_report: list[str] = []
    cutoff = None
    if not args.skip_wave:
        drafts = make_orders(rng, skus, people, args.orders, tag="wave")
        with timed(f"place, confirm and plan {args.orders} orders (not measured)"):
            place_and_plan(drafts)
        from emporos.core import clock

        cutoff = next_minute(clock.now())
        warm_renderers()
        run = run_wave(cutoff_at=cutoff, label=f"the wave of {args.orders} orders at {cutoff:%H:%M} UTC")
        baseline, _pdfs = render_baseline(run.inputs)
        checks = check_wave(url, run, args.orders)
        wave_report, wave_verdicts = report_wave(run, baseline, checks)
        verdicts += wave_verdicts

    profile_text = []
    if args.profile and not args.skip_wave:
        from emporos.core import clock

        profile_text.append(
            profile_wave(rng=rng, skus=skus, people=people, count=args.profile, after=cutoff or clock.now())
        )
    if args.profile and not args.skip_quote:
        with timed(f"cProfile of {args.profile} quotes in process"):
            profile_text.append(profile_quotes(api_key=api_key, carts=carts, count=args.profile))
    close_django_connections()

    quote_report: list[str] = []
    if not args.skip_quote:
        levels, differ = run_quotes(args=args, url=url, api_key=api_key, carts=carts)
        quote_report, quote_verdicts = report_quotes(levels, differ, args=args)
        verdicts += quote_verdicts

    for text in wave_report + quote_report:
        print(text)
    for text in profile_text:
        heading("Profile")
        print(text)
    heading("Targets")
    for text, ok in verdicts:
        print(f"{verdict(ok)}  {text}")
    return 0 if verdicts and all(ok for _, ok in verdicts) else 1


def report_wave(
    run: WaveRun, baseline: list[Step], checks: list[tuple[str, bool]]
) -> tuple[list[str], list[tuple[str, bool]]]:
    orders = run.orders
    headers = ["step", "s", "orders/s", "rendering s", "queries/order", "app ms/order", "pg ms/order", "other cores"]

    def row(step: Step) -> list[object]:
        return [
            step.name,
            step.seconds,
            orders / step.seconds if step.seconds else float("nan"),
            step.rendering,
            step.queries / orders,
            step.cores["clients"] * step.seconds / orders * 1000,
            step.cores["postgres"] * step.seconds / orders * 1000,
            step.cores["other"],
        ]

    def total(name: str, steps: list[Step]) -> Step:
        seconds = sum(step.seconds for step in steps)
        cores = {
            group: sum(step.cores[group] * step.seconds for step in steps) / seconds
            for group in ("clients", "postgres", "other")
        }
        return Step(name, seconds, sum(step.rendering for step in steps), cores, sum(step.queries for step in steps))

    emporos, raw = total("whole wave", run.steps), total("all three renderers", baseline)
    ratio = (orders / emporos.seconds) / (orders / raw.seconds)
    text = [
        "",
        f"== Wave: {orders} orders ({run.fulfillment_orders} fulfillment orders), in process ==",
        table(headers, [row(step) for step in run.steps] + [row(emporos)]),
        "",
        "Baseline: the same PDFs from the same values, renderers only (no database)",
        table(headers, [row(step) for step in baseline] + [row(raw)]),
        "",
        f"Emporos {orders / emporos.seconds:.1f} orders/s, baseline {orders / raw.seconds:.1f} orders/s: "
        f"ratio {ratio:.0%}; rendering is {emporos.rendering / emporos.seconds:.0%} of the wave's time "
        f"(app ms/order counts this process's CPU, pg ms/order PostgreSQL's)",
    ]
    busy = [step.name for step in run.steps + baseline if step.cores["other"] > 0.2]
    if busy:
        text.append(f"WARNING: other work took more than 0.2 cores during: {', '.join(busy)}; run again when quiet.")
    text += ["", "== Checks after the wave =="] + [f"{verdict(ok)}  {name}" for name, ok in checks]
    verdicts = [(f"wave: Emporos >= {WAVE_TARGET:.0%} of the renderers' orders/s ({ratio:.0%})", ratio >= WAVE_TARGET)]
    verdicts.append(
        (f"wave: every check after it ({sum(ok for _, ok in checks)} of {len(checks)})", all(ok for _, ok in checks))
    )
    return text, verdicts


def report_quotes(
    levels: list[Level], differ: int, *, args: argparse.Namespace
) -> tuple[list[str], list[tuple[str, bool]]]:
    app, raw = levels
    headers = [
        "target",
        "clients",
        "req/s",
        "p50",
        "p95",
        "p99",
        "200",
        "other",
        "server",
        "postgres",
        "load gen",
        "other cores",
    ]
    rows = [
        [
            level.target,
            level.clients,
            level.requests_per_second,
            level.p(0.5),
            level.p(0.95),
            level.p(0.99),
            level.result.statuses[200],
            sum(count for status, count in level.result.statuses.items() if status != 200),
            level.cores["server"],
            level.cores["postgres"],
            level.cores["clients"],
            level.cores["other"],
        ]
        for level in levels
    ]
    ratio = app.p(0.95) / raw.p(0.95) if raw.p(0.95) else float("inf")
    failed = sum(count for level in levels for status, count in level.result.statuses.items() if status != 200)
    text = [
        "",
        f"== Quotes: POST {QUOTE_PATH}, {args.clients} keep-alive clients, {args.seconds:.0f} s (latency in ms) ==",
        table(headers, rows),
        "",
        f"p95 Emporos / raw SQL: {ratio:.1f}x; p95 below {QUOTE_P95_MS:.0f} ms (printed only, machines vary): "
        f"{'yes' if app.p(0.95) < QUOTE_P95_MS else 'no'} ({app.p(0.95):.1f} ms)",
    ]
    if any(level.cores["other"] > 0.2 for level in levels):
        text.append("WARNING: other work took more than 0.2 cores during the quotes; run again when quiet.")
    verdicts = [
        (f"quotes: Emporos p95 <= {QUOTE_TARGET:.0f}x the raw-SQL p95 ({ratio:.1f}x)", ratio <= QUOTE_TARGET),
        (f"quotes: every answer a 200 ({failed} not)", failed == 0),
        (f"quotes: the baseline prices 50 carts as Emporos does ({differ} differ)", differ == 0),
    ]
    return text, verdicts


if __name__ == "__main__":
    try:
        sys.exit(main())
    except KeyboardInterrupt:
        print("\ninterrupted; the server was stopped", file=sys.stderr)
        sys.exit(130)
    except queue.Empty:
        print("a load generator did not report back in time", file=sys.stderr)
        sys.exit(1)
    finally:
        with contextlib.suppress(Exception):
            close_django_connections()
