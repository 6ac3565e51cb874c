"""The order desk on a big shop: the API's order list and queue, and the staff pages, over 1,000,000 orders.

Run (about 3 minutes the first time, with the data; then about 1.5 minutes; 2 cores):

    .venv/bin/python bench/order_desk.py
    .venv/bin/python bench/order_desk.py --requests 50 --regenerate

It generates (or reuses) a PostgreSQL database with 1,000,000 orders of 200,000 customers over two
years: about 98% completed or cancelled, a few thousand waiting (placed, confirmed, processing, on
hold) with their due times in working hours and the overdue ones flagged by the real
`flag_overdue_orders` service, so `queue_rank` and `due_by` agree with the application. Then it
starts `emporos serve` and times, with one sequential keep-alive client, each single filter of the
order list, free-text search by number, e-mail, phone and name, the unfiltered list, follow-up
pages and the queue; then the staff web pages (signed in as an owner): the queue, the orders list
filtered by payment status and a date range, the unfiltered list, an order page and the home page
(the dashboard: today's orders and sales, the waiting counts, 30 days of orders per day). The baseline in the same run: the very SQL statements each request ran
(captured from Django), timed straight through psycopg, so the application's share is visible.
Also search as staff type it (a national phone with spaces, a Polish name without its letters),
the orders page sorted by each column it offers with its count, and the CSV export of 100,000
orders against 10,000 through one worker, whose peak memory must not grow with the rows.
Targets: p95 < 50 ms for each API request kind, < 150 ms for each page; the export's memory flat.
"""

from __future__ import annotations

import argparse
import datetime as dt
import http.client
import json
import os
import random
import sys
import time
import uuid
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import psycopg
from _common import (
    CpuTracker,
    Server,
    background_load,
    check_local,
    close_django_connections,
    database_exists,
    free_port,
    heading,
    migrate,
    parse_env_items,
    percentile,
    recreate_database,
    setup_django,
    stop_on_sigterm,
    table,
    timed,
    verdict,
    warn_if_busy,
)

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/emporos_desk"
ORDERS = 1_000_000
CUSTOMERS = 200_000
LOYAL_SHARE = 20  # a fifth of the orders come from the first twentieth of the customers
TARGET_P95_MS = 50.0
PAGE_TARGET_P95_MS = 150.0  # a whole staff page: queries, template and layout
GENERATOR_VERSION = "emporos-desk-1"

# (display name, ASCII form for the e-mail address) per country: Greece, Poland, Israel, Britain.
NAMES: dict[str, tuple[list[tuple[str, str]], list[tuple[str, str]]]] = {
    "GR": (
        [
            ("Μαρία", "maria"),
            ("Γιώργος", "giorgos"),
            ("Ελένη", "eleni"),
            ("Νίκος", "nikos"),
            ("Κατερίνα", "katerina"),
            ("Δημήτρης", "dimitris"),
            ("Σοφία", "sofia"),
            ("Κώστας", "kostas"),
            ("Άννα", "anna"),
            ("Γιάννης", "giannis"),
            ("Βασιλική", "vasiliki"),
            ("Παναγιώτης", "panagiotis"),
            ("Χριστίνα", "christina"),
            ("Αλέξανδρος", "alexandros"),
            ("Ιωάννα", "ioanna"),
            ("Θανάσης", "thanasis"),
        ],
        [
            ("Παπαδοπούλου", "papadopoulou"),
            ("Παπαδόπουλος", "papadopoulos"),
            ("Οικονόμου", "oikonomou"),
            ("Γεωργίου", "georgiou"),
            ("Νικολάου", "nikolaou"),
            ("Ιωάννου", "ioannou"),
            ("Βασιλείου", "vasileiou"),
            ("Αθανασίου", "athanasiou"),
            ("Πετρίδης", "petridis"),
            ("Κωνσταντίνου", "konstantinou"),
            ("Δημητρίου", "dimitriou"),
            ("Μακρής", "makris"),
            ("Αντωνίου", "antoniou"),
            ("Χατζής", "chatzis"),
            ("Καραγιάννη", "karagianni"),
            ("Σταυρόπουλος", "stavropoulos"),
            ("Λαμπράκης", "lamprakis"),
            ("Ζαχαρίου", "zachariou"),
            ("Μιχαηλίδου", "michailidou"),
            ("Τσακίρης", "tsakiris"),
        ],
    ),
    "PL": (
        [
            ("Anna", "anna"),
            ("Piotr", "piotr"),
            ("Katarzyna", "katarzyna"),
            ("Łukasz", "lukasz"),
            ("Małgorzata", "malgorzata"),
            ("Krzysztof", "krzysztof"),
            ("Agnieszka", "agnieszka"),
            ("Tomasz", "tomasz"),
            ("Zofia", "zofia"),
            ("Paweł", "pawel"),
        ],
        [
            ("Kowalski", "kowalski"),
            ("Nowak", "nowak"),
            ("Wiśniewska", "wisniewska"),
            ("Wójcik", "wojcik"),
            ("Kowalczyk", "kowalczyk"),
            ("Kamińska", "kaminska"),
            ("Lewandowski", "lewandowski"),
            ("Zielińska", "zielinska"),
            ("Szymański", "szymanski"),
            ("Woźniak", "wozniak"),
            ("Dąbrowska", "dabrowska"),
            ("Kozłowski", "kozlowski"),
        ],
    ),
    "IL": (
        [("נועה", "noa"), ("יוסף", "yosef"), ("שרה", "sarah"), ("דוד", "david"), ("מיכל", "michal"), ("אורי", "uri")],
        [
            ("כהן", "cohen"),
            ("לוי", "levi"),
            ("מזרחי", "mizrahi"),
            ("פרץ", "peretz"),
            ("ביטון", "biton"),
            ("דהן", "dahan"),
        ],
    ),
    "GB": (
        [("Emma", "emma"), ("Oliver", "oliver"), ("Amelia", "amelia"), ("George", "george"), ("Isla", "isla")],
        [("Smith", "smith"), ("Jones", "jones"), ("Taylor", "taylor"), ("Brown", "brown"), ("Williams", "williams")],
    ),
}
DOMAINS = ["example.gr", "example.com", "example.pl", "example.co.il", "mail.example.org"]
LANGUAGE = {"GR": "el", "PL": "pl", "IL": "he", "GB": "en"}
PHONE_PREFIX = {"GR": ("+3069", 8), "PL": ("+4850", 7), "IL": ("+97254", 7), "GB": ("+447911", 6)}


def country_of(customer_id: int) -> str:
    """Also written in SQL below: 60% Greece, 25% Poland, 10% Israel, 5% Britain."""
    slot = customer_id % 20
    return "GR" if slot < 12 else "PL" if slot < 17 else "IL" if slot < 19 else "GB"


# Doubled percent signs: the statements below go through psycopg with parameters.
COUNTRY_SQL = (
    "CASE WHEN {id} %% 20 < 12 THEN 'GR' WHEN {id} %% 20 < 17 THEN 'PL' WHEN {id} %% 20 < 19 THEN 'IL' ELSE 'GB' END"
)


def _weighted(column: str, choices: Sequence[tuple[str, float]]) -> str:
    """A CASE picking a value by a uniform random column, with the given shares."""
    parts, edge = [], 0.0
    for value, share in choices[:-1]:
        edge += share
        parts.append(f"WHEN {column} < {edge:.4f} THEN '{value}'")
    return f"CASE {' '.join(parts)} ELSE '{choices[-1][0]}' END"


METHODS = [
    ("card", 0.55),
    ("cash_on_delivery", 0.15),
    ("paypal", 0.12),
    ("bank_transfer", 0.06),
    ("blik", 0.05),
    ("bit", 0.03),
    ("gift_card", 0.02),
    ("other", 0.02),
]
CHANNELS = [("web", 0.62), ("app", 0.14), ("skroutz", 0.10), ("amazon", 0.06), ("allegro", 0.05), ("pos", 0.03)]
SHIPPING = [
    ("courier-standard", 0.50),
    ("courier-express", 0.14),
    ("boxnow-locker", 0.16),
    ("store-pickup", 0.08),
    ("acs-pickup", 0.07),
    ("", 0.05),
]
WAITING = ["placed", "confirmed", "processing"]
STATUSES = ["placed", "confirmed", "processing", "on_hold", "completed", "cancelled"]
PAYMENT_STATUSES = ["pending", "authorized", "paid", "partially_refunded", "refunded", "voided"]
FULFILLMENT_STATUSES = ["unfulfilled", "partially_shipped", "shipped", "delivered", "partially_returned", "returned"]

ORDERS_SQL = f"""
WITH base AS MATERIALIZED (
    SELECT g AS id, random() AS r_status, random() AS r_kind, random() AS r_pay, random() AS r_method,
           random() AS r_channel, random() AS r_ship, random() AS r_loyal, random() AS r_customer,
           random() AS r_amount, random() AS r_ful,
           %(start)s::timestamptz + (g - 1 + random()) * %(step)s::interval AS placed_at
    FROM generate_series(1, %(orders)s) AS g
), shaped AS MATERIALIZED (
    SELECT b.*,
           CASE WHEN b.r_loyal < 0.2 THEN 1 + floor(b.r_customer * %(loyal)s)
                ELSE 1 + floor(b.r_customer * %(customers)s) END::bigint AS customer_id,
           {_weighted("b.r_method", METHODS)} AS payment_method,
           {_weighted("b.r_channel", CHANNELS)} AS channel,
           {_weighted("b.r_ship", SHIPPING)} AS shipping_method,
           CASE WHEN b.r_status < CASE WHEN b.placed_at > %(now)s - interval '1 day' THEN 0.9
                                       WHEN b.placed_at > %(now)s - interval '3 days' THEN 0.5
                                       WHEN b.placed_at > %(now)s - interval '7 days' THEN 0.08
                                       ELSE 0.0008 END
                THEN CASE WHEN b.placed_at < %(now)s - interval '7 days' THEN 'on_hold'
                          ELSE {_weighted("b.r_kind", [("placed", 0.4), ("confirmed", 0.25), ("processing", 0.25), ("on_hold", 0.1)])} END
                ELSE CASE WHEN b.r_kind < 0.07 THEN 'cancelled' ELSE 'completed' END
           END AS status,
           round((8 + b.r_amount * b.r_amount * 300)::numeric, 2) AS subtotal
    FROM base b
), paid AS MATERIALIZED (
    SELECT s.*,
           CASE
               WHEN s.status = 'completed' THEN
                   CASE WHEN s.payment_method = 'cash_on_delivery' OR s.r_pay < 0.92 THEN 'paid'
                        WHEN s.r_pay < 0.96 THEN 'partially_refunded' ELSE 'refunded' END
               WHEN s.status = 'cancelled' THEN
                   CASE WHEN s.r_pay < 0.55 THEN 'voided' WHEN s.r_pay < 0.9 THEN 'refunded' ELSE 'pending' END
               WHEN s.payment_method = 'cash_on_delivery' THEN 'pending'
               WHEN s.payment_method = 'bank_transfer' THEN CASE WHEN s.r_pay < 0.6 THEN 'pending' ELSE 'paid' END
               ELSE CASE WHEN s.r_pay < 0.8 THEN 'paid' ELSE 'authorized' END
           END AS payment_status,
           CASE WHEN s.subtotal >= 60 OR s.shipping_method = '' THEN 0 ELSE 3.50 END::numeric AS shipping_price,
           CASE WHEN s.id %% 33 = 0 THEN 2.00 ELSE 0 END::numeric AS gift_wrap_price
    FROM shaped s
)
INSERT INTO orders_order (
    id, number, channel, currency, customer_id, status, held_from_status, hold_reason, cancel_reason,
    payment_status, payment_method, amount_paid, fulfillment_status, shipping_method, is_express,
    shipping_address, billing_address, subtotal, shipping_price, gift_wrap_price, tax_total, total,
    customer_note, gift_wrap, gift_message, has_waiting_lines, placed_at, created_at, updated_at,
    verified_at, due_by, overdue_flagged_at, queue_rank, idempotency_key, request_fingerprint, external_reference,
    discount_total, coupon_code)
SELECT
    p.id, 10000 + p.id, p.channel,
    CASE {COUNTRY_SQL.format(id="c.id")} WHEN 'PL' THEN 'PLN' WHEN 'IL' THEN 'ILS' ELSE 'EUR' END,
    c.id, p.status,
    CASE WHEN p.status = 'on_hold' THEN CASE WHEN p.r_ful < 0.5 THEN 'placed' ELSE 'confirmed' END ELSE '' END,
    CASE WHEN p.status = 'on_hold' THEN 'Address to be checked with the customer' ELSE '' END,
    CASE WHEN p.status = 'cancelled'
         THEN (ARRAY['Customer asked to cancel', 'Payment failed', 'Suspected fraud', 'Out of stock'])[1 + floor(p.r_ful * 4)::int]
         ELSE '' END,
    p.payment_status, p.payment_method,
    CASE WHEN p.payment_status IN ('paid', 'partially_refunded', 'refunded')
         THEN p.subtotal + p.shipping_price + p.gift_wrap_price ELSE 0 END,
    CASE
        WHEN p.status = 'completed' THEN
            CASE WHEN p.payment_status = 'refunded' THEN 'returned'
                 WHEN p.payment_status = 'partially_refunded' THEN 'partially_returned'
                 WHEN p.r_ful < 0.95 THEN 'delivered' ELSE 'shipped' END
        WHEN p.status = 'processing' AND p.r_ful < 0.2 THEN 'partially_shipped'
        ELSE 'unfulfilled'
    END,
    p.shipping_method, p.shipping_method LIKE '%%express%%',
    CASE WHEN p.shipping_method = '' THEN NULL ELSE jsonb_strip_nulls(jsonb_build_object(
        'name', c.name, 'line1', 'Odos ' || (p.id %% 180 + 1), 'city',
        CASE {COUNTRY_SQL.format(id="c.id")} WHEN 'PL' THEN 'Warszawa' WHEN 'IL' THEN 'Tel Aviv'
             WHEN 'GB' THEN 'London' ELSE 'Athina' END,
        'postal_code', lpad((p.id %% 90000 + 10000)::text, 5, '0'),
        'country', {COUNTRY_SQL.format(id="c.id")}, 'phone', nullif(c.phone, ''))) END,
    NULL, p.subtotal, p.shipping_price, p.gift_wrap_price, round(p.subtotal * 24 / 124, 2),
    p.subtotal + p.shipping_price + p.gift_wrap_price,
    CASE WHEN p.id %% 19 = 0 THEN 'Please call before delivery' ELSE '' END,
    p.id %% 33 = 0, CASE WHEN p.id %% 33 = 0 THEN 'Happy birthday!' ELSE '' END,
    p.id %% 97 = 0, p.placed_at, p.placed_at + interval '2 seconds',
    least(%(now)s, p.placed_at + CASE WHEN p.status IN ('completed', 'cancelled') THEN interval '3 days'
                                     ELSE interval '10 minutes' END),
    CASE WHEN p.payment_method = 'cash_on_delivery' AND p.status IN ('confirmed', 'processing', 'completed')
         THEN least(%(now)s, p.placed_at + interval '2 hours') END,
    p.placed_at + interval '4 hours', NULL,
    4 + CASE WHEN p.shipping_method LIKE '%%express%%' THEN 0 ELSE 2 END
      + CASE WHEN p.payment_status IN ('paid', 'authorized')
               OR (p.payment_method = 'cash_on_delivery' AND p.payment_status = 'pending') THEN 0 ELSE 1 END,
    'gen-' || p.id, md5(p.id::text) || md5((p.id + 1)::text),
    CASE WHEN p.channel IN ('skroutz', 'amazon', 'allegro') THEN upper(left(p.channel, 3)) || '-' || (7000000 + p.id) END,
    0, ''
FROM paid p
JOIN customers_customer c ON c.id = p.customer_id
"""


# --- generation ---------------------------------------------------------------------------------------


def _secondary_indexes(conn: psycopg.Connection[Any], tables: list[str]) -> list[tuple[str, str]]:
    """(name, definition) of the indexes that back no constraint: dropped for the load, built after."""
    rows = conn.execute(
        """
        SELECT i.relname, pg_get_indexdef(x.indexrelid)
        FROM pg_index x
        JOIN pg_class i ON i.oid = x.indexrelid
        JOIN pg_class t ON t.oid = x.indrelid
        WHERE t.relname = ANY(%s) AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = x.indexrelid)
        ORDER BY i.relname
        """,
        [tables],
    ).fetchall()
    return [(str(name), str(definition)) for name, definition in rows]


def _customers(rng: random.Random, count: int, now: dt.datetime) -> Iterator[tuple[Any, ...]]:
    """Customer rows for COPY: names in their own script, search forms as the application makes them."""
    import phonenumbers

    from emporos.core.text import search_form

    for customer_id in range(1, count + 1):
        country = country_of(customer_id)
        firsts, lasts = NAMES[country]
        first, first_ascii = rng.choice(firsts)
        last, last_ascii = rng.choice(lasts)
        name = f"{first} {last}"
        phone = ""
        if rng.random() < 0.9:
            prefix, digits = PHONE_PREFIX[country]
            for _ in range(5):
                phone = prefix + "".join(rng.choice("0123456789") for _ in range(digits))
                if phonenumbers.is_valid_number(phonenumbers.parse(phone)):
                    break
        email = f"{first_ascii}.{last_ascii}{customer_id}@{DOMAINS[customer_id % len(DOMAINS)]}"
        created = now - dt.timedelta(days=730 * rng.random() + 1)
        yield (
            customer_id,
            uuid.UUID(int=rng.getrandbits(128), version=4),
            email,
            name,
            phone,
            LANGUAGE[country],
            search_form(name),
            created,
            created,
        )


def generate(url: str, *, orders: int, customers: int, seed: int) -> None:
    recreate_database(url)
    with timed("  emporos migrate"):
        migrate(url)
    setup_django(url)
    now = dt.datetime.now(dt.UTC).replace(microsecond=0) - dt.timedelta(minutes=2)
    start = now - dt.timedelta(days=730)
    rng = random.Random(seed)
    with psycopg.connect(url) as conn:
        conn.execute("SET maintenance_work_mem = '512MB'")
        conn.execute("SET work_mem = '256MB'")
        conn.execute("SET synchronous_commit = off")
        # Foreign-key triggers off for the load: every row is consistent by construction.
        conn.execute("SET session_replication_role = replica")
        conn.execute("SELECT setseed(%s)", [rng.random() * 2 - 1])
        indexes = _secondary_indexes(conn, ["orders_order", "customers_customer"])
        for name, _ in indexes:
            conn.execute(f'DROP INDEX "{name}"')
        with (
            timed(f"  {customers:,} customers (COPY)"),
            conn.cursor().copy(
                "COPY customers_customer (id, public_id, email, name, phone, language, search_name, created_at, "
                "updated_at) FROM STDIN"
            ) as copy,
        ):
            for row in _customers(rng, customers, now):
                copy.write_row(row)
        with timed(f"  {orders:,} orders (INSERT ... SELECT generate_series)"):
            conn.execute(
                ORDERS_SQL,
                {
                    "start": start,
                    "step": dt.timedelta(days=730) / orders,
                    "orders": orders,
                    "customers": customers,
                    "loyal": max(1, customers // LOYAL_SHARE),
                    "now": now,
                },
            )
        with timed(f"  {len(indexes)} indexes"):
            for _, definition in indexes:
                conn.execute(definition)
        for table_name in ("orders_order", "customers_customer"):
            conn.execute(
                f"SELECT setval(pg_get_serial_sequence('{table_name}', 'id'), (SELECT max(id) FROM {table_name}))"
            )
        conn.execute("SELECT setval('orders_order_number_seq', (SELECT max(number) FROM orders_order))")
        conn.commit()
    with timed("  due times in working hours for the open orders"):
        set_due_times()
    close_django_connections()


def set_due_times() -> None:
    """Open orders get `due_by` from the shop's business hours, as intake gives it, and their rank."""
    from django.db import connection, transaction

    from emporos.orders.models import Order
    from emporos.orders.states import is_ready_to_ship, queue_rank
    from emporos.shop import selectors as shop

    hours = shop.business_hours()
    allowance = shop.current().overdue_hours
    rows = list(
        Order.objects.filter(status__in=[*WAITING, "on_hold"]).values_list(
            "id", "placed_at", "is_express", "payment_status", "payment_method"
        )
    )
    ids, dues, ranks = [], [], []
    for order_id, placed_at, is_express, payment_status, payment_method in rows:
        ids.append(order_id)
        dues.append(hours.add_working_time(placed_at, allowance))
        ready = is_ready_to_ship(payment_status=payment_status, payment_method=payment_method)
        ranks.append(queue_rank(is_overdue=False, is_express=is_express, ready_to_ship=ready))
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "UPDATE orders_order o SET due_by = v.due_by, queue_rank = v.rank, overdue_flagged_at = NULL "
            "FROM unnest(%s::bigint[], %s::timestamptz[], %s::int[]) AS v(id, due_by, rank) WHERE o.id = v.id",
            [ids, dues, ranks],
        )


def flag_overdue() -> int:
    """The worker's job, as it would have run: every open order past its due time flagged once."""
    from emporos.orders.services import flag_overdue_orders

    flagged = 0
    for _ in range(1000):
        done = flag_overdue_orders(limit=500)
        flagged += done
        if done == 0:
            break
    return flagged


def prepare_database(url: str, *, regenerate: bool, orders: int, customers: int, seed: int) -> None:
    reuse = False
    if not regenerate and database_exists(url):
        with psycopg.connect(url) as conn:
            try:
                found = conn.execute(
                    "SELECT (SELECT count(*) FROM orders_order), (SELECT count(*) FROM customers_customer)"
                ).fetchone()
                reuse = found == (orders, customers)
            except psycopg.Error:
                reuse = False
    if reuse:
        print(f"reusing {url}: {orders:,} orders of {customers:,} customers (--regenerate to rebuild)")
        with timed("emporos migrate"):
            migrate(url)
        setup_django(url)
    else:
        print(f"generating {url}: {orders:,} orders of {customers:,} customers")
        generate(url, orders=orders, customers=customers, seed=seed)
        setup_django(url)
    with timed("flag overdue orders (orders.services.flag_overdue_orders)"):
        flagged = flag_overdue()
    print(f"  {flagged} newly overdue")
    with psycopg.connect(url, autocommit=True) as conn:
        with timed("VACUUM ANALYZE"):
            conn.execute("VACUUM (ANALYZE) orders_order")
            conn.execute("VACUUM (ANALYZE) customers_customer")
        summary = conn.execute(
            "SELECT status, count(*) FROM orders_order GROUP BY status ORDER BY count(*) DESC"
        ).fetchall()
    print("orders by status: " + ", ".join(f"{status} {count:,}" for status, count in summary))


# --- what is asked ------------------------------------------------------------------------------------


@dataclass
class Case:
    name: str
    paths: list[str]
    follow: str = ""  # "orders" or "queue": each request takes the cursor the previous one returned
    latencies_ms: list[float] = field(default_factory=list)
    rows: list[int] = field(default_factory=list)
    used_paths: list[str] = field(default_factory=list)
    sql_ms: list[float] = field(default_factory=list)
    statements: int = 0
    slowest_sql: list[str] = field(default_factory=list)
    other_cores: float = 0.0  # other work on the machine while the case ran
    page: bool = False  # a staff web page (HTML, signed in), not an API call

    @property
    def target_ms(self) -> float:
        return PAGE_TARGET_P95_MS if self.page else TARGET_P95_MS

    def p(self, fraction: float) -> float:
        return percentile(self.latencies_ms, fraction)

    def sql_p(self, fraction: float) -> float:
        return percentile(self.sql_ms, fraction)


def _cycle(values: Sequence[Any], count: int) -> list[Any]:
    return [values[index % len(values)] for index in range(count)]


def _list(**params: Any) -> str:
    return "/api/v1/orders?" + urlencode(params)


def build_cases(url: str, *, count: int, seed: int) -> list[Case]:
    from emporos.core.text import search_form

    rng = random.Random(seed + 1)
    with psycopg.connect(url) as conn:
        lowest, highest, oldest, newest = conn.execute(
            "SELECT min(number), max(number), min(placed_at), max(placed_at) FROM orders_order"
        ).fetchone()  # type: ignore[misc]
        sample = conn.execute(
            "SELECT c.email, c.phone FROM customers_customer c TABLESAMPLE SYSTEM (2) REPEATABLE (7) "
            "WHERE c.phone <> '' AND EXISTS (SELECT 1 FROM orders_order o WHERE o.customer_id = c.id) LIMIT %s",
            [count],
        ).fetchall()
    emails = [email for email, _ in sample]
    phones = [phone for _, phone in sample]
    fragments = []
    for _ in range(count):
        firsts, lasts = NAMES[rng.choice(["GR", "GR", "GR", "PL", "PL", "IL", "GB"])]
        last = search_form(rng.choice(lasts)[0])
        if rng.random() < 0.25:
            fragments.append(f"{search_form(rng.choice(firsts)[0])} {last[:3]}")
        else:
            begin = rng.randrange(max(1, len(last) - 4))
            fragments.append(last[begin : begin + rng.randint(4, 6)])
    span = (newest - oldest).total_seconds()
    ranges = []
    for _ in range(count):
        since = oldest + dt.timedelta(seconds=rng.random() * span)
        until = since + dt.timedelta(days=rng.randint(1, 31))
        ranges.append({"placed_from": _iso(since), "placed_to": _iso(until)})

    return [
        Case("unfiltered", _cycle([_list()], count)),
        Case("status", [_list(status=value) for value in _cycle(STATUSES, count)]),
        Case("payment_status", [_list(payment_status=value) for value in _cycle(PAYMENT_STATUSES, count)]),
        Case("fulfillment_status", [_list(fulfillment_status=value) for value in _cycle(FULFILLMENT_STATUSES, count)]),
        Case("payment_method", [_list(payment_method=value) for value, _ in _cycle(METHODS, count)]),
        Case("channel", [_list(channel=value) for value, _ in _cycle(CHANNELS, count)]),
        Case("shipping_method", [_list(shipping_method=value) for value, _ in _cycle(SHIPPING[:-1], count)]),
        Case("placed_from+placed_to", [_list(**window) for window in ranges]),
        Case("overdue=true", _cycle([_list(overdue="true")], count)),
        Case("q=order number", [_list(q=f"EM-{rng.randint(lowest, highest)}") for _ in range(count)]),
        Case("q=e-mail", [_list(q=email) for email in _cycle(emails, count)]),
        Case("q=phone", [_list(q=phone) for phone in _cycle(phones, count)]),
        Case("q=name fragment", [_list(q=fragment) for fragment in fragments]),
        Case("next page (cursor)", _cycle([_list()], count), follow="orders"),
        Case("queue", _cycle(["/api/v1/orders/queue"], count)),
        Case("queue next page", _cycle(["/api/v1/orders/queue"], count), follow="queue"),
        Case("page: queue", _cycle(["/queue/"], count), page=True),
        Case(
            "page: orders, payment status + dates",
            [
                "/orders/?"
                + urlencode(
                    {"payment_status": status, "from": window["placed_from"][:10], "to": window["placed_to"][:10]}
                )
                for status, window in zip(_cycle(PAYMENT_STATUSES, count), ranges, strict=True)
            ],
            page=True,
        ),
        Case("page: orders, unfiltered", _cycle(["/orders/"], count), page=True),
        # Sorted by each column, with the count above the table (LIMIT 10001) and 100 a page.
        *[
            Case(f"page: orders, sort={sort}", _cycle([f"/orders/?sort={sort}&per_page=100"], count), page=True)
            for sort in ("-total", "due", "-number", "customer", "status")
        ],
        Case(
            "page: orders, express + channel, by total",
            [f"/orders/?express=yes&channel={value}&sort=-total" for value, _ in _cycle(CHANNELS, count)],
            page=True,
        ),
        Case("page: order", [f"/orders/EM-{rng.randint(lowest, highest)}/" for _ in range(count)], page=True),
    ]


# Polish names of NAMES as typed on a keyboard without their letters.
WITHOUT_DIACRITICS = ("kozlowski", "lukasz", "malgorzata", "pawel", "wisniewska", "dabrowska")


def typed_search_cases(url: str, *, count: int, seed: int) -> list[Case]:
    """Search as staff type it: a phone in its national format with spaces (no country code), and
    a name written without its letters like ł and ś ("kozlowski" for Kozłowski)."""
    import phonenumbers

    rng = random.Random(seed + 2)
    with psycopg.connect(url) as conn:
        phones = [
            phone
            for (phone,) in conn.execute(
                "SELECT c.phone FROM customers_customer c TABLESAMPLE SYSTEM (2) REPEATABLE (11) "
                "WHERE c.phone <> '' AND EXISTS (SELECT 1 FROM orders_order o WHERE o.customer_id = c.id) LIMIT %s",
                [count],
            ).fetchall()
        ]
    national = [
        phonenumbers.format_number(phonenumbers.parse(phone), phonenumbers.PhoneNumberFormat.NATIONAL)
        for phone in phones
    ]
    return [
        Case("q=phone, national with spaces", [_list(q=phone) for phone in _cycle(national, count)]),
        Case("q=name without ł or ś", [_list(q=rng.choice(WITHOUT_DIACRITICS)) for _ in range(count)]),
    ]


def sorted_list_cases(count: int) -> list[Case]:
    """The orders page sorted by each column it offers (the form's own `sort` choices, so columns
    added to the page are timed too), with the result count the page shows: unfiltered, and
    filtered by payment status."""
    from emporos.desk.views.orders import OrderFilterForm

    sorts = [str(value) for value, _ in OrderFilterForm().fields["sort"].choices if value]  # type: ignore[attr-defined]
    return [
        Case(
            "page: orders sorted by a column, with count",
            ["/orders/?" + urlencode({"sort": sort}) for sort in _cycle(sorts, count)],
            page=True,
        ),
        Case(
            "page: orders, payment status, sorted by a column, with count",
            [
                "/orders/?" + urlencode({"payment_status": status, "sort": sort})
                for status, sort in zip(_cycle(PAYMENT_STATUSES, count), _cycle(sorts, count), strict=True)
            ],
            page=True,
        ),
    ]


def dashboard_cases(count: int) -> list[Case]:
    """The desk's home page: today's figures, the waiting counts, 30 days of orders, low stock."""
    return [Case("page: home (dashboard)", _cycle(["/"], count), page=True)]


def _iso(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


# --- measuring ----------------------------------------------------------------------------------------


def run_http(case: Case, *, port: int, api_key: str, session: str, warmup: int) -> None:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    if case.page:
        headers = {"Cookie": f"sessionid={session}", "Accept-Language": "en"}
    else:
        headers = {"Authorization": f"Bearer {api_key}"}

    def get(path: str) -> dict[str, Any]:
        conn.request("GET", path, headers=headers)
        response = conn.getresponse()
        body = response.read()
        if response.status != 200:
            raise RuntimeError(f"GET {path}: {response.status} {body[:300]!r}")
        if case.page:  # rows: links to orders in the page
            return {"orders": [None] * body.count(b'href="/orders/EM-'), "next_cursor": None}
        return json.loads(body)  # type: ignore[no-any-return]

    try:
        for path in case.paths[:warmup]:
            get(path)
        cursor = None
        for path in case.paths:
            if case.follow:
                if cursor is None:  # the first page gives the first cursor, unmeasured
                    cursor = get(path)["next_cursor"]
                path = f"{path}{'&' if '?' in path else '?'}{urlencode({'cursor': cursor})}"
            started = time.perf_counter()
            page = get(path)
            case.latencies_ms.append((time.perf_counter() - started) * 1000)
            case.rows.append(len(page["orders"]))
            case.used_paths.append(path)
            if case.follow:
                cursor = page["next_cursor"]
    finally:
        conn.close()


def capture_sql(case: Case, *, api_key: str, session: str) -> list[list[str]]:
    """The statements each request of the case ran, captured in this process through Django's stack."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(headers={"Authorization": f"Bearer {api_key}"})
    if case.page:
        client = Client(headers={"Accept-Language": "en"})
        client.cookies["sessionid"] = session
    captured = []
    for path in case.used_paths:
        # The log keeps 9,000 statements at most; past that a capture would come back empty.
        connection.queries_log.clear()
        with CaptureQueriesContext(connection) as queries:
            response = client.get(path)
        if response.status_code != 200:
            raise RuntimeError(f"in process GET {path}: {response.status_code}")
        captured.append([query["sql"] for query in queries.captured_queries])
    return captured


def run_sql(case: Case, statements: list[list[str]], url: str) -> None:
    """Each request's statements straight through psycopg (autocommit, rows fetched), timed."""
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("SET TIME ZONE 'UTC'")
        slowest = -1.0
        for batch in statements:
            started = time.perf_counter()
            for sql in batch:
                conn.execute(sql.encode()).fetchall()  # bytes: taken as is, no placeholder parsing
            elapsed = (time.perf_counter() - started) * 1000
            case.sql_ms.append(elapsed)
            if elapsed > slowest:
                slowest, case.slowest_sql = elapsed, batch
        case.statements = max((len(batch) for batch in statements), default=0)


def explain(url: str, batch: list[str]) -> str:
    main = next((sql for sql in batch if '"orders_order"' in sql), batch[-1] if batch else "")
    if not main:
        return ""
    with psycopg.connect(url, autocommit=True) as conn:
        rows = conn.execute(b"EXPLAIN (ANALYZE, BUFFERS) " + main.encode()).fetchall()
    return main + "\n" + "\n".join(f"    {row[0]}" for row in rows)


def staff_session() -> str:
    """A signed-in owner's session key, as the browser of someone at the shop would hold."""
    from django.contrib.auth.models import User
    from django.test import Client

    from emporos.access.services import create_staff

    if not User.objects.filter(username="bench-owner").exists():
        create_staff(username="bench-owner", email="", password=uuid.uuid4().hex, role="owner")
    client = Client()
    client.force_login(User.objects.get(username="bench-owner"))
    return client.cookies["sessionid"].value


# --- the CSV export: the server's memory stays flat whatever the number of rows -------------------------

EXPORT_ROWS = 100_000
EXPORT_CASE = "csv export"
# What ten times the rows may add to the worker's peak memory beyond what a tenth of them added.
EXPORT_SLACK_MB = 8.0


@dataclass
class ExportRun:
    asked: int
    path: str
    rows: int = 0
    seconds: float = 0.0
    first_byte_ms: float = 0.0
    megabytes: float = 0.0
    rss_before_mb: float = 0.0
    peak_mb: float = 0.0

    @property
    def growth_mb(self) -> float:
        return self.peak_mb - self.rss_before_mb


def _memory_mb(pid: int) -> tuple[float, float]:
    """(resident now, peak resident) of a process, in MiB."""
    sizes = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        name, _, value = line.partition(":")
        if name in ("VmRSS", "VmHWM"):
            sizes[name] = int(value.split()[0]) / 1024
    return sizes["VmRSS"], sizes["VmHWM"]


def _reset_peak(pid: int) -> bool:
    """Start the process's peak resident size again from its size now (Linux clear_refs 5)."""
    try:
        Path(f"/proc/{pid}/clear_refs").write_text("5")
    except OSError:
        return False
    return True


def _children(pid: int) -> list[int]:
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            raw = Path(f"/proc/{entry}/stat").read_text()
        except OSError:
            continue
        if int(raw[raw.rindex(")") + 2 :].split()[1]) == pid:  # after the command: state, ppid
            found.append(int(entry))
    return found


def export_run(url: str, rows: int) -> ExportRun:
    """An export of about `rows` orders: every order from a day on (the list's own `from` filter)."""
    from emporos.shop import selectors as shop

    with psycopg.connect(url) as conn:
        found = conn.execute(
            "SELECT placed_at FROM orders_order ORDER BY placed_at DESC, id DESC OFFSET %s LIMIT 1", [rows - 1]
        ).fetchone()
    if found is None:
        return ExportRun(rows, "/orders/export.csv")
    day = found[0].astimezone(shop.time_zone()).date()
    return ExportRun(rows, "/orders/export.csv?" + urlencode({"from": day.isoformat()}))


def download(run: ExportRun, *, port: int, session: str) -> None:
    """Reads the whole file as a spreadsheet program would, counting its rows, keeping none."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=600)
    try:
        started = time.perf_counter()
        conn.request("GET", run.path, headers={"Cookie": f"sessionid={session}", "Accept-Language": "en"})
        response = conn.getresponse()
        if response.status != 200 or not response.getheader("Content-Type", "").startswith("text/csv"):
            raise RuntimeError(f"GET {run.path}: {response.status} {response.read(300)!r}")
        lines, size, first = 0, 0, 0.0
        for _ in range(10_000_000):
            chunk = response.read1(64 * 1024)  # what has arrived, so the first byte is timed
            if not chunk:
                break
            first = first or time.perf_counter()
            lines += chunk.count(b"\n")
            size += len(chunk)
        run.seconds = time.perf_counter() - started
        run.first_byte_ms = (first - started) * 1000 if first else float("nan")
        run.rows, run.megabytes = lines - 1, size / 2**20  # less the header
    finally:
        conn.close()


def measure_export(url: str, *, rows: int, session: str, server_env: dict[str, str]) -> bool:
    """The orders export of `rows` and of a tenth of them through one server worker, and that
    worker's peak resident memory during each, from its size just before. PASS when ten times the
    rows add no more than EXPORT_SLACK_MB to what a tenth added: memory does not grow with rows.

    Two threads make it gunicorn's threaded worker, as `emporos serve` runs; a sync worker (one
    thread) would be stopped by gunicorn after 30 s inside one long download."""
    small, big = export_run(url, max(1, rows // 10)), export_run(url, rows)
    server = Server(url=url, port=free_port(), workers=1, threads=2, extra_env=server_env)
    resettable = True
    try:
        with timed(f"start emporos serve on 127.0.0.1:{server.port} (1 worker x 2 threads) for the export"):
            server.start()
        assert server.pid is not None
        workers = _children(server.pid)
        if len(workers) != 1:
            raise RuntimeError(f"expected one gunicorn worker under {server.pid}, found {workers}")
        download(export_run(url, 1000), port=server.port, session=session)  # warm: code, caches, templates
        for run in (small, big):
            with timed(f"HTTP {EXPORT_CASE} of about {run.asked:,} orders: {run.path}"):
                run.rss_before_mb = _memory_mb(workers[0])[0]
                resettable = _reset_peak(workers[0]) and resettable
                download(run, port=server.port, session=session)
                run.peak_mb = _memory_mb(workers[0])[1]
    finally:
        server.stop()
    heading(f"CSV export: the worker's memory while streaming {small.rows:,} and {big.rows:,} orders")
    print(
        table(
            ["rows", "MiB sent", "s", "rows/s", "first byte ms", "RSS before MiB", "peak MiB", "growth MiB"],
            [
                [
                    run.rows,
                    run.megabytes,
                    run.seconds,
                    run.rows / run.seconds,
                    run.first_byte_ms,
                    run.rss_before_mb,
                    run.peak_mb,
                    run.growth_mb,
                ]
                for run in (small, big)
            ],
        )
    )
    if not resettable:
        print("(the peak could not be reset between the runs: each peak is the highest since the worker started)")
    flat = big.growth_mb <= small.growth_mb + EXPORT_SLACK_MB and big.rows >= 5 * small.rows
    print(
        f"{verdict(flat)}  memory flat with rows: {big.rows:,} orders grew the worker's peak by {big.growth_mb:.1f} MiB, "
        f"{small.rows:,} by {small.growth_mb:.1f} MiB (allowed: {EXPORT_SLACK_MB:.0f} MiB more)"
    )
    return flat


# --- the run ------------------------------------------------------------------------------------------


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=DEFAULT_URL, help="(default %(default)s)")
    parser.add_argument("--regenerate", action="store_true", help="rebuild the data even when it is there")
    parser.add_argument("--orders", type=int, default=ORDERS, help="orders to generate (default %(default)s)")
    parser.add_argument("--customers", type=int, default=CUSTOMERS, help="customers (default %(default)s)")
    parser.add_argument("--requests", type=int, default=200, help="measured requests per kind (default %(default)s)")
    parser.add_argument("--warmup", type=int, default=10, help="unmeasured requests per kind (default %(default)s)")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers (default %(default)s)")
    parser.add_argument("--threads", type=int, default=2, help="threads per worker (default %(default)s)")
    parser.add_argument("--port", type=int, default=0, help="server port (default: a free one)")
    parser.add_argument("--seed", type=int, default=20261124)
    parser.add_argument(
        "--only", default="", help="run only the kinds whose name contains one of these, comma separated"
    )
    parser.add_argument(
        "--export-rows",
        type=int,
        default=EXPORT_ROWS,
        help="orders in the CSV export whose memory is measured, against a tenth of them (0: none; default %(default)s)",
    )
    parser.add_argument("--explain-all", action="store_true", help="print the plan of every kind, not only misses")
    parser.add_argument(
        "--server-env", action="append", default=[], metavar="NAME=VALUE", help="extra server environment (repeatable)"
    )
    args = parser.parse_args(argv)
    if not 1 <= args.requests <= 5000 or args.orders < 1000 or args.customers < 100:
        parser.error("--requests from 1 to 5000; --orders at least 1000; --customers at least 100.")
    return args


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    url = check_local(args.database_url)
    stop_on_sigterm()
    heading(f"Order desk benchmark on {url}")
    warn_if_busy(background_load())
    prepare_database(url, regenerate=args.regenerate, orders=args.orders, customers=args.customers, seed=args.seed)

    from emporos.access.services import create_api_key

    api_key = create_api_key(name="desk-bench", scopes=["orders:read"]).plain_key
    session = staff_session()
    cases = [
        *build_cases(url, count=args.requests, seed=args.seed),
        *typed_search_cases(url, count=args.requests, seed=args.seed),
        *sorted_list_cases(args.requests),
        *dashboard_cases(args.requests),
    ]
    wanted = [item.strip() for item in args.only.split(",") if item.strip()]
    cases = [case for case in cases if not wanted or any(item in case.name for item in wanted)]
    close_django_connections()

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
        for case in cases:
            with timed(f"HTTP {case.name}: {args.warmup} + {args.requests} requests"):
                tracker = CpuTracker(server_group=server.pid).start()
                run_http(case, port=server.port, api_key=api_key, session=session, warmup=args.warmup)
                case.other_cores = tracker.stop()["other"]
    finally:
        server.stop()

    for case in cases:
        with timed(f"baseline {case.name}: capture the SQL in process, time it through psycopg"):
            run_sql(case, capture_sql(case, api_key=api_key, session=session), url)
    close_django_connections()
    passed = report(cases, url=url, orders=args.orders, explain_all=args.explain_all)
    if args.export_rows and (not wanted or any(item in EXPORT_CASE for item in wanted)):
        export_rows = min(args.export_rows, args.orders)
        passed = (
            measure_export(url, rows=export_rows, session=session, server_env=parse_env_items(args.server_env))
            and passed
        )
    return 0 if passed else 1


def report(cases: list[Case], *, url: str, orders: int, explain_all: bool) -> bool:
    heading(
        f"GET over {orders:,} orders: latency in ms (sequential client); target p95 < {TARGET_P95_MS:.0f} "
        f"for the API, < {PAGE_TARGET_P95_MS:.0f} for staff pages"
    )
    rows = []
    for case in cases:
        app_share = 1 - case.sql_p(0.5) / case.p(0.5) if case.p(0.5) else float("nan")
        rows.append(
            [
                case.name,
                len(case.latencies_ms),
                sum(case.rows) / max(len(case.rows), 1),
                case.p(0.5),
                case.p(0.95),
                max(case.latencies_ms, default=float("nan")),
                case.statements,
                case.sql_p(0.5),
                case.sql_p(0.95),
                f"{app_share:.0%}",
                case.other_cores,
                verdict(case.p(0.95) < case.target_ms),
            ]
        )
    print(
        table(
            [
                "request",
                "n",
                "rows",
                "p50",
                "p95",
                "max",
                "stmts",
                "sql p50",
                "sql p95",
                "app share",
                "other",
                "p95 ok",
            ],
            rows,
        )
    )
    print(
        "sql = the same statements straight through psycopg; app share = 1 - sql p50 / HTTP p50; "
        "other = cores busy with other work on this machine meanwhile (above 0.2 the figures are skewed)"
    )
    misses = [case for case in cases if case.p(0.95) >= case.target_ms or case.sql_p(0.95) >= case.target_ms / 2]
    for case in cases if explain_all else misses:
        heading(f"EXPLAIN (ANALYZE, BUFFERS) of the slowest '{case.name}' request's main statement")
        print(explain(url, case.slowest_sql))
    failed = [case.name for case in cases if case.p(0.95) >= case.target_ms]
    heading("Targets")
    print(
        f"{verdict(not failed)}  p95 < {TARGET_P95_MS:.0f} ms for every API request, < {PAGE_TARGET_P95_MS:.0f} ms for every page"
        + (f" (missed: {', '.join(failed)})" if failed else "")
    )
    return not failed


if __name__ == "__main__":
    try:
        sys.exit(main())
    except KeyboardInterrupt:
        print("\ninterrupted; the server was stopped", file=sys.stderr)
        sys.exit(130)
