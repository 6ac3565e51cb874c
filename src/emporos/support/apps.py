from django.apps import AppConfig


class SupportConfig(AppConfig):
    name = "emporos.support"
    label = "support"
    verbose_name = "Support"
