"""Every way in obeys one throttle: the desk sign-in, the admin sign-in and any authenticate() call."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth import authenticate
from django.test import Client

from emporos.access.models import SignInFailure
from tests.conftest import STAFF_PASSWORD

pytestmark = pytest.mark.django_db

LOCKED = "Too many failed sign-ins"


def _admin_sign_in(client: Client, username: str, password: str, **extra: Any) -> Any:
    return client.post("/admin/login/?next=/admin/", {"username": username, "password": password}, **extra)


def test_a_locked_owner_cannot_sign_in_at_the_admin(make_staff: Any) -> None:
    make_staff("owner", username="anna")
    for _ in range(5):
        Client().post("/sign-in/", {"username": "anna", "password": "wrong"})

    client = Client()
    response = _admin_sign_in(client, "anna", STAFF_PASSWORD)

    assert response.status_code == 200
    assert LOCKED in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert client.get("/admin/").status_code == 302


def test_admin_failures_count_toward_the_lock(make_staff: Any) -> None:
    make_staff("owner", username="anna")
    for _ in range(5):
        response = _admin_sign_in(Client(), "ANNA", "wrong")
        assert response.status_code == 200
        assert LOCKED not in response.content.decode()

    assert SignInFailure.objects.get(key="user:anna").failures == 5
    desk = Client().post("/sign-in/", {"username": "anna", "password": STAFF_PASSWORD})
    assert LOCKED in desk.content.decode()
    assert _admin_sign_in(Client(), "anna", STAFF_PASSWORD).status_code == 200


def test_admin_failures_from_one_address_lock_that_address(make_staff: Any) -> None:
    make_staff("owner", username="anna")
    attacker = Client(REMOTE_ADDR="203.0.113.9")
    for number in range(20):
        _admin_sign_in(attacker, f"someone-{number}", "wrong")

    assert LOCKED in _admin_sign_in(attacker, "anna", STAFF_PASSWORD).content.decode()
    assert _admin_sign_in(Client(REMOTE_ADDR="198.51.100.7"), "anna", STAFF_PASSWORD).status_code == 302


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("en", "Too many failed sign-ins. Try again in 15 minutes"),
        ("el", "Πάρα πολλές αποτυχημένες προσπάθειες σύνδεσης. Δοκιμάστε ξανά σε 15 λεπτά"),
        ("pl", "Zbyt wiele nieudanych prób logowania. Spróbuj ponownie za 15 minut"),
        ("he", "יותר מדי ניסיונות כניסה שנכשלו. אפשר לנסות שוב בעוד 15 דקות"),
    ],
    ids=["en", "el", "pl", "he"],
)
def test_the_admin_says_the_lock_in_the_staff_members_language(make_staff: Any, language: str, text: str) -> None:
    make_staff("owner", username="anna")
    for _ in range(5):
        _admin_sign_in(Client(), "anna", "wrong")

    response = _admin_sign_in(Client(), "anna", STAFF_PASSWORD, HTTP_ACCEPT_LANGUAGE=language)

    assert text in response.content.decode()


def test_an_open_admin_sign_in_still_works_and_clears_the_failures(make_staff: Any) -> None:
    make_staff("owner", username="anna")
    for _ in range(4):
        _admin_sign_in(Client(), "anna", "wrong")

    client = Client()
    response = _admin_sign_in(client, "anna", STAFF_PASSWORD)

    assert response.status_code == 302
    assert client.get("/admin/").status_code == 200
    assert not SignInFailure.objects.filter(key="user:anna").exists()


def test_any_authenticate_call_counts_failures_and_refuses_a_locked_name(make_staff: Any) -> None:
    make_staff("support", username="eleni")
    for _ in range(5):
        assert authenticate(None, username="eleni", password="wrong") is None

    assert authenticate(None, username="eleni", password=STAFF_PASSWORD) is None
    assert not Client().login(username="eleni", password=STAFF_PASSWORD)
    assert LOCKED in Client().post("/sign-in/", {"username": "eleni", "password": STAFF_PASSWORD}).content.decode()


@pytest.mark.parametrize("url", ["/sign-in/", "/admin/login/"])
@pytest.mark.parametrize("password", ["", "wrong"])
def test_a_name_with_a_nul_is_refused_not_a_server_error(client: Client, url: str, password: str) -> None:
    """PostgreSQL refuses to store NUL; the throttle must never try to."""
    for _ in range(2):
        response = client.post(url, {"username": "owner\x00", "password": password})
        assert response.status_code == 200
