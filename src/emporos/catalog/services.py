"""Writes of the catalog: bulk upsert of products with their variants."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction

from emporos.catalog.events import ProductsUpserted
from emporos.catalog.models import FulfillmentMode, OutOfStockPolicy, Product, Variant
from emporos.core import clock
from emporos.core.errors import ErrorCollector
from emporos.core.money import MAX_PRICE
from emporos.core.text import check_code, check_text
from emporos.outbox.services import emit


@dataclass(frozen=True)
class VariantDraft:
    sku: str
    name: str
    price: Decimal
    weight_grams: int = 0
    low_stock_threshold: int = 5


@dataclass(frozen=True)
class ProductDraft:
    code: str
    name: str
    variants: list[VariantDraft]
    fulfillment_mode: str = FulfillmentMode.PHYSICAL
    out_of_stock_policy: str = OutOfStockPolicy.DENY
    release_on: dt.date | None = None
    is_consumable: bool = False


@dataclass
class UpsertResult:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)


def upsert_products(*, drafts: list[ProductDraft]) -> UpsertResult:
    """Create or update products by `code` and their variants by `sku`, all or nothing."""
    _check_drafts(drafts)
    now = clock.now()
    result = UpsertResult()
    with transaction.atomic():
        existing = {product.code: product for product in Product.objects.filter(code__in=[d.code for d in drafts])}
        skus = [variant.sku for draft in drafts for variant in draft.variants]
        owners = dict(Variant.objects.filter(sku__in=skus).values_list("sku", "product__code"))
        _check_sku_owners(drafts, owners)
        product_ids = []
        for draft in drafts:
            product = existing.get(draft.code) or Product(code=draft.code, created_at=now)
            (result.updated if product.pk else result.created).append(draft.code)
            product.name = draft.name
            product.fulfillment_mode = draft.fulfillment_mode
            product.out_of_stock_policy = draft.out_of_stock_policy
            product.release_on = draft.release_on
            product.is_consumable = draft.is_consumable
            product.updated_at = now
            product.save()
            product_ids.append(product.pk)
            Variant.objects.bulk_create(
                [
                    Variant(
                        product=product,
                        sku=variant.sku,
                        name=variant.name,
                        price=variant.price,
                        weight_grams=variant.weight_grams,
                        low_stock_threshold=variant.low_stock_threshold,
                        created_at=now,
                        updated_at=now,
                    )
                    for variant in draft.variants
                ],
                update_conflicts=True,
                unique_fields=["sku"],
                update_fields=["name", "price", "weight_grams", "low_stock_threshold", "updated_at"],
            )
        emit(ProductsUpserted(product_ids=product_ids))
    return result


def _check_drafts(drafts: list[ProductDraft]) -> None:
    errors = ErrorCollector()
    if not drafts:
        errors.add("products", "required", "Send at least one product.")
    seen_codes: set[str] = set()
    seen_skus: set[str] = set()
    for index, draft in enumerate(drafts):
        where = f"products.{index}"
        check_code(errors, f"{where}.code", draft.code, max_length=100, what="product code")
        check_text(errors, f"{where}.name", draft.name, max_length=200, required=True)
        if draft.code in seen_codes:
            errors.add(f"{where}.code", "duplicate", f"Product code {draft.code} appears twice in this request.")
        seen_codes.add(draft.code)
        if draft.fulfillment_mode not in FulfillmentMode.values:
            errors.add(f"{where}.fulfillment_mode", "invalid", f"Use one of {', '.join(FulfillmentMode.values)}.")
        if draft.out_of_stock_policy not in OutOfStockPolicy.values:
            errors.add(f"{where}.out_of_stock_policy", "invalid", f"Use one of {', '.join(OutOfStockPolicy.values)}.")
        if draft.fulfillment_mode == FulfillmentMode.PREORDER and draft.release_on is None:
            errors.add(f"{where}.release_on", "required", "A pre-order product needs its release date (YYYY-MM-DD).")
        if not draft.variants:
            errors.add(f"{where}.variants", "required", "A product needs at least one variant with a SKU.")
        for position, variant in enumerate(draft.variants):
            _check_variant(errors, f"{where}.variants.{position}", variant, seen_skus)
    errors.raise_if_any()


def _check_variant(errors: ErrorCollector, where: str, variant: VariantDraft, seen_skus: set[str]) -> None:
    check_code(errors, f"{where}.sku", variant.sku, max_length=64, what="SKU")
    check_text(errors, f"{where}.name", variant.name, max_length=200, required=True)
    if variant.sku in seen_skus:
        errors.add(f"{where}.sku", "duplicate", f"SKU {variant.sku} appears twice.")
    seen_skus.add(variant.sku)
    price = variant.price
    if not price.is_finite() or price < 0 or price.as_tuple().exponent < -2:  # type: ignore[operator]
        errors.add(f"{where}.price", "invalid", 'Give a price of 0 or more with at most 2 decimals, e.g. "19.90".')
    elif price > MAX_PRICE:
        errors.add(f"{where}.price", "too_large", f"A price is at most {MAX_PRICE}.")
    for name, count in (("weight_grams", variant.weight_grams), ("low_stock_threshold", variant.low_stock_threshold)):
        if not 0 <= count <= 1_000_000:
            errors.add(f"{where}.{name}", "out_of_range", "Give a whole number from 0 to 1000000.")


def _check_sku_owners(drafts: list[ProductDraft], owners: dict[str, str]) -> None:
    errors = ErrorCollector()
    for index, draft in enumerate(drafts):
        for position, variant in enumerate(draft.variants):
            owner = owners.get(variant.sku)
            if owner is not None and owner != draft.code:
                errors.add(
                    f"products.{index}.variants.{position}.sku",
                    "sku_taken",
                    f"SKU {variant.sku} belongs to product {owner}; give it a new SKU or send it with {owner}.",
                )
    errors.raise_if_any()
