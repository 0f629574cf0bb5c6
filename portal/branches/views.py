from django.core.paginator import Paginator

from portal.access.roles import can_manage_page
from portal.people.models import Employment
from portal.people.selectors import members_of_branch, officials_of
from portal.union.links import page_links
from portal.workplaces.models import WorkplacePage

from .models import BranchPage, BulletinPage


def branch_index_context(page, request) -> dict:
    branches = BranchPage.objects.child_of(page).live().order_by("title").only(
        "id", "title", "url_path", "number", "municipality"
    )
    return {"branches": Paginator(branches, 100).get_page(request.GET.get("page"))}




def branch_page_context(page, request) -> dict:
    context = {
        "officials": officials_of(request=request, pages=[page]),
        "bulletins": list(
            BulletinPage.objects.child_of(page).live().order_by("-date")
            .only("id", "title", "url_path", "date", "summary")[:10]
        ),
        "workplaces": [],
        "members": None,
    }
    if request.user.is_authenticated and request.union is not None:
        in_branch = Employment.objects.current().filter(person__branch=page)
        context["workplaces"] = page_links(
            request.union,
            WorkplacePage.objects.live()
            .filter(pk__in=in_branch.values("workplace_id"))
            .order_by("title")[:50],
            note="employer__title",
        )
    if can_manage_page(request, page):
        context["members"] = members_of_branch(request=request, branch=page)
        # Those who see the members are the branch's officials or staff; of them, the
        # ones with the add right write bulletins (front-end link to the bulletin list).
        context["can_write_bulletins"] = page.permissions_for_user(request.user).can_add_subpage()
    return context
