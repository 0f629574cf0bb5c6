from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MessagingConfig(AppConfig):
    name = "portal.messaging"
    label = "messaging"
    verbose_name = _("Messaging")

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from . import signals  # noqa: F401  (connects the bounce webhook receiver)
        from .models import BulletinSend

        # Scheduling, listing recipients, cancelling or removing a send changes who may
        # see the bulletin (portal/branches/visibility.py); finishing is an UPDATE and
        # is announced by sending.deliver itself.
        for signal in (post_save, post_delete):
            signal.connect(_send_saved, sender=BulletinSend,
                           dispatch_uid=f"bulletin-visibility-{signal is post_save}")


def _send_saved(sender, instance, **kwargs):
    from portal.branches.visibility import send_changed

    send_changed(union_id=instance.union_id, bulletin_id=instance.bulletin_id)
