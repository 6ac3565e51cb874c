"""Reactions of the orders domain to other domains' events."""

from __future__ import annotations

from emporos.catalog.events import ProductsUpserted
from emporos.catalog.models import Product
from emporos.core.actor import Actor
from emporos.orders.services.stock import change_expected_date
from emporos.outbox.registry import handles


@handles(ProductsUpserted, name="orders.follow_release_dates")
def follow_release_dates(event: ProductsUpserted) -> None:
    """A pre-order's release date moved: the orders waiting for it take the new date (and hear of it)."""
    for product in Product.objects.filter(pk__in=event.product_ids).order_by("pk"):
        change_expected_date(product_id=product.pk, release_on=product.release_on, actor=Actor.system("catalog"))
