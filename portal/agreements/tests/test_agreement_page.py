"""An agreement page lists the employers it covers (cached with the page's sections) and
shows a newly covered employer at once."""

import pytest
from django.test import Client

from portal.union.models import Role
from tests.factories import make_agreement, make_employer, make_person, make_union

pytestmark = pytest.mark.django_db


def test_covered_employers_are_listed_counted_and_fresh_after_a_change():
    union = make_union("agr")
    agreement = make_agreement(union)
    first = make_employer(union, title="Alpha")
    first.agreements.add(agreement)
    first.save()
    other_union = make_union("agr-other")
    make_employer(other_union, title="Foreign")  # never listed: another union's
    member = make_person(union, roles=(Role.MEMBER,))
    client = Client(HTTP_HOST=union.site.hostname)
    client.force_login(member.user)
    url = agreement.relative_url(union.site)

    context = client.get(url).context
    assert context["covered_employer_count"] == 1
    assert context["covered_employers"] == [{"title": first.title,
                                             "url": first.relative_url(union.site)}]
    second = make_employer(union, title="Beta")
    second.agreements.add(agreement)
    second.save()  # a page save: the cached list is stale at once
    context = client.get(url).context
    assert context["covered_employer_count"] == 2
    assert [e["title"] for e in context["covered_employers"]] == [first.title, second.title]
    assert f'href="{second.relative_url(union.site)}"' in client.get(url).content.decode()
