"""Printed documents, read back as a person and a scanner would: the text a PDF reader extracts,
where each character sits on the page, and what a barcode reader decodes from a rendered image.
No database: the renderers take plain values."""

from __future__ import annotations

import ctypes
import dataclasses
import re
from collections.abc import Callable
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
import pytest
import zxingcpp
from fontTools.ttLib import TTFont

from emporos.fulfillment.documents import render
from emporos.fulfillment.documents.data import PackingSlip, PickItem, PickList, ShippingLabel, SlipLine

FONTS = Path(render.__file__).resolve().parent / "fonts"
MM = 72 / 25.4  # PDF points per millimetre

SLIP = PackingSlip(
    number="EM-10042",
    language="en",
    placed_on="1 December 2026",
    shop_name="Agora Ceramics",
    shop_address=("Odos Ermou 12", "105 63 Athens", "Greece"),
    ship_to=("Maria Papadopoulou", "Leoforos Kifisias 44", "115 26 Athens", "Greece"),
    method="Courier, next working day",
    lines=(
        SlipLine(sku="MUG-BLU-350", name="Blue mug, 350 ml", quantity=2),
        SlipLine(sku="PLT-WHT-27", name="Dinner plate, white glaze", quantity=6),
        SlipLine(sku="BWL-GRN-15", name="Green bowl", quantity=1, waiting=True),
    ),
    thank_you="Thank you for shopping with us!",
    gift_message="Happy birthday, Eleni!",
    coupon_code="K7P9QX3M2TZA",
    coupon_value="10 %",
    coupon_expires="31 January 2027",
    express=True,
    barcode="EM-10042",
)
HEBREW_SLIP = dataclasses.replace(
    SLIP,
    language="he",
    ship_to=("ישראל ישראלי", "רחוב הרצל 12", "6100101 תל אביב", "ישראל"),
    thank_you="תודה שקניתם אצלנו!",
)
GREEK_SLIP = dataclasses.replace(
    SLIP,
    language="el",
    ship_to=("Μαρία Παπαδοπούλου", "Λεωφόρος Κηφισίας 44", "115 26 Αθήνα"),
    lines=(SlipLine(sku="MUG-BLU-350", name="Κούπα μπλε, 350 ml", quantity=2),),
    thank_you="Σας ευχαριστούμε για την παραγγελία σας!",
)
LABEL = ShippingLabel(
    carrier="BOX NOW",
    service="Locker delivery",
    tracking_number="BN1234567890GR",
    reference="EM-10042/1",
    sender=("Agora Ceramics", "Odos Ermou 12", "105 63 Athens", "Greece"),
    recipient=("Maria Papadopoulou", "Leoforos Kifisias 44", "115 26 Athens", "Greece"),
    weight="1,2 kg",
    cash_on_delivery="45,90 €",
    signature_required=True,
    express=True,
    parcel="1/2",
    qr_payload="https://track.example/BN1234567890GR",
)
HEBREW_LABEL = dataclasses.replace(
    LABEL,
    tracking_number="00340123450000000018",
    recipient=("ישראל ישראלי", "רחוב הרצל 12", "6100101 תל אביב"),
    qr_payload="",
    cash_on_delivery="",
    parcel="",
)


def pick_list(*, locations: int, bins: int, express: tuple[str, ...] = ()) -> PickList:
    items = tuple(
        PickItem(
            location=f"Hall {'ABC'[location]}",
            bin=f"{'ABC'[location]}-{bin_:02d}",
            sku=f"SKU-{location}{bin_:02d}",
            name=f"Product {location}-{bin_}",
            quantity=bin_ + 1,
            orders=(f"EM-{10000 + location * 100 + bin_}", f"EM-{20000 + location * 100 + bin_}"),
        )
        for location in range(locations)
        for bin_ in range(bins)
    )
    return PickList(
        wave="W-2026-12-01-1200",
        cutoff="1 Dec 2026, 12:00",
        printed_at="1 Dec 2026, 12:05",
        language="en",
        items=items,
        orders=2 * len(items),
        express_orders=express,
    )


def pages_text(pdf: bytes) -> list[str]:
    """Each page's text; pdfium puts one line of the page on each line, table rows included."""
    document = pdfium.PdfDocument(pdf)
    return [page.get_textpage().get_text_range().replace("\r\n", "\n") for page in document]


def lines(text: str) -> list[str]:
    return text.split("\n")


def boxes_of(pdf: bytes, text: str, *, page: int = 0) -> list[tuple[float, float, float, float]]:
    """The (left, bottom, right, top) box of each character of the first `text` on the page."""
    textpage = pdfium.PdfDocument(pdf)[page].get_textpage()
    found = textpage.search(text, match_case=True).get_next()
    assert found is not None, f"{text!r} is not on page {page}"
    start, count = found
    return [textpage.get_charbox(index) for index in range(start, start + count)]


def style_of(pdf: bytes, text: str, *, page: int) -> tuple[float, int]:
    """The font size in points and the grey level (red channel) of the first `text` on the page."""
    textpage = pdfium.PdfDocument(pdf)[page].get_textpage()
    found = textpage.search(text, match_case=True).get_next()
    assert found is not None, f"{text!r} is not on page {page}"
    red, green, blue, alpha = (ctypes.c_uint() for _ in range(4))
    pdfium_c.FPDFText_GetFillColor(textpage, found[0], *(ctypes.byref(c) for c in (red, green, blue, alpha)))
    return round(pdfium_c.FPDFText_GetFontSize(textpage, found[0]), 1), red.value


def decoded(pdf: bytes, *, scale: float) -> dict[str, str]:
    image = pdfium.PdfDocument(pdf)[0].render(scale=scale, grayscale=True).to_pil()
    return {result.format.name: result.text for result in zxingcpp.read_barcodes(image)}


@pytest.mark.parametrize("font", ["DejaVuSans.ttf", "DejaVuSans-Bold.ttf"])
def test_bundled_fonts_cover_hebrew_and_greek(font: str) -> None:
    cmap = TTFont(FONTS / font).getBestCmap()
    hebrew = range(0x05D0, 0x05EB)
    greek = [*range(0x0391, 0x03A2), *range(0x03A3, 0x03AA), *range(0x03AC, 0x03CF)]
    assert [hex(code) for code in [*hebrew, *greek] if code not in cmap] == []
    assert "Bitstream Vera" in (FONTS / "LICENSE").read_text()


def test_packing_slip_shows_the_order_and_scans_to_its_number() -> None:
    pdf = render.packing_slip_pdf(SLIP)

    (text,) = pages_text(pdf)
    for expected in (
        "EM-10042",
        "Placed on: 1 December 2026",
        *SLIP.ship_to,
        "SKU Product Quantity\nMUG-BLU-350 Blue mug, 350 ml 2\nPLT-WHT-27 Dinner plate, white glaze 6\n",
        "Follows in a separate parcel\nSKU Product Quantity\nBWL-GRN-15 Green bowl 1\n",
        "EXPRESS",
        "Thank you for shopping with us!",
        "Gift message\nHappy birthday, Eleni!",
        "K7P9QX3M2TZA 10 %",
        "valid until 31 January 2027",
    ):
        assert expected in text
    assert decoded(pdf, scale=2) == {"Code128": "EM-10042"}


def test_greek_slip_has_greek_text_and_headings() -> None:
    (text,) = pages_text(render.packing_slip_pdf(GREEK_SLIP))

    for expected in (*GREEK_SLIP.ship_to, "Κούπα μπλε, 350 ml", GREEK_SLIP.thank_you, "Ποσότητα"):
        assert expected in text


def test_hebrew_slip_is_mirrored_and_reads_right_to_left() -> None:
    pdf = render.packing_slip_pdf(HEBREW_SLIP)
    right_margin = (210 - 15) * MM

    word = boxes_of(pdf, "הרצל")
    assert word[0][0] > word[-1][2]  # the first letter is right of the last
    street = boxes_of(pdf, "רחוב")  # the line's first word ends at the right margin
    assert street[0][2] == pytest.approx(right_margin, abs=1.5)
    sku = boxes_of(pdf, "MUG-BLU-350")  # the SKU column is the rightmost, and reads left to right
    assert sku[0][2] < sku[-1][0]
    assert sku[-1][2] == pytest.approx(right_margin, abs=1.5)
    number = boxes_of(pdf, "EM-10042")  # the order number heads the left side, left to right
    assert number[0][0] == pytest.approx(15 * MM, abs=3)  # the "E" has a little side bearing


def test_a_wave_of_slips_is_one_pdf_with_each_slip_on_its_own_pages() -> None:
    long_slip = dataclasses.replace(
        SLIP,
        number="EM-10043",
        barcode="EM-10043",
        lines=tuple(SlipLine(sku=f"SKU-{index:03d}", name=f"Item {index}", quantity=1) for index in range(45)),
    )

    pdf = render.packing_slips_pdf([SLIP, long_slip, HEBREW_SLIP])
    pages = pages_text(pdf)

    assert len(pages) == 4
    assert "EM-10042" in pages[0]
    assert "Page" not in pages[0]  # a one-page slip needs no page numbers
    assert ["Page 1/2" in pages[1], "Page 2/2" in pages[2]] == [True, True]
    assert "SKU-000" in pages[1]
    assert lines(pages[2])[:2] == ["Packing slip EM-10043", "SKU Product Quantity"]  # the table goes on
    assert "SKU-044 Item 44 1" in lines(pages[2])
    assert "ישראל ישראלי" in pages[3]
    # Page numbers are written once the slip's last page is known, in the footer's own style.
    assert [style_of(pdf, "Page", page=page) for page in (1, 2)] == [(8.0, 90), (8.0, 90)]


def test_label_is_4x6_inches_with_its_words() -> None:
    pdf = render.label_pdf(LABEL)

    document = pdfium.PdfDocument(pdf)
    assert document[0].get_size() == pytest.approx((4 * 72, 6 * 72))
    (text,) = pages_text(pdf)
    for expected in (
        "BOX NOW",
        "Locker delivery",
        "EXPRESS",
        *LABEL.sender,
        *LABEL.recipient,
        "BN1234567890GR",
        "EM-10042/1",
        "1,2 kg",
        "1/2",
        "SIGNATURE REQUIRED",
        "CASH ON DELIVERY 45,90 €",
    ):
        assert expected in text
    assert "PRESENCE" not in text


@pytest.mark.parametrize(
    ("label", "qr"),
    [(LABEL, "https://track.example/BN1234567890GR"), (HEBREW_LABEL, "00340123450000000018")],
    ids=["qr-payload", "qr-of-the-tracking-number"],
)
def test_label_barcodes_decode(label: ShippingLabel, qr: str) -> None:
    assert decoded(render.label_pdf(label), scale=4) == {"Code128": label.tracking_number, "QRCode": qr}


def test_hebrew_recipient_reads_right_to_left_in_the_to_block() -> None:
    pdf = render.label_pdf(HEBREW_LABEL)

    name = boxes_of(pdf, "ישראל ישראלי")
    assert name[0][0] > name[-1][2]
    assert name[0][2] == pytest.approx((101.6 - 4) * MM, abs=1.5)  # right-aligned in the block


def test_labels_of_a_wave_are_one_page_each() -> None:
    pages = pages_text(render.labels_pdf([LABEL, HEBREW_LABEL, LABEL]))

    assert [("BN1234567890GR" in page, "00340123450000000018" in page) for page in pages] == [
        (True, False),
        (False, True),
        (True, False),
    ]


def test_zpl_label() -> None:
    label = dataclasses.replace(LABEL, recipient=("Anna ^Nowak~", "ul. Długa_5"))

    zpl = render.label_zpl(label)

    assert zpl.startswith("^XA\n^CI28\n")
    assert zpl.rstrip().endswith("^XZ")
    assert "^BCN,160,Y,N,N,A^FH^FDBN1234567890GR^FS" in zpl
    assert "^BQN,2,5^FH^FDMA,https://track.example/BN1234567890GR^FS" in zpl
    assert "^FDAnna _5ENowak_7E^FS" in zpl  # data never starts a command
    assert "^FDul. Długa_5F5^FS" in zpl
    assert "SIGNATURE REQUIRED" in zpl
    assert "^PA" not in zpl
    assert "^PA0,1,1,1" in render.label_zpl(HEBREW_LABEL)


def test_pick_list_keeps_locations_and_bins_in_walking_order() -> None:
    pick = pick_list(locations=3, bins=4, express=("EM-10101",))

    (text,) = pages_text(render.pick_list_pdf(pick))

    assert "Pick list W-2026-12-01-1200" in text
    assert "Page 1/1" in text
    order = [text.index(f"Location: Hall {hall}") for hall in "ABC"]
    skus = [text.index(item.sku) for item in pick.items]
    assert order == sorted(order)
    assert skus == sorted(skus)
    assert order[0] < skus[0] < skus[3] < order[1] < skus[4] < skus[7] < order[2] < skus[8]
    assert "C-03 SKU-203 Product 2-3 4 EM-10203, EM-20203" in lines(text)
    assert "B-01 SKU-101 Product 1-1 2 ★EM-10101, EM-20101" in lines(text)
    assert "★ Express EM-10101" in lines(text)


def test_long_pick_list_numbers_its_pages_and_repeats_the_header() -> None:
    pdf = render.pick_list_pdf(pick_list(locations=3, bins=20))
    pages = pages_text(pdf)

    assert len(pages) >= 2
    assert [f"Page {number}/{len(pages)}" in page for number, page in enumerate(pages, start=1)] == [True] * len(pages)
    assert {style_of(pdf, "Page", page=page) for page in range(len(pages))} == {(8.0, 90)}
    for page in pages[1:]:  # a loose page still says what it lists and where
        assert lines(page)[0] == "Bin SKU Product Quantity Orders"
        assert re.fullmatch("Location: Hall [ABC]", lines(page)[1])


def test_an_item_for_more_orders_than_a_page_holds_goes_on_over_the_next_page() -> None:
    numbers = tuple(f"EM-{10000 + index}" for index in range(700))
    item = PickItem(location="Hall A", bin="A-01", sku="MUG-BLU-350", name="Blue mug", quantity=700, orders=numbers)
    pick = dataclasses.replace(pick_list(locations=1, bins=1), items=(item, *pick_list(locations=1, bins=2).items))

    pages = pages_text(render.pick_list_pdf(pick))

    assert len(pages) >= 2
    printed = re.findall(r"EM-\d{5}", "".join(pages))
    assert sorted(printed) == sorted([*numbers, "EM-10000", "EM-20000", "EM-10001", "EM-20001"])
    assert "A-01 MUG-BLU-350 Blue mug 700 " in pages[0]  # the quantity, once, on the first part
    assert lines(pages[1])[:2] == ["Bin SKU Product Quantity Orders", "Location: Hall A"]
    assert lines(pages[1])[2].startswith("A-01 MUG-BLU-350 EM-")  # bin and SKU, no quantity again


@pytest.mark.parametrize("renderer", [render.labels_pdf, render.packing_slips_pdf], ids=["labels", "slips"])
def test_a_batch_needs_something_to_print(renderer: Callable[[list[object]], bytes]) -> None:
    with pytest.raises(ValueError, match="at least one"):
        renderer([])
