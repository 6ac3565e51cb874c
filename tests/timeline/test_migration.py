"""The data migration turns the orders' English timeline rows into kinds and facts that read in
every language, keeps who did it and when, and puts each entry on its order and customer."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from emporos.timeline.models import Entry, SubjectKind
from emporos.timeline.selectors import timeline_of

pytestmark = pytest.mark.django_db(transaction=True)

OLD_ORDERS = ("orders", "0003_order_customer_index_with_id")
AFTER = [("orders", "0004_timeline_entries_to_timeline_app")]
T0 = dt.datetime(2026, 11, 20, 9, 0, tzinfo=dt.UTC)


def before() -> list[tuple[str, str | None]]:
    """Every app at its newest migration that does not need the move yet; orders at 0003, with
    its own timeline table."""
    graph = MigrationExecutor(connection).loader.graph
    moved = {("orders", "0004_timeline_entries_to_timeline_app")}
    targets: list[tuple[str, str | None]] = []
    for leaf in graph.leaf_nodes():
        node: tuple[str, str] | None = leaf
        if leaf[0] == "orders":
            targets.append(OLD_ORDERS)
            continue
        while node is not None and moved & set(graph.forwards_plan(node)):
            parents = [parent.key for parent in graph.node_map[node].parents if parent.key[0] == leaf[0]]
            node = parents[0] if parents else None
        targets.append(node if node is not None else (leaf[0], None))  # None: the app not migrated at all
    return targets


def migrate(targets: list[tuple[str, str | None]]) -> Any:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    # An app not migrated at all has no state to build.
    return executor.loader.project_state([target for target in targets if target[1] is not None]).apps


def old_shop(apps: Any) -> tuple[Any, Any]:
    """An order of the old kind with the sentences Emporos used to write."""
    customer = apps.get_model("customers", "Customer").objects.create(
        email="maria@example.gr",
        name="Μαρία",
        search_name="μαρια",
        language="el",
        created_at=T0,
        updated_at=T0,
    )
    product = apps.get_model("catalog", "Product").objects.create(code="tea", name="Tea", created_at=T0, updated_at=T0)
    variant = apps.get_model("catalog", "Variant").objects.create(
        product=product, sku="TEA-1", name="Tea", price=Decimal("19.90"), created_at=T0, updated_at=T0
    )
    order = apps.get_model("orders", "Order").objects.create(
        number=10001,
        channel="web",
        currency="EUR",
        customer=customer,
        status="cancelled",
        payment_status="paid",
        payment_method="paypal",
        amount_paid=Decimal("43.30"),
        subtotal=Decimal("39.80"),
        total=Decimal("43.30"),
        placed_at=T0,
        created_at=T0,
        updated_at=T0,
        due_by=T0,
    )
    apps.get_model("orders", "OrderLine").objects.create(
        order=order,
        variant=variant,
        sku="TEA-1",
        name="Tea",
        quantity=2,
        unit_price=Decimal("19.90"),
        line_total=Decimal("39.80"),
        stock_state="released",
    )
    apps.get_model("auth", "User").objects.create(username="eleni")
    return customer, order


OLD_ROWS = [
    (
        "order_placed",
        "Order EM-10001 placed on web: 2 item(s), 43.30 EUR, paypal (paid).",
        {"channel": "web", "total": "43.30", "currency": "EUR"},
        "api_key:storefront",
    ),
    (
        "order_verified",
        "Verification call: Customer confirmed the details. Spoke to Nikos",
        {"outcome": "confirmed"},
        "staff:eleni",
    ),
    ("order_held", "On hold: Waiting for the customer", {}, "staff:eleni"),
    ("order_released", "Released from hold, back to placed. Called back", {}, "staff:eleni"),
    (
        "payment_recorded",
        "Payment of 43.30 EUR recorded (ref. TRX-1); payment is paid.",
        {"amount": "43.30", "reference": "TRX-1"},
        "system:payments",
    ),
    ("note", "Fragile", {"text": "Fragile"}, "staff:eleni"),
    (
        "order_cancelled",
        "Cancelled: Duplicate order. Stock released for 1 line(s). A refund is due.",
        {},
        "staff:eleni",
    ),
    ("something_old", "A kind this version never knew.", {}, "weird"),
]


def test_old_entries_become_kinds_and_facts_that_read_in_greek() -> None:
    apps = migrate(before())
    try:
        customer, order = old_shop(apps)
        old_entry = apps.get_model("orders", "TimelineEntry")
        for minute, (kind, summary, data, actor) in enumerate(OLD_ROWS):
            old_entry.objects.create(
                customer=customer,
                order=order,
                kind=kind,
                summary=summary,
                data=data,
                actor=actor,
                created_at=T0 + dt.timedelta(minutes=minute),
            )

        migrate(AFTER)

        entries = list(Entry.objects.order_by("occurred_at", "id"))
        assert [entry.kind for entry in entries] == [
            "orders.order_placed",
            "orders.order_verified",
            "orders.order_held",
            "orders.order_released",
            "orders.payment_recorded",
            "orders.note_added",
            "orders.order_cancelled",
            "something_old",
        ]
        assert [(e.actor_kind, e.actor_name) for e in entries[:2]] == [("api_key", "storefront"), ("staff", "eleni")]
        assert entries[1].actor_id != ""
        assert (entries[-1].actor_kind, entries[-1].actor_name) == ("system", "weird")
        assert entries[0].occurred_at == T0
        english = [
            (e.text, e.note) for e in reversed(timeline_of(SubjectKind.ORDER, order.pk, language="en", time_zone="UTC"))
        ]
        assert english == [
            ("Order placed (Web shop): 2 items, €43.30, PayPal (paid).", ""),
            ("Verification call: Customer confirmed the details.", "Spoke to Nikos"),
            ("Put on hold.", "Waiting for the customer"),
            ("Released from hold, back to “Placed”.", "Called back"),
            ("Payment of €43.30 recorded (reference TRX-1); the payment is now paid.", ""),
            ("Internal note.", "Fragile"),
            ("Order cancelled. Stock released for 1 line. A refund of €43.30 is due.", "Duplicate order"),
            ("Earlier entry:", "A kind this version never knew."),
        ]
        greek = timeline_of(SubjectKind.CUSTOMER, customer.pk, language="el", time_zone="UTC")
        assert greek[-1].text == "Νέα παραγγελία (Ηλεκτρονικό κατάστημα): 2 τεμάχια, 43,30\xa0€, PayPal (πληρώθηκε)."

        # And back again: the kinds, the actors, the times and what people typed.
        back = migrate(before())
        restored = back.get_model("orders", "TimelineEntry").objects.order_by("created_at", "id")
        assert [(row.kind, row.actor, row.created_at) for row in restored] == [
            (kind, actor if ":" in actor else f"system:{actor}", T0 + dt.timedelta(minutes=minute))
            for minute, (kind, _summary, _data, actor) in enumerate(OLD_ROWS)
        ]
        assert [row.summary for row in restored][5:] == [
            "Fragile",
            "Duplicate order",
            "A kind this version never knew.",
        ]
    finally:
        migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
