"""Rich-text links and embeds resolve only inside the union, and only to live pages.

Wagtail stores internal links as `<a linktype="page" id="…">` (documents: "document",
images: `<embed embedtype="image" id="…">`) and expands them when the text is shown
(`|richtext`, `expand_db_html`). Its own handlers resolve any id: a bulletin of union A
could show union B's page address, or a draft's. The handlers here (registered in
`wagtail_hooks.py`) resolve an id only to a live page of the union being rendered for,
or a document or image of its collection; anything else becomes plain text (an `<a>`
without an address, as Wagtail shows a deleted page) or, for an image, its alt text.

The union being rendered for is the request's (`UnionMiddleware` sets it for the whole
request, templates included) or, outside a request — a bulletin email sent by the task
worker — the one `rendering_for(union)` names (portal/union/current.py). With none,
nothing resolves.
"""

from __future__ import annotations

import re

from django.db.models import Q
from django.utils.html import escape
from wagtail.documents.rich_text import DocumentLinkHandler
from wagtail.images.formats import get_image_format
from wagtail.images.rich_text import ImageEmbedHandler
from wagtail.models import Collection, Page
from wagtail.rich_text.pages import PageLinkHandler

from .current import current_union, working_for

# Page and collection ids are 32-bit integers in Wagtail's tables: a larger "id" in
# stored HTML matches nothing (and must not reach the database as an error).
_MAX_ID = 2**31 - 1

# Rich text expanded inside `rendering_for(union)` resolves references in `union` only.
rendering_for = working_for


def _ids(attrs_list: list[dict]) -> list[int | None]:
    ids = []
    for attrs in attrs_list:
        value = str(attrs.get("id") or "")
        ids.append(int(value) if value.isascii() and value.isdigit()
                   and int(value) <= _MAX_ID else None)
    return ids


def _root_paths(union) -> tuple[str, ...]:
    """The paths of the union's root page and its translations (kept on the object)."""
    paths = getattr(union, "_rich_text_root_paths", None)
    if paths is None:
        key = Page.objects.filter(pk=union.root_page_id).values("translation_key")
        paths = tuple(Page.objects.filter(translation_key__in=key, depth=2)
                      .values_list("path", flat=True))
        union._rich_text_root_paths = paths
    return paths


def _collection_ids(union) -> list[int]:
    ids = getattr(union, "_rich_text_collection_ids", None)
    if ids is None:
        root = union.collection()
        ids = list(Collection.objects.filter(path__startswith=root.path)
                   .values_list("pk", flat=True))
        union._rich_text_collection_ids = ids
    return ids


def _in_order(ids: list[int | None], found: dict) -> list:
    return [found.get(pk) if pk is not None else None for pk in ids]


class UnionPageLinkHandler(PageLinkHandler):
    """`<a linktype="page">`: a live page of the union, else plain text."""

    @classmethod
    def get_many(cls, attrs_list: list[dict]) -> list:
        union, ids = current_union(), _ids(attrs_list)
        wanted = {pk for pk in ids if pk is not None}
        if union is None or not wanted:
            return [None] * len(ids)
        inside = Q()
        for path in _root_paths(union):
            inside |= Q(path__startswith=path)
        if not inside:
            return [None] * len(ids)
        pages = Page.objects.live().filter(inside, pk__in=wanted).defer_streamfields().specific()
        return _in_order(ids, {page.pk: page for page in pages})


def _collection_members(model, attrs_list: list[dict]) -> list:
    union, ids = current_union(), _ids(attrs_list)
    wanted = {pk for pk in ids if pk is not None}
    if union is None or not wanted:
        return [None] * len(ids)
    found = model._default_manager.filter(pk__in=wanted,
                                          collection_id__in=_collection_ids(union))
    return _in_order(ids, {item.pk: item for item in found})


class UnionDocumentLinkHandler(DocumentLinkHandler):
    """`<a linktype="document">`: a document of the union's collection, else plain text."""

    @classmethod
    def get_many(cls, attrs_list: list[dict]) -> list:
        return _collection_members(cls.get_model(), attrs_list)


class UnionImageEmbedHandler(ImageEmbedHandler):
    """`<embed embedtype="image">`: an image of the union's collection, else its alt text."""

    @classmethod
    def get_many(cls, attrs_list: list[dict]) -> list:
        return _collection_members(cls.get_model(), attrs_list)

    @classmethod
    def expand_db_attributes_many(cls, attrs_list: list[dict]) -> list[str]:
        images = cls.get_many(attrs_list)
        return [
            get_image_format(attrs["format"]).image_to_html(image, attrs.get("alt", ""))
            if image else escape(attrs.get("alt", ""))
            for attrs, image in zip(attrs_list, images, strict=True)
        ]


# --- when saved: references into another union are dropped --------------------------

_LINK = re.compile(r"<a\b(?P<attrs>[^>]*)>(?P<text>.*?)</a>", re.S | re.I)
_EMBED = re.compile(r"<embed\b(?P<attrs>[^>]*?)/?>", re.S | re.I)
_ATTR = re.compile(r"""([\w-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')""")


def _attrs(text: str) -> dict[str, str]:
    return {name.lower(): value or alt for name, value, alt in _ATTR.findall(text)}


def unlink_outside(html: str, union_id: int | None) -> str:
    """`html` with links to pages and documents of other unions made plain text, and
    images of other unions' collections dropped. Drafts of the union itself stay linked
    (they may go live; until then they show as plain text). Pages call this when cleaned
    (UnionOwnedPage.clean), so the stored text of every save path refers to nothing of
    another union."""
    if not html or ("linktype" not in html and "embedtype" not in html):
        return html
    from .models import Union

    links = [(m, _attrs(m["attrs"])) for m in _LINK.finditer(html)]
    embeds = [(m, _attrs(m["attrs"])) for m in _EMBED.finditer(html)]
    page_ids = _ids([a for _, a in links if a.get("linktype") == "page"])
    document_ids = _ids([a for _, a in links if a.get("linktype") == "document"])
    image_ids = _ids([a for _, a in embeds if a.get("embedtype") == "image"])
    union = Union.objects.filter(pk=union_id).first() if union_id else None
    kept: dict[str, set[int]] = {"page": set(), "document": set(), "image": set()}
    if union is not None:
        inside = Q()
        for path in _root_paths(union):
            inside |= Q(path__startswith=path)
        wanted = {pk for pk in page_ids if pk is not None}
        if wanted and inside:
            kept["page"] = set(Page.objects.filter(inside, pk__in=wanted)
                               .values_list("pk", flat=True))
        from wagtail.documents import get_document_model
        from wagtail.images import get_image_model

        for kind, model, ids in (("document", get_document_model(), document_ids),
                                 ("image", get_image_model(), image_ids)):
            wanted = {pk for pk in ids if pk is not None}
            if wanted:
                kept[kind] = set(model._default_manager.filter(
                    pk__in=wanted, collection_id__in=_collection_ids(union))
                    .values_list("pk", flat=True))

    def keep(attrs: dict, kind: str) -> bool:
        if kind not in kept:
            return True  # external links and other embeds are not references
        ids = _ids([attrs])
        return ids[0] is not None and ids[0] in kept[kind]

    html = _LINK.sub(lambda m: m[0] if keep(_attrs(m["attrs"]), _attrs(m["attrs"]).get(
        "linktype", "")) else m["text"], html)
    return _EMBED.sub(lambda m: m[0] if keep(_attrs(m["attrs"]), _attrs(m["attrs"]).get(
        "embedtype", "")) else "", html)
