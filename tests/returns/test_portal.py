"""The customer's side of returns, through the portal in the test client: the return form from the
order's status page (refusals next to the line, the IBAN for cash on delivery, photos checked), the
EU withdrawal button with its confirmation step, and the acknowledgement e-mail with its content,
date and time."""

from __future__ import annotations

import datetime as dt
import io
import re
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils.html import strip_tags
from PIL import Image

from emporos.core import clock
from emporos.orders import links as order_links
from emporos.orders.models import Order
from emporos.returns import links
from emporos.returns.models import Return, ReturnPhoto
from tests.fulfillment.conftest import drain
from tests.returns.conftest import delivered

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("greece")]
SOON = dt.datetime(2026, 12, 8, 9, 0, tzinfo=dt.UTC)  # 11:00 in Athens, within the 14 days
TOO_LATE = dt.datetime(2027, 1, 20, 9, 0, tzinfo=dt.UTC)


def text_of(html: str) -> str:
    return re.sub(r"\s+", " ", strip_tags(html)).strip()


def order_of(number: str) -> Order:
    return Order.objects.get(number=int(number.split("-")[-1]))


def status_path(number: str) -> str:
    return order_links.status_path(order_of(number))


def form_path(number: str, name: str = "return") -> str:
    return status_path(number) + f"{name}/"


def png(size: int = 8) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (size, size), (200, 30, 30)).save(out, format="PNG")
    return out.getvalue()


def send(number: str, lang: str = "en", **fields: Any) -> Any:
    body = {
        "line-0": "1",
        "qty-0": "1",
        "reason": "wrong_size",
        "condition": "unopened",
        "resolution": "refund",
        **fields,
    }
    return Client().post(f"{form_path(number)}?lang={lang}", {k: v for k, v in body.items() if v is not None})


def test_the_status_page_offers_returns_and_the_withdrawal_button_only_while_possible(api: Client) -> None:
    number = delivered(api)
    with clock.frozen_at(SOON):
        html = Client().get(f"{status_path(number)}?lang=en").content.decode()
        greek = Client().get(f"{status_path(number)}?lang=el").content.decode()
    assert 'id="return-items"' in html
    assert "/return/" in html, html
    assert "Withdraw from the contract" in html
    assert "/withdraw/" in html
    assert 'id="withdraw"' in greek
    with clock.frozen_at(TOO_LATE):
        late = Client().get(f"{status_path(number)}?lang=en").content.decode()
    assert 'id="withdraw"' not in late  # 14 days are over
    assert 'id="return-items"' in late  # a faulty item can still come back (2-year guarantee)


def test_a_return_sent_from_the_form_redirects_to_its_page_with_label_and_deadline(api: Client) -> None:
    number = delivered(api)
    with clock.frozen_at(SOON):
        page = Client().get(f"{form_path(number)}?lang=en")
        assert page.status_code == 200
        assert 'name="iban"' not in page.content.decode()  # paid by card: the refund goes back to it
        response = send(number, note="Too small")
    assert response.status_code == 303, response.content
    ret = Return.objects.get()
    assert response["Location"] == links.page_path(ret) + "?lang=en"
    assert (ret.channel, ret.kind, ret.note, ret.is_withdrawal_statement) == (
        "portal",
        "withdrawal",
        "Too small",
        False,
    )
    assert ret.actor.startswith("customer:")
    with clock.frozen_at(SOON):
        html = Client().get(response["Location"]).content.decode()
    text = text_of(html)
    assert "/label.pdf" in html
    assert 'id="label-download"' in html
    assert "You will get your money back by 22 Dec 2026 at the latest" in text
    assert "Wrong size · Unopened" in text


def test_a_refusal_is_shown_next_to_the_line_in_the_customers_language(api: Client) -> None:
    number = delivered(api)
    with clock.frozen_at(SOON):
        assert send(number).status_code == 303
        response = send(number, lang="el", **{"qty-0": "2"})  # 1 of 2 already on its way back
    assert response.status_code == 400
    html = response.content.decode()
    line = html.split('data-field="line-0"')[1].split("</div>")[0]
    assert "μέχρι 1" in line or 'class="field__error"' in line
    assert Return.objects.count() == 1


def test_quantity_above_what_is_left_is_refused_by_the_service_next_to_the_line(api: Client) -> None:
    number = delivered(api)
    with clock.frozen_at(SOON):
        send(number)
        response = send(number, **{"qty-0": "1", "key": "second"})
        again = send(number, **{"qty-0": "1", "key": "third"})
    assert response.status_code == 303  # the second unit
    assert again.status_code == 200 or again.status_code == 400
    assert "Nothing in this order can be sent back now" in text_of(again.content.decode())


def test_a_bank_transfer_order_needs_a_valid_iban(api: Client) -> None:
    number = delivered(api, payment={"method": "bank_transfer", "status": "paid"})
    with clock.frozen_at(SOON):
        assert 'name="iban"' in Client().get(f"{form_path(number)}?lang=en").content.decode()
        missing = send(number)
        wrong = send(number, iban="GR16 0110 1250 0000 0001 2300 690", account_holder="Maria")
        right = send(number, iban="GR16 0110 1250 0000 0001 2300 695", account_holder="Maria P")
    for response, words in (
        (missing, "Give the IBAN of the account the money should go back to."),
        (wrong, "is not a valid IBAN"),
    ):
        assert response.status_code == 400
        field = response.content.decode().split('data-field="iban"')[1].split("</div>")[0]
        assert words in text_of(field)
    assert right.status_code == 303, right.content
    assert Return.objects.get().iban == "GR1601101250000000012300695"


@pytest.mark.parametrize(
    ("upload", "words"),
    [
        (SimpleUploadedFile("big.png", b"\x89PNG" + b"0" * (5 * 1024 * 1024 + 10)), "larger than 5 MB"),
        (SimpleUploadedFile("notes.jpg", b"just some text, not a photo"), "not a photo"),
    ],
)
def test_a_photo_too_big_or_not_an_image_is_refused_and_nothing_is_written(
    api: Client, upload: SimpleUploadedFile, words: str
) -> None:
    number = delivered(api)
    with clock.frozen_at(SOON):
        response = send(number, reason="arrived_damaged", condition="damaged", photos=[upload])
    assert response.status_code == 400
    field = response.content.decode().split('data-field="photos"')[1].split("</div>")[0]
    assert words in text_of(field)
    assert not Return.objects.exists()


def test_photos_of_damage_are_stored_with_the_return(api: Client) -> None:
    number = delivered(api)
    with clock.frozen_at(SOON):
        response = send(
            number,
            reason="arrived_damaged",
            condition="damaged",
            photos=[SimpleUploadedFile("a.png", png()), SimpleUploadedFile("b.png", png(16))],
        )
    assert response.status_code == 303, response.content
    assert Return.objects.get().kind == "conformity"
    assert sorted(ReturnPhoto.objects.values_list("content_type", "width")) == [("image/png", 8), ("image/png", 16)]


def test_the_withdrawal_button_asks_to_confirm_then_acknowledges_by_email(api: Client, mailoutbox: list[Any]) -> None:
    number = delivered(api)
    drain()
    mailoutbox.clear()
    path = form_path(number, "withdraw")
    with clock.frozen_at(SOON):
        first = Client().get(f"{path}?lang=en")
        html = first.content.decode()
        assert 'value="Μαρία Παπαδοπούλου"' in html
        assert 'value="maria@example.gr"' in html
        assert 'name="line-0" value="1" checked' in html  # every item that can come back, by default
        key = re.search(r'name="key" value="([^"]+)"', html).group(1)  # type: ignore[union-attr]
        fields = {"key": key, "name": "Μαρία Παπαδοπούλου", "email": "maria@example.gr", "line-0": "1", "qty-0": "2"}
        review = Client().post(f"{path}?lang=en", {**fields, "step": "review"})
        assert review.status_code == 200
        assert 'id="confirm-withdrawal"' in review.content.decode()
        assert not Return.objects.exists()  # nothing is stated before the confirmation
        done = Client().post(f"{path}?lang=en", {**fields, "step": "confirm"})
        twice = Client().post(f"{path}?lang=en", {**fields, "step": "confirm"})  # a double click
        drain()
    assert done.status_code == twice.status_code == 303
    ret = Return.objects.get()
    assert (ret.is_withdrawal_statement, ret.resolution) == (True, "refund")
    assert list(ret.lines.values_list("reason", "condition", "quantity")) == [("withdrawal", "unopened", 2)]
    acknowledgements = [m for m in mailoutbox if m.extra_headers.get("X-Emporos-Kind") == "withdrawal_acknowledged"]
    assert len(acknowledgements) == 1
    message = acknowledgements[0]
    assert message.to == ["maria@example.gr"]
    body = message.body
    assert number in body
    assert "TEA-100" in body
    assert "8 Δεκ 2026" in body
    assert "11:00" in body  # the date and time of the statement, Athens time
    assert re.search(r"/return/[^/\s]+/label\.pdf", body)


def test_a_return_request_emails_the_label(api: Client, mailoutbox: list[Any]) -> None:
    number = delivered(api)
    drain()
    mailoutbox.clear()
    with clock.frozen_at(SOON):
        send(number)
        drain()
    ret = Return.objects.get()
    sent = [m for m in mailoutbox if m.extra_headers.get("X-Emporos-Kind") == "return_requested"]
    assert len(sent) == 1
    assert "/label.pdf" in sent[0].body
    assert ret.display_number in sent[0].body


def test_a_tampered_status_link_is_refused_for_the_return_form(api: Client) -> None:
    response = Client().get("/status/not-a-token/return/")
    assert response.status_code == 404
