"""The people admin (issue 15, item 1): list, search, filters, saved filters, person
page, edit form, bulk actions and exports — for the union's staff only, audited.

One world of two unions is built once for the module (rolled back at its end); each
test's own writes are rolled back by its `db` transaction."""

from __future__ import annotations

import csv
import io
import re
import time

import pytest
from django.db import connection
from django.db.models import Max
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext

from portal.audit.models import AuditAction, AuditEntry
from portal.people.models import MembershipStatus, Person, PositionKind
from portal.union.models import Role, UnionSettings
from tests.factories import (
    appoint,
    make_branch,
    make_employer,
    make_person,
    make_union,
    make_workplace,
)
from tests.shared import rolled_back

LIST = "/admin/union-admin/people/"


def _world(slug: str, word: str) -> dict:
    union = make_union(slug)
    north, south = make_branch(union, f"{word} North"), make_branch(union, f"{word} South")
    employer = make_employer(union, f"{word} Works")
    workplace = make_workplace(employer, f"{word} Plant")
    staff = make_person(union, roles=(Role.STAFF,), first_name="Staffer", last_name=word)
    member = make_person(union, branch=north, workplace=workplace, roles=(Role.MEMBER,),
                         first_name="Matti", last_name="Virtanen")
    appoint(member, PositionKind.SHOP_STEWARD, workplace)
    resigned = make_person(union, branch=north, user=False, first_name="Liisa",
                           last_name="Korhonen", membership_status=MembershipStatus.RESIGNED)
    # South has more people than North: the list's queries must not grow with them.
    south_people = [make_person(union, branch=south, employer=employer, user=False,
                                first_name=f"Sven{n}", last_name=f"{word}son")
                    for n in range(12)]
    formula = make_person(union, branch=south, user=False, first_name="=HYPERLINK(1)",
                          last_name="+Sum")
    return {"union": union, "host": union.site.hostname, "north": north, "south": south,
            "employer": employer, "workplace": workplace, "staff": staff, "member": member,
            "resigned": resigned, "south_people": south_people, "formula": formula}


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), override_settings(ELASTICSEARCH_URL=""), rolled_back():
        yield {"a": _world("cona", "Alpha"), "b": _world("conb", "Beta")}


@pytest.fixture
def w(world, db, settings):
    settings.ELASTICSEARCH_URL = ""
    return world


def _client(side: dict, who: str = "staff") -> Client:
    client = Client(HTTP_HOST=side["host"])
    client.force_login(side[who].user)
    return client


def _names(response) -> list[str]:
    return re.findall(r'href="/admin/union-admin/people/\d+/">([^<]+)</a>',
                      response.content.decode())


def test_list_searches_filters_sorts_and_is_audited(w):
    a = w["a"]
    client = _client(a)
    last = AuditEntry.objects.aggregate(last=Max("pk"))["last"] or 0
    response = client.get(LIST, {"q": "virtanen"})
    assert response.status_code == 200
    assert {"private", "no-store"} <= set(response["Cache-Control"].replace(",", " ").split())
    assert _names(response) == ["Virtanen, Matti"]
    listed = AuditEntry.objects.filter(pk__gt=last, action=AuditAction.LIST)
    assert list(listed.values_list("person_id", flat=True)) == [a["member"].pk]
    assert _names(client.get(LIST, {"branch": a["north"].pk, "status": "resigned"})) == [
        "Korhonen, Liisa"]
    assert _names(client.get(LIST, {"workplace": a["workplace"].pk})) == ["Virtanen, Matti"]
    assert len(_names(client.get(LIST, {"employer": a["employer"].pk}))) == 13
    assert _names(client.get(LIST, {"position": PositionKind.SHOP_STEWARD})) == [
        "Virtanen, Matti"]
    by_name = _names(client.get(LIST, {"branch": a["north"].pk, "sort": "-name"}))
    assert by_name == ["Virtanen, Matti", "Korhonen, Liisa"]
    # Another union's branch is refused with a reason, never applied.
    response = client.get(LIST, {"branch": w["b"]["north"].pk})
    assert "Beta" not in response.content.decode()
    assert response.context["filter_errors"]


def test_the_list_page_ids_are_unique_so_each_label_leads_to_its_own_field(w):
    # The filters and the bulk bar both have a status and a group: a shared id sent the
    # bulk bar's "New status" label (and a script choosing by id) to the filter's select.
    html = _client(w["a"]).get(LIST).content.decode()
    ids = re.findall(r'\sid="([^"]+)"', html)
    assert len(ids) == len(set(ids)), sorted({i for i in ids if ids.count(i) > 1})
    assert re.search(r'<label for="bulk_status">[^<]+</label><select name="status"'
                     r'[^>]*id="bulk_status"', html)


def test_the_workplace_column_does_not_repeat_the_employer_in_the_workplace_name(w):
    a = w["a"]
    employer, plant = a["employer"].title, a["workplace"].title
    # The plant's name does not name its employer: both shown, as before.
    assert f"{plant} · {employer}" in _client(a).get(LIST, {"q": "virtanen"}).content.decode()
    named = make_workplace(a["employer"], f"{employer}, Oulu")
    make_person(a["union"], workplace=named, user=False, first_name="Outi",
                last_name="Ouluinen")
    html = _client(a).get(LIST, {"q": "ouluinen"}).content.decode()
    assert f"{named.title}</td>" in html and f"{named.title} · " not in html


def test_list_costs_the_same_queries_for_2_or_13_people(w):
    a = w["a"]
    client = _client(a)
    counts = []
    for branch in (a["north"], a["south"]):
        client.get(LIST, {"branch": branch.pk})  # warm the per-process caches
        with CaptureQueriesContext(connection) as queries:
            response = client.get(LIST, {"branch": branch.pk, "status": "active"})
        counts.append((len(queries), len(_names(response))))
    assert counts[0][1] == 1 and counts[1][1] == 13
    assert counts[0][0] == counts[1][0], counts


def test_person_page_shows_every_section_in_order_and_is_audited(w):
    a = w["a"]
    member = a["member"]
    last = AuditEntry.objects.aggregate(last=Max("pk"))["last"] or 0
    response = _client(a).get(f"{LIST}{member.pk}/")
    assert response.status_code == 200
    assert {"private", "no-store"} <= set(response["Cache-Control"].replace(",", " ").split())
    html = response.content.decode()
    order = [html.index(f'id="{key}-heading"') for key in (
        "basic", "membership", "employments", "history", "consents")]
    assert order == sorted(order)
    assert "Alpha Plant" in html
    # The history names the fields in the viewer's language, not by their code names.
    history = html[html.index('id="history-heading"'):html.index('id="consents-heading"')]
    assert "etunimi" in history and "first_name" not in history
    entry = AuditEntry.objects.filter(pk__gt=last, action=AuditAction.VIEW).get()
    assert entry.person_id == member.pk and entry.actor_id == a["staff"].user_id


def test_edit_saves_through_the_action_and_explains_errors(w):
    a = w["a"]
    member, client = a["member"], _client(a)
    page = client.get(f"{LIST}{member.pk}/edit/")
    form = page.context["form"]
    data = {name: form[name].value() or "" for name in form.fields}
    data.update(membership_status="on_leave", branch=str(a["south"].pk))
    response = client.post(f"{LIST}{member.pk}/edit/", data)
    assert response.status_code == 302
    member.refresh_from_db()
    assert (member.membership_status, member.branch_id) == ("on_leave", a["south"].pk)
    edit = AuditEntry.objects.filter(person_id=member.pk, action=AuditAction.EDIT).latest("pk")
    assert set(edit.fields) == {"membership_status", "branch"}
    # Errors in the union's language (Finnish): a bad email, a foreign branch.
    response = client.post(f"{LIST}{member.pk}/edit/",
                           {**data, "email": "not-an-email", "branch": w["b"]["north"].pk},
                           HTTP_ACCEPT_LANGUAGE="fi")
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert set(errors) == {"email", "branch"}
    assert errors["branch"] == ["Valitse oman liittosi osasto."]
    # One way from the register: the contact details are read-only, a posted change is ignored.
    settings_row = UnionSettings.for_union(a["union"])
    settings_row.register_flow = {"people": "one_way"}
    settings_row.save()
    a["union"].refresh_from_db()
    response = client.post(f"{LIST}{member.pk}/edit/", {**data, "email": "new@example.org",
                                                        "membership_status": "active"})
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.email != "new@example.org" and member.membership_status == "active"


def test_a_typed_phone_is_checked_and_a_stored_one_does_not_stop_other_edits(w):
    a = w["a"]
    member, client = a["member"], _client(a)
    # A number the register sent as it was, letters and all.
    Person.objects.filter(pk=member.pk).update(phone="040 123 4567 (työ)")
    form = client.get(f"{LIST}{member.pk}/edit/").context["form"]
    data = {name: form[name].value() or "" for name in form.fields}
    assert client.post(f"{LIST}{member.pk}/edit/",
                       {**data, "city": "Kemi"}).status_code == 302
    member.refresh_from_db()
    assert (member.city, member.phone) == ("Kemi", "040 123 4567 (työ)")
    # Typed here, it must be a number: refused with the reason, nothing saved.
    response = client.post(f"{LIST}{member.pk}/edit/", {**data, "phone": "12ab",
                                                        "city": "Oulu"})
    assert response.status_code == 200
    assert response.context["form"].errors["phone"] == [
        "Anna puhelinnumero: numeroita, välilyöntejä ja alkuun halutessasi +, "
        "esim. +358 40 123 4567."]
    member.refresh_from_db()
    assert (member.city, member.phone) == ("Kemi", "040 123 4567 (työ)")
    assert client.post(f"{LIST}{member.pk}/edit/",
                       {**data, "phone": "+358 (0)40-123 4567"}).status_code == 302


def test_bulk_status_and_exports_are_audited_and_escaped(w):
    a = w["a"]
    client = _client(a)
    south = f"branch={a['south'].pk}"
    ids = [p.pk for p in a["south_people"][:2]]
    response = client.post(f"{LIST}bulk/", {"action": "status", "status": "on_leave",
                                            "selection": "ticked", "ids": ids,
                                            "filters": south})
    assert response.status_code == 302 and response["Location"].endswith(south)
    assert set(Person.objects.filter(pk__in=ids).values_list("membership_status", flat=True)
               ) == {"on_leave"}
    assert AuditEntry.objects.filter(action=AuditAction.EDIT, person_id__in=ids).count() == 2
    # Every match (maybe the whole union) changes only after a page says how many and to what.
    everyone = {"action": "status", "status": "resigned", "selection": "all", "filters": south}
    response = client.post(f"{LIST}bulk/", everyone)
    assert response.status_code == 200 and b'name="confirmed"' in response.content
    assert not Person.objects.filter(membership_status="resigned", branch=a["south"]).exists()
    client.post(f"{LIST}bulk/", {**everyone, "confirmed": "1"})
    assert Person.objects.filter(membership_status="resigned", branch=a["south"]).exists()
    # Every match of the filters, as CSV: formulas escaped, each person's export audited.
    response = client.post(f"{LIST}bulk/", {"action": "csv", "selection": "all",
                                            "filters": south})
    assert {"private", "no-store"} <= set(response["Cache-Control"].replace(",", " ").split())
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert len(rows) == 14
    formula_row = next(r for r in rows if "HYPERLINK" in r[1])
    assert formula_row[1] == "'=HYPERLINK(1)" and formula_row[2] == "'+Sum"
    exported = AuditEntry.objects.filter(action=AuditAction.EXPORT,
                                         target="contacts:export.csv")
    assert exported.count() == 13
    response = client.post(f"{LIST}bulk/", {"action": "xlsx", "selection": "ticked",
                                            "ids": [a["formula"].pk, w["b"]["member"].pk]})
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(response.content)).active
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    assert len(values) == 2 and values[1][1] == "'=HYPERLINK(1)"  # B's person left out
    # Without a fresh second step the export waits for it; back from the step-up page
    # the list shows the selection as it was sent: the same people ticked, same action.
    with override_settings(STEPUP_ENFORCED=True):
        ticked = {"action": "xlsx", "selection": "ticked", "filters": f"branch={a['south'].pk}",
                  "ids": [a["formula"].pk]}
        response = client.post(f"{LIST}bulk/", ticked)
        assert response.status_code == 302 and response["Location"].startswith("/stepup/")
        from urllib.parse import parse_qs, urlsplit
        back = parse_qs(urlsplit(response["Location"]).query)["next"][0]
        session = client.session
        session["stepup_at"] = int(time.time())  # what the step-up page sets
        session.save()
        listed = client.get(back).content.decode()
        assert f'value="{a["formula"].pk}" id="tick-{a["formula"].pk}" checked' in listed
        assert '<option value="xlsx" selected>' in listed
        assert f'id="tick-{a["south_people"][0].pk}" checked' not in listed
    # Nothing ticked: refused with a reason.
    response = client.post(f"{LIST}bulk/", {"action": "csv", "selection": "ticked"},
                           follow=True)
    assert "Rastita ensin henkilöt" in response.content.decode()  # the union's language


def test_saved_filters_are_each_users_own(w):
    a = w["a"]
    client = _client(a)
    response = client.post(f"{LIST}saved/", {"name": "South resigned",
                                             "query": f"branch={a['south'].pk}&page=3"})
    saved_url = response["Location"]
    assert "saved=" in saved_url
    assert len(_names(client.get(saved_url))) == 13
    # Another staff member (or union) cannot open it: the plain list is shown instead.
    other = make_person(a["union"], roles=(Role.STAFF,))
    other_client = Client(HTTP_HOST=a["host"])
    other_client.force_login(other.user)
    assert len(_names(other_client.get(saved_url))) > 13
    pk = saved_url.rsplit("=", 1)[1]
    other_client.post(f"{LIST}saved/delete/", {"saved": pk, "confirmed": "1"})
    assert len(_names(client.get(saved_url))) == 13
    # Deleting asks first (no JavaScript needed), then deletes.
    asked = client.post(f"{LIST}saved/delete/", {"saved": pk})
    assert asked.status_code == 200 and "South resigned" in asked.text
    assert len(_names(client.get(saved_url))) == 13
    client.post(f"{LIST}saved/delete/", {"saved": pk, "confirmed": "1"})
    assert len(_names(client.get(saved_url))) > 13


def test_foreign_union_staff_and_ids_get_nothing(w):
    a, b = w["a"], w["b"]
    member = a["member"]
    urls = [LIST, f"{LIST}{member.pk}/", f"{LIST}{member.pk}/edit/",
            f"{LIST}choices/branch/?q=Alpha"]
    # B's staff on A's hostname is nobody there; A's member is no staff.
    for client in (_client(b), _client(a, "member")):
        client.defaults["HTTP_HOST"] = a["host"]
        for url in urls:
            response = client.get(url)
            assert response.status_code in (302, 403), (url, response.status_code)
            assert b"Virtanen" not in response.content
        response = client.post(f"{LIST}bulk/", {"action": "status", "status": "resigned",
                                                "selection": "all"})
        assert response.status_code in (302, 403)
    member.refresh_from_db()
    assert member.membership_status == "active"
    # A's staff asking for B's ids: 404s, and bulk actions leave B's people alone.
    client = _client(a)
    for url in (f"{LIST}{b['member'].pk}/", f"{LIST}{b['member'].pk}/edit/"):
        assert client.get(url).status_code == 404
    client.post(f"{LIST}bulk/", {"action": "status", "status": "resigned",
                                 "selection": "ticked", "ids": [b["member"].pk]})
    b["member"].refresh_from_db()
    assert b["member"].membership_status == "active"
    choices = client.get(f"{LIST}choices/branch/", {"q": "North"}).json()["results"]
    assert [c["name"] for c in choices] == [a["north"].title]
    # Ids that are no ids ("²" is a digit to str.isdigit, not to int): nothing, not a 500.
    assert client.get(LIST, {"saved": "²"}).status_code == 200
    assert client.get(f"{LIST}choices/workplace/", {"employer": "²"}).status_code == 200
    assert client.post(f"{LIST}saved/delete/", {"saved": "²"}).status_code == 302
    client.post(f"{LIST}bulk/", {"action": "status", "status": "resigned",
                                 "selection": "ticked", "ids": ["²", str(a["member"].pk)]})
    a["member"].refresh_from_db()
    assert a["member"].membership_status == "resigned"


def test_bulk_add_to_group_is_audited_once_per_person_added(w):
    from portal.groups.actions import add_members, create_group

    a = w["a"]
    group = create_group(union=a["union"], name="Choir", acting_user=a["staff"].user)
    already, *added = a["south_people"][:3]
    add_members(group=group, people=[already], acting_user=a["staff"].user)
    _client(a).post(f"{LIST}bulk/", {"action": "group", "group": group.pk, "selection": "ticked",
                                     "ids": [p.pk for p in (already, *added)]})
    entries = AuditEntry.objects.filter(union=a["union"], fields=["groups"],
                                        person_id__in=[p.pk for p in (already, *added)])
    assert sorted(e.person_id for e in entries) == sorted([already.pk, *(p.pk for p in added)])


def test_the_history_counts_the_people_merged_into_the_person(w):
    from portal.contacts.selectors import history_of
    from portal.merging.actions import merge_people

    a = w["a"]
    kept, removed = a["south_people"][3:5]
    merge_people(union=a["union"], kept=kept, removed=removed, take=[],
                 acting_user=a["staff"].user)
    assert {e.person_id for e in history_of(kept)} == {kept.pk, removed.pk}


def test_a_misspelled_name_finds_the_person_on_elasticsearch(w, settings, elasticsearch_url):
    import uuid

    from search.client import drop_all, get_client
    from search.reindex import reindex

    settings.ELASTICSEARCH_URL = elasticsearch_url
    settings.SEARCH_INDEX_PREFIX = f"portal-test-{uuid.uuid4().hex[:10]}"
    try:
        reindex()
        a = w["a"]
        client = _client(a)
        for query in ("Virtanan", "wirtanen", "Matti Virtanen"):
            response = client.get(LIST, {"q": query, "branch": a["north"].pk})
            assert _names(response) == ["Virtanen, Matti"], query
            assert response.context["page"].engine == "elasticsearch"
        assert _names(client.get(LIST, {"q": "Virtanan", "status": "resigned"})) == []
        assert _names(client.get(LIST, {"q": "Virtanan", "branch": a["south"].pk})) == []
        # Only the union's own: B's Virtanen is not found on A's list.
        assert len(_names(client.get(LIST, {"q": "Virtanen"}))) == 1
    finally:
        drop_all(get_client())


def test_a_long_list_is_counted_up_to_the_cap(w, monkeypatch):
    # "Everyone" of a union of 300,000 is not counted row by row on every page.
    monkeypatch.setattr("portal.contacts.selectors.COUNT_CAP", 5)
    response = _client(w["a"]).get(LIST, {"page": 9})
    assert "Yli 5 henkilöä" in response.content.decode()
    page = response.context["page"]
    assert (page.num_pages, page.number, page.over) == (1, 1, True)


def test_custom_field_filters_offer_choices_and_ranges(w):
    from portal.customfields import actions as custom_actions

    a = w["a"]
    staff = a["staff"].user
    shift = custom_actions.define_field(
        union=a["union"], key="shift", acting_user=staff, field_type="choice",
        label_fi="Vuoro", label_en="Shift",
        choices=[{"value": "night", "fi": "Yö", "en": "Night"}, {"value": "day", "fi": "Päivä"}])
    years = custom_actions.define_field(union=a["union"], key="years", acting_user=staff,
                                        field_type="number", label_fi="Vuodet")
    night, day = a["south_people"][:2]
    for person, values in ((night, {"shift": "night", "years": 3}),
                           (day, {"shift": "day", "years": 12})):
        custom_actions.set_values(person=person, acting_user=staff, values=values,
                                  editable=[shift, years])
    client = _client(a)
    listed = client.get(LIST).content.decode()  # in the union's language, Finnish
    # A choice field offers its choices with the field (no free text to guess them).
    assert f'<option value="{shift.pk}=night">Vuoro: Yö</option>' in listed
    assert _names(client.get(LIST, {"field": f"{shift.pk}=night"})) == [
        f"{night.last_name}, {night.first_name}"]
    # A number asks from–to (either end may be left open).
    response = client.get(LIST, {"field": years.pk, "low": "5", "high": ""})
    assert _names(response) == [f"{day.last_name}, {day.first_name}"]
    assert 'data-value-kind="text" hidden' in response.content.decode()


def test_staff_add_a_person_and_the_register_keeps_its_fields(w):
    a = w["a"]
    client = _client(a)
    assert 'href="/admin/union-admin/people/new/"' in client.get(LIST).content.decode()
    new = {"first_name": "Uuno", "last_name": "Uusi", "email": "uuno@example.org",
           "membership_status": "active", "branch": a["north"].pk, "joined_on": "2026-01-05",
           "preferred_language": "fi"}
    response = client.post(f"{LIST}new/", {**new, "last_name": ""})  # errors in Finnish
    assert response.status_code == 200 and "last_name" in response.context["form"].errors
    response = client.post(f"{LIST}new/", new)
    assert response.status_code == 302, response.context["form"].errors
    person = Person.objects.get(union=a["union"], last_name="Uusi")
    assert response["Location"] == f"{LIST}{person.pk}/"
    assert person.branch == a["north"] and person.email == "uuno@example.org"
    assert AuditEntry.objects.filter(person_id=person.pk, action=AuditAction.CREATE,
                                     actor=a["staff"].user).exists()
    # One way from the register: its fields stay empty here (a posted value is ignored).
    settings_row = UnionSettings.for_union(a["union"])
    settings_row.register_flow = {"people": "one_way"}
    settings_row.save()
    client.post(f"{LIST}new/", {**new, "first_name": "Toinen", "email": "t@example.org"})
    assert Person.objects.get(union=a["union"], first_name="Toinen").email == ""
    # B's branch is refused; a member and B's staff get nothing.
    response = client.post(f"{LIST}new/", {**new, "branch": w["b"]["north"].pk})
    assert response.status_code == 200 and "branch" in response.context["form"].errors
    for other in (_client(a, "member"), _client(w["b"])):
        other.defaults["HTTP_HOST"] = a["host"]
        assert other.post(f"{LIST}new/", {**new, "last_name": "Vieras"}).status_code in (302, 403)
    assert not Person.objects.filter(last_name="Vieras").exists()


def test_the_history_names_reverse_relations_and_the_organising_pages_fields():
    """A campaign contact is logged with `campaign_contacts` (a reverse relation, which has
    no verbose name: the person page was a 500) and its own field names."""
    from django.utils import translation

    from portal.people.labels import audit_field_label

    with translation.override("fi"):
        assert audit_field_label("campaign_contacts") == "yhteydenottomerkinnät"
        assert [audit_field_label(n) for n in ("next_step", "unit")] == [
            "seuraava askel", "yksikkö"]
