"""Webhook endpoints and their log, read-only: owners change endpoints on the desk (Settings →
Webhooks), where the secret is shown only when asked for; the admin never shows it."""

from django.contrib import admin

from emporos.core.admin_base import ReadOnlyAdmin
from emporos.integrations.webhooks.models import WebhookAttempt, WebhookEndpoint


@admin.register(WebhookEndpoint)
class WebhookEndpointAdmin(ReadOnlyAdmin):
    list_display = ("url", "is_active", "created_at", "created_by")
    list_filter = ("is_active",)
    exclude = ("secret",)


@admin.register(WebhookAttempt)
class WebhookAttemptAdmin(ReadOnlyAdmin):
    list_display = ("attempted_at", "endpoint", "topic", "event_uuid", "attempt", "status_code", "duration_ms")
    list_filter = ("topic", "status_code")
    list_select_related = ("endpoint",)
    search_fields = ("event_uuid",)
