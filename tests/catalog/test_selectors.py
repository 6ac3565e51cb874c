"""What intake reads of the catalog per order: one statement, active variants only."""

from __future__ import annotations

import datetime as dt

import pytest

from emporos.catalog import selectors
from emporos.catalog.models import Variant


@pytest.mark.django_db
@pytest.mark.usefixtures("catalog")
def test_for_sale_gives_each_active_variant_with_its_products_facts() -> None:
    Variant.objects.filter(sku="TEA-250").update(is_active=False)

    found = selectors.for_sale({"TEA-100", "TEA-250", "BOOK-1", "EBOOK-1", "NO-SUCH"})

    assert set(found) == {"TEA-100", "BOOK-1", "EBOOK-1"}
    tea, book, ebook = found["TEA-100"], found["BOOK-1"], found["EBOOK-1"]
    assert tea.variant_id == Variant.objects.get(sku="TEA-100").pk
    assert (tea.is_stocked, tea.is_shipped, tea.out_of_stock_policy) == (True, True, "deny")
    assert (book.fulfillment_mode, book.release_on, book.is_stocked) == ("preorder", dt.date(2027, 1, 15), False)
    assert (ebook.is_stocked, ebook.is_shipped, ebook.release_on) == (False, False, None)


@pytest.mark.django_db
def test_for_sale_of_no_skus_asks_nothing(django_assert_num_queries: object) -> None:
    with django_assert_num_queries(0):  # type: ignore[operator]
        assert selectors.for_sale(set()) == {}
