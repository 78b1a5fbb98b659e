from django.apps import AppConfig


class CoreConfig(AppConfig):
    """What every app shares: jobs, tabular reading, documents, roles, the RAG scale, today().
    Imports no other app of the project."""

    name = "core"
    verbose_name = "Shared core"

    def ready(self) -> None:
        from . import audit, security

        security._connect()
        audit.connect_auth_signals()
