"""The first real round trip through each layer: PostgreSQL, Elasticsearch, Chromium."""

import uuid

import pytest
from django.db import connection
from elasticsearch import Elasticsearch
from elasticsearch.dsl import Document, Text, connections

from portal.union.models import Union


def test_database_round_trip_is_postgresql(postgres):
    assert connection.vendor == "postgresql"
    with connection.cursor() as cursor:
        cursor.execute("SELECT version()")
        (version,) = cursor.fetchone()
    assert version.startswith("PostgreSQL")
    print(f"database: {version}")  # noqa: T201 - the log names the server version

    from tests.factories import make_union

    union = make_union("roundtrip")
    assert Union.objects.get(slug="roundtrip").site.root_page_id == union.root_page_id


def test_elasticsearch_finnish_analyzer_round_trip(elasticsearch_url):
    client = Elasticsearch(elasticsearch_url, request_timeout=30)
    version = client.info()["version"]["number"]
    print(f"elasticsearch: {version}")  # noqa: T201
    assert version.startswith("8.")
    alias = f"roundtrip-{uuid.uuid4().hex}"
    connections.add_connection(alias, client)

    class House(Document):
        title = Text(analyzer="finnish")

        class Index:
            name = f"test-roundtrip-{uuid.uuid4().hex}"

    try:
        House.init(using=alias)
        House(title="talo").save(using=alias, refresh=True)
        House(title="auto").save(using=alias, refresh=True)
        hits = House.search(using=alias).query("match", title="talossa").execute()
        assert [hit.title for hit in hits] == ["talo"]
    finally:
        House._index.delete(using=alias, ignore_unavailable=True)
        connections.remove_connection(alias)


@pytest.mark.browser
# serialized_rollback: another transactional test may have flushed the tables (and with
# them the tree roots Wagtail's migrations made) before this one runs.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_demo_home_page_in_chromium(browser, live_server):
    from portal.union.demo import DEMO_UNIONS, DemoSize, remove_wagtail_welcome_site, seed_union
    from tests.browser.helpers import ensure_wagtail_roots

    ensure_wagtail_roots()  # an earlier transactional test may have flushed them
    remove_wagtail_welcome_site()  # as `make demo` does
    report = seed_union(DEMO_UNIONS[0], size=DemoSize(members=40, branches=2, employers=4,
                                                      workplaces=6, board=3, council=3),
                        default_site=True)
    page = browser.new_page()
    try:
        response = page.goto(live_server.url + "/")
        assert response.status == 200
        assert page.locator("h1").first.inner_text() == report.union.name
        # The union's site starts in its default language (PAL: Finnish).
        assert page.locator("html").get_attribute("lang") == report.union.default_language
        assert page.get_by_role("link", name="Kirjaudu sisään").count() == 1
    finally:
        page.close()
