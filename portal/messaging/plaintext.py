"""The plain-text part of a bulletin email, from its (sanitised, expanded) HTML.

Readers of the text part must get what the HTML says: paragraphs and headings stay
apart (a blank line between blocks), list items go on their own lines ("- " or "1. "),
and a link keeps its address, as "text (https://…)", since a plain-text reader cannot
follow a hidden one.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

_BLOCKS = {"p", "h1", "h2", "h3", "h4", "ul", "ol", "div", "blockquote"}


class _TextBuilder(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.blocks: list[tuple[str, int | None]] = []  # (text, list number or None)
        self.list_count = 0
        self.line: list[str] = []
        self.lists: list[list] = []  # per open list: [kind, next number]
        self.links: list[str | None] = []
        self.link_text: list[list[str]] = []

    def _flush(self) -> None:
        text = re.sub(r"[ \t\r\n]+", " ", "".join(self.line)).strip()
        text = re.sub(r" ?\x00 ?", "\n", text).strip("\n")  # <br>: a line break kept
        if text:
            self.blocks.append((text, self.list_count if self.lists else None))
        self.line = []

    def handle_starttag(self, tag, attrs):
        if tag in _BLOCKS or tag == "li":
            self._flush()
        if tag in ("ul", "ol"):
            self.lists.append([tag, 1])
            self.list_count += 1
        elif tag == "li":
            kind = self.lists[-1] if self.lists else ["ul", 1]
            if kind[0] == "ol":
                self.line.append(f"{kind[1]}. ")
                kind[1] += 1
            else:
                self.line.append("- ")
        elif tag == "br":
            self.line.append("\x00")
        elif tag == "a":
            self.links.append(dict(attrs).get("href"))
            self.link_text.append([])

    def handle_endtag(self, tag):
        if tag == "a" and self.links:
            href, text = self.links.pop(), "".join(self.link_text.pop())
            shown = text.strip()
            address = href[len("mailto:"):] if href and href.startswith("mailto:") else href
            if address and address != shown:
                self._text(f" ({address})" if shown else address)
        elif tag in ("ul", "ol") and self.lists:
            self._flush()
            self.lists.pop()
        elif tag in _BLOCKS or tag == "li":
            self._flush()

    def _text(self, data: str) -> None:
        self.line.append(data)
        for text in self.link_text:
            text.append(data)

    def handle_data(self, data):
        self._text(data)

    def text(self) -> str:
        self._flush()
        lines: list[str] = []
        previous = None
        for text, in_list in self.blocks:
            # Items of one list follow each other line by line; a blank line elsewhere.
            if lines and not (in_list is not None and in_list == previous):
                lines.append("")
            lines.append(text)
            previous = in_list
        return "\n".join(lines)


def html_to_text(html: str) -> str:
    """Plain text of bulletin HTML (see the module's docstring)."""
    builder = _TextBuilder()
    builder.feed(html or "")
    builder.close()
    return builder.text()
