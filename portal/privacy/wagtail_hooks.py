"""The staff's access export screen in the admin (linked from the person page)."""

from django.urls import include, path
from wagtail import hooks

from . import admin_urls


@hooks.register("register_admin_urls")
def register_urls():
    return [path("privacy/", include(admin_urls, namespace="privacy_admin"))]


@hooks.register("describe_audit_targets")
def describe_audit_targets(union, targets) -> dict:
    """The people admin's and this app's pages by name in the last accesses."""
    from .audit_targets import describe

    return describe(union, targets)
