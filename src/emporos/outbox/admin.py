from django.contrib import admin

from emporos.core.admin_base import ReadOnlyAdmin
from emporos.outbox.models import Delivery


@admin.register(Delivery)
class DeliveryAdmin(ReadOnlyAdmin):
    list_display = ("id", "handler", "status", "attempts", "due_at", "completed_at", "last_error")
    list_filter = ("status", "handler")
