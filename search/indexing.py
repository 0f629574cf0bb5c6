"""Turning database rows into search documents, in batches.

The same functions serve the outbox worker (a few ids at a time) and the full reindex
(thousands at a time), so a document looks the same whichever way it was written.
Loading is a fixed number of queries per batch, whatever its size.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from django.db.models import OuterRef, Q, Subquery
from django.db.models.functions import Length, Substr
from django.urls import reverse
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.text import Truncator
from wagtail.models import BaseViewRestriction, Page, PageViewRestriction

from portal.agreements.models import CollectiveAgreementPage
from portal.branches.models import BranchPage, BulletinPage
from portal.pages.models import ContentPage
from portal.people.models import Employment, Person, PositionOfTrust
from portal.union.models import Union, UnionPage
from portal.workplaces.models import EmployerPage, WorkplacePage

from . import contacts
from .documents import page_doc_id, person_doc_id

# Page models that are searched, and the kind (result group) each one is shown under.
PAGE_KINDS: dict[type[Page], str] = {
    BranchPage: "branch",
    EmployerPage: "employer",
    WorkplacePage: "workplace",
    CollectiveAgreementPage: "agreement",
    ContentPage: "page",
    BulletinPage: "page",
    UnionPage: "page",
}
# Password- and group-restricted pages are for staff only in search; "login" pages are
# for any signed-in member, and only signed-in members search.
HIDING_RESTRICTIONS = (BaseViewRestriction.PASSWORD, BaseViewRestriction.GROUPS)


def _term(starts_on, ends_on) -> dict:
    term = {}
    if starts_on is not None:
        term["gte"] = starts_on.isoformat()
    if ends_on is not None:
        term["lte"] = ends_on.isoformat()
    return term


_PERSON_COLUMNS = ("pk", "union_id", "first_name", "last_name", "user_id", "branch_id",
                   "alternative_name", "member_number", "email", "deceased_on",
                   # The custom-field values (portal/customfields), through the reverse
                   # one-to-one by name: search sits below that app and imports nothing of it.
                   "custom_values__values")


def custom_texts(values) -> list[str]:
    """The searchable texts of custom-field values {key: value}: strings, numbers and the
    items of multiple choices; yes/no values say nothing to a search."""
    texts: list[str] = []
    for value in (values or {}).values():
        for item in value if isinstance(value, list) else [value]:
            if isinstance(item, bool) or item is None or item == "":
                continue
            texts.append(str(item))
    return texts


def person_documents(ids: Iterable[int]) -> dict[int, dict]:
    """`PersonDocument` sources of the people with these ids that still exist and are not
    an erased profile's stub (3 queries).

    Plain dicts rather than Document instances: a reindex builds hundreds of thousands.
    """
    people = {row[0]: row for row in
              Person.objects.filter(pk__in=list(ids), anonymised_at__isnull=True)
              .values_list(*_PERSON_COLUMNS)}
    if not people:
        return {}
    jobs: dict[int, list[dict]] = {}
    for person_id, workplace_id, employer_id, starts_on, ends_on in Employment.objects.filter(
        person_id__in=people
    ).values_list("person_id", "workplace_id", "employer_id", "starts_on", "ends_on"):
        jobs.setdefault(person_id, []).append(
            {"workplace_id": workplace_id, "employer_id": employer_id,
             "term": _term(starts_on, ends_on)}
        )
    positions: dict[int, list[tuple]] = {}
    for person_id, kind, starts_on, ends_on in PositionOfTrust.objects.filter(
        person_id__in=people
    ).values_list("person_id", "kind", "starts_on", "ends_on"):
        positions.setdefault(person_id, []).append((kind, starts_on, ends_on))
    today = timezone.localdate()
    # One reverse() per batch, not per person.
    url = reverse("people:person_detail", args=[999999999]).replace("999999999", "{}")
    documents = {}
    for pk, union_id, first, last, user_id, branch_id, alternative, number, email, died, custom in (
        people.values()
    ):
        held = positions.get(pk, [])
        documents[pk] = {
            "kind": "person",
            "union_id": union_id,
            "object_id": pk,
            "title": f"{first} {last}",
            "url": url.format(pk),
            "subtitle": "",
            "user_id": user_id,
            "branch_id": branch_id,
            "official_terms": [_term(s, e) for _kind, s, e in held],
            "jobs": jobs.get(pk, []),
            # Shown beside the name; ended positions are not.
            "position_kinds": sorted({k for k, _s, e in held if e is None or e >= today}),
            "alternative_name": alternative or None,
            "member_number": number or None,
            "email": email or None,
            "deceased": died is not None,
            "custom_text": custom_texts(custom) or None,
        }
    return documents


@dataclass
class _UnionInfo:
    root_url_path: str
    root_path: str
    union_id: int


def _unions() -> dict[str, _UnionInfo]:
    """Each union's tree, keyed by its root page's path (a handful of rows)."""
    return {
        path: _UnionInfo(root_url_path=url_path, root_path=path, union_id=pk)
        for pk, path, url_path in Union.objects.values_list(
            "pk", "root_page__path", "root_page__url_path"
        )
    }


def _union_of(page: Page, unions: dict[str, _UnionInfo]) -> _UnionInfo | None:
    return unions.get(page.path[: Page.steplen * 2])


def _hiding_paths() -> list[str]:
    return list(
        PageViewRestriction.objects.filter(restriction_type__in=HIDING_RESTRICTIONS)
        .values_list("page__path", flat=True)
    )


def _excerpt(html: str, words: int = 30) -> str:
    return Truncator(strip_tags(html or "")).words(words)


def _page_fields(page: Page) -> dict:
    """Kind-specific text: where it is, what it says, how it is summarised."""
    if isinstance(page, BranchPage):
        return {"place": page.municipality, "body": strip_tags(page.description),
                "subtitle": " · ".join(filter(None, [page.number, page.municipality]))}
    if isinstance(page, EmployerPage):
        compact = page.business_id.replace("-", "")
        return {"place": page.city, "body": page.industry,
                "business_id": [page.business_id, compact] if page.business_id else [],
                "subtitle": " · ".join(filter(None, [page.business_id, page.city]))}
    if isinstance(page, WorkplacePage):
        employer_title = page.employer.title if page.employer_id else ""
        return {"place": page.city, "body": page.description, "employer_id": page.employer_id,
                "subtitle": " · ".join(filter(None, [employer_title, page.city]))}
    if isinstance(page, CollectiveAgreementPage):
        return {"body": page.summary, "subtitle": Truncator(page.summary).words(20)}
    if isinstance(page, ContentPage):
        return {"body": strip_tags(f"{page.intro} {page.body}"), "subtitle": _excerpt(page.intro)}
    if isinstance(page, BulletinPage):
        return {"body": strip_tags(f"{page.summary} {page.body}"),
                "subtitle": page.summary or _excerpt(page.body),
                "branch": getattr(page, "branch_title", None) or "",
                "date": page.date.isoformat() if page.date else None}
    if isinstance(page, UnionPage):
        return {"place": page.city, "body": strip_tags(page.description),
                "subtitle": page.short_name}
    return {}


def _access_fields(model, pages) -> dict[int, dict]:
    """Per page, fields its visibility depends on beyond the union and restrictions:
    for bulletins, portal/branches/visibility.py (sent, audience, branch)."""
    if model is BulletinPage:
        from portal.branches.visibility import search_fields

        return search_fields(pages)
    return {}


def _page_document(page: Page, unions, hiding_paths, access=None) -> dict | None:
    union = _union_of(page, unions)
    kind = PAGE_KINDS.get(type(page))
    if union is None or kind is None or not page.live:
        return None
    url = "/" + page.url_path[len(union.root_url_path):]
    fields = _page_fields(page)
    return {
        "kind": kind,
        "union_id": union.union_id,
        "object_id": page.pk,
        "title": page.title,
        "url": url,
        "subtitle": fields.pop("subtitle", ""),
        "restricted": any(page.path.startswith(p) for p in hiding_paths),
        **fields,
        **((access or {}).get(page.pk) or {}),
    }


def _specific_pages(model: type[Page], ids=None):
    pages = model.objects.all()
    if ids is not None:
        pages = pages.filter(pk__in=ids)
    if model is WorkplacePage:
        pages = pages.select_related("employer")
    if model is BulletinPage:
        pages = with_branch_title(pages)
    return pages


def with_branch_title(bulletins):
    """Bulletins with `branch_title`, their parent branch's title, in the same query
    (a bulletin hit shows its branch and date)."""
    parent = Page.objects.filter(
        path=Substr(OuterRef("path"), 1, Length(OuterRef("path")) - Page.steplen))
    return bulletins.annotate(branch_title=Subquery(parent.values("title")[:1]))


def page_documents(ids: Iterable[int]) -> dict[int, dict]:
    """`PageDocument` sources of the live, searchable pages among these ids."""
    ids = list(ids)
    if not ids:
        return {}
    unions, hiding = _unions(), _hiding_paths()
    content_types = dict(Page.objects.filter(pk__in=ids).values_list("pk", "content_type__model"))
    documents = {}
    for model in PAGE_KINDS:
        wanted = [pk for pk, ct in content_types.items() if ct == model._meta.model_name]
        if not wanted:
            continue
        pages = list(_specific_pages(model, wanted))
        access = _access_fields(model, pages)
        for page in pages:
            document = _page_document(page, unions, hiding, access)
            if document is not None:
                documents[page.pk] = document
    return documents


def all_documents(batch_size: int = 2000) -> Iterator[tuple[str, dict]]:
    """Every searchable row of every union, for a full reindex: (doc id, document)."""
    ids = Person.objects.order_by("pk").values_list("pk", flat=True)
    batch: list[int] = []
    for pk in ids.iterator(chunk_size=batch_size):
        batch.append(pk)
        if len(batch) >= batch_size:
            yield from ((person_doc_id(k), d) for k, d in person_documents(batch).items())
            batch = []
    if batch:
        yield from ((person_doc_id(k), d) for k, d in person_documents(batch).items())
    unions, hiding = _unions(), _hiding_paths()
    for model in PAGE_KINDS:
        batch_pages: list[Page] = []
        for page in _specific_pages(model).filter(live=True).order_by("pk").iterator(
            chunk_size=batch_size
        ):
            batch_pages.append(page)
            if len(batch_pages) >= batch_size:
                yield from _documents_of(model, batch_pages, unions, hiding)
                batch_pages = []
        yield from _documents_of(model, batch_pages, unions, hiding)
    # Union staff and offices: documents of their own, made from their union page's.
    yield from contacts.documents(page_documents(UnionPage.objects.values_list("pk", flat=True)))


def _documents_of(model, pages, unions, hiding) -> Iterator[tuple[str, dict]]:
    access = _access_fields(model, pages)
    for page in pages:
        document = _page_document(page, unions, hiding, access)
        if document is not None:
            yield page_doc_id(page.pk), document


def count_all() -> int:
    """An upper bound of `all_documents()` for the progress bar."""
    pages = Page.objects.filter(
        Q(live=True), content_type__model__in=[m._meta.model_name for m in PAGE_KINDS]
    )
    return Person.objects.count() + pages.count()
