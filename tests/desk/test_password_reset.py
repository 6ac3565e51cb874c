"""Password reset by e-mail: the request records and emits alike for every address; the worker
mails the link (through a real SMTP server on loopback), at most 3 an hour per address and account."""

from __future__ import annotations

import dataclasses
import datetime as dt
import email
import email.policy
import re
import socket
from collections.abc import Iterator
from email.message import EmailMessage
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from django.contrib.auth.models import User
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from emporos.access.models import PasswordResetRequest
from emporos.core import clock
from emporos.core.actor import Actor
from emporos.outbox import selectors as outbox
from emporos.outbox.models import Event
from emporos.outbox.relay import deliver_due
from emporos.shop import selectors as shop
from emporos.shop.services import SettingsDraft, update_settings
from tests.conftest import STAFF_PASSWORD

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "another-long-password-77"
SHOP_NAME = "Τσάι του Βουνού"
LINK = re.compile(r"http://testserver(/password-reset/[^/\s]+/[^/\s]+/)")


class Mailbox:
    """An aiosmtpd handler that keeps every message it is given."""

    def __init__(self) -> None:
        self.messages: list[tuple[list[str], EmailMessage]] = []
        self.port = 0

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802 (aiosmtpd's name)
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        assert isinstance(message, EmailMessage)
        self.messages.append((list(envelope.rcpt_tos), message))
        return "250 Message accepted for delivery"


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def mailbox(settings: Any) -> Iterator[Mailbox]:
    """A real SMTP server on 127.0.0.1, and Django sending to it over SMTP (not locmem)."""
    handler = Mailbox()
    port = handler.port = free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = port
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = ""
    settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_TIMEOUT = 5
    try:
        yield handler
    finally:
        controller.stop()


@pytest.fixture
def greek_shop(db: None) -> None:
    """The shop saved under a Greek name, so the subject must carry it encoded."""
    fields = {field.name: getattr(shop.current(), field.name) for field in dataclasses.fields(SettingsDraft)}
    update_settings(draft=SettingsDraft(**{**fields, "name": SHOP_NAME}), actor=Actor.system("tests"))


def reset_link(message: EmailMessage) -> str:
    body = message.get_body(preferencelist=("plain",))
    assert body is not None
    found = LINK.search(body.get_content())
    assert found, body.get_content()
    return found.group(1)


def ask_for_a_link(client: Client, address: str, **extra: Any) -> Any:
    """Ask for a reset link, then let the worker's relay run, as `emporos worker` would."""
    response = client.post("/password-reset/", {"email": address}, **extra)
    deliver_due(worker_id="tests")
    return response


def signs_in(password: str) -> bool:
    response = Client().post("/sign-in/", {"username": "eleni", "password": password})
    return response.status_code == 302


def test_reset_by_email_link_then_sign_in_with_the_new_password(
    make_staff: Any, mailbox: Mailbox, greek_shop: None
) -> None:
    make_staff("support", username="eleni")
    client = Client()

    response = client.post("/password-reset/", {"email": "ELENI@example.com"})
    assert mailbox.messages == []  # the request only records; the worker sends
    deliver_due(worker_id="tests")
    assert response.status_code == 302
    assert response["Location"] == "/password-reset/sent/"
    assert "Check your e-mail" in client.get(response["Location"]).content.decode()

    assert len(mailbox.messages) == 1
    recipients, message = mailbox.messages[0]
    assert recipients == ["eleni@example.com"]
    assert SHOP_NAME in message["Subject"]
    link = reset_link(message)

    response = client.get(link)
    assert response.status_code == 302
    set_password = response["Location"]
    assert set_password.endswith("/set-password/")
    assert "Choose a new password" in client.get(set_password).content.decode()

    response = client.post(set_password, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == "/password-reset/done/"
    assert "Password changed" in client.get(response["Location"]).content.decode()

    assert signs_in(NEW_PASSWORD)
    assert not signs_in(STAFF_PASSWORD)


def test_unknown_address_gets_the_same_answer_and_no_email(make_staff: Any, mailbox: Mailbox) -> None:
    make_staff("support", username="eleni")
    client = Client()

    response = ask_for_a_link(client, "nobody@example.com")

    assert response.status_code == 302
    assert response["Location"] == "/password-reset/sent/"
    assert "Check your e-mail" in client.get(response["Location"]).content.decode()
    assert mailbox.messages == []


def test_a_used_link_no_longer_works(make_staff: Any, mailbox: Mailbox) -> None:
    make_staff("support", username="eleni")
    client = Client()
    ask_for_a_link(client, "eleni@example.com")
    link = reset_link(mailbox.messages[0][1])
    set_password = client.get(link)["Location"]
    client.post(set_password, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})

    for page in (link, set_password):
        response = Client().get(page)
        body = response.content.decode()
        assert response.status_code == 200
        assert "This link no longer works" in body
        assert 'name="new_password1"' not in body
    response = client.get(link)
    assert "This link no longer works" in response.content.decode()
    assert signs_in(NEW_PASSWORD)


def test_mismatched_new_passwords_are_refused_and_the_old_one_stays(make_staff: Any, mailbox: Mailbox) -> None:
    make_staff("support", username="eleni")
    client = Client()
    ask_for_a_link(client, "eleni@example.com")
    set_password = client.get(reset_link(mailbox.messages[0][1]))["Location"]

    response = client.post(set_password, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD + "x"})

    assert response.status_code == 200
    assert 'id="id_new_password2_error"' in response.content.decode()
    assert signs_in(STAFF_PASSWORD)


def _shapes(queries: list[dict[str, str]]) -> list[str]:
    """The statements without their values, so two requests' statements can be compared; reads of
    the shop's settings are left out (refreshed every few seconds, whatever was asked)."""
    return [
        re.sub(r"'[^']*'|\d+(\.\d+)?|\bNULL\b", "?", query["sql"])
        for query in queries
        if "shop_shopsettings" not in query["sql"]
    ]


def test_known_and_unknown_addresses_get_the_same_answer_through_the_same_work(
    make_staff: Any, mailbox: Mailbox
) -> None:
    make_staff("support", username="eleni")
    before = Event.objects.order_by("id").last()
    answers, statements = [], []
    for address in ["eleni@example.com", "nobody@example.com"]:
        with CaptureQueriesContext(connection) as queries:
            response = Client().post("/password-reset/", {"email": address})
        answers.append((response.status_code, response["Location"], response.content))
        statements.append(_shapes(queries.captured_queries))

    assert answers[0] == answers[1] == (302, "/password-reset/sent/", b"")
    assert statements[0] == statements[1]
    assert outbox.topics(since=before) == ["access.password_reset_requested", "access.password_reset_requested"]
    rows = list(PasswordResetRequest.objects.order_by("id"))
    payloads = list(
        Event.objects.filter(topic="access.password_reset_requested").order_by("id").values_list("payload", flat=True)
    )
    assert payloads == [{"request_id": rows[0].id}, {"request_id": rows[1].id}]
    assert [row.user.username if row.user else None for row in rows] == ["eleni", None]
    assert all("example.com" not in str(vars(row)) for row in rows)  # no address stored, only a digest
    assert mailbox.messages == []  # nothing is sent inside the request


def test_the_link_arrives_from_the_worker_in_the_language_it_was_asked_in(
    make_staff: Any, mailbox: Mailbox, greek_shop: None
) -> None:
    make_staff("support", username="eleni")
    Client().post("/password-reset/", {"email": "eleni@example.com"}, HTTP_ACCEPT_LANGUAGE="el")
    assert mailbox.messages == []

    assert deliver_due(worker_id="tests") == 1

    [(recipients, message)] = mailbox.messages
    assert recipients == ["eleni@example.com"]
    assert message["Subject"].strip() == f"Σύνδεσμος για νέο κωδικό πρόσβασης στο {SHOP_NAME}"
    body = message.get_body(preferencelist=("plain",))
    assert body is not None
    assert body.get_content().startswith("Γεια σας, eleni,")
    assert PasswordResetRequest.objects.get().status == "sent"


@pytest.mark.parametrize(
    ("language", "greeting"),
    [("en", "Hello eleni,"), ("pl", "Dzień dobry, eleni,"), ("he", "שלום eleni,")],
    ids=["en", "pl", "he"],
)
def test_the_mail_is_written_in_every_staff_language(
    make_staff: Any, mailbox: Mailbox, language: str, greeting: str
) -> None:
    make_staff("support", username="eleni")

    ask_for_a_link(Client(), "eleni@example.com", HTTP_ACCEPT_LANGUAGE=language)

    body = mailbox.messages[0][1].get_body(preferencelist=("plain",))
    assert body is not None
    assert body.get_content().startswith(greeting)


def test_a_fourth_request_for_one_address_within_an_hour_sends_nothing_more(make_staff: Any, mailbox: Mailbox) -> None:
    make_staff("support", username="eleni")
    start = clock.now()
    with clock.frozen_at(start):
        for spelling in ["eleni@example.com", "ELENI@example.com", " Eleni@Example.com ", "eleni@EXAMPLE.com"]:
            assert ask_for_a_link(Client(), spelling).status_code == 302

    assert len(mailbox.messages) == 3
    statuses = list(PasswordResetRequest.objects.order_by("id").values_list("status", flat=True))
    assert statuses == ["sent", "sent", "sent", "throttled"]

    with clock.frozen_at(start + dt.timedelta(minutes=59)):
        ask_for_a_link(Client(), "eleni@example.com")
    assert len(mailbox.messages) == 3
    with clock.frozen_at(start + dt.timedelta(minutes=61)):
        ask_for_a_link(Client(), "eleni@example.com")
    assert len(mailbox.messages) == 4


def test_a_fourth_request_for_one_account_sends_nothing_even_to_its_new_address(
    make_staff: Any, mailbox: Mailbox
) -> None:
    make_staff("support", username="eleni")
    for _ in range(3):
        ask_for_a_link(Client(), "eleni@example.com")
    User.objects.filter(username="eleni").update(email="eleni@example.gr")

    ask_for_a_link(Client(), "eleni@example.gr")

    assert [recipients for recipients, _ in mailbox.messages] == [["eleni@example.com"]] * 3
    statuses = list(PasswordResetRequest.objects.order_by("id").values_list("status", flat=True))
    assert statuses == ["sent", "sent", "sent", "throttled"]


def test_accounts_sharing_an_address_share_its_three_mails(make_staff: Any, mailbox: Mailbox) -> None:
    make_staff("support", username="eleni")
    make_staff("warehouse", username="eleni-packing")
    User.objects.filter(username="eleni-packing").update(email="eleni@example.com")

    ask_for_a_link(Client(), "eleni@example.com")
    ask_for_a_link(Client(), "eleni@example.com")

    assert [recipients for recipients, _ in mailbox.messages] == [["eleni@example.com"]] * 3
    statuses = list(PasswordResetRequest.objects.order_by("id").values_list("status", flat=True))
    assert statuses == ["sent", "sent", "sent", "throttled"]


def test_a_request_is_mailed_once_even_when_its_delivery_runs_again(make_staff: Any, mailbox: Mailbox) -> None:
    from emporos.outbox.models import Delivery
    from emporos.outbox.services import replay_delivery

    make_staff("support", username="eleni")
    ask_for_a_link(Client(), "eleni@example.com")
    Delivery.objects.update(status="dead")
    replay_delivery(delivery_id=Delivery.objects.get().id)

    assert deliver_due(worker_id="tests") == 1
    assert len(mailbox.messages) == 1


def test_a_request_the_worker_reaches_after_the_link_would_expire_sends_nothing(
    make_staff: Any, mailbox: Mailbox
) -> None:
    make_staff("support", username="eleni")
    start = clock.now()
    with clock.frozen_at(start):
        Client().post("/password-reset/", {"email": "eleni@example.com"})
    with clock.frozen_at(start + dt.timedelta(hours=2)):
        deliver_due(worker_id="tests")

    assert mailbox.messages == []
    assert PasswordResetRequest.objects.get().status == "skipped"


def test_a_failed_send_is_retried_by_the_worker(make_staff: Any, mailbox: Mailbox, settings: Any) -> None:
    from emporos.outbox.models import Delivery

    make_staff("support", username="eleni")
    settings.EMAIL_PORT = free_port()  # nothing listens there
    ask_for_a_link(Client(), "eleni@example.com")
    delivery = Delivery.objects.get()
    assert (delivery.status, delivery.attempts) == ("pending", 1)
    assert PasswordResetRequest.objects.get().status == "pending"

    settings.EMAIL_PORT = mailbox.port
    Delivery.objects.update(due_at=clock.now())
    deliver_due(worker_id="tests")
    assert len(mailbox.messages) == 1


def test_the_reset_link_lifts_a_lock_made_at_the_admin(make_staff: Any, mailbox: Mailbox) -> None:
    make_staff("owner", username="eleni")
    for _ in range(5):
        Client().post("/admin/login/", {"username": "eleni", "password": "wrong"})
    client = Client()
    ask_for_a_link(client, "eleni@example.com")
    set_password = client.get(reset_link(mailbox.messages[0][1]))["Location"]

    client.post(set_password, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})

    assert Client().post("/admin/login/", {"username": "eleni", "password": NEW_PASSWORD}).status_code == 302
