"""The SMS device of an account (django-otp) and the log of SMS sent, for rate limits."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_otp.models import CooldownMixin, DeviceManager, SideChannelDevice, ThrottlingMixin

from portal.union.tenancy import UnionScopedQuerySet


class SmsDeviceManager(DeviceManager.from_queryset(UnionScopedQuerySet)):
    pass


class SmsDevice(CooldownMixin, ThrottlingMixin, SideChannelDevice):
    """One per account: codes go to `phone`, the number of the person's profile in the
    account's union (or, for an account without a profile, the number an operator set
    with `manage.py set_stepup_phone`). `confirmed` turns true when a code sent to that
    number is entered once; a new number starts unconfirmed again.

    django-otp gives the code, its expiry (`valid_until`), the pause between codes
    (CooldownMixin) and the doubling wait after each wrong code (ThrottlingMixin); on
    top, STEPUP_MAX_FAILURES wrong codes in a row lock the device until `locked_until`."""

    union = models.ForeignKey("union.Union", on_delete=models.CASCADE, related_name="+")
    phone = models.CharField(_("phone"), max_length=40)
    locked_until = models.DateTimeField(null=True, blank=True)

    objects = SmsDeviceManager()

    class Meta:
        verbose_name = _("SMS device")
        constraints = [models.UniqueConstraint(fields=["user"], name="one_sms_device_per_user")]

    def get_cooldown_duration(self) -> int:
        return settings.STEPUP_RESEND_SECONDS

    def get_throttle_factor(self) -> int:
        return settings.STEPUP_THROTTLE_FACTOR

    @property
    def locked(self) -> bool:
        return self.locked_until is not None and self.locked_until > timezone.now()

    @property
    def code_pending(self) -> bool:
        return self.token is not None and self.valid_until > timezone.now()

    @property
    def masked_phone(self) -> str:
        """The number as shown on the page: the last three digits only."""
        digits = "".join(ch for ch in self.phone if ch.isdigit())
        return "•••• " + digits[-3:] if len(digits) >= 3 else "••••"


class SmsSent(models.Model):
    """One SMS handed to the provider: counted for the per-user and per-union limits.
    Keeps no number and no text."""

    union = models.ForeignKey("union.Union", on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="+")
    sent_at = models.DateTimeField(default=timezone.now)

    objects = UnionScopedQuerySet.as_manager()

    class Meta:
        indexes = [models.Index(fields=["union", "sent_at"]),
                   models.Index(fields=["user", "sent_at"])]

    def __str__(self) -> str:
        return f"SMS {self.sent_at:%Y-%m-%d %H:%M}"
