"""Shapes of the JSON API. Unknown fields are refused so a typo never passes silently.

Every limit is declared here, so the OpenAPI document shows it: lengths, ranges and patterns. The
rules themselves live in the domain (emporos.core.text, emporos.core.money), and the services
check them again, since the staff pages call the same services. Integers and booleans are
strict (`"1"` and `true` are not integers); money and other decimals are strings ("43.30").
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Annotated, Any

from ninja import Schema
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    GetCoreSchemaHandler,
    GetJsonSchemaHandler,
    JsonValue,
    StrictBool,
    StringConstraints,
)
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import CoreSchema, PydanticCustomError, core_schema

from emporos.catalog.models import FulfillmentMode, OutOfStockPolicy
from emporos.core import money
from emporos.core.text import CODE_PATTERN, MULTILINE_PATTERN, SINGLE_LINE_PATTERN, code_problem, text_problem
from emporos.inventory.models import ADJUSTMENT_REASONS
from emporos.orders.models import RefundReason, VerificationOutcome
from emporos.orders.states import INITIAL_PAYMENT_STATUSES, PAYMENT_PROVIDERS, PaymentMethod
from emporos.shop.models import CUSTOMER_LANGUAGES


@dataclass(frozen=True)
class PlainText:
    """No control or bidirectional override characters; tab and line breaks too when `multiline`.

    Used as `Annotated[str, StringConstraints(max_length=...), PlainText()]`; the rule is
    emporos.core.text's, and the OpenAPI document shows it as a pattern.
    """

    multiline: bool = False

    def __get_pydantic_core_schema__(self, source: Any, handler: GetCoreSchemaHandler) -> CoreSchema:
        return core_schema.no_info_after_validator_function(self._check, handler(source))

    def __get_pydantic_json_schema__(self, schema: CoreSchema, handler: GetJsonSchemaHandler) -> JsonSchemaValue:
        json_schema = handler(schema)
        json_schema.setdefault("pattern", MULTILINE_PATTERN if self.multiline else SINGLE_LINE_PATTERN)
        return json_schema

    def _check(self, value: str) -> str:
        problem = text_problem(value, multiline=self.multiline)
        if problem is not None:
            raise PydanticCustomError(problem.code, problem.message)
        return value


@dataclass(frozen=True)
class CodeText:
    """Letters, digits, '-', '_' and '.', starting with a letter or a digit: SKUs and codes."""

    what: str
    max_length: int

    def __get_pydantic_core_schema__(self, source: Any, handler: GetCoreSchemaHandler) -> CoreSchema:
        return core_schema.no_info_after_validator_function(self._check, handler(source))

    def __get_pydantic_json_schema__(self, schema: CoreSchema, handler: GetJsonSchemaHandler) -> JsonSchemaValue:
        json_schema = handler(schema)
        json_schema |= {"pattern": CODE_PATTERN, "minLength": 1, "maxLength": self.max_length}
        return json_schema

    def _check(self, value: str) -> str:
        problem = code_problem(value, max_length=self.max_length, what=self.what)
        if problem is not None:
            raise PydanticCustomError(problem.code, problem.message)
        return value


@dataclass(frozen=True)
class DecimalString:
    """A decimal sent as a JSON string ("43.30"); a JSON number is refused with the hint to quote
    it, since a number can lose cents on its way through a JSON library."""

    pattern: str
    max_length: int
    example: str

    def __get_pydantic_core_schema__(self, source: Any, handler: GetCoreSchemaHandler) -> CoreSchema:
        return core_schema.no_info_before_validator_function(self._check, handler(source))

    def __get_pydantic_json_schema__(self, schema: CoreSchema, handler: GetJsonSchemaHandler) -> JsonSchemaValue:
        return {"type": "string", "pattern": self.pattern, "maxLength": self.max_length, "examples": [self.example]}

    def _check(self, value: Any) -> Any:
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            raise PydanticCustomError(
                "decimal_not_string",
                f'Send this as a decimal string, e.g. "{self.example}", not as a JSON number: a number can lose cents.',
            )
        if not isinstance(value, str):
            raise PydanticCustomError("decimal_type", f'Send a decimal string, e.g. "{self.example}".')
        if not re.fullmatch(self.pattern.removeprefix("^").removesuffix("$"), value):
            raise PydanticCustomError("invalid_decimal", f'Give a decimal string like "{self.example}".')
        return value


@dataclass(frozen=True)
class IsoString:
    """A date or a time sent as an ISO 8601 string, never as a number."""

    example: str

    def __get_pydantic_core_schema__(self, source: Any, handler: GetCoreSchemaHandler) -> CoreSchema:
        return core_schema.no_info_before_validator_function(self._check, handler(source))

    def _check(self, value: Any) -> Any:
        if not isinstance(value, str):
            raise PydanticCustomError("iso_string_type", f"Send an ISO 8601 string, e.g. {self.example}.")
        return value


# Money: at most 10 digits before the point in catalog prices, 12 in order amounts (their columns).
Price = Annotated[Decimal, DecimalString(r"^[0-9]{1,10}(\.[0-9]{1,2})?$", 13, "19.90")]
Amount = Annotated[Decimal, DecimalString(money.AMOUNT_PATTERN, 15, "43.30")]
TaxRate = Annotated[Decimal, DecimalString(r"^[0-9]{1,2}(\.[0-9]{1,2})?$", 5, "24.00")]
Moment = Annotated[dt.datetime, IsoString("2026-11-24T10:00:00Z")]
Day = Annotated[dt.date, IsoString("2027-01-15")]
Count = Annotated[int, Field(strict=True)]

Sku = Annotated[str, CodeText("SKU", 64)]
LocationCode = Annotated[str, CodeText("location code", 50)]
ProductCode = Annotated[str, CodeText("product code", 100)]
Word = Annotated[str, StringConstraints(max_length=20), PlainText()]  # a value from a list, e.g. a reason
Short = Annotated[str, StringConstraints(max_length=100), PlainText()]
Line = Annotated[str, StringConstraints(max_length=200), PlainText()]
Name = Annotated[str, StringConstraints(min_length=1, max_length=200), PlainText()]
Text = Annotated[str, StringConstraints(max_length=500), PlainText()]
Note = Annotated[str, StringConstraints(max_length=500), PlainText(multiline=True)]
LongNote = Annotated[str, StringConstraints(max_length=2000), PlainText(multiline=True)]
# Order intake checks these and says how to fix them; the patterns are declared for the document.
Channel = Annotated[
    str,
    StringConstraints(max_length=32),
    PlainText(),
    Field(json_schema_extra={"pattern": r"^[a-z0-9][a-z0-9_.-]{0,31}$"}),
]
Currency = Annotated[
    str,
    StringConstraints(min_length=3, max_length=3),
    PlainText(),
    Field(json_schema_extra={"pattern": "^[A-Z]{3}$"}),
]
# A page cursor as the API hands it out (a signed token); any other is answered 400.
CURSOR_PATTERN = "^[A-Za-z0-9_.:-]*$"
Cursor = Annotated[str, StringConstraints(max_length=1000), Field(json_schema_extra={"pattern": CURSOR_PATTERN})]
# Money in responses: as stored, with the currency's decimals ("43.30", never "43.3").
MoneyOut = Annotated[str, Field(pattern=r"^-?[0-9]+(\.[0-9]+)?$", examples=["43.30"])]


def one_of(values: Any) -> Any:
    """Documents the values a field takes; the service checks them and says which to use."""
    listed: list[JsonValue] = [str(value) for value in sorted(values)]
    return Field(json_schema_extra={"enum": listed})


# A path parameter may name a SKU stored before SKUs were restricted to code characters.
SkuInPath = Annotated[str, StringConstraints(min_length=1, max_length=64), PlainText()]
OrderNumber = Annotated[str, StringConstraints(min_length=1, max_length=32), PlainText()]
PublicId = Annotated[str, StringConstraints(min_length=1, max_length=36), PlainText()]  # a UUID


class In(BaseModel):
    """A request body: plain pydantic, unknown fields refused.

    Not ninja's Schema: its wrapping validator (made for reading model instances) validates a
    body that forbids unknown fields twice at every level of nesting, which cost more CPU than
    the rest of the order's checks together (bench/order_intake.py)."""

    model_config = ConfigDict(extra="forbid")


class Out(BaseModel):
    """An answer the API builds as plain dicts and lists (never from model instances), so
    pydantic validates it directly, without ninja's getter around every nested object."""


class FieldErrorOut(Out):
    field: str
    code: str
    message: str


class Problem(Out):
    """RFC 9457 problem details (served as application/problem+json)."""

    type: str
    title: str
    status: int
    detail: str
    code: str
    errors: list[FieldErrorOut] | None = None
    # Only on insufficient_stock: the SKU short, what was asked and what is available.
    sku: str | None = None
    requested: int | None = None
    available: int | None = None


# --- catalog ----------------------------------------------------------------------------------


class VariantIn(In):
    sku: Sku
    name: Name
    price: Price
    weight_grams: Count = Field(default=0, ge=0, le=1_000_000)
    low_stock_threshold: Count = Field(default=5, ge=0, le=1_000_000)


class ProductIn(In):
    code: ProductCode
    name: Name
    fulfillment_mode: Annotated[Word, one_of(FulfillmentMode.values)] = "physical"
    out_of_stock_policy: Annotated[Word, one_of(OutOfStockPolicy.values)] = "deny"
    release_on: Day | None = None
    is_consumable: StrictBool = False
    variants: list[VariantIn] = Field(min_length=1, max_length=200)


class ProductsIn(In):
    products: list[ProductIn] = Field(min_length=1, max_length=500)


class UpsertOut(Schema):
    created: list[str]
    updated: list[str]


# --- inventory --------------------------------------------------------------------------------


class AdjustmentIn(In):
    sku: Sku
    location: LocationCode | None = Field(
        default=None, description="May be left out when the shop has exactly one active location."
    )
    reason: Annotated[Word, one_of(ADJUSTMENT_REASONS)]
    on_hand: Count | None = Field(default=None, ge=0, le=100_000_000)
    delta: Count | None = Field(default=None, ge=-100_000_000, le=100_000_000)
    reference: Short = ""
    note: Note = ""


class AdjustmentsIn(In):
    adjustments: list[AdjustmentIn] = Field(min_length=1, max_length=500)


class AdjustmentOut(Schema):
    sku: str
    location: str
    on_hand: int
    reserved: int
    delta: int


class LocationIn(In):
    code: LocationCode
    name: Name
    priority: Count = Field(default=10, ge=0, le=32767, description="Orders reserve from the lowest first.")
    is_active: StrictBool = True


class LocationOut(Schema):
    code: str
    name: str
    priority: int
    is_active: bool


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
    email: Annotated[str, StringConstraints(max_length=254), PlainText()]
    name: Name
    phone: Annotated[str, StringConstraints(max_length=40), PlainText()] = ""
    language: Annotated[str, StringConstraints(max_length=8), PlainText(), one_of(["", *CUSTOMER_LANGUAGES])] = ""


class AddressIn(In):
    name: Name
    company: Line = ""
    line1: Name
    line2: Line = ""
    city: Name
    region: Line = ""
    postal_code: Annotated[str, StringConstraints(min_length=1, max_length=20), PlainText()]
    country: Annotated[str, StringConstraints(max_length=2), PlainText()]
    phone: Annotated[str, StringConstraints(max_length=40), PlainText()] = ""
    pickup_point: Annotated[str, StringConstraints(max_length=100), PlainText()] = Field(
        default="", description="The parcel locker's or pickup point's id, for locker methods."
    )


class PaymentIn(In):
    method: Annotated[Word, one_of(PaymentMethod)]
    status: Annotated[Word, one_of(INITIAL_PAYMENT_STATUSES)] = "pending"
    provider: Annotated[Word, one_of(PAYMENT_PROVIDERS)] | None = Field(
        default=None, description="Who took the money, so refunds go back the same way (e.g. stripe)."
    )
    reference: Short = Field(
        default="", description="The provider's id of the payment, e.g. a Stripe PaymentIntent pi_..."
    )


class LineIn(In):
    sku: Sku
    quantity: Count = Field(ge=1, le=100_000)
    unit_price: Amount
    tax_rate: TaxRate = Decimal(0)


class GiftCardIn(In):
    code: Annotated[str, StringConstraints(max_length=32), PlainText()] = Field(description="The gift card's code.")
    amount: Amount = Field(description="The part of the total paid with the card; at most its balance.")


class OrderIn(In):
    channel: Channel
    currency: Annotated[str, StringConstraints(min_length=3, max_length=3, pattern=r"^[A-Z]{3}$")]
    customer: CustomerIn
    shipping_address: AddressIn | None = None
    billing_address: AddressIn | None = None
    shipping_method: Annotated[str, StringConstraints(max_length=64), PlainText()] = ""
    express: StrictBool | None = None
    payment: PaymentIn
    lines: list[LineIn] = Field(max_length=200, json_schema_extra={"minItems": 1})
    shipping_price: Amount = Decimal(0)
    gift_wrap: StrictBool = False
    gift_wrap_price: Amount = Decimal(0)
    gift_message: Note = ""
    customer_note: LongNote = ""
    total: Amount
    placed_at: Moment | None = Field(
        default=None, description="When the customer bought: from 2000-01-01 to five minutes from now; now if left out."
    )
    external_reference: Short | None = None
    coupon_code: Annotated[str, StringConstraints(max_length=32), PlainText()] | None = Field(
        default=None, description="A single-use coupon: redeemed once; the total is the lines and fees less it."
    )
    gift_card: GiftCardIn | None = Field(
        default=None,
        description="Pay part of the total with a gift card (store credit); the total stays the lines and fees.",
    )


class VerifyIn(In):
    outcome: Annotated[Word, one_of(VerificationOutcome.values)]
    note: LongNote = ""


class ReasonIn(In):
    reason: Text


class ReleaseIn(In):
    note: Text = ""


class PaymentRecordIn(In):
    amount: Amount
    reference: Short = ""


class RefundIn(In):
    amount: Amount = Field(description="More than 0, at most what was received less what went back already.")
    reason: Annotated[Word, one_of(RefundReason.values)]
    reference: Short = Field(default="", description="The bank transfer's or the card refund's reference.")
    note: Note = ""


class RefundOut(Schema):
    id: str = Field(description="The refund's id (a UUID).")
    order: str
    amount: MoneyOut
    currency: str
    reason: str
    reference: str
    note: str
    created_at: dt.datetime
    payment_status: str = Field(description="The order's payment status now: partially_refunded or refunded.")
    amount_paid: MoneyOut
    amount_refunded: MoneyOut = Field(description="Every refund of the order so far, this one included.")
    status: str = Field(default="issued", description="issued, or failed when the provider refused it.")
    provider: str = Field(default="manual", description="manual, bank_transfer or the payment provider (stripe).")
    provider_status: str = Field(
        default="succeeded", description="pending (sent to the provider), succeeded, failed, or due (bank transfer)."
    )
    provider_reference: str = Field(default="", description="The provider's id of the refund, e.g. re_...")


class OrderRefundOut(Out):
    id: str = Field(description="The refund's id (a UUID).")
    amount: MoneyOut
    currency: str
    reason: str
    status: str = Field(description="issued, or failed when the provider refused it.")
    provider: str = Field(description="manual, bank_transfer or the payment provider (stripe).")
    provider_status: str = Field(
        description="pending (sent to the provider), succeeded, failed, or due (bank transfer)."
    )
    provider_reference: str = Field(description="The provider's id of the refund, e.g. re_...; empty for manual ones.")
    reference: str
    created_at: dt.datetime


class NoteIn(In):
    text: Annotated[str, StringConstraints(max_length=4000), PlainText(multiline=True)]


class PromisedDeliveryOut(Out):
    earliest: dt.date
    latest: dt.date


class CustomerOut(Out):
    email: str
    name: str
    phone: str
    language: str


class LineOut(Out):
    sku: str
    name: str
    quantity: int
    unit_price: MoneyOut
    tax_rate: MoneyOut
    line_total: MoneyOut
    stock_state: str
    location: str | None
    available_on: dt.date | None
    quantity_shipped: int = 0
    quantity_delivered: int = 0
    quantity_returned: int = Field(default=0, description="Units received back from the customer.")


class ShipmentLineOut(Out):
    sku: str
    quantity: int


class ShipmentOut(Out):
    id: str = Field(description="The shipment's id (a UUID).")
    order: str
    sequence: int = Field(description="The order's parcel number: 1, 2...")
    carrier: str
    carrier_service: str
    tracking_number: str
    tracking_url: str
    status: str
    label_url: str = Field(description="The label as PDF (needs an API key with orders:read).")
    label_zpl_url: str
    lines: list[ShipmentLineOut]
    weight_grams: int
    packaging: str | None
    signature_required: bool
    presence_required: bool
    cash_on_delivery: MoneyOut | None
    pickup_point: str
    expected_on: dt.date | None = Field(description="The latest day the order was promised.")
    on_track: bool | None = Field(
        default=None, description="Delivered by, or still able to make, the promised day; null without a promise."
    )
    created_at: dt.datetime


class ShipmentLineIn(In):
    sku: Sku
    quantity: Count = Field(ge=1, le=100_000)


class ShipmentIn(In):
    lines: list[ShipmentLineIn] = Field(
        default_factory=list, max_length=500, description="Empty: every unit that can leave now."
    )
    carrier: Annotated[str, StringConstraints(max_length=32), PlainText()] = Field(
        default="", description="manual, demo, boxnow, inpost...; empty: the shipping method's carrier."
    )
    tracking_number: Short = ""
    packaging: Annotated[str, StringConstraints(max_length=50), PlainText()] = ""
    weight_grams: Count | None = Field(default=None, ge=1, le=1_000_000)
    signature_required: StrictBool | None = None
    presence_required: StrictBool | None = None


class TimelineOut(Out):
    at: dt.datetime
    kind: str = Field(description="The topic of the event recorded with the entry, e.g. orders.order_placed.")
    summary: str = Field(description="The entry in words (Accept-Language: en, el, pl, he), with its note.")
    text: str = Field(description="The entry in words, without the note.")
    note: str = Field(description="What someone typed with it (a reason, a note), as typed; often empty.")
    facts: dict[str, Any] = Field(description="Ids and small values the words are made of.")
    actor: str = Field(description="Who did it, as '<kind>:<name>', e.g. staff:maria.")
    actor_kind: str = Field(description="staff, api_key, system or customer.")
    actor_name: str


class VerificationOut(Out):
    at: dt.datetime
    outcome: str
    note: str
    actor: str


class OrderSummaryOut(Out):
    number: str
    status: str
    payment_status: str
    fulfillment_status: str
    payment_method: str
    channel: str
    currency: str
    total: MoneyOut
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
    subtotal: MoneyOut
    shipping_price: MoneyOut
    gift_wrap_price: MoneyOut
    tax_total: MoneyOut
    discount_total: MoneyOut = Field(description='What the coupon took off; "0.00" without one.')
    coupon_code: str | None = None
    gift_card_amount: MoneyOut = Field(default="0.00", description="Part of the total paid with a gift card.")
    amount_paid: MoneyOut
    amount_refunded: MoneyOut = Field(default="0.00", description="Money given back so far.")
    refunds: list[OrderRefundOut] = Field(default_factory=list, description="Every refund of the order, oldest first.")
    payment_provider: str = Field(default="", description="Who took the money (stripe); empty: the shop itself.")
    gift_wrap: bool
    gift_message: str
    customer_note: str
    hold_reason: str
    cancel_reason: str
    verified_at: dt.datetime | None
    due_by: dt.datetime
    promised_delivery: PromisedDeliveryOut | None = Field(
        default=None, description="The window the shipping method promised when the order was placed."
    )
    lines: list[LineOut]
    shipments: list[ShipmentOut] = Field(default_factory=list)
    verifications: list[VerificationOut] | None = None
    timeline: list[TimelineOut] | None = None


class OrderPageOut(Out):
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


# --- shipping ---------------------------------------------------------------------------------


class DestinationIn(In):
    country: Annotated[str, StringConstraints(min_length=2, max_length=2), PlainText()]
    postal_code: Annotated[str, StringConstraints(max_length=20), PlainText()] = ""


class QuoteLineIn(In):
    sku: Sku
    quantity: Count = Field(ge=1, le=100_000)


class QuoteIn(In):
    currency: Currency
    destination: DestinationIn
    lines: list[QuoteLineIn] = Field(min_length=1, max_length=200)


class DeliveryWindowOut(Schema):
    earliest: dt.date
    latest: dt.date


class QuoteOptionOut(Schema):
    code: str
    name: str
    kind: str = Field(description="home, express, locker or pickup.")
    price: MoneyOut = Field(description='"0.00" once the order reaches free_over.')
    free_over: MoneyOut | None = Field(description="The order value that ships free; null without a threshold.")
    missing_for_free: MoneyOut = Field(description='How much more ships free; "0.00" once reached or without one.')
    cash_on_delivery: bool
    cash_on_delivery_fee: MoneyOut
    delivery: DeliveryWindowOut


class QuoteOut(Schema):
    currency: str
    subtotal: MoneyOut
    weight_grams: int
    zone: str | None
    options: list[QuoteOptionOut]
