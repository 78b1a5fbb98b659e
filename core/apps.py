from django.apps import AppConfig


class CoreConfig(AppConfig):
    """What every app shares: jobs, tabular reading, documents, roles, the RAG scale, today().
    Imports no other app of the project."""

    name = "core"
    verbose_name = "Shared core"

    def ready(self) -> None:
        from . import audit, nav, roles, security
        from .roles import can_see_audit_log

        security._connect()
        roles.connect()
        audit.connect_auth_signals()
        nav.register("Audit log", "audit-log", order=90, can_see=can_see_audit_log)
