from django.contrib import admin
from django.urls import include, path, re_path

from emporos.api import problems
from emporos.api.app import api
from emporos.desk.views.account import AdminSignInForm

# The admin's sign-in says when the throttle refused it, as the desk's does (ADR 0009).
admin.site.login_form = AdminSignInForm

# Django's own answers in the desk's look and the reader's language (the API keeps problem details).
handler400 = "emporos.desk.views.errors.bad_request"
handler403 = "emporos.desk.views.errors.permission_denied"
handler500 = "emporos.desk.views.errors.server_error"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    re_path(r"^api/", problems.not_found),
    path("i18n/", include("django.conf.urls.i18n")),
    # E-mail providers post inbound support mail here (anymail checks the webhook secret).
    path("anymail/", include("anymail.urls")),
    # The desk's pages (/returns/... for staff) and the customer's (/status/..., /return/<signed>/).
    path("", include("emporos.desk.urls")),
    path("", include("emporos.portal.urls")),
]
