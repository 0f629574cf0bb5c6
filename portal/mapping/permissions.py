"""Who maps a workplace: the union's staff, and anyone whose current page grant lets them
edit the workplace page — its officials (shop steward, deputy, safety representative;
an employer's officials for its workplaces, through the tree), and a campaign team
member while their time-limited position on the workplace lasts (the grant carries the
position's end date: `access.policy.current_grants` checks it at every request).

Not asked of roles alone: a campaign team member need not hold the official role, so
the page policy is asked for everyone who is not staff.

Asked once per request and workplace. Staff are answered by their roles (a cached viewer
fact: no query). Anyone else's right is one EXISTS folded into the query that loads the
workplace (`mapped_workplace`), or one query (`can_map`): the page policy's rule in SQL
— a current grant or a group page permission of `change` on the workplace or a page
above it, or `add` there on a page the user owns. The answer is kept on the user object
for the request (as Wagtail keeps the user's page permissions there), so the actions the
view then calls ask no more; it is forgotten when the user's grants or roles change
(`access.roles.forget_roles`). Only a "no" goes on to Wagtail's own tester (its further
case: a moderation task that opens the editor), so the rule is Wagtail's exactly."""

from __future__ import annotations

from django.db.models import BooleanField, Exists, ExpressionWrapper, OuterRef, Q
from django.db.models.functions import Left, Length
from django.http import Http404
from wagtail.models import GroupPagePermission

from portal.access.policy import current_grants
from portal.access.roles import is_staff, rights_cache, roles_for
from portal.union.features import require_feature
from portal.union.models import UnionFeature
from portal.workplaces.models import WorkplacePage

_CACHE = "mapping"
# Wagtail's tester reads the action as the codename up to its last "_": change_page.
_CHANGE, _ADD = r"^change_[^_]*$", r"^add_[^_]*$"


def _edit_right(user) -> Q:
    """The page policy's `can_edit` of a page (a WorkplacePage row) for `user`, in SQL: a
    permission on the page or an ancestor (its path a prefix of the page's)."""
    def on_the_line(rows, page):
        return rows.filter(**{page: Left(OuterRef("path"), Length(page))})

    def rights(codename):
        return Q(Exists(on_the_line(
            current_grants(user).filter(permission__codename__regex=codename),
            "content_object__path"))) | Q(Exists(on_the_line(
                GroupPagePermission.objects.filter(group__user=user,
                                                   permission__codename__regex=codename),
                "page__path")))

    return rights(_CHANGE) | (Q(owner_id=user.pk) & rights(_ADD))


def _cache(user) -> dict:
    # Forgotten when the user's grants or roles change (`access.roles.forget_roles`): a
    # user object kept past an ended term (a task, a shell) is not answered "yes".
    return rights_cache(user, _CACHE)


def _decided(user, workplace, by_sql: bool) -> bool:
    # A "no" asks Wagtail's tester: the rule stays the page policy's in every case.
    return by_sql or workplace.permissions_for_user(user).can_edit()


def _without_query(user, union) -> bool | None:
    """True or False when roles decide; None when the page rights must be read."""
    if not roles_for(user, union):
        return False
    if user.is_superuser or is_staff(user, union):
        return True
    return None


def can_map(user, union, workplace) -> bool:
    if union is None or workplace is None or workplace.union_id != union.pk:
        return False
    cache = _cache(user) if user is not None else {}
    key = (union.pk, workplace.pk)
    if key not in cache:
        decided = _without_query(user, union)
        if decided is None:
            decided = _decided(user, workplace, WorkplacePage.objects.filter(
                pk=workplace.pk).filter(_edit_right(user)).exists())
        cache[key] = decided
    return cache[key]


def mapped_workplace(request, workplace_id: int) -> WorkplacePage:
    """The workplace of this union that the signed-in user may map, else 404 (a 404, not a
    403: whether a workplace is mapped is nobody else's business). One query: the row,
    with the viewer's right to map it as a column unless their roles decide it."""
    require_feature(request, UnionFeature.WORKPLACE_MAPPING)
    user, union = request.user, request.union
    decided = _without_query(user, union)
    if decided is False:
        raise Http404
    workplaces = (WorkplacePage.objects.for_union(union).filter(pk=workplace_id)
                  .select_related("employer"))
    if decided is None:
        workplaces = workplaces.annotate(viewer_maps=ExpressionWrapper(
            _edit_right(user), output_field=BooleanField()))
    workplace = workplaces.first()
    if workplace is None:
        raise Http404
    workplace.union = union  # its row is the request's: no second read
    if decided is None:
        decided = _decided(user, workplace, workplace.viewer_maps)
    _cache(user)[(union.pk, workplace.pk)] = decided
    if not decided:
        raise Http404
    return workplace
