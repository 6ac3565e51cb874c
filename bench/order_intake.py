"""Order intake under load: POST /api/v1/orders on PostgreSQL against the same transaction in raw SQL.

Run (about 2 minutes on 2 cores):

    .venv/bin/python bench/order_intake.py
    .venv/bin/python bench/order_intake.py --seconds 5 --clients 1,8 --profile 300

It recreates the database, migrates it, loads a catalog (200 SKUs with plenty of stock and two
flash-sale SKUs), starts `emporos serve` and measures, with 1, 8 and 32 concurrent clients (each a
thread with its own keep-alive connection, spread over a few load-generator processes):

* spread-out: 3-line orders over many SKUs and customers;
* flash sale: every client buys the same SKU of limited stock;
* the baseline: the same order transaction in raw SQL through psycopg, same clients, same levels.

After each section it checks the stock invariants in SQL (nothing oversold, levels equal the
accepted order lines and the ledger) and that every 201 is exactly one stored order.
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
import uuid
from collections import Counter
from collections.abc import Callable, Sequence
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
from psycopg.types.json import Jsonb

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/emporos_bench"
ORDERS_PATH = "/api/v1/orders"
SPREAD_STOCK = 1_000_000  # per SKU: the spread-out case never runs out
FLASH_SKU = {"emporos": "FLASH-EMPOROS", "baseline": "FLASH-BASELINE", "sellout": "SELLOUT-EMPOROS"}
ACTOR = "api_key:bench"

GREEK_FIRST = ["Μαρία", "Γιώργος", "Ελένη", "Νίκος", "Κατερίνα", "Δημήτρης", "Σοφία", "Κώστας", "Άννα", "Γιάννης"]
GREEK_LAST = ["Παπαδοπούλου", "Οικονόμου", "Γεωργίου", "Νικολάου", "Ιωάννου", "Βασιλείου", "Αθανασίου", "Πετρίδης"]
LATIN_FIRST = ["maria", "giorgos", "eleni", "nikos", "katerina", "dimitris", "sofia", "kostas", "anna", "giannis"]
LATIN_LAST = ["papadopoulou", "oikonomou", "georgiou", "nikolaou", "ioannou", "vasileiou", "athanasiou", "petridis"]


# --- what is ordered ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Line:
    variant_id: int
    sku: str
    name: str
    quantity: int
    unit_price: Decimal


@dataclass(frozen=True)
class OrderSpec:
    """One order, both as the API's JSON body and as the raw-SQL baseline's parameters."""

    email: str
    name: str
    search_name: str
    phone: str
    lines: tuple[Line, ...]
    shipping_price: Decimal
    total: Decimal
    body: bytes


@dataclass(frozen=True)
class Catalog:
    variants: dict[str, tuple[int, str]]  # sku -> (variant id, name)
    spread_skus: list[str]
    location_id: int


def make_customers(rng: random.Random, count: int) -> list[tuple[str, str, str]]:
    customers = []
    for number in range(count):
        first, last = rng.randrange(len(GREEK_FIRST)), rng.randrange(len(GREEK_LAST))
        name = f"{GREEK_FIRST[first]} {GREEK_LAST[last]}"
        email = f"{LATIN_FIRST[first]}.{LATIN_LAST[last]}.{number}@example.gr"
        phone = "+3069" + "".join(rng.choice("0123456789") for _ in range(8))
        customers.append((email, name, phone))
    return customers


def make_orders(
    rng: random.Random, catalog: Catalog, customers: list[tuple[str, str, str]], *, skus: list[str], count: int
) -> list[OrderSpec]:
    from emporos.core.text import search_form

    orders = []
    for _ in range(count):
        email, name, phone = rng.choice(customers)
        chosen = rng.sample(skus, k=min(3, len(skus)))
        lines = tuple(
            Line(
                variant_id=catalog.variants[sku][0],
                sku=sku,
                name=catalog.variants[sku][1],
                quantity=1 if len(skus) == 1 else rng.randint(1, 3),
                unit_price=Decimal(rng.choice(["4.90", "12.00", "19.90", "24.50", "39.00"])),
            )
            for sku in chosen
        )
        subtotal = sum((line.unit_price * line.quantity for line in lines), Decimal(0))
        shipping = Decimal("0.00") if subtotal >= 60 else Decimal("3.50")
        total = subtotal + shipping
        body = {
            "channel": "web",
            "currency": "EUR",
            "customer": {"email": email, "name": name, "phone": phone, "language": "el"},
            "shipping_address": {
                "name": name,
                "line1": f"Ερμού {rng.randint(1, 200)}",
                "city": "Αθήνα",
                "postal_code": "10563",
                "country": "GR",
                "phone": phone,
            },
            "shipping_method": "courier-standard",
            "payment": {"method": "card", "status": "paid"},
            "lines": [
                {"sku": line.sku, "quantity": line.quantity, "unit_price": str(line.unit_price)} for line in lines
            ],
            "shipping_price": str(shipping),
            "total": str(total),
        }
        orders.append(
            OrderSpec(
                email=email,
                name=name,
                search_name=search_form(name),
                phone=phone,
                lines=lines,
                shipping_price=shipping,
                total=total,
                body=json.dumps(body, ensure_ascii=False).encode(),
            )
        )
    return orders


def load_catalog(*, sku_count: int, flash_stock: dict[str, int]) -> tuple[Catalog, str]:
    """Products, stock and an API key, through the services (their events and ledger rows included)."""
    from emporos.access.services import create_api_key
    from emporos.catalog.models import Variant
    from emporos.catalog.services import ProductDraft, VariantDraft, upsert_products
    from emporos.core.actor import Actor
    from emporos.inventory.models import Location
    from emporos.inventory.services import AdjustmentDraft, adjust_stock

    location = Location.objects.create(code="athens", name="Athens warehouse", priority=1)
    skus = [f"SKU-{number:04d}" for number in range(1, sku_count + 1)]
    products = [
        ProductDraft(
            code=f"product-{start // 10:03d}",
            name=f"Product {start // 10}",
            variants=[
                VariantDraft(sku=sku, name=f"Item {sku}", price=Decimal("19.90")) for sku in skus[start : start + 10]
            ],
        )
        for start in range(0, len(skus), 10)
    ]
    products.append(
        ProductDraft(
            code="flash-sale",
            name="Flash sale",
            variants=[VariantDraft(sku=sku, name=f"Flash {sku}", price=Decimal("9.90")) for sku in FLASH_SKU.values()],
        )
    )
    upsert_products(drafts=products)
    stock = dict.fromkeys(skus, SPREAD_STOCK) | {FLASH_SKU[name]: units for name, units in flash_stock.items()}
    adjust_stock(
        drafts=[
            AdjustmentDraft(sku=sku, location="athens", reason="count", on_hand=units) for sku, units in stock.items()
        ],
        actor=Actor.system("bench"),
    )
    variants = {v.sku: (v.pk, v.name) for v in Variant.objects.all()}
    key = create_api_key(name="bench", scopes=["orders:write", "orders:read"]).plain_key
    from emporos.outbox.registry import handlers_for

    PLACED_HANDLERS[:] = [handler.name for handler in handlers_for("orders.order_placed")]
    return Catalog(variants=variants, spread_skus=skus, location_id=location.pk), key


# --- the raw-SQL baseline: the same transaction, statement for statement --------------------------

CUSTOMER_SQL = """
INSERT INTO customers_customer (public_id, email, name, phone, language, search_name, created_at, updated_at)
VALUES (%s, %s, %s, %s, 'el', %s, %s, %s)
ON CONFLICT (email) DO UPDATE SET name = EXCLUDED.name, phone = EXCLUDED.phone, language = EXCLUDED.language,
    search_name = EXCLUDED.search_name, updated_at = EXCLUDED.updated_at
RETURNING id
"""

ORDER_SQL = """
INSERT INTO orders_order (number, channel, currency, customer_id, status, held_from_status, hold_reason,
    cancel_reason, payment_status, payment_method, amount_paid, fulfillment_status, shipping_method, is_express,
    shipping_address, billing_address, subtotal, shipping_price, gift_wrap_price, tax_total, total, customer_note,
    gift_wrap, gift_message, has_waiting_lines, placed_at, created_at, updated_at, verified_at, due_by,
    overdue_flagged_at, queue_rank, idempotency_key, request_fingerprint, external_reference, discount_total,
    coupon_code, amount_refunded, gift_card_amount, payment_provider, payment_reference)
VALUES (nextval('orders_order_number_seq'), 'web', 'EUR', %s, 'placed', '', '', '', 'paid', 'card', %s,
    'unfulfilled', 'courier-standard', false, %s, NULL, %s, %s, 0, 0, %s, '', false, '', false, %s, %s, %s, NULL,
    %s, NULL, 6, %s, '', NULL, 0, '', 0, 0, '', '')
RETURNING id, number
"""

# The very statement of emporos.inventory.services._RESERVE_SQL.
RESERVE_SQL = """
UPDATE inventory_stocklevel SET reserved = reserved + %s
WHERE id = (
    SELECT level.id FROM inventory_stocklevel level
    JOIN inventory_location location ON location.id = level.location_id
    WHERE level.variant_id = %s AND location.is_active AND level.on_hand - level.reserved >= %s
    ORDER BY location.priority, level.id LIMIT 1
) AND on_hand - reserved >= %s
RETURNING location_id
"""

TIMELINE_SQL = """
INSERT INTO timeline_entry (kind, facts, actor_kind, actor_id, actor_name, occurred_at, event_id)
VALUES ('orders.order_placed', %s, 'api_key', '', %s, %s, %s) RETURNING id
"""
SUBJECTS_SQL = "INSERT INTO timeline_subject (entry_id, kind, ref_id) VALUES (%s, 'order', %s), (%s, 'customer', %s)"
EVENT_SQL = "INSERT INTO outbox_event (uuid, topic, payload, created_at) VALUES (%s, 'orders.order_placed', %s, %s) RETURNING id"
DELIVERY_HEAD = (
    "INSERT INTO outbox_delivery (event_id, handler, status, attempts, due_at, last_error, completed_at, delivered_by)"
)
DELIVERY_ROW = "(%s, %s, 'pending', 0, %s, '', NULL, '')"
# One delivery per handler of orders.order_placed, as the outbox writes them (read from the
# registry when the catalog is loaded, before the load generators fork).
PLACED_HANDLERS: list[str] = ["notifications.order_received"]


def _rows_sql(head: str, row: str, count: int) -> str:
    return f"{head} VALUES {', '.join([row] * count)} RETURNING id"


MOVEMENT_HEAD = (
    "INSERT INTO inventory_stockmovement (variant_id, location_id, on_hand_delta, reserved_delta, reason, reference, "
    "note, actor, created_at)"
)
MOVEMENT_ROW = "(%s, %s, 0, %s, 'reserved', %s, '', %s, %s)"
LINE_HEAD = (
    "INSERT INTO orders_orderline (order_id, variant_id, sku, name, quantity, unit_price, tax_rate, line_total, "
    "stock_state, reserved_location_id, available_on, quantity_shipped, quantity_delivered, quantity_returned)"
)
LINE_ROW = "(%s, %s, %s, %s, %s, %s, 0, %s, 'reserved', %s, NULL, 0, 0, 0)"


class OutOfStock(Exception):
    pass


def place_order_sql(conn: psycopg.Connection[Any], spec: OrderSpec, key: str) -> int:
    """The order transaction of emporos.orders.services.intake, in raw SQL. Returns the HTTP status it means."""
    now = dt.datetime.now(dt.UTC)
    address = Jsonb({"name": spec.name, "line1": "Ερμού 10", "city": "Αθήνα", "postal_code": "10563", "country": "GR"})
    subtotal = spec.total - spec.shipping_price
    try:
        with conn.cursor() as cur:
            cur.execute(CUSTOMER_SQL, (uuid.uuid4(), spec.email, spec.name, spec.phone, spec.search_name, now, now))
            (customer_id,) = cur.fetchone()  # type: ignore[misc]
            due_by = now + dt.timedelta(hours=4)
            cur.execute(
                ORDER_SQL,
                (
                    customer_id,
                    spec.total,
                    address,
                    subtotal,
                    spec.shipping_price,
                    spec.total,
                    now,
                    now,
                    now,
                    due_by,
                    key,
                ),
            )
            order_id, number = cur.fetchone()  # type: ignore[misc]
            reference = f"EM-{number}"
            location_of: dict[str, int] = {}
            for line in sorted(spec.lines, key=lambda item: item.sku):
                cur.execute(RESERVE_SQL, (line.quantity, line.variant_id, line.quantity, line.quantity))
                row = cur.fetchone()
                if row is None:
                    raise OutOfStock(line.sku)
                location_of[line.sku] = row[0]
            count = len(spec.lines)
            cur.execute(
                _rows_sql(MOVEMENT_HEAD, MOVEMENT_ROW, count),
                [
                    value
                    for line in spec.lines
                    for value in (line.variant_id, location_of[line.sku], line.quantity, reference, ACTOR, now)
                ],
            )
            cur.execute(
                _rows_sql(LINE_HEAD, LINE_ROW, count),
                [
                    value
                    for line in spec.lines
                    for value in (
                        order_id,
                        line.variant_id,
                        line.sku,
                        line.name,
                        line.quantity,
                        line.unit_price,
                        line.unit_price * line.quantity,
                        location_of[line.sku],
                    )
                ],
            )
            payload = {"order_id": order_id, "number": reference, "channel": "web", "has_waiting_lines": False}
            cur.execute(EVENT_SQL, (uuid.uuid4(), Jsonb(payload), now))
            (event_id,) = cur.fetchone()  # type: ignore[misc]
            cur.execute(
                _rows_sql(DELIVERY_HEAD, DELIVERY_ROW, len(PLACED_HANDLERS)),
                [value for handler in PLACED_HANDLERS for value in (event_id, handler, now)],
            )
            facts = payload | {
                "units": sum(line.quantity for line in spec.lines),
                "total": str(spec.total),
                "currency": "EUR",
                "payment_method": "card",
                "payment_status": "paid",
            }
            cur.execute(TIMELINE_SQL, (Jsonb(facts), ACTOR.partition(":")[2], now, event_id))
            (entry_id,) = cur.fetchone()  # type: ignore[misc]
            cur.execute(SUBJECTS_SQL, (entry_id, order_id, entry_id, customer_id))
        conn.commit()
    except OutOfStock:
        conn.rollback()
        return 409
    except psycopg.Error:
        conn.rollback()
        return 500
    return 201


# --- the load generator ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Plan:
    target: str  # "emporos" (HTTP) or "baseline" (raw SQL)
    tag: str  # idempotency keys of this level start with it
    clients: int
    processes: int
    start_at: float  # time.monotonic() when measuring starts (clocks agree across processes on Linux)
    end_at: float
    max_requests: int
    orders: list[OrderSpec]
    warm_orders: list[OrderSpec]
    port: int = 0
    api_key: str = ""
    database_url: str = ""


@dataclass
class ThreadResult:
    latencies_ms: list[float] = field(default_factory=list)
    statuses: Counter[int] = field(default_factory=Counter)
    warm_requests: int = 0
    last_done: float = 0.0
    last_accepted: float = 0.0
    errors: list[str] = field(default_factory=list)

    def merge(self, other: ThreadResult) -> None:
        self.latencies_ms.extend(other.latencies_ms)
        self.statuses.update(other.statuses)
        self.warm_requests += other.warm_requests
        self.last_done = max(self.last_done, other.last_done)
        self.last_accepted = max(self.last_accepted, other.last_accepted)
        self.errors.extend(other.errors[: 5 - len(self.errors)])


def _http_sender(plan: Plan, result: ThreadResult) -> tuple[Callable[[OrderSpec, str], int], Callable[[], None]]:
    conn = http.client.HTTPConnection("127.0.0.1", plan.port, timeout=60)
    base = {"Authorization": f"Bearer {plan.api_key}", "Content-Type": "application/json"}

    def send(spec: OrderSpec, key: str) -> int:
        # A dropped keep-alive connection is retried once with the same Idempotency-Key: safe by design.
        for attempt in (1, 2):
            try:
                conn.request("POST", ORDERS_PATH, body=spec.body, headers=base | {"Idempotency-Key": key})
                response = conn.getresponse()
                response.read()
                return response.status
            except (OSError, http.client.HTTPException) as exc:
                conn.close()
                if attempt == 2:
                    result.errors.append(f"{type(exc).__name__}: {exc}")
        return 0

    return send, conn.close


def _sql_sender(plan: Plan, result: ThreadResult) -> tuple[Callable[[OrderSpec, str], int], Callable[[], None]]:
    conn = psycopg.connect(plan.database_url)

    def send(spec: OrderSpec, key: str) -> int:
        return place_order_sql(conn, spec, key)

    return send, conn.close


def _client_thread(plan: Plan, ident: str, offset: int, out: list[ThreadResult]) -> None:
    result = ThreadResult()
    out.append(result)
    try:
        send, close = (_http_sender if plan.target == "emporos" else _sql_sender)(plan, result)
    except (OSError, psycopg.Error) as exc:
        result.errors.append(f"connect: {exc}")
        return
    try:
        number = 0
        while time.monotonic() < plan.start_at and number < 100_000:
            spec = plan.warm_orders[(offset + number) % len(plan.warm_orders)]
            send(spec, f"warm-{plan.tag}-{ident}-{number}")
            result.warm_requests += 1
            number += 1
        cap = max(1, plan.max_requests // plan.clients)
        for number in range(cap):
            started = time.monotonic()
            if started >= plan.end_at:
                break
            status = send(plan.orders[(offset + number) % len(plan.orders)], f"{plan.tag}-{ident}-{number}")
            done = time.monotonic()
            result.latencies_ms.append((done - started) * 1000)
            result.statuses[status] += 1
            result.last_done = done
            if status == 201:
                result.last_accepted = done
    finally:
        close()


def _client_process(plan: Plan, process_index: int, threads: int, results: multiprocessing.Queue[Any]) -> None:
    out: list[ThreadResult] = []
    workers = [
        threading.Thread(
            target=_client_thread,
            args=(plan, f"{process_index}.{index}", (process_index * threads + index) * 997, out),
            daemon=True,
        )
        for index in range(threads)
    ]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    merged = ThreadResult()
    for result in out:
        merged.merge(result)
    results.put(merged)


@dataclass
class LevelResult:
    target: str
    section: str
    clients: int
    result: ThreadResult
    elapsed: float
    cores: dict[str, float]
    sessions: dict[str, float] = field(default_factory=dict)
    stored: int = 0
    accepted_window: float = 0.0

    @property
    def accepted(self) -> int:
        return self.result.statuses[201]

    @property
    def orders_per_second(self) -> float:
        return self.accepted / self.accepted_window if self.accepted_window > 0 else 0.0

    @property
    def other(self) -> int:
        return sum(count for status, count in self.result.statuses.items() if status not in {201, 409})

    def p(self, fraction: float) -> float:
        return percentile(self.result.latencies_ms, fraction)


def run_level(
    *, base: dict[str, Any], section: str, clients: int, seconds: float, warmup: float, server_group: int | None
) -> LevelResult:
    processes = max(1, min(base.pop("processes"), clients))
    start_at = time.monotonic() + 0.3 + warmup
    plan = Plan(clients=clients, processes=processes, start_at=start_at, end_at=start_at + seconds, **base)  # type: ignore[arg-type]
    context = multiprocessing.get_context("fork")
    results: multiprocessing.Queue[Any] = context.Queue()
    share = [clients // processes + (1 if index < clients % processes else 0) for index in range(processes)]
    children = [
        context.Process(target=_client_process, args=(plan, index, threads, results), daemon=True)
        for index, threads in enumerate(share)
    ]
    try:
        for child in children:
            child.start()
        pids = [child.pid for child in children if child.pid is not None]
        time.sleep(max(0.0, plan.start_at - time.monotonic()))
        tracker = CpuTracker(server_group=server_group, client_pids=pids).start()
        sessions: Counter[str] = Counter()
        sampler = threading.Thread(target=sample_sessions, args=(plan.database_url, plan.end_at, sessions), daemon=True)
        sampler.start()
        time.sleep(max(0.0, plan.end_at - time.monotonic()))
        cores = tracker.stop()
        sampler.join(timeout=10)
        merged = ThreadResult()
        for _ in children:
            merged.merge(results.get(timeout=seconds + 120))
        for child in children:
            child.join(timeout=30)
    finally:
        for child in children:
            if child.is_alive():
                child.terminate()
    elapsed = max(merged.last_done - plan.start_at, 1e-9)
    level = LevelResult(
        target=plan.target,
        section=section,
        clients=clients,
        result=merged,
        elapsed=elapsed,
        cores=cores,
        sessions={kind: count / max(sessions["samples"], 1) for kind, count in sessions.items() if kind != "samples"},
    )
    # Orders per second over the selling time: until the last 201 (a sold-out flash sale ends early).
    level.accepted_window = max(merged.last_accepted - plan.start_at, 1e-9) if merged.statuses[201] else 0.0
    return level


def combine(parts: list[LevelResult]) -> LevelResult:
    """The rounds of one level as one: counts and latencies pooled, times added, cores and
    sessions averaged over the time each round lasted."""
    if len(parts) == 1:
        return parts[0]
    merged = ThreadResult()
    for part in parts:
        merged.merge(part.result)
    elapsed = sum(part.elapsed for part in parts)

    def mean(values: list[dict[str, float]]) -> dict[str, float]:
        keys = {key for value in values for key in value}
        return {
            key: sum(value.get(key, 0.0) * part.elapsed for value, part in zip(values, parts, strict=True)) / elapsed
            for key in keys
        }

    level = LevelResult(
        target=parts[0].target,
        section=parts[0].section,
        clients=parts[0].clients,
        result=merged,
        elapsed=elapsed,
        cores=mean([part.cores for part in parts]),
        sessions=mean([part.sessions for part in parts]),
        stored=sum(part.stored for part in parts),
    )
    level.accepted_window = sum(part.accepted_window for part in parts)
    return level


SESSIONS_SQL = """
SELECT state, wait_event_type FROM pg_stat_activity
WHERE datname = current_database() AND pid <> pg_backend_pid() AND backend_type = 'client backend'
"""
SESSION_KINDS = ["running", "lock wait", "io/lwlock wait", "idle in transaction", "idle"]


def sample_sessions(url: str, end_at: float, out: Counter[str]) -> None:
    """What the database sessions do, sampled every 50 ms: running, waiting for a row lock, or idle
    inside a transaction (the application is working while it holds its locks)."""
    with psycopg.connect(url, autocommit=True) as conn:
        for _ in range(100_000):
            if time.monotonic() >= end_at:
                break
            for state, wait in conn.execute(SESSIONS_SQL).fetchall():
                if state == "active":
                    kind = (
                        "lock wait" if wait == "Lock" else "io/lwlock wait" if wait in {"IO", "LWLock"} else "running"
                    )
                elif state and state.startswith("idle in transaction"):
                    kind = "idle in transaction"
                else:
                    kind = "idle"
                out[kind] += 1
            out["samples"] += 1
            time.sleep(0.05)


# --- checks -----------------------------------------------------------------------------------------

INVARIANTS = {
    "levels with reserved > on_hand (or negative)": """
        SELECT count(*) FROM inventory_stocklevel WHERE reserved > on_hand OR reserved < 0 OR on_hand < 0""",
    "SKUs whose reserved units differ from their accepted order lines": """
        SELECT count(*) FROM catalog_variant v
        LEFT JOIN (SELECT variant_id, sum(reserved) AS units FROM inventory_stocklevel GROUP BY 1) s
            ON s.variant_id = v.id
        LEFT JOIN (SELECT variant_id, sum(quantity) AS units FROM orders_orderline
                   WHERE stock_state = 'reserved' GROUP BY 1) l ON l.variant_id = v.id
        WHERE coalesce(s.units, 0) <> coalesce(l.units, 0)""",
    "levels that differ from their ledger sums": """
        SELECT count(*) FROM inventory_stocklevel s
        LEFT JOIN (SELECT variant_id, location_id, sum(on_hand_delta) AS on_hand, sum(reserved_delta) AS reserved
                   FROM inventory_stockmovement GROUP BY 1, 2) m
            ON m.variant_id = s.variant_id AND m.location_id = s.location_id
        WHERE s.on_hand <> coalesce(m.on_hand, 0) OR s.reserved <> coalesce(m.reserved, 0)""",
    "orders whose lines are not all reserved": """
        SELECT count(*) FROM orders_order o WHERE NOT EXISTS (SELECT 1 FROM orders_orderline l WHERE l.order_id = o.id)
           OR EXISTS (SELECT 1 FROM orders_orderline l WHERE l.order_id = o.id AND l.stock_state <> 'reserved')""",
}


def check_invariants(url: str) -> dict[str, int]:
    with psycopg.connect(url) as conn:
        return {name: int(conn.execute(sql).fetchone()[0]) for name, sql in INVARIANTS.items()}  # type: ignore[index]


def stored_orders(url: str, tag: str) -> int:
    with psycopg.connect(url) as conn:
        row = conn.execute("SELECT count(*) FROM orders_order WHERE idempotency_key LIKE %s", [f"{tag}-%"]).fetchone()
    return int(row[0]) if row else 0


def flash_units(url: str, sku: str) -> tuple[int, int]:
    with psycopg.connect(url) as conn:
        row = conn.execute(
            "SELECT s.on_hand, s.reserved FROM inventory_stocklevel s JOIN catalog_variant v ON v.id = s.variant_id "
            "WHERE v.sku = %s",
            [sku],
        ).fetchone()
    return (int(row[0]), int(row[1])) if row else (0, 0)


# --- profile ------------------------------------------------------------------------------------------


def profile_requests(*, api_key: str, orders: list[OrderSpec], count: int) -> str:
    """cProfile of `count` POST /api/v1/orders through Django's full stack, in this process."""
    from django.test import Client

    client = Client(headers={"Authorization": f"Bearer {api_key}"})
    for number in range(20):  # warm: URL resolver, schemas, connection
        client.post(
            ORDERS_PATH,
            data=orders[number].body,
            content_type="application/json",
            headers={"Idempotency-Key": f"profile-warm-{number}"},
        )
    profiler = cProfile.Profile()
    started = time.perf_counter()
    profiler.enable()
    for number in range(count):
        spec = orders[(number + 20) % len(orders)]
        response = client.post(
            ORDERS_PATH,
            data=spec.body,
            content_type="application/json",
            headers={"Idempotency-Key": f"profile-{number}"},
        )
        if response.status_code != 201:
            raise RuntimeError(f"profile request {number}: {response.status_code} {response.content[:300]!r}")
    profiler.disable()
    per_request = (time.perf_counter() - started) / count * 1000
    out = io.StringIO()
    out.write(f"{count} requests in process, {per_request:.2f} ms each under cProfile (single thread)\n")
    stats = pstats.Stats(profiler, stream=out).strip_dirs()
    stats.sort_stats("cumulative").print_stats(35)
    stats.sort_stats("tottime").print_stats(25)
    return out.getvalue()


# --- the run ------------------------------------------------------------------------------------------


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=DEFAULT_URL, help="dropped and created again (default %(default)s)")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn worker processes (default %(default)s)")
    parser.add_argument("--threads", type=int, default=6, help="threads per worker (default %(default)s)")
    parser.add_argument("--clients", default="1,8,32", help="concurrency levels, comma separated (default %(default)s)")
    parser.add_argument("--flash-clients", type=int, default=16, help="clients of the flash sale (default %(default)s)")
    parser.add_argument(
        "--flash-stock",
        type=int,
        default=20_000,
        help="units of the flash-sale SKU, enough not to sell out (default %(default)s)",
    )
    parser.add_argument(
        "--sellout-stock",
        type=int,
        default=100,
        help="units of the SKU that sells out in a 3 s burst of the flash clients (default %(default)s)",
    )
    parser.add_argument("--no-flash", action="store_true", help="skip the flash-sale and sell-out sections")
    parser.add_argument("--no-baseline", action="store_true", help="skip the raw-SQL baseline")
    parser.add_argument("--seconds", type=float, default=10.0, help="measured seconds per level (default %(default)s)")
    parser.add_argument(
        "--rounds",
        type=int,
        default=2,
        help="each level's seconds are split into this many slices, Emporos and the baseline taking turns, "
        "so a shared machine's drift weighs on both alike (default %(default)s)",
    )
    parser.add_argument(
        "--warmup", type=float, default=2.0, help="unmeasured seconds before each level (default %(default)s)"
    )
    parser.add_argument(
        "--server-warmup",
        type=float,
        default=5.0,
        help="unmeasured seconds of orders right after the server starts, at the highest client count, "
        "so every worker process and thread has its connection and prepared statements (default %(default)s)",
    )
    parser.add_argument("--max-requests", type=int, default=200_000, help="cap per level (default %(default)s)")
    parser.add_argument("--skus", type=int, default=200, help="SKUs of the spread-out case (default %(default)s)")
    parser.add_argument("--customers", type=int, default=5000, help="distinct customers (default %(default)s)")
    parser.add_argument(
        "--client-processes",
        type=int,
        default=2,
        help="load-generator processes the clients are spread over (default %(default)s)",
    )
    parser.add_argument("--port", type=int, default=0, help="server port (default: a free one)")
    parser.add_argument(
        "--server-env",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="extra environment of the server only, to try a setting (repeatable)",
    )
    parser.add_argument("--profile", type=int, default=0, metavar="N", help="also cProfile N requests in process")
    args = parser.parse_args(argv)
    args.levels = [int(item) for item in args.clients.split(",") if item.strip()]
    if not args.levels or min(args.levels) < 1 or args.seconds <= 0 or args.seconds > 120:
        parser.error("--clients needs numbers of 1 or more; --seconds from 0 to 120.")
    if not 1 <= args.rounds <= 10:
        parser.error("--rounds from 1 to 10.")
    return args


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    url = fresh_database(
        args.database_url,
        title="Order intake benchmark",
        detail=f" ({args.workers} workers x {args.threads} threads)",
    )
    setup_django(url)
    with timed("catalog, stock and API key"):
        catalog, api_key = load_catalog(
            sku_count=args.skus,
            # The baseline's flash SKU never sells out: its figure is the hot row's ceiling.
            flash_stock={"emporos": args.flash_stock, "baseline": SPREAD_STOCK, "sellout": args.sellout_stock},
        )
    rng = random.Random(20261124)
    customers = make_customers(rng, args.customers)
    spread = make_orders(rng, catalog, customers, skus=catalog.spread_skus, count=4000)
    flash = {target: make_orders(rng, catalog, customers, skus=[sku], count=2000) for target, sku in FLASH_SKU.items()}
    profile_orders = make_orders(rng, catalog, customers, skus=catalog.spread_skus, count=max(args.profile + 20, 20))
    close_django_connections()

    results: list[LevelResult] = []
    checks: list[tuple[str, dict[str, int]]] = []
    common = {"max_requests": args.max_requests, "warm_orders": spread, "database_url": url}
    server = Server(
        url=url,
        port=args.port or free_port(),
        workers=args.workers,
        threads=args.threads,
        extra_env=parse_env_items(args.server_env),
    )
    # (section, clients, Emporos's orders, the baseline's orders or None when it has no such part)
    sections: list[tuple[str, int, list[OrderSpec], list[OrderSpec] | None]] = [
        ("spread", clients, spread, spread) for clients in args.levels
    ]
    if not args.no_flash:
        sections.append(("flash", args.flash_clients, flash["emporos"], flash["baseline"]))
        sections.append(("sellout", args.flash_clients, flash["sellout"], None))
    try:
        with timed(f"start emporos serve on 127.0.0.1:{server.port}"):
            server.start()
        if args.server_warmup > 0:
            with timed(f"warm the server up for {args.server_warmup:.0f} s (not measured)"):
                warm_clients = max([*args.levels, 0 if args.no_flash else args.flash_clients])
                run_level(
                    base=common
                    | {"target": "emporos", "tag": "warm-server", "orders": spread, "processes": args.client_processes}
                    | {"port": server.port, "api_key": api_key},
                    section="warm",
                    clients=warm_clients,
                    seconds=args.server_warmup,
                    warmup=0.0,
                    server_group=server.pid,
                )
        for section, clients, orders, baseline_orders in sections:
            # The sell-out is one race for the last units: it cannot be split into rounds.
            rounds = 1 if section == "sellout" else args.rounds
            seconds = min(args.seconds, 3.0) if section == "sellout" else args.seconds / rounds
            slices: dict[str, list[LevelResult]] = {"emporos": [], "baseline": []}
            for round_ in range(1, rounds + 1):
                turns = [("emporos", orders, server.pid, {"port": server.port, "api_key": api_key})]
                if baseline_orders is not None and not args.no_baseline:
                    turns.append(("baseline", baseline_orders, None, {}))
                for target, target_orders, group, extra in turns:
                    slices[target].append(
                        _run_and_report(
                            target=target,
                            section=section,
                            clients=clients,
                            orders=target_orders,
                            seconds=seconds,
                            round_=(round_, rounds),
                            args=args,
                            base=common | extra,
                            server_group=group,
                            url=url,
                        )
                    )
            results.extend(combine(parts) for parts in slices.values() if parts)
        checks.append(("after Emporos and the baseline", check_invariants(url)))
    finally:
        server.stop()

    profile_text = ""
    if args.profile:
        setup_django(url)
        with timed(f"cProfile of {args.profile} requests in process"):
            profile_text = profile_requests(api_key=api_key, orders=profile_orders, count=args.profile)
        close_django_connections()
        checks.append(("after the profile", check_invariants(url)))

    ok = report(results, checks, args=args, url=url)
    if profile_text:
        heading("Profile: POST /api/v1/orders in process (cProfile)")
        print(profile_text)
    return 0 if ok else 1


def _run_and_report(
    *,
    target: str,
    section: str,
    clients: int,
    orders: list[OrderSpec],
    seconds: float,
    round_: tuple[int, int],
    args: argparse.Namespace,
    base: dict[str, Any],
    server_group: int | None,
    url: str,
) -> LevelResult:
    tag = f"{target[:3]}-{section}-{clients}-r{round_[0]}"
    label = f"{target} {section} {clients} client(s)" + (f", round {round_[0]}/{round_[1]}" if round_[1] > 1 else "")
    print(f"{label}: {args.warmup:.0f} s warm-up + {seconds:.0f} s ...", end="", flush=True)
    level = run_level(
        base=base | {"target": target, "tag": tag, "orders": orders, "processes": args.client_processes},
        section=section,
        clients=clients,
        seconds=seconds,
        warmup=args.warmup,
        server_group=server_group,
    )
    level.stored = stored_orders(url, tag)
    statuses = ", ".join(f"{status}: {count}" for status, count in sorted(level.result.statuses.items()))
    print(
        f" {level.orders_per_second:.0f} orders/s, p50 {level.p(0.5):.1f} ms, p99 {level.p(0.99):.1f} ms "
        f"[{statuses}] cores: {format_cores(level.cores)}",
        flush=True,
    )
    for error in level.result.errors:
        print(f"   error: {error}")
    return level


def report(
    results: list[LevelResult], checks: list[tuple[str, dict[str, int]]], *, args: argparse.Namespace, url: str
) -> bool:
    by_key = {(level.target, level.section, level.clients): level for level in results}
    heading("Spread-out: 3-line orders over many SKUs (orders/s counts 201s; latency in ms)")
    rows = []
    for clients in args.levels:
        app = by_key.get(("emporos", "spread", clients))
        raw = by_key.get(("baseline", "spread", clients))
        if app is None:
            continue
        rows.append(_row(app, raw))
    print(table(HEADERS, rows))

    flash_app = by_key.get(("emporos", "flash", args.flash_clients))
    flash_raw = by_key.get(("baseline", "flash", args.flash_clients))
    if flash_app is not None:
        heading(
            f"Flash sale: {args.flash_clients} clients buy one SKU ({args.flash_stock} units; the baseline's never sells out)"
        )
        print(table(HEADERS, [_row(flash_app, flash_raw)]))
        for target, level in (("emporos", flash_app), ("baseline", flash_raw)):
            if level is None:
                continue
            on_hand, reserved = flash_units(url, FLASH_SKU[target])
            sold_out = reserved >= on_hand
            print(
                f"{target}: {reserved} of {on_hand} units reserved, {level.result.statuses[409]} refused (409)"
                + (f"; sold out {level.accepted_window:.1f} s into the run" if sold_out else "")
            )

    sellout = by_key.get(("emporos", "sellout", args.flash_clients))
    sellout_ok = True
    if sellout is not None:
        on_hand, reserved = flash_units(url, FLASH_SKU["sellout"])
        statuses = sellout.result.statuses
        sellout_ok = reserved == on_hand == statuses[201] and statuses[409] > 0 and sellout.other == 0
        heading(f"Sell-out: {args.flash_clients} clients race for the last {on_hand} units (3 s)")
        print(
            f"{statuses[201]} orders accepted (201), {statuses[409]} refused (409), {sellout.other} other; "
            f"{reserved} of {on_hand} units reserved; refusal p50 {percentile(sellout.result.latencies_ms, 0.5):.1f} ms"
        )

    heading("CPU during each level: average cores busy (2 in all) and CPU ms per accepted order")
    print(table(CPU_HEADERS, [_cpu_row(level) for level in results]))

    heading("Database sessions during each level (average number in each state, sampled every 50 ms)")
    print(
        table(
            ["target", "section", "clients", *SESSION_KINDS],
            [
                [level.target, level.section, level.clients, *(level.sessions.get(kind, 0.0) for kind in SESSION_KINDS)]
                for level in results
            ],
        )
    )
    busy = [f"{level.target} {level.section} {level.clients}" for level in results if level.cores["other"] > 0.2]
    if busy:
        print(
            f"\nWARNING: other work on this machine took more than 0.2 cores during: {', '.join(busy)}; "
            "those figures are low. Run again on a quiet machine."
        )

    heading("Invariants (counted as oversells)")
    oversells = 0
    for when, found in checks:
        for name, count in found.items():
            oversells += count
            print(f"{when}: {name}: {count}")
    mismatched = sum(1 for level in results if level.stored != level.accepted + level.result.statuses[200])

    heading("Targets")
    verdicts = []
    eight = by_key.get(("emporos", "spread", 8))
    eight_raw = by_key.get(("baseline", "spread", 8))
    if eight is not None and eight_raw is not None:
        ratio = eight.orders_per_second / eight_raw.orders_per_second if eight_raw.orders_per_second else 0.0
        verdicts.append((f"8 clients: Emporos >= 40% of raw SQL's orders/s ({ratio:.0%})", ratio >= 0.40))
        verdicts.append(
            (
                f"8 clients: p99 <= 3 x raw SQL's p99 ({eight.p(0.99):.1f} ms vs {eight_raw.p(0.99):.1f} ms, "
                f"{_times(eight.p(0.99), eight_raw.p(0.99))})",
                eight.p(0.99) <= 3 * eight_raw.p(0.99),
            )
        )
    verdicts.append((f"zero oversells ({oversells} invariant violations)", oversells == 0))
    verdicts.append((f"every 201 is one stored order ({mismatched} levels differ)", mismatched == 0))
    if sellout is not None:
        verdicts.append(("sell-out: exactly the stock sold, every later order refused with 409", sellout_ok))
    if flash_app is not None:
        spread_best = max(
            (level.orders_per_second for level in results if level.target == "emporos" and level.section == "spread"),
            default=0.0,
        )
        verdicts.append(
            (
                f"flash sale: orders/s >= half of the best spread-out level "
                f"({flash_app.orders_per_second:.0f} vs {spread_best:.0f})",
                flash_app.orders_per_second >= spread_best / 2,
            )
        )
        if flash_raw is not None:
            verdicts.append(
                (
                    f"flash sale: p99 <= 1.5 x raw SQL's flash p99 ({flash_app.p(0.99):.1f} ms vs "
                    f"{flash_raw.p(0.99):.1f} ms, {_times(flash_app.p(0.99), flash_raw.p(0.99))})",
                    flash_app.p(0.99) <= 1.5 * flash_raw.p(0.99),
                )
            )
    for text, ok in verdicts:
        print(f"{verdict(ok)}  {text}")
    return all(ok for _, ok in verdicts)


def _times(value: float, baseline: float) -> str:
    return f"{value / baseline:.2f} x" if baseline else "no baseline figure"


HEADERS = [
    "clients",
    "orders/s",
    "p50",
    "p99",
    "201",
    "409",
    "other",
    "raw orders/s",
    "raw p50",
    "raw p99",
    "raw 409",
    "ratio",
]


CPU_HEADERS = [
    "target",
    "section",
    "clients",
    "server",
    "postgres",
    "load gen",
    "other",
    "machine",
    "app ms/order",
    "pg ms/order",
    "stored",
    "201",
    "stored==201",
]


def _cpu_row(level: LevelResult) -> list[object]:
    cores = level.cores
    rate = level.orders_per_second or float("nan")
    app = cores["server"] if level.target == "emporos" else cores["clients"]
    return [
        level.target,
        level.section,
        level.clients,
        cores["server"],
        cores["postgres"],
        cores["clients"],
        cores["other"],
        cores["machine"],
        app / rate * 1000,
        cores["postgres"] / rate * 1000,
        level.stored,
        level.accepted,
        "yes" if level.stored == level.accepted + level.result.statuses[200] else "NO",
    ]


def _row(app: LevelResult, raw: LevelResult | None) -> list[object]:
    row: list[object] = [
        app.clients,
        app.orders_per_second,
        app.p(0.5),
        app.p(0.99),
        app.accepted,
        app.result.statuses[409],
        app.other,
    ]
    if raw is None:
        return [*row, "-", "-", "-", "-", "-"]
    ratio = app.orders_per_second / raw.orders_per_second if raw.orders_per_second else float("nan")
    return [*row, raw.orders_per_second, raw.p(0.5), raw.p(0.99), raw.result.statuses[409], f"{ratio:.0%}"]


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
