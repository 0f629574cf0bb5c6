"""Writes of the SMS step-up: the account's device, sending a code, checking a code."""

from __future__ import annotations

import time
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from portal.audit.log import AuditAction, record

from .models import SmsDevice
from .sms import SmsRefused, send_sms

SESSION_KEY = "stepup_at"
METHOD_KEY = "stepup_method"


class StepUpRefused(Exception):
    """The code was not sent or not checked; the message says why, for the user."""


@transaction.atomic
def sync_device(*, user, union, phone: str) -> SmsDevice | None:
    """The account's device with `phone` (the profile's number), made on first use. A
    changed number must be confirmed again by a code. No number: None."""
    phone = (phone or "").strip()
    device = SmsDevice.objects.for_union(union).select_for_update().filter(user=user).first()
    if not phone:
        return device
    if device is None:
        return SmsDevice.objects.create(user=user, union=union, phone=phone, confirmed=False,
                                        name="sms")
    if device.phone != phone:
        device.phone, device.confirmed, device.token = phone, False, None
        device.save(update_fields=["phone", "confirmed", "token"])
    return device


@transaction.atomic
def set_phone(*, user, union, phone: str, acting_user=None) -> SmsDevice:
    """For an account without a profile (staff): the number its codes go to."""
    device = sync_device(user=user, union=union, phone=phone)
    record(actor=acting_user, union=union, action=AuditAction.EDIT, fields=["phone"],
           target=f"stepup-device:{device.pk}")
    return device


def _lock_refusal(device: SmsDevice) -> str | None:
    if device.locked:
        return _("Too many wrong codes: the text message step is locked until %(time)s. "
                 "Contact the union office if you need it sooner.") % {
            "time": timezone.localtime(device.locked_until).strftime("%H:%M")}
    return None


def send_code(*, device: SmsDevice, acting_user, language: str) -> None:
    """A new code to the device's number, valid STEPUP_CODE_VALIDITY seconds."""
    with transaction.atomic():
        device = SmsDevice.objects.select_for_update().get(pk=device.pk)
        refusal = _lock_refusal(device)
        if refusal:
            raise StepUpRefused(refusal)
        allowed, data = device.generate_is_allowed()
        if not allowed:
            wait = max(1, int((data["next_generation_at"] - timezone.now()).total_seconds()) + 1)
            raise StepUpRefused(ngettext(
                "A code was just sent. You can ask for a new one in %(seconds)d second.",
                "A code was just sent. You can ask for a new one in %(seconds)d seconds.",
                wait) % {"seconds": wait})
        pending = device.code_pending  # before the new one: is there a code to type?
        device.cooldown_set(commit=False)
        device.generate_token(valid_secs=settings.STEPUP_CODE_VALIDITY, commit=False)
        with translation.override(language):
            text = _("%(union)s: your verification code is %(code)s. It is valid for "
                     "%(minutes)d minutes. Never give it to anyone.") % {
                "union": device.union.name, "code": device.token,
                "minutes": settings.STEPUP_CODE_VALIDITY // 60}
        try:
            send_sms(user=acting_user, union=device.union, to=device.phone, text=text,
                     code_pending=pending)
        except SmsRefused as error:
            raise StepUpRefused(str(error)) from error
        device.save()


def verify_code(*, device: SmsDevice, code: str, acting_user, session) -> bool:
    """Checks `code`; on success marks the session's second step fresh (and confirms the
    number the first time). A wrong code counts towards the lock; the wait after it
    doubles each time (django-otp's throttling)."""
    code = "".join(code.split())
    with transaction.atomic():
        device = SmsDevice.objects.select_for_update().get(pk=device.pk)
        refusal = _lock_refusal(device)
        if refusal:
            raise StepUpRefused(refusal)
        allowed, data = device.verify_is_allowed()
        if not allowed:
            wait = max(1, int((data["locked_until"] - timezone.now()).total_seconds()) + 1)
            raise StepUpRefused(ngettext(
                "Wait %(seconds)d second before trying again.",
                "Wait %(seconds)d seconds before trying again.", wait) % {"seconds": wait})
        if device.token is not None and device.valid_until <= timezone.now():
            device.token = None
            device.save(update_fields=["token"])
            raise StepUpRefused(_("The code has expired. Ask for a new code."))
        if device.token is None:
            raise StepUpRefused(_("No code is waiting. Ask for a code first."))
        if device.verify_token(code):
            device.throttle_reset(commit=False)
            device.cooldown_reset(commit=False)
            first = not device.confirmed
            device.confirmed = True
            device.save()
            if first:
                record(actor=acting_user, union=device.union, action=AuditAction.ACTIVATE,
                       fields=["phone"], target=f"stepup-device:{device.pk}")
            session[SESSION_KEY] = int(time.time())
            session[METHOD_KEY] = "sms"
            return True
        device.throttle_increment(commit=False)
        if device.throttling_failure_count >= settings.STEPUP_MAX_FAILURES:
            device.locked_until = timezone.now() + timedelta(minutes=settings.STEPUP_LOCK_MINUTES)
            device.token = None
            device.throttle_reset(commit=False)
            record(actor=acting_user, union=device.union, action=AuditAction.LOCK,
                   fields=["stepup"], target=f"stepup-device:{device.pk}")
        device.save()
        return False
