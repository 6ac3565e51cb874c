from django.apps import AppConfig


class IntegrationsConfig(AppConfig):
    name = "emporos.integrations"
    label = "integrations"
    verbose_name = "Integrations"
