import pytest
from django.test import Client
from wagtail.models import Page

from portal.branches.models import BranchPage
from portal.union.actions import union_indexes
from portal.union.bulk import bulk_create_children, bulk_create_pages
from portal.workplaces.models import EmployerPage, WorkplacePage
from tests.factories import make_branch, make_union


@pytest.mark.django_db
def test_bulk_pages_form_a_valid_tree_that_routes_and_grows():
    union = make_union("bulk")
    make_branch(union)  # an existing child: bulk pages continue after it
    index = union_indexes(union).branches
    index.refresh_from_db()
    branches = bulk_create_children(index, [
        BranchPage(title=f"B{i}", slug=f"b-{i}", union=union) for i in range(25)
    ])
    employers_index = union_indexes(union).employers
    employers = bulk_create_children(employers_index, [
        EmployerPage(title=f"E{i}", slug=f"e-{i}", union=union, business_id="0112038-9")
        for i in range(3)
    ])
    workplaces = bulk_create_pages(
        (e, [WorkplacePage(title=f"W{e.pk}-{i}", slug=f"w-{i}", union=union, employer_id=e.pk)
             for i in range(4)]) for e in employers
    )
    assert len(workplaces) == 12
    assert Page.find_problems() == ([], [], [], [], [])
    index.refresh_from_db()
    assert index.numchild == 26
    assert BranchPage.objects.child_of(index).count() == 26
    # Routing and the ordinary API work on bulk-created pages.
    client = Client(HTTP_HOST=union.site.hostname)
    assert client.get(branches[-1].url).status_code == 200
    assert client.get(workplaces[5].url).status_code == 200
    assert workplaces[5].get_parent().specific.pk == workplaces[5].employer_id
    # add_child after bulk creation lands after the bulk pages.
    later = index.add_child(instance=BranchPage(title="Later", slug="later", union=union))
    assert later.path > branches[-1].path
    assert Page.find_problems() == ([], [], [], [], [])
