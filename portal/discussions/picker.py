"""The people of the New conversation page (issue 18 item 1).

Found by name, or, before any search, the people one most likely writes to: a member's
own officials (the shop steward of their workplace, their branch's chair...), then the
union's office (staff, admins); an official's own officials, then the people they
represent, then the office. People one may see (`people_visible_to`) who cannot receive
messages — no account: they have not activated the service — are listed apart as
unavailable, with that reason, so a steward sees why their co-workers are missing. A
fixed number of queries whatever the union's size."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import connections
from django.db.models import (
    Case,
    CharField,
    Exists,
    F,
    Func,
    IntegerField,
    OuterRef,
    Q,
    Value,
    When,
)
from django.utils.translation import gettext as _

from portal.access.roles import is_staff, roles_for
from portal.people.models import (
    Employment,
    Person,
    PositionKind,
    PositionOfTrust,
    ScopeKind,
)
from portal.people.scopes import people_visible_to, scope_pages
from portal.union.models import Role

from .names import names_of
from .rules import reachable_users, wrote_to

PICKER_LENGTH = 20
UNAVAILABLE_LENGTH = 10
# The officials a member turns to (the home's "My officials" list, portal/home).
MY_OFFICIAL_KINDS = (
    PositionKind.BRANCH_CHAIR, PositionKind.BRANCH_SECRETARY, PositionKind.SHOP_STEWARD,
    PositionKind.DEPUTY_SHOP_STEWARD, PositionKind.SAFETY_REPRESENTATIVE,
)


@dataclass
class Choice:
    pk: int | None  # the account written to; None: unavailable
    name: str
    checked: bool = False
    person_id: int | None = None
    detail: str = ""  # who they are to the union: "Shop steward, Acme depot", "Union office"


@dataclass
class Picker:
    choices: list[Choice]
    unavailable: list[Choice]
    suggested: bool  # no search yet: the default list


def _my_pages(user, union) -> Q:
    """The scope pages of the viewer's own branch, current workplaces and employers."""
    me = Person.objects.for_union(union).filter(user=user)
    jobs = Employment.objects.for_union(union).current().filter(person__user=user)
    # One subquery (a UNION), not three ORed: so the positions are read from their
    # scope pages' index, not all scanned (10 ms at 300,000 members).
    # Each part without its model's default ordering: SQLite (the demo's database)
    # refuses an ORDER BY inside a compound statement.
    return Q(scope_page_id__in=me.order_by().values("branch_id").union(
        jobs.order_by().values("workplace_id"), jobs.order_by().values("employer_id")))


def _my_official_ids(user, union):
    """Ids of the people holding a position a member turns to in the viewer's scopes."""
    return (PositionOfTrust.objects.for_union(union).current()
            .filter(_my_pages(user, union), kind__in=MY_OFFICIAL_KINDS)
            .values_list("person_id", flat=True))


def _account_name_q(word: str) -> Q:
    """An account's profile's name, or the account's own (staff have no profile)."""
    return (Q(first_name__icontains=word) | Q(last_name__icontains=word)
            | Q(person__first_name__icontains=word) | Q(person__last_name__icontains=word))


def _firsts_merged(parts, *, order, columns, length: int, features, union_all=False):
    """Each of `parts` ((queryset, its annotations)) cut to its first `length` rows in
    `order`, as `columns`, merged by one UNION (ALL): each part read from its own index.
    SQLite (the demo's database) refuses ORDER BY and LIMIT inside a compound statement:
    there each part is its first rows as a subquery of ids, annotated again."""
    cut = []
    for rows, extra in parts:
        ordered = rows.annotate(**extra).order_by(*order)
        if features.supports_slicing_ordering_in_compound:
            cut.append(ordered.values_list(*columns)[:length])
        else:
            cut.append(rows.model.objects.filter(pk__in=ordered.values("pk")[:length])
                       .annotate(**extra).order_by().values_list(*columns))
    return cut[0].union(*cut[1:], all=union_all)


def _represented_absent(user, union, absent, my_officials: list[int]) -> list[Choice]:
    rows = _represented_rows(user, union, absent, my_officials,
                             connections[absent.db].features)
    return [Choice(None, f"{first} {last}".strip(), person_id=pk) for pk, first, last in rows]


def _represented_rows(user, union, absent, my_officials: list[int], features):
    """An official's default unavailable people: their own officials and the people of
    their scopes who hold no post (`absent`: the people they may see without an account).
    Each part starts from its own index (the positions' people, a branch's people, a
    workplace's or employer's current employments), is cut to the list's length in name
    order, and one UNION merges them: as one filter with an OR, PostgreSQL walked the
    union's people in name order looking for the few in scope (0.6 s at 300,000)."""
    no_post = ~Exists(PositionOfTrust.objects.for_union(union).current()
                      .filter(person=OuterRef("pk")))
    jobs = Employment.objects.for_union(union).current()
    parts = [
        absent.filter(pk__in=my_officials),
        absent.filter(no_post, branch_id__in=scope_pages(user, union, ScopeKind.BRANCH)),
        absent.filter(no_post, pk__in=jobs.filter(
            workplace_id__in=scope_pages(user, union, ScopeKind.WORKPLACE)).values("person_id")),
        absent.filter(no_post, pk__in=jobs.filter(
            employer_id__in=scope_pages(user, union, ScopeKind.EMPLOYER)).values("person_id")),
    ]
    order = ("last_name", "first_name", "id")
    return _firsts_merged([(part, {}) for part in parts], order=order,
                          columns=("id", "first_name", "last_name"),
                          length=UNAVAILABLE_LENGTH, features=features,
                          ).order_by(*order)[:UNAVAILABLE_LENGTH]


class Fold(Func):
    """Accent- and case-folded text: `portal_fold` (search migration 0003; a Python
    function on SQLite, search.apps), whose trigram indexes the people's names have."""

    function = "portal_fold"
    output_field = CharField()


RANK_ORDER = ("rank", "person__last_name", "last_name", "person__first_name", "first_name",
              "pk")


def _named(union, word: str, vendor: str):
    """Ids of the union's accounts whose name or profile's name holds `word`: a UNION of
    the accounts' and the people's names, each read from its trigram index (the people's
    through their folded names, which hold every name that holds the word)."""
    users = (get_user_model().objects.filter(union=union)
             .filter(Q(first_name__icontains=word) | Q(last_name__icontains=word))
             .order_by().values("pk"))
    people = _person_named(Person.objects.for_union(union).filter(user__isnull=False),
                           word, vendor)
    return users.union(people.order_by().values("user_id"))


def _person_named(people, word: str, vendor: str):
    """`people` whose first or last name holds `word` (case aside). On PostgreSQL also
    their folded names (accents and case aside, which hold every such name): those have
    trigram indexes (search migrations), so the few named are read from them instead of
    every person of the union checked."""
    if vendor == "postgresql":
        folded = Fold(Value(word))
        people = (people.alias(first_fold=Fold("first_name"), last_fold=Fold("last_name"))
                  .filter(Q(first_fold__contains=folded) | Q(last_fold__contains=folded)))
    return people.filter(Q(first_name__icontains=word) | Q(last_name__icontains=word))


def _office_and_writers(user, union) -> tuple[list[int], list[int]]:
    """The union's staff and admin accounts and the accounts that wrote to the viewer (a
    few of each), in one query, read first as the viewer's officials are: PostgreSQL,
    not knowing how few they are, joined every account's groups to find them (0.8 s at
    100,000 accounts)."""
    office = (get_user_model().groups.through.objects
              .filter(group__union_role__union=union,
                      group__union_role__role__in=(Role.STAFF, Role.ADMIN))
              .annotate(office=Value(True)).values_list("user_id", "office"))
    writers = (wrote_to(user, union).order_by().annotate(office=Value(False))
               .values_list("sender_id", "office"))
    found: tuple[list[int], list[int]] = ([], [])
    for pk, in_office in office.union(writers):
        found[0 if in_office else 1].append(pk)
    return found


def _suggested_query(user, union, found, official: bool, my_officials: list[int],
                     office_ids: list[int], writers: list[int], features):
    """The default list's accounts, (id, is office) in the rank order of `picker_for`
    (the viewer's officials, then the office and the others, in the viewer's order; each
    by name), cut to its length.

    Ranked and sorted as one, PostgreSQL ranked every account the viewer may reach (all
    100,000 for staff at 300,000 members with 100,000 accounts: 0.2-0.5 s). So each rank
    is its own part with its rank as a constant: the viewer's officials (a few ids), the
    office (the staff and admin groups' few accounts), the others with a profile in name
    order (read from the people's name index until the list is full), and the others
    without a profile: for staff, read only when the part before holds fewer than the
    list (they sort after it); for anyone else, only those who wrote to the viewer (the
    only such accounts `rules.reachable_users` lets them reach). One UNION ALL merges
    them, sorted by rank, then name."""
    mine = Q(person__pk__in=my_officials)
    others = found.exclude(pk__in=office_ids).exclude(mine)
    # The profile's union too (an account's profile is always of its union): so the
    # people's (union, last name, first name) index gives the name order.
    with_profile = others.filter(person__union=union)
    no = Value(False)
    if is_staff(user, union):  # any account: read only if those with a profile are few
        without_profile = ~Exists(with_profile.order_by().values("pk")
                                  [PICKER_LENGTH - 1:PICKER_LENGTH])
    else:  # the others one may reach without a profile wrote to the viewer (rules.py)
        without_profile = Q(pk__in=writers)
    other_rank = Value(1 if official else 2)

    def columns_with(rank, is_office) -> dict:
        return {"rank": rank, "is_office": is_office,
                "p_last": F("person__last_name"), "p_first": F("person__first_name")}

    parts = [
        (found.filter(mine), columns_with(Value(0), Case(
            When(pk__in=office_ids, then=Value(True)), default=no))),
        (found.filter(pk__in=office_ids).exclude(mine),
         columns_with(Value(2 if official else 1), Value(True))),
        (with_profile, columns_with(other_rank, no)),
        (others.filter(person__isnull=True).filter(without_profile),
         columns_with(other_rank, no)),
    ]
    names = ("p_last", "last_name", "p_first", "first_name", "pk")
    return _firsts_merged(
        parts, order=names, length=PICKER_LENGTH, features=features, union_all=True,
        columns=("pk", "is_office", "rank", "p_last", "last_name", "p_first", "first_name"),
    ).order_by("rank", *names)[:PICKER_LENGTH]


def _details(union, user_ids: list[int], office: set[int]) -> dict[int, str]:
    """{account id: who they are to the union}, in one query: their current positions
    (kind and place, two at most: what the organisation pages show every member), else
    "Union office" for the `office` accounts (staff, admins). Two people of the same name
    differ by it, and a member sees which one is their shop steward."""
    parts: dict[int, list[str]] = {}
    labels = dict(PositionKind.choices)
    for pk, kind, place in (PositionOfTrust.objects.for_union(union).current()
                            .filter(person__user__in=user_ids)
                            .order_by("person__user_id", "kind", "scope_page__title")
                            .values_list("person__user_id", "kind", "scope_page__title")):
        parts.setdefault(pk, []).append(f"{labels.get(kind, kind)}, {place}")
    details = {pk: "; ".join(found[:2]) for pk, found in parts.items()}
    for pk in office - details.keys():
        details[pk] = str(_("Union office"))
    return details


def picker_for(user, union, *, query: str, chosen: list[int]) -> Picker:
    """The choices (accounts `rules.reachable_users` allows; the chosen ones first) and
    the unavailable people for a search or, without one, the default list (a fixed number
    of queries: 9 at most, with chosen accounts)."""
    words = query.split()[:3]
    reachable = reachable_users(user, union)
    found = reachable
    for word in words:
        found = found.filter(_account_name_q(word))
    official = Role.OFFICIAL in roles_for(user, union)
    # The office's accounts (and who wrote to the viewer), read first as the officials:
    # as a subquery PostgreSQL hashed every account's groups to find the few.
    office_ids, writers = _office_and_writers(user, union)
    office = Q(pk__in=office_ids)
    # The few people holding the viewer's scopes' positions, read first: as a subquery
    # the planner walked every person of the union in name order and checked each (0.5 s
    # for staff at 300,000 people), or joined them all to rank the accounts (0.1 s).
    my_officials = list(_my_official_ids(user, union))
    # A member: their officials, then the office; an official: their own officials, then
    # the people they represent, then the office.
    rank = Case(When(person__pk__in=my_officials, then=Value(0)),
                When(office, then=Value(2 if official else 1)),
                default=Value(1 if official else 2), output_field=IntegerField())
    is_office = Case(When(office, then=Value(True)), default=Value(False))
    ranked = found.annotate(rank=rank, is_office=is_office)
    if words:
        # Only the accounts the first word names, read from the names' trigram indexes:
        # the same accounts as the filter above, which PostgreSQL could only check on
        # every account of the union.
        ranked = ranked.filter(pk__in=_named(union, words[0], connections[found.db].vendor))
        rows = list(ranked.order_by(*RANK_ORDER).values_list("pk", "is_office")
                    [:PICKER_LENGTH])
    else:
        rows = [(pk, in_office) for pk, in_office, *_sort in _suggested_query(
            user, union, found, official, my_officials, office_ids, writers,
            connections[found.db].features)]
    chosen_rows = list(reachable.filter(pk__in=chosen[:25]).annotate(is_office=is_office)
                       .values_list("pk", "is_office"))
    ids, chosen_ids = [pk for pk, _o in rows], [pk for pk, _o in chosen_rows]
    names = names_of(set(ids) | set(chosen_ids))
    details = _details(union, [*chosen_ids, *ids],
                       {pk for pk, in_office in (*rows, *chosen_rows) if in_office})
    choices = [Choice(pk, names.get(pk, ""), pk in chosen_ids, detail=details.get(pk, ""))
               for pk in dict.fromkeys([*chosen_ids, *ids])]

    # Who the viewer may see but cannot write to: no account yet.
    absent = people_visible_to(user, union).filter(user__isnull=True, deceased_on__isnull=True)
    if words:
        for word in words:
            absent = _person_named(absent, word, connections[absent.db].vendor)
    elif official:  # their own officials and the people they represent (who hold no post)
        return Picker(choices, _represented_absent(user, union, absent, my_officials),
                      suggested=True)
    else:
        absent = absent.filter(pk__in=my_officials)
    unavailable = [Choice(None, f"{first} {last}".strip(), person_id=pk)
                   for pk, first, last in absent.order_by("last_name", "first_name", "pk")
                   .values_list("pk", "first_name", "last_name")[:UNAVAILABLE_LENGTH]]
    return Picker(choices, unavailable, suggested=not words)
