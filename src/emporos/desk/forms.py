"""Shared form plumbing: a service's errors land next to the field they name."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError

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
