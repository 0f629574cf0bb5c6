"""The Elasticsearch documents of the main search and the index that holds them.

One index (behind an alias) holds every kind of document: people, organisations
(branch, employer, workplace), collective agreements and content pages. Each document
carries its union and the fields its visibility is decided on, so that a query can
filter by the requester's union and scope inside Elasticsearch (see `engine.py`).

Text is analysed three ways: a folded field (lowercase + ASCII folding) for names,
Finnish/Swedish/English language subfields for inflected words, and an edge n-gram
subfield for autocomplete. Only components the stock `analysis-common` module (and the
dev node's plugin, docs/dev-services.md) provide are used: no synonyms, no scripts.
"""

from __future__ import annotations

from django.conf import settings
from elasticsearch.dsl import (
    Boolean,
    DateRange,
    Document,
    Index,
    InnerDoc,
    Integer,
    Keyword,
    Nested,
    Text,
    analyzer,
    normalizer,
    token_filter,
)

KINDS = ("person", "workplace", "employer", "branch", "agreement", "page", "staff", "office")

_edge = token_filter("portal_edge", type="edge_ngram", min_gram=1, max_gram=20)
folded = analyzer(
    "portal_folded", tokenizer="standard", filter=["lowercase", "asciifolding"]
)
autocomplete = analyzer(
    "portal_autocomplete", tokenizer="standard", filter=["lowercase", "asciifolding", _edge]
)
lowercase = normalizer("portal_lowercase", filter=["lowercase"])


def _language(language: str):
    """Elasticsearch's `<language>` analyser (stop words, snowball stems) with ASCII
    folding after stemming: "hameenkadulla" finds Hämeenkatu, "ake" Åke."""
    return analyzer(f"portal_{language}", tokenizer="standard", filter=[
        "lowercase",
        token_filter(f"portal_{language}_stop", type="stop", stopwords=f"_{language}_"),
        token_filter(f"portal_{language}_stem", type="stemmer", language=language),
        "asciifolding",
    ])


def _language_text(**kwargs) -> Text:
    """A text field with fi/sv/en language subfields."""
    fields = {
        "fi": Text(analyzer=_language("finnish")),
        "sv": Text(analyzer=_language("swedish")),
        "en": Text(analyzer=_language("english")),
    }
    fields.update(kwargs.pop("extra_fields", {}))
    return Text(analyzer=folded, fields=fields, **kwargs)


class Job(InnerDoc):
    """One employment of a person: correlated workplace, employer and term."""

    workplace_id = Integer()
    employer_id = Integer()
    term = DateRange(format="yyyy-MM-dd")


class SearchDocument(Document):
    """Fields every document has: what it is, whose it is, how it is shown."""

    kind = Keyword()
    union_id = Integer()
    object_id = Integer()
    title = _language_text(
        extra_fields={"ngram": Text(analyzer=autocomplete, search_analyzer=folded)}
    )
    url = Keyword(index=False)
    subtitle = Keyword(index=False)


class PersonDocument(SearchDocument):
    """A person profile. Visibility fields mirror `portal.people.scopes`."""

    user_id = Integer()
    branch_id = Integer()
    # Terms of all positions of trust: a person is an official on the days one contains.
    official_terms = DateRange(format="yyyy-MM-dd")
    jobs = Nested(Job)
    position_kinds = Keyword(index=False)
    # Searched only for requesters allowed to see them (staff, or the person themself).
    alternative_name = Text(analyzer=folded)
    member_number = Keyword(normalizer=lowercase)
    email = Keyword(normalizer=lowercase)
    # Marked deceased (portal/lifeevents): found by staff only.
    deceased = Boolean()
    # The texts of the person's custom-field values (portal/customfields): staff only.
    custom_text = Text(analyzer=folded)


class PageDocument(SearchDocument):
    """Organisation, agreement and content pages: visible to the union's members."""

    restricted = Boolean()  # a view restriction on the page or an ancestor: staff only
    place = _language_text()
    body = _language_text()
    business_id = Keyword()  # NNNNNNN-C and NNNNNNNC, so both spellings match exactly
    # A workplace's employer: the employment form looks for workplaces of one employer.
    employer_id = Integer()
    page_id = Integer()  # staff and offices (search/contacts.py): their union page
    branch = Keyword(index=False)  # bulletins: shown with the hit, as is the date
    date = Keyword(index=False)
    # Bulletins (portal/branches/visibility.py): not public yet, or sent to part of the
    # branch only; then found by staff, the officials of `branch_id` and its recipients.
    audience_restricted = Boolean()
    audience_user_ids = Integer()


DOCUMENTS = (PersonDocument, PageDocument)


def alias_name() -> str:
    return f"{settings.SEARCH_INDEX_PREFIX}-main"


def build_index(name: str) -> Index:
    index = Index(name)
    index.settings(number_of_shards=1, number_of_replicas=0, refresh_interval="1s")
    for document in DOCUMENTS:
        index.document(document)
    return index


def person_doc_id(pk: int) -> str:
    return f"person-{pk}"


def page_doc_id(pk: int) -> str:
    return f"page-{pk}"
