"""Bounce and complaint reports from the email provider (django-anymail webhooks).

Mount anymail's webhook URLs (`path("anymail/", include("anymail.urls"))`) and set
the provider's webhook secret (ANYMAIL settings) in production; each bounce flags the
person so later bulletins skip the address."""

from __future__ import annotations

from anymail.signals import tracking
from django.dispatch import receiver

from .models import Delivery, DeliveryStatus

BOUNCE_EVENTS = {"bounced", "rejected"}
COMPLAINT_EVENTS = {"complained", "unsubscribed"}


@receiver(tracking, dispatch_uid="portal.messaging.tracking")
def handle_tracking(sender, event, esp_name, **kwargs):
    if event.event_type not in BOUNCE_EVENTS | COMPLAINT_EVENTS or not event.message_id:
        return
    delivery = (Delivery.objects.select_related("person__union")
                .filter(message_id=event.message_id).first())
    if delivery is None:
        return
    from .actions import flag_bounced, unsubscribe_person

    if event.event_type in BOUNCE_EVENTS:
        Delivery.objects.filter(pk=delivery.pk).update(status=DeliveryStatus.BOUNCED,
                                                       error=(event.description or "")[:300])
        flag_bounced(person=delivery.person, address=delivery.email,
                     reason=event.description or event.event_type)
    else:
        unsubscribe_person(person=delivery.person, delivery_id=delivery.pk)
