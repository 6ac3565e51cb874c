"""The return label, made as soon as a return is approved: bought from BOX NOW (its recorded
answers through the fake transport) exactly once, stored on the return and on its timeline;
Emporos's own label for the manual carrier and for InPost, whose ShipX sells no return labels;
a carrier that is down is asked again later, a refusal for good falls back to the own label."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client

from emporos.catalog.models import Variant
from emporos.core import clock
from emporos.fulfillment import carriers
from emporos.integrations.carriers.boxnow import BoxNow
from emporos.integrations.carriers.tokens import TokenCache
from emporos.outbox.models import Delivery, DeliveryStatus
from emporos.returns import links
from emporos.returns.models import Return, ReturnPolicy
from emporos.timeline.models import Entry
from tests.fulfillment.conftest import drain
from tests.integrations.conftest import Exchange, FakeTransport, answer, fixture_bytes, fixture_json
from tests.integrations.test_boxnow import API, bearer, sign_in
from tests.integrations.test_boxnow_returns import RETURN_SETTINGS
from tests.returns.conftest import ask, delivered

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("greece")]
SOON = dt.datetime(2026, 12, 8, 9, 0, tzinfo=dt.UTC)
ONE_TEA = {
    "lines": [{"sku": "TEA-100", "quantity": 1, "reason": "wrong_size", "condition": "unopened"}],
    "resolution": "refund",
}
HANDLER = "returns.make_return_label"


@pytest.fixture
def boxnow_returns(monkeypatch: pytest.MonkeyPatch) -> list[FakeTransport]:
    """BOX NOW as the return carrier, each adapter built on the next fake transport the test adds."""
    transports: list[FakeTransport] = []
    monkeypatch.setattr(carriers, "_FACTORIES", dict(carriers._FACTORIES))
    carriers.register(
        "boxnow", lambda: BoxNow(settings=RETURN_SETTINGS, transport=transports.pop(0), tokens=TokenCache())
    )
    ReturnPolicy.objects.create(id=1, return_carrier="boxnow")
    Variant.objects.filter(sku="TEA-100").update(weight_grams=250)
    return transports


def customer_return(ret_key: str, name: str, reply: Any = None) -> Exchange:
    body = fixture_json("boxnow", "customer_return.request.json")
    body["parcels"][0].update(id=ret_key, name=name)
    return Exchange(
        "POST",
        f"{API}/api/v1/delivery-requests:customerReturns",
        reply or answer(200, "boxnow", "customer_return.response.json"),
        headers={**bearer(), "Content-Type": "application/json"},
        json=body,
    )


def label_pdf() -> Exchange:
    return Exchange(
        "GET",
        f"{API}/api/v1/parcels/9219709377/label.pdf",
        answer(200, "boxnow", "label.pdf", content_type="application/pdf"),
        headers={**bearer(), "Accept": "application/pdf"},
    )


def requested(api: Client) -> Return:
    number = delivered(api)
    with clock.frozen_at(SOON):
        response = ask(api, number, ONE_TEA)
    assert response.status_code == 201, response.content
    return Return.objects.get(public_id=response.json()["id"])


def signed_for(url: str) -> int:
    """The return a signed link in the facts opens (the token carries its time, so it is not
    compared as text)."""
    token = url.removesuffix("/label.pdf").rstrip("/").rsplit("/", 1)[1]
    return links.return_for_token(token).pk


def label_entries(ret: Return) -> list[dict[str, Any]]:
    return list(
        Entry.objects.filter(kind="returns.label_created", subjects__kind="return", subjects__ref_id=ret.pk)
        .order_by("id")
        .values_list("facts", flat=True)
    )


def test_boxnow_sells_the_return_label_once_and_it_is_stored_on_the_return(
    api: Client, boxnow_returns: list[FakeTransport]
) -> None:
    ret = requested(api)
    transport = FakeTransport(sign_in(), customer_return(str(ret.public_id), ret.display_number), label_pdf())
    boxnow_returns.append(transport)
    with clock.frozen_at(SOON):
        drain()
        drain()  # a second pass finds nothing to do: the label is bought once
    transport.assert_all_made()
    ret.refresh_from_db()
    assert (ret.carrier, ret.tracking_number, ret.carrier_reference, ret.tracking_url) == (
        "boxnow",
        "9219709377",
        "9219709377",
        "https://t.boxnow.gr/?track=9219709377",
    )
    assert ret.label_created_at == SOON
    with ret.label.open("rb") as stored:
        assert stored.read() == fixture_bytes("boxnow", "label.pdf")
    [facts] = label_entries(ret)
    assert facts == {
        "return_id": ret.pk,
        "order_id": ret.order_id,
        "carrier": "boxnow",
        "number": ret.order.display_number,
        "sequence": 1,
        "tracking_number": "9219709377",
        "label_url": facts["label_url"],
        "page_url": facts["page_url"],
    }
    assert signed_for(facts["label_url"]) == signed_for(facts["page_url"]) == ret.pk


def test_the_manual_carrier_gets_emporos_own_label_and_the_same_timeline_entry(api: Client) -> None:
    ret = requested(api)
    with clock.frozen_at(SOON):
        drain()
    ret.refresh_from_db()
    assert (ret.carrier, ret.tracking_number, ret.label.name, ret.label_created_at) == (
        "manual",
        ret.display_number,
        "",
        SOON,
    )
    [facts] = label_entries(ret)
    assert (facts["carrier"], signed_for(facts["label_url"])) == ("manual", ret.pk)
    assert "refused_by" not in facts
    response = api.get(links.label_path(ret))
    assert response.status_code == 200
    assert response.content.startswith(b"%PDF")


def test_inpost_sells_no_return_label_so_emporos_prints_its_own(api: Client) -> None:
    ReturnPolicy.objects.create(id=1, return_carrier="inpost")
    ret = requested(api)
    with clock.frozen_at(SOON):
        drain()
    ret.refresh_from_db()
    # The label is Emporos's own, to be posted by any means: an InPost locker would not take it.
    assert (ret.carrier, ret.tracking_number, ret.label.name) == ("manual", ret.display_number, "")
    assert [(facts["carrier"], facts.get("refused_by")) for facts in label_entries(ret)] == [("manual", None)]


def test_boxnow_down_is_asked_again_later_and_the_label_bought_once(
    api: Client, boxnow_returns: list[FakeTransport]
) -> None:
    ret = requested(api)
    failing = FakeTransport(sign_in(), customer_return(str(ret.public_id), ret.display_number, answer(503)))
    working = FakeTransport(sign_in(), customer_return(str(ret.public_id), ret.display_number), label_pdf())
    boxnow_returns.extend([failing, working])
    with clock.frozen_at(SOON):
        drain()
    failing.assert_all_made()
    ret.refresh_from_db()
    assert (ret.label_created_at, label_entries(ret)) == (None, [])
    delivery = Delivery.objects.get(handler=HANDLER)
    assert (delivery.status, delivery.attempts) == (DeliveryStatus.PENDING, 1)
    assert "BOX NOW failed during the return request (HTTP 503)" in delivery.last_error
    with clock.frozen_at(SOON + dt.timedelta(hours=1)):
        drain()
    working.assert_all_made()
    ret.refresh_from_db()
    assert ret.tracking_number == "9219709377"
    assert len(label_entries(ret)) == 1
    assert Delivery.objects.get(handler=HANDLER).status == DeliveryStatus.DONE


def test_a_refusal_for_good_falls_back_to_emporos_own_label_with_the_carriers_words(
    api: Client, boxnow_returns: list[FakeTransport]
) -> None:
    ret = requested(api)
    refused = FakeTransport(
        sign_in(),
        customer_return(str(ret.public_id), ret.display_number, answer(400, "boxnow", "error_P402.response.json")),
    )
    boxnow_returns.append(refused)
    with clock.frozen_at(SOON):
        drain()
    refused.assert_all_made()
    ret.refresh_from_db()
    assert (ret.carrier, ret.tracking_number, ret.label.name, ret.label_created_at) == (
        "manual",
        ret.display_number,
        "",
        SOON,
    )
    [facts] = label_entries(ret)
    assert (facts["carrier"], facts["refused_by"]) == ("manual", "boxnow")
    assert facts["carrier_refusal"].startswith("BOX NOW refused the return request (HTTP 400 P402")
