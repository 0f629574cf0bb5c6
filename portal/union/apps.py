from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class UnionConfig(AppConfig):
    name = "portal.union"
    label = "union"
    verbose_name = _("Unions")

    def ready(self):
        # Cached page sections go stale when the union's pages or people change.
        from . import sections

        sections.connect_people_receivers()
