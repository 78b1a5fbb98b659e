from django.apps import AppConfig


class PanelConfig(AppConfig):
    name = "panel"
    verbose_name = "Police and Crime Panel reports"

    def ready(self) -> None:
        from core import nav

        nav.register("Panel reports", "panel:list", order=45)
        nav.register("Panel packs", "panel:packs", order=46)
