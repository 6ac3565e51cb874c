"""The inventory pages: stock per SKU and location, a SKU's ledger, and adjustments from the desk."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client

from emporos.catalog.models import Variant
from emporos.desk.views import inventory as inventory_views
from emporos.inventory.models import StockLevel, StockMovement
from emporos.shop import selectors as shop_settings
from tests.conftest import make_product, place, stock

pytestmark = pytest.mark.django_db


def cells(html: str) -> list[str]:
    """The text of each cell (th or td) in `html`, whitespace collapsed."""
    found = re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", html, flags=re.S)
    return [" ".join(re.sub(r"<[^>]+>", " ", cell).split()) for cell in found]


def sku_group(body: str, sku: str) -> str:
    match = re.search(rf'<tbody class="stock-group[^"]*" data-sku="{re.escape(sku)}">(.*?)</tbody>', body, re.S)
    assert match, f"no rows for {sku}"
    return match.group(0)


def listed_skus(body: str) -> list[str]:
    return re.findall(r'<tbody class="stock-group[^"]*" data-sku="([^"]+)">', body)


def ledger_rows(body: str) -> list[list[str]]:
    table = re.search(r'<table class="table table--compact" id="ledger">.*?<tbody>(.*?)</tbody>', body, re.S)
    assert table, "no ledger table"
    return [cells(row) for row in re.findall(r"<tr data-movement.*?</tr>", table.group(1), re.S)]


def level(sku: str, location: str = "athens") -> tuple[int, int]:
    found = StockLevel.objects.get(variant__sku=sku, location__code=location)
    return found.on_hand, found.reserved


# --- The list ---


def test_list_shows_each_location_and_marks_low_stock(owner: Client, api: Client, catalog: None) -> None:
    place(api)  # reserves 2 of TEA-100 in athens
    Variant.objects.filter(sku="TEA-100").update(low_stock_threshold=8)

    response = owner.get("/inventory/")

    assert response.status_code == 200
    body = response.content.decode()
    assert listed_skus(body) == ["MUG-1", "TEA-100", "TEA-250"]  # not the made-to-order, pre-order or digital ones
    tea = sku_group(body, "TEA-100")
    assert cells(tea) == [
        "TEA-100 Low stock",
        "Mountain Tea mountain-tea TEA-100",
        "Athens warehouse",
        "10",
        "2",
        "8",
        "8 low at 8",
    ]  # Warsaw never stocked it: no row there
    assert tea.count('class="is-low"') == 1
    assert '<span class="badge badge--low">Low stock</span>' in tea
    assert 'href="/inventory/TEA-100/"' in tea


def test_a_sku_above_its_threshold_is_not_low(owner: Client, catalog: None) -> None:
    body = owner.get("/inventory/").content.decode()
    tea = sku_group(body, "TEA-100")  # 10 available, threshold 5
    assert "badge--low" not in tea
    assert "is-low" not in tea


def test_a_stocked_sku_without_levels_says_it_is_nowhere_yet(owner: Client, catalog: None) -> None:
    make_product("honey", ["HONEY-1"])

    body = owner.get("/inventory/").content.decode()

    assert cells(sku_group(body, "HONEY-1")) == [
        "HONEY-1 Low stock",
        "Honey honey HONEY-1",
        "Not stocked at any location yet.",
        "0 low at 5",
    ]


def test_low_filter_lists_only_low_stock_skus(owner: Client, catalog: None) -> None:
    # Thresholds are 5: TEA-250 (5 available) and MUG-1 (1) are low, TEA-100 (10) is not.
    response = owner.get("/inventory/", {"low": "yes"})

    assert response.status_code == 200
    body = response.content.decode()
    assert listed_skus(body) == ["MUG-1", "TEA-250"]
    assert 'name="low" value="yes" id="id_low" checked' in body


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        pytest.param({"q": "tea-2"}, ["TEA-250"], id="sku-contains-any-case"),
        pytest.param({"q": "mountain"}, ["TEA-100", "TEA-250"], id="product-name"),
        pytest.param({"q": "mug", "low": "yes"}, ["MUG-1"], id="search-and-low"),
    ],
)
def test_search_by_sku_or_name(owner: Client, catalog: None, query: dict[str, str], expected: list[str]) -> None:
    body = owner.get("/inventory/", query).content.decode()
    assert listed_skus(body) == expected


def test_location_filter_shows_only_that_location(owner: Client, catalog: None) -> None:
    stock("TEA-250", 3, location="warsaw")

    body = owner.get("/inventory/", {"location": "warsaw"}).content.decode()

    assert cells(sku_group(body, "TEA-250")) == [
        "TEA-250",  # 8 available in all locations: above the threshold
        "Mountain Tea mountain-tea TEA-250",
        "Warsaw store room",
        "3",
        "0",
        "3",
        "8 low at 5",
    ]
    assert "Athens warehouse</td>" not in body


def test_unknown_location_filter_is_refused_next_to_the_field(owner: Client, catalog: None) -> None:
    response = owner.get("/inventory/", {"location": "paris"})

    assert response.status_code == 400
    body = response.content.decode()
    assert re.search(
        r'<p class="field__error" id="id_location_error">Choose one of the options in the list\.</p>', body
    )
    assert listed_skus(body) == ["MUG-1", "TEA-100", "TEA-250"]


def test_pages_by_sku(owner: Client, catalog: None, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(inventory_views, "SKUS_PER_PAGE", 2)

    first = owner.get("/inventory/", {"q": "-"}).content.decode()
    assert listed_skus(first) == ["MUG-1", "TEA-100"]
    next_link = re.search(r'<a class="button" href="\?([^"]+)">Next page', first)
    assert next_link
    assert next_link.group(1) == "q=-&amp;after=TEA-100"

    second = owner.get("/inventory/", {"q": "-", "after": "TEA-100"}).content.decode()
    assert listed_skus(second) == ["TEA-250"]
    assert "Next page" not in second
    assert '<a href="?q=-">← Back to the first page</a>' in second


def test_empty_catalog_says_where_products_come_from(owner: Client, locations: Any) -> None:
    body = owner.get("/inventory/").content.decode()
    assert "No products yet: add them through the catalog API" in body


def test_no_match_says_so(owner: Client, catalog: None) -> None:
    body = owner.get("/inventory/", {"q": "nothing-like-this"}).content.decode()
    assert "No SKUs match these filters" in body
    assert "No products yet" not in body


def test_list_needs_sign_in() -> None:
    response = Client().get("/inventory/")
    assert response.status_code == 302
    assert response["Location"] == "/sign-in/?next=/inventory/"


@pytest.fixture
def counted(django_assert_num_queries: Any) -> Any:
    """django_assert_num_queries with the shop's settings already in the process cache."""

    def count(number: int) -> Any:
        shop_settings.current()
        return django_assert_num_queries(number)

    return count


def more_skus(count: int) -> None:
    make_product("candle", [f"CANDLE-{n:03}" for n in range(count)])
    for n in range(count):
        stock(f"CANDLE-{n:03}", n, location="athens" if n % 2 else "warsaw")


def test_list_queries_stay_constant(owner: Client, catalog: None, counted: Any) -> None:
    # Session, user, staff role; locations; how many match; the page of variants; their levels.
    with counted(7):
        assert len(listed_skus(owner.get("/inventory/").content.decode())) == 3
    more_skus(40)
    with counted(7):
        assert len(listed_skus(owner.get("/inventory/").content.decode())) == 43
    with counted(7):
        assert len(listed_skus(owner.get("/inventory/", {"low": "yes", "q": "candle"}).content.decode())) == 6


# --- One SKU ---


def test_sku_page_shows_the_reservation_and_links_the_order(owner: Client, api: Client, catalog: None) -> None:
    number = place(api)

    response = owner.get("/inventory/TEA-100/")

    assert response.status_code == 200
    body = response.content.decode()
    levels = re.search(r'<table class="table table--compact" id="levels">.*?</table>', body, re.S)
    assert levels
    assert cells(levels.group(0))[5:] == [  # after the headings; the owner may set each bin
        "Athens warehouse",
        "10",
        "2",
        "8",
        "Bin at Athens warehouse Save",
    ]  # Warsaw never held it
    rows = ledger_rows(body)
    assert [row[1:] for row in rows] == [
        ["Athens warehouse", "0", "10", "+2", "Reserved for an order", number, "Integration “storefront”", ""],
        ["Athens warehouse", "+10", "10", "0", "Stock count", "—", "Emporos (automatic)", ""],
    ]
    assert f'<a href="/orders/{number}/">{number}</a>' in body
    assert '<strong id="total-available">8</strong>' in body


def test_unknown_sku_is_a_friendly_404(owner: Client, catalog: None) -> None:
    response = owner.get("/inventory/NOPE-1/")

    assert response.status_code == 404
    body = response.content.decode()
    assert "There is no such SKU" in body
    assert 'action="/inventory/"' in body
    assert 'name="q" value="NOPE-1"' in body
    assert 'aria-current="page">Inventory</a>' in body


def adjustment(**changes: str) -> dict[str, str]:
    data = {"location": "athens", "mode": "on_hand", "quantity": "12", "reason": "received", "note": "pallet 7"}
    data.update(changes)
    return data


def test_counted_quantity_is_set_and_appears_in_the_ledger(owner: Client, catalog: None) -> None:
    response = owner.post("/inventory/TEA-100/", adjustment(reason="count", note="Monday count"))

    assert response.status_code == 302
    assert response["Location"] == "/inventory/TEA-100/"
    assert level("TEA-100") == (12, 0)
    page = owner.get(response["Location"]).content.decode()
    assert "TEA-100 at Athens warehouse: 12 on hand (+2)." in page
    assert ledger_rows(page)[0][1:] == [
        "Athens warehouse",
        "+2",
        "12",
        "0",
        "Stock count",
        "—",
        "owner-user",
        "Monday count",
    ]


@pytest.mark.parametrize(
    ("changes", "expected_level", "message"),
    [
        pytest.param({"mode": "delta", "quantity": "-3", "reason": "damaged"}, 7, "7 on hand (-3).", id="remove"),
        pytest.param({"mode": "delta", "quantity": "4", "location": "warsaw"}, 4, "4 on hand (+4).", id="add-new"),
    ],
)
def test_add_or_remove_changes_on_hand(
    make_staff: Any, catalog: None, changes: dict[str, str], expected_level: int, message: str
) -> None:
    warehouse = make_staff("warehouse")

    response = warehouse.post("/inventory/TEA-100/", adjustment(**changes), follow=True)

    location = changes.get("location", "athens")
    assert level("TEA-100", location) == (expected_level, 0)
    name = {"athens": "Athens warehouse", "warsaw": "Warsaw store room"}[location]
    assert f"TEA-100 at {name}: {message}" in response.content.decode()


def test_count_below_reserved_is_refused_next_to_the_quantity(owner: Client, api: Client, catalog: None) -> None:
    place(api)  # 2 reserved in athens
    movements = StockMovement.objects.count()

    response = owner.post("/inventory/TEA-100/", adjustment(quantity="1"))

    assert response.status_code == 400
    body = response.content.decode()
    assert (
        '<p class="field__error" id="id_quantity_error">SKU TEA-100 at athens would have 1 on hand, but 2 are '
        "reserved for orders; count again or cancel those orders first.</p>"
    ) in body
    assert 'value="1"' in body
    assert level("TEA-100") == (10, 2)
    assert StockMovement.objects.count() == movements


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        pytest.param({"quantity": "twelve"}, "quantity", "Write a whole number, e.g. 5.", id="not-a-number"),
        pytest.param({"quantity": "2.5"}, "quantity", "Write a whole number, e.g. 5.", id="fraction"),
        pytest.param({"quantity": ""}, "quantity", "Fill this in; it is needed.", id="missing"),
        pytest.param({"quantity": "-1"}, "quantity", "A counted quantity cannot be below 0.", id="negative-count"),
        pytest.param(
            {"mode": "delta", "quantity": "0"},
            "quantity",
            "A delta of 0 changes nothing; give the change in units.",
            id="zero-change",
        ),
        pytest.param(
            {"reason": "reserved"}, "reason", "Choose one of the options in the list.", id="not-an-adjustment-reason"
        ),
        pytest.param(
            {"location": "paris"}, "location", "Choose one of the options in the list.", id="unknown-location"
        ),
    ],
)
def test_bad_input_is_refused_next_to_its_field(
    owner: Client, catalog: None, changes: dict[str, str], field: str, message: str
) -> None:
    movements = StockMovement.objects.count()

    response = owner.post("/inventory/TEA-100/", adjustment(**changes))

    assert response.status_code == 400
    assert re.search(
        rf'<p class="field__error" id="id_{field}_error">{re.escape(message)}.*?</p>', response.content.decode()
    )
    assert level("TEA-100") == (10, 0)
    assert StockMovement.objects.count() == movements


def test_support_sees_no_form_and_cannot_adjust(make_staff: Any, catalog: None) -> None:
    support = make_staff("support")

    page = support.get("/inventory/TEA-100/")
    response = support.post("/inventory/TEA-100/", adjustment())

    assert page.status_code == 200
    assert 'id="adjust"' not in page.content.decode()
    assert 'name="quantity"' not in page.content.decode()
    assert response.status_code == 403
    assert "Your role cannot adjust stock" in response.content.decode()
    assert level("TEA-100") == (10, 0)


def test_ledger_pages_back_in_time(owner: Client, catalog: None, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(inventory_views, "MOVEMENTS_PER_PAGE", 2)
    for on_hand in (11, 12, 13):
        stock("TEA-100", on_hand)
    ids = list(StockMovement.objects.filter(variant__sku="TEA-100").order_by("-id").values_list("id", flat=True))
    assert len(ids) == 4

    first = owner.get("/inventory/TEA-100/").content.decode()
    second = owner.get("/inventory/TEA-100/", {"before": ids[1]}).content.decode()

    assert re.findall(r'data-movement="(\d+)"', first) == [str(ids[0]), str(ids[1])]
    assert f'href="?before={ids[1]}">Older movements' in first
    assert re.findall(r'data-movement="(\d+)"', second) == [str(ids[2]), str(ids[3])]
    assert "Older movements" not in second
    assert '<a href="/inventory/TEA-100/">← Back to the newest</a>' in second


def test_sku_page_queries_stay_constant(owner: Client, api: Client, catalog: None, counted: Any) -> None:
    # Session, user, staff role; the variant; locations; its levels; one page of the ledger; the
    # changes newer than the page (for the running balance).
    with counted(8):
        assert len(ledger_rows(owner.get("/inventory/TEA-100/").content.decode())) == 1
    for _ in range(3):
        place(api)
    stock("TEA-100", 3, location="warsaw")
    for on_hand in range(20, 80):
        stock("TEA-100", on_hand)
    with counted(8):
        assert len(ledger_rows(owner.get("/inventory/TEA-100/").content.decode())) == 50
    ids = list(StockMovement.objects.filter(variant__sku="TEA-100").order_by("-id").values_list("id", flat=True))
    assert len(ids) == 65
    with counted(8):
        assert len(ledger_rows(owner.get("/inventory/TEA-100/", {"before": ids[49]}).content.decode())) == 15


# --- Bins ---


def test_the_bin_of_a_sku_is_set_per_location_and_kept_apart_from_stock(make_staff: Any, catalog: None) -> None:
    packer = make_staff("warehouse")

    response = packer.post("/inventory/TEA-100/", {"bin-location": "athens", "bin-bin": " A-03-2 "})
    unstocked = packer.post("/inventory/TEA-100/", {"bin-location": "warsaw", "bin-bin": "W-1"})

    assert response.status_code == unstocked.status_code == 302
    assert response["Location"] == "/inventory/TEA-100/#levels"
    levels = {level.location.code: level for level in StockLevel.objects.filter(variant__sku="TEA-100")}
    assert {code: (level.bin, level.on_hand) for code, level in levels.items()} == {
        "athens": ("A-03-2", 10),
        "warsaw": ("W-1", 0),
    }
    assert not StockMovement.objects.filter(location__code="warsaw").exists()  # no stock moved
    body = packer.get("/inventory/TEA-100/").content.decode()
    assert "TEA-100 at Athens warehouse: bin A-03-2." in body
    assert 'name="bin-bin" id="bin-athens" value="A-03-2"' in body


def test_a_bad_bin_is_refused_next_to_its_row(make_staff: Any, catalog: None) -> None:
    response = make_staff("warehouse").post("/inventory/TEA-100/", {"bin-location": "athens", "bin-bin": "A\x07"})
    assert response.status_code == 400
    errors = re.findall(r'<p class="field__error" id="bin-athens-error">(.*?)</p>', response.content.decode())
    assert errors == ["Remove the control character U+0007 (character 2); no control characters are allowed here."]
    assert StockLevel.objects.get(variant__sku="TEA-100", location__code="athens").bin == ""


def test_only_roles_that_count_stock_set_bins(make_staff: Any, catalog: None) -> None:
    support = make_staff("support")
    body = support.get("/inventory/TEA-100/").content.decode()
    assert 'name="bin-bin"' not in body
    assert support.post("/inventory/TEA-100/", {"bin-location": "athens", "bin-bin": "X"}).status_code == 403
    assert StockLevel.objects.get(variant__sku="TEA-100", location__code="athens").bin == ""


# --- Page size, count, the locations shown, the running balance ---


def test_the_list_counts_the_matching_skus_and_takes_a_page_size(owner: Client, catalog: None) -> None:
    more_skus(30)

    body = owner.get("/inventory/", {"size": "25"}).content.decode()

    assert len(listed_skus(body)) == 25
    assert cells_of_count(body) == "33 SKUs match · 25 per page"
    assert re.search(r'<option value="25" selected>25</option>', body)
    second = owner.get("/inventory/", {"size": "25", "after": listed_skus(body)[-1]}).content.decode()
    assert len(listed_skus(second)) == 8
    assert cells_of_count(owner.get("/inventory/", {"q": "TEA"}).content.decode()) == "2 SKUs match · 100 per page"


def cells_of_count(body: str) -> str:
    found = re.search(r'<p class="muted result-count" id="sku-count">(.*?)</p>', body, re.S)
    assert found, "no count"
    return " ".join(found.group(1).split())


def test_a_page_size_not_offered_is_refused_next_to_its_field(owner: Client, catalog: None) -> None:
    response = owner.get("/inventory/", {"size": "100000"})

    assert response.status_code == 400
    assert re.search(
        r'<p class="field__error" id="id_size_error">Pick how many SKUs a page shows', response.content.decode()
    )
    assert len(listed_skus(response.content.decode())) == 3  # the default page, not a hundred thousand


def test_a_count_past_the_limit_says_so(owner: Client, catalog: None, monkeypatch: pytest.MonkeyPatch) -> None:
    from emporos.inventory import selectors

    monkeypatch.setattr(selectors, "COUNT_LIMIT", 2)
    assert cells_of_count(owner.get("/inventory/").content.decode()) == "2+ SKUs match · 100 per page"


@pytest.mark.parametrize("size", ["25", "200"])
def test_list_queries_are_the_same_for_every_page_size(owner: Client, catalog: None, counted: Any, size: str) -> None:
    more_skus(60)
    with counted(7):
        shown = listed_skus(owner.get("/inventory/", {"size": size}).content.decode())
    assert len(shown) == min(int(size), 63)


def test_a_sku_page_shows_only_the_locations_that_hold_it(owner: Client, catalog: None) -> None:
    from emporos.inventory.models import Location

    Location.objects.create(code="thessaloniki", name="Thessaloniki shop", priority=3)
    stock("TEA-100", 4, location="warsaw")

    body = owner.get("/inventory/TEA-100/").content.decode()

    levels = re.search(r'<table class="table table--compact" id="levels">.*?</table>', body, re.S)
    assert levels
    assert re.findall(r'<tr data-location="([^"]+)"', levels.group(0)) == ["athens", "warsaw"]
    form = body.split('id="adjust"')[1]
    assert '<option value="thessaloniki">Thessaloniki shop</option>' in form  # stock can start there
    assert "thessaloniki" not in cells(sku_group(owner.get("/inventory/").content.decode(), "TEA-100"))


def test_the_ledger_shows_the_on_hand_after_each_movement_on_every_page(
    owner: Client, catalog: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Athens 10 (count), Warsaw 4, Athens 13, Warsaw 1, Athens 12: newest first the balances are
    # 12 (athens), 1 (warsaw), 13 (athens), 4 (warsaw), 10 (athens).
    stock("TEA-100", 4, location="warsaw")
    stock("TEA-100", 13)
    stock("TEA-100", 1, location="warsaw")
    stock("TEA-100", 12)
    monkeypatch.setattr(inventory_views, "MOVEMENTS_PER_PAGE", 2)
    ids = list(StockMovement.objects.filter(variant__sku="TEA-100").order_by("-id").values_list("id", flat=True))

    pages = [
        owner.get("/inventory/TEA-100/", {"before": before} if before else {}).content.decode()
        for before in (None, ids[1], ids[3])
    ]

    balances = [[(row[1], row[2], row[3]) for row in ledger_rows(page)] for page in pages]
    assert balances == [
        [("Athens warehouse", "-1", "12"), ("Warsaw store room", "-3", "1")],
        [("Athens warehouse", "+3", "13"), ("Warsaw store room", "+4", "4")],
        [("Athens warehouse", "+10", "10")],
    ]
