"""Catalog endpoints."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router

from emporos.access.models import Scope
from emporos.api import schemas
from emporos.api.auth import ApiKeyAuth
from emporos.catalog import services

router = Router(tags=["catalog"])


@router.post(
    "/products",
    auth=ApiKeyAuth(Scope.CATALOG_WRITE),
    response={200: schemas.UpsertOut, 422: schemas.Problem},
    summary="Create or update products with their variants",
)
def upsert_products(request: HttpRequest, payload: schemas.ProductsIn) -> Any:
    """Products are matched by `code`, variants by `sku`; all or nothing."""
    drafts = [
        services.ProductDraft(
            code=product.code,
            name=product.name,
            fulfillment_mode=product.fulfillment_mode,
            out_of_stock_policy=product.out_of_stock_policy,
            release_on=product.release_on,
            is_consumable=product.is_consumable,
            variants=[services.VariantDraft(**variant.model_dump()) for variant in product.variants],
        )
        for product in payload.products
    ]
    result = services.upsert_products(drafts=drafts)
    return {"created": result.created, "updated": result.updated}
