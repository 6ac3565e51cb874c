"""How support's timeline entries read, in the reader's language."""

from __future__ import annotations

from django.utils.translation import gettext as _

from emporos.support import events
from emporos.support.inbound import InboundMailStored
from emporos.support.labels import label
from emporos.timeline.rendering import Facts, Text, Words, renders

_TICKET = {"ticket_id": 1, "number": 1042}


def _name(facts: Facts) -> str:
    return f"#{facts.number('number')}"


@renders(
    events.TicketOpened,
    example={
        **_TICKET,
        "channel": "email",
        "topic_code": "delivery",
        "priority": "normal",
        "customer_id": 1,
        "order_id": 7,
    },
    more_examples=(
        {
            **_TICKET,
            "channel": "proactive",
            "topic_code": "delivery",
            "priority": "high",
            "customer_id": 1,
            "order_id": None,
        },
    ),
)
def _opened(facts: Facts, words: Words) -> Text:
    values = {
        "ticket": _name(facts),
        "channel": label("channel", facts.text("channel")).lower(),
        "topic": label("topic", facts.text("topic_code")).lower(),
    }
    if facts.text("channel") == "proactive":
        return Text(_("Ticket %(ticket)s opened by the shop (%(topic)s).") % values)
    return Text(_("Ticket %(ticket)s opened: the customer wrote by %(channel)s (%(topic)s).") % values)


@renders(events.TicketAcknowledged, example={**_TICKET, "message_id": 3, "reply_by": "2026-12-02T11:00:00+00:00"})
def _acknowledged(facts: Facts, words: Words) -> Text:
    return Text(_("Ticket %(ticket)s acknowledged: the customer was promised an answer.") % {"ticket": _name(facts)})


@renders(
    events.CustomerWrote,
    example={**_TICKET, "message_id": 3, "channel": "email", "reopened": False},
    more_examples=({**_TICKET, "message_id": 4, "channel": "chat", "reopened": True},),
)
def _customer_wrote(facts: Facts, words: Words) -> Text:
    values = {"ticket": _name(facts), "channel": label("channel", facts.text("channel")).lower()}
    if facts.values.get("reopened") is True:
        return Text(_("The customer wrote again by %(channel)s; ticket %(ticket)s opened again.") % values)
    return Text(_("The customer wrote again by %(channel)s (ticket %(ticket)s).") % values)


@renders(
    events.TicketReplied,
    example={**_TICKET, "message_id": 5, "channel": "email", "by_email": True},
    more_examples=({**_TICKET, "message_id": 6, "channel": "chat", "by_email": False},),
)
def _replied(facts: Facts, words: Words) -> Text:
    values = {"ticket": _name(facts)}
    if facts.values.get("by_email") is True:
        return Text(_("Answered the customer by e-mail (ticket %(ticket)s).") % values)
    return Text(_("Answered the customer in the chat (ticket %(ticket)s).") % values)


@renders(events.NoteAdded, example={**_TICKET, "message_id": 7, "mentions": ["maria"]})
def _note(facts: Facts, words: Words) -> Text:
    return Text(_("Internal note added to ticket %(ticket)s.") % {"ticket": _name(facts)})


@renders(
    events.CallLogged,
    example={**_TICKET, "message_id": 8, "outcome": "solved", "inbound": True},
    more_examples=({**_TICKET, "message_id": 9, "outcome": "no_answer", "inbound": False},),
)
def _call(facts: Facts, words: Words) -> Text:
    values = {"ticket": _name(facts), "outcome": label("call_outcome", facts.text("outcome")).lower()}
    if facts.values.get("inbound") is True:
        return Text(_("The customer called (ticket %(ticket)s): %(outcome)s.") % values)
    return Text(_("Called the customer (ticket %(ticket)s): %(outcome)s.") % values)


@renders(events.CallbackRequested, example={**_TICKET, "callback_id": 2, "slot": "2026-12-02T09:00:00+00:00"})
def _callback(facts: Facts, words: Words) -> Text:
    return Text(_("The customer asked to be called back (ticket %(ticket)s).") % {"ticket": _name(facts)})


@renders(
    events.TicketStatusChanged,
    example={**_TICKET, "status_from": "open", "status_to": "solved"},
    more_examples=({**_TICKET, "status_from": "open", "status_to": "pending"},),
)
def _status(facts: Facts, words: Words) -> Text:
    values = {"ticket": _name(facts), "status": label("status", facts.text("status_to")).lower()}
    return Text(_("Ticket %(ticket)s is now: %(status)s.") % values)


@renders(
    events.TicketAssigned,
    example={**_TICKET, "assignee_id": 2, "assignee": "maria"},
    more_examples=({**_TICKET, "assignee_id": None, "assignee": ""},),
)
def _assigned(facts: Facts, words: Words) -> Text:
    if not facts.text("assignee"):
        return Text(_("Ticket %(ticket)s left to anyone.") % {"ticket": _name(facts)})
    return Text(_("Ticket %(ticket)s assigned to %(name)s.") % {"ticket": _name(facts), "name": facts.text("assignee")})


@renders(events.TicketClassified, example={**_TICKET, "topic_code": "payment", "priority": "high", "tags": ["cod"]})
def _classified(facts: Facts, words: Words) -> Text:
    values = {
        "ticket": _name(facts),
        "topic": label("topic", facts.text("topic_code")).lower(),
        "priority": label("priority", facts.text("priority")).lower(),
    }
    return Text(_("Ticket %(ticket)s: topic %(topic)s, priority %(priority)s.") % values)


@renders(
    events.TicketLinked,
    example={**_TICKET, "order_id": 7},
    more_examples=({**_TICKET, "order_id": 7, "return_id": 3},),
)
def _linked(facts: Facts, words: Words) -> Text:
    if facts.values.get("return_id") is not None:
        return Text(_("Ticket %(ticket)s tied to a return of the order.") % {"ticket": _name(facts)})
    return Text(_("Ticket %(ticket)s tied to the order.") % {"ticket": _name(facts)})


@renders(
    events.TicketRated,
    example={**_TICKET, "satisfaction": 2, "effort": 4},
    more_examples=({**_TICKET, "satisfaction": None, "effort": 2},),
)
def _rated(facts: Facts, words: Words) -> Text:
    values = {"ticket": _name(facts)}
    if facts.values.get("satisfaction") is None:
        return Text(
            _("The customer said how easy ticket %(ticket)s was: %(effort)s of 5.")
            % {**values, "effort": words.number(facts.number("effort"))}
        )
    return Text(
        _("The customer rated ticket %(ticket)s: %(score)s of 5.")
        % {**values, "score": words.number(facts.number("satisfaction"))}
    )


@renders(events.SupportMessageFailed, example={**_TICKET, "message_id": 5})
def _failed(facts: Facts, words: Words) -> Text:
    return Text(_("An e-mail of ticket %(ticket)s could not be sent.") % {"ticket": _name(facts)})


@renders(events.CustomersMerged, example={"kept_id": 1, "merged_id": 2, "moved": 5})
def _merged(facts: Facts, words: Words) -> Text:
    return Text(_("Two customer records merged into this one."))


@renders(InboundMailStored, example={"mail_id": 1})
def _stored(facts: Facts, words: Words) -> Text:
    return Text(_("An e-mail reached the support mailbox."))


# The settings' renderers live apart (the desk helper's module); importing them here registers them.
from emporos.support import timeline_kinds_settings  # noqa: E402, F401
