"""The contact form as the customer fills it in: the topic, the message, attachments checked by
their content (a photo decoded by Pillow, a PDF by its header) and an optional call-back in one of
the offered slots. Each problem is a sentence in the reader's language, next to its field; nothing
is written until the whole form is right."""

from __future__ import annotations

import datetime as dt
import io
import unicodedata
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.http import HttpRequest
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

from emporos.core import formats
from emporos.core.config import setting
from emporos.core.contact import InvalidContact, normalize_email, normalize_phone
from emporos.core.text import text_problem
from emporos.shop import selectors as shop
from emporos.support import calls, labels
from emporos.support.models import Topic
from emporos.support.services import TEXT_MAX_LENGTH, NewAttachment

MAX_ATTACHMENTS = 3
MAX_ATTACHMENT_BYTES = 5 * 1024 * 1024
# Larger than any phone's camera; a bigger "image" is a decompression bomb, not a photo.
MAX_PIXELS = 50_000_000
IMAGE_TYPES = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp", "GIF": "image/gif"}
PDF_HEADER = b"%PDF-"
NAME_MAX_LENGTH = 150


@dataclass
class ContactForm:
    """What the customer wrote, what was checked, and the problems by field name."""

    values: dict[str, str] = field(default_factory=dict)
    errors: dict[str, list[str]] = field(default_factory=dict)
    attachments: list[NewAttachment] = field(default_factory=list)
    phone: str = ""
    slot: dt.datetime | None = None

    def add(self, name: str, message: str) -> None:
        self.errors.setdefault(name, []).append(message)


@dataclass(frozen=True)
class SlotChoice:
    value: str
    words: str


def slot_value(start: dt.datetime) -> str:
    return start.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%MZ")


def slot_words(start: dt.datetime, *, language: str) -> str:
    """'Tuesday 1 Dec 2026 11:00–11:30' in the reader's language and the shop's time zone."""
    zone = shop.current().time_zone
    end = start + dt.timedelta(minutes=calls.SLOT_MINUTES)
    weekday = formats.weekday(start, language=language, time_zone=zone)
    begins = formats.datetime(start, language=language, time_zone=zone)
    return f"{weekday} {begins}–{formats.time(end, language=language, time_zone=zone)}"


def slot_choices(*, language: str) -> list[SlotChoice]:
    return [SlotChoice(slot_value(start), slot_words(start, language=language)) for start in calls.slots()]


def topic_choices() -> list[tuple[str, str]]:
    return labels.choices("topic")


def read_contact(request: HttpRequest, *, public: bool, region: str = "") -> ContactForm:
    """The posted contact form, checked; `public` adds the name, e-mail and order number that the
    order's own page already knows. A phone number without its country code is read as one of
    `region` (else the shop's country)."""
    post = request.POST
    names = ["topic", "message", "phone", "slot"] + (["name", "email", "order"] if public else [])
    form = ContactForm(values={name: str(post.get(name, "")).strip() for name in names})
    # The form's own key, so the same form sent twice (a double click) is one message.
    key = str(post.get("key", "")).strip()
    form.values["key"] = key if key.replace("-", "").isalnum() and len(key) <= 64 else str(uuid.uuid4())
    if public:
        _check_sender(form)
    if form.values["topic"] not in Topic.values:
        form.add("topic", _("Choose what your message is about."))
    _check_message(form)
    _check_callback(form, region=region or shop.current().country or str(setting("SHOP_COUNTRY")))
    files = request.FILES.getlist("attachments")
    # Read at most one byte past the limit: a larger file is refused without holding it whole.
    form.attachments = check_attachments(
        form, [(item.name or "", item.read(MAX_ATTACHMENT_BYTES + 1)) for item in files]
    )
    return form


def _check_sender(form: ContactForm) -> None:
    name = form.values["name"]
    if not name or len(name) > NAME_MAX_LENGTH or text_problem(name):
        form.add("name", _("Write your name, as we should address you."))
    try:
        form.values["email"] = normalize_email(form.values["email"])
    except InvalidContact:
        form.add("email", _("Write the e-mail address we should answer to, e.g. maria@example.com."))
    if len(form.values["order"]) > 30 or text_problem(form.values["order"]):
        form.values["order"] = ""  # a junk order number is ignored like a wrong one


def _check_message(form: ContactForm) -> None:
    message = str(form.values["message"])
    if not message:
        form.add("message", _("Write your message: what happened, and what you would like us to do."))
    elif len(message) > TEXT_MAX_LENGTH:
        form.add(
            "message",
            _("A message has at most %(count)s characters; shorten it or attach a file.")
            % {"count": formats.number(TEXT_MAX_LENGTH, language=get_language() or "en")},
        )
    elif text_problem(message, multiline=True):
        form.add("message", _("Your message holds an invisible control character; remove it and send again."))


def _check_callback(form: ContactForm, *, region: str) -> None:
    """A call-back needs both a number and one of the offered slots (or neither)."""
    phone, slot = form.values["phone"], form.values["slot"]
    if not phone and not slot:
        return
    if not phone:
        form.add("phone", _("Write the number we should call."))
    else:
        try:
            form.phone = normalize_phone(phone, region=region.upper() or None)
        except InvalidContact:
            form.add("phone", _("Write the number with its country code, e.g. +30 691 234 5678."))
    if not slot:
        form.add("slot", _("Choose a time for our call, or leave the phone number empty."))
        return
    # The slots still on offer; a page left open a while may show a slot that has just passed.
    offered = {slot_value(start): start for start in calls.slots(count=calls.SLOTS_OFFERED * 3)}
    if slot not in offered:
        form.add("slot", _("That time is no longer free; choose one of the times shown."))
        return
    form.slot = offered[slot]


def check_attachments(form: ContactForm, files: Sequence[tuple[str, bytes]]) -> list[NewAttachment]:
    """Each file a photo or a PDF of at most 5 MB, at most three of them; problems go to the form."""
    files = [(name, data) for name, data in files if name or data]
    if len(files) > MAX_ATTACHMENTS:
        form.add("attachments", _("Attach at most %(count)s files.") % {"count": MAX_ATTACHMENTS})
        return []
    checked = []
    megabytes = MAX_ATTACHMENT_BYTES // (1024 * 1024)
    for name, data in files:
        filename = clean_filename(name)
        if len(data) > MAX_ATTACHMENT_BYTES:
            form.add(
                "attachments",
                _("%(name)s is larger than %(size)s MB; attach a smaller file.")
                % {"name": filename, "size": megabytes},
            )
            continue
        content_type = kind_of(data)
        if content_type is None:
            form.add(
                "attachments",
                _("%(name)s is not a photo (JPEG, PNG, WebP or GIF) or a PDF; attach one of those.")
                % {"name": filename},
            )
            continue
        checked.append(NewAttachment(filename=filename, content_type=content_type, content=data))
    return checked


def kind_of(data: bytes) -> str | None:
    """The content type the bytes really are (an image Pillow can read whole, or a PDF), or None."""
    if data.startswith(PDF_HEADER):
        return "application/pdf"
    try:
        with Image.open(io.BytesIO(data)) as image:
            content_type = IMAGE_TYPES.get(image.format or "")
            if content_type is None or image.width * image.height > MAX_PIXELS:
                return None
            image.verify()  # reads the whole file: a truncated or forged one fails here
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        return None
    return content_type


def clean_filename(name: str) -> str:
    """The file's own name without a path or control characters, at most 200 characters."""
    base = name.replace("\\", "/").rsplit("/", 1)[-1]
    kept = "".join(char for char in base if unicodedata.category(char)[0] != "C").strip()
    return (kept or "attachment")[:200]
