"""Issue 12, item 17: the union admin panel's headings, menu, user roles, board and
council (appoint by name, ending future terms), feature switches and link labels."""

import datetime as dt
import json
import re
import uuid

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from portal.accounts.actions import create_platform_operator
from portal.audit.models import AuditEntry
from portal.people import actions as people_actions
from portal.people.models import PositionKind, PositionOfTrust
from portal.union.actions import update_union_settings
from portal.union.features import switchable_features
from portal.union.models import Role, Union, UnionFeature, UnionSettings
from tests.factories import appoint, make_branch, make_person, make_union
from tests.shared import module_world
from themes.models import LinkMenu, LinkMenuItem


def _build_world():
    a, b = make_union("pia"), make_union("pib")
    return {
        "a": a,
        "b": b,
        "admin": make_person(a, roles=(Role.ADMIN,)).user,
        "staff": make_person(a, roles=(Role.STAFF,)).user,
        "member": make_person(a, roles=(Role.MEMBER,), first_name="Aino",
                              last_name="Valkeapää"),
        "staff_b": make_person(b, roles=(Role.STAFF,)).user,
        "member_b": make_person(b, roles=(Role.MEMBER,), first_name="Aino",
                                last_name="Valkeapää"),
    }


world_rows, world = module_world(_build_world, name="world")


def _client(union, user):
    client = Client(HTTP_HOST=union.site.hostname)
    client.force_login(user)
    return client


def _text(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


# --- Headings ----------------------------------------------------------------------------

def _heading(html: str) -> str:
    """What the slim header shows: the last item of its breadcrumbs."""
    nav = re.search(r'<nav class="[^"]*"\s+aria-label="[^"]*">(.*?)</nav>', html, re.S).group(1)
    return _text(re.findall(r"<li\b.*?</li>", nav, re.S)[-1])


def test_every_panel_view_is_headed_by_its_own_title(world):
    unused = make_person(world["a"], roles=(Role.MEMBER,)).user
    unused.set_unusable_password()
    unused.save()
    operator = create_platform_operator(email="ops@platform.example")
    admin = _client(world["a"], world["admin"])
    ops = Client()  # the platform host, no union's
    ops.force_login(operator)
    pages = [(admin, "/admin/union-admin/settings/"),
             (admin, "/admin/union-admin/blacklist/"),
             (admin, "/admin/union-admin/positions/"),
             (admin, f"/admin/union-admin/accounts/{unused.pk}/invitation/"),
             (ops, "/admin/union-admin/unions/"),
             (ops, "/admin/union-admin/unions/new/"),
             (ops, f"/admin/union-admin/unions/{world['a'].pk}/")]
    for client, url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        title = str(response.context["page_title"])
        home = str(response.context["breadcrumbs_items"][0]["label"])
        assert title and title != home
        assert _heading(html) == title, url
        assert _text(re.search(r"<title>(.*?)</title>", html, re.S).group(1)).startswith(title)


# --- One settings entry ------------------------------------------------------------------

def _menu(client) -> dict[str, list[str]]:
    """The admin's main menu: each top-level entry's name and the addresses under it."""
    html = client.get("/admin/").content.decode()
    props = json.loads(re.search(r'id="wagtail-sidebar-props"[^>]*>(.*?)</script>', html,
                                 re.S).group(1))
    module = next(m for m in props["modules"] if m["_type"] == "wagtail.sidebar.MainMenuModule")
    menu = {}
    for item in module["_args"][0]:
        data, *rest = item["_args"]
        children = rest[0] if rest and isinstance(rest[0], list) else []
        menu[data["name"]] = [data.get("url")] if not children else [
            child["_args"][0].get("url") for child in children]
    return menu


def test_one_settings_entry_in_the_menu(world):
    menu = _menu(_client(world["a"], world["admin"]))
    assert "settings" not in menu  # Wagtail's Settings menu held Users, Brand, Link menu
    urls = [url for urls in menu.values() for url in urls]
    assert urls.count("/admin/users/") == 1
    union_menu = next(urls for urls in menu.values() if "/admin/union-admin/settings/" in urls)
    assert {"/admin/users/", "/admin/settings/themes/brandsettings/",
            "/admin/settings/themes/linkmenu/"} <= set(union_menu)
    staff_menu = _menu(_client(world["a"], world["staff"]))
    assert "settings" not in staff_menu
    assert "/admin/settings/themes/linkmenu/" not in json.dumps(staff_menu)
    # The settings pages stay reachable to the admin, and closed to staff.
    assert _client(world["a"], world["admin"]).get(
        f"/admin/settings/themes/linkmenu/{world['a'].site_id}/").status_code == 200
    assert _client(world["a"], world["staff"]).get(
        f"/admin/settings/themes/linkmenu/{world['a'].site_id}/").status_code in (302, 403)


# --- Roles column ------------------------------------------------------------------------

def _roles_cells(html: str) -> dict[str, str]:
    rows = re.findall(r"<tr\b.*?</tr>", html, re.S)
    cells = {}
    for row in rows:
        cell = re.search(r'<td class="union-roles">(.*?)</td>', row, re.S)
        email = re.search(r"[\w.+-]+@[\w.-]+\.example", row)
        if cell and email:
            cells[email.group(0)] = _text(cell.group(1))
    return cells


def test_user_list_shows_roles_and_positions(world):
    union = world["a"]
    branch = make_branch(union, "Haara")
    member = world["member"]
    appoint(member, PositionKind.BRANCH_CHAIR, branch)
    appoint(member, PositionKind.BRANCH_SECRETARY, branch, ends_on=dt.date(2021, 1, 1))
    response = _client(union, world["admin"]).get("/admin/users/")
    cells = _roles_cells(response.content.decode())
    with translation.override(response["Content-Language"]):
        assert cells[world["admin"].email].endswith(str(Role.ADMIN.label).lower())
        assert cells[world["staff"].email].endswith(str(Role.STAFF.label).lower())
        expected = f"{Role.MEMBER.label}, {str(Role.OFFICIAL.label).lower()}"
        assert cells[member.user.email].startswith(expected)
        assert f"{PositionKind.BRANCH_CHAIR.label}, {branch.title}" in cells[member.user.email]
        assert str(PositionKind.BRANCH_SECRETARY.label) not in cells[member.user.email]
    assert world["member_b"].user.email not in cells


def test_roles_column_costs_the_same_queries_for_any_number_of_accounts(world):
    union = world["a"]
    client = _client(union, world["admin"])
    branch = make_branch(union)

    def role_queries():
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/admin/users/").status_code == 200
        return [q["sql"] for q in queries.captured_queries
                if "people_positionoftrust" in q["sql"] or "auth_user_groups" in q["sql"]]

    before = role_queries()
    for _ in range(4):
        appoint(make_person(union, roles=(Role.MEMBER,)), PositionKind.BRANCH_BOARD_MEMBER,
                branch)
    after = role_queries()
    assert len(after) == len(before) <= 3


# --- Appoint by name -----------------------------------------------------------------------

@pytest.fixture(params=["database", "elasticsearch"])
def engine_name(request, settings):
    if request.param == "elasticsearch":
        from search.client import drop_all, get_client

        settings.ELASTICSEARCH_URL = request.getfixturevalue("elasticsearch_url")
        settings.SEARCH_INDEX_PREFIX = f"portal-test-{uuid.uuid4().hex[:10]}"
        yield request.param
        drop_all(get_client())
    else:
        settings.ELASTICSEARCH_URL = ""
        yield request.param


def _sync():
    from search.client import is_enabled
    from search.reindex import reindex

    if is_enabled():
        reindex()


def test_people_search_finds_only_the_unions_people(world, engine_name):
    _sync()
    client = _client(world["a"], world["staff"])
    response = client.get("/admin/union-admin/people/search/", {"q": "Valkea"})
    assert response.status_code == 200
    assert {"private", "no-store"} <= {d.strip() for d in response["Cache-Control"].split(",")}
    results = response.json()["results"]
    assert [r["id"] for r in results] == [world["member"].pk]
    assert results[0]["name"] == "Aino Valkeapää"
    assert world["member"].member_number in results[0]["detail"]
    assert AuditEntry.objects.filter(person_id=world["member"].pk, action="list",
                                     target="adminpanel:people_search").exists()
    # Another union's staff on this union's host, and a plain member: nothing.
    other = _client(world["a"], world["staff_b"])
    assert other.get("/admin/union-admin/people/search/", {"q": "Valkea"}).status_code in (
        302, 403)
    member = _client(world["a"], world["member"].user)
    assert member.get("/admin/union-admin/people/search/", {"q": "Valkea"}).status_code in (
        302, 403)
    # On its own host the other union's staff finds its own Aino only.
    own_b = _client(world["b"], world["staff_b"]).get("/admin/union-admin/people/search/",
                                                      {"q": "Valkea"})
    assert [r["id"] for r in own_b.json()["results"]] == [world["member_b"].pk]


def test_appoint_by_name_and_refuse_another_unions_person(world):
    client = _client(world["a"], world["staff"])
    page = client.get("/admin/union-admin/positions/").content.decode()
    combobox = re.search(r'<input type="text" role="combobox"[^>]*>', page, re.S).group(0)
    assert 'aria-controls="id_person_listbox"' in combobox
    assert 'aria-expanded="false"' in combobox
    assert re.search(r'<label[^>]+for="id_person"', page)
    assert "adminpanel/person-combobox.js" in page
    assert 'name="member_number"' not in page
    form = {"kind": PositionKind.UNION_COUNCIL_MEMBER, "starts_on": "2025-01-01",
            "ends_on": ""}
    refused = client.post("/admin/union-admin/positions/",
                          {**form, "person": world["member_b"].pk})
    assert refused.status_code == 200
    assert refused.context["form"].errors["person"]
    assert not PositionOfTrust.objects.filter(person=world["member_b"]).exists()
    assert client.post("/admin/union-admin/positions/", {**form, "person": ""}).status_code == 200
    response = client.post("/admin/union-admin/positions/", {**form, "person": world["member"].pk})
    assert response.status_code == 302
    position = PositionOfTrust.objects.get(person=world["member"])
    assert (position.kind, position.scope_page_id) == (PositionKind.UNION_COUNCIL_MEMBER,
                                                       world["a"].root_page_id)


# --- Ending terms ------------------------------------------------------------------------

def test_ending_a_future_term_cancels_it_and_ended_terms_are_listed_apart(world):
    union, member = world["a"], world["member"]
    today = timezone.localdate()
    root = union.root_page
    future = appoint(member, PositionKind.UNION_BOARD_MEMBER, root,
                     starts_on=today + dt.timedelta(days=30))
    current = appoint(world["admin"].person, PositionKind.UNION_BOARD_MEMBER, root,
                      starts_on=dt.date(2024, 1, 1))
    ended = appoint(world["staff"].person, PositionKind.UNION_COUNCIL_MEMBER, root,
                    starts_on=dt.date(2024, 1, 1), ends_on=today - dt.timedelta(days=10))
    client = _client(union, world["staff"])
    page = client.get("/admin/union-admin/positions/")
    assert {p.pk for p in page.context["board"]} == {current.pk, future.pk}
    assert page.context["council"] == []
    assert [p.pk for p in page.context["ended"]] == [ended.pk]
    assert client.post(f"/admin/union-admin/positions/{future.pk}/end/").status_code == 302
    assert not PositionOfTrust.objects.filter(pk=future.pk).exists()  # no one-day term
    assert AuditEntry.objects.filter(person_id=member.pk, action="delete",
                                     target=f"position:{future.pk}").exists()
    assert client.post(f"/admin/union-admin/positions/{current.pk}/end/").status_code == 302
    current.refresh_from_db()
    assert (current.starts_on, current.ends_on) == (dt.date(2024, 1, 1),
                                                    today - dt.timedelta(days=1))
    # The other union's staff cannot end this union's terms.
    other = _client(world["b"], world["staff_b"])
    assert other.post(f"/admin/union-admin/positions/{ended.pk}/end/").status_code == 404


def test_end_position_action_cancels_a_term_not_yet_started(world):
    member = world["member"]
    future = appoint(member, PositionKind.UNION_BOARD_MEMBER, world["a"].root_page,
                     starts_on=timezone.localdate() + dt.timedelta(days=1))
    assert people_actions.end_position(position=future, acting_user=world["staff"]) is None
    assert not PositionOfTrust.objects.filter(person=member).exists()


# --- Feature switches ----------------------------------------------------------------------

def test_only_features_that_exist_have_switches(world):
    union = world["a"]
    update_union_settings(union=union, acting_user=world["admin"],
                          values={"features_on": [UnionFeature.ACTIVITY]})
    stored = UnionSettings.for_union(union)
    stored.disabled_features = sorted({*stored.disabled_features, UnionFeature.SURVEYS})
    stored.save()
    client = _client(union, world["admin"])
    response = client.get("/admin/union-admin/settings/")
    choices = [value for value, _label in response.context["form"].fields["features"].choices]
    assert choices == [f.value for f in switchable_features()]
    # Built features have a switch (the campaign centre, issue 19); planned ones none.
    assert {UnionFeature.ACTIVITY, UnionFeature.MESSAGING, UnionFeature.CAMPAIGNS} <= set(choices)
    assert UnionFeature.SURVEYS not in choices
    html = response.content.decode()
    assert f'value="{UnionFeature.SURVEYS}"' not in html
    response = client.post("/admin/union-admin/settings/", {
        "name": union.name, "default_language": "fi", "features": [UnionFeature.MESSAGING]})
    assert response.status_code == 302
    stored = UnionSettings.for_union(Union.objects.get(pk=union.pk))
    assert not stored.feature_on(UnionFeature.ACTIVITY)
    assert stored.feature_on(UnionFeature.MESSAGING)
    assert not stored.feature_on(UnionFeature.SURVEYS)  # a hidden key keeps its state


# --- Link labels -------------------------------------------------------------------------

def _swedish(union):
    update_union_settings(union=union, values={"default_language": "sv"})
    return Union.objects.get(pk=union.pk)


def _link_form(**items):
    data = {"items-TOTAL_FORMS": "1", "items-INITIAL_FORMS": "0",
            "items-MIN_NUM_FORMS": "0", "items-MAX_NUM_FORMS": "1000",
            "items-0-id": "", "items-0-ORDER": "1", "items-0-DELETE": "",
            "items-0-link_page": "", "items-0-link_url": "https://example.org/",
            "items-0-label": "", "items-0-label_sv": "", "items-0-label_en": ""}
    data.update({f"items-0-{k}": v for k, v in items.items()})
    return data


def test_a_swedish_union_enters_link_labels_in_swedish_only(world):
    union = _swedish(world["a"])
    client = _client(union, world["admin"])
    url = f"/admin/settings/themes/linkmenu/{union.site_id}/"
    form = client.get(url).context["form"]
    item_form = form.formsets["items"].empty_form
    assert item_form.fields["label_sv"].required
    assert not item_form.fields["label"].required
    assert not item_form.fields["label_en"].required
    response = client.post(url, _link_form(label_sv="Strejkkassan"))
    assert response.status_code == 302, response.context["form"].formsets["items"].errors
    item = LinkMenuItem.objects.get(menu__site_id=union.site_id)
    assert (item.label, item.label_sv) == ("", "Strejkkassan")
    # Other languages fall back to the union's default one.
    from wagtail.models import Site

    site = Site.objects.get(pk=union.site_id)
    assert [e["label"] for e in LinkMenu.entries_for_site(site, "fi")] == ["Strejkkassan"]
    assert [e["label"] for e in LinkMenu.entries_for_site(site, "en")] == ["Strejkkassan"]
    # The default language's label is required, in the form and in the model.
    refused = client.post(url, _link_form(label="Lakkokassa"))
    assert refused.status_code == 200
    assert "label_sv" in refused.context["form"].formsets["items"].errors[0]
    with pytest.raises(Exception, match="label"):
        LinkMenuItem(menu=LinkMenu.for_site(site), label="Lakkokassa",
                     link_url="https://example.org/").full_clean()


def test_a_finnish_union_still_requires_the_finnish_label(world):
    union = world["a"]
    client = _client(union, world["admin"])
    url = f"/admin/settings/themes/linkmenu/{union.site_id}/"
    refused = client.post(url, _link_form(label_sv="Strejkkassan"))
    assert refused.status_code == 200
    assert "label" in refused.context["form"].formsets["items"].errors[0]
    assert client.post(url, _link_form(label="Lakkokassa")).status_code == 302
