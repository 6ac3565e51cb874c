"""The label of a shipped parcel, through the API: Emporos's own 4x6 label as PDF and as ZPL,
made from the stored shipment by `fulfillment.printing` and drawn by `fulfillment.documents`."""

from __future__ import annotations

import pypdfium2 as pdfium
import pytest
import zxingcpp
from django.test import Client

from tests.conftest import place
from tests.fulfillment.conftest import confirm, drain, ship

pytestmark = pytest.mark.django_db(transaction=False)


def test_a_shipped_parcel_has_a_label_that_scans_to_its_tracking_number(api: Client, catalog: None) -> None:
    number = place(
        api, lines=[{"sku": "TEA-100", "quantity": 2, "unit_price": "19.90"}], total="39.80", shipping_price="0.00"
    )
    confirm(number)
    drain()
    shipped = ship(api, number, tracking_number="TRK0012345678")
    assert shipped.status_code == 201, shipped.content

    pdf = api.get(shipped.json()["label_url"])
    zpl = api.get(shipped.json()["label_url"].replace("label.pdf", "label.zpl"))

    assert (pdf.status_code, pdf["Content-Type"]) == (200, "application/pdf")
    document = pdfium.PdfDocument(pdf.content)
    assert len(document) == 1
    assert document[0].get_size() == pytest.approx((288, 432))  # 4x6 inches
    assert number in document[0].get_textpage().get_text_range()
    image = document[0].render(scale=4, grayscale=True).to_pil()
    decoded = {result.format.name: result.text for result in zxingcpp.read_barcodes(image)}
    assert decoded["Code128"] == "TRK0012345678"
    assert zpl.status_code == 200
    assert zpl.content.decode().startswith("^XA")
    assert "^FDTRK0012345678^FS" in zpl.content.decode()
