"""Publishing a Wagtail draft of an employer saved before the register wrote the page
keeps the register's values (one way), or settles them by the later change with both
versions kept (both ways)."""

from __future__ import annotations

import pytest

from portal.register.actions import upsert_records
from portal.register.models import Conflict
from portal.workplaces.models import EmployerPage
from tests.factories import make_employer, make_union

from .test_feed_and_twoway import _set_flow

pytestmark = pytest.mark.usefixtures("postgres")


def _draft(employer, **values):
    page = EmployerPage.objects.get(pk=employer.pk).get_latest_revision_as_object()
    for name, value in values.items():
        setattr(page, name, value)
    return page.save_revision()


def _register(union, employer, **values):
    upsert_records(union=union, kind="employers", source="api", records=[
        {"business_id": employer.business_id, "name": employer.title, **values}])


@pytest.mark.parametrize("flow", ["one_way", "two_way"])
def test_an_old_draft_does_not_bring_old_values_back(db, flow):
    union = make_union()
    _set_flow(union, flow, kind="employers")
    employer = make_employer(union, title="Kahvila")
    employer.save_revision().publish()
    stale = _draft(employer, industry="Kahvilat")  # touches no field the register wrote
    edited = _draft(employer, city="Kemi")  # the city edited, then the register's city
    _register(union, employer, name="Kahvila Oy", city="Oulu")
    edited.publish()
    page = EmployerPage.objects.get(pk=employer.pk)
    assert (page.title, page.city) == ("Kahvila Oy", "Oulu")  # the register's was later
    assert page.get_latest_revision_as_object().city == "Oulu"  # the editor opens it
    conflicts = list(Conflict.objects.for_union(union).values_list(
        "kind", "key", "field", "portal_value", "register_value", "winner"))
    assert conflicts == ([] if flow == "one_way" else [
        ("employers", employer.business_id, "city", "Kemi", "Oulu", "register")])
    stale.publish()  # changed no field the register wrote: its own change is published
    page.refresh_from_db()
    assert (page.title, page.draft_title, page.city, page.industry) == (
        "Kahvila Oy", "Kahvila Oy", "Oulu", "Kahvilat")
    assert Conflict.objects.count() == len(conflicts)
    if flow == "two_way":  # a draft edited after the register wrote is the later change
        _draft(employer, city="Vaasa").publish()
        page.refresh_from_db()
        assert page.city == "Vaasa"
        assert Conflict.objects.count() == 1  # a plain portal edit, no conflict
