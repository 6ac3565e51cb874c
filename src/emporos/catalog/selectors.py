"""Reads of the catalog that other domains ask for."""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Collection
from dataclasses import dataclass

from django.db import connection

from emporos.catalog.models import FulfillmentFacts, Product, Variant


@dataclass(frozen=True, slots=True)
class ForSale(FulfillmentFacts):
    """What an order needs to know of an active variant and its product."""

    variant_id: int
    sku: str
    name: str
    fulfillment_mode: str
    out_of_stock_policy: str
    release_on: dt.date | None


@functools.cache
def _for_sale_sql() -> str:
    variant, product = Variant._meta, Product._meta
    return (
        f"SELECT v.id, v.sku, v.name, p.fulfillment_mode, p.out_of_stock_policy, p.release_on "
        f"FROM {variant.db_table} v JOIN {product.db_table} p ON p.id = v.product_id "
        f"WHERE v.is_active AND v.sku"
    )


def for_sale(skus: Collection[str]) -> dict[str, ForSale]:
    """The active variants among `skus`, by SKU, in one statement (of the same text for any
    number of SKUs on PostgreSQL, so it is prepared once per connection)."""
    if not skus:
        return {}
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"{_for_sale_sql()} = ANY(%s)", [list(skus)])
        else:
            cursor.execute(f"{_for_sale_sql()} IN ({', '.join(['%s'] * len(skus))})", list(skus))
        rows = cursor.fetchall()
    return {
        sku: ForSale(
            variant_id=variant_id,
            sku=sku,
            name=name,
            fulfillment_mode=mode,
            out_of_stock_policy=policy,
            release_on=dt.date.fromisoformat(release_on) if isinstance(release_on, str) else release_on,
        )
        for variant_id, sku, name, mode, policy, release_on in rows
    }
