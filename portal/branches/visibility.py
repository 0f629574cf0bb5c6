"""Who may see a bulletin: the one rule, used by every place that lists or shows one.

- The public (signed out, or of another union) and every member: a live bulletin once
  its sending has finished and only if its audience was the whole branch (every active
  and on-leave member, no workplace, employer or language filter) or wider.
- Members in its audience: the bulletin once sending started (they have a delivery, so
  it is in their email and their activity stream), whatever the audience.
- The branch's officials (positions of trust that see the branch's members: chair,
  secretary, board) and the union's staff and admins: every live bulletin of the
  branch, scheduled or not yet sent ones included.

A live bulletin that was published but never sent (e.g. in the Wagtail admin) is thus
seen only by the branch's officials and staff. Used by the branch page's list
(`views.branch_page_context`), `BulletinPage.serve`, the main search (index documents
and the database fallback) and the bulletin lists of a member's own pages.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.dispatch import Signal

from portal.access.roles import is_staff, roles_for
from portal.union.models import Role

# Sent when who may see a bulletin changes without the page itself being saved: its
# sending was scheduled, started (recipients listed), finished, cancelled or removed.
# Kwargs: union_id, bulletin_id. The cached page sections of the union go stale here;
# the search index listens too (search/signals.py).
visibility_changed = Signal()


def send_changed(*, union_id: int, bulletin_id: int) -> None:
    from portal.union.sections import invalidate

    invalidate(union_id)
    visibility_changed.send(sender=None, union_id=union_id, bulletin_id=bulletin_id)


def public_q() -> Q:
    from portal.messaging.models import SendStatus

    return Q(send__status=SendStatus.DONE, send__whole_branch=True)


def audience_q(user_id: int) -> Q:
    """Bulletins whose recipient list (fixed when sending started) has this user."""
    from portal.messaging.models import Delivery

    return Q(Exists(Delivery.objects.filter(send__bulletin_id=OuterRef("pk"),
                                            person__user_id=user_id)))


@dataclass(frozen=True)
class BulletinAccess:
    """What one viewer may see, reduced to a few values (no per-bulletin lists)."""

    staff: bool = False
    user_id: int | None = None
    branch_paths: tuple[str, ...] = ()  # branches whose official the viewer is
    branch_ids: tuple[int, ...] = ()

    @property
    def public_only(self) -> bool:
        return not self.staff and self.user_id is None

    def sees_all_of(self, branch_id: int) -> bool:
        """Every live bulletin of this branch (staff, or one of its officials)."""
        return self.staff or branch_id in self.branch_ids

    def q(self) -> Q:
        """The filter on BulletinPage rows."""
        if self.staff:
            return Q()
        q = public_q()
        if self.user_id is not None:
            q |= audience_q(self.user_id)
        for path in self.branch_paths:
            q |= Q(path__startswith=path)
        return q


def bulletin_access(user, union) -> BulletinAccess:
    """The access of `user` in `union`; anonymous, or of another union: the public's.

    A plain member costs no query (roles are cached per request); an official one."""
    roles = roles_for(user, union)
    if not roles:
        return BulletinAccess()
    if is_staff(user, union):
        return BulletinAccess(staff=True, user_id=user.pk)
    branches: tuple = ()
    if Role.OFFICIAL in roles:
        from portal.access.grants import SCOPE_SEEING_POSITIONS
        from portal.people.models import PositionOfTrust, ScopeKind

        # The same positions as people.scopes (those that see a branch's members), with
        # the branches' paths, in one query.
        branches = tuple(
            PositionOfTrust.objects.for_union(union).current()
            .filter(person__user=user, kind__in=SCOPE_SEEING_POSITIONS,
                    scope_kind=ScopeKind.BRANCH)
            .values_list("scope_page_id", "scope_page__path").distinct())
    return BulletinAccess(user_id=user.pk, branch_ids=tuple(pk for pk, _p in branches),
                          branch_paths=tuple(path for _pk, path in branches))


def visible_bulletins(user, union, access: BulletinAccess | None = None) -> QuerySet:
    """The union's live bulletins `user` may see (any branch)."""
    from .models import BulletinPage

    access = access or bulletin_access(user, union)
    return BulletinPage.objects.for_union(union).live().filter(access.q())


def hidden_bulletins(user, union) -> QuerySet | None:
    """The union's bulletins `user` may not see (for excluding them from page lists
    such as search), or None when they may see all."""
    from .models import BulletinPage

    access = bulletin_access(user, union)
    if access.staff:
        return None
    # A subquery rather than exclude(q): NOT over the outer join of bulletins without a
    # send would be NULL, and those rows would drop out of the exclusion.
    seen = BulletinPage.objects.for_union(union).filter(access.q()).values("pk")
    return BulletinPage.objects.for_union(union).exclude(pk__in=seen)


def is_public(bulletin) -> bool:
    from .models import BulletinPage

    return BulletinPage.objects.filter(public_q(), pk=bulletin.pk, live=True).exists()


def may_view(user, union, bulletin) -> bool:
    """The page's own check (`BulletinPage.serve`)."""
    if union is None or bulletin.union_id != union.pk:
        return False
    return visible_bulletins(user, union).filter(pk=bulletin.pk).exists()


def search_fields(bulletins) -> dict[int, dict]:
    """The visibility fields of bulletins' search documents, in three queries a batch:
    `audience_restricted` (not public), the `branch_id` whose officials find it anyway,
    and the `audience_user_ids` of its recipients (only for restricted bulletins: a
    public one needs no list). The search engine filters on them (search/engine.py)."""
    from wagtail.models import Page

    from portal.messaging.models import Delivery

    from .models import BranchPage, BulletinPage

    pages = {page.pk: page for page in bulletins}
    if not pages:
        return {}
    public = set(BulletinPage.objects.filter(public_q(), pk__in=list(pages))
                 .values_list("pk", flat=True))
    parent_paths = {pk: page.path[: -Page.steplen] for pk, page in pages.items()}
    branch_of_path = dict(BranchPage.objects.filter(path__in=set(parent_paths.values()))
                          .values_list("path", "pk"))
    users: dict[int, list[int]] = {}
    for bulletin_id, user_id in (
        Delivery.objects.filter(send__bulletin_id__in=[pk for pk in pages if pk not in public],
                                person__user__isnull=False)
        .values_list("send__bulletin_id", "person__user_id")
    ):
        users.setdefault(bulletin_id, []).append(user_id)
    return {
        pk: {"audience_restricted": pk not in public,
             "branch_id": branch_of_path.get(parent_paths[pk]),
             "audience_user_ids": sorted(users.get(pk, ()))}
        for pk in pages
    }
