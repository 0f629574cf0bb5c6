"""Snapshots and their trend, the refresh after a register sync, the command, and the
report's views: who may see them, audit, caching, another union's session."""

import json
import re

from django.core.management import call_command
from django.utils import translation
from django.utils.translation import gettext, ngettext

from portal.audit.models import AuditEntry
from portal.dataquality.actions import refresh_report
from portal.dataquality.models import QualitySnapshot, Trigger
from portal.dataquality.selectors import report
from portal.people.models import Person
from portal.register.signals import register_synced
from tests.factories import make_person

from .conftest import client_for

REPORT = "/admin/union-admin/data-quality/"
CHECK = REPORT + "members_without_branch/"


def _union_menu(client) -> list[str]:
    """The addresses in the admin's Union menu (the sidebar's JSON props)."""
    html = client.get("/admin/").content.decode()
    props = json.loads(re.search(r'id="wagtail-sidebar-props"[^>]*>(.*?)</script>', html,
                                 re.S).group(1))
    module = next(m for m in props["modules"] if m["_type"] == "wagtail.sidebar.MainMenuModule")
    for item in module["_args"][0]:
        data, *rest = item["_args"]
        nested = rest[0] if rest and isinstance(rest[0], list) else []
        children = [child["_args"][0].get("url") for child in nested]
        if "/admin/union-admin/positions/" in children:
            return children
    return []


def _fi(text: str) -> str:
    """The pages are in the union's language, Finnish for the test unions."""
    with translation.override("fi"):
        return gettext(text)


def _summary(union, key):
    return next(s for s in report(union).summaries if s.check.key == key)


def test_a_snapshot_counts_each_check_and_the_trend_compares_with_the_previous(world):
    a = world["a"]
    first = refresh_report(union=a, trigger=Trigger.MANUAL, acting_user=world["staff"])
    assert first.counts["members_without_branch"] == 1
    summary = _summary(a, "members_without_branch")
    assert (summary.count, summary.previous, summary.trend) == (1, None, "new")
    make_person(a, user=False, first_name="Another", last_name="Nobranch")
    make_person(a, user=False, first_name="Third", last_name="Nobranch")
    Person.objects.filter(pk=world["data_a"]["expected"]["invalid_phones"].pop()).update(
        phone="040 123 4567")
    refresh_report(union=a, trigger=Trigger.COMMAND)
    summary = _summary(a, "members_without_branch")
    assert (summary.count, summary.previous, summary.delta, summary.trend) == (3, 1, 2, "up")
    phones = _summary(a, "invalid_phones")
    assert (phones.count, phones.delta, phones.trend) == (0, -1, "down")
    assert _summary(a, "invalid_emails").trend == "same"
    # B's report is its own: no snapshot yet.
    assert report(world["b"]).latest is None
    assert AuditEntry.objects.filter(union=a, target=f"dataquality:snapshot:{first.pk}",
                                     actor=world["staff"]).exists()


def test_a_register_sync_refreshes_the_report_of_its_union(
        world, django_capture_on_commit_callbacks):
    a = world["a"]
    with django_capture_on_commit_callbacks(execute=True):
        register_synced.send(sender="tests", union=a, kinds=("people",), result=None)
    snapshot = QualitySnapshot.objects.for_union(a).get()
    assert snapshot.trigger == Trigger.SYNC
    assert snapshot.counts["duplicate_identity"] == 2
    assert not QualitySnapshot.objects.for_union(world["b"]).exists()


def test_the_command_refreshes_every_union_or_the_named_ones(world, capsys):
    call_command("refresh_data_quality", "dqb")
    assert QualitySnapshot.objects.for_union(world["b"]).get().trigger == Trigger.COMMAND
    assert not QualitySnapshot.objects.for_union(world["a"]).exists()
    call_command("refresh_data_quality")
    assert QualitySnapshot.objects.for_union(world["a"]).count() == 1
    assert "members_without_branch=1" in capsys.readouterr().out


def test_staff_and_admins_see_the_report_members_and_stewards_do_not(world):
    a = world["a"]
    refresh_report(union=a)
    for role in ("staff", "admin"):
        client = client_for(a, world[role])
        response = client.get(REPORT)
        assert response.status_code == 200, role
        html = response.content.decode()
        assert _fi("Members without a branch") in html and "<svg" in html
        assert REPORT in _union_menu(client), role
        assert client.get(CHECK).status_code == 200
    for role in ("member", "steward"):
        client = client_for(a, world[role])
        assert REPORT not in client.get("/admin/").content.decode()
        for url in (REPORT, CHECK):
            response = client.get(url)
            assert response.status_code in (302, 403), (role, url)
            assert b"Nobranch" not in response.content
        assert client.post(REPORT).status_code in (302, 403)
    assert not QualitySnapshot.objects.for_union(a).exclude(trigger=Trigger.MANUAL).exists()
    assert QualitySnapshot.objects.for_union(a).count() == 1


def test_refresh_now_stores_a_snapshot_by_the_staff_member(world):
    client = client_for(world["a"], world["staff"])
    response = client.post(REPORT)
    assert response.status_code == 302 and response["Location"] == REPORT
    snapshot = QualitySnapshot.objects.for_union(world["a"]).get()
    assert (snapshot.trigger, snapshot.requested_by) == (Trigger.MANUAL, world["staff"])
    html = client.get(REPORT).content.decode()
    assert _fi("The report is refreshed.") in html


def test_the_drill_down_lists_people_audited_private_and_searchable(world):
    a, data = world["a"], world["data_a"]
    client = client_for(a, world["staff"])
    response = client.get(REPORT + "person_name_variants/")
    assert response.status_code == 200
    assert {"private", "no-store"} <= {
        part.strip() for part in response["Cache-Control"].split(",")}
    html = response.content.decode()
    for pk in data["expected"]["person_name_variants"]:
        assert f'href="/people/{pk}/"' in html
    assert "Beta" not in html
    logged = set(AuditEntry.objects.filter(
        union=a, target="dataquality:person_name_variants").values_list("person_id", flat=True))
    assert logged == data["expected"]["person_name_variants"]
    found = client.get(REPORT + "person_name_variants/?q=iwan").content.decode()
    assert "Iwan Alphaow" in found and "Twinn" not in found
    pairs = client.get(REPORT + "duplicate_similar/").content.decode()
    assert "Mati Alphanen" in pairs and "Matti Alphanen" in pairs and "Kalle" not in pairs
    employers = client.get(REPORT + "invalid_business_ids/").content.decode()
    bad = data["expected"]["invalid_business_ids"]
    assert all(f'href="/admin/pages/{pk}/edit/"' in employers for pk in bad)
    assert AuditEntry.objects.filter(union=a, target="dataquality:invalid_business_ids").exists()


def test_the_drill_down_pages(world):
    a = world["a"]
    for n in range(55):
        make_person(a, user=False, first_name=f"Page{n:02d}", last_name="Nobranch")
    client = client_for(a, world["staff"])
    first = client.get(CHECK).content.decode()
    with translation.override("fi"):
        found = ngettext("%(counter)s found now", "%(counter)s found now", 56) % {"counter": 56}
    assert found in first and "page=2" in first
    second = client.get(CHECK + "?page=2").content.decode()
    assert len(re.findall(r'href="/people/\d+/"', second)) == 6


def test_another_unions_session_and_host_get_nothing(world):
    a, b = world["a"], world["b"]
    refresh_report(union=a)
    # B's staff and admin on A's hostname: not signed in there.
    for user in (world["staff_b"], world["admin_b"]):
        client = client_for(b, user)
        client.defaults["HTTP_HOST"] = a.site.hostname
        for url in (REPORT, CHECK, REPORT + "duplicate_similar/"):
            response = client.get(url)
            assert response.status_code == 302 and "login" in response["Location"], url
        assert client.post(REPORT).status_code == 302
    assert QualitySnapshot.objects.for_union(a).count() == 1
    assert not QualitySnapshot.objects.for_union(b).exists()
    # B's staff on B's hostname sees B's rows only.
    html = client_for(b, world["staff_b"]).get(REPORT + "duplicate_identity/").content.decode()
    assert "Twin Beta" in html and "Alpha" not in html
    # A check that does not exist is a 404.
    assert client_for(a, world["staff"]).get(REPORT + "no_such_check/").status_code == 404


def test_a_committed_register_batch_refreshes_the_report(
        world, django_capture_on_commit_callbacks):
    """End to end through the register core: two people with the same identity code
    written by upsert_records; after its commit the report counts them. A dry run
    refreshes nothing."""
    from portal.register.actions import upsert_records

    a = world["a"]
    records = [
        {"member_number": "R1", "first_name": "Reko", "last_name": "Rekisteri",
         "identity_code": "131052-308T"},
        {"member_number": "R2", "first_name": "Reijo", "last_name": "Rekisteri",
         "identity_code": "131052-308T"},
    ]
    with django_capture_on_commit_callbacks(execute=True):
        upsert_records(union=a, kind="people", records=records, source="api", dry_run=True)
    assert not QualitySnapshot.objects.for_union(a).exists()
    with django_capture_on_commit_callbacks(execute=True):
        result = upsert_records(union=a, kind="people", records=records, source="api")
    assert result.created == 2, result.errors
    snapshot = QualitySnapshot.objects.for_union(a).get()
    assert snapshot.trigger == Trigger.SYNC
    # The fixture's twins share another code; these two are a second group.
    assert snapshot.counts["duplicate_identity"] == 4
    assert not QualitySnapshot.objects.for_union(world["b"]).exists()


def test_a_refresh_click_queued_behind_a_refresh_that_started_after_it_is_skipped(world):
    """A double click or two staff members clicking: the task of a click that a refresh
    started after it already covers does not count the union again."""
    import datetime as dt

    from django.utils import timezone

    a = world["a"]
    # A refresh that started counting after the click was made (the click's task waited).
    covering = refresh_report(union=a, trigger=Trigger.MANUAL)
    QualitySnapshot.objects.filter(pk=covering.pk).update(
        created_at=timezone.now() + dt.timedelta(minutes=1))
    client = client_for(a, world["staff"])
    assert client.post(REPORT).status_code == 302
    assert list(QualitySnapshot.objects.for_union(a).values_list("pk", flat=True)) == [
        covering.pk]


def test_a_refresh_that_started_after_a_batch_covers_it(world):
    """Hundreds of batches of one sync do not count the union hundreds of times: a
    batch's task skips when a refresh started after the batch committed."""
    import datetime as dt

    from django.utils import timezone

    from portal.dataquality.tasks import refresh_report_task

    a = world["a"]
    committed = timezone.now()
    covering = refresh_report(union=a, trigger=Trigger.SYNC)
    assert refresh_report_task.call(a.pk, Trigger.SYNC, None, committed.isoformat()) is None
    assert QualitySnapshot.objects.for_union(a).count() == 1
    later = (covering.created_at + dt.timedelta(seconds=1)).isoformat()
    assert refresh_report_task.call(a.pk, Trigger.SYNC, None, later) != covering.pk
    assert QualitySnapshot.objects.for_union(a).count() == 2
    # Another union's snapshot covers nothing here.
    refresh_report(union=world["b"], trigger=Trigger.SYNC)
    assert refresh_report_task.call(a.pk, Trigger.SYNC, None,
                                    timezone.now().isoformat()) is not None


def test_paging_the_pairs_again_within_a_minute_does_not_run_the_query(
        world, django_assert_max_num_queries):
    from django.core.cache import cache

    cache.clear()
    client = client_for(world["a"], world["staff"])
    url = REPORT + "duplicate_similar/"
    assert "Mati Alphanen" in client.get(url).content.decode()
    with django_assert_max_num_queries(40) as queries:
        html = client.get(url + "?page=1").content.decode()
    assert "Mati Alphanen" in html
    assert not any("similarity(" in q["sql"] for q in queries.captured_queries)
    # Another union's list is its own entry.
    other = client_for(world["b"], world["staff_b"]).get(url).content.decode()
    assert "Mati Betanen" in other and "Alphanen" not in other
