"""Wagtail admin URLs served by tenant-scoped subclasses (included before Wagtail's own
admin URLs in portal/urls.py, so the first match is ours).

Wagtail's page chooser fetches a parent page, or the pages named by `?id=`, by id with
no permission check and no hook; another union's ids would show that union's page
titles and addresses. These subclasses answer 404 for pages outside the user's union.
"""

from django.http import Http404
from django.urls import path
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


urlpatterns = [
    path("choose-page/<int:parent_page_id>/", require_admin_access(BrowseView.as_view())),
    path("choose-page/chosen-multiple/", require_admin_access(ChosenMultipleView.as_view())),
]
