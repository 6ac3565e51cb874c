"""One raw inbound e-mail (RFC 5322 bytes, as SMTP or IMAP hands it over) as the support desk reads it.

Pure: no models, no database, standard library only (email with policy.default, html.parser).
parse() never raises: a header it cannot read is left empty, a body in a missing or unknown charset
is read as UTF-8, else Windows-1252, and if the email package gives up altogether the result still
carries an id hashed from the raw bytes and the text after the headers. Every string it returns is
safe to store: no NUL characters, no lone surrogates.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import mimetypes
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from email import policy
from email.errors import MessageError
from email.message import EmailMessage, Message
from email.parser import BytesParser
from email.utils import getaddresses, parsedate_to_datetime
from typing import Any

from emporos.support.automatic import automatic_reason
from emporos.support.htmltext import html_to_text
from emporos.support.mailtext import order_numbers, return_numbers, trim_reply

__all__ = ["Attachment", "ParsedMail", "order_numbers", "parse", "return_numbers", "trim_reply"]

# What the email package raises on hostile input (parsing headers, dates, payloads, charsets).
_ERRORS = (ValueError, TypeError, LookupError, AttributeError, AssertionError, ArithmeticError, MessageError)
_MAX_DEPTH = 40
# More multipart containers than this is an attack, not a mail (the parser's cost grows with the
# square of the nesting): such a message is read for its headers only.
_MAX_MULTIPARTS = 100
_MAX_HEADER_CHARS = 4_000


@dataclass(frozen=True)
class Attachment:
    filename: str
    content_type: str
    content: bytes


@dataclass(frozen=True)
class ParsedMail:
    message_id: str
    in_reply_to: tuple[str, ...]
    references: tuple[str, ...]
    sender_email: str
    sender_name: str
    reply_to: str
    recipients: tuple[str, ...]
    subject: str
    sent_at: dt.datetime | None
    text: str
    new_text: str
    attachments: tuple[Attachment, ...]
    automatic: str
    language: str

    @property
    def is_automatic(self) -> bool:
        """Mail no person wrote: it never opens a ticket and never gets an acknowledgement."""
        return bool(self.automatic)


def parse(raw: bytes) -> ParsedMail:
    """The desk's reading of one raw message; degrades field by field, never raises.

    A hostile MIME structure (more than _MAX_MULTIPARTS boundaries, or nesting that exhausts the
    stack) is read for its headers only: the body is left empty. If even that fails, only the hashed
    id and the text after the headers remain."""
    raw = bytes(raw)
    for headers_only in (raw.lower().count(b"boundary=") > _MAX_MULTIPARTS, True):
        try:
            message = BytesParser(policy=policy.default).parsebytes(raw, headersonly=headers_only)
            return _read(message, raw)
        except Exception:  # noqa: BLE001, S112 -- the contract: any input degrades, nothing raises
            continue
    return _unreadable(raw)


def _read(message: Message, raw: bytes) -> ParsedMail:
    senders = _addresses(message, ("from",))
    sender_email, sender_name = next(((email, name) for name, email in senders if "@" in email), ("", ""))
    reply_to = next((email for _name, email in _addresses(message, ("reply-to",)) if "@" in email), "")
    recipients = _addresses(message, ("to", "cc", "delivered-to", "x-original-to"))
    subject = _header(message, "subject")
    body = _body(message)
    text = _body_text(body)
    return ParsedMail(
        message_id=_message_id(message, raw),
        in_reply_to=_ids(_raw_headers(message, "in-reply-to")),
        references=_ids(_raw_headers(message, "references")),
        sender_email=sender_email,
        sender_name=sender_name,
        reply_to=reply_to,
        recipients=tuple(dict.fromkeys(email for _name, email in recipients if "@" in email)),
        subject=subject,
        sent_at=_sent_at(message),
        text=text,
        new_text=trim_reply(text),
        attachments=tuple(_attachments(message, body)),
        automatic=automatic_reason(message, senders=[email for _name, email in senders], subject=subject),
        language=_language(message),
    )


def _unreadable(raw: bytes) -> ParsedMail:
    """What is left of a message the email package could not read: its id and the text after the headers."""
    head_and_body = re.split(rb"\r?\n\r?\n", raw, maxsplit=1)
    text = _tidy(_decode(head_and_body[-1] if len(head_and_body) > 1 else b"", None))
    return ParsedMail(
        message_id=_hashed_id(raw),
        in_reply_to=(),
        references=(),
        sender_email="",
        sender_name="",
        reply_to="",
        recipients=(),
        subject="",
        sent_at=None,
        text=text,
        new_text=trim_reply(text),
        attachments=(),
        automatic="",
        language="",
    )


# -- text cleaning ------------------------------------------------------------------------------

_SURROGATES = re.compile("[\ud800-\udfff]")
_CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f]")
_CHARSET_ALIASES = {
    "iso-8859-8-i": "iso-8859-8",
    "iso-8859-6-i": "iso-8859-6",
    "iso-8859-1": "cp1252",
    "latin1": "cp1252",
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "ks_c_5601-1987": "cp949",
}


def _decode(data: bytes, charset: str | None) -> str:
    """Bytes in the declared charset if they read in it, else as UTF-8, else as Windows-1252; never raises.

    Declared UTF-8 with a broken byte, or undeclared text with real UTF-8 sequences in it, keeps
    UTF-8 with U+FFFD for the broken bytes; only text with no UTF-8 in it is read as Windows-1252."""
    declared = (charset or "").strip().strip("\"'").lower()
    declared = _CHARSET_ALIASES.get(declared, declared)
    for candidate in filter(None, (declared, "utf-8")):
        try:
            return data.decode(candidate)
        except (UnicodeError, LookupError):  # LookupError: unknown, or not a text codec ("base64")
            continue
    as_utf8 = data.decode("utf-8", "replace")
    if declared.replace("_", "-") in ("utf-8", "utf8") or any(char > "\x7f" and char != "\ufffd" for char in as_utf8):
        return as_utf8
    try:
        return data.decode("cp1252")
    except UnicodeError:
        return as_utf8


def _unsurrogate(text: str) -> str:
    """Text the email package kept as surrogate escapes (raw 8-bit bytes), decoded properly."""
    if not _SURROGATES.search(text):
        return text
    try:
        return _decode(text.encode("utf-8", "surrogateescape"), None)
    except UnicodeError:
        return text.encode("utf-8", "replace").decode("utf-8")


def _clean_header(value: str) -> str:
    return " ".join(_CONTROLS.sub(" ", _unsurrogate(value)).split())


def _tidy(text: str) -> str:
    """Newlines normalised, control characters out, trailing spaces and blank ends gone."""
    text = _CONTROLS.sub("", _unsurrogate(text).replace("\r\n", "\n").replace("\r", "\n").replace("\t", "    "))
    return "\n".join(line.rstrip() for line in text.split("\n")).strip("\n")


# -- headers ------------------------------------------------------------------------------------


def _raw_headers(message: Message, name: str) -> list[str]:
    """Every value of a header as received (unfolded), without RFC 2047 decoding."""
    return [re.sub(r"\r?\n(?=[ \t])", "", str(value)) for key, value in message.raw_items() if key.lower() == name]


def _parsed_headers(message: Message, name: str) -> list[Any]:
    """The values of a header as policy.default's header objects, at most _MAX_HEADER_CHARS of them
    all told: its parser spends about a second on 40 kB of addresses."""
    values: list[str] = []
    budget = _MAX_HEADER_CHARS
    for value in _raw_headers(message, name):
        if budget <= 0:
            break
        values.append(value[:budget])
        budget -= len(value)
    return [policy.default.header_factory(name, value) for value in values]


def _header(message: Message, name: str) -> str:
    """The first value of a header, RFC 2047 decoded and whitespace collapsed; "" when missing."""
    values = _raw_headers(message, name)
    try:
        return _clean_header(str(_parsed_headers(message, name)[0])) if values else ""
    except _ERRORS:
        return _clean_header(values[0][:_MAX_HEADER_CHARS])


def _addresses(message: Message, names: Iterable[str]) -> list[tuple[str, str]]:
    """(display name, lower-cased addr-spec) pairs of the headers, in order; unreadable ones skipped."""
    pairs: list[tuple[str, str]] = []
    for name in names:
        try:
            headers = _parsed_headers(message, name)
            found = [(address.display_name, address.addr_spec) for header in headers for address in header.addresses]
        except _ERRORS:  # no address header in the registry (Delivered-To), or one it cannot parse
            try:
                found = getaddresses([value[:_MAX_HEADER_CHARS] for value in _raw_headers(message, name)])
            except _ERRORS:
                found = []
        pairs += [(_clean_header(display), _clean_header(address).lower()) for display, address in found]
    return [(display, address) for display, address in pairs if address and " " not in address]


_ID = re.compile(r"<([^<>\s]+)>")


def _ids(values: list[str]) -> tuple[str, ...]:
    """Message ids without <>, in order, each once; a bare id counts when it has an @."""
    found: list[str] = []
    for value in values:
        value = _clean_header(value)
        found += _ID.findall(value) or [token.strip("<>") for token in value.split() if "@" in token]
    return tuple(dict.fromkeys(ident for ident in found if ident))


def _hashed_id(raw: bytes) -> str:
    return f"sha256-{hashlib.sha256(raw).hexdigest()}@emporos.invalid"


def _message_id(message: Message, raw: bytes) -> str:
    value = _clean_header(next(iter(_raw_headers(message, "message-id")), ""))
    ids = _ID.findall(value) or value.replace("<", " ").replace(">", " ").split()
    return ids[0] if ids else _hashed_id(raw)


def _sent_at(message: Message) -> dt.datetime | None:
    value = next(iter(_raw_headers(message, "date")), "")
    try:
        sent_at = parsedate_to_datetime(_clean_header(value))
        if sent_at.tzinfo is None:  # "-0000": UTC, the sender's zone unknown
            sent_at = sent_at.replace(tzinfo=dt.UTC)
        return sent_at.astimezone(dt.UTC)
    except _ERRORS:
        return None


def _language(message: Message) -> str:
    match = re.search(r"[A-Za-z]{1,8}(?:-[A-Za-z0-9]{1,8})*", next(iter(_raw_headers(message, "content-language")), ""))
    return match.group().lower() if match else ""


# -- body and attachments -----------------------------------------------------------------------


def _body(message: Message) -> Message | None:
    """The part to read: text/plain preferred, text/html when the plain one is missing or blank."""
    if not isinstance(message, EmailMessage):
        return None
    fallback = None
    for kind in ("plain", "html"):
        try:
            part = message.get_body(preferencelist=(kind,))
        except (*_ERRORS, RecursionError):
            part = None
        if part is None:
            continue
        if _part_text(part).strip():
            return part
        fallback = fallback or part
    return fallback


def _part_text(part: Message) -> str:
    try:
        data = part.get_payload(decode=True)
        charset = part.get_content_charset()
    except _ERRORS:
        data, charset = None, None
    if not isinstance(data, bytes):
        payload = part.get_payload()
        data = payload.encode("utf-8", "surrogateescape") if isinstance(payload, str) else b""
    text = _decode(data, charset)
    if part.get_content_subtype() == "html":
        return html_to_text(text)
    if str(part.get_param("format", "")).lower() == "flowed":
        return _unflow(
            text.replace("\r\n", "\n").replace("\r", "\n"),
            delete_space=str(part.get_param("delsp", "")).lower() == "yes",
        )
    return text


def _unflow(text: str, *, delete_space: bool) -> str:
    """RFC 3676 format=flowed: soft line breaks (a trailing space) joined, space-stuffing undone."""
    lines: list[tuple[int, str]] = []
    soft = False
    for line in text.split("\n"):
        depth = len(line) - len(line.lstrip(">"))
        content = line[depth:].removeprefix(" ")
        if soft and lines and lines[-1][0] == depth:
            previous = lines[-1][1]
            lines[-1] = (depth, (previous[:-1] if delete_space else previous) + content)
        else:
            lines.append((depth, content))
        soft = content.endswith(" ") and content != "-- "
    return "\n".join((">" * depth + " " if depth else "") + content for depth, content in lines)


def _body_text(body: Message | None) -> str:
    return _tidy(_part_text(body)) if body is not None else ""


def _leaves(part: Message, depth: int = 0) -> Iterator[Message]:
    """The non-multipart parts, depth first; an attached message/rfc822 is one leaf, not opened."""
    if part.get_content_maintype() != "multipart":
        yield part
        return
    payload = part.get_payload()
    if depth < _MAX_DEPTH and isinstance(payload, list):
        for child in payload:
            if isinstance(child, Message):
                yield from _leaves(child, depth + 1)


def _attachments(message: Message, body: Message | None) -> Iterator[Attachment]:
    for index, part in enumerate(_leaves(message), start=1):
        if part is body:
            continue
        try:
            attachment = _attachment(part, index)
        except _ERRORS:
            continue
        if attachment is not None:
            yield attachment


def _attachment(part: Message, index: int) -> Attachment | None:
    """A real attachment: Content-Disposition attachment, or a non-text part with a file name."""
    content_type = part.get_content_type()
    filename = _clean_header(part.get_filename() or "")
    is_attached = part.get_content_disposition() == "attachment"
    if not is_attached and not (filename and part.get_content_maintype() != "text"):
        return None
    if part.get_content_maintype() == "message":
        inner = part.get_payload()
        content = (
            inner[0].as_bytes(policy=policy.SMTP)
            if isinstance(inner, list) and inner and isinstance(inner[0], Message)
            else b""
        )
    else:
        data = part.get_payload(decode=True)
        content = data if isinstance(data, bytes) else b""
    return Attachment(
        filename=_safe_filename(filename, content_type, index), content_type=content_type, content=content
    )


def _safe_filename(filename: str, content_type: str, index: int) -> str:
    """The base name only (no folders, no leading dots), at most 200 characters; a made-up one if empty."""
    name = re.split(r"[/\\]", filename)[-1].strip().lstrip(".").strip()
    if not name:
        return f"attachment-{index}{mimetypes.guess_extension(content_type) or '.bin'}"
    stem, dot, extension = name.rpartition(".")
    if len(name) > 200:
        name = stem[: 200 - len(dot + extension)] + dot + extension if 0 < len(extension) < 10 else name[:200]
    return name
