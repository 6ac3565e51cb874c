"""Settings → Staff: owners list, invite (a set-password link mailed by the worker through a real
SMTP server), change roles, deactivate and reactivate, and send reset links; every change is an
event and an entry on the staff member's timeline. Nobody takes away their own owner access, and
the shop keeps an active owner."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.contrib.auth.tokens import default_token_generator
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from emporos.access import password_reset
from emporos.access.models import PasswordResetRequest, StaffProfile
from emporos.access.services import create_staff, deactivate_staff
from emporos.core import clock
from emporos.core.actor import Actor
from emporos.core.errors import Conflict
from emporos.outbox import selectors as outbox
from emporos.outbox.models import Event
from emporos.outbox.relay import deliver_due
from emporos.timeline.models import SubjectKind
from emporos.timeline.selectors import timeline_of
from tests.conftest import STAFF_PASSWORD
from tests.desk import test_password_reset as reset_tests
from tests.desk.test_password_reset import Mailbox, reset_link

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "a-first-password-of-eleni-9"
mailbox = reset_tests.mailbox  # the real SMTP server on loopback, as a fixture here too


def invite(owner: Client, **overrides: str) -> Any:
    data = {
        "first_name": "Ελένη",
        "last_name": "Κωστοπούλου",
        "username": "eleni",
        "email": "eleni@example.gr",
        "role": "warehouse",
        "language": "el",
        **overrides,
    }
    return owner.post("/settings/staff/", data)


def words(user: User, *, language: str = "en") -> list[str]:
    """The staff member's timeline in words, oldest first."""
    shown = timeline_of(SubjectKind.STAFF, user.pk, language=language, time_zone="Europe/Athens")
    return [entry.text for entry in reversed(shown)]


def signs_in(username: str, password: str) -> bool:
    return Client().post("/sign-in/", {"username": username, "password": password}).status_code == 302


def test_the_owner_invites_someone_who_chooses_a_password_from_the_greek_email(owner: Client, mailbox: Mailbox) -> None:
    before = Event.objects.order_by("id").last()

    response = invite(owner)

    eleni = User.objects.get(username="eleni")
    assert response.status_code == 303
    assert response["Location"] == f"/settings/staff/{eleni.pk}/"
    assert not eleni.has_usable_password()
    assert (eleni.email, eleni.first_name, eleni.last_name, eleni.is_active) == (
        "eleni@example.gr",
        "Ελένη",
        "Κωστοπούλου",
        True,
    )
    assert (eleni.staff_profile.role, eleni.staff_profile.language) == ("warehouse", "el")
    assert outbox.topics(since=before) == ["access.staff_invited", "access.password_reset_requested"]
    assert words(eleni) == ["Invited as Warehouse; the e-mail to choose a password is in Greek."]
    assert mailbox.messages == []  # the worker sends, never the request

    assert deliver_due(worker_id="tests") == 1

    [(recipients, message)] = mailbox.messages
    assert recipients == ["eleni@example.gr"]
    body = message.get_body(preferencelist=("plain",))
    assert body is not None
    assert "eleni" in body.get_content()
    assert "http://testserver/sign-in/" in body.get_content()
    assert PasswordResetRequest.objects.get().status == "sent"
    assert PasswordResetRequest.objects.get().purpose == "invite"

    client = Client()
    set_password = client.get(reset_link(message))["Location"]
    done = client.post(set_password, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert done["Location"] == "/password-reset/done/"
    assert signs_in("eleni", NEW_PASSWORD)


def test_an_invitation_link_works_for_three_days_and_a_reset_token_does_not_stretch_it(
    owner: Client, mailbox: Mailbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    invite(owner)
    deliver_due(worker_id="tests")
    link = reset_link(mailbox.messages[0][1])
    sent_at = dt.datetime.now()

    monkeypatch.setattr(password_reset.InvitationTokens, "_now", lambda self: sent_at + dt.timedelta(days=3, hours=1))
    late = Client().get(link)
    monkeypatch.setattr(password_reset.InvitationTokens, "_now", lambda self: sent_at + dt.timedelta(days=2, hours=23))
    in_time = Client().get(link)

    assert late.status_code == 200
    assert "This link no longer works" in late.content.decode()
    assert in_time.status_code == 302
    assert in_time["Location"].endswith("/set-password/")
    _uid, token = link.strip("/").split("/")[1:]
    assert not default_token_generator.check_token(User.objects.get(username="eleni"), token)  # its own key


def test_an_invitation_waiting_for_the_worker_a_few_hours_is_still_sent(owner: Client, mailbox: Mailbox) -> None:
    start = clock.now()
    with clock.frozen_at(start):
        invite(owner)
    with clock.frozen_at(start + dt.timedelta(hours=5)):
        deliver_due(worker_id="tests")

    assert PasswordResetRequest.objects.get().status == "sent"
    assert len(mailbox.messages) == 1


def test_the_invitation_is_written_in_the_language_the_owner_chose(owner: Client, mailbox: Mailbox) -> None:
    invite(owner, language="pl")
    deliver_due(worker_id="tests")

    [(_recipients, message)] = mailbox.messages
    assert message["Subject"].strip() != "Your staff account at Emporos: choose a password"  # Polish
    body = message.get_body(preferencelist=("plain",))
    assert body is not None
    assert body.get_content().startswith("Dzień dobry, eleni,")


def test_the_staff_list_shows_name_email_role_state_and_last_sign_in(owner: Client) -> None:
    invite(owner)
    create_staff(username="kasia", email="kasia@example.pl", password=STAFF_PASSWORD, role="support")
    assert signs_in("kasia", STAFF_PASSWORD)
    deactivate_staff(user_id=User.objects.get(username="kasia").pk, actor=Actor.system("tests"))

    body = owner.get("/settings/staff/").content.decode()

    rows = body.split("<tbody>")[1].split("</tbody>")[0].split("<tr ")[1:]
    assert [row.split('data-staff="')[1].split('"')[0] for row in rows] == ["eleni", "owner-user", "kasia"]
    eleni, _owner, kasia = rows
    assert "Ελένη Κωστοπούλου" in eleni
    assert "eleni@example.gr" in eleni
    assert "Warehouse" in eleni
    assert "Invited" in eleni
    assert "Never" in eleni
    assert "is-inactive" in kasia
    assert "No: cannot sign in" in kasia
    assert "Support" in kasia
    assert "<time datetime=" in kasia  # signed in once
    assert 'href="/settings/staff/"' in body
    assert "Staff</a>" in body


def test_the_staff_list_costs_the_same_queries_for_two_or_ten_accounts(owner: Client) -> None:
    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert owner.get("/settings/staff/").status_code == 200
        # The shop's settings are read again every few seconds, whatever the page: left out.
        return len([query for query in queries.captured_queries if "shop_shopsettings" not in query["sql"]])

    count()  # the first page of the session reads what later pages keep
    few = count()
    for number in range(8):
        create_staff(
            username=f"packer{number}", email=f"p{number}@example.gr", password=STAFF_PASSWORD, role="warehouse"
        )
    assert count() == few


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"username": "Owner-User"}, "username", "A staff account named Owner-User exists already"),
        ({"email": "OWNER-USER@example.com"}, "email", "Another staff account has the address"),
        ({"email": "eleni.example.gr"}, "email", "Give an e-mail address such as eleni@example.com."),
        ({"username": "eleni k"}, "username", "without spaces"),
        ({"username": ""}, "username", "Give a sign-in name of 1 to 150 characters"),
        ({"role": "cashier"}, "role", "Pick a role from the list."),
        ({"language": "de"}, "language", "Pick a language from the list."),
    ],
    ids=["taken-name", "taken-address", "bad-address", "space-in-name", "no-name", "bad-role", "bad-language"],
)
def test_a_bad_invitation_is_refused_next_to_its_field_and_nothing_is_written(
    owner: Client, overrides: dict[str, str], field: str, message: str
) -> None:
    users, events = User.objects.count(), Event.objects.count()

    response = invite(owner, **overrides)

    body = response.content.decode()
    assert response.status_code == 400
    assert f'id="id_{field}_error"' in body
    assert message in body.split(f'id="id_{field}_error"')[1].split("</p>")[0]
    assert (User.objects.count(), Event.objects.count()) == (users, events)
    assert PasswordResetRequest.objects.count() == 0


@pytest.mark.parametrize("role", ["warehouse", "support"])
def test_only_owners_see_or_change_staff(make_staff: Any, role: str) -> None:
    client = make_staff(role)
    target = User.objects.get(username=f"{role}-user")
    for url in ["/settings/staff/", f"/settings/staff/{target.pk}/"]:
        assert client.get(url).status_code == 403
    for url in ["role/", "active/", "link/"]:
        assert (
            client.post(f"/settings/staff/{target.pk}/{url}", {"role": "owner", "is_active": "no"}).status_code == 403
        )
    assert client.post("/settings/staff/", {"username": "x", "email": "x@example.gr"}).status_code == 403
    assert target.staff_profile.role == role
    assert User.objects.count() == 1


def test_the_owner_changes_a_role_deactivates_and_reactivates_each_on_the_timeline(owner: Client) -> None:
    packer = create_staff(username="nikos", email="nikos@example.gr", password=STAFF_PASSWORD, role="warehouse")
    url = f"/settings/staff/{packer.pk}/"
    before = Event.objects.order_by("id").last()

    changed = owner.post(url + "role/", {"role": "support"})
    off = owner.post(url + "active/", {"is_active": "no"})
    refused_sign_in = signs_in("nikos", STAFF_PASSWORD)
    on = owner.post(url + "active/", {"is_active": "yes"})

    assert [changed.status_code, off.status_code, on.status_code] == [303, 303, 303]
    assert changed["Location"] == off["Location"] == on["Location"] == url
    assert not refused_sign_in
    assert signs_in("nikos", STAFF_PASSWORD)
    assert StaffProfile.objects.get(user=packer).role == "support"
    assert outbox.topics(since=before) == [
        "access.staff_role_set",
        "access.staff_deactivated",
        "access.staff_reactivated",
    ]
    assert words(packer) == [
        "Role: Warehouse.",
        "Role changed from Warehouse to Support.",
        "Deactivated: can no longer sign in.",
        "Reactivated: can sign in again.",
    ]
    page = owner.get(url).content.decode()
    assert 'id="staff-timeline"' in page
    assert "Role changed from Warehouse to Support." in page
    assert "owner-user" in page.split('id="staff-timeline"')[1]  # who did it


def test_the_staff_timeline_reads_in_greek(owner: Client) -> None:
    invite(owner, language="pl")
    eleni = User.objects.get(username="eleni")
    owner.post(f"/settings/staff/{eleni.pk}/role/", {"role": "support"})
    owner.post(f"/settings/staff/{eleni.pk}/active/", {"is_active": "no"})
    owner.post(f"/settings/staff/{eleni.pk}/active/", {"is_active": "yes"})
    owner.post(f"/settings/staff/{eleni.pk}/link/")

    assert words(eleni, language="el") == [
        "Πρόσκληση ως Αποθήκη· το e-mail για να επιλέξει κωδικό πρόσβασης είναι στα Πολωνικά.",
        "Ο ρόλος άλλαξε από Αποθήκη σε Εξυπηρέτηση πελατών.",
        "Απενεργοποιήθηκε: δεν μπορεί πλέον να συνδεθεί.",
        "Ενεργοποιήθηκε ξανά: μπορεί πάλι να συνδεθεί.",
        "Η πρόσκληση στάλθηκε ξανά: σύνδεσμος για επιλογή κωδικού πρόσβασης.",
    ]


def test_an_owner_can_neither_deactivate_nor_demote_themselves(owner: Client) -> None:
    me = User.objects.get(username="owner-user")
    before = Event.objects.order_by("id").last()

    off = owner.post(f"/settings/staff/{me.pk}/active/", {"is_active": "no"}, follow=True)
    demoted = owner.post(f"/settings/staff/{me.pk}/role/", {"role": "support"}, follow=True)

    assert off.redirect_chain == [(f"/settings/staff/{me.pk}/", 303)]
    assert "You cannot deactivate your own account. Ask another owner to do it." in off.content.decode()
    assert "You cannot take away your own owner role. Ask another owner to do it." in demoted.content.decode()
    me.refresh_from_db()
    assert me.is_active
    assert me.staff_profile.role == "owner"
    assert outbox.topics(since=before) == []
    page = owner.get(f"/settings/staff/{me.pk}/").content.decode()
    assert "This is your own account" in page
    assert 'value="no"' not in page  # no deactivate button on one's own page


def test_another_owner_can_be_demoted_but_never_the_last_active_owner(owner: Client) -> None:
    other = create_staff(username="anna", email="anna@example.gr", password=STAFF_PASSWORD, role="owner")

    assert owner.post(f"/settings/staff/{other.pk}/role/", {"role": "support"}).status_code == 303
    assert StaffProfile.objects.get(user=other).role == "support"
    only = User.objects.get(username="owner-user")
    with pytest.raises(Conflict) as refused:
        deactivate_staff(user_id=only.pk, actor=Actor.system("admin"))
    assert refused.value.code == "last_owner"
    assert refused.value.message == "owner-user is the shop's only active owner. Make someone else an owner first."
    only.refresh_from_db()
    assert only.is_active


def test_the_owner_sends_a_reset_link_in_the_members_language(owner: Client, mailbox: Mailbox) -> None:
    packer = create_staff(username="kasia", email="kasia@example.pl", password=STAFF_PASSWORD, role="warehouse")
    StaffProfile.objects.filter(user=packer).update(language="he")
    before = Event.objects.order_by("id").last()

    response = owner.post(f"/settings/staff/{packer.pk}/link/", follow=True)

    assert "A link to choose a new password is on its way." in response.content.decode()
    assert outbox.topics(since=before) == ["access.password_reset_requested", "access.staff_password_link_sent"]
    assert words(packer)[-1] == "Sent a link to choose a new password."
    deliver_due(worker_id="tests")
    [(recipients, message)] = mailbox.messages
    assert recipients == ["kasia@example.pl"]
    body = message.get_body(preferencelist=("plain",))
    assert body is not None
    assert body.get_content().startswith("שלום kasia,")
    assert PasswordResetRequest.objects.get().purpose == "reset"


def test_a_deactivated_account_gets_no_link(owner: Client) -> None:
    packer = create_staff(username="kasia", email="kasia@example.pl", password=STAFF_PASSWORD, role="warehouse")
    owner.post(f"/settings/staff/{packer.pk}/active/", {"is_active": "no"})

    response = owner.post(f"/settings/staff/{packer.pk}/link/", follow=True)

    assert "Reactivate the account first" in response.content.decode()
    assert PasswordResetRequest.objects.count() == 0


def test_an_unknown_account_is_a_404_page_with_a_way_back(owner: Client) -> None:
    for response in [
        owner.get("/settings/staff/999999/"),
        owner.post("/settings/staff/999999/active/", {"is_active": "no"}),
    ]:
        assert response.status_code == 404
        assert 'href="/settings/staff/"' in response.content.decode()
