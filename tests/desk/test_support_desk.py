"""The support desk: who may open it, the queue by what breaches first, each action on a ticket
with its exact outcome and timeline entry, refusals that stay on the page, the collision warning,
the customer's context beside the conversation, and the owner's settings."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client

from emporos.core import clock
from emporos.core.actor import Actor
from emporos.customers.models import Coupon
from emporos.orders.models import Order
from emporos.outbox.models import Event
from emporos.returns.models import Return
from emporos.support import inbound, services
from emporos.support.models import Attachment, Channel, Direction, Macro, Message, SlaTarget, Status, Ticket, Viewer
from emporos.timeline.models import SubjectKind
from emporos.timeline.selectors import entries_about
from tests.conftest import place
from tests.returns.conftest import delivered
from tests.support.test_tickets import mail

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("greece")]

# Tuesday 8 December 2026, 10:00 in Athens (open 09:00-17:00): four days after the delivery.
TUESDAY = dt.datetime(2026, 12, 8, 8, 0, tzinfo=dt.UTC)
SYSTEM = Actor.system("tests")


@pytest.fixture
def frozen() -> Iterator[None]:
    with clock.frozen_at(TUESDAY):
        yield


@pytest.fixture
def agent(make_staff: Any) -> Client:
    return make_staff("support", "eleni")


@pytest.fixture
def order(api: Client, catalog: None) -> Order:
    number = delivered(api)
    return Order.objects.get(number=int(number.removeprefix("EM-")))


@pytest.fixture
def ticket(frozen: None, order: Order) -> Ticket:
    """A customer wrote by e-mail about their delivered order."""
    inbound.accept(
        mail(
            sender="Maria <maria@example.gr>",
            subject=f"Order {order.display_number}",
            body="The tea is the wrong size.",
        ),
        source="imap",
    )
    return Ticket.objects.get()


def page(client: Client, ticket: Ticket, **params: str) -> str:
    response = client.get(f"/support/{ticket.public_id}/", params)
    assert response.status_code == 200, response.content
    return response.content.decode()


def act(client: Client, ticket: Ticket, action: str, **fields: Any) -> Any:
    return client.post(f"/support/{ticket.public_id}/", {"action": action, **fields})


def kinds(ticket: Ticket) -> list[str]:
    return list(
        entries_about(SubjectKind.TICKET, ticket.pk).order_by("occurred_at", "pk").values_list("kind", flat=True)
    )


def queue_numbers(body: str) -> list[int]:
    return [int(number) for number in re.findall(r'<tr data-ticket="(\d+)"', body)]


def user(name: str) -> User:
    return User.objects.get(username=name)


# --- who may open it ----------------------------------------------------------------------------------


@pytest.mark.parametrize(("role", "status"), [("owner", 200), ("support", 200), ("warehouse", 403)])
def test_owners_and_support_open_the_desk_warehouse_is_refused(
    make_staff: Any, ticket: Ticket, role: str, status: int
) -> None:
    client = make_staff(role)
    queue = client.get("/support/")
    one = client.get(f"/support/{ticket.public_id}/")
    assert (queue.status_code, one.status_code) == (status, status)
    home = client.get("/").content.decode()
    assert ('id="nav-support"' in home) is (status == 200)
    if status == 403:
        assert "Your role cannot do this. Ask the shop owner if you need it." in queue.content.decode()


@pytest.mark.parametrize(("role", "status"), [("owner", 200), ("support", 403)])
def test_only_owners_change_the_support_settings(make_staff: Any, role: str, status: int) -> None:
    client = make_staff(role)
    assert client.get("/support/settings/").status_code == status
    assert client.get("/support/settings/macros/new/").status_code == status


def test_a_signed_out_visitor_is_sent_to_sign_in(ticket: Ticket) -> None:
    response = Client().get(f"/support/{ticket.public_id}/")
    assert response.status_code == 302
    assert response["Location"] == f"/sign-in/?next=/support/{ticket.public_id}/"


# --- the queue ---------------------------------------------------------------------------------------------


def _open(customer: Any, subject: str, priority: str) -> Ticket:
    return services.open_ticket(
        customer=customer,
        subject=subject,
        first=services.Inbound(channel=Channel.WEB, text="Hello", sender="maria@example.gr"),
        actor=SYSTEM,
        priority=priority,
        contact_email="maria@example.gr",
        acknowledge=False,
    )


def test_the_queue_puts_what_breaches_first_on_top_and_waiting_tickets_after(
    agent: Client, ticket: Ticket, order: Order
) -> None:
    # Given: the e-mail (normal: due 14:00), an urgent one (due 11:00), a low one, one waiting.
    with clock.frozen_at(TUESDAY):
        urgent = _open(order.customer, "Charged twice", "urgent")
        low = _open(order.customer, "A question", "low")
        waiting = _open(order.customer, "Address change", "high")
        services.reply(ticket=waiting, text="Which address?", actor=SYSTEM)
    # When: the agent opens the queue 40 minutes later.
    with clock.frozen_at(TUESDAY + dt.timedelta(minutes=40)):
        body = agent.get("/support/").content.decode()
        solved = agent.get("/support/", {"status": "solved"}).content.decode()
    # Then
    assert queue_numbers(body) == [urgent.number, ticket.number, low.number, waiting.number]
    assert re.search(rf'data-ticket="{urgent.number}".*?data-sla="soon".*?due in 20 min', body, re.S)
    assert re.search(rf'data-ticket="{ticket.number}".*?data-sla="later".*?due 14:00', body, re.S)
    assert "<strong>4 tickets</strong>" in body
    assert queue_numbers(solved) == []


def test_a_breached_ticket_says_by_how_long(agent: Client, ticket: Ticket, order: Order) -> None:
    with clock.frozen_at(TUESDAY):
        urgent = _open(order.customer, "Charged twice", "urgent")
    with clock.frozen_at(TUESDAY + dt.timedelta(minutes=95)):
        body = agent.get("/support/").content.decode()
        menu = re.search(r'id="nav-support".*?</a>', body, re.S)
        elsewhere = agent.get("/").content.decode()
        count = agent.get("/support/due-soon/", headers={"HX-Request": "true"}).content.decode()
        visited = agent.get("/support/due-soon/")
    assert re.search(rf'data-ticket="{urgent.number}" class="support-row is-overdue".*?breached 35 min ago', body, re.S)
    assert menu is not None
    assert 'data-due-soon="1"' in menu.group(0)
    # Other pages load the count after they are shown, so they cost no query more.
    assert 'hx-get="/support/due-soon/" hx-trigger="load, every 60s"></span>' in elsewhere
    assert 'data-due-soon="1">1<span class="visually-hidden"> ticket breached or due soon' in count
    assert (visited.status_code, visited["Location"]) == (302, "/support/")


def test_filters_search_and_the_mine_view(agent: Client, ticket: Ticket, order: Order) -> None:
    with clock.frozen_at(TUESDAY):
        other = _open(order.customer, "Another thing", "low")
        services.assign(ticket=other, assignee=user("eleni"), actor=SYSTEM)
        mine = agent.get("/support/", {"assignee": "mine"}).content.decode()
        nobody = agent.get("/support/", {"assignee": "nobody"}).content.decode()
        by_number = agent.get("/support/", {"q": f"#{ticket.number}"}).content.decode()
        by_order = agent.get("/support/", {"q": order.display_number}).content.decode()
        low = agent.get("/support/", {"priority": "low"}).content.decode()
        dirty = agent.get("/support/?q=&status=&priority=low")
    assert queue_numbers(mine) == [other.number]
    assert 'id="mine-view" aria-current="page"' in mine
    assert queue_numbers(nobody) == [ticket.number]
    assert queue_numbers(by_number) == [ticket.number]
    assert queue_numbers(by_order) == [ticket.number]
    assert queue_numbers(low) == [other.number]
    assert (dirty.status_code, dirty["Location"]) == (302, "/support/?priority=low")


def test_a_filter_that_is_not_a_choice_says_so(agent: Client) -> None:
    response = agent.get("/support/", {"topic": "weather"})
    assert response.status_code == 400
    assert "Choose one of the options in the list." in response.content.decode()


# --- the ticket page and its context ------------------------------------------------------------------------


def test_the_ticket_page_shows_the_conversation_and_the_customers_orders_parcels_and_returns(
    agent: Client, ticket: Ticket, order: Order, api: Client
) -> None:
    with clock.frozen_at(TUESDAY):
        returned = agent.post(
            f"/support/{ticket.public_id}/return/",
            {"line-0-quantity": "1", "reason": "wrong_size", "condition": "unopened", "resolution": "refund"},
        )
        body = page(agent, ticket)
    parcel = order.shipments.get()
    ret = Return.objects.get()
    assert returned.status_code == 303
    assert re.search(r'id="customer-orders".*?data-order="' + order.display_number + '" class="is-current"', body, re.S)
    assert re.search(rf'id="customer-parcels".*?data-tracking="{parcel.tracking_number}"', body, re.S)
    assert re.search(rf'id="customer-returns".*?data-return="{ret.display_number}"', body, re.S)
    ticket.refresh_from_db()
    assert ticket.ret_id == ret.pk
    assert re.search(r'id="customer-emails".*?maria@example.gr', body, re.S)
    assert "The tea is the wrong size." in body
    assert 'data-automatic="acknowledgement"' in body


def test_quoted_text_hides_behind_a_toggle_and_attachments_download_for_staff_only(
    agent: Client, ticket: Ticket, make_staff: Any
) -> None:
    message = ticket.messages.get(direction=Direction.IN)
    Message.objects.filter(pk=message.pk).update(full_text="The tea is the wrong size.\n> On Monday you wrote...")
    attachment = Attachment.objects.create(
        message=message, filename="photo.jpg", content_type="image/jpeg", size_bytes=3, content=b"abc"
    )
    body = page(agent, ticket)
    url = f"/support/{ticket.public_id}/attachments/{attachment.public_id}/"
    download = agent.get(url)
    assert re.search(r'<summary>Show quoted text</summary><div class="message-text" dir="auto">[^<]*On Monday', body)
    assert f'href="{url}"' in body
    assert (download.status_code, download.content) == (200, b"abc")
    assert download["Content-Disposition"] == 'attachment; filename="photo.jpg"'
    assert make_staff("warehouse").get(url).status_code == 403


def test_an_unknown_ticket_is_a_page_that_says_so(agent: Client) -> None:
    response = agent.get("/support/00000000-0000-0000-0000-000000000000/")
    assert response.status_code == 404
    assert "There is no such ticket" in response.content.decode()


# --- each action --------------------------------------------------------------------------------------


def test_reply_waits_for_the_customer_and_counts_the_minutes_since_the_page_opened(
    agent: Client, ticket: Ticket
) -> None:
    opened = (TUESDAY - dt.timedelta(minutes=7)).isoformat()
    with clock.frozen_at(TUESDAY):
        response = act(
            agent,
            ticket,
            "reply",
            **{"reply-text": "A new one is on its way.", "reply-status": "pending", "reply-opened_at": opened},
        )
    assert response.status_code == 303
    assert response["Location"] == f"/support/{ticket.public_id}/#conversation"
    answer = ticket.messages.filter(direction=Direction.OUT, automatic="").get()
    ticket.refresh_from_db()
    assert (answer.text, answer.minutes_spent, answer.author_id) == ("A new one is on its way.", 7, user("eleni").pk)
    assert ticket.status == Status.PENDING
    assert kinds(ticket)[-2:] == ["support.ticket_replied", "support.ticket_status_changed"]
    assert "Answer sent; the ticket is now: waiting for the customer." in page(agent, ticket)


def test_a_macro_fills_the_answer_in_the_tickets_language_and_applies_its_topic_and_tags(
    agent: Client, ticket: Ticket, order: Order
) -> None:
    macro = Macro.objects.create(
        name="Wrong size",
        bodies={
            "en": "Hello {customer_name}, about {order_number}: {agent_name}",
            "el": "Γεια {customer_name}, {order_number}",
        },
        set_status="solved",
        set_topic="return",
        add_tags=["size"],
        asks_for="order_number",
        updated_at=TUESDAY,
    )
    Ticket.objects.filter(pk=ticket.pk).update(language="el")
    with clock.frozen_at(TUESDAY):
        body = page(agent, ticket, macro=str(macro.pk))
        text = f"Γεια Μαρία, {order.display_number}"  # the customer of the order wrote
        assert f"\n{text}</textarea>" in body
        assert re.search(r'value="solved"[^>]*checked', body)
        response = act(
            agent, ticket, "reply", **{"reply-text": text, "reply-status": "solved", "reply-macro": str(macro.pk)}
        )
    assert response.status_code == 303
    ticket.refresh_from_db()
    answer = ticket.messages.filter(direction=Direction.OUT, automatic="").get()
    assert (ticket.status, ticket.topic, ticket.tags) == (Status.SOLVED, "return", ["size"])
    assert answer.asked_for_known == "order_number"  # the macro asked for what the shop had
    assert kinds(ticket)[-3:] == [
        "support.ticket_replied",
        "support.ticket_status_changed",
        "support.ticket_classified",
    ]


def test_an_empty_answer_stays_on_the_page_with_the_message_next_to_the_field(agent: Client, ticket: Ticket) -> None:
    before = kinds(ticket)
    response = act(agent, ticket, "reply", **{"reply-text": "", "reply-status": "pending"})
    assert response.status_code == 400
    assert re.search(
        r'id="id_reply-text".*?class="field__error"[^>]*>Fill this in; it is needed.', response.content.decode(), re.S
    )
    assert ticket.messages.filter(direction=Direction.OUT, automatic="").count() == 0
    assert kinds(ticket) == before


def test_a_note_marks_its_mentions(agent: Client, ticket: Ticket) -> None:
    response = act(agent, ticket, "note", **{"note-text": "@maria can you check the stock?"})
    assert response.status_code == 303
    assert '<mark class="mention">@maria</mark> can you check the stock?' in page(agent, ticket)
    assert kinds(ticket)[-1] == "support.note_added"


def test_claim_assign_and_unassign(agent: Client, ticket: Ticket, make_staff: Any) -> None:
    make_staff("owner", "nikos")
    assert act(agent, ticket, "claim").status_code == 303
    ticket.refresh_from_db()
    assert ticket.assignee_id == user("eleni").pk
    assert act(agent, ticket, "assign", **{"assign-assignee": str(user("nikos").pk)}).status_code == 303
    ticket.refresh_from_db()
    assert ticket.assignee_id == user("nikos").pk
    refused = act(agent, ticket, "assign", **{"assign-assignee": "99999"})
    assert refused.status_code == 400
    assert "Choose one of the options in the list." in refused.content.decode()
    assert act(agent, ticket, "unassign").status_code == 303
    ticket.refresh_from_db()
    assert ticket.assignee_id is None
    assert kinds(ticket)[-3:] == ["support.ticket_assigned"] * 3


def test_status_and_classification(agent: Client, ticket: Ticket) -> None:
    assert act(agent, ticket, "status", **{"status-status": "solved"}).status_code == 303
    response = act(
        agent,
        ticket,
        "classify",
        **{"classify-topic": "delivery", "classify-priority": "urgent", "classify-tags": "Courier, late"},
    )
    assert response.status_code == 303
    ticket.refresh_from_db()
    assert (ticket.status, ticket.topic, ticket.priority, ticket.tags) == (
        "solved",
        "delivery",
        "urgent",
        ["courier", "late"],
    )
    assert kinds(ticket)[-2:] == ["support.ticket_status_changed", "support.ticket_classified"]
    refused = act(agent, ticket, "classify", **{"classify-topic": "weather", "classify-priority": "urgent"})
    assert refused.status_code == 400
    assert re.search(r'id="action-classify" open', refused.content.decode())


def test_linking_another_of_the_customers_orders(agent: Client, ticket: Ticket, api: Client) -> None:
    second = place(api)
    assert act(agent, ticket, "link_order", **{"link-order": second}).status_code == 303
    ticket.refresh_from_db()
    assert ticket.order is not None
    assert ticket.order.display_number == second
    assert kinds(ticket)[-1] == "support.ticket_linked"


def test_a_call_logged_on_the_ticket(agent: Client, ticket: Ticket) -> None:
    response = act(
        agent,
        ticket,
        "call",
        **{
            "call-outcome": "solved",
            "call-direction": "out",
            "call-notes": "Called: exchange agreed.",
            "call-minutes": "6",
        },
    )
    assert response.status_code == 303
    call = ticket.messages.get(channel=Channel.PHONE)
    ticket.refresh_from_db()
    assert (call.direction, call.call_outcome, call.minutes_spent, ticket.status) == ("out", "solved", 6, "solved")
    assert 'data-outcome="solved"' in page(agent, ticket)
    assert "support.call_logged" in kinds(ticket)


def test_resend_the_tracking_link_answers_with_the_status_page(agent: Client, ticket: Ticket) -> None:
    assert act(agent, ticket, "resend_tracking").status_code == 303
    answer = ticket.messages.filter(direction=Direction.OUT, automatic="").get()
    assert "/status/" in answer.text
    assert ticket.order is not None
    assert ticket.order.shipments.get().tracking_number in answer.text
    assert kinds(ticket)[-1] == "support.ticket_status_changed"


def test_send_a_coupon_issues_it_and_answers_with_its_code(agent: Client, ticket: Ticket) -> None:
    response = act(
        agent, ticket, "coupon", **{"coupon-kind": "percent", "coupon-value": "10", "coupon-valid_days": "30"}
    )
    assert response.status_code == 303
    coupon = Coupon.objects.get()
    answer = ticket.messages.filter(direction=Direction.OUT, automatic="").get()
    assert (coupon.customer_id, coupon.value) == (ticket.customer_id, Decimal("10"))
    assert coupon.code in answer.text
    refused = act(
        agent, ticket, "coupon", **{"coupon-kind": "percent", "coupon-value": "150", "coupon-valid_days": "30"}
    )
    assert refused.status_code == 400
    assert Coupon.objects.count() == 1


def test_starting_a_return_from_the_ticket(agent: Client, ticket: Ticket) -> None:
    form = agent.get(f"/support/{ticket.public_id}/return/")
    assert form.status_code == 200
    with clock.frozen_at(TUESDAY):
        refused = agent.post(
            f"/support/{ticket.public_id}/return/",
            {"line-0-quantity": "5", "reason": "wrong_size", "condition": "unopened", "resolution": "refund"},
        )
        nothing = agent.post(
            f"/support/{ticket.public_id}/return/",
            {"line-0-quantity": "0", "reason": "wrong_size", "condition": "unopened", "resolution": "refund"},
        )
        done = agent.post(
            f"/support/{ticket.public_id}/return/",
            {"line-0-quantity": "1", "reason": "wrong_size", "condition": "unopened", "resolution": "refund"},
        )
    assert refused.status_code == 400
    assert 'class="field__error"' in refused.content.decode()
    assert nothing.status_code == 400
    assert "Give a quantity for at least one line." in nothing.content.decode()
    assert done.status_code == 303
    ret = Return.objects.get()
    assert (ret.channel, ret.lines.get().quantity) == ("desk", 1)


# --- live parts --------------------------------------------------------------------------------------------


def test_the_collision_warning_names_the_other_agent(agent: Client, ticket: Ticket, make_staff: Any) -> None:
    other = make_staff("support", "nikos")
    User.objects.filter(username="eleni").update(first_name="Eleni")
    with clock.frozen_at(TUESDAY):
        page(agent, ticket)
        viewing = other.post(f"/support/{ticket.public_id}/presence/", {"is_replying": "0"}).content.decode()
        agent.post(f"/support/{ticket.public_id}/presence/", {"is_replying": "1"})
        replying = other.post(f"/support/{ticket.public_id}/presence/").content.decode()
    with clock.frozen_at(TUESDAY + dt.timedelta(seconds=31)):
        gone = other.post(f"/support/{ticket.public_id}/presence/").content.decode()
    assert "<bdi>Eleni</bdi> is also viewing this ticket" in viewing
    assert "<bdi>Eleni</bdi> is also replying to this ticket" in replying
    assert "Eleni" not in gone
    assert Viewer.objects.count() == 2


def test_the_conversation_refreshes_only_when_the_customer_wrote(agent: Client, ticket: Ticket) -> None:
    body = page(agent, ticket)
    seen = re.search(r"conversation/\?seen=([\w-]+)", body)
    assert seen is not None
    url = f"/support/{ticket.public_id}/conversation/"
    assert agent.get(url, {"seen": seen.group(1)}).status_code == 204
    services.add_customer_message(
        ticket=ticket,
        message=services.Inbound(channel=Channel.CHAT, text="Are you there?", sender="Maria"),
        actor=SYSTEM,
    )
    fresh = agent.get(url, {"seen": seen.group(1)})
    assert fresh.status_code == 200
    assert "Are you there?" in fresh.content.decode()


# --- a call from the order page --------------------------------------------------------------------------------


def test_a_call_is_logged_in_one_step_from_the_order_page(agent: Client, order: Order) -> None:
    assert 'id="log-call-form"' in agent.get(f"/orders/{order.display_number}/").content.decode()
    assert 'id="log-call-form"' in agent.get(f"/customers/{order.customer.public_id}/").content.decode()
    with clock.frozen_at(TUESDAY):
        refused = agent.post(
            "/support/calls/",
            {"order": order.display_number, "call-outcome": "solved", "call-direction": "in", "call-notes": ""},
        )
        assert refused.status_code == 400
        assert Ticket.objects.count() == 0
        response = agent.post(
            "/support/calls/",
            {
                "order": order.display_number,
                "call-outcome": "follow_up",
                "call-direction": "in",
                "call-notes": "Asked when it ships.",
            },
        )
    opened = Ticket.objects.get()
    assert response.status_code == 303
    assert response["Location"] == f"/support/{opened.public_id}/"
    assert (opened.channel, opened.order_id, opened.messages.get().call_outcome) == ("phone", order.pk, "follow_up")


# --- the owner's settings --------------------------------------------------------------------------------------


def test_the_owner_saves_a_macro_and_an_sla_target(owner: Client) -> None:
    response = owner.post(
        "/support/settings/macros/new/",
        {
            "name": "Where is it",
            "body_en": "Hi {customer_name}: {tracking_link}",
            "body_he": "שלום {customer_name}",
            "set_status": "pending",
            "set_topic": "delivery",
            "add_tags": "wismo",
            "asks_for": "",
            "position": "1",
        },
    )
    assert response.status_code == 303
    macro = Macro.objects.get()
    assert (macro.bodies, macro.add_tags) == (
        {"en": "Hi {customer_name}: {tracking_link}", "he": "שלום {customer_name}"},
        ["wismo"],
    )
    target = owner.post(
        "/support/settings/",
        {
            "target-priority": "high",
            "target-topic": "payment",
            "target-first_response_minutes": "30",
            "target-next_response_minutes": "60",
            "target-resolution_minutes": "240",
        },
    )
    assert target.status_code == 303
    assert SlaTarget.objects.filter(priority="high", topic="payment", first_response_minutes=30).count() == 1
    assert list(Event.objects.filter(topic__startswith="support.").order_by("pk").values_list("topic", flat=True)) == [
        "support.macro_saved",
        "support.sla_target_saved",
    ]


def test_settings_refusals_stay_next_to_the_field(owner: Client) -> None:
    macro = owner.post("/support/settings/macros/new/", {"name": "Bad", "body_en": "Hi {first_name}", "position": "0"})
    target = owner.post(
        "/support/settings/",
        {
            "target-priority": "high",
            "target-topic": "",
            "target-first_response_minutes": "60",
            "target-next_response_minutes": "60",
            "target-resolution_minutes": "30",
        },
    )
    assert macro.status_code == 400
    assert re.search(
        r'id="id_body_en".*?class="field__error"[^>]*>\{first_name\} is no placeholder', macro.content.decode(), re.S
    )
    assert target.status_code == 400
    assert re.search(
        r'id="id_target-resolution_minutes".*?class="field__error"[^>]*>Solving cannot be due',
        target.content.decode(),
        re.S,
    )
    assert (
        Macro.objects.count(),
        SlaTarget.objects.count(),
        Event.objects.filter(topic__startswith="support.").count(),
    ) == (0, 0, 0)
