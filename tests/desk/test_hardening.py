"""Ways around the sign-in throttle, odd input in URLs, roles changed later, expired sessions."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client

from emporos.access.services import set_staff_role
from emporos.outbox.models import Event
from tests.conftest import STAFF_PASSWORD, place

pytestmark = pytest.mark.django_db


def _fail(client: Client, username: str, password: str = "wrong", **extra: Any) -> None:
    client.post("/sign-in/", {"username": username, "password": password}, **extra)


def test_a_blank_password_does_not_reset_the_failure_count(make_staff: Any) -> None:
    make_staff("support", username="eleni")
    client = Client()
    for _ in range(3):
        _fail(client, "eleni")
    _fail(client, "eleni", password="")
    _fail(client, "eleni")
    response = client.post("/sign-in/", {"username": "eleni", "password": STAFF_PASSWORD})
    assert "Too many failed sign-ins" in response.content.decode()


def test_look_alike_spellings_of_a_name_share_one_counter(make_staff: Any) -> None:
    make_staff("support", username="eleni")
    client = Client()
    for spelling in ["eleni", "ELENI", "ｅleni", " Eleni ", "ｅｌｅｎｉ"]:
        _fail(client, spelling)
    response = client.post("/sign-in/", {"username": "ｅｌｅｎｉ", "password": STAFF_PASSWORD})
    assert "Too many failed sign-ins" in response.content.decode()


def test_behind_a_proxy_each_browser_has_its_own_address_counter(make_staff: Any, settings: Any) -> None:
    settings.EMPOROS = {**settings.EMPOROS, "PROXY_HOPS": 1}
    make_staff("support", username="nikos")
    attacker = Client(REMOTE_ADDR="10.0.0.1")
    for number in range(20):
        _fail(attacker, f"someone-{number}", HTTP_X_FORWARDED_FOR="203.0.113.9")
    colleague = Client(REMOTE_ADDR="10.0.0.1")
    response = colleague.post(
        "/sign-in/", {"username": "nikos", "password": STAFF_PASSWORD}, HTTP_X_FORWARDED_FOR="198.51.100.7"
    )
    assert response.status_code == 302
    blocked = attacker.post(
        "/sign-in/", {"username": "nikos", "password": STAFF_PASSWORD}, HTTP_X_FORWARDED_FOR="203.0.113.9"
    )
    assert "Too many failed sign-ins" in blocked.content.decode()


def test_a_demoted_owner_loses_the_admin(make_staff: Any) -> None:
    client = make_staff("owner", username="anna")
    assert client.get("/admin/").status_code == 200
    set_staff_role(user=User.objects.get(username="anna"), role="warehouse")
    user = User.objects.get(username="anna")
    assert (user.is_staff, user.is_superuser) == (False, False)
    assert client.get("/admin/").status_code == 302
    assert client.get("/settings/").status_code == 403
    roles = [event.payload["role"] for event in Event.objects.filter(topic="access.staff_role_set").order_by("id")]
    assert roles == ["owner", "warehouse"]


@pytest.mark.parametrize(
    "path", ["/orders/²/", "/orders/?q=²", "/inventory/TEA-100/?before=²", "/orders/?to=9999-12-31"]
)
def test_odd_numbers_and_dates_in_the_url_never_fail_the_server(owner: Client, catalog: None, path: str) -> None:
    assert owner.get(path).status_code in {200, 400, 404}


def test_bulk_with_an_impossible_number_reports_it(owner: Client, api: Client, catalog: None) -> None:
    number = place(api)
    response = owner.post("/orders/bulk/", {"orders": [number, "EM-²"], "action": "confirm"}, follow=True)
    body = response.content.decode()
    assert response.status_code == 200
    assert "EM-²" in body


def test_a_refresh_after_the_session_ended_sends_the_tab_to_sign_in(owner: Client) -> None:
    owner.post("/sign-out/")
    response = owner.get(
        "/queue/", headers={"HX-Request": "true", "HX-Current-URL": "http://testserver/queue/?after=x"}
    )
    assert response.status_code == 200
    assert response["HX-Redirect"] == "/sign-in/?next=/queue/%3Fafter%3Dx"
