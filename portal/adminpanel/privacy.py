"""The privacy dialogs (a page's or a collection's view restrictions) offer only the
union's own groups.

Wagtail's restriction forms list every Django group, so union A's admin saw union B's
role groups and could restrict a page to them. Wagtail's views take their form class
from their own module, with no hook for the groups; `install()` (AdminPanelConfig.ready)
puts these subclasses there. The union is the request's (portal/union/current.py, set
by UnionMiddleware): on a hostname of no union, no group is offered. The queryset also
validates what is posted, so another union's group id is refused as an invalid choice.
"""

from __future__ import annotations

from django.contrib.auth.models import Group
from django.db.models import Case, Value, When
from wagtail.admin.forms.collections import CollectionViewRestrictionForm
from wagtail.admin.forms.pages import PageViewRestrictionForm

from portal.union.current import current_union
from portal.union.models import Role


def union_groups():
    union = current_union()
    if union is None:
        return Group.objects.none()
    # Lowest role first: member, elected official, staff, union admin.
    rank = Case(*(When(union_role__role=role, then=Value(i)) for i, role in enumerate(Role)))
    return (Group.objects.filter(union_role__union=union).select_related("union_role")
            .order_by(rank))


def _scope_groups(form) -> None:
    field = form.fields["groups"]
    field.queryset = union_groups()
    # The role's name in the interface language, not the group's "slug: Role" name.
    field.label_from_instance = lambda group: group.union_role.get_role_display()


class UnionPageViewRestrictionForm(PageViewRestrictionForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _scope_groups(self)


class UnionCollectionViewRestrictionForm(CollectionViewRestrictionForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _scope_groups(self)


def install() -> None:
    from wagtail.admin.views import collection_privacy, page_privacy

    page_privacy.PageViewRestrictionForm = UnionPageViewRestrictionForm
    collection_privacy.CollectionViewRestrictionForm = UnionCollectionViewRestrictionForm
