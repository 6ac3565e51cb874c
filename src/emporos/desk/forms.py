"""Shared form plumbing: a service's errors land next to the field they name, numbers are read as
the reader's language writes them, and the framework's messages are in the shop's words."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from typing import Any

from babel import numbers as babel_numbers
from django import forms
from django.core.exceptions import ValidationError
from django.utils.functional import lazy
from django.utils.translation import get_language, gettext, gettext_lazy

from emporos.core import formats
from emporos.core.errors import DomainError, ValidationFailed
from emporos.core.text import text_problem


def plain_text(value: str) -> None:
    """A form field validator: the text rules of emporos.core.text for a single line."""
    problem = text_problem(value)
    if problem is not None:
        raise ValidationError(problem.message, code=problem.code)


def multiline_text(value: str) -> None:
    """A form field validator: the text rules for free text, which may span lines."""
    problem = text_problem(value, multiline=True)
    if problem is not None:
        raise ValidationError(problem.message, code=problem.code)


def show_error(form: forms.Form, error: DomainError, *, fields: dict[str, str] | None = None) -> None:
    """Put a service's error on the form: each FieldError next to its field, others on top.

    `fields` maps a service's field name to the form's, where they differ.
    """
    if isinstance(error, ValidationFailed):
        for item in error.errors:
            name = (fields or {}).get(item.field, item.field.rsplit(".", 1)[-1])
            form.add_error(name if name in form.fields else None, item.message)
    else:
        form.add_error(None, error.message)


# --- numbers as the reader's language writes them --------------------------------------------------

# Direction marks a right-to-left page may carry along with a pasted number, and the spaces
# people and Babel put between groups of digits (Polish writes "1 234,50").
_MARKS = str.maketrans("", "", "\u200e\u200f\u061c")
_SPACES = str.maketrans("\u00a0\u202f\u2009", "   ")
_SPACE_GROUPED = re.compile(r"^[0-9]{1,3}(?: [0-9]{3})+(?:[.,][0-9]+)?$")


class AmbiguousNumber(ValueError):
    """A number whose only separator may be a decimal one or a thousands one ("1.234")."""


def decimal_symbol(language: str | None = None) -> str:
    return babel_numbers.get_decimal_symbol(formats.locale_for(language or get_language() or "en"))


def _grouped(whole: str, mark: str) -> bool:
    return re.fullmatch(rf"[0-9]{{1,3}}(?:{re.escape(mark)}[0-9]{{3}})+", whole) is not None


def parse_number(text: str, *, language: str | None = None) -> Decimal:
    """A number as staff type it: "16,50" or "16.50" in any language, "1.234,50" and "1,234.50"
    (the last separator is the decimal one), "1 234,50". A lone separator before exactly three
    digits that is not the language's decimal one ("1.234" in Greek, "1,234" in English) could
    mean either, so it is refused with AmbiguousNumber.

    Raises ValueError when the text is no number at all.
    """
    cleaned = text.translate(_MARKS).translate(_SPACES).strip()
    sign = ""
    if cleaned[:1] in {"-", "+", "\u2212"}:
        sign, cleaned = ("" if cleaned[0] == "+" else "-"), cleaned[1:].lstrip()
    if " " in cleaned:
        if not _SPACE_GROUPED.fullmatch(cleaned):
            raise ValueError(text)
        cleaned = cleaned.replace(" ", "")
    if not re.fullmatch(r"[0-9]+(?:[.,][0-9]+)*", cleaned):
        raise ValueError(text)
    points, commas = cleaned.count("."), cleaned.count(",")
    if points and commas:
        mark = "." if cleaned.rfind(".") > cleaned.rfind(",") else ","
        whole, _, fraction = cleaned.rpartition(mark)
        if not _grouped(whole, "," if mark == "." else "."):
            raise ValueError(text)
        whole = re.sub(r"[.,]", "", whole)
    elif points + commas == 0:
        whole, fraction = cleaned, ""
    elif points + commas > 1:  # the same mark twice can only group thousands: "1.234.567"
        if not _grouped(cleaned, "." if points else ","):
            raise ValueError(text)
        whole, fraction = re.sub(r"[.,]", "", cleaned), ""
    else:
        mark = "." if points else ","
        whole, _, fraction = cleaned.partition(mark)
        if len(fraction) == 3 and len(whole) <= 3 and whole != "0" and mark != decimal_symbol(language):
            raise AmbiguousNumber(text)
    try:
        return Decimal(f"{sign}{whole}.{fraction}" if fraction else f"{sign}{whole}")
    except InvalidOperation as error:
        raise ValueError(text) from error


def format_number(value: Decimal | int | None, *, language: str | None = None) -> str:
    """The value as the reader's language writes it in a field: "16,50" in Greek, no grouping."""
    if value is None or value == "":
        return ""
    if not isinstance(value, Decimal | int):
        return str(value)
    return str(value).replace(".", decimal_symbol(language))


class LocalizedNumberInput(forms.TextInput):
    """A text field with the number keyboard on phones: a number field would refuse "16,50"."""

    input_type = "text"

    def __init__(self, attrs: dict[str, Any] | None = None, *, whole: bool = False) -> None:
        defaults = {"inputmode": "numeric" if whole else "decimal", "autocomplete": "off", "dir": "ltr"}
        super().__init__({**defaults, **(attrs or {})})

    def format_value(self, value: Any) -> str | None:
        if isinstance(value, Decimal | int) and not isinstance(value, bool):
            return format_number(value)
        return super().format_value(value)


def _decimal_example() -> str:
    return f"16{decimal_symbol()}50"


def _write_a_number() -> str:
    return gettext("Write a number, e.g. %(example)s.") % {"example": _decimal_example()}


WRITE_A_NUMBER = lazy(_write_a_number, str)()


def _number_messages() -> dict[str, Any]:
    return {
        "invalid": WRITE_A_NUMBER,
        "ambiguous": gettext_lazy(
            "%(value)s could be read two ways: write %(whole)s or %(decimal)s, whichever you mean."
        ),
    }


class LocalizedDecimalField(forms.DecimalField):
    """Money and measures as staff write them: a decimal comma or point, shown in their language."""

    widget = LocalizedNumberInput

    def __init__(self, *, max_digits: int | None = 14, decimal_places: int | None = 2, **kwargs: Any) -> None:
        kwargs.setdefault("localize", False)
        super().__init__(max_digits=max_digits, decimal_places=decimal_places, **kwargs)
        self.error_messages.update(_number_messages())

    def to_python(self, value: Any) -> Decimal | None:  # type: ignore[override]
        if value in self.empty_values:
            return None
        if isinstance(value, Decimal):
            return value
        try:
            return parse_number(str(value))
        except AmbiguousNumber:
            raise _ambiguous(self, str(value)) from None
        except ValueError:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from None

    def widget_attrs(self, widget: forms.Widget) -> dict[str, Any]:
        # No min/max/step: they belong to number inputs, and a text input shows its own rules.
        return {}


class LocalizedIntegerField(forms.IntegerField):
    """Counts as staff write them; "1,00" is one, a decimal part is refused."""

    widget = LocalizedNumberInput

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("widget", LocalizedNumberInput(whole=True))
        super().__init__(**kwargs)
        self.error_messages.update(_number_messages())
        self.error_messages["invalid"] = gettext_lazy("Write a whole number, e.g. 5.")

    def to_python(self, value: Any) -> int | None:
        if value in self.empty_values:
            return None
        if isinstance(value, int):
            return value
        try:
            number = parse_number(str(value))
        except AmbiguousNumber:
            raise _ambiguous(self, str(value)) from None
        except ValueError:
            number = None
        if number is None or number != number.to_integral_value():
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return int(number)

    def widget_attrs(self, widget: forms.Widget) -> dict[str, Any]:
        return {}


def _ambiguous(field: forms.Field, text: str) -> forms.ValidationError:
    digits = text.translate(_MARKS).strip().lstrip("+-\u2212")
    mark = "," if "," in digits else "."
    whole = digits.replace(mark, "")
    decimal = digits.replace(mark, decimal_symbol())
    return forms.ValidationError(
        field.error_messages["ambiguous"],
        code="ambiguous",
        params={"value": text.strip(), "whole": whole, "decimal": decimal},
    )


# --- the framework's messages in the shop's words ----------------------------------------------------

_SHOP_WORDS: dict[str, Any] = {
    "required": gettext_lazy("Fill this in; it is needed."),
    "invalid_choice": gettext_lazy("Choose one of the options in the list."),
    "max_length": gettext_lazy("Shorten this to %(limit_value)s characters at most (now %(show_value)s)."),
    "min_length": gettext_lazy("Write at least %(limit_value)s characters (now %(show_value)s)."),
    "min_value": gettext_lazy("Give %(limit_value)s or more."),
    "max_value": gettext_lazy("Give %(limit_value)s or less."),
    "max_digits": gettext_lazy("This number is too long: at most %(max)s digits."),
    "max_decimal_places": gettext_lazy("Use at most %(max)s decimals."),
    "max_whole_digits": gettext_lazy("At most %(max)s digits before the decimal separator."),
    "step_size": gettext_lazy("Give a multiple of %(limit_value)s."),
    "invalid_list": gettext_lazy("Choose one or more of the options in the list."),
}
_SHOP_INVALID: list[tuple[type[forms.Field], Any]] = [
    (forms.IntegerField, gettext_lazy("Write a whole number, e.g. 5.")),
    (forms.DecimalField, WRITE_A_NUMBER),
    (forms.EmailField, gettext_lazy("Write a whole e-mail address, e.g. name@example.com.")),
    (forms.URLField, gettext_lazy("Write a whole web address, starting with https://.")),
    (forms.UUIDField, gettext_lazy("This form is out of date: reload the page and try again.")),
    (forms.DateField, gettext_lazy("Write a date, e.g. 2026-12-24.")),
    (forms.TimeField, gettext_lazy("Write a time, e.g. 09:30.")),
]


def _framework_defaults(field: forms.Field) -> dict[str, Any]:
    """The messages Django gave `field` by default, as Field.__init__ collects them."""
    defaults: dict[str, Any] = {}
    for cls in reversed(type(field).__mro__):
        defaults.update(getattr(cls, "default_error_messages", {}))
    return defaults


def use_shop_words(field: forms.Field) -> None:
    """Replace the framework's messages of `field` with the shop's, keeping any a form chose."""
    defaults = _framework_defaults(field)
    wanted = dict(_SHOP_WORDS)
    for kind, message in _SHOP_INVALID:
        if isinstance(field, kind):
            wanted["invalid"] = message
            break
    for code, message in wanted.items():
        current = field.error_messages.get(code)
        if current is None or current is defaults.get(code):
            field.error_messages[code] = message


class ShopWords:
    """A form mixin: every field's framework messages in the shop's words (desk forms use DeskForm)."""

    fields: dict[str, forms.Field]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            use_shop_words(field)


class DeskForm(ShopWords, forms.Form):
    """The base of the desk's forms."""
