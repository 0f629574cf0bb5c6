from django.conf import settings
from django.urls import include, path
from django.views.i18n import set_language
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from portal.accounts.views import authenticate_with_password
from portal.adminpanel.override_urls import admin_login
from portal.api.api import urls as api_urls
from portal.messaging.webhooks import webhook_urlpatterns
from themes.views import theme_css

urlpatterns = [
    # Before Wagtail's admin: its page search, filtered by union (search/admin_views.py).
    path("admin/pages/search/", include("search.admin_urls")),
    # Tenant-scoped replacements of a few Wagtail admin views; must precede Wagtail's.
    path("admin/", include("portal.adminpanel.override_urls")),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("accounts/", include("portal.accounts.urls")),
    path("oidc/", include("portal.identity.urls")),
    path("passkeys/", include("portal.passkeys.urls")),
    path("i18n/setlang/", set_language, name="set_language"),
    path("terms/", include("portal.terms.urls")),
    path("theme.css", theme_css, name="theme_css"),
    # The register REST API: union hostnames only (portal/api/api.py).
    path("api/v1/", api_urls()),
    # Email provider webhooks (bounces): any hostname; only with ANYMAIL_WEBHOOK_SECRET.
    *webhook_urlpatterns(),
    path("", include("portal.privacy.urls")),  # before people: /profile/export/ is its
    path("", include("portal.dpo.urls")),
    path("", include("portal.people.urls")),
    path("", include("portal.customfields.profile_urls")),
    path("search/", include("search.urls")),
    path("", include("portal.messaging.urls")),
    path("", include("portal.branches.urls")),
    path("", include("portal.activity.urls")),
    path("", include("portal.notifications.urls")),
    path("", include("portal.campaigns.urls")),
    path("", include("portal.mapping.urls")),
    path("", include("portal.discussions.urls")),
    path("", include("portal.home.urls")),
    path("", include("portal.membercard.urls")),
    path("", include("portal.stepup.urls")),
]

if settings.DEBUG:
    from django.conf.urls.static import static
    from django.contrib.staticfiles.urls import staticfiles_urlpatterns

    urlpatterns += staticfiles_urlpatterns()
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

urlpatterns += [
    # Wagtail's own unbranded sign-in form (for view-restricted pages): the union's instead.
    path("_util/login/", admin_login),
    path("_util/authenticate_with_password/<int:page_view_restriction_id>/<int:page_id>/",
         authenticate_with_password, name="wagtailcore_authenticate_with_password"),
    path("", include(wagtail_urls)),
]
