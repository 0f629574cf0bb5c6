"""Issue 15, item 2: appointing officials on a union's branch, employer and workplace
pages, changing and ending terms, cancelling appointments, and a person's trainings.

One world of two unions is built once for the module; each test's writes are rolled
back after it (the `db` fixture's savepoint inside the module's transaction)."""

from __future__ import annotations

import datetime as dt
import time

import pytest
from django.template.loader import render_to_string
from django.test import Client, override_settings
from django.test.client import RequestFactory
from django.utils import timezone, translation

from portal.audit.models import AuditAction, AuditEntry
from portal.officials.selectors import person_section
from portal.people.models import PositionKind, PositionOfTrust, Training
from portal.union.models import Role
from tests.factories import (
    appoint,
    make_branch,
    make_employer,
    make_person,
    make_union,
    make_workplace,
)
from tests.shared import rolled_back

DATABASE_SEARCH = {"default": {"BACKEND": "wagtail.search.backends.database"}}
TODAY = timezone.localdate()


def _side(slug: str) -> dict:
    union = make_union(slug)
    branch = make_branch(union, title=f"{slug} branch")
    employer = make_employer(union, title=f"{slug} employer")
    workplace = make_workplace(employer, title=f"{slug} workplace")
    staff = make_person(union, roles=(Role.STAFF,), first_name=f"{slug}staff")
    worker = make_person(union, branch=branch, workplace=workplace, roles=(Role.MEMBER,),
                         first_name="Saara", last_name="Steward")
    old = appoint(worker, PositionKind.SAFETY_REPRESENTATIVE, workplace,
                  starts_on=dt.date(2018, 1, 1), ends_on=dt.date(2019, 12, 31))
    return {"union": union, "branch": branch, "employer": employer, "workplace": workplace,
            "staff": staff, "worker": worker, "old": old}


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), override_settings(
            ELASTICSEARCH_URL="", WAGTAILSEARCH_BACKENDS=DATABASE_SEARCH), rolled_back():
        yield {"a": _side("ofa"), "b": _side("ofb")}


@pytest.fixture
def w(world, db, settings):
    settings.ELASTICSEARCH_URL = ""
    settings.WAGTAILSEARCH_BACKENDS = DATABASE_SEARCH
    return world


def _client(side, person) -> Client:
    client = Client(HTTP_HOST=side["union"].site.hostname)
    client.force_login(person.user)
    return client


def _fresh(user):
    # Page permissions are cached on the user object: ask with a new one.
    return type(user).objects.get(pk=user.pk)


def _url(name, *args):
    from django.urls import reverse
    return reverse(f"officials:{name}", args=args)


def test_staff_appoint_a_shop_steward_who_then_may_edit_the_workplace(w):
    a = w["a"]
    workplace, worker = a["workplace"], a["worker"]
    assert not workplace.permissions_for_user(worker.user).can_edit()
    client = _client(a, a["staff"])
    typed = {"kind": PositionKind.SHOP_STEWARD, "person": worker.pk,
             "starts_on": TODAY.isoformat(), "ends_on": "2031-12-31"}
    # Without a fresh second step the appointment waits for it, and the form comes back
    # from the step-up page filled in as it was typed (portal/stepup).
    with override_settings(STEPUP_ENFORCED=True):
        page_url = "http://" + a["union"].site.hostname + _url("page", workplace.pk)
        response = client.post(_url("page", workplace.pk), typed, HTTP_REFERER=page_url)
        assert response.status_code == 302 and response["Location"].startswith("/stepup/")
        assert not PositionOfTrust.objects.filter(person=worker, kind=typed["kind"]).exists()
        from urllib.parse import parse_qs, urlsplit
        back = parse_qs(urlsplit(response["Location"]).query)["next"][0]
        session = client.session
        session["stepup_at"] = int(time.time())  # what the step-up page sets
        session.save()
        resumed = client.get(back)
        form = resumed.context["form"]
        assert form.data["ends_on"] == "2031-12-31" and form.data["person"] == str(worker.pk)
        assert 'value="Saara Steward"' in resumed.text and 'value="2031-12-31"' in resumed.text
        assert client.get(back).context["form"].data == {}  # the kept POST is read once
        response = client.post(_url("page", workplace.pk), dict(form.data.items()))
    assert response.status_code == 302
    position = PositionOfTrust.objects.get(person=worker, kind=PositionKind.SHOP_STEWARD)
    assert position.scope_page_id == workplace.pk and position.union_id == a["union"].pk
    assert AuditEntry.objects.filter(person_id=worker.pk, action=AuditAction.CREATE,
                                     target=f"position:{position.pk}").exists()
    assert workplace.permissions_for_user(_fresh(worker.user)).can_edit()
    steward = _client(a, worker)
    assert steward.get(f"/admin/pages/{workplace.pk}/edit/").status_code == 200

    page = client.get(_url("page", workplace.pk))
    html = page.content.decode()
    assert "Saara Steward" in html and "private" in page["Cache-Control"]
    # The current steward has End the term; the old term is listed under past officials.
    assert _url("end", workplace.pk, position.pk) in html
    assert _url("term", workplace.pk, a["old"].pk) in html
    assert _url("end", workplace.pk, a["old"].pk) not in html
    assert AuditEntry.objects.filter(action=AuditAction.LIST, person_id=worker.pk,
                                     target=f"officials:page:{workplace.pk}").exists()


def test_only_the_positions_of_the_pages_kind_are_offered_and_errors_are_explained(w):
    a, b = w["a"], w["b"]
    client = _client(a, a["staff"])
    form = client.get(_url("page", a["branch"].pk)).context["form"]
    assert [k for k, _ in form.fields["kind"].choices] == [
        PositionKind.BRANCH_CHAIR, PositionKind.BRANCH_SECRETARY,
        PositionKind.BRANCH_BOARD_MEMBER]
    form = client.get(_url("page", a["employer"].pk)).context["form"]
    assert PositionKind.SHOP_STEWARD in dict(form.fields["kind"].choices)
    assert PositionKind.BRANCH_CHAIR not in dict(form.fields["kind"].choices)

    with translation.override("fi"):
        response = client.post(_url("page", a["branch"].pk), {
            "kind": PositionKind.SHOP_STEWARD, "person": b["worker"].pk,
            "starts_on": "2026-05-01", "ends_on": "2026-04-01"}, HTTP_ACCEPT_LANGUAGE="fi")
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert set(errors) == {"kind", "person", "ends_on"}
    with translation.override("fi"):
        from django.utils.translation import gettext
        finnish = gettext("Choose one of the positions listed.")
    assert finnish != "Choose one of the positions listed."
    assert finnish in response.content.decode()
    assert not PositionOfTrust.objects.filter(scope_page_id=a["branch"].pk).exists()


def test_change_end_and_cancel_terms_through_the_actions(w):
    a = w["a"]
    workplace, worker = a["workplace"], a["worker"]
    client = _client(a, a["staff"])
    current = appoint(worker, PositionKind.SHOP_STEWARD, workplace, starts_on=dt.date(2024, 1, 1))
    upcoming = appoint(worker, PositionKind.DEPUTY_SHOP_STEWARD, workplace,
                       starts_on=TODAY + dt.timedelta(days=30))

    # The term's dates are shown in the date inputs (ISO, whatever the language).
    term_page = client.get(_url("term", workplace.pk, current.pk)).content.decode()
    assert 'value="2024-01-01"' in term_page
    response = client.post(_url("term", workplace.pk, current.pk),
                           {"starts_on": "2024-02-01", "ends_on": "2024-01-01"})
    assert "ends_on" in response.context["form"].errors
    response = client.post(_url("term", workplace.pk, current.pk),
                           {"starts_on": "2024-02-01", "ends_on": ""})
    assert response.status_code == 302
    current.refresh_from_db()
    assert current.starts_on == dt.date(2024, 2, 1) and current.ends_on is None

    # Cancelling a started term is refused (it is ended instead); ending it stops today.
    client.post(_url("cancel", workplace.pk, current.pk))
    assert PositionOfTrust.objects.filter(pk=current.pk).exists()
    # Ending asks first (a page without JavaScript), then ends on the confirmed POST.
    asked = client.post(_url("end", workplace.pk, current.pk))
    assert asked.status_code == 200 and 'name="confirmed" value="1"' in asked.text
    assert worker.full_name in asked.text
    current.refresh_from_db()
    assert current.ends_on is None
    client.post(_url("end", workplace.pk, current.pk), {"confirmed": "1"})
    current.refresh_from_db()
    assert current.ends_on == TODAY - dt.timedelta(days=1)
    assert not workplace.permissions_for_user(_fresh(worker.user)).can_edit()

    client.post(_url("cancel", workplace.pk, upcoming.pk))
    assert not PositionOfTrust.objects.filter(pk=upcoming.pk).exists()
    assert AuditEntry.objects.filter(action=AuditAction.DELETE,
                                     target=f"position:{upcoming.pk}").exists()
    # A term that starts today, ended today: cancelled (it was never held), not a 500.
    today = appoint(worker, PositionKind.SHOP_STEWARD, workplace, starts_on=TODAY)
    response = client.post(_url("end", workplace.pk, today.pk), {"confirmed": "1"})
    assert response.status_code == 302 and not PositionOfTrust.objects.filter(pk=today.pk).exists()
    # GET of a POST-only action does nothing.
    assert client.get(_url("end", workplace.pk, current.pk)).status_code == 405


def test_trainings_are_listed_and_added_with_validation(w):
    a = w["a"]
    worker = a["worker"]
    client = _client(a, a["staff"])
    url = _url("person_trainings", worker.pk)
    response = client.post(url, {"name": "  ", "completed_on": "2999-01-01"})
    assert set(response.context["form"].errors) == {"name", "completed_on"}
    response = client.post(url, {"name": "Luottamusmieskurssi", "provider": "Opisto",
                                 "completed_on": "2025-03-01"})
    assert response.status_code == 302
    training = Training.objects.get(person=worker)
    assert training.union_id == a["union"].pk
    assert AuditEntry.objects.filter(action=AuditAction.CREATE,
                                     target=f"training:{training.pk}").exists()
    response = client.get(url)
    assert "Luottamusmieskurssi" in response.content.decode()
    assert AuditEntry.objects.filter(action=AuditAction.VIEW, person_id=worker.pk,
                                     fields__contains=["trainings"]).exists()


def test_nothing_across_unions_and_nothing_for_non_staff(w):
    a, b = w["a"], w["b"]
    position = appoint(b["worker"], PositionKind.SHOP_STEWARD, b["workplace"])
    foreign = [
        ("get", _url("page", b["workplace"].pk)),
        ("post", _url("page", b["workplace"].pk)),
        ("get", _url("term", b["workplace"].pk, position.pk)),
        ("post", _url("term", b["workplace"].pk, position.pk)),
        ("post", _url("end", b["workplace"].pk, position.pk)),
        ("post", _url("cancel", b["workplace"].pk, position.pk)),
        ("get", _url("person_trainings", b["worker"].pk)),
        ("post", _url("person_trainings", b["worker"].pk)),
        # B's position named under A's own page.
        ("get", _url("term", a["workplace"].pk, position.pk)),
        ("post", _url("end", a["workplace"].pk, position.pk)),
        # Pages without officials here: the union's root page and an index.
        ("get", _url("page", a["union"].root_page_id)),
        ("get", _url("page", a["workplace"].get_parent().get_parent().pk)),
    ]
    staff = _client(a, a["staff"])
    for method, url in foreign:
        assert getattr(staff, method)(url, {"name": "x"}).status_code == 404, url
    position.refresh_from_db()
    assert position.ends_on is None and not Training.objects.filter(person=b["worker"]).exists()
    # B's staff on A's hostname, and A's own member, get nothing of A.
    b_staff = Client(HTTP_HOST=a["union"].site.hostname)
    b_staff.force_login(b["staff"].user)
    member = _client(a, a["worker"])
    for client in (b_staff, member):
        for url in (_url("page", a["workplace"].pk), _url("person_trainings", a["worker"].pk)):
            response = client.get(url)
            assert response.status_code in (302, 403, 404), url
            assert b"Saara" not in response.content


def test_the_page_and_the_person_page_lead_to_the_officials(w):
    a = w["a"]
    workplace, worker = a["workplace"], a["worker"]
    staff = _client(a, a["staff"])
    officials_url = _url("page", workplace.pk)
    assert officials_url in staff.get(f"/admin/pages/{workplace.pk}/edit/").content.decode()
    listing = staff.get(f"/admin/pages/{workplace.get_parent().pk}/").content.decode()
    assert officials_url in listing
    # An official who edits the page does not appoint: no entry for them.
    appoint(worker, PositionKind.SHOP_STEWARD, workplace)
    steward_edit = _client(a, worker).get(f"/admin/pages/{workplace.pk}/edit/")
    assert steward_edit.status_code == 200 and officials_url not in steward_edit.content.decode()

    request = RequestFactory().get("/")
    request.union, request.user = a["union"], a["staff"].user
    section = person_section(request=request, person=worker)
    html = render_to_string("officials/person_section.html", section)
    assert f"{officials_url}?person={worker.pk}" in html
    assert _url("person_trainings", worker.pk) in html
    # The appoint form opens with the person chosen.
    form = staff.get(f"{officials_url}?person={worker.pk}").context["form"]
    assert str(form["person"].value()) == str(worker.pk)
    worker.deceased_on = TODAY
    assert person_section(request=request, person=worker)["appoint_at"] == []
    request.user = worker.user
    assert person_section(request=request, person=worker) is None
    request.union, request.user = w["b"]["union"], w["b"]["staff"].user
    assert person_section(request=request, person=worker) is None


def test_a_second_branch_chair_asks_whether_the_current_term_ends(w):
    a = w["a"]
    branch, client = a["branch"], _client(a, a["staff"])
    chair = make_person(a["union"], branch=branch, first_name="Carita", last_name="Chair")
    current = appoint(chair, PositionKind.BRANCH_CHAIR, branch, starts_on=dt.date(2024, 1, 1))
    successor = make_person(a["union"], branch=branch, first_name="Sulo", last_name="Seuraaja")
    start = TODAY + dt.timedelta(days=10)
    typed = {"kind": PositionKind.BRANCH_CHAIR, "person": successor.pk,
             "starts_on": start.isoformat(), "ends_on": ""}
    # Asked first, nothing written: who holds it, and the two ways on.
    asked = client.post(_url("page", branch.pk), typed)
    assert asked.status_code == 200
    html = asked.content.decode()
    assert "Carita Chair" in html and 'name="handover" value="end"' in html
    assert 'name="handover" value="both"' in html
    assert not PositionOfTrust.objects.filter(person=successor).exists()
    # Ending it: the old term ends the day before the new one starts, in one step.
    assert client.post(_url("page", branch.pk), {**typed, "handover": "end"}).status_code == 302
    current.refresh_from_db()
    assert current.ends_on == start - dt.timedelta(days=1)
    assert PositionOfTrust.objects.get(person=successor).starts_on == start
    # The same person twice on the same day is refused, whatever is posted.
    again = client.post(_url("page", branch.pk), {**typed, "handover": "both"})
    assert again.status_code == 200
    assert PositionOfTrust.objects.filter(person=successor).count() == 1
    # Positions held by several (board members) are appointed without asking.
    board = {"kind": PositionKind.BRANCH_BOARD_MEMBER, "starts_on": TODAY.isoformat(),
             "ends_on": ""}
    for person in (chair, successor):
        assert client.post(_url("page", branch.pk),
                           {**board, "person": person.pk}).status_code == 302
    assert PositionOfTrust.objects.filter(scope_page=branch,
                                          kind=PositionKind.BRANCH_BOARD_MEMBER).count() == 2


def test_appointing_beside_the_current_chair_keeps_both(w):
    a = w["a"]
    branch, client = a["branch"], _client(a, a["staff"])
    chair = make_person(a["union"], branch=branch, first_name="Kaija")
    appoint(chair, PositionKind.BRANCH_CHAIR, branch, starts_on=dt.date(2024, 1, 1))
    other = make_person(a["union"], branch=branch, first_name="Toinen")
    response = client.post(_url("page", branch.pk), {
        "kind": PositionKind.BRANCH_CHAIR, "person": other.pk,
        "starts_on": TODAY.isoformat(), "ends_on": "", "handover": "both"})
    assert response.status_code == 302
    assert PositionOfTrust.objects.filter(scope_page=branch, kind=PositionKind.BRANCH_CHAIR,
                                          ends_on__isnull=True).count() == 2


def test_the_action_refuses_the_same_post_twice_over_the_same_days(w):
    """Whoever appoints (the officials screen, the union panel, an import): a person's
    overlapping second term of the same post on the same page is refused; a later term
    after the first has ended is a new term."""
    from django.core.exceptions import ValidationError

    from portal.people import actions as people_actions

    a = w["a"]
    worker, workplace = a["worker"], a["workplace"]
    first = people_actions.appoint_position(
        person=worker, kind=PositionKind.SHOP_STEWARD, scope_page=workplace,
        starts_on=dt.date(2025, 1, 1), ends_on=dt.date(2025, 12, 31))
    for starts_on, ends_on in ((dt.date(2025, 6, 1), None), (dt.date(2024, 1, 1),
                                                             dt.date(2025, 1, 1))):
        with pytest.raises(ValidationError):
            people_actions.appoint_position(person=worker, kind=PositionKind.SHOP_STEWARD,
                                            scope_page=workplace, starts_on=starts_on,
                                            ends_on=ends_on)
    later = people_actions.appoint_position(
        person=worker, kind=PositionKind.SHOP_STEWARD, scope_page=workplace,
        starts_on=dt.date(2026, 1, 1))
    assert list(PositionOfTrust.objects.filter(person=worker, kind=PositionKind.SHOP_STEWARD)
                .order_by("starts_on")) == [first, later]
