"""The chat on the order's status page: the customer's lines go into the order's chat conversation
(one, opened by the first line), the shop's answers appear on the next poll, notes and automatic
e-mails never; a poll that finds nothing new is a 204; outside opening hours the panel says the
answer comes by e-mail, and it does."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client

from emporos.core.actor import Actor
from emporos.orders import links
from emporos.orders.models import Order
from emporos.outbox import selectors as outbox
from emporos.support import services
from emporos.support.models import Channel, Direction, SendStatus, Status, Ticket
from tests.portal.support_helpers import last_event, text_of

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true"}


def chat_path(order: Order) -> str:
    return links.status_path(order) + "chat/"


def say(client: Client, order: Order, text: str, **headers: str) -> Any:
    return client.post(f"{chat_path(order)}?lang=en", {"text": text}, headers={**HTMX, **headers})


def lines_of(html: str) -> list[tuple[str, str, str]]:
    """(direction, who and when, text) of each line the panel shows."""
    found = re.findall(
        r'<li class="chat__line[^"]*" data-direction="(in|out)">\s*<p class="chat__meta">(.*?)</p>\s*'
        r'<p class="chat__text" dir="auto">(.*?)</p>',
        html,
        flags=re.S,
    )
    return [(direction, text_of(meta), text_of(text)) for direction, meta, text in found]


def state_of(html: str) -> str:
    return re.findall(r'data-state="([^"]+)"', html)[0]


def test_the_first_line_opens_the_orders_chat_and_the_next_lines_join_it(open_hours: None, shop_order: Order) -> None:
    since = last_event()
    client = Client()

    first = say(client, shop_order, "Hello, can I still change the address?")

    assert first.status_code == 200
    ticket = Ticket.objects.get()
    assert (ticket.channel, ticket.order_id, ticket.customer_id, ticket.status, ticket.by_email) == (
        Channel.CHAT,
        shop_order.pk,
        shop_order.customer_id,
        Status.OPEN,
        False,
    )
    assert ticket.subject == f"Chat about order {shop_order.display_number}"
    # In opening hours a person answers in the chat: no e-mail acknowledgement.
    assert outbox.topics(since=since) == ["support.ticket_opened"]
    assert lines_of(first.content.decode()) == [("in", "You · 10:00", "Hello, can I still change the address?")]
    assert "by Tuesday 1 Dec 2026 14:00 at the latest" in text_of(first.content.decode())

    second = say(client, shop_order, "It should go to Ερμού 12.")

    assert second.status_code == 200
    assert Ticket.objects.count() == 1
    assert [line[2] for line in lines_of(second.content.decode())] == [
        "Hello, can I still change the address?",
        "It should go to Ερμού 12.",
    ]
    assert list(ticket.messages.values_list("direction", "channel")) == [
        (Direction.IN, Channel.CHAT),
        (Direction.IN, Channel.CHAT),
    ]


def test_the_shops_answer_appears_on_the_next_poll_and_notes_never(open_hours: None, shop_order: Order) -> None:
    client = Client()
    posted = say(client, shop_order, "Where is my parcel?")
    seen = state_of(posted.content.decode())
    ticket = Ticket.objects.get()

    # Nothing new: the poll changes nothing on the page.
    unchanged = client.get(chat_path(shop_order), {"seen": seen, "lang": "en"}, headers=HTMX)
    assert unchanged.status_code == 204

    agent = User.objects.create_user("eleni", first_name="Ελένη")
    services.add_note(ticket=ticket, text="Courier says it is at the depot.", actor=Actor.staff("eleni"))
    services.reply(
        ticket=ticket, text="It is at the depot and goes out today.", actor=Actor.staff("eleni"), author=agent
    )

    polled = client.get(chat_path(shop_order), {"seen": seen, "lang": "en"}, headers=HTMX)

    assert polled.status_code == 200
    assert lines_of(polled.content.decode()) == [
        ("in", "You · 10:00", "Where is my parcel?"),
        ("out", "Ελένη · 10:00", "It is at the depot and goes out today."),
    ]
    answer = ticket.messages.get(direction=Direction.OUT)
    assert (answer.channel, answer.send_status) == (Channel.CHAT, SendStatus.NONE)  # said in the chat, not mailed
    # Waiting for the customer now: the panel polls on (the ticket is not solved).
    assert 'hx-trigger="every 3s"' in polled.content.decode()


def test_a_solved_chat_stops_the_polling_and_a_new_line_opens_a_new_one(open_hours: None, shop_order: Order) -> None:
    client = Client()
    say(client, shop_order, "Thanks, all good.")
    ticket = Ticket.objects.get()
    services.set_status(ticket=ticket, status=Status.SOLVED, actor=Actor.staff("eleni"))

    panel = client.get(f"{chat_path(shop_order)}?lang=en", headers=HTMX)

    assert panel.status_code == 200
    assert "hx-trigger" not in panel.content.decode()
    assert [line[2] for line in lines_of(panel.content.decode())] == ["Thanks, all good."]

    say(client, shop_order, "One more question.")

    assert Ticket.objects.filter(channel=Channel.CHAT).count() == 2
    assert Ticket.objects.get(pk=ticket.pk).status == Status.SOLVED


def test_outside_opening_hours_the_panel_says_the_answer_comes_by_email(closed_hours: None, shop_order: Order) -> None:
    client = Client()
    before = text_of(client.get(f"{chat_path(shop_order)}?lang=en", headers=HTMX).content.decode())
    assert before == (
        "We are not at our desks right now. Write anyway: we will answer you by e-mail. "
        "We are back on Monday 7 Dec 2026 09:00."
    )
    since = last_event()

    posted = say(client, shop_order, "Is the shop open on Sunday?")

    ticket = Ticket.objects.get()
    assert (ticket.channel, ticket.by_email) == (Channel.CHAT, True)
    assert outbox.topics(since=since) == ["support.ticket_opened", "support.ticket_acknowledged"]
    # Normal priority: 240 working minutes from Monday 09:00.
    assert (
        "We are not at our desks right now. A person from our team will answer you by e-mail by "
        "Monday 7 Dec 2026 13:00."
    ) in text_of(posted.content.decode())
    # The automatic acknowledgement is an e-mail, not a chat line.
    assert [line[0] for line in lines_of(posted.content.decode())] == ["in"]

    services.reply(ticket=ticket, text="Closed on Sundays.", actor=Actor.staff("eleni"))

    answer = ticket.messages.get(direction=Direction.OUT, automatic="")
    assert answer.send_status == SendStatus.PENDING  # goes out by e-mail too


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("   ", "Write your message first."),
        (
            "x" * 2001,
            "A chat message has at most 2,000 characters; send it in parts or use the contact form.",
        ),
        ("Hi\x00", "Your message holds an invisible control character; remove it and send again."),
    ],
    ids=["empty", "too-long", "nul"],
)
def test_a_refused_line_says_why_and_writes_nothing(open_hours: None, shop_order: Order, text: str, words: str) -> None:
    response = say(Client(), shop_order, text)

    assert response.status_code == 400
    assert text_of(response.content.decode().split('id="chat-error"')[1].split("</p>")[0].split(">", 1)[1]) == words
    assert not Ticket.objects.exists()


def test_too_many_lines_from_one_address_wait(open_hours: None, shop_order: Order) -> None:
    client = Client(REMOTE_ADDR="198.51.100.7")
    for number in range(40):
        assert say(client, shop_order, f"Line {number}").status_code == 200

    refused = say(client, shop_order, "One more")

    assert refused.status_code == 429
    assert "Please wait 15 minutes and write again." in text_of(refused.content.decode())
    assert Ticket.objects.get().messages.count() == 40


def test_without_javascript_a_line_goes_back_to_the_order_page(open_hours: None, shop_order: Order) -> None:
    response = Client().post(f"{chat_path(shop_order)}?lang=el", {"text": "Γεια σας"})

    assert response.status_code == 303
    assert response["Location"] == f"{links.status_path(shop_order)}?lang=el#chat"
    assert Ticket.objects.get().messages.get().text == "Γεια σας"


def test_a_tampered_link_is_refused(open_hours: None, shop_order: Order) -> None:
    token = links.status_token(shop_order)

    assert Client().get(f"/status/{token}x/chat/", headers=HTMX).status_code == 404
    assert Client().post(f"/status/{token}x/chat/", {"text": "Hi"}, headers=HTMX).status_code == 404
    assert not Ticket.objects.exists()


def test_the_order_page_carries_the_chat_panel(open_hours: None, shop_order: Order) -> None:
    path = links.status_path(shop_order)
    html = Client().get(f"{path}?lang=en").content.decode()

    chat = f"{path}chat/?lang=en"
    assert f'<form class="chat__form" id="chat-form" method="post" action="{chat}" hx-post="{chat}"' in html
    assert 'name="csrfmiddlewaretoken"' in html
    assert "/static/django_htmx/htmx-2.min.js" in html
    assert f'<a id="contact-link" href="{path}contact/?lang=en">' in html
    # No conversation yet: nothing to poll.
    assert "hx-trigger" not in html.split('id="chat-log"')[1].split(">")[0]
