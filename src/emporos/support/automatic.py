"""Mail no person wrote: bounces, auto-replies, bulk mail and the desk's own mail coming back.

Such mail never opens a ticket and never gets an acknowledgement (that is how mail loops start).
Pure: reads an email.message.Message, standard library only.
"""

from __future__ import annotations

import re
import unicodedata
from email.message import Message

__all__ = ["AUTO_REPLY", "BOUNCE", "BULK", "LOOP", "LOOP_HEADER", "automatic_reason"]

BOUNCE = "bounce"
AUTO_REPLY = "auto-reply"
BULK = "bulk"
LOOP = "loop"
# The desk puts it on every message it sends; a message carrying it is the desk's own, come back.
LOOP_HEADER = "X-Emporos-Loop"


def _values(message: Message, name: str) -> list[str]:
    """Every value of a header as received (these headers are ASCII tokens: no decoding needed)."""
    return [str(value) for key, value in message.raw_items() if key.lower() == name]


def _collapsed(value: str) -> str:
    return " ".join(value.split())


def _folded(text: str) -> str:
    """Lower-case, accents off, whitespace collapsed: "ΕΚΤΟΣ Γραφείου" and "Εκτός γραφείου" compare equal."""
    decomposed = unicodedata.normalize("NFD", text)
    return " ".join("".join(c for c in decomposed if unicodedata.category(c) != "Mn").casefold().split())


# Subjects of auto-replies, at the start of the subject (clients put them before the original one).
_AUTO_REPLY_SUBJECTS = (
    "out of office",
    "out of the office",
    "automatic reply",
    "auto reply",
    "auto-reply",
    "autoreply",
    "auto response",
    "autoresponse",
    "abwesenheitsnotiz",
    "automatische antwort",
    "réponse automatique",
    "αυτόματη απάντηση",
    "εκτός γραφείου",
    "odpowiedź automatyczna",
    "autoodpowiedź",
    "מענה אוטומטי",
    "אני מחוץ למשרד",
)
# A word a customer could start a subject with ("Nieobecność w domu" - not home for the courier)
# counts only as the whole subject or before a colon.
_AUTO_REPLY_WORDS = ("nieobecność", "abwesend", "absence")
_AUTO_REPLY_SUBJECT = re.compile(
    "^(?:(?:{})(?!\\w)|(?:{})\\s*(?::|$))".format(
        "|".join(re.escape(_folded(phrase)) for phrase in _AUTO_REPLY_SUBJECTS),
        "|".join(re.escape(_folded(word)) for word in _AUTO_REPLY_WORDS),
    )
)


def _first_token(message: Message, name: str) -> str:
    """The first word of a header's first value, lower-cased ("auto-replied" of "auto-replied; x=y")."""
    values = _values(message, name)
    tokens = re.split(r"[\s;,]+", _collapsed(values[0]).lower()) if values else []
    return next((token for token in tokens if token), "")


def automatic_reason(message: Message, *, senders: list[str], subject: str) -> str:
    """Why a message is automatic ("loop", "bounce", "auto-reply", "bulk"), "" for a person's mail.

    Headers decide before the subject does, and the desk's own loop marker before anything."""
    if _values(message, LOOP_HEADER.lower()):
        return LOOP
    if message.get_content_type() == "multipart/report":
        return AUTO_REPLY if str(message.get_param("report-type", "")).lower() == "disposition-notification" else BOUNCE
    if any(address.partition("@")[0] in ("mailer-daemon", "postmaster") for address in senders):
        return BOUNCE
    if any(re.sub(r"\s", "", value) == "<>" for value in _values(message, "return-path")):
        return BOUNCE
    if _first_token(message, "auto-submitted") not in ("", "no"):
        return AUTO_REPLY
    if any(_first_token(message, name) not in ("", "no") for name in ("x-autoreply", "x-autorespond")):
        return AUTO_REPLY
    suppress = {
        token.strip().lower() for value in _values(message, "x-auto-response-suppress") for token in value.split(",")
    }
    if suppress & {"all", "oof", "autoreply"}:
        return AUTO_REPLY
    precedence = _first_token(message, "precedence")
    if precedence == "auto_reply":
        return AUTO_REPLY
    if precedence in ("bulk", "junk", "list") or _values(message, "list-id") or _values(message, "list-unsubscribe"):
        return BULK
    if _AUTO_REPLY_SUBJECT.match(_folded(subject)):
        return AUTO_REPLY
    return ""
