"""What a ticket's timeline entries are about: the ticket, its customer, and its order when it has one."""

from __future__ import annotations

from emporos.support.models import Ticket
from emporos.timeline.models import SubjectKind
from emporos.timeline.services import About


def about_ticket(ticket: Ticket) -> list[About]:
    about = [About(SubjectKind.TICKET, ticket.pk), About(SubjectKind.CUSTOMER, ticket.customer_id)]
    if ticket.order_id is not None:
        about.append(About(SubjectKind.ORDER, ticket.order_id))
    return about
