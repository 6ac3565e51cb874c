"""What support's e-mails say, in the ticket's language and the shop's tone: the acknowledgement
with its reply-by time, the subject line of a conversation, the footer of an answer and the
question after a ticket is solved."""

from __future__ import annotations

import datetime as dt

from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from emporos.core import formats
from emporos.fulfillment.labels import label as fulfillment_label
from emporos.fulfillment.models import DelayCase
from emporos.orders.models import Order
from emporos.shop import selectors as shop
from emporos.shop.models import FormOfAddress, Tone
from emporos.support.models import Ticket


def _language(ticket: Ticket) -> str:
    return ticket.language if ticket.language in ("en", "el", "pl", "he") else "en"


def reply_by_text(moment: dt.datetime, *, language: str) -> str:
    """'Tuesday 2 Dec 2026 11:00' in the reader's language and the shop's time zone."""
    current = shop.current()
    with translation.override(language):
        weekday = formats.weekday(moment, language=language, time_zone=current.time_zone)
        return f"{weekday} {formats.datetime(moment, language=language, time_zone=current.time_zone)}"


def subject(ticket: Ticket) -> str:
    """The conversation's subject line; the [#number] tag lets a reply find its ticket again."""
    return f"{ticket.subject} [#{ticket.number}]"


def acknowledgement_subject(ticket: Ticket) -> str:
    with translation.override(_language(ticket)):
        return _("We have your message: %(subject)s") % {"subject": subject(ticket)}


def greeting(ticket: Ticket) -> str:
    current = shop.current()
    name = ticket.customer.name.split()[0] if ticket.customer.name.strip() else ""
    informal = current.form_of_address == FormOfAddress.INFORMAL
    if not name:
        return _("Hello,")
    if current.tone == Tone.FORMAL:
        return (pgettext("informal", "Dear %(name)s,") if informal else _("Dear %(name)s,")) % {"name": name}
    return (pgettext("informal", "Hi %(name)s,") if informal else _("Hello %(name)s,")) % {"name": name}


def acknowledgement(ticket: Ticket) -> str:
    """The answer a customer gets at once: a person will answer by a concrete time."""
    language = _language(ticket)
    assert ticket.reply_by is not None
    when = reply_by_text(ticket.reply_by, language=language)
    with translation.override(language):
        lines = [
            greeting(ticket),
            "",
            _("Thank you for writing to us. A person from our team will answer you by %(when)s.") % {"when": when},
        ]
        if ticket.order_id is not None:
            lines.append(
                _("We can see your order %(order)s, so there is no need to send us its details again.")
                % {"order": ticket.order.display_number if ticket.order else ""}
            )
        lines += [
            _("To add anything, reply to this e-mail; your reference is #%(number)s.") % {"number": ticket.number},
            "",
            shop.current().name,
        ]
    return "\n".join(lines)


def answer_footer(ticket: Ticket, *, agent: str) -> str:
    with translation.override(_language(ticket)):
        signed = f"{agent}, {shop.current().name}" if agent else shop.current().name
        follow_up = _("Reply to this e-mail to continue; your reference is #%(number)s.") % {"number": ticket.number}
        return "\n".join(["", "—", signed, follow_up])


def survey_subject(ticket: Ticket) -> str:
    with translation.override(_language(ticket)):
        return _("How did we do? %(subject)s") % {"subject": subject(ticket)}


def survey(ticket: Ticket, *, link: str) -> str:
    with translation.override(_language(ticket)):
        return "\n".join(
            [
                greeting(ticket),
                "",
                _("We marked your request #%(number)s as solved.") % {"number": ticket.number},
                _("Two clicks tell us how it went and how easy it was: %(link)s") % {"link": link},
                _("If something is still not right, simply reply to this e-mail and the conversation opens again."),
                "",
                shop.current().name,
            ]
        )


def _case_language(case: DelayCase) -> str:
    language = case.order.customer.language
    return language if language in ("en", "el", "pl", "he") else "en"


def delay_case_subject(case: DelayCase) -> str:
    """The subject of the shop's own case about a late parcel (later the subject of its e-mails)."""
    with translation.override(_case_language(case)):
        return _("Your parcel for order %(order)s") % {"order": case.order.display_number}


def delay_case_note(case: DelayCase) -> str:
    with translation.override(_case_language(case)):
        text = _("Parcel %(tracking)s: %(reason)s. Tell the customer before they have to ask.") % {
            "tracking": case.shipment.tracking_number,
            "reason": str(fulfillment_label("delay_reason", case.reason)).lower(),
        }
        return f"{text}\n{case.detail}".strip()


def _order_language(order: Order) -> str:
    language = order.customer.language
    return language if language in ("en", "el", "pl", "he") else "en"


def bad_answer_subject(order: Order) -> str:
    """The subject of the ticket a bad answer to the satisfaction check opens."""
    with translation.override(_order_language(order)):
        return _("How it went with order %(order)s") % {"order": order.display_number}


def bad_answer_note(order: Order, *, score: int) -> str:
    with translation.override(_order_language(order)):
        return _("Rated the order %(score)s of 5, with no comment.") % {"score": score}
