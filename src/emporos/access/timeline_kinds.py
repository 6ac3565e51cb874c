"""How the timeline entries of a staff account read, in the reader's language."""

from __future__ import annotations

from django.utils.translation import gettext as _

from emporos.access import events
from emporos.access.labels import LABELS
from emporos.core.languages import name_of
from emporos.timeline.rendering import Facts, Text, Words, renders


def _role(code: str) -> str:
    return str(LABELS["role"].get(code, code))


@renders(events.StaffInvited, example={"user_id": 1, "role": "warehouse", "language": "el"})
def _invited(facts: Facts, words: Words) -> Text:
    return Text(
        _("Invited as %(role)s; the e-mail to choose a password is in %(language)s.")
        % {"role": _role(facts.text("role")), "language": name_of(facts.text("language"), reader=words.language)}
    )


@renders(
    events.StaffRoleSet,
    example={"user_id": 1, "role": "support", "previous_role": "warehouse"},
    more_examples=({"user_id": 1, "role": "owner"},),
)
def _role_set(facts: Facts, words: Words) -> Text:
    if not facts.has("previous_role"):
        return Text(_("Role: %(role)s.") % {"role": _role(facts.text("role"))})
    return Text(
        _("Role changed from %(previous)s to %(role)s.")
        % {"previous": _role(facts.text("previous_role")), "role": _role(facts.text("role"))}
    )


@renders(events.StaffDeactivated, example={"user_id": 1})
def _deactivated(facts: Facts, words: Words) -> Text:
    return Text(_("Deactivated: can no longer sign in."))


@renders(events.StaffReactivated, example={"user_id": 1})
def _reactivated(facts: Facts, words: Words) -> Text:
    return Text(_("Reactivated: can sign in again."))


@renders(
    events.StaffPasswordLinkSent,
    example={"user_id": 1, "purpose": "reset"},
    more_examples=({"user_id": 1, "purpose": "invite"},),
)
def _link_sent(facts: Facts, words: Words) -> Text:
    if facts.text("purpose") == "invite":
        return Text(_("Invitation sent again: a link to choose a password."))
    return Text(_("Sent a link to choose a new password."))
