"""Replaces Wagtail's admin page search URLs (included before Wagtail's admin URLs)."""

from django.urls import path
from django.views.decorators.cache import never_cache
from wagtail.admin.auth import require_admin_access

from .admin_views import UnionPageSearchView

urlpatterns = [
    path("", never_cache(require_admin_access(UnionPageSearchView.as_view())),
         name="union_admin_page_search"),
    path("results/",
         never_cache(require_admin_access(UnionPageSearchView.as_view(results_only=True))),
         name="union_admin_page_search_results"),
]
