"""Shapes of the JSON API. Unknown fields are refused so a typo never passes silently."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated, Any

from ninja import Schema
from pydantic import ConfigDict, Field, StringConstraints

Text = Annotated[str, StringConstraints(max_length=500)]
Sku = Annotated[str, StringConstraints(min_length=1, max_length=64, strip_whitespace=True)]
Code = Annotated[str, StringConstraints(min_length=1, max_length=100, pattern=r"^[A-Za-z0-9_-]+$")]


class In(Schema):
    model_config = ConfigDict(extra="forbid")


class Problem(Schema):
    type: str
    title: str
    status: int
    detail: str
    code: str
    errors: list[dict[str, str]] | None = None


# --- catalog ----------------------------------------------------------------------------------


class VariantIn(In):
    sku: Sku
    name: Annotated[str, StringConstraints(min_length=1, max_length=200)]
    price: Decimal = Field(ge=0, decimal_places=2)
    weight_grams: int = Field(default=0, ge=0, le=1_000_000)
    low_stock_threshold: int = Field(default=5, ge=0, le=1_000_000)


class ProductIn(In):
    code: Code
    name: Annotated[str, StringConstraints(min_length=1, max_length=200)]
    fulfillment_mode: str = "physical"
    out_of_stock_policy: str = "deny"
    release_on: dt.date | None = None
    is_consumable: bool = False
    variants: list[VariantIn] = Field(min_length=1, max_length=200)


class ProductsIn(In):
    products: list[ProductIn] = Field(min_length=1, max_length=500)


class UpsertOut(Schema):
    created: list[str]
    updated: list[str]


# --- inventory --------------------------------------------------------------------------------


class AdjustmentIn(In):
    sku: Sku
    location: Code
    reason: str
    on_hand: int | None = Field(default=None, ge=0, le=100_000_000)
    delta: int | None = Field(default=None, ge=-100_000_000, le=100_000_000)
    reference: Annotated[str, StringConstraints(max_length=100)] = ""
    note: Text = ""


class AdjustmentsIn(In):
    adjustments: list[AdjustmentIn] = Field(min_length=1, max_length=500)


class AdjustmentOut(Schema):
    sku: str
    location: str
    on_hand: int
    reserved: int
    delta: int


class LocationStockOut(Schema):
    location: str
    on_hand: int
    reserved: int
    available: int


class StockOut(Schema):
    sku: str
    name: str
    on_hand: int
    reserved: int
    available: int
    locations: list[LocationStockOut]


class MovementOut(Schema):
    at: dt.datetime
    location: str
    on_hand_delta: int
    reserved_delta: int
    reason: str
    reference: str
    note: str
    actor: str


class LedgerOut(Schema):
    sku: str
    movements: list[MovementOut]
    next_cursor: str | None


# --- orders -----------------------------------------------------------------------------------


class CustomerIn(In):
    email: Annotated[str, StringConstraints(max_length=254)]
    name: Annotated[str, StringConstraints(max_length=200)]
    phone: Annotated[str, StringConstraints(max_length=40)] = ""
    language: Annotated[str, StringConstraints(max_length=8)] = ""


class AddressIn(In):
    name: Annotated[str, StringConstraints(max_length=200)]
    company: Annotated[str, StringConstraints(max_length=200)] = ""
    line1: Annotated[str, StringConstraints(max_length=200)]
    line2: Annotated[str, StringConstraints(max_length=200)] = ""
    city: Annotated[str, StringConstraints(max_length=200)]
    region: Annotated[str, StringConstraints(max_length=200)] = ""
    postal_code: Annotated[str, StringConstraints(max_length=20)]
    country: Annotated[str, StringConstraints(max_length=2)]
    phone: Annotated[str, StringConstraints(max_length=40)] = ""


class PaymentIn(In):
    method: str
    status: str = "pending"


class LineIn(In):
    sku: Sku
    quantity: int
    unit_price: Decimal
    tax_rate: Decimal = Decimal(0)


class OrderIn(In):
    channel: Annotated[str, StringConstraints(max_length=32)]
    currency: Annotated[str, StringConstraints(min_length=3, max_length=3)]
    customer: CustomerIn
    shipping_address: AddressIn | None = None
    billing_address: AddressIn | None = None
    shipping_method: Annotated[str, StringConstraints(max_length=64)] = ""
    express: bool | None = None
    payment: PaymentIn
    lines: list[LineIn] = Field(max_length=200)
    shipping_price: Decimal = Decimal(0)
    gift_wrap: bool = False
    gift_wrap_price: Decimal = Decimal(0)
    gift_message: Annotated[str, StringConstraints(max_length=500)] = ""
    customer_note: Annotated[str, StringConstraints(max_length=2000)] = ""
    total: Decimal
    placed_at: dt.datetime | None = None
    external_reference: Annotated[str, StringConstraints(max_length=100)] | None = None


class VerifyIn(In):
    outcome: str
    note: Annotated[str, StringConstraints(max_length=2000)] = ""


class ReasonIn(In):
    reason: Annotated[str, StringConstraints(max_length=500)]


class ReleaseIn(In):
    note: Text = ""


class PaymentRecordIn(In):
    amount: Decimal
    reference: Annotated[str, StringConstraints(max_length=100)] = ""


class NoteIn(In):
    text: Annotated[str, StringConstraints(max_length=4000)]


class CustomerOut(Schema):
    email: str
    name: str
    phone: str
    language: str


class LineOut(Schema):
    sku: str
    name: str
    quantity: int
    unit_price: Decimal
    tax_rate: Decimal
    line_total: Decimal
    stock_state: str
    location: str | None
    available_on: dt.date | None


class TimelineOut(Schema):
    at: dt.datetime
    kind: str = Field(description="The topic of the event recorded with the entry, e.g. orders.order_placed.")
    summary: str = Field(description="The entry in words (Accept-Language: en, el, pl, he), with its note.")
    text: str = Field(description="The entry in words, without the note.")
    note: str = Field(description="What someone typed with it (a reason, a note), as typed; often empty.")
    facts: dict[str, Any] = Field(description="Ids and small values the words are made of.")
    actor: str = Field(description="Who did it, as '<kind>:<name>', e.g. staff:maria.")
    actor_kind: str = Field(description="staff, api_key, system or customer.")
    actor_name: str


class VerificationOut(Schema):
    at: dt.datetime
    outcome: str
    note: str
    actor: str


class OrderSummaryOut(Schema):
    number: str
    status: str
    payment_status: str
    fulfillment_status: str
    payment_method: str
    channel: str
    currency: str
    total: Decimal
    shipping_method: str
    is_express: bool
    customer_name: str
    customer_email: str
    placed_at: dt.datetime
    age_seconds: int
    overdue: bool
    has_waiting_lines: bool


class OrderOut(OrderSummaryOut):
    customer: CustomerOut
    shipping_address: dict[str, Any] | None
    billing_address: dict[str, Any] | None
    subtotal: Decimal
    shipping_price: Decimal
    gift_wrap_price: Decimal
    tax_total: Decimal
    amount_paid: Decimal
    gift_wrap: bool
    gift_message: str
    customer_note: str
    hold_reason: str
    cancel_reason: str
    verified_at: dt.datetime | None
    due_by: dt.datetime
    lines: list[LineOut]
    verifications: list[VerificationOut] | None = None
    timeline: list[TimelineOut] | None = None


class OrderPageOut(Schema):
    orders: list[OrderSummaryOut]
    next_cursor: str | None


class DeliveryOut(Schema):
    id: int
    topic: str
    event_id: str
    handler: str
    attempts: int
    last_error: str
    due_at: dt.datetime
