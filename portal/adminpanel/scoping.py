"""Tenant scoping of Wagtail admin filters that list users or sites of every union.

Wagtail filters its listing *rows* through the page permission policy, but several
filter widgets take their *choices* from the whole database: the explorer's "owner",
"edited by" and "site" filters, the locked-pages report's "locked by", the site
history's "user" and the workflow report's "requested by". Those would show union A's
admin the names and addresses of union B's staff. Wagtail has no hook for these
querysets, so `install()` (called once from AdminPanelConfig.ready, like
`portal.access.policy.install`) narrows each to the signed-in user's union. The
page-types usage report counts pages and names the last edited page across every
site; it is left to superusers.

tests/test_admin_isolation.py walks these views with canaries in another union.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from wagtail.models import Page, Site


def union_users(request):
    """Accounts of the signed-in user's union (all for superusers, none without one)."""
    users = get_user_model()._default_manager
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return users.none()
    if user.is_superuser:
        return users.all()
    if user.union_id is None:
        return users.none()
    return users.filter(union_id=user.union_id)


def union_sites(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return Site.objects.none()
    if user.is_superuser:
        return Site.objects.all()
    return Site.objects.filter(union__pk=user.union_id) if user.union_id else Site.objects.none()


def union_pages(request, pages):
    """Pages inside the signed-in user's union tree (all for superusers)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return pages.none()
    if user.is_superuser:
        return pages
    union = user.union
    if union is None:
        return pages.none()
    root_path = Page.objects.filter(pk=union.root_page_id).values_list("path", flat=True).get()
    return pages.filter(path__startswith=root_path)


def _narrow_users(filter_, original=None):
    original = original if original is not None else filter_.queryset

    def queryset(request):
        base = original(request) if callable(original) else original
        return base.filter(pk__in=union_users(request).values("pk"))

    filter_.queryset = queryset


class _SuperusersOnly:
    """A permission policy stand-in for views that summarise every union."""

    def user_has_permission(self, user, action):
        return user.is_active and user.is_superuser

    def user_has_any_permission(self, user, actions):
        return user.is_active and user.is_superuser


def install() -> None:
    from wagtail.admin.views.pages.listing import GenericPageFilterSet, PageFilterSet
    from wagtail.admin.views.reports.audit_logging import SiteHistoryReportFilterSet
    from wagtail.admin.views.reports.locked_pages import LockedPagesReportFilterSet
    from wagtail.admin.views.reports.page_types_usage import PageTypesUsageReportView
    from wagtail.admin.views.reports.workflows import WorkflowReportFilterSet

    if getattr(PageFilterSet, "_union_scoped", False):
        return
    for filterset in (PageFilterSet, GenericPageFilterSet):
        _narrow_users(filterset.base_filters["owner"])
        _narrow_users(filterset.base_filters["edited_by"])
        filterset.base_filters["site"].queryset = union_sites
        filterset._union_scoped = True
    _narrow_users(LockedPagesReportFilterSet.base_filters["locked_by"])
    _narrow_users(WorkflowReportFilterSet.base_filters["requested_by"])

    original_users = SiteHistoryReportFilterSet.get_users_queryset

    def get_users_queryset(self):
        return original_users(self).filter(pk__in=union_users(self.request).values("pk"))

    SiteHistoryReportFilterSet.get_users_queryset = get_users_queryset
    PageTypesUsageReportView.permission_policy = _SuperusersOnly()
