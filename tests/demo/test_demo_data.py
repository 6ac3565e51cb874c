"""The demo shop: a believable 90-day history written through the services, and the live ticker."""

from __future__ import annotations

import datetime as dt
import random
import unicodedata
from collections import Counter
from decimal import Decimal

import phonenumbers
import pytest
from django.db.models import F, OuterRef, Subquery, Sum

from emporos.catalog.models import FulfillmentMode, OutOfStockPolicy, Product
from emporos.core import clock
from emporos.core.actor import Actor
from emporos.customers.models import Customer
from emporos.demo.data import demo_loaded, load_demo, place_random_order
from emporos.feedback.models import Review, SatisfactionCheck
from emporos.inventory.models import Location, StockLevel, StockMovement
from emporos.inventory.selectors import low_stock
from emporos.orders import dashboard
from emporos.orders.models import LineStockState, Order, OrderLine
from emporos.orders.selectors import queue, queue_counts
from emporos.orders.states import WAITING_STATUSES, OrderStatus
from emporos.outbox.events import event_classes
from emporos.outbox.models import Delivery, Event
from emporos.shipping import selectors as shipping
from emporos.shop import selectors as shop
from emporos.timeline.models import Entry
from emporos.timeline.rendering import kinds

# A Wednesday noon in Athens: the load is deterministic for a seed and a moment.
MOMENT = dt.datetime(2026, 11, 25, 10, 0, tzinfo=dt.UTC)
STOREFRONT = Actor.system("demo storefront")
LANGUAGES_BY_COUNTRY = {"GR": {"el", "en"}, "PL": {"pl", "en"}, "IL": {"he", "en"}}
SCRIPT_BY_LANGUAGE = {"el": "GREEK", "he": "HEBREW", "pl": "LATIN"}


def ledger_matches_levels() -> bool:
    """Per (variant, location), the movements add up to the level's on_hand and reserved."""
    sums = {
        (row["variant_id"], row["location_id"]): (row["on_hand"], row["reserved"])
        for row in StockMovement.objects.values("variant_id", "location_id").annotate(
            on_hand=Sum("on_hand_delta"), reserved=Sum("reserved_delta")
        )
    }
    levels = {(lv.variant_id, lv.location_id): (lv.on_hand, lv.reserved) for lv in StockLevel.objects.all()}
    return sums == levels


def reserved_by_open_orders() -> dict[tuple[int, int], int]:
    rows = (
        OrderLine.objects.filter(stock_state=LineStockState.RESERVED)
        .exclude(order__status__in=[OrderStatus.COMPLETED, OrderStatus.CANCELLED])
        .values("variant_id", "reserved_location_id")
        .annotate(units=Sum("quantity"))
    )
    return {(row["variant_id"], row["reserved_location_id"]): row["units"] for row in rows}


def script_of(name: str) -> str:
    """The writing system of most letters in `name`: GREEK, HEBREW or LATIN."""
    letters = [char for char in name if char.isalpha()]
    return Counter(unicodedata.name(char).split()[0] for char in letters).most_common(1)[0][0]


# A guard against a hang, not a speed target: the demo tells 90 days of a shop, and these machines
# are shared (a busy day takes twice as long).
@pytest.mark.timeout(600)
@pytest.mark.usefixtures("db")
def test_load_demo_builds_a_believable_shop_and_the_ticker_adds_to_its_queue() -> None:
    with clock.frozen_at(MOMENT):
        load_demo()

        # Catalog: every fulfillment mode, consumables, a pre-order in the future, mostly "deny".
        assert demo_loaded()
        products = Product.objects.all()
        assert products.count() >= 40
        assert {p.fulfillment_mode for p in products} == set(FulfillmentMode.values)
        assert products.filter(is_consumable=True).count() >= 3
        assert 3 <= products.filter(out_of_stock_policy=OutOfStockPolicy.BACKORDER).count() < products.count() / 4
        assert all(p.release_on > MOMENT.date() for p in products.filter(fulfillment_mode=FulfillmentMode.PREORDER))
        assert set(Location.objects.values_list("code", flat=True)) == {"athens", "thessaloniki", "warsaw"}

        # Customers: valid mobile numbers, the country's language or English, names in its script.
        customers = list(Customer.objects.all())
        assert len(customers) == 300
        for customer in customers:
            number = phonenumbers.parse(customer.phone)
            assert phonenumbers.is_valid_number(number), customer.phone
            country = phonenumbers.region_code_for_number(number)
            assert customer.language in LANGUAGES_BY_COUNTRY[country], (customer.phone, customer.language)
            if customer.language in SCRIPT_BY_LANGUAGE:
                assert script_of(customer.name) == SCRIPT_BY_LANGUAGE[customer.language], customer.name
        assert Counter(phonenumbers.region_code_for_number(phonenumbers.parse(c.phone)) for c in customers) == {
            "GR": 150,
            "PL": 90,
            "IL": 60,
        }

        # Orders: about 1,000 over 90 days, every status, an honest queue, history in the past.
        orders = Order.objects.all()
        assert 900 <= orders.count() <= 1100
        assert orders.filter(placed_at__lt=MOMENT - dt.timedelta(days=91)).count() == 0
        assert set(orders.values_list("status", flat=True)) == set(OrderStatus)
        assert {"pending", "paid", "refunded"} <= set(orders.values_list("payment_status", flat=True))
        # Cancelled paid orders: most refunded, some with the refund still due (the desk shows both).
        cancelled_paid = orders.filter(status=OrderStatus.CANCELLED, amount_paid__gt=0)
        assert cancelled_paid.filter(payment_status="refunded").exists()
        assert {"EUR", "PLN", "ILS"} == set(orders.values_list("currency", flat=True))
        waiting = orders.filter(status__in=list(WAITING_STATUSES))
        assert 20 <= waiting.count() <= 60
        assert waiting.filter(overdue_flagged_at__isnull=False).count() > 0
        assert waiting.filter(due_by__lt=MOMENT, overdue_flagged_at__isnull=True).count() == 0
        assert orders.filter(overdue_flagged_at__isnull=False).exclude(status__in=list(WAITING_STATUSES)).count() == 0
        # The home page is lively: orders on each of the last 30 days, sales today, low stock; the queue
        # tells the work that can be done now from the orders waiting for stock, a date or making.
        time_zone = shop.time_zone()
        recent = dashboard.recent_orders(today=MOMENT.astimezone(time_zone).date(), time_zone=time_zone)
        assert all(day.orders > 0 for day in recent.days), [day.orders for day in recent.days]
        assert recent.today
        assert low_stock().skus
        counts = queue_counts()
        assert counts.waiting_for_lines > 0
        assert counts.actionable > 0
        # Shipping: each country's zone quotes its methods, with thresholds and cash on delivery.
        sku = OrderLine.objects.filter(variant__product__fulfillment_mode="physical").values_list("sku", flat=True)[0]
        greek = shipping.quote(currency="EUR", country="GR", postal_code="10563", lines=[shipping.QuoteLine(sku, 1)])
        assert [option.code for option in greek.options] == [
            "courier-standard",
            "courier-express",
            "boxnow-locker",
            "store-pickup",
        ]
        assert greek.options[0].free_over == Decimal("50.00")
        assert greek.options[0].cash_on_delivery
        polish = shipping.quote(currency="PLN", country="PL", postal_code="00-001", lines=[shipping.QuoteLine(sku, 1)])
        assert polish.options[0].code == "inpost-locker"

        # Every event the demo shop emitted has its class, and every timeline entry reads.
        assert set(Event.objects.values_list("topic", flat=True)) <= set(event_classes())
        assert set(Entry.objects.values_list("kind", flat=True)) <= set(kinds())
        placed_at = Order.objects.filter(pk=OuterRef("subjects__ref_id")).values("placed_at")
        assert Entry.objects.filter(subjects__kind="order", occurred_at__lt=Subquery(placed_at)).count() == 0
        assert Entry.objects.filter(occurred_at__gt=MOMENT).count() == 0
        completed_lines = OrderLine.objects.filter(order__status=OrderStatus.COMPLETED)
        assert set(completed_lines.values_list("stock_state", flat=True)) == {LineStockState.SHIPPED}
        assert OrderLine.objects.filter(stock_state=LineStockState.BACKORDERED).exists()

        # The worker starts quiet: what the story set off was handled while loading, none of it failed.
        # Only the satisfaction questions of the latest deliveries wait, each for its own due time.
        waiting_deliveries = Delivery.objects.exclude(status="done")
        assert set(waiting_deliveries.values_list("handler", flat=True)) <= {"feedback.ask_satisfaction"}
        assert not waiting_deliveries.filter(due_at__lte=MOMENT).exists()
        assert Delivery.objects.filter(handler="shipping.promise_delivery").count() == orders.count()

        # Satisfaction checks: one per fully delivered order, some answered well, some badly.
        checks = SatisfactionCheck.objects.all()
        assert checks.count() == len({check.order_id for check in checks}) > 0
        answered = checks.filter(score__isnull=False)
        assert answered.filter(score__gte=4).exists()
        assert answered.filter(score__lte=2).exists()
        assert Event.objects.filter(topic="feedback.satisfaction_answered").count() == answered.count()

        # Reviews: the demo platform's handful in four languages, a low one waiting on top, one answered
        # on the platform, one from the desk (posted by the worker), one matched to its customer.
        reviews = Review.objects.all()
        assert {review.language for review in reviews} == {"el", "pl", "he", "en"}
        assert set(reviews.values_list("reply_status", flat=True)) == {"", "sent"}
        assert reviews.filter(reply_status="sent", replied_by__isnull=True).exists()
        assert reviews.filter(reply_status="sent", reply_version=1).count() == 1
        assert reviews.filter(stars__lte=2, reply_status="").exists()
        assert reviews.get(external_id="demo-review-customer").order is not None

        # Stock: the ledger explains every level; reservations belong to open orders.
        assert ledger_matches_levels()
        reserved = {(lv.variant_id, lv.location_id): lv.reserved for lv in StockLevel.objects.filter(reserved__gt=0)}
        assert reserved == reserved_by_open_orders()
        assert StockLevel.objects.filter(on_hand=F("reserved")).exists()  # a few shelves are empty

        # The ticker: a new order now, waiting in the queue.
        result = place_random_order(random.Random(1), actor=STOREFRONT)

        assert result.created
        assert (result.order.status, result.order.placed_at) == (OrderStatus.PLACED, MOMENT)
        assert result.order.pk in {order.pk for order in queue(limit=200).orders}
        assert Customer.objects.count() in {300, 301}
        assert ledger_matches_levels()


@pytest.mark.usefixtures("catalog")
def test_place_random_order_restocks_low_skus_instead_of_refusing() -> None:
    """On a tiny catalog (TEA-250 starts with 5) many orders in a row all succeed."""
    with clock.frozen_at(MOMENT):
        results = [place_random_order(random.Random(seed), actor=STOREFRONT) for seed in range(40)]

    assert all(result.created for result in results)
    assert {result.order.status for result in results} == {OrderStatus.PLACED}
    assert StockMovement.objects.filter(reason="received").exists()
    assert StockLevel.objects.filter(on_hand__lt=F("reserved")).count() == 0
    assert ledger_matches_levels()
