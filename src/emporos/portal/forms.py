"""The order lookup form: an order number and the e-mail address it was placed with."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from emporos.core.contact import InvalidContact, normalize_email
from emporos.core.text import text_problem


class LookupForm(forms.Form):
    number = forms.CharField(
        label=_("Order number"),
        max_length=30,
        help_text=_("As in your confirmation e-mail, e.g. EM-10042."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "text", "dir": "ltr", "spellcheck": "false"}),
    )
    email = forms.CharField(
        label=_("E-mail address"),
        max_length=254,
        help_text=_("The address you ordered with."),
        widget=forms.EmailInput(attrs={"autocomplete": "email", "dir": "ltr"}),
    )

    def clean_number(self) -> str:
        number = str(self.cleaned_data["number"]).strip()
        if text_problem(number):
            raise forms.ValidationError(_("Enter the order number as it is written, e.g. EM-10042."))
        return number

    def clean_email(self) -> str:
        value = str(self.cleaned_data["email"])
        if text_problem(value):
            raise forms.ValidationError(_("Enter a valid e-mail address."))
        try:
            return normalize_email(value)
        except InvalidContact:
            raise forms.ValidationError(_("Enter a valid e-mail address.")) from None
