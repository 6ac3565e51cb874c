from django.contrib import admin

from emporos.core.admin_base import ReadOnlyAdmin
from emporos.customers.models import Customer


@admin.register(Customer)
class CustomerAdmin(ReadOnlyAdmin):
    list_display = ("name", "email", "phone", "language", "created_at")
    list_filter = ("language",)
    search_fields = ("email", "name", "phone")
