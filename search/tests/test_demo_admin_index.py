"""`make demo` (seed_demo) builds the Wagtail admin's search index: the admin's page
search finds the demo's pages, which the seeder creates in bulk past Wagtail's signals."""

import io

import pytest
from django.core.management import call_command
from wagtail.models import Page
from wagtail.search.backends import get_search_backend

from portal.union.models import Union
from portal.workplaces.models import WorkplacePage

pytestmark = pytest.mark.django_db


@pytest.fixture
def database_backend(settings):
    settings.WAGTAILSEARCH_BACKENDS = {
        "default": {"BACKEND": "wagtail.search.backends.database"}}


def _found(title: str) -> int:
    union = Union.objects.get(slug="pal")
    pages = Page.objects.filter(path__startswith=union.root_page.path)
    return len(get_search_backend().search(title, pages))


def test_seed_demo_builds_the_admin_search_index(database_backend):
    call_command("seed_demo", members=12, branches=1, employers=2, workplaces=2,
                 only=["pal"], no_admin_index=True, stdout=io.StringIO())
    workplace = WorkplacePage.objects.order_by("-pk").first()
    assert _found(workplace.title) == 0  # bulk-created: the index knows nothing of it
    call_command("update_index", verbosity=0)
    assert _found(workplace.title) >= 1


def test_seed_demo_runs_update_index(database_backend):
    call_command("seed_demo", members=12, branches=1, employers=2, workplaces=2,
                 only=["pal"], stdout=io.StringIO())
    workplace = WorkplacePage.objects.order_by("-pk").first()
    assert _found(workplace.title) >= 1
