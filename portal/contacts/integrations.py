"""What the other contact-register apps offer the people admin (the contract in
docs/contact-register.md): their list filters (`filter_people`), their person-page
sections (`person_section`) and bulk "add to group". contacts sits on top of them and
nothing imports it; an app that is not installed (or offers no such function) simply
gives no filter, section or action, so this module looks them up by name. An installed
app that fails to import is an error, not a missing feature."""

from __future__ import annotations

import importlib
from functools import cache

from django.conf import settings


@cache
def offered(module: str, name: str):
    """`portal.<module>.<name>` when that app is installed and offers it, else None."""
    app = "portal." + module.split(".")[0]
    if app not in settings.INSTALLED_APPS:
        return None
    return getattr(importlib.import_module(f"portal.{module}"), name, None)


# Person page sections of the other apps, in the contract's order, each after the
# section of ours named first: (after, app).
SECTIONS = (
    ("membership", "lifeevents"),
    ("employments", "officials"),
    ("positions", "groups"),
    ("positions", "customfields"),
    ("positions", "terms"),
)
