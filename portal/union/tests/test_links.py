"""Page links without page objects give the URLs Wagtail gives."""

import pytest

from portal.union.links import page_links, site_url
from portal.workplaces.models import WorkplacePage
from tests.factories import make_employer, make_union, make_workplace

pytestmark = pytest.mark.django_db


def test_links_match_wagtails_urls_and_stay_in_their_site():
    union, other = make_union("links"), make_union("links2")
    employer = make_employer(union, "Linkki Oy")
    workplaces = [make_workplace(employer, name) for name in ("Varasto", "Myymälä")]
    other_workplace = make_workplace(make_employer(other, "Muu Oy"), "Toinen")

    links = page_links(union, WorkplacePage.objects.filter(employer=employer).order_by("title"),
                       note="employer__title")
    expected = sorted(workplaces, key=lambda w: w.title)
    assert [(link.pk, link.title, link.note) for link in links] == [
        (w.pk, w.title, employer.title) for w in expected]
    assert [link.url for link in links] == [
        w.get_url_parts()[2] for w in expected]
    assert all(link.url.startswith("/") and "links" not in link.url.split("/")[1]
               for link in links)
    with pytest.raises(ValueError):
        site_url(union.site_id, other_workplace.url_path)
