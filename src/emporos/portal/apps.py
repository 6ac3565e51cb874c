from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "emporos.portal"
    label = "portal"
    verbose_name = "Customer pages"
