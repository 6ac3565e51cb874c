from django.apps import AppConfig


class Config(AppConfig):
    name = "emporos.outbox"
    label = "outbox"
