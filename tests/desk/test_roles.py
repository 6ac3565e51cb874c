"""What each role may open, and how staff accounts are made."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client

from emporos import cli
from emporos.access.models import StaffProfile
from emporos.access.services import create_staff
from emporos.core.errors import ValidationFailed
from emporos.shop.models import ShopSettings
from tests.conftest import STAFF_PASSWORD

pytestmark = pytest.mark.django_db

SETTINGS_LINK = 'href="/settings/"'


@pytest.mark.parametrize("role", ["warehouse", "support"])
def test_only_owners_open_the_settings(make_staff: Any, role: str) -> None:
    client = make_staff(role)
    response = client.get("/settings/")
    body = response.content.decode()
    assert response.status_code == 403
    assert "Your role cannot do this." in body
    assert 'name="time_zone"' not in body


@pytest.mark.parametrize("role", ["warehouse", "support"])
def test_other_roles_cannot_save_settings_either(make_staff: Any, role: str) -> None:
    client = make_staff(role)
    response = client.post("/settings/", {"name": "Taken over", "time_zone": "UTC"})
    assert response.status_code == 403
    assert not ShopSettings.objects.exists()


@pytest.mark.parametrize("role", ["warehouse", "support"])
def test_the_menu_hides_settings_from_other_roles(make_staff: Any, role: str) -> None:
    body = make_staff(role).get("/").content.decode()
    assert 'class="mainnav"' in body
    assert SETTINGS_LINK not in body


def test_owner_opens_the_settings_from_the_menu(owner: Client) -> None:
    assert SETTINGS_LINK in owner.get("/").content.decode()
    response = owner.get("/settings/")
    assert response.status_code == 200
    assert f'{SETTINGS_LINK} aria-current="page"' in response.content.decode()


def test_superuser_without_a_profile_counts_as_owner() -> None:
    User.objects.create_superuser("root", "root@example.com", STAFF_PASSWORD)
    client = Client()
    client.login(username="root", password=STAFF_PASSWORD)
    assert client.get("/settings/").status_code == 200


def test_account_without_a_staff_role_is_refused_everywhere() -> None:
    User.objects.create_user("visitor", "visitor@example.com", STAFF_PASSWORD)
    client = Client()
    assert client.login(username="visitor", password=STAFF_PASSWORD)
    for path in ["/", "/settings/"]:
        response = client.get(path)
        body = response.content.decode()
        assert response.status_code == 403, path
        assert "This account has no staff role. Ask the shop owner to give it one." in body
        assert 'class="mainnav"' not in body


def test_signed_out_visitor_is_sent_to_sign_in_from_settings() -> None:
    response = Client().get("/settings/")
    assert response.status_code == 302
    assert response["Location"] == "/sign-in/?next=/settings/"


def test_create_staff_refuses_a_weak_password() -> None:
    with pytest.raises(ValidationFailed) as refused:
        create_staff(username="nikos", email="nikos@example.gr", password="12345678", role="warehouse")
    assert [error.field for error in refused.value.errors] == ["password"]
    assert "too common" in refused.value.errors[0].message
    assert not User.objects.filter(username="nikos").exists()


def test_create_staff_refuses_a_taken_name_whatever_its_case() -> None:
    create_staff(username="nikos", email="nikos@example.gr", password=STAFF_PASSWORD, role="warehouse")
    with pytest.raises(ValidationFailed) as refused:
        create_staff(username="Nikos", email="other@example.gr", password=STAFF_PASSWORD, role="support")
    assert [(error.field, error.code) for error in refused.value.errors] == [("username", "taken")]
    assert User.objects.count() == 1
    assert StaffProfile.objects.get().role == "warehouse"


def test_create_staff_names_every_bad_field_at_once() -> None:
    with pytest.raises(ValidationFailed) as refused:
        create_staff(username="", email="x@example.gr", password="abc", role="cashier")
    assert [error.field for error in refused.value.errors] == ["username", "role", "password"]
    assert not User.objects.exists()


@pytest.mark.parametrize(
    ("username", "password", "field"),
    [("nikos", "password", "password"), ("owner-user", STAFF_PASSWORD, "username")],
    ids=["weak-password", "taken-name"],
)
def test_createstaff_command_prints_the_field_it_refuses(
    make_staff: Any, monkeypatch: pytest.MonkeyPatch, username: str, password: str, field: str
) -> None:
    make_staff("owner")
    monkeypatch.setenv("EMPOROS_STAFF_PASSWORD", password)
    with pytest.raises(SystemExit) as refused:
        cli.main(["createstaff", "--username", username, "--email", "n@example.gr", "--role", "support"])
    assert str(refused.value.code).startswith(f"{field}: ")
    assert User.objects.count() == 1


def test_createstaff_command_creates_an_account_that_can_sign_in(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("EMPOROS_STAFF_PASSWORD", STAFF_PASSWORD)
    assert cli.main(["createstaff", "--username", "nikos", "--role", "warehouse"]) == 0
    assert capsys.readouterr().out == "Created staff account nikos (warehouse).\n"
    client = Client()
    assert client.login(username="nikos", password=STAFF_PASSWORD)
    assert client.get("/").status_code == 200
    assert client.get("/settings/").status_code == 403
