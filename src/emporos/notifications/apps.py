from django.apps import AppConfig


class Config(AppConfig):
    name = "emporos.notifications"
    label = "notifications"
    # Its handlers register when the outbox imports every app's handlers.py at start-up.
