"""Bank refunds: those due are exported once in a SEPA file valid against the ISO schema, and count
as paid; without the shop's own account the export is refused, saying what to set."""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import xmlschema
from django.test import Client

from emporos.core import clock
from emporos.core.actor import Actor
from emporos.orders.models import Refund
from emporos.returns import bank, sepa
from tests.returns.conftest import ask, delivered, receive

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("greece")]
SCHEMA = Path(__file__).parent / "fixtures" / "pain.001.001.03.xsd"
NS = {"p": sepa.NAMESPACE}
SOON = dt.datetime(2026, 12, 8, 9, 0, tzinfo=dt.UTC)
EXPORTED = dt.datetime(2026, 12, 10, 8, 0, tzinfo=dt.UTC)
IBAN = "CY17 0020 0128 0000 0012 0052 7600"
STAFF = Actor.staff("owner-user")


@pytest.fixture
def shop_account(settings: Any) -> None:
    settings.EMPOROS = {
        **settings.EMPOROS,
        "SEPA_DEBTOR_NAME": "Μέλι & Θυμάρι Α.Ε.",
        "SEPA_DEBTOR_IBAN": "GR16 0110 1250 0000 0001 2300 695",
        "SEPA_DEBTOR_BIC": "ETHNGRAA",
    }


def bank_refund(api: Client) -> Refund:
    """A bank-transfer order sent back and received: its refund is due by bank transfer."""
    number = delivered(api, payment={"method": "bank_transfer", "status": "paid"})
    body = {
        "lines": [{"sku": "TEA-100", "quantity": 1, "reason": "wrong_size", "condition": "unopened"}],
        "iban": IBAN,
        "account_holder": "Ελένη Παπαδοπούλου",
    }
    with clock.frozen_at(SOON):
        created = ask(api, number, body)
    assert created.status_code == 201, created.content
    received = receive(
        api, created.json()["id"], [{"sku": "TEA-100", "quantity": 1, "condition": "unopened", "restock": True}]
    )
    assert received.status_code == 200, received.content
    refund = Refund.objects.get()
    assert (refund.provider, refund.provider_status, refund.exported_in) == ("bank_transfer", "due", "")
    return refund


def test_due_refunds_are_exported_once_in_a_valid_file(api: Client, shop_account: None) -> None:
    refund = bank_refund(api)
    assert [r.pk for r in bank.due_refunds()] == [refund.pk]

    with clock.frozen_at(EXPORTED):
        export = bank.export_due(actor=STAFF)

    xmlschema.XMLSchema(SCHEMA).validate(export.content.decode())
    document = ET.fromstring(export.content)  # noqa: S314 (the file under test, made here)
    assert [e.text for e in document.findall(".//p:CdtTrfTxInf/p:Amt/p:InstdAmt", NS)] == ["19.90"]
    assert [e.text for e in document.findall(".//p:CdtrAcct/p:Id/p:IBAN", NS)] == [IBAN.replace(" ", "")]
    assert [e.text for e in document.findall(".//p:Cdtr/p:Nm", NS)] == ["Eleni Papadopoulou"]
    assert document.findtext(".//p:GrpHdr/p:MsgId", namespaces=NS) == export.file_id
    assert export.count == 1
    refund.refresh_from_db()
    assert (refund.provider_status, refund.exported_in) == ("succeeded", export.file_id)
    assert refund.settled_at == EXPORTED
    assert bank.due_refunds() == []
    with pytest.raises(bank.NothingToExport):
        bank.export_due(actor=STAFF)


def test_without_the_shops_account_the_export_is_refused_and_nothing_changes(api: Client) -> None:
    refund = bank_refund(api)

    with pytest.raises(bank.DebtorAccountMissing, match="EMPOROS_SEPA_DEBTOR_IBAN"):
        bank.export_due(actor=STAFF)

    refund.refresh_from_db()
    assert (refund.provider_status, refund.exported_in) == ("due", "")


def test_the_desk_downloads_the_file_and_a_second_export_says_there_is_nothing(
    api: Client, owner: Client, shop_account: None
) -> None:
    bank_refund(api)
    queue = owner.get("/returns/").content.decode()
    assert 'id="bank-refunds-table"' in queue
    assert "€19.90" in queue

    response = owner.post("/returns/bank/export/")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/xml"
    assert response["Content-Disposition"].startswith('attachment; filename="EMP-')
    assert 'id="no-bank-refunds"' in owner.get("/returns/").content.decode()
    again = owner.post("/returns/bank/export/", follow=True)
    assert "No bank refund is due: there is nothing to export." in again.content.decode()
    assert Refund.objects.get().amount == Decimal("19.90")


def test_the_desk_says_what_to_set_without_the_shops_account(api: Client, owner: Client) -> None:
    bank_refund(api)
    response = owner.post("/returns/bank/export/", follow=True)
    assert "set EMPOROS_SEPA_DEBTOR_NAME, EMPOROS_SEPA_DEBTOR_IBAN" in response.content.decode()
    assert Refund.objects.get().provider_status == "due"


def test_packers_cannot_export(api: Client, make_staff: Any, shop_account: None) -> None:
    bank_refund(api)
    assert make_staff("warehouse").post("/returns/bank/export/").status_code == 403
    assert Refund.objects.get().provider_status == "due"
