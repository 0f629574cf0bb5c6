"""Personal data of bulletin delivery, declared to the registry (docs/privacy.md)."""

from portal.privacy.registry import (
    Basis,
    Category,
    Erasure,
    Personal,
    Retention,
    Source,
    Subject,
    declare,
)

from .models import BulletinSend, Delivery, EmailStatus

COMMS = Personal(Category.COMMUNICATION, Basis.CONTRACT, Source.SYSTEM, Retention.DELIVERY,
                 Erasure.ANONYMISE)
ACTOR = Personal(Category.LOG, Basis.LEGITIMATE, Source.SYSTEM, Retention.LOG, Erasure.ANONYMISE)

# Kept rows (erasure unlinks them from the person) lose the address and the error texts,
# which quote the address: ERASE on those fields (portal/privacy/registry.py).
declare(EmailStatus, subjects={"person": Subject.PERSON}, fields={
    **COMMS.on("person", "bounced_at"),
    **COMMS.but(erasure=Erasure.ERASE).on("bounced_address", "bounce_reason"),
    "unsubscribed_at": COMMS.but(source=Source.SELF, retention=Retention.MEMBERSHIP),
})
declare(Delivery, subjects={"person": Subject.PERSON}, fields={
    **COMMS.on("person", "language", "status", "skip_reason", "sent_at", "unsubscribed_at"),
    **COMMS.but(erasure=Erasure.ERASE).on("email", "error")},
    not_personal={"message_id": "the email provider's id of the message"})
declare(BulletinSend, subjects={"created_by": Subject.USER},
        fields=ACTOR.on("created_by", "cancelled_by", "created_at"),
        not_personal={"audience": "branches, workplaces and groups chosen, not people"})
