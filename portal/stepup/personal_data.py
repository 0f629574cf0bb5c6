"""SMS step-up, declared to the registry (docs/privacy.md)."""

from portal.privacy.registry import Basis, Category, Personal, Retention, Source, Subject, declare

from .models import SmsDevice, SmsSent

SIGN_IN = Personal(Category.ACCOUNT, Basis.LEGITIMATE, Source.SELF, Retention.ACCOUNT)

declare(SmsDevice, subjects={"user": Subject.USER}, fields={
    **SIGN_IN.on("user", "phone", "confirmed", "locked_until"),
    "token": SIGN_IN.but(source=Source.SYSTEM, withheld="a one-time code")},
    not_personal={"name": "the device's label"})
declare(SmsSent, subjects={"user": Subject.USER},
        fields=SIGN_IN.but(source=Source.SYSTEM, retention=Retention.SHORT).on("user", "sent_at"))
