"""The kinds of notification and how each is emailed unless the person chose otherwise."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from portal.activity.models import ActivityKind


class Delivery(models.TextChoices):
    IMMEDIATELY = "now", _("Immediately")
    DIGEST = "digest", _("In a daily digest")
    NEVER = "never", _("Never")


# The kinds a person can choose for, in the order the preferences page shows them, with
# their defaults: what needs an answer soon comes at once, the rest once a day. A
# bulletin is emailed in full by portal/messaging itself (its own sending), so its
# notification item is the activity entry and the preference decides that email.
KINDS: dict[str, str] = {
    ActivityKind.MESSAGE: Delivery.IMMEDIATELY,
    ActivityKind.MENTION: Delivery.IMMEDIATELY,
    ActivityKind.MEETING: Delivery.IMMEDIATELY,
    ActivityKind.BULLETIN: Delivery.IMMEDIATELY,
    ActivityKind.CAMPAIGN: Delivery.DIGEST,
    ActivityKind.TERMS: Delivery.DIGEST,
    ActivityKind.SYSTEM: Delivery.DIGEST,
}


def label(kind: str) -> str:
    return str(dict(ActivityKind.choices).get(kind, kind))
