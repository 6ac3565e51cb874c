"""Filters for the support desk: a ticket's SLA badge, working-time durations, and @mentions
marked in a note."""

from __future__ import annotations

import re

from django import template
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from emporos.core import clock
from emporos.desk.templatetags.desk import clock_time, short_moment
from emporos.shop import selectors as shop
from emporos.support import labels, queue

register = template.Library()

MENTION = re.compile(r"(?<![\w@])@([A-Za-z0-9_.+-]{1,150})")


@register.filter
def working_duration(minutes: int) -> str:
    """'35 min', '2 h 10 min': working minutes as a person reads them."""
    minutes = abs(int(minutes))
    hours, rest = divmod(minutes, 60)
    if hours:
        return _("%(hours)s h %(minutes)s min") % {"hours": hours, "minutes": rest}
    return _("%(minutes)s min") % {"minutes": rest}


@register.simple_tag
def sla_badge(state: queue.SlaState | None) -> SafeString:
    """Red "breached 35 min ago", amber "due in 20 min", neutral "due 14:00" (another day: its date)."""
    if state is None:
        return mark_safe("")
    if state.kind == queue.BREACHED:
        text = _("breached %(duration)s ago") % {"duration": working_duration(state.minutes)}
    elif state.kind == queue.SOON:
        text = _("due in %(duration)s") % {"duration": working_duration(state.minutes)}
    else:
        zone = shop.time_zone()
        same_day = state.due_at.astimezone(zone).date() == clock.now().astimezone(zone).date()
        text = _("due %(when)s") % {"when": clock_time(state.due_at) if same_day else short_moment(state.due_at)}
    return format_html(
        '<span class="badge sla sla--{}" data-sla="{}"><time datetime="{}">{}</time></span>',
        state.kind,
        state.kind,
        state.due_at.isoformat(),
        text,
    )


@register.filter
def mentions(text: str) -> SafeString:
    """The text escaped, each @username marked."""
    escaped = str(escape(text))
    return mark_safe(MENTION.sub(r'<mark class="mention">@\1</mark>', escaped))  # noqa: S308 - escaped above


@register.filter
def support_label(code: str, axis: str) -> str:
    """{{ ticket.topic|support_label:"topic" }}: the word for a ticket's code in the page's language."""
    return labels.label(axis, str(code))


@register.simple_tag
def call_outcome_choices() -> list[tuple[str, str]]:
    """The outcomes of a call, for the "Log a call" form on order and customer pages."""
    return labels.choices("call_outcome")
