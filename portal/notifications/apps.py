from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "portal.notifications"
    label = "notifications"
    verbose_name = _("Notifications")

    def ready(self):
        from django.db.models.signals import post_save

        from portal.activity import hooks
        from portal.activity.models import ActivityKind
        from portal.terms.models import TermsVersion

        from .kinds import register_sent
        from .receivers import terms_saved
        from .selectors import mail_policy

        # Sent from here: system messages, terms updates (receivers), and the choice for
        # bulletins, which portal/messaging (below this app) emails and records.
        register_sent(ActivityKind.SYSTEM, ActivityKind.TERMS, ActivityKind.BULLETIN)

        # Lower apps do not import this one: the activity stream asks its email policy
        # through a hook, and the terms' publishing is heard as a save.
        hooks.set_mail_policy(mail_policy)
        post_save.connect(terms_saved, sender=TermsVersion, dispatch_uid="notifications-terms")
