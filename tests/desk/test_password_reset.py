"""Password reset by e-mail, delivered through a real SMTP server on loopback."""

from __future__ import annotations

import dataclasses
import email
import email.policy
import re
import socket
from collections.abc import Iterator
from email.message import EmailMessage
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from django.test import Client

from emporos.core.actor import Actor
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
    port = free_port()
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


def signs_in(password: str) -> bool:
    response = Client().post("/sign-in/", {"username": "eleni", "password": password})
    return response.status_code == 302


def test_reset_by_email_link_then_sign_in_with_the_new_password(
    make_staff: Any, mailbox: Mailbox, greek_shop: None
) -> None:
    make_staff("support", username="eleni")
    client = Client()

    response = client.post("/password-reset/", {"email": "ELENI@example.com"})
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

    response = client.post("/password-reset/", {"email": "nobody@example.com"})

    assert response.status_code == 302
    assert response["Location"] == "/password-reset/sent/"
    assert "Check your e-mail" in client.get(response["Location"]).content.decode()
    assert mailbox.messages == []


def test_a_used_link_no_longer_works(make_staff: Any, mailbox: Mailbox) -> None:
    make_staff("support", username="eleni")
    client = Client()
    client.post("/password-reset/", {"email": "eleni@example.com"})
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
    client.post("/password-reset/", {"email": "eleni@example.com"})
    set_password = client.get(reset_link(mailbox.messages[0][1]))["Location"]

    response = client.post(set_password, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD + "x"})

    assert response.status_code == 200
    assert 'id="id_new_password2_error"' in response.content.decode()
    assert signs_in(STAFF_PASSWORD)
