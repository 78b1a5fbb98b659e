from django.apps import AppConfig


class PanelConfig(AppConfig):
    name = "panel"
    verbose_name = "Police and Crime Panel reports"

    def ready(self) -> None:
        from core import nav
        from delivery import demo

        from . import demo as panel_demo

        nav.register("Panel reports", "panel:list", order=45)
        nav.register("Panel packs", "panel:packs", order=46)
        demo.register_demo_step(panel_demo.seed_panel)  # after the meetings' and KPIs' (app order)
        _audit()


def _audit() -> None:
    """The panel reports' text goes in the audit trail too (core.audit)."""
    from core import audit

    from . import models as m

    audit.register(m.PanelReport)
    audit.register(m.PanelSection)
