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
