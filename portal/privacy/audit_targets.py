"""The admin pages' audit targets in words for the legal-basis view's last accesses
(privacy's `describe_audit_targets` hook): a page records either its URL name
("contacts:person") or the path it was read at ("/admin/privacy/people/7/basis/"); both
read as the page's name instead of a raw code or address."""

from __future__ import annotations

from django.urls import Resolver404, resolve
from django.utils.translation import gettext_lazy as _

PAGES = {
    "contacts:list": _("People"),
    "contacts:person": _("People admin: the person's page"),
    "contacts:edit": _("Edit basic info and membership"),
    "privacy_admin:person": _("Personal data export"),
    "privacy_admin:download": _("Personal data export"),
    "privacy_admin:basis": _("Legal basis and accesses"),
    "merging:candidates": _("Duplicates"),
    "merging:compare": _("Duplicates"),
    "membercard:verify": _("Member card"),
}


def describe(union, targets) -> dict:
    found = {}
    for target in targets:
        name = target
        if target.startswith("/"):
            try:
                name = resolve(target.split("?", 1)[0]).view_name
            except Resolver404:
                continue
        if name in PAGES:
            found[target] = str(PAGES[name])
    return found
