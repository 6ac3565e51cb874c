from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules


class Config(AppConfig):
    name = "emporos.timeline"
    label = "timeline"

    def ready(self) -> None:
        # Each domain says how its entries read in a module named timeline_kinds.py.
        autodiscover_modules("timeline_kinds")
