"""The main search on the database (no Elasticsearch configured, or the node is down):
the same API and rules as on Elasticsearch, people through `people_visible_to` itself.

On PostgreSQL every LIKE below is answered by a pg_trgm index on `UPPER(col::text)`
(migration portal_search 0002), so a search costs index lookups, not table scans:
one count per people and one per pages (grouped by type), then only the rows shown."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import connection
from django.db.models import Count, Q, Window
from django.db.models.expressions import RawSQL
from django.db.models.functions import Upper
from django.utils import timezone

from portal.branches.visibility import hidden_bulletins
from portal.people.models import Person, PositionOfTrust
from portal.people.scopes import people_visible_to

from . import contacts
from .common import _BUSINESS_ID, Group, Hit, Requester, Results, _position_labels
from .documents import KINDS


def _on_postgres() -> bool:
    return connection.vendor == "postgresql"


def _lookup(word: str) -> str:
    # Fewer than three letters make no trigram: match the start of the field instead,
    # which the trigram index still answers ("vi" finds Virtanen, not "Kalevi").
    return "icontains" if len(word) >= 3 else "istartswith"


def _stems(words: list[str]) -> list[set[str]]:
    """Each word with its Finnish, Swedish and English stems (PostgreSQL's snowball
    stemmers, one query for all words); the stems then match as substrings, so
    "Tampereella" finds Tampere without computing a text vector for every row."""
    forms = [{word} for word in words]
    long_words = [i for i, word in enumerate(words) if len(word) > 3]
    if _on_postgres() and long_words:
        with connection.cursor() as cursor:
            cursor.execute(" UNION ALL ".join(
                "SELECT %s, unnest(ts_lexize('finnish_stem', lower(%s)) || "
                "ts_lexize('swedish_stem', lower(%s)) || ts_lexize('english_stem', lower(%s)))"
                for _ in long_words
            ), [value for i in long_words for value in (i, words[i], words[i], words[i])])
            for i, stem in cursor.fetchall():
                # Shorter stems ("mat" of Matti) would match a good part of all titles.
                if stem and len(stem) >= 4:
                    forms[i].add(stem)
    return forms


def _db_people(r: Requester, user, union, query: str):
    """The people `user` may see whose names contain every word of the query, or whose
    email or (staff, or their own) member number is the query."""
    people = people_visible_to(user, union)
    if not r.staff:
        people = people.living()  # the deceased are found by staff only
    fields = ("first_name", "last_name") + (("alternative_name",) if r.staff else ())
    words = query.split()[:8]
    exact = []
    if len(words) == 1:
        table, id_column, email = _column(Person, "email")
        number = Person._meta.get_field("member_number").column
        union_column = Person._meta.get_field("union").column
        email_upper = _upper(f'"{table}"."{email}"')
        number_upper = _upper(f'"{table}"."{number}"')
        exact.append((f'SELECT "{table}"."{id_column}" FROM "{table}" '  # noqa: S608
                      f"WHERE {email_upper} = UPPER(%s)", [query]))
        by_number = (f'SELECT "{table}"."{id_column}" FROM "{table}" '  # noqa: S608
                     f'WHERE "{table}"."{union_column}" = %s '
                     f"AND {number_upper} = UPPER(%s)")
        if r.staff:
            exact.append((by_number, [union.pk, query]))
            exact.append(_custom_value_equal(query))
        else:  # a member finds only their own member number
            user_column = Person._meta.get_field("user").column
            exact.append((by_number + f' AND "{table}"."{user_column}" = %s',
                          [union.pk, query, user.pk]))
    columns = [_column(Person, name) for name in fields]
    # By UPPER(name): the (union, last name, first name) index cannot give this order,
    # so PostgreSQL does not walk the whole union in name order looking for the few
    # matches of a LIMIT (0.6 s at 300,000 people) but sorts the matches it found.
    return (people.filter(_matching(columns, [{w} for w in words], exact))
            .order_by(Upper("last_name"), Upper("first_name"), "pk"))


def _custom_value_equal(query: str) -> tuple[str, list]:
    """People with a custom-field value (portal/customfields; also an item of a multiple
    choice) equal to the one-word query: the fallback's part of what Elasticsearch
    matches word by word in `custom_text`. The table is found through Person's reverse
    one-to-one, as search imports nothing of that app."""
    values = Person._meta.get_field("custom_values").related_model
    table = values._meta.db_table
    person = values._meta.get_field("person").column
    column = values._meta.get_field("values").column
    if _on_postgres():
        return (f'SELECT "{table}"."{person}" FROM "{table}" '  # noqa: S608
                f'WHERE jsonb_path_exists("{table}"."{column}", \'$.** ? (@ == $v)\', '
                "jsonb_build_object('v', %s::text))", [query])
    return (f'SELECT "{table}"."{person}" FROM "{table}" WHERE EXISTS ('  # noqa: S608
            f'SELECT 1 FROM json_tree("{table}"."{column}") WHERE json_tree.atom = %s)',
            [query])


def _hiding_paths(union) -> list[str]:
    from wagtail.models import PageViewRestriction

    from .indexing import HIDING_RESTRICTIONS

    root_path = union.root_page.path
    return list(PageViewRestriction.objects.filter(
        restriction_type__in=HIDING_RESTRICTIONS, page__path__startswith=root_path,
    ).values_list("page__path", flat=True))


_PAGE_TEXT_FIELDS = {
    "BranchPage": ("municipality",),
    "EmployerPage": ("city",),
    "WorkplacePage": ("city",),
    "CollectiveAgreementPage": ("summary",),
    "ContentPage": (),
    "BulletinPage": ("summary",),
    "UnionPage": ("city",),
}


def _like(column: str, word: str) -> tuple[str, str]:
    """`column` contains `word` (or starts with it, for short words), ignoring case and
    accents ("hanninen" finds Hänninen), as SQL and its parameter. On PostgreSQL the
    expression is the one the trigram indexes of migration portal_search 0003 are on,
    `portal_fold(col::text)`; SQLite gets the same function from search.folding."""
    pattern = connection.ops.prep_for_like_query(word)
    pattern = f"%{pattern}%" if _lookup(word) == "icontains" else f"{pattern}%"
    if _on_postgres():
        return f"portal_fold({column}::text) LIKE portal_fold(%s)", pattern
    return f"portal_fold({column}) LIKE portal_fold(%s) ESCAPE '\\'", pattern


def _upper(column: str) -> str:
    """The indexed expression (migration portal_search 0002) on PostgreSQL."""
    return f"UPPER({column}::text)" if _on_postgres() else f"UPPER({column})"


def _text_columns() -> list[tuple[str, str, str]]:
    """(table, page id column, text column) of every searched page text."""
    from wagtail.models import Page

    from .indexing import PAGE_KINDS

    columns = [(Page._meta.db_table, Page._meta.pk.column, Page._meta.get_field("title").column)]
    for model in PAGE_KINDS:
        for name in _PAGE_TEXT_FIELDS.get(model.__name__, ()):
            columns.append((model._meta.db_table, model._meta.pk.column,
                            model._meta.get_field(name).column))
    return columns


def _column(model, field_name: str) -> tuple[str, str, str]:
    """(table, id column, column) of a model field, for `_matching`."""
    return (model._meta.db_table, model._meta.pk.column, model._meta.get_field(field_name).column)


def _matching(columns, word_forms: list[set[str]], exact: list[tuple[str, list]] = ()) -> Q:
    """Rows with each word (in one of its forms) in one of the columns.

    Per word one `pk IN (SELECT … UNION SELECT …)` of index lookups: PostgreSQL runs it
    as a semi-join on the few matching ids instead of testing every row of the union
    (which it chose, misjudging how rare a `LIKE '%…%'` match is, for plain ORs: 0.2 s
    for a word that matches nobody). `exact` is further branches `(sql, params)` of
    the first word's UNION, for one-word lookups (email, member number, business ID).
    Written as SQL — names from model metadata, words as bound parameters — because
    building the same through the ORM cost more than running it."""
    q = Q()
    for i, forms in enumerate(word_forms):
        parts, params = [], []
        if i == 0:
            for sql, values in exact:
                parts.append(sql)
                params += values
        for form in sorted(forms):
            for table, id_column, column in columns:
                condition, param = _like(f'"{table}"."{column}"', form)
                parts.append(f'SELECT "{table}"."{id_column}" FROM "{table}" WHERE {condition}')  # noqa: S608
                params.append(param)
        ids = " UNION ".join(parts)
        if _on_postgres():
            # Read the matches once (an InitPlan) and hand them over as an array, which
            # PostgreSQL estimates small: the rows are then fetched by primary key. Left
            # to its estimates for the UNION, it sometimes joined every page of the union
            # against it in a nested loop (0.4 s for one autocomplete).
            ids = f"SELECT unnest(ARRAY({ids}))"
        q &= Q(pk__in=RawSQL(ids, params))  # noqa: S611
    return q


def _pages_matching(word_forms: list[set[str]], business_id: str | None = None) -> Q:
    """Pages whose title, or place/summary field, contains each word; a business ID
    (a one-word query) matches its employer exactly."""
    from portal.workplaces.models import EmployerPage

    exact = []
    if business_id:
        table, id_column, column = _column(EmployerPage, "business_id")
        exact.append((f'SELECT "{table}"."{id_column}" FROM "{table}" '  # noqa: S608
                      f'WHERE "{table}"."{column}" = %s', [business_id]))
    return _matching(_text_columns(), word_forms, exact)


@dataclass
class _PageSearch:
    """The page side of one database search: which pages match, counted by type."""

    union: object
    staff: bool
    query: str
    stemmed: bool
    user: object = None

    def __post_init__(self):
        words = self.query.split()[:8]
        if any(len(word) >= 3 for word in words):
            # A word of one or two letters matches only the start of a field (_lookup);
            # beside a longer word it is the start of the next word being typed ("Berg J"
            # for Berg Jonsson AB), which would find nothing, so the longer words decide.
            words = [word for word in words if len(word) >= 3]
        self.forms = _stems(words) if self.stemmed else [{w} for w in words]
        self.hidden = [] if self.staff else _hiding_paths(self.union)
        # portal/branches/visibility.py: unsent bulletins, or sent to others only.
        self.hidden_bulletins = hidden_bulletins(self.user, self.union)

    def filter(self, pages):
        pages = pages.filter(path__startswith=self.union.root_page.path, live=True)
        for path in self.hidden:
            pages = pages.exclude(path__startswith=path)
        if self.hidden_bulletins is not None:
            pages = pages.exclude(pk__in=self.hidden_bulletins.values("pk"))
        match = _BUSINESS_ID.match(self.query)
        business_id = f"{match.group(1)}-{match.group(2)}" if match else None
        return pages.filter(_pages_matching(self.forms, business_id))

    def counts(self) -> dict[type, int]:
        """Matching pages per searchable page model (one query)."""
        from django.contrib.contenttypes.models import ContentType
        from django.db.models import Count
        from wagtail.models import Page

        from .indexing import PAGE_KINDS

        types = ContentType.objects.get_for_models(*PAGE_KINDS)
        model_of = {ct.pk: model for model, ct in types.items()}
        rows = (self.filter(Page.objects.filter(content_type__in=list(model_of)))
                .order_by().values("content_type").annotate(n=Count("pk")))
        return {model_of[row["content_type"]]: row["n"] for row in rows}

    def pages(self, model):
        pages = self.filter(model.objects.all())
        if model.__name__ == "WorkplacePage":
            pages = pages.select_related("employer")
        if model.__name__ == "BulletinPage":
            from .indexing import with_branch_title

            pages = with_branch_title(pages)
        return pages.order_by("title", "pk")


def _sources(r: Requester, user, union, query: str, *, stemmed: bool = True):
    """(kind, queryset, count or None) in result order; pages that match nothing are
    left out after one grouped count."""
    from .indexing import PAGE_KINDS

    people = _db_people(r, user, union, query)
    yield "person", people, None
    pages = _PageSearch(union=union, staff=r.staff, query=query, stemmed=stemmed, user=user)
    counts = pages.counts()
    for kind in KINDS[1:]:
        for model, model_kind in PAGE_KINDS.items():
            if model_kind == kind and counts.get(model):
                yield kind, pages.pages(model), counts[model]
    for kind, rows in contacts.db_sources(union, pages.forms, pages.hidden):
        count = rows.count()
        if count:
            yield kind, rows, count


def _db_hits(kind: str, objects, union) -> list[Hit]:
    from .indexing import _page_fields

    if kind == "person":
        objects = list(objects)
        today = timezone.localdate()
        held: dict[int, set[str]] = {}
        for person_id, position_kind in (
            PositionOfTrust.objects.filter(person__in=objects).current(today)
            .values_list("person_id", "kind")
        ):
            held.setdefault(person_id, set()).add(position_kind)
        from django.urls import reverse

        return [Hit(kind="person", object_id=p.pk, title=p.full_name,
                    url=reverse("people:person_detail", args=[p.pk]),
                    subtitle=_position_labels(sorted(held.get(p.pk, ()))))
                for p in objects]
    if kind in contacts.KINDS:
        return [Hit(kind=kind, object_id=row.pk, title=row.name, url="/" + contacts.ANCHORS[kind],
                    subtitle=contacts.subtitle(kind, row)) for row in objects]
    root_url_path = union.root_page.url_path
    hits = []
    for page in objects:
        fields = _page_fields(page)
        date = fields.get("date")
        hits.append(Hit(kind=kind, object_id=page.pk, title=page.title,
                        url="/" + page.url_path[len(root_url_path):],
                        subtitle=fields.get("subtitle", ""), branch=fields.get("branch", ""),
                        date=dt.date.fromisoformat(date) if date else None))
    return hits


def _db_search(r: Requester, user, union, query, kind, offset, limit) -> Results:
    facets: dict[str, int] = {}
    hits: list[Hit] = []
    skip, want = offset, limit
    for source_kind, queryset, count in _sources(r, user, union, query):
        rows = None
        if count is None:
            # People: counted by the query that reads the rows shown (COUNT(*) OVER ()),
            # which saves a second pass over the matches.
            if (not kind or kind == source_kind) and want > 0:
                rows = list(queryset.annotate(matches=Window(Count("pk")))[skip: skip + want])
            if rows:
                count = rows[0].matches
            elif rows is not None and not skip:
                count = 0
            else:
                count = queryset.count()
        if not count:
            continue
        facets[source_kind] = facets.get(source_kind, 0) + count
        if kind and source_kind != kind:
            continue
        if skip >= count:
            skip -= count
            continue
        if want > 0:
            chunk = _db_hits(source_kind, rows if rows is not None
                             else queryset[skip: skip + want], union)
            hits += chunk
            want -= len(chunk)
        skip = 0
    total = facets.get(kind, 0) if kind else sum(facets.values())
    return Results(query=query, hits=hits, total=total, facets=facets, kind=kind)


def _db_autocomplete(r: Requester, user, union, query, per_group) -> list[Group]:
    groups: dict[str, list[Hit]] = {}
    for kind, queryset, _count in _sources(r, user, union, query, stemmed=False):
        have = groups.setdefault(kind, [])
        if len(have) < per_group:
            have += _db_hits(kind, queryset[: per_group - len(have)], union)
    return [Group(kind=k, hits=h) for k, h in groups.items() if h]
