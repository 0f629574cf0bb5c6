from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ActivityConfig(AppConfig):
    name = "portal.activity"
    label = "activity"
    verbose_name = _("Activity stream")

    def ready(self):
        from portal.navigation import NavItem, register

        from .selectors import nav_unread_count, nav_visible

        register(NavItem(key="activity", label=_("Activity stream"), url_name="activity:timeline",
                         order=20, visible=nav_visible, badge=nav_unread_count))
