"""The demo shop: a Mediterranean deli and home-goods shop in Athens selling to Greece, Poland and Israel.

`load_demo` writes about 90 days of history through the domain services alone, the same write
paths the API and the staff pages use: three stock locations, the catalog and its stock counts and
deliveries, 300 customers and about 1,000 orders in every state. Each step runs with the clock
frozen at the moment it happened, so timelines, ledgers and due times read like a real shop's.
The load is one transaction (all or nothing), and the same seed at the same moment gives the same
shop.

`place_random_order` is the storefront while the demo runs: one believable order, now.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import heapq
import itertools
import random
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from decimal import Decimal
from functools import partial
from typing import TypeVar

from django.db import transaction
from django.db.models import F, Max

from emporos.catalog.models import FulfillmentMode, OutOfStockPolicy, Product, Variant
from emporos.catalog.services import ProductDraft, VariantDraft, upsert_products
from emporos.core import clock
from emporos.core.actor import Actor
from emporos.core.errors import Conflict
from emporos.demo import feedback as demo_feedback
from emporos.demo import floor
from emporos.demo import help as demo_help
from emporos.demo import returns as demo_returns
from emporos.demo import reviews as demo_reviews
from emporos.demo import support as demo_support
from emporos.demo.people import Person, email_taken, make_people, make_person, pick, returning_person
from emporos.demo.tables import (
    _SPECS,
    CANCEL_REASONS,
    CATALOG,
    CURRENCY_RATES,
    CUSTOMER_NOTES,
    FOOD_TAX,
    FRESH_ORDERS,
    GIFT_MESSAGES,
    GIFT_WRAP_EUR,
    HELD_FOR_DAYS,
    HISTORY_DAYS,
    HOLD_REASONS,
    LAST_DELIVERY_DAYS,
    LOCATIONS,
    MARKETPLACE,
    ORDER_COUNT,
    PAYMENT_METHODS,
    PAYMENTS,
    PREORDER_LEAD_DAYS,
    RELEASE_NOTES,
    RESTOCK_LOCATION,
    SCARCE_OPENING,
    SHIPPING,
    SOLD_OUT_DAYS,
    STAFF_NOTES,
    STANDARD_TAX,
    STOREFRONT,
    SUPPORT,
    VERIFICATION_NOTES,
    WAITING_NOTES,
    WAREHOUSE,
    WARSAW_SKUS,
    _ProductSpec,
)
from emporos.fulfillment import waves
from emporos.inventory.models import Location, StockLevel
from emporos.inventory.services import AdjustmentDraft, adjust_stock
from emporos.orders import services as orders
from emporos.orders.models import Order, OrderLine, VerificationOutcome
from emporos.orders.services.intake import (
    AddressDraft,
    CustomerDraft,
    IntakeResult,
    LineDraft,
    OrderDraft,
    place_order,
)
from emporos.orders.states import OrderStatus, PaymentMethod, PaymentStatus
from emporos.outbox.relay import deliver_due
from emporos.shipping import selectors as shipping_selectors
from emporos.shipping.models import Method, Rate, Zone, ZoneArea
from emporos.shop import selectors as shop
from emporos.shop import selectors as shop_selectors
from emporos.shop.services import SettingsDraft, update_settings

T = TypeVar("T")


# --- public entry points -------------------------------------------------------------------------


def demo_loaded() -> bool:
    return Product.objects.exists()


def load_demo(*, seed: int = 7) -> None:
    """Create the demo shop with about 90 days of history, all or nothing, through the services."""
    loader = _Loader(random.Random(seed), now=clock.now())
    with transaction.atomic():
        loader.open_shop()
        loader.schedule_orders()
        loader.schedule_stock_events()
        loader.schedule_waves()
        loader.run()
        floor.track_parcels()
        demo_returns.tell_returns(loader.rng)
        demo_support.tell_support(loader.rng)
        demo_help.tell_help_centre(loader.rng)
        demo_reviews.tell_reviews()
        # What the story set off (promises, "order received" requests, replans, hand-overs) is
        # handled here, as a worker would have long ago: the demo opens with a quiet worker.
        while deliver_due(worker_id="demo loader", limit=500):
            pass
        # Delivered orders have their satisfaction checks now; some customers answer them.
        demo_feedback.tell_feedback(loader.rng)
        while deliver_due(worker_id="demo loader", limit=500):
            pass
        while orders.flag_overdue_orders():
            pass


def _shop_contact() -> None:
    """Where customers write to and what the packing slips and the status page show."""
    current = shop_selectors.current()
    fields = {name: getattr(current, name) for name in SettingsDraft.__dataclass_fields__}
    fields.update(email="hello@kalimera-shop.example", address_line="Ερμού 2", postal_code="105 63", city="Αθήνα")
    update_settings(draft=SettingsDraft(**fields), actor=Actor.staff("owner"))


def place_random_order(rng: random.Random, *, actor: Actor) -> IntakeResult:
    """Place one believable order now: a returning or a new customer, goods that can be sold.

    Stocked SKUs with fewer than 5 available get a delivery first, so the demo never runs dry.
    """
    shop = _Shop(rng, restock_location=_first_location(), restock_actor=Actor.system("demo warehouse"))
    if not shop.products:
        raise Conflict("The demo shop has no products to sell; load the demo first.")
    person = returning_person(rng) or make_person(
        rng, pick(rng, (("GR", 5), ("PL", 3), ("IL", 2))), is_taken=email_taken
    )
    channel = _choose_channel(rng, person.country)
    reference = _marketplace_reference(rng, person.country, rng.randrange(10**6)) if channel == "marketplace" else None
    draft = _compose(rng, person, shop.basket(), channel=channel, placed_at=None, external_reference=reference)
    return place_order(draft=draft, actor=actor)


# --- people --------------------------------------------------------------------------------------


class _Shop:
    """What is for sale, what a customer puts in the basket, and deliveries before shelves run dry."""

    def __init__(
        self,
        rng: random.Random,
        *,
        restock_location: str | None,
        restock_actor: Actor,
        is_on_sale: Callable[[Product], bool] = lambda product: True,
        may_restock: Callable[[Variant], bool] = lambda variant: True,
    ) -> None:
        self.rng = rng
        self.restock_location = restock_location
        self.restock_actor = restock_actor
        self.is_on_sale = is_on_sale
        self.may_restock = may_restock
        self.variants: dict[str, list[Variant]] = {}
        for variant in Variant.objects.filter(is_active=True).select_related("product").order_by("id"):
            self.variants.setdefault(variant.product.code, []).append(variant)
        self.products = [variants[0].product for variants in self.variants.values()]

    def basket(self) -> list[tuple[Variant, int]]:
        """One to four different products that can be sold now, with quantities."""
        for _ in range(10):
            picked = self._available(self._choose())
            if picked:
                return picked
        raise Conflict("Nothing in the demo catalog can be sold right now.")

    def _choose(self) -> list[tuple[Variant, int]]:
        products = [product for product in self.products if self.is_on_sale(product)]
        weights = [_SPECS[p.code].popularity if p.code in _SPECS else 2 for p in products]
        wanted = pick(self.rng, ((1, 46), (2, 30), (3, 15), (4, 9)))
        chosen: list[Product] = []
        for _ in range(wanted * 3):
            product = self.rng.choices(products, weights)[0]
            if product not in chosen:
                chosen.append(product)
            if len(chosen) == wanted:
                break
        basket = []
        for product in chosen:
            variants = self.variants[product.code]
            variant = self.rng.choices(variants, [max(1, 4 - index) for index in range(len(variants))])[0]
            basket.append((variant, self._quantity(product)))
        return basket

    def _quantity(self, product: Product) -> int:
        if not product.is_shipped:
            return 1
        if product.is_consumable:
            return pick(self.rng, ((1, 50), (2, 28), (3, 12), (4, 6), (6, 4)))
        return pick(self.rng, ((1, 82), (2, 14), (3, 4)))

    def _available(self, basket: list[tuple[Variant, int]]) -> list[tuple[Variant, int]]:
        """The lines that can be sold: deny-policy SKUs need stock in one location (a delivery may bring it)."""
        stocked = [variant.pk for variant, _ in basket if variant.product.is_stocked]
        free = dict(
            StockLevel.objects.filter(variant_id__in=stocked, location__is_active=True)
            .values("variant_id")
            .annotate(best=Max(F("on_hand") - F("reserved")))
            .values_list("variant_id", "best")
        )
        sellable = []
        for variant, quantity in basket:
            if variant.product.is_stocked:
                available = free.get(variant.pk, 0)
                if available < max(quantity, 5) and self.restock_location and self.may_restock(variant):
                    available += self._restock(variant)
                if available < quantity and variant.product.out_of_stock_policy == OutOfStockPolicy.DENY:
                    continue
            sellable.append((variant, quantity))
        return sellable

    def _restock(self, variant: Variant) -> int:
        popularity = _SPECS[variant.product.code].popularity if variant.product.code in _SPECS else 2
        units = max(12, popularity * self.rng.choice((4, 5, 6)) // 6 * 6)
        assert self.restock_location is not None
        # A delivery serves the orders waiting for the SKU first, oldest first.
        orders.receive_stock(
            drafts=[
                AdjustmentDraft(
                    sku=variant.sku,
                    location=self.restock_location,
                    reason="received",
                    delta=units,
                    reference=f"PO-{clock.now():%y%m%d}-{variant.pk:03d}",
                    note=f"Supplier delivery: {units} units.",
                )
            ],
            actor=self.restock_actor,
        )
        floor.replan_served({variant.sku}, self.restock_actor)
        return units


def _rename_default_location() -> None:
    """The fresh install's one location ("main") becomes the demo's first, as an owner would rename it."""
    code, name, priority = LOCATIONS[0]
    if not Location.objects.filter(code=code).exists():
        Location.objects.filter(code="main").update(code=code, name=name, priority=priority)


# Each country's zone and the currencies its customers pay in; transit in working days (min, max).
_ZONES = {
    "GR": ("greece", "Greece", ("EUR",)),
    "PL": ("poland", "Poland", ("PLN", "EUR")),
    "IL": ("israel", "Israel", ("ILS",)),
}
_TRANSIT = {"express": (1, 1), "pickup": (0, 0), "locker": (1, 2), "home": (1, 3)}
_LONG_HAUL = {"IL": 3}  # days added for shipping abroad


def _open_shipping() -> None:
    """Zones and methods (with weight bands and free-shipping thresholds) for the demo's countries,
    from the same table the demo orders choose their shipping from."""
    for country, options in SHIPPING.items():
        code, name, currencies = _ZONES[country]
        zone, _ = Zone.objects.get_or_create(code=code, defaults={"name": name})
        ZoneArea.objects.get_or_create(zone=zone, country=country, postal_prefix="")
        for position, (method_code, price_eur, _share, free_from_eur) in enumerate(options):
            kind = next((k for k in ("express", "locker", "pickup") if k in method_code), "home")
            low, high = _TRANSIT[kind]
            for currency in currencies:
                method, created = Method.objects.get_or_create(
                    zone=zone,
                    code=method_code,
                    currency=currency,
                    defaults={
                        "name": method_code.replace("-", " ")
                        .title()
                        .replace("Boxnow", "BOX NOW")
                        .replace("Inpost", "InPost"),
                        "kind": kind,
                        "free_over": _in_currency(Decimal(free_from_eur), currency) if free_from_eur else None,
                        "cash_on_delivery": kind == "home" and country != "IL",
                        "cash_on_delivery_fee": _in_currency(Decimal("2.00"), currency),
                        "transit_days_min": low + _LONG_HAUL.get(country, 0) * (kind != "pickup"),
                        "transit_days_max": high + _LONG_HAUL.get(country, 0) * (kind != "pickup"),
                        "position": position,
                        "carrier": "demo",
                        "carrier_service": kind,
                        "signature_required": kind == "express",
                    },
                )
                if created:
                    base = _in_currency(Decimal(price_eur), currency)
                    bands = [(Decimal(8000), base)] if kind == "locker" else [(Decimal(5000), base), (None, base * 2)]
                    Rate.objects.bulk_create([Rate(method=method, up_to=up_to, price=price) for up_to, price in bands])


def _first_location() -> str | None:
    return Location.objects.filter(is_active=True).order_by("priority", "id").values_list("code", flat=True).first()


# --- the order a storefront sends ----------------------------------------------------------------


def _compose(
    rng: random.Random,
    person: Person,
    basket: list[tuple[Variant, int]],
    *,
    channel: str,
    placed_at: dt.datetime | None,
    external_reference: str | None,
) -> OrderDraft:
    currency = _choose_currency(rng, person.country, channel)
    lines = [
        LineDraft(
            sku=variant.sku,
            quantity=quantity,
            unit_price=_in_currency(variant.price, currency),
            tax_rate=_tax_rate(variant.product, person.country),
        )
        for variant, quantity in basket
    ]
    is_shipped = any(variant.product.is_shipped for variant, _ in basket)
    value_eur = sum((variant.price * quantity for variant, quantity in basket), Decimal(0))
    grams = sum(variant.weight_grams * quantity for variant, quantity in basket)
    method, shipping_eur = _choose_shipping(rng, person, value_eur, grams) if is_shipped else ("", Decimal(0))
    gift_wrap = is_shipped and rng.random() < 0.08
    gift_message = rng.choice(GIFT_MESSAGES[person.language]).format(name=person.first_name) if gift_wrap else ""
    payment_method, payment_status = _choose_payment(rng, person.country, channel, is_shipped=is_shipped)
    shipping_price = _in_currency(shipping_eur, currency)
    gift_wrap_price = _in_currency(GIFT_WRAP_EUR, currency) if gift_wrap else Decimal("0.00")
    subtotal = sum((line.unit_price * line.quantity for line in lines), Decimal(0))
    return OrderDraft(
        channel=channel,
        currency=currency,
        customer=CustomerDraft(email=person.email, name=person.name, phone=person.phone, language=person.language),
        lines=lines,
        payment_method=payment_method,
        payment_status=payment_status,
        total=subtotal + shipping_price + gift_wrap_price,
        shipping_price=shipping_price,
        gift_wrap_price=gift_wrap_price,
        shipping_address=_with_pickup_point(rng, person, method) if is_shipped else None,
        shipping_method=method,
        customer_note=rng.choice(CUSTOMER_NOTES[person.language]) if rng.random() < 0.1 else "",
        gift_wrap=gift_wrap,
        gift_message=gift_message,
        placed_at=placed_at,
        external_reference=external_reference,
    )


def _with_pickup_point(rng: random.Random, person: Person, method: str) -> AddressDraft:
    """A locker method's address names the locker the customer chose at checkout."""
    if "locker" not in method:
        return person.address
    prefix = "BN" if method.startswith("boxnow") else "PL"
    city = person.address.city[:3].upper()
    return replace(person.address, pickup_point=f"{prefix}-{city}-{rng.randint(100, 999)}")


def _choose_channel(rng: random.Random, country: str) -> str:
    if country == "IL":
        return pick(rng, (("web", 92), ("phone", 8)))
    return pick(rng, (("web", 70), ("marketplace", 20), ("phone", 10)))


def _marketplace_reference(rng: random.Random, country: str, serial: int) -> str:
    """Skroutz in Greece, Allegro in Poland; the serial keeps references unique."""
    prefix = "SKR" if country == "GR" else "ALG"
    return f"{prefix}-{rng.randint(100, 999)}{serial:06d}"


def _choose_currency(rng: random.Random, country: str, channel: str) -> str:
    if country == "PL" and (channel == "marketplace" or rng.random() < 0.3):
        return "PLN"
    if country == "IL" and rng.random() < 0.3:
        return "ILS"
    return "EUR"


def _in_currency(amount_eur: Decimal, currency: str) -> Decimal:
    """Storefront prices: converted and rounded to 10 cents (grosze, agorot) in the order currency."""
    if currency == "EUR":
        return amount_eur.quantize(Decimal("0.01"))
    return (amount_eur * CURRENCY_RATES[currency]).quantize(Decimal("0.1")).quantize(Decimal("0.01"))


def _tax_rate(product: Product, country: str) -> Decimal:
    is_food = _SPECS[product.code].is_food if product.code in _SPECS else False
    return (FOOD_TAX if is_food else STANDARD_TAX)[country]


def _choose_shipping(rng: random.Random, person: Person, value_eur: Decimal, grams: int) -> tuple[str, Decimal]:
    options = [
        option
        for option in SHIPPING[person.country]
        if (option[0] != "store-pickup" or person.near_shop) and ("locker" not in option[0] or grams <= 8000)
    ]
    code, price, _, free_from = rng.choices(options, [option[2] for option in options])[0]
    if free_from is not None and value_eur >= free_from:
        return code, Decimal(0)
    extra_kilos = max(0, -(-(grams - 5000) // 1000))  # started kilos above 5 kg
    return code, Decimal(price) + extra_kilos * Decimal("1.00")


def _choose_payment(rng: random.Random, country: str, channel: str, *, is_shipped: bool) -> tuple[str, str]:
    if channel == "marketplace":
        return PaymentMethod.CARD, PaymentStatus.PAID
    if channel == "phone" and country != "IL" and is_shipped:
        method = pick(rng, (("cash_on_delivery", 50), ("bank_transfer", 30), ("card", 20)))
    else:
        choices = [(m, w) for m, w in PAYMENT_METHODS[country] if is_shipped or m != "cash_on_delivery"]
        method = pick(rng, choices)
    if method in {PaymentMethod.CASH_ON_DELIVERY, PaymentMethod.BANK_TRANSFER}:
        return method, PaymentStatus.PENDING
    if method == PaymentMethod.CARD and rng.random() < 0.15:
        return method, PaymentStatus.AUTHORIZED  # captured when the parcel leaves
    return method, PaymentStatus.PAID


# --- 90 days of history --------------------------------------------------------------------------

HOUR_WEIGHTS = (2, 1, 0.5, 0.5, 0.5, 1, 3, 6, 10, 13, 15, 15, 14, 13, 12, 11, 11, 12, 14, 17, 19, 18, 13, 6)
WEEKDAY_WEIGHTS = {1: 1.15, 2: 1.0, 3: 1.0, 4: 0.95, 5: 0.9, 6: 0.8, 7: 1.2}

Action = Callable[[], object]


@dataclass
class _Story:
    """What happens to one order after it is placed: each step at its moment, in order."""

    order: Order
    staff: Actor
    at: dt.datetime
    steps: list[tuple[dt.datetime, Action]] = field(default_factory=list)
    is_confirmed: bool = False

    def then(self, when: dt.datetime, action: Action) -> None:
        self.at = when
        self.steps.append((when, action))


def _refund_cancelled(*, order: Order, actor: Actor) -> None:
    """Give back what a cancelled order was paid (a cancel that did not happen leaves it be)."""
    if order.status == OrderStatus.CANCELLED and order.refundable > 0:
        orders.record_refund(
            order=order, amount=order.refundable, reason="cancelled", reference=f"RF-{order.number}", actor=actor
        )


class _Loader:
    def __init__(self, rng: random.Random, *, now: dt.datetime) -> None:
        self.rng = rng
        self.now = now
        self.hours = shop.business_hours()
        self.today = now.astimezone(self.hours.time_zone).date()
        self._heap: list[tuple[dt.datetime, int, Action]] = []
        self._sequence = itertools.count()
        self.shop: _Shop | None = None

    def at(self, when: dt.datetime, action: Action) -> None:
        if when < self.now:
            heapq.heappush(self._heap, (when, next(self._sequence), action))

    def run(self) -> None:
        """Play every scheduled step in time order, with the clock at its moment."""
        while self._heap:
            when, _, action = heapq.heappop(self._heap)
            order = getattr(action, "keywords", {}).get("order")
            if isinstance(order, Order):
                order.refresh_from_db()  # the waves may have moved it since the story was told
            # A step that no longer applies (a cancel after the parcel left) is skipped.
            with clock.frozen_at(when), transaction.atomic(), contextlib.suppress(Conflict):
                action()

    def _local(self, days_ago: int, at: dt.time) -> dt.datetime:
        moment = dt.datetime.combine(self.today - dt.timedelta(days=days_ago), at, self.hours.time_zone)
        return moment.astimezone(dt.UTC)

    def _after(self, start: dt.datetime, low: float, high: float) -> dt.datetime:
        """A moment between `low` and `high` working hours after `start`."""
        return self.hours.add_working_time(start, Decimal(str(round(self.rng.uniform(low, high), 2))))

    # -- the shop before the first order --

    def open_shop(self) -> None:
        with clock.frozen_at(self._local(HISTORY_DAYS + 2, dt.time(9, 0))):
            _rename_default_location()
            for code, name, priority in LOCATIONS:
                Location.objects.get_or_create(code=code, defaults={"name": name, "priority": priority})
            release_on = self.today + dt.timedelta(days=PREORDER_LEAD_DAYS)
            upsert_products(drafts=[_product_draft(spec, release_on) for spec in CATALOG])
            _open_shipping()
            _shop_contact()
        with clock.frozen_at(self._local(HISTORY_DAYS + 1, dt.time(16, 30))):
            adjust_stock(drafts=self._opening_counts(), actor=WAREHOUSE)
            floor.open_floor(self.rng)
        self.shop = _Shop(
            self.rng,
            restock_location=RESTOCK_LOCATION,
            restock_actor=WAREHOUSE,
            is_on_sale=lambda product: (self.now - clock.now()).days < _SPECS[product.code].on_sale_days,
            may_restock=lambda variant: (self.now - clock.now()).days >= LAST_DELIVERY_DAYS.get(variant.sku, 0),
        )

    def _opening_counts(self) -> list[AdjustmentDraft]:
        counts = []
        for spec in CATALOG:
            if spec.mode != FulfillmentMode.PHYSICAL:
                continue
            for sku, *_ in spec.variants:
                athens = spec.popularity * self.rng.randint(3, 7)
                thessaloniki = spec.popularity * self.rng.randint(1, 3) if self.rng.random() < 0.5 else 0
                warsaw = spec.popularity * self.rng.randint(2, 4) if sku in WARSAW_SKUS else 0
                athens, thessaloniki, warsaw = SCARCE_OPENING.get(sku, (athens, thessaloniki, warsaw))
                for location, units in (("athens", athens), ("thessaloniki", thessaloniki), ("warsaw", warsaw)):
                    if units:
                        counts.append(
                            AdjustmentDraft(
                                sku=sku, location=location, reason="count", on_hand=units, note="Opening count."
                            )
                        )
        return counts

    # -- orders --

    def schedule_orders(self) -> None:
        people = make_people(self.rng)
        loyalty = [min(10.0, self.rng.paretovariate(1.4)) for _ in people]
        buyers = list(range(len(people))) + self.rng.choices(range(len(people)), loyalty, k=ORDER_COUNT - len(people))
        self.rng.shuffle(buyers)
        moments = self._order_moments(ORDER_COUNT - FRESH_ORDERS) + [
            self.now - dt.timedelta(minutes=minutes)
            for minutes in sorted(self.rng.sample(range(3, 50), 3), reverse=True)
        ]
        for index, (moment, buyer) in enumerate(zip(moments, buyers, strict=True)):
            is_fresh = index >= ORDER_COUNT - FRESH_ORDERS
            self.at(moment, partial(self._place, index, people[buyer], moment, is_fresh=is_fresh))

    def _order_moments(self, count: int) -> list[dt.datetime]:
        """When customers buy: more in recent weeks, on Sundays and Mondays, late mornings and evenings."""
        days = range(HISTORY_DAYS)
        day_weights = [
            (1.0 + 0.6 * (HISTORY_DAYS - 1 - back) / (HISTORY_DAYS - 1))
            * WEEKDAY_WEIGHTS[(self.today - dt.timedelta(days=back)).isoweekday()]
            for back in days
        ]
        moments: list[dt.datetime] = []
        while len(moments) < count:
            back = self.rng.choices(days, day_weights)[0]
            hour = self.rng.choices(range(24), HOUR_WEIGHTS)[0]
            moment = self._local(back, dt.time(hour, self.rng.randrange(60), self.rng.randrange(60)))
            if moment < self.now - dt.timedelta(hours=1):
                moments.append(moment)
        return sorted(moments)

    def _place(self, index: int, person: Person, moment: dt.datetime, *, is_fresh: bool) -> None:
        assert self.shop is not None
        channel = _choose_channel(self.rng, person.country)
        reference = _marketplace_reference(self.rng, person.country, index) if channel == "marketplace" else None
        draft = _compose(
            self.rng, person, self.shop.basket(), channel=channel, placed_at=moment, external_reference=reference
        )
        actor = {"web": STOREFRONT, "marketplace": MARKETPLACE}.get(channel, SUPPORT[person.country])
        result = place_order(draft=draft, actor=actor)
        if not is_fresh:
            story = _Story(order=result.order, staff=SUPPORT[person.country], at=moment)
            self._tell(story, result.lines)
            for when, action in story.steps:
                self.at(when, action)

    def _tell(self, story: _Story, lines: list[OrderLine]) -> None:
        """Plan the order's life; steps later than now are dropped, so recent orders still wait."""
        order, rng = story.order, self.rng
        if rng.random() < 0.08:
            note_at = self._after(order.placed_at, 0.2, 6)
            story.steps.append(
                (note_at, partial(orders.add_note, order=order, text=rng.choice(STAFF_NOTES), actor=story.staff))
            )
        if not self._verify(story):
            return
        fate = pick(rng, (("flow", 88.5), ("cancel", 5.5), ("hold", 6.0)))
        if fate == "cancel":
            self._cancel(story, rng.choice(CANCEL_REASONS))
            return
        if order.payment_method == PaymentMethod.BANK_TRANSFER and not self._bank_transfer(story):
            return
        if fate == "hold" and not self._hold(story, rng.choice(HOLD_REASONS)):
            return
        self._fulfil(story, lines)

    def _verify(self, story: _Story) -> bool:
        """Cash-on-delivery and large orders get a call first; False when the order ends there."""
        order, rng = story.order, self.rng
        is_cash = order.payment_method == PaymentMethod.CASH_ON_DELIVERY
        is_large = order.total / CURRENCY_RATES[order.currency] > 150
        if not ((is_cash and rng.random() < 0.5) or (is_large and rng.random() < 0.3)):
            return True
        outcomes = [(VerificationOutcome.CONFIRMED, 70), (VerificationOutcome.CORRECTED, 10)]
        if is_cash:
            outcomes += [
                (VerificationOutcome.NO_ANSWER, 12),
                (VerificationOutcome.WRONG_NUMBER, 3),
                (VerificationOutcome.CUSTOMER_CANCELLED, 5),
            ]
        outcome = pick(rng, outcomes)
        self._call(story, outcome)
        if outcome == VerificationOutcome.CUSTOMER_CANCELLED:
            self._cancel(story, "Customer cancelled on the verification call", soon=True)
            return False
        if outcome == VerificationOutcome.NO_ANSWER:
            outcome = pick(rng, ((VerificationOutcome.CONFIRMED, 75), (VerificationOutcome.NO_ANSWER, 25)))
            self._call(story, outcome, low=2, high=6)
            if outcome == VerificationOutcome.NO_ANSWER:
                reason = "No answer to two verification calls; sent an SMS, waiting for the customer to call back"
                if not self._hold(story, reason, soon=True, release_note="The customer called back and confirmed."):
                    return False
        if outcome == VerificationOutcome.WRONG_NUMBER:
            reason = "The phone number is not in service; e-mailed the customer for a working one"
            return self._hold(story, reason, soon=True, release_note="The customer sent a working number.")
        return True

    def _call(self, story: _Story, outcome: str, *, low: float = 0.2, high: float = 2.0) -> None:
        note = self.rng.choice(VERIFICATION_NOTES[VerificationOutcome(outcome)])
        action = partial(orders.verify_order, order=story.order, outcome=outcome, note=note, actor=story.staff)
        story.then(self._after(story.at, low, high), action)

    def _confirm(self, story: _Story, low: float = 0.1, high: float = 2.5) -> None:
        story.then(
            self._after(story.at, low, high), partial(orders.confirm_order, order=story.order, actor=story.staff)
        )
        story.is_confirmed = True

    def _cancel(self, story: _Story, reason: str, *, soon: bool = False) -> None:
        if not soon and self.rng.random() < 0.4:
            self._confirm(story)
        action = partial(orders.cancel_order, order=story.order, reason=reason, actor=story.staff)
        story.then(self._after(story.at, 0.05 if soon else 0.3, 0.3 if soon else 8), action)
        # Money received goes back; some refunds are still due, so the desk shows both.
        if story.order.amount_paid > 0 and self.rng.random() < 0.7:
            story.then(self._after(story.at, 0.5, 20), partial(_refund_cancelled, order=story.order, actor=story.staff))

    def _hold(self, story: _Story, reason: str, *, soon: bool = False, release_note: str = "") -> bool:
        """Hold the order; an old one was released again (True: its story goes on)."""
        if not soon and self.rng.random() < 0.5:
            self._confirm(story)
        hold = partial(orders.hold_order, order=story.order, reason=reason, actor=story.staff)
        story.then(self._after(story.at, 0.05 if soon else 0.2, 0.3 if soon else 3), hold)
        if (self.now - story.order.placed_at).days < HELD_FOR_DAYS:
            return False
        note = release_note or self.rng.choice(RELEASE_NOTES)
        release = partial(orders.release_order, order=story.order, actor=story.staff, note=note)
        story.then(self._after(story.at, 4, 20), release)
        return True

    def _bank_transfer(self, story: _Story) -> bool:
        """Most transfers arrive within three working days; an unpaid order is cancelled after a week."""
        order = story.order
        if self.rng.random() < 0.88:
            paid_at = self._after(order.placed_at, 1, 24)
            reference = f"Bank statement {paid_at:%d.%m.%Y}"
            record = partial(
                orders.record_payment, order=order, amount=order.total, actor=story.staff, reference=reference
            )
            story.steps.append((paid_at, record))
            story.at = max(story.at, paid_at)  # confirmed once the money is in
            return True
        reminder = partial(
            orders.add_note, order=order, text="Payment reminder sent by e-mail (day 3).", actor=story.staff
        )
        story.then(self._after(order.placed_at + dt.timedelta(days=3), 0.2, 2), reminder)
        cancel = partial(
            orders.cancel_order, order=order, reason="No payment received within 7 days", actor=story.staff
        )
        story.then(self._after(order.placed_at + dt.timedelta(days=7), 0.2, 3), cancel)
        return False

    def _fulfil(self, story: _Story, lines: list[OrderLine]) -> None:
        """Confirmed, the order is planned; the waves at the cut-offs pick, pack and label it
        (the lines in stock now, the rest when a delivery comes or the workshop is done)."""
        order, rng = story.order, self.rng
        if not story.is_confirmed:
            self._confirm(story)
        story.then(story.at + dt.timedelta(minutes=1), partial(floor.plan, order, WAREHOUSE))
        waiting = [line.stock_state for line in lines if line.stock_state in WAITING_NOTES]
        if waiting:
            note = partial(orders.add_note, order=order, text=WAITING_NOTES[waiting[0]], actor=story.staff)
            story.then(self._after(story.at, 0.1, 1), note)
        if any(line.stock_state == "made_to_order" for line in lines):
            story.then(self._after(story.at, 24, 64), partial(floor.make_ready, order, WAREHOUSE))
        if order.payment_status == PaymentStatus.AUTHORIZED:
            capture = partial(
                orders.record_payment, order=order, amount=order.total, actor=PAYMENTS, reference="Card capture"
            )
            story.then(self._after(story.at, 2, 6), capture)
        elif order.payment_method == PaymentMethod.CASH_ON_DELIVERY:
            if order.shipping_method == "store-pickup":
                paid_at, reference = self._after(story.at, 4, 16), "Paid at the shop counter"
            else:
                paid_at = self._after(story.at + dt.timedelta(days=rng.randint(3, 6)), 0.5, 4)
                reference = "Courier cash-on-delivery remittance"
            remit = partial(
                orders.record_payment, order=order, amount=order.total, actor=story.staff, reference=reference
            )
            story.then(paid_at, remit)

    # -- the shipping floor --

    def schedule_waves(self) -> None:
        """A wave at every cut-off of every working day, packed within a few hours; the 3PL
        answers once a day."""
        dispatch = shipping_selectors.dispatch()
        for back in range(HISTORY_DAYS, -1, -1):
            day = self.today - dt.timedelta(days=back)
            if not dispatch.working_days.is_working_day(day):
                continue
            for cutoff in dispatch.cutoffs:
                moment = dt.datetime.combine(day, cutoff, self.hours.time_zone).astimezone(dt.UTC)
                self.at(moment + dt.timedelta(seconds=30), partial(self._wave, moment))
            self.at(self._local(back, dt.time(18, 30)), partial(floor.answer_third_party, WAREHOUSE))

    def _wave(self, cutoff: dt.datetime) -> None:
        wave = waves.form_wave(cutoff_at=cutoff, actor=WAREHOUSE)
        if wave is None:
            return
        start = clock.now()
        for index, fulfillment_order in enumerate(floor.wave_fulfillment_orders(wave)):
            packed_at = start + dt.timedelta(minutes=20 + 4 * index + self.rng.randint(0, 3))
            self.at(packed_at, partial(floor.pack, fulfillment_order, WAREHOUSE))

    # -- stock events besides orders --

    def schedule_stock_events(self) -> None:
        """A few breakages, the counts that found backorder SKUs empty, a cycle count yesterday afternoon."""
        stocked = [sku for spec in CATALOG if spec.mode == FulfillmentMode.PHYSICAL for sku, *_ in spec.variants]
        for _ in range(6):
            when = self._local(
                self.rng.randint(2, HISTORY_DAYS - 2), dt.time(self.rng.randint(9, 16), self.rng.randrange(60))
            )
            self.at(when, partial(self._damaged, self.rng.choice(stocked)))
        for sku, days_ago in SOLD_OUT_DAYS.items():
            for location, *_ in LOCATIONS:
                self.at(self._local(days_ago, dt.time(8, 30)), partial(self._count, sku, location, None))
        yesterday = self._local(1, dt.time(16, 30))
        for sku in self.rng.sample(stocked, 4):
            self.at(yesterday, partial(self._count, sku, "thessaloniki", self.rng.choice((-2, -1, 1, 2))))

    def _damaged(self, sku: str) -> None:
        level = StockLevel.objects.filter(variant__sku=sku, location__code=RESTOCK_LOCATION).first()
        if level is not None and level.available >= 1:
            draft = AdjustmentDraft(
                sku=sku, location=RESTOCK_LOCATION, reason="damaged", delta=-1, note="Broken while picking."
            )
            adjust_stock(drafts=[draft], actor=WAREHOUSE)

    def _count(self, sku: str, location: str, difference: int | None) -> None:
        """Count a shelf: `difference` units off the books, or None when only reserved units are left."""
        level = StockLevel.objects.filter(variant__sku=sku, location__code=location).first()
        if level is None:
            return
        counted = level.reserved if difference is None else max(level.reserved, level.on_hand + difference)
        note = "Cycle count." if difference is not None else "Stock count: none left to sell; the workshop is behind."
        if counted != level.on_hand:
            draft = AdjustmentDraft(sku=sku, location=location, reason="count", on_hand=counted, note=note)
            adjust_stock(drafts=[draft], actor=WAREHOUSE)


def _product_draft(spec: _ProductSpec, release_on: dt.date) -> ProductDraft:
    return ProductDraft(
        code=spec.code,
        name=spec.name,
        fulfillment_mode=spec.mode,
        out_of_stock_policy=spec.policy,
        release_on=release_on if spec.mode == FulfillmentMode.PREORDER else None,
        is_consumable=spec.is_consumable,
        variants=[
            VariantDraft(sku=sku, name=f"{spec.name}, {label}", price=Decimal(price), weight_grams=grams)
            for sku, label, price, grams in spec.variants
        ],
    )
