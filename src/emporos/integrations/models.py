"""The integrations app's tables (Django finds an app's models here)."""

from emporos.integrations.webhooks.models import WebhookAttempt, WebhookEndpoint

__all__ = ["WebhookAttempt", "WebhookEndpoint"]
