"""Union staff and offices in the main search (the UnionPage's `staff_members` and
`offices`): kinds `staff` and `office`, found by name, job title and office (staff) or
name, street and city (offices), linking to their section of the union's page.

They are shown to everyone who sees the union page, so they are visible like pages (no
person visibility rules): in Elasticsearch they are page-like documents of the union;
on the database they are matched with the same folded LIKEs as pages.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from portal.union.models import UnionOffice, UnionPage, UnionStaffMember

STAFF = "staff"
OFFICE = "office"
KINDS = (STAFF, OFFICE)
MODELS = {STAFF: UnionStaffMember, OFFICE: UnionOffice}
# Searched columns (database) per kind.
FIELDS = {STAFF: ("name", "title", "office"), OFFICE: ("name", "city", "street_address")}
ANCHORS = {STAFF: "#staff-heading", OFFICE: "#offices-heading"}


def doc_id(kind: str, pk: int) -> str:
    return f"{kind}-{pk}"


def subtitle(kind: str, row) -> str:
    if kind == STAFF:
        return " · ".join(filter(None, [row.title, row.office]))
    return ", ".join(filter(None, [row.street_address,
                                   f"{row.postal_code} {row.city}".strip()]))


def _document(kind: str, row, page_doc: dict) -> dict:
    place = row.office if kind == STAFF else row.city
    body = row.title if kind == STAFF else f"{row.street_address} {row.postal_code}"
    return {
        "kind": kind,
        "union_id": page_doc["union_id"],
        "object_id": row.pk,
        "page_id": page_doc["object_id"],
        "title": row.name,
        "url": page_doc["url"] + ANCHORS[kind],
        "subtitle": subtitle(kind, row),
        "restricted": page_doc["restricted"],
        "place": place,
        "body": body,
    }


def documents(page_docs: dict[int, dict]) -> Iterator[tuple[str, dict]]:
    """The staff and office documents of the union pages among `page_docs` ({page id:
    its page document}, as indexing.page_documents gives them)."""
    ids = [pk for pk, doc in page_docs.items() if doc.get("kind") == "page"]
    if not ids:
        return
    union_page_ids = set(UnionPage.objects.filter(pk__in=ids).values_list("pk", flat=True))
    for kind, model in MODELS.items():
        for row in model.objects.filter(page_id__in=union_page_ids).order_by("pk"):
            yield doc_id(kind, row.pk), _document(kind, row, page_docs[row.page_id])


def union_page_ids(ids: Iterable[int]) -> list[int]:
    return list(UnionPage.objects.filter(pk__in=list(ids)).values_list("pk", flat=True))


def stale_query(page_ids: list[int]) -> dict:
    """The staff and office documents of these union pages (deleted before they are
    indexed again, so removed staff members and offices leave the index)."""
    return {"bool": {"filter": [{"terms": {"kind": list(KINDS)}},
                                {"terms": {"page_id": page_ids}}]}}


def db_sources(union, word_forms, hidden_paths) -> Iterator[tuple[str, object]]:
    """(kind, queryset) of the staff and offices matching every word, on the database."""
    from .db_engine import _column, _matching

    root = union.root_page
    if any(root.path.startswith(path) for path in hidden_paths):
        return
    for kind, model in MODELS.items():
        rows = model.objects.filter(page__path__startswith=root.path, page__live=True)
        columns = [_column(model, name) for name in FIELDS[kind]]
        yield kind, rows.filter(_matching(columns, word_forms)).order_by("name", "pk")
