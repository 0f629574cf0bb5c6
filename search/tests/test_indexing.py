"""The outbox, the worker, the reindex and removal, against the real Elasticsearch node."""

import socket

import pytest
from django.core.management import call_command

from portal.people import actions as people_actions
from portal.people.models import Person, PositionKind
from portal.union.models import Role
from search import engine, outbox
from search.client import get_client, indices_behind
from search.documents import alias_name, person_doc_id
from search.models import OutboxEntry
from search.reindex import reindex
from tests.factories import appoint, make_branch, make_person, make_union

pytestmark = pytest.mark.django_db


def _closed_port_url() -> str:
    """An address where nothing listens: Elasticsearch is 'down' for the client."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    return f"http://127.0.0.1:{port}"


def _names(user, union, query):
    get_client().indices.refresh(index=alias_name())
    results = engine.search(user=user, union=union, query=query, limit=50)
    assert results.engine == "elasticsearch"
    return {h.title for h in results.hits}


@pytest.fixture
def union_and_staff(es_search, django_capture_on_commit_callbacks):
    # As if committed: the drain scheduled by these writes runs now, not in the test.
    with django_capture_on_commit_callbacks(execute=True):
        union = make_union("ix")
        staff = make_person(union, roles=(Role.STAFF,), first_name="Stina", last_name="Staff")
    reindex()
    return union, staff.user


def _create(union, last_name):
    return people_actions.create_person(union=union, first_name="Olli", last_name=last_name)


def test_an_action_write_reaches_the_index_through_the_outbox(
        union_and_staff, django_capture_on_commit_callbacks):
    union, staff = union_and_staff
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        _create(union, "Outboxinen")
    assert callbacks  # a drain was scheduled for after the commit
    assert not OutboxEntry.objects.filter(processed_at__isnull=True).exists()
    assert "Olli Outboxinen" in _names(staff, union, "Outboxinen")


def test_nothing_is_lost_while_elasticsearch_is_down(
        union_and_staff, settings, monkeypatch, django_capture_on_commit_callbacks):
    union, staff = union_and_staff
    real_url = settings.ELASTICSEARCH_URL
    monkeypatch.setattr(outbox, "BATCH_SIZE", 2)
    for n in range(5):
        _create(union, f"Katkonen{n}")
    assert OutboxEntry.objects.filter(processed_at__isnull=True).count() == 5
    # The first batch goes through; then the node is gone mid-way.
    assert outbox.drain(max_batches=1).sent == 2
    settings.ELASTICSEARCH_URL = _closed_port_url()
    with django_capture_on_commit_callbacks(execute=True):
        _create(union, "Katkonen5")  # the write itself still succeeds
    report = outbox.drain()
    assert report.unavailable and report.sent == 0 and report.pending == 4
    # Search keeps answering from the database meanwhile.
    assert len(engine.search(user=staff, union=union, query="Olli").hits) == 6
    # The node is back: the outbox drains and every change is searchable.
    settings.ELASTICSEARCH_URL = real_url
    report = outbox.drain()
    assert report.sent == 4 and report.pending == 0
    assert _names(staff, union, "Olli") == {f"Olli Katkonen{n}" for n in range(6)}


def test_removing_a_person_removes_them_from_the_index(union_and_staff):
    union, staff = union_and_staff
    person = _create(union, "Poistettava")
    outbox.drain()
    assert _names(staff, union, "Poistettava") == {"Olli Poistettava"}
    Person.objects.filter(pk=person.pk).delete()  # erasure, by whatever path
    outbox.drain()
    assert _names(staff, union, "Poistettava") == set()
    assert not get_client().exists(index=alias_name(), id=person_doc_id(person.pk))


def test_position_changes_move_a_person_in_and_out_of_the_officials(union_and_staff):
    union, _staff = union_and_staff
    branch = make_branch(union)
    member = make_person(union, roles=(Role.MEMBER,), first_name="Maija", last_name="Member")
    official = _create(union, "Virkanen")
    outbox.drain()
    assert _names(member.user, union, "Virkanen") == set()
    position = appoint(official, PositionKind.BRANCH_CHAIR, branch)
    outbox.drain()
    assert _names(member.user, union, "Virkanen") == {"Olli Virkanen"}
    people_actions.end_position(position=position)
    outbox.drain()
    assert _names(member.user, union, "Virkanen") == set()


def test_page_publish_and_unpublish_follow_the_admin(union_and_staff):
    union, staff = union_and_staff
    branch = make_branch(union, "Julkaisuosasto")
    outbox.drain()
    assert _names(staff, union, "Julkaisuosasto") == set()  # made in bulk: not yet indexed
    branch.save_revision().publish()
    outbox.drain()
    assert _names(staff, union, "Julkaisuosasto") == {branch.title}
    branch.unpublish()
    outbox.drain()
    assert _names(staff, union, "Julkaisuosasto") == set()
    branch.save_revision().publish()
    outbox.drain()
    branch.delete()
    outbox.drain()
    assert _names(staff, union, "Julkaisuosasto") == set()


def test_reindex_swaps_the_alias_and_replays_changes_made_meanwhile(union_and_staff):
    union, staff = union_and_staff
    person = _create(union, "Vanhanen")
    client = get_client()
    before = indices_behind(client)
    calls = []

    def progress(n):
        # While the new index fills, a change is made and sent to the old one.
        if not calls:
            Person.objects.filter(pk=person.pk).update(last_name="Uusinen")
            outbox.enqueue(person)
            outbox.drain()
        calls.append(n)

    report = reindex(progress=progress)
    after = indices_behind(client)
    assert after == [report.index] and report.replaced == before
    assert not client.indices.exists(index=before[0])
    assert report.documents == sum(calls) >= 3  # two people and the union page at least
    assert report.replayed >= 1
    assert _names(staff, union, "Uusinen") == {"Olli Uusinen"}
    assert _names(staff, union, "Vanhanen") == set()


def test_reindex_command_prints_a_summary(union_and_staff, capsys):
    call_command("search_reindex", "--no-progress")
    assert "Indexed" in capsys.readouterr().out
