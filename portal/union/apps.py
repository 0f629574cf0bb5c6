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
        # Hostname → site and union, cached per process, go stale when either changes.
        from . import hosts

        hosts.connect_receivers()
        # Viewers' roles, profile and unread count, cached briefly, go stale on changes.
        from . import viewer

        viewer.connect_receivers()
        # No many-to-many row may join two unions' pages, whoever writes it.
        from .relations import connect_m2m_guards

        connect_m2m_guards()
