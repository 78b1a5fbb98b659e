from django.apps import AppConfig


class PanelConfig(AppConfig):
    name = "panel"
    verbose_name = "Police and Crime Panel reports"

    def ready(self) -> None:
        from core import nav

        nav.register("Panel reports", "panel:list", order=45)
        _audit()


def _audit() -> None:
    """The panel reports' text goes in the audit trail too (core.audit)."""
    from core import audit

    from . import models as m

    audit.register(m.PanelReport)
    audit.register(m.PanelSection)
