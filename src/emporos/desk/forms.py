"""Shared form plumbing: a service's errors land next to the field they name."""

from __future__ import annotations

from django import forms

from emporos.core.errors import DomainError, ValidationFailed


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
