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


# The kinds some installed feature sends. A kind is offered on the preferences page only
# once a feature registers it (in its AppConfig.ready()): a mention or a meeting invitation
# has a kind, defaults and room in the model, but until something sends them a choice for
# them would be a setting that does nothing.
_SENT: set[str] = set()


def register_sent(*kinds: str) -> None:
    """A feature declares that it sends notifications of these kinds (from its ready())."""
    unknown = set(kinds) - set(KINDS)
    if unknown:
        raise ValueError(f"not notification kinds: {sorted(unknown)}")
    _SENT.update(kinds)


def offered() -> dict[str, str]:
    """The kinds a person can choose for (some feature sends them), with their defaults,
    in the page's order."""
    return {kind: default for kind, default in KINDS.items() if kind in _SENT}
