"""Server-side sanitising of bulletin HTML (front-end editor and admin alike)."""

from __future__ import annotations

import nh3

ALLOWED_TAGS = {"p", "br", "h2", "h3", "b", "strong", "i", "em", "a", "ul", "ol", "li"}
# `linktype` and `id` carry Wagtail's internal page links (<a linktype="page" id="3">).
ALLOWED_ATTRIBUTES = {"a": {"href", "linktype", "id"}}
ALLOWED_URL_SCHEMES = {"http", "https", "mailto"}


def sanitize_bulletin_html(html: str) -> str:
    """Keep the editor's few tags; drop scripts, event handlers, styles and any link
    whose scheme is not http, https or mailto (so no `javascript:` links)."""
    return nh3.clean(
        html or "",
        tags=ALLOWED_TAGS,
        clean_content_tags={"script", "style"},
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_URL_SCHEMES,
        link_rel=None,
    ).strip()
