"""The database's employer chooser lists the name typed first: "Valk" put "Aho Eriksson
Tmi" (in Taivalkoski: a match of its place only) before "Valkonen Kivimäki Tmi" in the
demo, which has no Elasticsearch — alphabetical order ranked a place above a name."""

from __future__ import annotations

import pytest

from portal.union.models import Role
from search.choosers import find_organisations
from tests.factories import make_employer, make_person, make_union


@pytest.mark.django_db
def test_the_database_chooser_ranks_the_name_before_the_place(settings):
    settings.ELASTICSEARCH_URL = ""  # the database engine, as in the demo
    union = make_union("chooser")
    staff = make_person(union, roles=(Role.STAFF,))
    for title, city in (("Aho Eriksson Tmi", "Taivalkoski"), ("Virtanen Valkama ry", "Vehmaa"),
                        ("Valkonen Kivimäki Tmi", "Simo"), ("Berg Oy", "Turku")):
        employer = make_employer(union, title)
        employer.city = city
        employer.save_revision().publish()
    hits = find_organisations(user=staff.user, union=union, query="Valk", kind="employer")
    # (the factory numbers its titles: "Valkonen Kivimäki Tmi 3")
    assert [hit.title.rsplit(" ", 1)[0] for hit in hits] == [
        "Valkonen Kivimäki Tmi", "Virtanen Valkama ry", "Aho Eriksson Tmi"]
