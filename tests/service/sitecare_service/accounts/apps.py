from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "sitecare_service.accounts"
    label = "accounts"

    def ready(self):
        from django.db.backends.signals import connection_created
        connection_created.connect(_tune_sqlite)


def _tune_sqlite(sender, connection, **kwargs):
    """WAL (set once at migrate) is safe with synchronous=NORMAL, and much
    faster for the many small write transactions of a test run."""
    if connection.vendor == "sqlite":
        with connection.cursor() as cur:
            cur.execute("PRAGMA synchronous=NORMAL")
