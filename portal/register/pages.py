"""Employers and workplaces are Wagtail pages: new ones go in with the bulk tree insert
(union/bulk.py, as seed_demo does), existing ones are updated set-based."""

# ruff: noqa: S608 - SQL built from model metadata, the staging table's generated name and
# the kind's declared field names; every value is a query parameter.

from __future__ import annotations

from django.utils.text import slugify
from wagtail.models import Page

from portal.union.bulk import bulk_create_pages
from portal.workplaces.models import EmployerIndexPage, EmployerPage, WorkplacePage

from . import records as R
from .plans import merge, table
from .staging import Stage, col

PAGE_BATCH = 2000

_ADDRESS = ("street_address", "postal_code", "city")

SOURCES = {
    R.EMPLOYERS: (
        f"(SELECT e.page_ptr_id AS id, e.union_id, e.business_id, p.title AS name, "
        f"e.industry, e.street_address, e.postal_code, e.city FROM {table(EmployerPage)} e "
        f"JOIN {table(Page)} p ON p.id = e.page_ptr_id WHERE e.union_id = %(union)s) t",
        "t.business_id = s.f_business_id",
        (("name", "name", col("name")),
         *((n, n, col(n)) for n in ("industry", *_ADDRESS))),
    ),
    R.WORKPLACES: (
        f"(SELECT w.page_ptr_id AS id, w.union_id, w.register_id, w.employer_id, "
        f"p.title AS name, w.street_address, w.postal_code, w.city, w.employee_count "
        f"FROM {table(WorkplacePage)} w JOIN {table(Page)} p ON p.id = w.page_ptr_id "
        f"WHERE w.union_id = %(union)s AND w.register_id <> '') t",
        "t.register_id = s.f_register_id",
        (("name", "name", col("name")), ("employer", "employer_id", "employer_id"),
         *((n, n, col(n)) for n in (*_ADDRESS, "employee_count"))),
    ),
}


def refuse_ambiguous(cursor, stage: Stage, union, result) -> None:
    """An employer record whose business ID two stored employers of the union's
    language already have: which one it updates can't be told, so it is refused until
    they are merged (translations of one employer share the ID in other languages)."""
    from .refs import AMBIGUOUS

    stage.refuse(
        cursor, result,
        f"s.f_business_id IN (SELECT e.business_id FROM {table(EmployerPage)} e "
        f"JOIN {table(Page)} p ON p.id = e.page_ptr_id WHERE e.union_id = %s "
        f"AND p.locale_id = (SELECT locale_id FROM {table(Page)} WHERE id = %s) "
        "GROUP BY e.business_id HAVING count(*) > 1)",
        "business_id", "ambiguous", AMBIGUOUS, [union.pk, union.root_page_id])


def prepare(cursor, stage: Stage, union) -> None:
    source, match, data = SOURCES[stage.kind.name]
    # A workplace's register ID is unique in its union; a business ID is not (yet).
    merge(cursor, stage, data, source, match, union.pk,
          unique=stage.kind.name == R.WORKPLACES)


def write(cursor, stage: Stage, union) -> tuple[int, int, list[int]]:
    """Returns (created, updated, ids of the pages written)."""
    kind = stage.kind.name
    model = EmployerPage if kind == R.EMPLOYERS else WorkplacePage
    cursor.execute(f"SELECT target_id FROM {stage.name} WHERE NOT is_new "
                   "AND cardinality(changed) > 0")
    updated_ids = [row[0] for row in cursor.fetchall()]
    if kind == R.WORKPLACES:
        _move_workplaces(cursor, stage)
    columns = [n for n, _c, _e in SOURCES[kind][2] if n != "name"]
    sets = ", ".join(
        "employer_id = s.employer_id" if n == "employer" else f"{n} = s.{col(n)}"
        for n in columns)
    cursor.execute(
        f"UPDATE {table(model)} t SET {sets} FROM {stage.name} s "
        "WHERE t.page_ptr_id = s.target_id AND NOT s.is_new AND cardinality(s.changed) > 0")
    cursor.execute(
        f"UPDATE {table(Page)} p SET title = s.f_name, draft_title = s.f_name "
        f"FROM {stage.name} s WHERE p.id = s.target_id AND NOT s.is_new "
        "AND 'name' = ANY(s.changed)")
    created_ids = _create(cursor, stage, union)
    return len(created_ids), len(updated_ids), updated_ids + created_ids


def _move_workplaces(cursor, stage: Stage) -> None:
    # The register moved a workplace to another employer: rare, so one tree move each.
    cursor.execute(f"SELECT target_id, employer_id FROM {stage.name} WHERE NOT is_new "
                   "AND 'employer' = ANY(changed)")
    for page_id, employer_id in cursor.fetchall():
        page = WorkplacePage.objects.get(pk=page_id)
        page.move(EmployerPage.objects.get(pk=employer_id), pos="last-child")


def _create(cursor, stage: Stage, union) -> list[int]:
    kind = stage.kind.name
    names = [f.name for f in stage.kind.fields]
    extra = ", employer_id" if kind == R.WORKPLACES else ""
    created: list[int] = []
    # Workplaces in employer order: each employer is a parent in one chunk only (its
    # last child is looked up once, its child count written once).
    order = "employer_id, idx" if extra else "idx"
    last: tuple = (0, -1) if extra else (-1,)
    index_page = None
    if kind == R.EMPLOYERS:
        # The union's own language's index (a translated site has one per language).
        index_page = EmployerIndexPage.objects.for_union(union).get(
            locale_id=Page.objects.filter(pk=union.root_page_id).values("locale_id")[:1])
    while True:
        cursor.execute(
            f"SELECT idx, {', '.join(col(n) for n in names)}{extra} FROM {stage.name} "
            f"WHERE is_new AND ({order}) > ({', '.join(['%s'] * len(last))}) "
            f"ORDER BY {order} LIMIT %s", [*last, PAGE_BATCH])
        rows = cursor.fetchall()
        if not rows:
            return created
        last = (rows[-1][-1], rows[-1][0]) if extra else (rows[-1][0],)
        records = [dict(zip(["idx", *names, *(["employer_id"] if extra else [])], row,
                            strict=True)) for row in rows]
        if kind == R.EMPLOYERS:
            pages = bulk_create_pages([(index_page, [_employer(union, r) for r in records])])
        else:
            parents = EmployerPage.objects.in_bulk({r["employer_id"] for r in records})
            by_parent: dict[int, list[WorkplacePage]] = {}
            for r in records:
                by_parent.setdefault(r["employer_id"], []).append(_workplace(union, r))
            pages = bulk_create_pages(
                [(parents[pk], children) for pk, children in by_parent.items()])
        created.extend(page.pk for page in pages)


def _employer(union, r: dict) -> EmployerPage:
    return EmployerPage(
        title=r["name"], slug=f"{slugify(r['name'])[:40] or 'employer'}-{r['business_id']}",
        union=union, business_id=r["business_id"],
        **{n: r[n] for n in ("industry", *_ADDRESS)},
    )


def _workplace(union, r: dict) -> WorkplacePage:
    return WorkplacePage(
        title=r["name"],
        slug=f"{slugify(r['name'])[:40] or 'workplace'}-{slugify(r['register_id'])[:40]}",
        union=union, register_id=r["register_id"], employer_id=r["employer_id"],
        employee_count=r["employee_count"], description="",
        **{n: r[n] for n in _ADDRESS},
    )
