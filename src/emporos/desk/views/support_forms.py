"""The ticket page's forms: each field named as its service's argument, so the service's errors
land next to the field."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from emporos.customers.models import CouponKind
from emporos.desk.forms import DeskForm, LocalizedDecimalField, LocalizedIntegerField, multiline_text
from emporos.desk.views.support import agent_name, agents
from emporos.orders.models import Order
from emporos.support import labels, services


class ReplyForm(DeskForm):
    text = forms.CharField(
        label=gettext_lazy("Your answer"),
        max_length=services.TEXT_MAX_LENGTH,
        validators=[multiline_text],
        widget=forms.Textarea(attrs={"rows": 8, "dir": "auto", "data-reply-text": ""}),
    )
    status = forms.ChoiceField(
        label=gettext_lazy("After sending"),
        choices=lambda: [
            ("pending", _("Waiting for the customer")),
            ("solved", _("Solved")),
            ("open", _("Keep open")),
        ],
        initial="pending",
        widget=forms.RadioSelect,
    )
    opened_at = forms.CharField(required=False, widget=forms.HiddenInput)
    macro = forms.IntegerField(required=False, widget=forms.HiddenInput(attrs={"data-macro-id": ""}))


class NoteForm(DeskForm):
    text = forms.CharField(
        label=gettext_lazy("Internal note"),
        help_text=gettext_lazy("Only staff see it. Write @username to point a colleague to it."),
        max_length=services.TEXT_MAX_LENGTH,
        validators=[multiline_text],
        widget=forms.Textarea(attrs={"rows": 3, "dir": "auto"}),
    )


class AssignForm(DeskForm):
    assignee = forms.ChoiceField(label=gettext_lazy("Assign to"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["assignee"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", _("Choose a colleague"))] + [(str(user.pk), agent_name(user)) for user in agents()]


class StatusForm(DeskForm):
    status = forms.ChoiceField(label=gettext_lazy("Status"), choices=lambda: labels.choices("status"))


class ClassifyForm(DeskForm):
    topic = forms.ChoiceField(label=gettext_lazy("Topic"), choices=lambda: labels.choices("topic"))
    priority = forms.ChoiceField(label=gettext_lazy("Priority"), choices=lambda: labels.choices("priority"))
    tags = forms.CharField(
        label=gettext_lazy("Tags"),
        required=False,
        max_length=500,
        help_text=gettext_lazy("Separated by commas, e.g. courier, damaged."),
    )


class LinkOrderForm(DeskForm):
    order = forms.ChoiceField(label=gettext_lazy("Order"))

    def __init__(self, *args: Any, orders: list[Order], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["order"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", _("Choose an order"))] + [
            (order.display_number, order.display_number) for order in orders
        ]


class PickupPointForm(DeskForm):
    point = forms.CharField(
        label=gettext_lazy("New pickup point"),
        max_length=100,
        help_text=gettext_lazy("The locker's or store's id, as the carrier writes it."),
    )
    note = forms.CharField(label=gettext_lazy("Why (optional)"), max_length=500, required=False)


class CouponForm(DeskForm):
    kind = forms.ChoiceField(
        label=gettext_lazy("Kind"),
        choices=lambda: [
            (CouponKind.PERCENT, _("A percentage off the goods")),
            (CouponKind.AMOUNT, _("An amount off")),
        ],
    )
    value = LocalizedDecimalField(label=gettext_lazy("Value"), min_value=0, help_text=gettext_lazy("e.g. 10"))
    valid_days = LocalizedIntegerField(label=gettext_lazy("Valid for days"), min_value=1, max_value=3660, initial=90)
