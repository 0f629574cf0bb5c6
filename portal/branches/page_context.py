"""What the branches app's pages show: their `get_context` reads it from here (selectors and
cached sections), so that page models import no views."""

from django.core.paginator import Paginator
from django.db.models import Q

from portal.access.roles import can_manage_page
from portal.people.models import Employment
from portal.people.selectors import members_of_branch, officials_of
from portal.union.links import page_links
from portal.union.sections import sections_of
from portal.union.viewer import viewer_fact
from portal.workplaces.models import WorkplacePage

from .models import BranchPage, BulletinPage
from .visibility import bulletin_access, public_q


def branch_index_context(page, request) -> dict:
    branches = BranchPage.objects.child_of(page).live().order_by("title").only(
        "id", "title", "url_path", "number", "municipality"
    )
    return {"branches": Paginator(branches, 100).get_page(request.GET.get("page"))}




def _workplaces_of_members(page, union) -> list:
    """Workplaces where the branch's members now work (links, at most 50)."""
    in_branch = Employment.objects.current().filter(person__branch=page)
    return page_links(
        union,
        WorkplacePage.objects.live()
        .filter(pk__in=in_branch.values("workplace_id"))
        .order_by("title")[:50],
        note="employer__title",
    )


def _bulletins(request, page, section) -> tuple[list, set[int], str | None]:
    """Links (date as the note) to the ten newest bulletins the viewer may see
    (`visibility`), the ids of those among them that are not public, and which shared
    list it is ("all-marked", "public"; None for a member's own). The public's list and
    the branch officials' full list are cached with the sections; a member's own (public
    plus those sent to them) briefly per viewer (`union.viewer`: a sending that starts
    makes it stale, as it does the sections)."""
    union = request.union or page.union
    access = bulletin_access(request.user, request.union)

    def links(rule):
        return page_links(union, BulletinPage.objects.child_of(page).live().filter(rule)
                          .order_by("-date", "-pk")[:10], note="date")

    def all_marked():
        # Officials see which of them the public does not (scheduled, sent to part of
        # the branch, or never sent).
        rows = links(Q())
        public = set(BulletinPage.objects.filter(public_q(), pk__in=[r.pk for r in rows])
                     .values_list("pk", flat=True))
        return rows, {r.pk for r in rows} - public

    if access.sees_all_of(page.pk):
        return (*section(name="bulletins-all-marked", build=all_marked), "all-marked")
    if access.public_only:
        return section(name="bulletins-public", build=lambda: links(public_q())), set(), "public"
    own = viewer_fact(union_id=union.pk, user=request.user, name=f"bulletins:{page.pk}",
                      build=lambda: links(access.q()))
    return own, set(), None


def branch_page_context(page, request) -> dict:
    section = sections_of(request, page)
    bulletins, not_public, shared = _bulletins(request, page, section)
    context = {
        "officials": officials_of(request=request, pages=[page]),
        "bulletins": bulletins,
        "bulletins_not_public": not_public,
        # Which shared list the bulletins are (their HTML is cached per kind), or None.
        "bulletins_shared": shared,
        "can_write_bulletins": False,
        "workplaces": [],
        "members": None,
    }
    if request.user.is_authenticated and request.union is not None:
        # Members only; the list names no people, so it is cached for all of them.
        context["workplaces"] = section(
            name="workplaces", build=lambda: _workplaces_of_members(page, request.union)
        )
    if can_manage_page(request, page):
        context["members"] = members_of_branch(request=request, branch=page)
        # Those who see the members are the branch's officials or staff; of them, the
        # ones with the add right write bulletins (front-end link to the bulletin list).
        context["can_write_bulletins"] = page.permissions_for_user(request.user).can_add_subpage()
    return context
