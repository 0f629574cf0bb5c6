"""Member-facing pages run a fixed number of SQL queries whatever the data size."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from portal.people.models import PositionKind
from portal.union.models import Role
from portal.union.sections import invalidate as invalidate_sections
from tests.factories import (
    appoint,
    make_agreement,
    make_branch,
    make_employer,
    make_person,
    make_union,
    make_workplace,
)

# Pinned query counts per (page, viewer). A change here is a decision, not noise.
# The page chrome (issue 5) adds 4-5: brand settings, link menu, member card, language versions.
# A signed-in session is written at most once a minute (SlidingSessionMiddleware), so the
# counts have no session UPDATE. A union site routes any path in two queries
# (portal.union.routing), so deeper pages no longer pay two queries per level.
# Each pair is (sections rebuilt, sections cached): organisation pages cache the lists
# they show every member alike, and every page the site's chrome (home link, brand
# images, link menu; portal.union.sections, themes.chrome); both paths are pinned so
# that neither the builders nor the rest of the page can start growing with the data.
# The fixed work of every request (issue 13) is cached per process too: hostname → site
# and union, the routed root page (portal/union/hosts.py), and the viewer's roles, profile
# yes/no and unread count (portal/union/viewer.py), which a change to the union's people
# rebuilds with the sections (the first figure) and which are cached in the second.
# The discussions badge (portal/discussions, the number of unread conversations) is
# one of those viewer facts: one query when rebuilt, none when cached; so is the campaign
# centre's nav entry (portal/campaigns: the viewer's team places), and the profile's links
# of "who viewed my data" (dpo) and "my assessment" (mapping) are cached sections of the
# union. Staff see an employer's union density (portal/mapping), one query of its own.
# The cached root page carries its ancestors (hosts.localized_root), so the home page's
# view restriction check reads no ancestors per request (cached: one query less) and a
# rebuilt root reads them once (rebuilt: one more on every Wagtail page). Routing's rows
# say whether a view restriction is set on each page of the line, so a routed page whose
# line has none reads no restrictions (one query less on every page below the home page).
PINNED = {
    ("union", "member"): (20, 4),
    # Bulletins: a member's list (public ones and those sent to them) is kept briefly per
    # viewer, and an official's access is one query (portal/branches/visibility.py); with
    # bulletins listed, which of them are not public is one more when the list is built.
    ("branch", "member"): (19, 5),
    # An official's campaign rights (the nav entry's fact, when rebuilt) are one query:
    # their positions and team places together (campaigns.permissions.build_access).
    ("branch", "chair"): (26, 12),
    ("employer", "member"): (19, 4),
    ("employer", "staff"): (27, 13),
    ("workplace", "member"): (18, 5),
    ("workplace", "staff"): (22, 10),
    ("agreement", "member"): (17, 4),
    ("profile", "member"): (16, 7),
}


def _grow(union, branch, employer, workplace, n):
    for _ in range(n):
        make_person(union, branch=branch, workplace=workplace, user=False)
        make_person(union, branch=branch, employer=employer, user=False)
    extra = make_workplace(employer)
    officer = make_person(union, branch=branch, workplace=extra, user=False)
    appoint(officer, PositionKind.SHOP_STEWARD, workplace)
    appoint(officer, PositionKind.UNION_BOARD_MEMBER, union.root_page)
    appoint(officer, PositionKind.BRANCH_BOARD_MEMBER, branch)


def _count(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries)


@pytest.mark.django_db
def test_page_query_counts_do_not_grow_with_data():
    union = make_union("qc")
    branch = make_branch(union)
    employer = make_employer(union)
    workplace = make_workplace(employer)
    agreement = make_agreement(union)
    employer.agreements.add(agreement)
    employer.save()
    member = make_person(union, branch=branch, workplace=workplace, roles=(Role.MEMBER,))
    chair = make_person(union, branch=branch, workplace=workplace)
    appoint(chair, PositionKind.BRANCH_CHAIR, branch)
    staff = make_person(union, roles=(Role.STAFF,))
    _grow(union, branch, employer, workplace, 1)  # someone in every list to begin with
    viewers = {"member": member, "chair": chair, "staff": staff}
    urls = {"union": "/", "branch": branch.url, "employer": employer.url,
            "workplace": workplace.url, "agreement": agreement.url, "profile": "/profile/"}

    def measure():
        counts = {}
        for (page, viewer) in PINNED:
            client = Client(HTTP_HOST=union.site.hostname)
            client.force_login(viewers[viewer].user)
            _count(client, urls[page])  # warm per-process caches (content types, site root)
            invalidate_sections(union.pk)
            rebuilt = _count(client, urls[page])
            counts[(page, viewer)] = (rebuilt, _count(client, urls[page]))
        return counts

    small = measure()
    _grow(union, branch, employer, workplace, 30)
    large = measure()
    assert large == small
    assert small == PINNED, small
