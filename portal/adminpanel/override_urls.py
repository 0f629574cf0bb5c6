"""Wagtail admin URLs served by tenant-scoped subclasses (included before Wagtail's own
admin URLs in portal/urls.py, so the first match is ours).

Wagtail's page chooser fetches a parent page, or the pages named by `?id=`, by id with
no permission check and no hook; another union's ids would show that union's page
titles and addresses. These subclasses answer 404 for pages outside the user's union.

Wagtail's own sign-in page (admin/login/) is replaced by a redirect to the union's
sign-in page, which carries the one password reset flow (portal/accounts).
"""

from urllib.parse import urlencode

from django.http import Http404, HttpResponseRedirect
from django.urls import path, reverse
from django.utils.http import url_has_allowed_host_and_scheme
from wagtail.admin.auth import require_admin_access
from wagtail.admin.views import chooser
from wagtail.models import Page

from .scoping import union_pages


class BrowseView(chooser.BrowseView):
    """Permission: admin access; pages of the user's own union only."""

    def get(self, request, parent_page_id=None):
        if parent_page_id and not union_pages(request, Page.objects.filter(pk=parent_page_id)
                                              ).exists():
            raise Http404
        return super().get(request, parent_page_id=parent_page_id)


class ChosenMultipleView(chooser.ChosenMultipleView):
    """Permission: admin access; pages of the user's own union only."""

    def get(self, request):
        ids = request.GET.getlist("id")
        if union_pages(request, Page.objects.filter(pk__in=ids)).count() != len(set(ids)):
            raise Http404
        return super().get(request)


def admin_login(request):
    """Permission: anyone. Sends to the union's sign-in page (accounts:login), keeping a
    safe `next`; Wagtail's sign-in page and its password reset are not used."""
    url = reverse("accounts:login")
    next_url = request.GET.get("next", "")
    if next_url and url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        url += "?" + urlencode({"next": next_url})
    return HttpResponseRedirect(url)


urlpatterns = [
    path("login/", admin_login),
    path("choose-page/<int:parent_page_id>/", require_admin_access(BrowseView.as_view())),
    path("choose-page/chosen-multiple/", require_admin_access(ChosenMultipleView.as_view())),
]
