from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules


class Config(AppConfig):
    name = "emporos.outbox"
    label = "outbox"

    def ready(self) -> None:
        # Every domain declares its events, its handlers and its scheduled jobs in modules of these
        # names; importing them all at start-up registers them in every process (web and worker).
        autodiscover_modules("events", "handlers", "tasks")
