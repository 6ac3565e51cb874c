from django.apps import AppConfig


class Config(AppConfig):
    name = "emporos.notifications"
    label = "notifications"

    def ready(self) -> None:
        from emporos.notifications import handlers  # noqa: F401 - registers the outbox handlers
