"""Who maps a workplace: the union's staff, and anyone whose current page grant lets them
edit the workplace page — its officials (shop steward, deputy, safety representative;
an employer's officials for its workplaces, through the tree), and a campaign team
member while their time-limited position on the workplace lasts (the grant carries the
position's end date: `access.policy.current_grants` checks it at every request).

Not asked of roles alone: a campaign team member need not hold the official role, so
the page policy is asked for everyone who is not staff."""

from __future__ import annotations

from django.http import Http404

from portal.access.roles import is_staff, roles_for
from portal.union.features import require_feature
from portal.union.models import UnionFeature
from portal.workplaces.models import WorkplacePage


def can_map(user, union, workplace) -> bool:
    if union is None or workplace is None or workplace.union_id != union.pk:
        return False
    if not roles_for(user, union):
        return False
    if is_staff(user, union):
        return True
    return workplace.permissions_for_user(user).can_edit()


def mapped_workplace(request, workplace_id: int) -> WorkplacePage:
    """The workplace of this union that the signed-in user may map, else 404 (a 404, not a
    403: whether a workplace is mapped is nobody else's business)."""
    require_feature(request, UnionFeature.WORKPLACE_MAPPING)
    workplace = (WorkplacePage.objects.for_union(request.union).filter(pk=workplace_id)
                 .select_related("employer").first())
    if workplace is None or not can_map(request.user, request.union, workplace):
        raise Http404
    workplace.union = request.union  # its row is the request's: no second read
    return workplace
