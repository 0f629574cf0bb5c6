"""Bounce and complaint reports from the email provider (django-anymail webhooks).

The webhooks are mounted by `webhooks.py` when ANYMAIL_WEBHOOK_SECRET is set; each bounce
marks its delivery bounced and flags the person, so later bulletins skip the address;
a complaint unsubscribes them.

Tenancy: the webhook belongs to the platform, so the event names no union. It touches
exactly the one delivery whose stored provider message id it carries, and only when
the event's recipient is that delivery's address; anything else (unknown or ambiguous
id, another address) is ignored.
"""

from __future__ import annotations

import logging

from anymail.signals import tracking
from django.dispatch import receiver

from .models import Delivery, DeliveryStatus

logger = logging.getLogger(__name__)

BOUNCE_EVENTS = {"bounced", "rejected"}
COMPLAINT_EVENTS = {"complained", "unsubscribed"}


def delivery_for_event(event) -> Delivery | None:
    """The one sent delivery the event's message id names, or None."""
    if not event.message_id:
        return None
    matches = list(Delivery.objects.select_related("person__union")
                   .filter(message_id=str(event.message_id))
                   .exclude(message_id="")[:2])
    if len(matches) != 1:
        if matches:
            logger.warning("tracking event for message id %s matches several deliveries; "
                           "ignored", event.message_id)
        return None
    delivery = matches[0]
    if event.recipient and event.recipient.strip().lower() != delivery.email.lower():
        logger.warning("tracking event for delivery %s names another recipient; ignored",
                       delivery.pk)
        return None
    return delivery


@receiver(tracking, dispatch_uid="portal.messaging.tracking")
def handle_tracking(sender, event, esp_name, **kwargs):
    if event.event_type not in BOUNCE_EVENTS | COMPLAINT_EVENTS:
        return
    delivery = delivery_for_event(event)
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
