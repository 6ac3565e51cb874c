"""Turning a kind, a language and the facts of an order into a subject, text, HTML and SMS.

Placeholders are `{name}` from `PLACEHOLDERS` only; the values are plain text, escaped in HTML.
A template line whose placeholder has no value is left out. Every message ends with the signed
link to the order's status page, even when an edited template forgets it.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, override

from emporos.core.errors import FieldError, ValidationFailed
from emporos.notifications.models import Channel, Kind, TemplateOverride
from emporos.notifications.templates_text import Template, default_template
from emporos.shop import selectors as shop

LANGUAGES = ("en", "el", "pl", "he")
RIGHT_TO_LEFT = frozenset({"he"})

PLACEHOLDERS = {
    "customer_name": gettext_lazy("The customer's name"),
    "order_number": gettext_lazy("The order's number, e.g. EM-10001"),
    "shop_name": gettext_lazy("The shop's name"),
    "status_link": gettext_lazy("The signed link to the order's status page"),
    "carrier": gettext_lazy("The carrier's name"),
    "tracking_number": gettext_lazy("The parcel's tracking number"),
    "tracking_link": gettext_lazy("The carrier's tracking page"),
    "expected_delivery": gettext_lazy("The promised day of delivery"),
    "pickup_point": gettext_lazy("The locker or store the parcel waits at"),
    "pickup_code": gettext_lazy("The code to open the locker"),
    "pickup_until": gettext_lazy("The last day the parcel waits"),
    "problem": gettext_lazy("What went wrong, in a sentence"),
    "options": gettext_lazy("What the customer can do about it, one per line"),
    "download_links": gettext_lazy("The download links, one per line"),
    "return_number": gettext_lazy("The return's number, e.g. EM-10001-R1"),
    "return_items": gettext_lazy("The items sent back, one per line"),
    "return_link": gettext_lazy("The signed link to the return's page"),
    "label_link": gettext_lazy("The signed link to the return label (PDF)"),
    "refund_due": gettext_lazy("The last day of the refund"),
    "statement_at": gettext_lazy("The date and time the withdrawal was received"),
    "refund_amount": gettext_lazy("The amount refunded, e.g. €19.90"),
    "credit_amount": gettext_lazy("The store credit given, e.g. €19.90"),
    "gift_card_code": gettext_lazy("The gift card's code to enter at checkout"),
    "feedback_link": gettext_lazy("The signed link to the page where the customer says how it went"),
}
_PLACEHOLDER = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)\}")


@dataclass(frozen=True)
class Rendered:
    subject: str
    text: str
    html: str


def language_of(code: str) -> str:
    return code if code in LANGUAGES else "en"


def unknown_placeholders(text: str) -> list[str]:
    """The {names} in `text` that are not placeholders, in order, each once."""
    return list(dict.fromkeys(name for name in _PLACEHOLDER.findall(text) if name not in PLACEHOLDERS))


def check_placeholders(**texts: str) -> None:
    """Refuse a template naming a placeholder that does not exist (the error names each one)."""
    errors = [
        FieldError(
            field,
            "unknown_placeholder",
            _("Unknown placeholder %(names)s; use %(known)s.")
            % {
                "names": ", ".join("{" + name + "}" for name in unknown),
                "known": ", ".join("{" + name + "}" for name in PLACEHOLDERS),
            },
        )
        for field, text in texts.items()
        if (unknown := unknown_placeholders(text))
    ]
    if errors:
        raise ValidationFailed(errors)


def fill(text: str, values: Mapping[str, str]) -> str | None:
    """`text` with its placeholders filled; None when one of them has no value (the line is left out)."""
    missing = False

    def value(match: re.Match[str]) -> str:
        nonlocal missing
        found = values.get(match.group(1), "")
        if not found:
            missing = True
        return found

    filled = _PLACEHOLDER.sub(value, text)
    return None if missing else filled


def _fill_lines(lines: list[str], values: Mapping[str, str]) -> list[str]:
    out: list[str] = []
    for line in lines:
        filled = fill(line, values)
        if filled is not None:
            out.extend(filled.split("\n"))
    return out


def template_for(kind: str, *, language: str, channel: str) -> Template:
    """The owner's edited template where there is one, else the default in the shop's tone."""
    current = shop.current()
    with override(language_of(language)):
        template = default_template(kind, tone=current.tone, form_of_address=current.form_of_address)
    edited = TemplateOverride.objects.filter(kind=kind, language=language, channel=channel).first()
    if edited is None:
        return template
    if channel == Channel.SMS:
        return Template(subject="", lines=(), sms=edited.body)
    return Template(subject=edited.subject or template.subject, lines=tuple(edited.body.split("\n")), sms=template.sms)


def render(kind: str, *, language: str, channel: str, values: Mapping[str, str]) -> Rendered:
    """The message in `language` for `channel`: subject, text and HTML (an SMS has text only)."""
    language = language_of(language)
    template = template_for(kind, language=language, channel=channel)
    link = values.get("status_link", "")
    with override(language):
        if channel == Channel.SMS:
            text = fill(template.sms, values) or " ".join(_fill_lines([template.sms], values))
            if link and link not in text:
                text = f"{text} {link}"
            return Rendered(subject="", text=text.strip(), html="")
        subject = (fill(template.subject, values) or template.subject).strip()
        lines = _collapse(_fill_lines(list(template.lines), values))
        link_words = _("Your order's page: %(link)s") % {"link": link}
        text_lines = [*lines, "", link_words] if link and not any(link in line for line in lines) else lines
        html = render_to_string(
            "notifications/email.html",
            {
                "language": language,
                "direction": "rtl" if language in RIGHT_TO_LEFT else "ltr",
                "align": "right" if language in RIGHT_TO_LEFT else "left",
                "subject": subject,
                "paragraphs": _paragraphs(lines),
                "status_link": link,
                "shop_name": values.get("shop_name", ""),
            },
        )
    return Rendered(subject=subject, text="\n".join(text_lines).strip() + "\n", html=html)


def _collapse(lines: list[str]) -> list[str]:
    """No blank line at the ends, nor two in a row (left where lines were left out)."""
    out: list[str] = []
    for line in lines:
        if line.strip() or (out and out[-1].strip()):
            out.append(line.rstrip())
    while out and not out[-1].strip():
        out.pop()
    return out


def _paragraphs(lines: list[str]) -> list[list[str]]:
    paragraphs: list[list[str]] = [[]]
    for line in lines:
        if line.strip():
            paragraphs[-1].append(line)
        elif paragraphs[-1]:
            paragraphs.append([])
    return [paragraph for paragraph in paragraphs if paragraph]


def sample_values(kind: str, *, language: str) -> dict[str, str]:
    """Values a preview shows: an order of the demo shop, in `language`."""
    from emporos.notifications import facts

    return facts.sample(kind, language=language)


KINDS = [kind.value for kind in Kind]
