"""Reads of the people admin: the list's page of people and a person's page.

The list costs a fixed number of queries whatever it shows (pinned in
tests/test_contacts.py): with a search on Elasticsearch, the ids the engine found are
narrowed by the filters in one query and paged in the engine's order (or sorted and
paged by the database); without a search, one count and one page of rows; then one
query each for the page's current employments and positions of trust."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils import timezone

from portal.audit.models import AuditEntry
from portal.merging.selectors import merged_ids
from portal.people.labels import audit_field_label
from portal.people.models import Employment, Person, PositionKind, PositionOfTrust, Training
from search.people_match import match_people

from .filters import PAGE_SIZE, RELEVANCE, SORTS, apply_filters, base_people

COUNT_CAP = 10_000
ROW_FIELDS = ("pk", "first_name", "last_name", "member_number", "membership_status",
              "email", "branch_id", "branch__title", "union_id")


@dataclass
class Row:
    person: Person
    jobs: list[str] = field(default_factory=list)
    positions: list[str] = field(default_factory=list)


@dataclass
class PeoplePage:
    rows: list[Row]
    count: int
    number: int
    num_pages: int
    capped: bool = False
    engine: str = "database"
    over: bool = False  # more than COUNT_CAP match

    @property
    def people(self) -> list[Person]:
        return [row.person for row in self.rows]

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def has_next(self) -> bool:
        return self.number < self.num_pages


def filtered_people(*, user, union, values: dict):
    """(queryset of the matching people, the search's match or None). The queryset
    holds every match; with a search on Elasticsearch, at most MATCH_LIMIT of them."""
    people = apply_filters(base_people(union, values), values, union=union)
    match = None
    if values.get("q"):
        match = match_people(user=user, union=union, query=values["q"],
                             branch_id=values.get("branch"), employer_id=values.get("employer"),
                             workplace_id=values.get("workplace"))
        if match is None:
            return people.none(), None
        people = people.filter(pk__in=match.ids if match.ids is not None else match.queryset)
    return people, match


def people_page(*, user, union, values: dict, sort: str, number: int = 1) -> PeoplePage:
    people, match = filtered_people(user=user, union=union, values=values)
    rows = people.select_related("branch").only(*[f for f in ROW_FIELDS if f != "pk"])
    if sort == RELEVANCE and match is not None and match.ids is not None:
        # The engine's order: the filtered ids (one query), paged here, then their rows.
        kept = set(people.values_list("pk", flat=True))
        ordered = [pk for pk in match.ids if pk in kept]
        count = len(ordered)
        num_pages = max(1, -(-count // PAGE_SIZE))
        number = min(max(1, number), num_pages)
        shown = ordered[(number - 1) * PAGE_SIZE: number * PAGE_SIZE]
        by_pk = {p.pk: p for p in rows.filter(pk__in=shown)} if shown else {}
        page_people = [by_pk[pk] for pk in shown if pk in by_pk]
    else:
        # Counted up to COUNT_CAP (a LIMIT inside the count): "everyone" of a large union
        # is not counted row by row on every page; beyond it the list says "over".
        count = people.order_by()[:COUNT_CAP + 1].count()
        num_pages = max(1, -(-min(count, COUNT_CAP) // PAGE_SIZE))
        number = min(max(1, number), num_pages)
        offset = (number - 1) * PAGE_SIZE
        page_people = list(rows.order_by(*SORTS.get(sort, SORTS["name"]))[
            offset: offset + PAGE_SIZE])
    return PeoplePage(rows=_rows(union, page_people), count=min(count, COUNT_CAP),
                      over=count > COUNT_CAP, number=number,
                      num_pages=num_pages, capped=bool(match and match.capped),
                      engine=match.engine if match else "database")


def _rows(union, people: list[Person]) -> list[Row]:
    rows = {p.pk: Row(person=p) for p in people}
    if not rows:
        return []
    for person_id, employer, workplace in (
        Employment.objects.for_union(union).current().filter(person_id__in=rows)
        .order_by("employer__title").values_list("person_id", "employer__title",
                                                 "workplace__title")
    ):
        # A workplace is often titled "<employer>, <town>": its employer is not repeated.
        named = employer and workplace and employer.casefold() in workplace.casefold()
        rows[person_id].jobs.append(" · ".join(filter(None, [
            workplace, None if named else employer])))
    for person_id, kind in (PositionOfTrust.objects.for_union(union).current()
                            .filter(person_id__in=rows).values_list("person_id", "kind")):
        rows[person_id].positions.append(str(PositionKind(kind).label))
    return list(rows.values())


def person_of(union, pk: int) -> Person:
    """The union's person `pk` (Person.DoesNotExist for another union's)."""
    return Person.objects.for_union(union).select_related("branch", "user").get(pk=pk)


def employments_of(person: Person) -> list[Employment]:
    return list(Employment.objects.for_union(person.union_id).filter(person=person)
                .select_related("employer", "workplace")
                .only("title", "starts_on", "ends_on", "person_id", "employer__title",
                      "employer__url_path", "workplace__title", "workplace__url_path")
                .order_by("-starts_on", "pk"))


def positions_of(person: Person) -> list[PositionOfTrust]:
    return list(PositionOfTrust.objects.for_union(person.union_id).filter(person=person)
                .select_related("scope_page").only(
                    "kind", "scope_kind", "starts_on", "ends_on", "source", "person_id",
                    "scope_page__title").order_by("-starts_on", "pk"))


def trainings_of(person: Person) -> list[Training]:
    return list(Training.objects.for_union(person.union_id).filter(person=person))


HISTORY_SHOWN = 50


def history_of(person: Person) -> list[AuditEntry]:
    """The latest audit entries about the person: who did what, when, and to which
    fields (`field_labels`, in the viewer's language). Entries of the people merged
    into them count too (the append-only log keeps the old ids)."""
    ids = [person.pk, *merged_ids(person.union_id, person.pk)]
    entries = list(AuditEntry.objects.for_union(person.union_id).filter(person_id__in=ids)
                   .select_related("actor").only("action", "target", "fields", "created_at",
                                                 "actor__email", "actor__first_name",
                                                 "actor__last_name")[:HISTORY_SHOWN])
    for entry in entries:
        entry.field_labels = [audit_field_label(name) for name in entry.fields or ()]
    return entries


def today():
    return timezone.localdate()

