"""Sign-in (throttled in the authentication backend), sign-out and password reset by e-mail link."""

from __future__ import annotations

from typing import Any

from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm, SetPasswordForm
from django.core.exceptions import ValidationError
from django.http import HttpResponse, HttpResponseRedirect
from django.urls import reverse_lazy
from django.utils import translation
from django.utils.translation import gettext_lazy, ngettext

from emporos.access import throttle
from emporos.access.password_reset import link_tokens, request_password_reset
from emporos.desk.forms import ShopWords


class ThrottleMessages(AuthenticationForm):
    """Says so when the throttle (in the authentication backend) refused a sign-in, and counts a
    sign-in with a blank password as a failure (authenticate() is not called then)."""

    def clean(self) -> dict[str, Any]:
        username = str(self.cleaned_data.get("username") or "")  # a name the field refused is not counted
        if username and not self.data.get("password") and self.request is not None:
            address = throttle.client_address(self.request)
            if throttle.locked_for(username, address) is None:  # a locked name's lock is not prolonged
                throttle.record_failure(username, address)
        return super().clean()

    def get_invalid_login_error(self) -> ValidationError:
        locked = throttle.refused_as_locked(self.request)
        if locked is None:
            return super().get_invalid_login_error()
        minutes = max(int(locked.total_seconds() // 60) + 1, 1)
        return ValidationError(
            ngettext(
                "Too many failed sign-ins. Try again in %(minutes)s minute, or reset your password by e-mail.",
                "Too many failed sign-ins. Try again in %(minutes)s minutes, or reset your password by e-mail.",
                minutes,
            )
            % {"minutes": minutes},
            code="throttled",
        )


class ThrottledAuthenticationForm(ShopWords, ThrottleMessages):
    """The desk's sign-in form."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": gettext_lazy(
            "That name and password do not match. Check both (the password is case-sensitive)."
        ),
    }


class AdminSignInForm(ThrottleMessages, AdminAuthenticationForm):
    """The Django admin's sign-in form, with the same throttle messages (set in config.urls)."""


class ResetForm(ShopWords, PasswordResetForm):
    pass


class NewPasswordForm(ShopWords, SetPasswordForm):
    pass


class SignInView(auth_views.LoginView):
    template_name = "desk/account/sign_in.html"
    authentication_form = ThrottledAuthenticationForm
    redirect_authenticated_user = True


class SignOutView(auth_views.LogoutView):
    pass


class ResetView(auth_views.PasswordResetView):
    """Records the request and answers at once, alike for every address; the worker mails the link."""

    template_name = "desk/account/reset.html"
    form_class = ResetForm
    success_url = reverse_lazy("desk:password_reset_sent")

    def form_valid(self, form: PasswordResetForm) -> HttpResponse:
        request_password_reset(
            email=form.cleaned_data["email"],
            origin=f"{self.request.scheme}://{self.request.get_host()}",
            language=translation.get_language(),
        )
        return HttpResponseRedirect(self.get_success_url())


class ResetSentView(auth_views.PasswordResetDoneView):
    template_name = "desk/account/reset_sent.html"


class ResetConfirmView(auth_views.PasswordResetConfirmView):
    """Sets a password from a reset link or from an invitation (which lives longer)."""

    template_name = "desk/account/reset_confirm.html"
    token_generator = link_tokens
    form_class = NewPasswordForm
    success_url = reverse_lazy("desk:password_reset_done")

    def form_valid(self, form: SetPasswordForm) -> HttpResponse:
        # The link proves the mailbox is theirs: a locked-out name may sign in again at once.
        throttle.record_success(form.user.get_username())
        return super().form_valid(form)


class ResetDoneView(auth_views.PasswordResetCompleteView):
    template_name = "desk/account/reset_done.html"
