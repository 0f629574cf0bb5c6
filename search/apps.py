from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    name = "search"
    label = "portal_search"
    verbose_name = _("Search")

    def ready(self) -> None:
        from django.db.backends.signals import connection_created

        from . import folding, signals

        signals.connect()
        connection_created.connect(folding.register_on_sqlite,
                                   dispatch_uid="search_fold_on_sqlite")
