"""The New conversation page: the people one likely writes to before any search, people
one may see but who have no account listed as unavailable (never anyone one may not
see), constant queries; call notes in the history search."""

from __future__ import annotations

import datetime as dt

from django.db import connection
from django.test.utils import CaptureQueriesContext

from portal.discussions import actions
from portal.discussions.picker import picker_for
from portal.discussions.search import Hit, _mark_calls
from portal.people import actions as people_actions
from portal.people.models import PositionKind
from portal.union.models import Role
from tests.factories import appoint, make_employer, make_person, make_workplace

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
    # Each says who they are to the union: the steward's post and place, the office.
    details = {c.name.split()[0]: c.detail for c in page.context["choices"]}
    assert details["dsasteward"] == f"Shop steward, {a['workplace'].title}"
    assert details["dsastaff"] == details["dsaadmin"] == "Union office"
    html = page.content.decode()
    assert f'<span class="recipients__detail muted">Shop steward, {a["workplace"].title}' in html

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


def test_an_officials_default_list_is_their_own_officials_and_the_people_they_represent(w):
    """A branch chair and an employer's shop steward, before any search: their own
    officials and the people of their scopes who hold no post, without an account, in
    name order and at most ten; nobody outside their scopes, no other post holder, no
    one deceased, never another union's people; the same queries however many."""
    a, b = w["a"], w["b"]
    union, workplace = a["union"], a["workplace"]
    branch, employer = a["people"]["member"].branch, workplace.employer
    chair = make_person(union, branch=branch, roles=(Role.MEMBER,), first_name="dsachair")
    appoint(chair, PositionKind.BRANCH_CHAIR, branch)
    elsewhere = make_workplace(make_employer(union, title="dsa far employer"), title="dsa far")
    # The chair works at a workplace whose safety representative has no account.
    people_actions.add_employment(person=chair, employer=elsewhere.employer,
                                  workplace=elsewhere, starts_on=dt.date(2020, 1, 1))
    rep = make_person(union, workplace=elsewhere, user=False, first_name="dsarep",
                      last_name="Mäki")
    appoint(rep, PositionKind.SAFETY_REPRESENTATIVE, elsewhere)
    in_branch = [make_person(union, branch=branch, user=False, first_name=f"dsab{n}",
                             last_name=last)
                 for n, last in enumerate(["Virta", "Aho", "Niemi"])]
    holder = make_person(union, branch=branch, user=False, first_name="dsaholder",
                         last_name="Aalto")  # holds a post elsewhere: an official, not listed
    appoint(holder, PositionKind.SHOP_STEWARD,
            make_workplace(make_employer(union, title="dsa third employer"), title="dsa 3"))
    make_person(union, branch=branch, user=False, first_name="dsadead", last_name="Alanen",
                deceased_on=dt.date(2024, 1, 1))
    make_person(union, workplace=workplace, user=False, first_name="dsaworker",
                last_name="Aaltonen")  # the workplace's, not the branch's
    make_person(b["union"], workplace=b["workplace"], user=False, first_name="dsbperson",
                last_name="Aakula")

    def unavailable(user):
        return [(c.person_id, c.name) for c in
                picker_for(user, union, query="", chosen=[]).unavailable]

    expected = sorted([*in_branch, rep], key=lambda p: (p.last_name, p.first_name, p.pk))
    assert unavailable(chair.user) == [(p.pk, f"{p.first_name} {p.last_name}")
                                       for p in expected]
    with CaptureQueriesContext(connection) as few:
        unavailable(chair.user)
    more = [make_person(union, branch=branch, user=False, first_name=f"dsamore{n}",
                        last_name=f"Berg{n:02d}") for n in range(9)]
    with CaptureQueriesContext(connection) as many:
        listed = unavailable(chair.user)
    expected = sorted([*in_branch, *more, rep],
                      key=lambda p: (p.last_name, p.first_name, p.pk))[:10]
    assert listed == [(p.pk, f"{p.first_name} {p.last_name}") for p in expected]
    assert len(many) == len(few)

    # An employer's shop steward: the employer's current staff, at any of its workplaces.
    steward = make_person(union, workplace=workplace, roles=(Role.MEMBER,),
                          first_name="dsaempsteward")
    appoint(steward, PositionKind.SHOP_STEWARD, employer)
    make_person(union, workplace=make_workplace(employer, title="dsa second"), user=False,
                first_name="dsasecond", last_name="Aaltio")
    assert [name for _, name in unavailable(steward.user)] == [
        "dsasecond Aaltio", "dsaworker Aaltonen"]


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
