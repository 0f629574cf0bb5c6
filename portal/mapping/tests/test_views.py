"""Who maps a workplace, across two unions: the workplace's steward and the union's staff
do; a member, a steward of another workplace and another union's staff get a 404. What
they see is audited and never cached; members never see assessments; the page's
queries do not grow with the workplace."""

import datetime as dt

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.translation import ngettext, override

from portal.audit.models import AuditEntry
from portal.mapping import actions
from portal.mapping.models import (
    Assessment,
    DensitySnapshot,
    MappingSettings,
    Placement,
    PotentialMember,
    Unit,
    UnitKind,
)
from portal.mapping.tasks import daily_mapping_task
from portal.people.models import Employment, MembershipStatus, Person, PositionKind
from portal.union.models import Role, UnionFeature, UnionSettings
from tests.factories import (
    appoint,
    make_employer,
    make_person,
    make_union,
    make_workplace,
)
from tests.shared import rolled_back


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), rolled_back():
        union, other = make_union("mapa"), make_union("mapb")
        employer = make_employer(union)
        shop, office = make_workplace(employer, "Shop"), make_workplace(employer, "Office")
        steward = make_person(union, workplace=shop, roles=(Role.MEMBER,))
        appoint(steward, PositionKind.SHOP_STEWARD, shop)
        other_steward = make_person(union, workplace=office, roles=(Role.MEMBER,))
        appoint(other_steward, PositionKind.SHOP_STEWARD, office)
        member = make_person(union, workplace=shop, roles=(Role.MEMBER,), first_name="Mialotta")
        colleague = make_person(union, workplace=shop, user=False, first_name="Ollivander",
                                membership_status=MembershipStatus.NON_MEMBER)
        staff = make_person(union, roles=(Role.STAFF,))
        foreign_staff = make_person(other, roles=(Role.STAFF,))
        foreign_workplace = make_workplace(make_employer(other), "Foreign")
        line = actions.create_unit(workplace=shop, name="Line", acting_user=staff.user)
        actions.assess(workplace=shop, person=member, level=2, acting_user=staff.user)
        yield locals()


def _client(person):
    client = Client(HTTP_HOST=person.union.site.hostname)
    client.force_login(person.user)
    return client


@pytest.mark.django_db
def test_who_maps_a_workplace(world):
    w = world
    url = reverse("mapping:workplace", args=[w["shop"].pk])
    for who in ("steward", "staff"):
        response = _client(w[who]).get(url)
        assert response.status_code == 200, who
        assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
        assert b"Mialotta" in response.content and b"Ollivander" in response.content
    for who in ("member", "other_steward"):
        assert _client(w[who]).get(url).status_code == 404, who
    # Another union's staff: on their own hostname A's workplace is not theirs.
    assert _client(w["foreign_staff"]).get(url).status_code == 404
    foreign = reverse("mapping:workplace", args=[w["foreign_workplace"].pk])
    assert _client(w["staff"]).get(foreign).status_code == 404
    # Every person shown is in the log.
    assert AuditEntry.objects.filter(actor=w["steward"].user, person_id=w["member"].pk,
                                     target=url).exists()


@pytest.mark.django_db
def test_the_workplace_page_links_mapping_for_its_steward_only(world):
    w = world
    page = w["shop"].url_path[len(w["union"].root_page.url_path) - 1:]
    mapping = reverse("mapping:workplace", args=[w["shop"].pk]).encode()
    assert mapping in _client(w["steward"]).get(page).content
    assert mapping in _client(w["staff"]).get(page).content
    assert mapping not in _client(w["member"]).get(page).content


@pytest.mark.django_db
def test_members_see_no_assessment_unless_the_union_lets_them(world):
    w = world
    own = reverse("mapping:own_assessment")
    member = _client(w["member"])
    assert member.get(own).status_code == 404
    assert own.encode() not in member.get(reverse("people:own_profile")).content
    assert member.get(reverse("mapping:person", args=[w["shop"].pk, w["member"].pk])
                      ).status_code == 404
    actions.update_settings(union=w["union"], potential_retention_days=90,
                            members_see_own_assessment=True, acting_user=w["staff"].user)
    response = member.get(own)
    assert response.status_code == 200 and "2 –" in response.content.decode()
    assert own.encode() in member.get(reverse("people:own_profile")).content


@pytest.mark.django_db
def test_staff_set_the_mapping_settings_from_the_admin_and_nobody_else(world):
    w = world
    url = reverse("mapping:settings")
    staff = _client(w["staff"])
    page = staff.get(url)
    # Reached from the admin menu: the page leads back there.
    assert page.status_code == 200 and 'href="/admin/"' in page.content.decode()
    assert staff.post(url, {"potential_retention_days": "0"}).status_code == 200
    assert MappingSettings.for_union(w["union"]).potential_retention_days != 0
    assert staff.post(url, {"potential_retention_days": "30",
                            "members_see_own_assessment": "on"}).status_code == 302
    saved = MappingSettings.for_union(w["union"])
    assert (saved.potential_retention_days, saved.members_see_own_assessment) == (30, True)
    for who in ("steward", "member"):
        assert _client(w[who]).post(url, {"potential_retention_days": "5"}
                                    ).status_code == 404, who
    # Another union's staff on this union's host are signed out here; on their own host
    # they set their own union's.
    foreign = Client(HTTP_HOST=w["union"].site.hostname)
    foreign.force_login(w["foreign_staff"].user)
    assert "/login/" in foreign.post(url, {"potential_retention_days": "5"})["Location"]
    assert _client(w["foreign_staff"]).post(url, {"potential_retention_days": "6"}
                                            ).status_code == 302
    assert MappingSettings.for_union(w["union"]).potential_retention_days == 30
    assert MappingSettings.for_union(w["foreign_staff"].union).potential_retention_days == 6


@pytest.mark.django_db
def test_switched_off_mapping_answers_404(world):
    w = world
    settings = UnionSettings.for_union(w["union"])
    settings.disabled_features = [UnionFeature.WORKPLACE_MAPPING]
    settings.save()
    assert _client(w["staff"]).get(
        reverse("mapping:workplace", args=[w["shop"].pk])).status_code == 404


@pytest.mark.django_db
def test_steward_maps_through_the_pages(world):
    w = world
    client, shop = _client(w["steward"]), w["shop"]
    client.post(reverse("mapping:structure", args=[shop.pk]),
                {"op": "add", "name": "Night", "kind": UnitKind.SHIFT})
    night = Unit.objects.get(workplace=shop, name="Night")
    shop_unit = w["line"]
    client.post(reverse("mapping:person", args=[shop.pk, w["colleague"].pk]),
                {"op": "place", "unit": shop_unit.pk, "shift": night.pk})
    client.post(reverse("mapping:person", args=[shop.pk, w["colleague"].pk]),
                {"op": "assess", "level": 3, "note": "Interested in shifts"})
    response = client.post(reverse("mapping:add_potential", args=[shop.pk]),
                           {"first_name": "Piaverde", "phone": "040 123", "unit": shop_unit.pk})
    potential = PotentialMember.objects.get(workplace=shop, first_name="Piaverde")
    client.get(response["Location"])  # its "was added" message shown
    assert response.status_code == 302
    assert potential.erase_on == dt.date.today() + dt.timedelta(days=180)
    assert Assessment.objects.get(person=w["colleague"]).level == 3
    listed = client.get(reverse("mapping:workplace", args=[shop.pk]),
                        {"unit": shop_unit.pk, "level": "3"}).content.decode()
    assert "Ollivander" in listed and "Mialotta" not in listed and "Piaverde" not in listed
    csv = client.get(reverse("mapping:export", args=[shop.pk])).content.decode()
    assert "Piaverde" in csv and "Ollivander" in csv


@pytest.mark.django_db
def test_a_potential_members_phone_must_be_a_number(world):
    w = world
    client, shop = _client(w["steward"]), w["shop"]
    url = reverse("mapping:add_potential", args=[shop.pk])
    for typo in ("12ab", "040", "+358 40 123 4567 8901 23"):
        response = client.post(url, {"first_name": "Typo", "phone": typo})
        assert response.status_code == 200, typo
        assert "puhelinnumero" in response.context["form"].errors["phone"][0]
    assert not PotentialMember.objects.filter(workplace=shop, first_name="Typo").exists()


@pytest.mark.django_db
def test_removing_a_unit_asks_first_and_says_who_it_unplaces(world):
    w = world
    client, shop, url = _client(w["steward"]), w["shop"], reverse("mapping:structure",
                                                                  args=[w["shop"].pk])
    actions.place_person(workplace=shop, person=w["colleague"], unit=w["line"], shift=None,
                         acting_user=w["staff"].user)
    asked = client.post(url, {"op": "delete", "unit": w["line"].pk})
    assert asked.status_code == 200 and "no-store" in asked["Cache-Control"]
    page = asked.content.decode()
    with override("fi"):  # the union's language
        placed = ngettext("%(n)s person is placed in it. They stay at the workplace but are "
                          "no longer placed.", "%(n)s people are placed in it. They stay at "
                          "the workplace but are no longer placed.", 1) % {"n": 1}
    assert "Line" in page and placed in page and 'name="confirmed"' in page
    assert Placement.objects.get(person=w["colleague"]).unit_id == w["line"].pk
    assert client.post(url, {"op": "delete", "unit": w["line"].pk, "confirmed": "1"}
                       ).status_code == 302
    assert not Unit.objects.filter(pk=w["line"].pk).exists()
    assert Placement.objects.get(person=w["colleague"]).unit_id is None


@pytest.mark.django_db
def test_expired_potential_members_are_erased():
    union = make_union("mapexp")
    staff = make_person(union, roles=(Role.STAFF,)).user
    shop = make_workplace(make_employer(union))
    old = actions.add_potential_member(workplace=shop, first_name="Old", acting_user=staff)
    actions.assess(workplace=shop, potential=old, level=4, acting_user=staff)
    actions.add_potential_member(workplace=shop, first_name="New", acting_user=staff)
    PotentialMember.objects.filter(pk=old.pk).update(erase_on=dt.date(2020, 1, 1))
    assert daily_mapping_task.call()["erased"] == 1  # and every union's snapshot written
    assert DensitySnapshot.objects.for_union(union).filter(scope_id=shop.pk,
                                                           scope_type="workplace").exists()
    assert list(PotentialMember.objects.values_list("first_name", flat=True)) == ["New"]
    assert not Assessment.objects.filter(potential_id=old.pk).exists()
    assert MappingSettings.for_union(union).potential_retention_days == 180


@pytest.mark.django_db
def test_mapping_page_queries_do_not_grow_with_the_workplace():
    union = make_union("mapq")
    staff = make_person(union, roles=(Role.STAFF,))
    shop = make_workplace(make_employer(union))
    unit = actions.create_unit(workplace=shop, name="Hall", acting_user=staff.user)
    client, url = _client(staff), reverse("mapping:workplace", args=[shop.pk])

    def grow(n):
        # Rows as set-up, in bulk: what is tested is the page, not the actions.
        today = dt.date.today()
        people = Person.objects.bulk_create(
            Person(union=union, first_name=f"Grown{k}", last_name="Testinen")
            for k in range(n))
        Employment.objects.bulk_create(
            Employment(union=union, person=p, employer_id=shop.employer_id, workplace=shop)
            for p in people)
        Placement.objects.bulk_create(
            Placement(union=union, workplace=shop, person=p, unit=unit) for p in people)
        Assessment.objects.bulk_create(
            Assessment(union=union, workplace=shop, person=p, level=1, assessed_on=today)
            for p in people)
        PotentialMember.objects.bulk_create(
            PotentialMember(union=union, workplace=shop, first_name="P", unit=unit,
                            erase_on=today) for _ in range(n))

    def count():
        client.get(url)  # warm: session, roles
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    grow(2)
    few = count()
    grow(60)  # past one page of 50
    assert count() == few


@pytest.mark.django_db
def test_a_potential_member_who_joined_becomes_the_member(world):
    w = world
    shop, client = w["shop"], _client(w["steward"])
    potential = actions.add_potential_member(workplace=shop, first_name="Uusi",
                                             unit=w["line"], acting_user=w["staff"].user)
    actions.assess(workplace=shop, potential=potential, level=1, acting_user=w["staff"].user)
    Person.objects.filter(union=w["union"]).update(
        created_at=dt.datetime(2025, 1, 1, tzinfo=dt.UTC))  # the others were there before
    joined = make_person(w["union"], workplace=shop, user=False, first_name="Uusi")
    url = reverse("mapping:potential", args=[shop.pk, potential.pk])
    assert f'value="{joined.pk}"' in client.get(url).content.decode()
    assert f'value="{w["member"].pk}"' not in client.get(url).content.decode()  # not new
    # Nobody is chosen for them: the list starts empty, and sending it empty (or not a
    # number) asks again and moves nothing.
    assert '<option value="">' in client.get(url).content.decode()
    for chosen in ("", "x"):
        assert client.post(url, {"op": "joined", "person": chosen}).status_code == 302
        assert PotentialMember.objects.filter(pk=potential.pk).exists()
    client.post(url, {"op": "joined", "person": joined.pk})
    assert not PotentialMember.objects.filter(pk=potential.pk).exists()
    assert Assessment.objects.get(person=joined).level == 1
    assert Placement.objects.get(workplace=shop, person=joined).unit == w["line"]


# A person's and a potential member's pages, per viewer: pinned query counts (a change
# here is a decision, not noise). Each request: session and user (2); the workplace with
# the viewer's right to map it as a column (1; staff are answered by their cached roles);
# the subject with the checks that they are the workplace's (a person: working there now,
# and their unit and shift as columns; 1). A page then reads the campaigns' section
# (the viewer's campaign rights, 0 for staff and 1 for others; their entries 1; the running
# campaigns 1; where they may log a contact, one query for all of them 1), writes its
# audit entry (1), reads the assessments (1) and the workplace's units, which the form's
# unit and shift lists share (1); the potential member's page also the members who may
# be them (1) and their audit entry (1).
# A post writes what it writes; the actions ask neither the right nor the workplace again.
# Before (2da1658, one running campaign; staff/steward/team member): the person's page
# 13/17/16, the potential member's 14/18/17, an assessment posted 10/12/12 (of a potential
# member 8/10/10), a placement 14/16/16, a potential member's edit 16/18/18: Wagtail's
# page permissions (2 queries), the placement, the actions' second "works there" EXISTS,
# the campaign rights' positions and teams apart, one EXISTS and a read of the union per
# running campaign, the units and the shifts apart, the potential member's workplace read
# again and its keys validated.
PERSON_PAGE_QUERIES = {
    ("staff", "person"): 10, ("steward", "person"): 11, ("team", "person"): 11,
    ("staff", "potential"): 12, ("steward", "potential"): 13, ("team", "potential"): 13,
    ("staff", "assess"): 8, ("steward", "assess"): 8, ("team", "assess"): 8,
    ("staff", "place"): 12, ("steward", "place"): 12, ("team", "place"): 12,
    ("staff", "assess_potential"): 8, ("steward", "assess_potential"): 8,
    ("team", "assess_potential"): 8,
    ("staff", "edit_potential"): 11, ("steward", "edit_potential"): 11,
    ("team", "edit_potential"): 11,
}


@pytest.mark.django_db
def test_a_subjects_pages_run_a_fixed_number_of_queries():
    from django.utils import timezone

    from portal.access.models import PageUserObjectPermission
    from portal.campaigns import actions as campaigns

    union = make_union("mapsq")
    employer = make_employer(union)
    shop = make_workplace(employer, "Shop")
    staff = make_person(union, roles=(Role.STAFF,))
    steward = make_person(union, workplace=shop, roles=(Role.MEMBER,))
    appoint(steward, PositionKind.SHOP_STEWARD, shop)
    teamer = make_person(union, workplace=shop, roles=(Role.MEMBER,))
    colleague = make_person(union, workplace=shop, user=False,
                            membership_status=MembershipStatus.NON_MEMBER)
    unit = actions.create_unit(workplace=shop, name="Hall", acting_user=staff.user)
    potential = actions.add_potential_member(workplace=shop, first_name="Pia",
                                             acting_user=staff.user)
    actions.place_person(workplace=shop, person=colleague, unit=None, shift=None,
                         acting_user=staff.user)  # placing updates, as in every measure

    def campaign(name):
        return campaigns.create_campaign(
            union=union, acting_user=staff.user, name=name, goal="Grow",
            starts_on=dt.date(2026, 1, 1), ends_on=None, owner=staff,
            target_kind="workplace", target_filters={})

    team = campaigns.create_team(campaign=campaign("First"), workplace=shop,
                                 acting_user=staff.user, name="Team", terms="Confidential.",
                                 ends_on=timezone.localdate() + dt.timedelta(days=30))
    [place] = campaigns.invite(team=team, people=[teamer], acting_user=staff.user)
    campaigns.accept(member=place, acting_user=teamer.user, terms_accepted=True)
    person_url = reverse("mapping:person", args=[shop.pk, colleague.pk])
    potential_url = reverse("mapping:potential", args=[shop.pk, potential.pk])
    requests = {
        "person": (person_url, None),
        "potential": (potential_url, None),
        "assess": (person_url, {"op": "assess", "level": 3}),
        "place": (person_url, {"op": "place", "unit": unit.pk}),
        "assess_potential": (potential_url, {"op": "assess", "level": 2}),
        "edit_potential": (potential_url, {"op": "edit", "edit-first_name": "Pia",
                                           "edit-unit": unit.pk}),
    }
    viewers = {"staff": staff, "steward": steward, "team": teamer}

    def measure():
        counts = {}
        for (who, name) in PERSON_PAGE_QUERIES:
            client, (url, data) = _client(viewers[who]), requests[name]
            client.get(url)  # warm: session, roles
            with CaptureQueriesContext(connection) as queries:
                response = client.get(url) if data is None else client.post(url, data)
            assert response.status_code == (200 if data is None else 302), (who, name)
            counts[(who, name)] = len(queries)
        return counts

    few = measure()
    for name in ("Second", "Third", "Fourth"):  # more running campaigns: no more queries
        campaign(name)
    assert measure() == few == PERSON_PAGE_QUERIES, few
    page = _client(steward).get(person_url).content.decode()
    assert f'<option value="{unit.pk}" selected>Hall</option>' in page  # its unit, listed
    # The same rules: a plain member and a steward of another workplace get a 404, and
    # the team member's right ends with their grant (nothing has to run).
    member = make_person(union, workplace=shop, roles=(Role.MEMBER,))
    elsewhere = make_person(union, workplace=make_workplace(employer), roles=(Role.MEMBER,))
    appoint(elsewhere, PositionKind.SHOP_STEWARD, elsewhere.employments.get().workplace)
    for who in (member, elsewhere):
        assert _client(who).get(person_url).status_code == 404
        assert _client(who).get(potential_url).status_code == 404
    PageUserObjectPermission.objects.filter(user=teamer.user, content_object=shop).update(
        valid_until=timezone.localdate() - dt.timedelta(days=1))
    assert _client(teamer).get(person_url).status_code == 404
    assert _client(steward).get(person_url).status_code == 200


@pytest.mark.django_db
def test_the_right_read_in_sql_is_the_page_policys(world):
    """`mapped_workplace` reads the right to map as a column of the workplace's row: for
    each kind of viewer it answers as Wagtail's page policy does (through the tree: an
    employer's steward maps its workplaces; dates: an ended term maps nothing)."""
    from portal.accounts.models import User
    from portal.mapping.permissions import _edit_right
    from portal.workplaces.models import WorkplacePage

    w = world
    employer_steward = make_person(w["union"], roles=(Role.MEMBER,))
    appoint(employer_steward, PositionKind.SHOP_STEWARD, w["shop"].get_parent().specific)
    ended = make_person(w["union"], workplace=w["shop"], roles=(Role.MEMBER,))
    appoint(ended, PositionKind.DEPUTY_SHOP_STEWARD, w["shop"], ends_on=dt.date(2021, 1, 1))
    people = (w["steward"], w["other_steward"], w["member"], employer_steward, ended)
    for workplace in (w["shop"], w["office"]):
        for person in people:
            user = User.objects.get(pk=person.user_id)  # no cached page permissions
            by_sql = WorkplacePage.objects.filter(pk=workplace.pk).filter(
                _edit_right(user)).exists()
            assert by_sql == workplace.permissions_for_user(user).can_edit(), (person, workplace)
    assert WorkplacePage.objects.filter(pk=w["shop"].pk).filter(
        _edit_right(User.objects.get(pk=employer_steward.user_id))).exists()
