"""Message text: plain text in, safe HTML out.

A message is stored as typed. Markup is refused when sent (a member who types
`<script>` gets told, rather than a message that silently shows something else); what is
shown is escaped, web addresses become links, and the result goes through nh3 (the
sanitiser the stack already has) with only `<a href="http(s)…">` and `<br>` allowed, so a
bug in the linking could still not let markup through."""

from __future__ import annotations

import re

import nh3
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

MAX_LENGTH = 4000
_TAG = re.compile(r"<\s*/?\s*[a-zA-Z!?]")
# On the raw text: quotes and angle brackets end an address.
_URL = re.compile(r"\bhttps?://[^\s<>\"'`]*[^\s<>\"'`.,;:!?)\]]", re.IGNORECASE)


def has_markup(text: str) -> bool:
    return bool(_TAG.search(text))


def _linked(text: str) -> str:
    parts, last = [], 0
    for match in _URL.finditer(text):
        parts.append(escape(text[last:match.start()]))
        url = escape(match.group(0))
        parts.append(f'<a href="{url}">{url}</a>')
        last = match.end()
    parts.append(escape(text[last:]))
    return "".join(parts)


def render(text: str) -> SafeString:
    html = _linked(text.replace("\r\n", "\n")).replace("\n", "<br>")
    return mark_safe(nh3.clean(  # noqa: S308 - cleaned by nh3 on this line
        html, tags={"a", "br"}, attributes={"a": {"href"}}, url_schemes={"http", "https"},
        link_rel="noopener noreferrer nofollow ugc"))
