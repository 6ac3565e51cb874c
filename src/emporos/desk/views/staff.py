"""Settings → Staff (owners only): every staff account with its role, state and last sign-in;
invite someone by e-mail, change a role, deactivate and reactivate, send a password link.

The forms only parse; `access.services` decides (who may lose owner access, what a name or an
address may be) and its words land next to the field or on top of the page.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from emporos.access import selectors, services
from emporos.access.labels import LABELS
from emporos.access.models import LinkPurpose, StaffRole
from emporos.access.roles import Permission
from emporos.core.errors import DomainError, NotFound
from emporos.desk.auth import actor_for, staff_required
from emporos.desk.forms import plain_text, show_error
from emporos.desk.language_names import language_choices
from emporos.desk.responses import not_found, post_only


def role_choices() -> list[tuple[str, Any]]:
    return [(role.value, LABELS["role"][role.value]) for role in StaffRole]


def _language_choices() -> list[tuple[str, Any]]:
    return list(language_choices(services.STAFF_LANGUAGES))


_PICK_ROLE = {"invalid_choice": gettext_lazy("Pick a role from the list.")}
_PICK_LANGUAGE = {"invalid_choice": gettext_lazy("Pick a language from the list.")}


class InviteForm(forms.Form):
    """Field names are invite_staff's, so each error of the service lands next to its field."""

    first_name = forms.CharField(
        label=gettext_lazy("First name"), required=False, max_length=150, validators=[plain_text]
    )
    last_name = forms.CharField(
        label=gettext_lazy("Last name"), required=False, max_length=150, validators=[plain_text]
    )
    username = forms.CharField(
        label=gettext_lazy("Sign-in name"),
        required=False,
        max_length=150,
        validators=[plain_text],
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "none", "dir": "ltr"}),
        help_text=gettext_lazy("What they type to sign in, e.g. “eleni”: letters, digits and @ . + - _"),
    )
    email = forms.CharField(
        label=gettext_lazy("E-mail"),
        required=False,
        max_length=254,
        validators=[plain_text],
        widget=forms.EmailInput(attrs={"autocomplete": "off", "dir": "ltr"}),
        help_text=gettext_lazy("The invitation goes here: a link to choose their password."),
    )
    role = forms.ChoiceField(
        label=gettext_lazy("Role"), choices=role_choices, initial=StaffRole.WAREHOUSE, error_messages=_PICK_ROLE
    )
    language = forms.ChoiceField(
        label=gettext_lazy("Language of their e-mails"), choices=_language_choices, error_messages=_PICK_LANGUAGE
    )


class RoleForm(forms.Form):
    role = forms.ChoiceField(label=gettext_lazy("Role"), choices=role_choices, error_messages=_PICK_ROLE)


def _origin(request: HttpRequest) -> str:
    return f"{request.scheme}://{request.get_host()}"


@staff_required(Permission.MANAGE_STAFF)
@require_http_methods(["GET", "POST"])
def staff_page(request: HttpRequest) -> HttpResponse:
    """The staff list and the invitation form."""
    if request.method != "POST":
        return _render_list(request, InviteForm(initial={"language": get_language()}))
    form = InviteForm(request.POST)
    if form.is_valid():
        try:
            user = services.invite_staff(**form.cleaned_data, origin=_origin(request), actor=actor_for(request))
        except DomainError as error:
            show_error(form, error)
        else:
            messages.success(
                request,
                _("%(name)s is added: a link to choose a password is on its way to %(email)s.")
                % {"name": user.get_username(), "email": user.email},
            )
            return HttpResponseRedirect(reverse("desk:staff_member", args=[user.pk]), status=303)
    return _render_list(request, form, status=400)


def _render_list(request: HttpRequest, form: InviteForm, *, status: int = 200) -> HttpResponse:
    context = {"section": "settings", "form": form, "members": selectors.staff_members()}
    return render(request, "desk/settings/staff.html", context, status=status)


@staff_required(Permission.MANAGE_STAFF)
@require_http_methods(["GET"])
def staff_member_page(request: HttpRequest, user_id: int) -> HttpResponse:
    member = selectors.staff_member(user_id)
    if member is None:
        return _gone(request)
    return _render_member(request, member, RoleForm(initial={"role": member.role}))


def _render_member(request: HttpRequest, member: selectors.StaffMember, role_form: RoleForm) -> HttpResponse:
    context = {
        "section": "settings",
        "member": member,
        "role_form": role_form,
        "is_self": member.user.pk == request.user.pk,
        "timeline": selectors.staff_timeline(member, language=get_language()),
    }
    return render(request, "desk/settings/staff_member.html", context)


@staff_required(Permission.MANAGE_STAFF)
@post_only(lambda request, user_id: reverse("desk:staff_member", args=[user_id]))
def staff_role(request: HttpRequest, user_id: int) -> HttpResponse:
    """Give the account another role; a refusal is shown on the member's page, at its own address."""
    form = RoleForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Pick a role from the list."))
        return _back_to(user_id)
    role = form.cleaned_data["role"]
    try:
        profile = services.change_staff_role(user_id=user_id, role=role, actor=actor_for(request))
    except NotFound:
        return _gone(request)
    except DomainError as error:
        return _refused(request, user_id, error)
    messages.success(
        request, _("%(name)s is now %(role)s.") % {"name": profile.user.get_username(), "role": LABELS["role"][role]}
    )
    return _back_to(user_id)


@staff_required(Permission.MANAGE_STAFF)
@post_only(lambda request, user_id: reverse("desk:staff_member", args=[user_id]))
def staff_active(request: HttpRequest, user_id: int) -> HttpResponse:
    """Deactivate (`is_active` is "no") or reactivate ("yes") an account."""
    is_active = request.POST.get("is_active") == "yes"
    try:
        if is_active:
            user = services.reactivate_staff(user_id=user_id, actor=actor_for(request))
        else:
            user = services.deactivate_staff(user_id=user_id, actor=actor_for(request))
    except NotFound:
        return _gone(request)
    except DomainError as error:
        return _refused(request, user_id, error)
    text = _("%(name)s can sign in again.") if is_active else _("%(name)s can no longer sign in.")
    messages.success(request, text % {"name": user.get_username()})
    return _back_to(user_id)


@staff_required(Permission.MANAGE_STAFF)
@post_only(lambda request, user_id: reverse("desk:staff_member", args=[user_id]))
def staff_link(request: HttpRequest, user_id: int) -> HttpResponse:
    """Mail the account a link to choose a password (an invitation again while it has none)."""
    try:
        purpose = services.send_staff_password_link(user_id=user_id, origin=_origin(request), actor=actor_for(request))
    except NotFound:
        return _gone(request)
    except DomainError as error:
        return _refused(request, user_id, error)
    text = (
        _("The invitation is on its way again.")
        if purpose == LinkPurpose.INVITE
        else _("A link to choose a new password is on its way.")
    )
    messages.success(request, text)
    return _back_to(user_id)


def _refused(request: HttpRequest, user_id: int, error: DomainError) -> HttpResponse:
    """The member's page again, at its own address, with the reason on top."""
    messages.error(request, error.message)
    return _back_to(user_id)


def _back_to(user_id: int) -> HttpResponseRedirect:
    return HttpResponseRedirect(reverse("desk:staff_member", args=[user_id]), status=303)


def _gone(request: HttpRequest) -> HttpResponse:
    return not_found(
        request,
        section="settings",
        title=_("There is no such staff account"),
        message=_("It may have been removed in the admin. The staff list shows every account."),
        link_url=reverse("desk:staff"),
        link_text=_("← All staff"),
    )
