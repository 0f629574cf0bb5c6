"""The New conversation page: the people one likely writes to before any search, people
one may see but who have no account listed as unavailable (never anyone one may not
see), constant queries; call notes in the history search."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext

from portal.discussions import actions
from portal.discussions.picker import picker_for
from portal.discussions.search import Hit, _mark_calls
from tests.factories import make_person

from .conftest import client_for

REASON = "has not activated the service"


def _names(page) -> tuple[list[str], list[str]]:
    return ([c.name for c in page.context["choices"]],
            [c.name for c in page.context["unavailable"]])


def test_the_picker_suggests_explains_and_never_shows_the_unseen(w):
    a, b = w["a"], w["b"]
    coworker = make_person(a["union"], workplace=a["workplace"], user=False,
                           first_name="dsacoworker")
    make_person(a["union"], user=False, first_name="dsastranger")  # nobody's scope
    make_person(b["union"], workplace=b["workplace"], user=False, first_name="dsbcoworker")
    steward, member = client_for(a, "steward"), client_for(a, "member")

    # A member, before any search: their shop steward first, then the union's office.
    page = member.get("/discussions/new/")
    choices, unavailable = _names(page)
    assert choices[0].startswith("dsasteward") and page.context["suggested"]
    assert {"dsastaff Office", "dsaadmin Office"} <= set(choices)
    assert not any(n.startswith(("dsaother", "dsamember", "dsb")) for n in choices)
    assert unavailable == []

    # The steward: the people they represent, and those without an account as such.
    page = steward.get("/discussions/new/")
    choices, unavailable = _names(page)
    assert choices[0].startswith("dsamember") and "dsastaff Office" in choices
    assert unavailable == [f"dsacoworker {coworker.last_name}"]
    assert REASON in page.content.decode()
    user, union, member_id = a["users"]["steward"], a["union"], a["users"]["member"].pk
    with CaptureQueriesContext(connection) as few:
        picker_for(user, union, query="", chosen=[member_id])
    for n in range(4):  # more people in scope: the same queries
        make_person(a["union"], workplace=a["workplace"], user=False, first_name=f"dsamore{n}")
        make_person(a["union"], workplace=a["workplace"], first_name=f"dsamate{n}")
    with CaptureQueriesContext(connection) as many:
        picked = picker_for(user, union, query="", chosen=[member_id])
    assert len(many) == len(few) and len(picked.unavailable) == 5
    assert picked.choices[0].pk == member_id and picked.choices[0].checked

    # A search finds the unavailable among the people they may see, nobody else's.
    choices, unavailable = _names(steward.get("/discussions/new/", {"q": "coworker"}))
    assert choices == [] and unavailable == [f"dsacoworker {coworker.last_name}"]
    _, unavailable = _names(steward.get("/discussions/new/", {"q": "dsastranger"}))
    assert unavailable == []
    # Staff see everyone of their union, never another union's people.
    _, unavailable = _names(client_for(a, "staff").get("/discussions/new/", {"q": "stranger"}))
    assert [n.split()[0] for n in unavailable] == ["dsastranger"]
    assert _names(client_for(a, "staff").get("/discussions/new/", {"q": "dsbcoworker"})) == (
        [], [])


def test_a_call_note_shows_as_called_in_search(w):
    a = w["a"]
    steward, member = a["users"]["steward"], a["users"]["member"]
    conversation = actions.start_conversation(union=a["union"], acting_user=member,
                                              recipient_ids=[steward.pk], body="Soita")
    actions.note_call(conversation=conversation, acting_user=steward)
    page = client_for(a, "member").get("/discussions/search/", {"person": steward.pk})
    html = page.content.decode()
    assert [hit.kind for hit in page.context["results"].hits] == ["call", "text"]
    assert 'class="history__call">Called<' in html and "–" not in html.split('class="history"')[1]
    # Elasticsearch's hits carry no kind: the call notes among them are looked up.
    call = page.context["results"].hits[0]
    hits = [Hit(call.message_id, conversation.pk, "x", "", call.sent_at),
            Hit(call.message_id + 1, conversation.pk, "x", "Soita", call.sent_at)]
    _mark_calls(a["union"], hits)
    assert [hit.kind for hit in hits] == ["call", "text"]
