"""System messages: by role and time window, per union or platform-wide, an activity item
once started, dismissible per user, sanitised text; only admins (or the operator) write."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.utils import timezone

from portal.accounts.actions import create_platform_operator
from portal.activity.models import ActivityEvent
from portal.notifications import actions
from portal.union.models import Role
from tests.factories import make_person, make_union


def _banner_titles(client) -> str:
    return client.get("/").content.decode()


@pytest.mark.django_db
def test_roles_window_platform_and_dismissal(django_capture_on_commit_callbacks):
    union, other = make_union("sysa"), make_union("sysb")
    member = make_person(union, roles=(Role.MEMBER,))
    staff = make_person(union, roles=(Role.STAFF,))
    admin = make_person(union, roles=(Role.ADMIN,))
    foreign = make_person(other, roles=(Role.MEMBER,))
    operator = create_platform_operator(email="op@sys.example")
    now = timezone.now()
    with django_capture_on_commit_callbacks(execute=True):
        for_staff = actions.create_system_message(union=union, acting_user=admin.user, values={
            "title": "Board <script>alert(1)</script>meeting", "roles": [Role.STAFF],
            "body": "<b>Agenda</b> at https://example.org/agenda",
            "starts_at": now - dt.timedelta(minutes=1), "ends_at": now + dt.timedelta(hours=1)})
        later = actions.create_system_message(union=union, acting_user=admin.user, values={
            "title": "Maintenance tonight", "roles": [],
            "starts_at": now + dt.timedelta(hours=2), "ends_at": now + dt.timedelta(hours=3)})
        platform = actions.create_system_message(union=None, acting_user=operator, values={
            "title": "Service update", "roles": [], "starts_at": now - dt.timedelta(minutes=1),
            "ends_at": now + dt.timedelta(hours=1)})
    assert (for_staff.title, for_staff.body) == (
        "Board meeting", "Agenda at https://example.org/agenda")

    clients = {}
    for name, person in (("member", member), ("staff", staff), ("foreign", foreign)):
        clients[name] = Client(HTTP_HOST=person.union.site.hostname)
        clients[name].force_login(person.user)
    pages = {name: _banner_titles(client) for name, client in clients.items()}
    assert "Board meeting" in pages["staff"] and "Board meeting" not in pages["member"]
    assert 'href="https://example.org/agenda"' in pages["staff"]  # a link, text escaped
    assert "Maintenance tonight" not in pages["staff"]  # not started
    assert all("Service update" in page for page in pages.values())  # every union
    assert "Board meeting" not in pages["foreign"]

    # Activity items for the roles it is for, once started; the deep link opens it.
    items = ActivityEvent.objects.filter(source=f"system:{for_staff.pk}")
    assert set(items.values_list("person_id", flat=True)) == {staff.pk}
    assert ActivityEvent.objects.filter(source=f"system:{platform.pk}").count() == 4
    assert not ActivityEvent.objects.filter(source=f"system:{later.pk}").exists()
    link = items.get().url
    assert clients["staff"].get(link).status_code == 200
    assert clients["member"].get(link).status_code == 404
    assert actions.announce_due(now + dt.timedelta(hours=2, minutes=1)) == 3
    assert actions.announce_due(now + dt.timedelta(hours=2, minutes=2)) == 0  # once

    # Dismissed by one user: gone for them only.
    response = clients["staff"].post(f"/notifications/system/{platform.pk}/dismiss/",
                                        {"next": "/"})
    assert response.status_code == 302 and response["Location"] == "/"
    assert "Service update" not in _banner_titles(clients["staff"])
    assert "Service update" in _banner_titles(clients["member"])

    # Only the union's admins write to a union, only the operator platform-wide.
    values = {"title": "x", "starts_at": now, "ends_at": now + dt.timedelta(hours=1)}
    for user, scope in ((staff.user, union), (admin.user, None), (operator, union)):
        with pytest.raises(PermissionDenied):
            actions.create_system_message(union=scope, acting_user=user, values=values)
    admin_client = Client(HTTP_HOST=union.site.hostname)
    admin_client.force_login(admin.user)
    listing = admin_client.get("/admin/union-admin/system-messages/").content.decode()
    assert "Maintenance tonight" in listing and "Service update" not in listing
    assert clients["member"].get("/admin/union-admin/system-messages/").status_code in (302, 403)
    edit = f"/admin/union-admin/system-messages/{for_staff.pk}/"
    # "Remove" first asks (nothing is removed yet), the confirmation removes.
    asking = admin_client.post(edit, {"op": "delete"})
    assert asking.status_code == 200 and 'name="confirmed" value="1"' in asking.content.decode()
    assert ActivityEvent.objects.filter(source=f"system:{for_staff.pk}").exists()
    assert admin_client.post(edit, {"op": "delete", "confirmed": "1"}).status_code == 302
    assert not ActivityEvent.objects.filter(source=f"system:{for_staff.pk}").exists()
    assert admin_client.get(f"/admin/union-admin/system-messages/{platform.pk}/").status_code == 404
