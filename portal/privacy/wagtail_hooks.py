"""The staff's access export screen in the admin (linked from the person page)."""

from django.urls import include, path
from wagtail import hooks

from . import admin_urls


@hooks.register("register_admin_urls")
def register_urls():
    return [path("privacy/", include(admin_urls, namespace="privacy_admin"))]
