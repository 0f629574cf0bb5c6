"""The tenancy primitives every tenant-owned model uses.

Rule: a tenant-owned row carries its union, and code reads such rows through
`Model.objects.for_union(union)` (or `for_site(site)`), never through an
unscoped `.all()`/`.filter()` in a view, export, search or API.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.models import Page, PageManager
from wagtail.query import PageQuerySet

from .relations import TenantPageForm, check_relations, unlink_rich_text_outside

if TYPE_CHECKING:
    from wagtail.models import Site

    from .models import Union


class UnionScopeMixin:
    """The one tenancy rule for reads: rows of this union (or site), nothing for None."""

    def for_union(self, union: Union | None):
        if union is None:
            return self.none()
        return self.filter(union=union)

    def for_site(self, site: Site | None):
        if site is None:
            return self.none()
        return self.filter(union__site=site)


class UnionScopedQuerySet(UnionScopeMixin, models.QuerySet):
    pass


class UnionScopedPageQuerySet(UnionScopeMixin, PageQuerySet):
    pass


UnionScopedPageManager = PageManager.from_queryset(UnionScopedPageQuerySet)


class UnionOwnedModel(models.Model):
    union = models.ForeignKey(
        "union.Union", verbose_name=_("union"), on_delete=models.CASCADE, related_name="+"
    )

    objects = UnionScopedQuerySet.as_manager()

    class Meta:
        abstract = True


class UnionOwnedPage(Page):
    """A page that belongs to one union's tree and carries that union as a column.

    The column duplicates what the tree path already says, so that scoped lists of
    60,000 workplaces are an indexed filter rather than a path prefix scan.
    """

    union = models.ForeignKey(
        "union.Union",
        verbose_name=_("union"),
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
    )

    objects = UnionScopedPageManager()
    # The editor offers only this union's pages, images and documents (relations.py).
    base_form_class = TenantPageForm

    class Meta:
        abstract = True

    def clean(self):
        super().clean()
        check_relations(self, self.union_id)
        unlink_rich_text_outside(self, self.union_id)

    def get_view_restrictions(self):
        from .routing import view_restrictions_of

        restrictions = view_restrictions_of(self)
        return super().get_view_restrictions() if restrictions is None else restrictions

    def breadcrumb_pages(self) -> list[Page]:
        """The ancestors below the tree root: the union's page first, the parent last."""
        from .routing import routed_ancestors

        ancestors = routed_ancestors(self)
        if ancestors is None:
            ancestors = list(self.get_ancestors())
        return [page for page in ancestors if page.depth > 1]

    def full_clean(self, *args, **kwargs):
        # Pages made in the Wagtail admin get their union from their place in the tree.
        if not self.union_id:
            self.union_id = self._union_id_from_tree()
        super().full_clean(*args, **kwargs)

    def save(self, *args, **kwargs):
        if not self.union_id:
            self.union_id = self._union_id_from_tree()
        return super().save(*args, **kwargs)

    def _union_id_from_tree(self) -> int | None:
        from .models import Union

        path = self.path
        if not path:
            return None
        # The union's root page is at depth 2; its path is the first two steps.
        root_path = path[: Page.steplen * 2]
        return Union.objects.filter(root_page__path=root_path).values_list("pk", flat=True).first()
