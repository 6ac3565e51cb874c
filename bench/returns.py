"""Return requests under load: POST /api/v1/orders/{number}/returns against the same writes in raw SQL.

Run (about a minute on 2 cores):

    .venv/bin/python bench/returns.py
    .venv/bin/python bench/returns.py --database-url sqlite:////tmp/emporos-returns-bench.sqlite3
    .venv/bin/python bench/returns.py --seconds 5 --clients 1,8 --profile 200

It recreates the database, migrates it, loads delivered orders (two lines each, delivered by a
parcel yesterday, so the 14-day withdrawal is open), starts `emporos serve` and measures, with
`--clients` concurrent clients (each a thread with its own keep-alive connection, spread over a few
load-generator processes), one return request per order, every order asked once:

* Emporos: POST /api/v1/orders/{number}/returns with a unique Idempotency-Key;
* the baseline: the same transaction in raw SQL (psycopg on PostgreSQL, sqlite3 on SQLite), same
  clients, same levels: the order locked, its lines, deliveries, returns already asked, exemptions
  and the policy read, the return, its lines, the outbox event and its deliveries, the timeline
  entry and its subjects written.

After each level it checks that every 201 is exactly one stored return.
"""

from __future__ import annotations

import argparse
import contextlib
import cProfile
import datetime as dt
import hashlib
import http.client
import io
import json
import multiprocessing
import pstats
import queue
import random
import sqlite3
import sys
import threading
import time
import uuid
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import psycopg
from _common import (
    CpuTracker,
    Server,
    background_load,
    close_django_connections,
    format_cores,
    free_port,
    fresh_database,
    heading,
    migrate,
    parse_env_items,
    percentile,
    setup_django,
    stop_on_sigterm,
    table,
    timed,
    verdict,
    warn_if_busy,
)

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/emporos_returns_bench"
TARGET_RATIO = 0.15  # at 8 clients, of the raw-SQL baseline's returns/s in the same run (bench/README.md)
TARGET_P99_RATIO = 5.0  # at 8 clients, Emporos's p99 at most this many times the baseline's p99
API_KEY_NAME = "bench-returns"
REASONS = ("changed_my_mind", "wrong_size", "better_price", "not_as_described")
CONDITIONS = ("unopened", "opened")
TOPIC = "returns.return_requested"
COUNTING = ("approved", "in_transit", "received")
FIRST_BENCH_NUMBER = 500_001  # set here: bulk inserts bypass the number sequence


# --- the database: PostgreSQL or SQLite -----------------------------------------------------------


def is_sqlite(url: str) -> bool:
    return urlsplit(url).scheme == "sqlite"


def sqlite_path(url: str) -> Path:
    path = urlsplit(url).path
    if not path or path == "/":
        sys.exit("--database-url sqlite:////absolute/path.sqlite3: name the file.")
    return Path(path[1:] if path.startswith("//") else path)


def fresh_sqlite(url: str) -> str:
    """The SQLite counterpart of _common.fresh_database: the file removed, created and migrated."""
    stop_on_sigterm()
    heading(f"Returns benchmark on {url}")
    warn_if_busy(background_load())
    path = sqlite_path(url)
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    with timed("emporos migrate"):
        migrate(url)
    return url


# --- the shop: delivered orders -------------------------------------------------------------------


@dataclass(frozen=True)
class Ask:
    """One return request: the order, and the body the API gets (the baseline reads the same)."""

    order_id: int
    number: int
    lines: tuple[tuple[str, int, str, str], ...]  # (sku, quantity, reason, condition)
    body: bytes


def load_shop(*, orders: int, rng: random.Random) -> tuple[list[Ask], str]:
    """Products through the services, then `orders` delivered orders in bulk: customers, orders
    (completed, delivered), lines with every unit shipped and delivered, one delivered parcel each
    with its lines, delivered yesterday. Returns one request per order, and an API key."""
    from emporos.access.services import create_api_key
    from emporos.catalog.models import Variant
    from emporos.catalog.services import ProductDraft, VariantDraft, upsert_products
    from emporos.core import clock
    from emporos.customers.models import Customer
    from emporos.fulfillment.models import Shipment, ShipmentLine, ShipmentStatus
    from emporos.orders.models import Order, OrderLine

    skus = [f"RET-{number:03d}" for number in range(1, 101)]
    upsert_products(
        drafts=[
            ProductDraft(
                code=f"returns-{start // 10:02d}",
                name=f"Product {start // 10}",
                variants=[
                    VariantDraft(sku=sku, name=f"Item {sku}", price=Decimal("24.50"))
                    for sku in skus[start : start + 10]
                ],
            )
            for start in range(0, len(skus), 10)
        ]
    )
    variants = {v.sku: v for v in Variant.objects.filter(sku__in=skus)}
    now = clock.now()
    delivered_at = now - dt.timedelta(days=1)
    placed_at = now - dt.timedelta(days=4)
    customers = Customer.objects.bulk_create(
        Customer(
            email=f"returns.{number}@example.gr",
            name=f"Πελάτης {number}",
            search_name=f"pelatis {number}",
            language="el",
            created_at=placed_at,
            updated_at=placed_at,
        )
        for number in range(max(1, orders // 4))
    )
    address = {
        "name": "Μαρία Παπαδοπούλου",
        "line1": "Ερμού 10",
        "city": "Αθήνα",
        "postal_code": "10563",
        "country": "GR",
    }
    shapes = []
    for _ in range(orders):
        chosen = rng.sample(skus, k=2)
        shapes.append([(sku, rng.randint(1, 3), Decimal(rng.choice(["12.00", "19.90", "24.50"]))) for sku in chosen])
    batch = 1000
    asks: list[Ask] = []
    for start in range(0, orders, batch):
        part = shapes[start : start + batch]
        made = Order.objects.bulk_create(
            Order(
                number=FIRST_BENCH_NUMBER + start + index,
                channel="web",
                currency="EUR",
                customer=customers[(start + index) % len(customers)],
                status="completed",
                payment_status="paid",
                payment_method="card",
                amount_paid=sum(q * p for _, q, p in lines) + Decimal("3.50"),
                fulfillment_status="delivered",
                shipping_method="courier-standard",
                shipping_address=address,
                subtotal=sum(q * p for _, q, p in lines),
                shipping_price=Decimal("3.50"),
                total=sum(q * p for _, q, p in lines) + Decimal("3.50"),
                placed_at=placed_at,
                created_at=placed_at,
                updated_at=delivered_at,
                due_by=placed_at + dt.timedelta(hours=4),
            )
            for index, lines in enumerate(part)
        )
        ids = [order.pk for order in made]
        numbers = {order.pk: order.number for order in made}
        order_lines = OrderLine.objects.bulk_create(
            OrderLine(
                order_id=order_id,
                variant=variants[sku],
                sku=sku,
                name=variants[sku].name,
                quantity=quantity,
                unit_price=price,
                line_total=price * quantity,
                stock_state="shipped",
                quantity_shipped=quantity,
                quantity_delivered=quantity,
            )
            for order_id, lines in zip(ids, part, strict=True)
            for sku, quantity, price in lines
        )
        parcels = Shipment.objects.bulk_create(
            Shipment(
                order_id=order_id,
                sequence=1,
                carrier="demo",
                tracking_number=f"RB{order_id:09d}",
                status=ShipmentStatus.DELIVERED,
                weight_grams=800,
                delivered_at=delivered_at,
                status_at=delivered_at,
                last_event_at=delivered_at,
                created_at=placed_at,
            )
            for order_id in ids
        )
        parcel_of = {parcel.order_id: parcel.pk for parcel in parcels}
        ShipmentLine.objects.bulk_create(
            ShipmentLine(shipment_id=parcel_of[line.order_id], order_line=line, sku=line.sku, quantity=line.quantity)
            for line in order_lines
        )
        for order_id, lines in zip(ids, part, strict=True):
            # Half the requests send everything back for a change of mind (a full withdrawal: the
            # shipping is refunded too), half a part of one line for any reason (a defect: conformity).
            if rng.random() < 0.5:
                wanted = tuple(
                    (sku, quantity, rng.choice(REASONS[:3]), rng.choice(CONDITIONS)) for sku, quantity, _ in lines
                )
            else:
                sku, quantity, _ = lines[0]
                wanted = ((sku, rng.randint(1, quantity), rng.choice(REASONS), rng.choice(CONDITIONS)),)
            body = {
                "lines": [{"sku": s, "quantity": q, "reason": r, "condition": c} for s, q, r, c in wanted],
                "resolution": "refund",
            }
            asks.append(Ask(order_id=order_id, number=numbers[order_id], lines=wanted, body=json.dumps(body).encode()))
    key = create_api_key(name=API_KEY_NAME, scopes=["orders:write", "orders:read"]).plain_key
    return asks, key


# --- the raw-SQL baseline: the same transaction, statement for statement --------------------------
# What request_return writes and reads (captured with CaptureQueriesContext): the order locked, its
# lines, their parcels' delivery times, the units other returns already send back, the exemptions of
# the SKUs, the policy, the order's return count; then the return, its lines, the outbox event (no
# handler subscribes to returns.return_requested, so no delivery rows), the timeline entry and its
# three subjects (return, order, customer). The kind, window and deadlines come from the same pure
# rules (emporos.returns.rules: no database), so both sides store the same values.

EXISTING_SQL = "SELECT id, order_id FROM returns_return WHERE idempotency_key = %s"
LOCK_SQL = {
    "pg": "SELECT id, number, customer_id, currency, shipping_price, shipping_address FROM orders_order WHERE id = %s FOR UPDATE",
    "sqlite": "SELECT id, number, customer_id, currency, shipping_price, shipping_address FROM orders_order WHERE id = %s",
}
LINES_SQL = (
    "SELECT id, sku, quantity, quantity_delivered, unit_price FROM orders_orderline WHERE order_id = %s ORDER BY id"
)
ARRIVED_SQL = """
SELECT sl.order_line_id, MAX(s.delivered_at) FROM fulfillment_shipmentline sl
JOIN orders_orderline l ON l.id = sl.order_line_id JOIN fulfillment_shipment s ON s.id = sl.shipment_id
WHERE l.order_id = %s AND s.delivered_at IS NOT NULL GROUP BY 1
"""
DOWNLOADS_SQL = """
SELECT d.order_line_id, d.downloads, d.created_at FROM fulfillment_download d
JOIN orders_orderline l ON l.id = d.order_line_id WHERE l.order_id = %s
"""
RETURNING_SQL = """
SELECT rl.order_line_id, SUM(rl.quantity) FROM returns_returnline rl JOIN returns_return r ON r.id = rl.return_id
WHERE r.order_id = %s AND r.status IN ('approved', 'in_transit', 'received') GROUP BY 1
"""
POLICY_SQL = (
    "SELECT voluntary_days, customers_informed, return_shipping_paid_by, return_shipping_fee, return_carrier "
    "FROM returns_returnpolicy WHERE id = 1"
)
COUNT_SQL = "SELECT COUNT(*) FROM returns_return WHERE order_id = %s"
RETURN_SQL = """
INSERT INTO returns_return (public_id, order_id, sequence, kind, status, resolution, channel, is_withdrawal_statement,
    notice_at, window_ends, refund_due, first_scan_at, received_at, closed_at, fee, return_shipping_fee,
    shipping_refund, refund_id, carrier, tracking_number, carrier_reference, tracking_url, label, label_created_at,
    iban, account_holder, note, rejection_reason, actor, created_at, updated_at, idempotency_key, request_fingerprint)
VALUES (%s, %s, %s, %s, 'approved', 'refund', 'api', %s, %s, %s, %s, NULL, NULL, NULL, %s, %s, %s, NULL, %s, '', '',
    '', '', NULL, '', '', '', '', %s, %s, %s, %s, %s)
RETURNING id
"""
LINE_HEAD = (
    "INSERT INTO returns_returnline (return_id, order_line_id, sku, quantity, reason, condition, unit_refund, "
    "exchange_sku, received_quantity, received_condition, restocked_quantity) VALUES "
)
LINE_ROW = "(%s, %s, %s, %s, %s, %s, %s, '', 0, '', 0)"
# Every handler of the topic gets its delivery row, as outbox.emit writes them.
DELIVERY_SQL = """
INSERT INTO outbox_delivery (event_id, handler, status, attempts, due_at, last_error, completed_at, delivered_by)
VALUES (%s, %s, 'pending', 0, %s, '', NULL, '')
"""
EVENT_SQL = f"INSERT INTO outbox_event (uuid, topic, payload, created_at) VALUES (%s, '{TOPIC}', %s, %s) RETURNING id"
TIMELINE_SQL = f"""
INSERT INTO timeline_entry (kind, facts, actor_kind, actor_id, actor_name, occurred_at, event_id)
VALUES ('{TOPIC}', %s, 'api_key', %s, %s, %s, %s) RETURNING id
"""
SUBJECTS_SQL = (
    "INSERT INTO timeline_subject (entry_id, kind, ref_id) VALUES (%s, 'return', %s), (%s, 'order', %s), "
    "(%s, 'customer', %s)"
)


@dataclass(frozen=True)
class Dialect:
    """What differs between psycopg and sqlite3: placeholders, how values are stored, locking."""

    name: str  # "pg" or "sqlite"

    def sql(self, text: str) -> str:
        return text if self.name == "pg" else text.replace("%s", "?")

    def uuid(self, value: uuid.UUID) -> object:
        return value if self.name == "pg" else value.hex

    def json(self, value: object) -> object:
        if self.name == "pg":
            from psycopg.types.json import Jsonb

            return Jsonb(value)
        return json.dumps(value)

    def moment(self, value: dt.datetime) -> object:
        # Django stores SQLite datetimes as naive UTC text.
        return value if self.name == "pg" else value.astimezone(dt.UTC).replace(tzinfo=None).isoformat(" ")

    def day(self, value: dt.date | None) -> object:
        return value if self.name == "pg" or value is None else value.isoformat()

    def decimal(self, value: Decimal) -> object:
        return value if self.name == "pg" else str(value)

    def parse_moment(self, value: object) -> dt.datetime:
        if isinstance(value, dt.datetime):
            return value
        return dt.datetime.fromisoformat(str(value)).replace(tzinfo=dt.UTC)


@dataclass(frozen=True)
class Actor:
    """The API key's actor as the server records it (kind api_key, its prefix, its name)."""

    key_id: str
    name: str

    @property
    def label(self) -> str:
        return f"api_key:{self.name}"[:150]


def connect_raw(url: str) -> Any:
    if is_sqlite(url):
        conn = sqlite3.connect(sqlite_path(url), timeout=30, isolation_level=None, check_same_thread=False)
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=NORMAL")
        conn.execute("PRAGMA busy_timeout=30000")
        return conn
    return psycopg.connect(url)


def fingerprint(ask: Ask) -> str:
    """The body as the API hashes it (emporos.api.idempotency): canonical JSON with the defaults."""
    body = {
        "lines": [
            {"sku": sku, "quantity": quantity, "reason": reason, "condition": condition, "exchange_sku": ""}
            for sku, quantity, reason, condition in ask.lines
        ],
        "resolution": "refund",
        "note": "",
        "iban": "",
        "account_holder": "",
    }
    return hashlib.sha256(json.dumps(body, sort_keys=True, separators=(",", ":")).encode()).hexdigest()


def _end(conn: Any, cur: Any, dialect: Dialect, *, commit: bool) -> None:
    if dialect.name == "pg":
        conn.commit() if commit else conn.rollback()
    else:
        cur.execute("COMMIT" if commit else "ROLLBACK")


def request_return_sql(
    conn: Any, dialect: Dialect, ask: Ask, key: str, actor: Actor, time_zone: str, *, transact: bool = True
) -> int:
    """The transaction of emporos.returns.services.request_return in raw SQL; the HTTP status it means.

    `transact=False` runs it inside the caller's transaction (the test compares its rows with the
    service's inside one test transaction)."""
    from zoneinfo import ZoneInfo

    from emporos.outbox.registry import handlers_for
    from emporos.returns import rules

    zone = ZoneInfo(time_zone)
    q = dialect.sql
    cur = conn.cursor()
    try:
        cur.execute(q(EXISTING_SQL), (key,))
        if cur.fetchone() is not None:  # the service also checks the fingerprint and answers the return
            return 200
        if transact and dialect.name == "sqlite":
            cur.execute("BEGIN IMMEDIATE")
        cur.execute(q(LOCK_SQL[dialect.name]), (ask.order_id,))
        order_id, number, customer_id, currency, shipping_price, address = cur.fetchone()
        shipping_price = Decimal(str(shipping_price))
        if isinstance(address, str):
            address = json.loads(address)
        cur.execute(q(LINES_SQL), (order_id,))
        lines = {
            sku: (line_id, quantity, delivered, Decimal(str(price)))
            for line_id, sku, quantity, delivered, price in cur.fetchall()
        }
        cur.execute(q(ARRIVED_SQL), (order_id,))
        arrived = {line_id: dialect.parse_moment(at) for line_id, at in cur.fetchall()}
        cur.execute(q(DOWNLOADS_SQL), (order_id,))
        downloaded = {line_id for line_id, downloads, _ in cur.fetchall() if downloads > 0}
        cur.execute(q(RETURNING_SQL), (order_id,))
        already = {line_id: int(units) for line_id, units in cur.fetchall()}
        skus = [sku for sku, *_ in ask.lines]
        cur.execute(
            q(f"SELECT sku, exemption FROM returns_skuexemption WHERE sku IN ({', '.join(['%s'] * len(skus))})"), skus
        )
        exemptions = dict(cur.fetchall())
        cur.execute(q(POLICY_SQL))
        policy = cur.fetchone() or (0, True, "shop", Decimal(0), "manual")
        voluntary_days, informed, paid_by, return_fee, carrier = policy
        now = dt.datetime.now(dt.UTC)
        today = now.astimezone(zone).date()
        terms = rules.Terms(
            country=str((address or {}).get("country") or "GR").upper(),
            voluntary_days=voluntary_days,
            customer_informed=bool(informed),
        )
        delivered_on = [
            arrived[line_id].astimezone(zone).date() if delivered >= quantity and line_id in arrived else None
            for line_id, quantity, delivered, _ in lines.values()
        ]
        chosen = rules.choose(
            terms, delivered_on=delivered_on, reasons={reason for _, _, reason, _ in ask.lines}, today=today
        )
        if chosen.kind is None:
            raise LookupError("refused")
        for sku, quantity, reason, condition in ask.lines:
            line_id, _, delivered, _ = lines[sku]
            if quantity > delivered - already.get(line_id, 0):
                raise LookupError("more than returnable")
            kind = rules.Kind.CONFORMITY if reason in rules.CONFORMITY_REASONS else chosen.kind
            exemption = {exemptions[sku]} if sku in exemptions else set()
            if rules.line_refusal(kind, exemptions=exemption, condition=condition, downloaded=line_id in downloaded):
                raise LookupError("exempt")
        cur.execute(q(COUNT_SQL), (order_id,))
        sequence = int(cur.fetchone()[0]) + 1
        kind = chosen.kind
        goods = sum((lines[sku][3] * quantity for sku, quantity, _, _ in ask.lines), Decimal(0))
        fee = rules.cancellation_fee(
            terms, kind, price=goods, currency=currency, reasons={r for _, _, r, _ in ask.lines}
        )
        conformity = kind == rules.Kind.CONFORMITY
        shipping_fee = (
            Decimal("0.00") if conformity or paid_by == "shop" else Decimal(str(return_fee)).quantize(Decimal("0.01"))
        )
        returning = dict(already)
        for sku, quantity, _, _ in ask.lines:
            returning[lines[sku][0]] = returning.get(lines[sku][0], 0) + quantity
        full = all(returning.get(line_id, 0) >= quantity for line_id, quantity, _, _ in lines.values())
        shipping_refund = (
            Decimal("0.00")
            if conformity or shipping_price <= 0
            else rules.outbound_shipping_refund(
                full_withdrawal=full, shipping_paid=shipping_price, cheapest_standard=shipping_price
            )
        )
        due = rules.refund_deadline(
            notice_on=today, goods_received_on=None, first_scan_on=None, today=today
        ).refund_due_on
        cur.execute(
            q(RETURN_SQL),
            (
                dialect.uuid(uuid.uuid4()),
                order_id,
                sequence,
                str(kind),
                False,
                dialect.moment(now),
                dialect.day(chosen.window.ends_on),
                dialect.day(due),
                dialect.decimal(Decimal(fee).quantize(Decimal("0.01"))),
                dialect.decimal(shipping_fee),
                dialect.decimal(Decimal(shipping_refund).quantize(Decimal("0.01"))),
                carrier,
                actor.label,
                dialect.moment(now),
                dialect.moment(now),
                key,
                fingerprint(ask),
            ),
        )
        (return_id,) = cur.fetchone()
        cur.execute(
            q(LINE_HEAD + ", ".join([LINE_ROW] * len(ask.lines))),
            [
                value
                for sku, quantity, reason, condition in ask.lines
                for value in (
                    return_id,
                    lines[sku][0],
                    sku,
                    quantity,
                    reason,
                    condition,
                    dialect.decimal(lines[sku][3]),
                )
            ],
        )
        units = sum(quantity for _, quantity, _, _ in ask.lines)
        payload = {
            "return_id": return_id,
            "order_id": order_id,
            "kind": str(kind),
            "resolution": "refund",
            "units": units,
            "withdrawal_statement": False,
        }
        cur.execute(q(EVENT_SQL), (dialect.uuid(uuid.uuid4()), dialect.json(payload), dialect.moment(now)))
        (event_id,) = cur.fetchone()
        for handler in handlers_for(TOPIC):  # the label, the e-mail... as registered at start-up
            cur.execute(q(DELIVERY_SQL), (event_id, handler.name, dialect.moment(now)))
        facts = payload | {"number": f"EM-{number}", "sequence": sequence, "skus": skus}
        cur.execute(q(TIMELINE_SQL), (dialect.json(facts), actor.key_id, actor.name, dialect.moment(now), event_id))
        (entry_id,) = cur.fetchone()
        cur.execute(q(SUBJECTS_SQL), (entry_id, return_id, entry_id, order_id, entry_id, customer_id))
        if transact:
            _end(conn, cur, dialect, commit=True)
    except LookupError:
        if transact:
            _end(conn, cur, dialect, commit=False)
        return 422
    except (psycopg.Error, sqlite3.Error):
        if transact:
            with contextlib.suppress(Exception):
                _end(conn, cur, dialect, commit=False)
        return 500
    finally:
        cur.close()
    return 201


# --- the load generator ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Plan:
    target: str  # "emporos" (HTTP) or "baseline" (raw SQL)
    tag: str  # idempotency keys of this level start with it
    clients: int
    start_at: float  # time.monotonic() when measuring starts (clocks agree across processes on Linux)
    end_at: float
    asks: list[Ask]  # this level's orders; client n takes asks[n::clients], each once
    port: int = 0
    api_key: str = ""
    database_url: str = ""
    actor: Actor = Actor("", "")
    time_zone: str = "Europe/Athens"


@dataclass
class ThreadResult:
    latencies_ms: list[float] = field(default_factory=list)
    statuses: Counter[int] = field(default_factory=Counter)
    warm_requests: int = 0
    last_done: float = 0.0
    ran_out: bool = False
    errors: list[str] = field(default_factory=list)

    def merge(self, other: ThreadResult) -> None:
        self.latencies_ms.extend(other.latencies_ms)
        self.statuses.update(other.statuses)
        self.warm_requests += other.warm_requests
        self.last_done = max(self.last_done, other.last_done)
        self.ran_out = self.ran_out or other.ran_out
        self.errors.extend(other.errors[: 5 - len(self.errors)])


def _http_sender(plan: Plan, result: ThreadResult) -> tuple[Callable[[Ask, str], int], Callable[[], None]]:
    conn = http.client.HTTPConnection("127.0.0.1", plan.port, timeout=60)
    base = {"Authorization": f"Bearer {plan.api_key}", "Content-Type": "application/json"}

    def send(ask: Ask, key: str) -> int:
        # A dropped keep-alive connection is retried once with the same Idempotency-Key: safe by design.
        for attempt in (1, 2):
            try:
                conn.request(
                    "POST",
                    f"/api/v1/orders/EM-{ask.number}/returns",
                    body=ask.body,
                    headers=base | {"Idempotency-Key": key},
                )
                response = conn.getresponse()
                body = response.read()
                if response.status not in {200, 201} and len(result.errors) < 5:
                    result.errors.append(f"{response.status}: {body[:300]!r}")
                return response.status
            except (OSError, http.client.HTTPException) as exc:
                conn.close()
                if attempt == 2:
                    result.errors.append(f"{type(exc).__name__}: {exc}")
        return 0

    return send, conn.close


def _sql_sender(plan: Plan, result: ThreadResult) -> tuple[Callable[[Ask, str], int], Callable[[], None]]:
    conn = connect_raw(plan.database_url)
    dialect = Dialect("sqlite" if is_sqlite(plan.database_url) else "pg")

    def send(ask: Ask, key: str) -> int:
        return request_return_sql(conn, dialect, ask, key, plan.actor, plan.time_zone)

    return send, conn.close


def _client_thread(plan: Plan, index: int, out: list[ThreadResult]) -> None:
    result = ThreadResult()
    out.append(result)
    mine = plan.asks[index :: plan.clients]
    try:
        send, close = (_http_sender if plan.target == "emporos" else _sql_sender)(plan, result)
    except (OSError, psycopg.Error, sqlite3.Error) as exc:
        result.errors.append(f"connect: {exc}")
        return
    try:
        for number, ask in enumerate(mine):
            started = time.monotonic()
            if started >= plan.end_at:
                break
            status = send(ask, f"{plan.tag}-{index}-{number}")
            done = time.monotonic()
            if started < plan.start_at:
                result.warm_requests += 1
                continue
            result.latencies_ms.append((done - started) * 1000)
            result.statuses[status] += 1
            result.last_done = done
        else:
            result.ran_out = True
    finally:
        close()


def _client_process(plan: Plan, indexes: list[int], results: multiprocessing.Queue[Any]) -> None:
    out: list[ThreadResult] = []
    workers = [threading.Thread(target=_client_thread, args=(plan, index, out), daemon=True) for index in indexes]
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
    clients: int
    result: ThreadResult
    seconds: float
    cores: dict[str, float]
    stored: int = 0

    @property
    def accepted(self) -> int:
        return self.result.statuses[201]

    @property
    def per_second(self) -> float:
        return self.accepted / self.seconds if self.seconds > 0 else 0.0

    @property
    def other(self) -> int:
        return sum(count for status, count in self.result.statuses.items() if status != 201)

    def p(self, fraction: float) -> float:
        return percentile(self.result.latencies_ms, fraction)


def run_level(
    *, plan_args: dict[str, Any], clients: int, processes: int, seconds: float, warmup: float, server_group: int | None
) -> LevelResult:
    processes = max(1, min(processes, clients))
    start_at = time.monotonic() + 0.5 + warmup
    plan = Plan(clients=clients, start_at=start_at, end_at=start_at + seconds, **plan_args)
    context = multiprocessing.get_context("fork")
    results: multiprocessing.Queue[Any] = context.Queue()
    children = [
        context.Process(target=_client_process, args=(plan, list(range(p, clients, processes)), results), daemon=True)
        for p in range(processes)
    ]
    try:
        for child in children:
            child.start()
        pids = [child.pid for child in children if child.pid is not None]
        time.sleep(max(0.0, plan.start_at - time.monotonic()))
        tracker = CpuTracker(server_group=server_group, client_pids=pids).start()
        merged = ThreadResult()
        for _ in children:
            merged.merge(results.get(timeout=seconds + warmup + 120))
        cores = tracker.stop()
        for child in children:
            child.join(timeout=30)
    finally:
        for child in children:
            if child.is_alive():
                child.terminate()
    # The window: the measured seconds, or up to the last answer when the orders ran out first.
    window = seconds if not merged.ran_out else max(merged.last_done - start_at, 1e-9)
    return LevelResult(target=plan.target, clients=clients, result=merged, seconds=window, cores=cores)


def stored_returns(url: str, tag: str) -> int:
    sql = "SELECT count(*) FROM returns_return WHERE idempotency_key LIKE %s"
    if is_sqlite(url):
        with contextlib.closing(sqlite3.connect(sqlite_path(url))) as conn:
            return int(conn.execute(sql.replace("%s", "?"), [f"{tag}-%"]).fetchone()[0])
    with psycopg.connect(url) as conn:
        row = conn.execute(sql, [f"{tag}-%"]).fetchone()
    return int(row[0]) if row else 0


# --- profile ------------------------------------------------------------------------------------------


def profile_requests(*, api_key: str, asks: list[Ask], count: int) -> str:
    """cProfile of `count` return requests through Django's full stack, in this process."""
    from django.db import connection
    from django.test import Client

    client = Client(headers={"Authorization": f"Bearer {api_key}"})

    def post(ask: Ask, key: str) -> None:
        response = client.post(
            f"/api/v1/orders/EM-{ask.number}/returns",
            data=ask.body,
            content_type="application/json",
            headers={"Idempotency-Key": key},
        )
        if response.status_code != 201:
            raise RuntimeError(f"profile request: {response.status_code} {response.content[:300]!r}")

    for number in range(10):  # warm: URL resolver, schemas, connection
        post(asks[number], f"profile-warm-{number}")
    # An execute wrapper, not CaptureQueriesContext: a request's start resets Django's query log.
    statements: list[str] = []

    def record(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        statements.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(record):
        post(asks[10], "profile-queries")
    profiler = cProfile.Profile()
    started = time.perf_counter()
    profiler.enable()
    for number in range(count):
        post(asks[11 + number], f"profile-{number}")
    profiler.disable()
    per_request = (time.perf_counter() - started) / count * 1000
    out = io.StringIO()
    out.write(f"{len(statements)} statements in one request (the transaction's BEGIN and COMMIT not counted):\n")
    for sql in statements:
        out.write(f"  {sql[:150]}\n")
    out.write(f"\n{count} requests in process, {per_request:.2f} ms each under cProfile (single thread)\n")
    stats = pstats.Stats(profiler, stream=out).strip_dirs()
    stats.sort_stats("cumulative").print_stats(30)
    stats.sort_stats("tottime").print_stats(20)
    return out.getvalue()


# --- the run ------------------------------------------------------------------------------------------


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--database-url",
        default=DEFAULT_URL,
        help="postgres://... (dropped and created again) or sqlite:////path (the file replaced); default %(default)s",
    )
    parser.add_argument("--workers", type=int, default=2, help="gunicorn worker processes (default %(default)s)")
    parser.add_argument("--threads", type=int, default=4, help="threads per worker (default %(default)s)")
    parser.add_argument("--clients", default="8", help="concurrency levels, comma separated (default %(default)s)")
    parser.add_argument("--orders", type=int, default=0, help="delivered orders (default: 4,000 per level and target)")
    parser.add_argument("--seconds", type=float, default=10.0, help="measured seconds per level (default %(default)s)")
    parser.add_argument(
        "--warmup", type=float, default=2.0, help="unmeasured seconds before each level (default %(default)s)"
    )
    parser.add_argument(
        "--client-processes", type=int, default=2, help="load-generator processes (default %(default)s)"
    )
    parser.add_argument("--no-baseline", action="store_true", help="skip the raw-SQL baseline")
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
    if not args.levels or min(args.levels) < 1 or not 0 < args.seconds <= 120:
        parser.error("--clients needs numbers of 1 or more; --seconds from 0 to 120.")
    if not args.orders:
        args.orders = 4000 * len(args.levels) * 2 + args.profile + 20
    return args


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    if is_sqlite(args.database_url):
        url = fresh_sqlite(args.database_url)
    else:
        url = fresh_database(
            args.database_url, title="Returns benchmark", detail=f" ({args.workers} workers x {args.threads} threads)"
        )
    setup_django(url)
    with timed(f"{args.orders} delivered orders"):
        asks, api_key = load_shop(orders=args.orders, rng=random.Random(20261130))
    from emporos.access.models import ApiKey
    from emporos.shop import selectors as shop

    key_row = ApiKey.objects.get(name=API_KEY_NAME)
    actor = Actor(key_id=key_row.prefix, name=key_row.name)
    time_zone = shop.current().time_zone
    close_django_connections()

    profile_asks, asks = asks[: args.profile + 20], asks[args.profile + 20 :]
    share = len(asks) // (2 * len(args.levels))
    pools = {
        (target, clients): asks[(2 * number + side) * share : (2 * number + side + 1) * share]
        for number, clients in enumerate(args.levels)
        for side, target in enumerate(("emporos", "baseline"))
    }
    results: list[LevelResult] = []
    server = Server(
        url=url,
        port=args.port or free_port(),
        workers=args.workers,
        threads=args.threads,
        extra_env=parse_env_items(args.server_env),
    )
    try:
        with timed(f"start emporos serve on 127.0.0.1:{server.port}"):
            server.start()
        for clients in args.levels:
            results.append(
                _run_and_report(
                    "emporos",
                    clients,
                    args,
                    url,
                    server.pid,
                    pools["emporos", clients],
                    port=server.port,
                    api_key=api_key,
                )
            )
    finally:
        server.stop()
    if not args.no_baseline:
        for clients in args.levels:
            results.append(
                _run_and_report(
                    "baseline", clients, args, url, None, pools["baseline", clients], actor=actor, time_zone=time_zone
                )
            )
    profile_text = ""
    if args.profile:
        setup_django(url)
        with timed(f"cProfile of {args.profile} requests in process"):
            profile_text = profile_requests(api_key=api_key, asks=profile_asks, count=args.profile)
        close_django_connections()
    ok = report(results, args=args)
    if profile_text:
        heading("Profile: POST /api/v1/orders/{number}/returns in process (cProfile)")
        print(profile_text)
    return 0 if ok else 1


def _run_and_report(
    target: str,
    clients: int,
    args: argparse.Namespace,
    url: str,
    server_group: int | None,
    asks: list[Ask],
    **extra: Any,
) -> LevelResult:
    tag = f"{target[:3]}-{clients}"
    print(f"{target} {clients} client(s): {args.warmup:.0f} s warm-up + {args.seconds:.0f} s ...", end="", flush=True)
    level = run_level(
        plan_args={"target": target, "tag": tag, "asks": asks, "database_url": url, **extra},
        clients=clients,
        processes=args.client_processes,
        seconds=args.seconds,
        warmup=args.warmup,
        server_group=server_group,
    )
    level.stored = stored_returns(url, tag) - level.result.warm_requests
    statuses = ", ".join(f"{status}: {count}" for status, count in sorted(level.result.statuses.items()))
    print(
        f" {level.per_second:.0f} returns/s, p50 {level.p(0.5):.1f} ms, p99 {level.p(0.99):.1f} ms "
        f"[{statuses}]{' (ran out of orders)' if level.result.ran_out else ''} cores: {format_cores(level.cores)}",
        flush=True,
    )
    for error in level.result.errors:
        print(f"   error: {error}")
    return level


HEADERS = [
    "clients",
    "returns/s",
    "p50",
    "p99",
    "201",
    "other",
    "raw returns/s",
    "raw p50",
    "raw p99",
    "raw other",
    "ratio",
]
CPU_HEADERS = [
    "target",
    "clients",
    "server",
    "database",
    "load gen",
    "other",
    "machine",
    "app ms/return",
    "db ms/return",
    "stored==201",
]


def report(results: list[LevelResult], *, args: argparse.Namespace) -> bool:
    by_key = {(level.target, level.clients): level for level in results}
    heading("Return requests: one per delivered order (returns/s counts 201s; latency in ms)")
    rows: list[list[object]] = []
    for clients in args.levels:
        app, raw = by_key[("emporos", clients)], by_key.get(("baseline", clients))
        row: list[object] = [clients, app.per_second, app.p(0.5), app.p(0.99), app.accepted, app.other]
        if raw is None:
            rows.append([*row, "-", "-", "-", "-", "-"])
        else:
            ratio = app.per_second / raw.per_second if raw.per_second else float("nan")
            rows.append([*row, raw.per_second, raw.p(0.5), raw.p(0.99), raw.other, f"{ratio:.0%}"])
    print(table(HEADERS, rows))

    heading("CPU during each level: average cores busy (2 in all) and CPU ms per accepted return")
    database = "clients" if is_sqlite(args.database_url) else "postgres"  # SQLite runs inside its callers
    cpu_rows = []
    for level in results:
        cores, rate = level.cores, level.per_second or float("nan")
        app = cores["server"] if level.target == "emporos" else cores["clients"]
        cpu_rows.append(
            [
                level.target,
                level.clients,
                cores["server"],
                cores["postgres"] if database == "postgres" else "-",
                cores["clients"],
                cores["other"],
                cores["machine"],
                app / rate * 1000,
                cores["postgres"] / rate * 1000 if database == "postgres" else "-",
                "yes" if level.stored == level.accepted else f"NO ({level.stored})",
            ]
        )
    print(table(CPU_HEADERS, cpu_rows))
    if is_sqlite(args.database_url):
        print("(SQLite runs inside the server's and the baseline's processes: its CPU is in theirs.)")
    busy = [f"{level.target} {level.clients}" for level in results if level.cores["other"] > 0.2]
    if busy:
        print(
            f"\nWARNING: other work on this machine took more than 0.2 cores during: {', '.join(busy)}; "
            "those figures are low. Run again on a quiet machine."
        )

    heading("Targets")
    verdicts = []
    eight, eight_raw = by_key.get(("emporos", 8)), by_key.get(("baseline", 8))
    if eight is not None and eight_raw is not None:
        ratio = eight.per_second / eight_raw.per_second if eight_raw.per_second else 0.0
        verdicts.append((f"8 clients: Emporos >= {TARGET_RATIO:.0%} of raw SQL ({ratio:.0%})", ratio >= TARGET_RATIO))
    if eight is not None and eight_raw is not None:
        times = eight.p(0.99) / eight_raw.p(0.99) if eight_raw.p(0.99) else float("inf")
        verdicts.append(
            (
                f"8 clients: p99 <= {TARGET_P99_RATIO:g}x the baseline's ({eight.p(0.99):.1f} ms, {times:.1f}x)",
                times <= TARGET_P99_RATIO,
            )
        )
    failed = sum(level.other for level in results)
    verdicts.append((f"every request answered 201 ({failed} other answers)", failed == 0))
    mismatched = sum(1 for level in results if level.stored != level.accepted)
    verdicts.append((f"every 201 is one stored return ({mismatched} levels differ)", mismatched == 0))
    for text, ok in verdicts:
        print(f"{verdict(ok)}  {text}")
    return all(ok for _, ok in verdicts)


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
