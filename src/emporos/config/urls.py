from django.contrib import admin
from django.urls import path

from emporos.api.app import api

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
]
