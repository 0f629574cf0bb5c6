"""Wagtail's admin page search, limited to the user's union by one path prefix.

Wagtail filters admin search results by `pk__in=<every explorable page id>`. For staff
of a large union that is ~90,000 ids, past Elasticsearch's 65,536-term limit (Wagtail
issue #12770). Staff may explore exactly their union's tree, so here that filter is a
single prefix filter on the tree path, which the Elasticsearch backend runs as a
`prefix` query. Everyone else (officials with a few scope pages, platform operators)
keeps Wagtail's own permission filter: their lists are short.
"""

from __future__ import annotations

from typing import Any

from django.db.models.query import QuerySet
from wagtail.admin.views.pages.search import SearchView, page_filter_search
from wagtail.models import Page
from wagtail.permissions import page_permission_policy

from portal.access.roles import is_staff


def _staff_union(request):
    union = getattr(request, "union", None)
    user = request.user
    if union is not None and is_staff(user, union):
        return union
    return None


class UnionPageSearchView(SearchView):
    """Admin page search. Permission: Wagtail admin access and a page permission;
    staff see their union's tree, others the pages the page policy lets them explore."""

    def _pages_to_search(self) -> QuerySet:
        union = _staff_union(self.request)
        if union is not None:
            return Page.objects.filter(path__startswith=union.root_page.path)
        explorable = page_permission_policy.explorable_instances(self.request.user)
        return Page.objects.filter(pk__in=explorable.values_list("pk", flat=True))

    def get_queryset(self) -> QuerySet[Any]:
        # As SearchView.get_queryset, with the permission filter above.
        self.all_pages = self._pages_to_search()
        pages = self.all_pages
        if self.show_locale_labels:
            pages = pages.select_related("locale")
        if self.ordering:
            pages = pages.order_by(self.ordering)
        if self.selected_content_type:
            pages = pages.filter(content_type=self.selected_content_type)
        pages = self.annotate_queryset(pages)
        pages, self.all_pages = page_filter_search(
            self.search_query, pages, self.all_pages, self.ordering
        )
        if pages.supports_facet:
            from django.contrib.contenttypes.models import ContentType

            self.content_types = [
                (ContentType.objects.get_for_id(content_type_id), count)
                for content_type_id, count in self.all_pages.facet("content_type_id").items()
            ]
        return pages
