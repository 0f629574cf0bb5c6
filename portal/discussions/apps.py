from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DiscussionsConfig(AppConfig):
    name = "portal.discussions"
    label = "discussions"
    verbose_name = _("Discussions")

    def ready(self):
        from portal.navigation import NavItem, register
        from portal.notifications.kinds import register_sent

        from . import index
        from .selectors import nav_unread_count, nav_visible

        register(NavItem(key="discussions", label=_("Discussions"), url_name="discussions:inbox",
                         order=10, visible=nav_visible, badge=nav_unread_count))
        index.register()
        register_sent("message")  # actions.send_message notifies the other participants
