from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "portal.notifications"
    label = "notifications"
    verbose_name = _("Notifications")

    def ready(self):
        from django.db.models.signals import post_save

        from portal.activity import hooks
        from portal.terms.models import TermsVersion

        from .receivers import terms_saved
        from .selectors import mail_policy

        # Lower apps do not import this one: the activity stream asks its email policy
        # through a hook, and the terms' publishing is heard as a save.
        hooks.set_mail_policy(mail_policy)
        post_save.connect(terms_saved, sender=TermsVersion, dispatch_uid="notifications-terms")
