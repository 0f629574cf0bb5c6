"""Call links (issue 18 item 4): every template that shows someone's phone number shows
it as a `tel:` link, so it can be called from a phone or a computer. Checked on the
templates themselves, so a new person card cannot forget it."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
PHONE = re.compile(r"\{\{\s*([\w.]*\bphone)\b\s*(?:\|[^}]*)?\}\}")
# One's own number (one's profile, where the step-up code goes): nobody calls themself.
OWN = {"portal/people/templates/people/own_profile.html",
       "portal/stepup/templates/stepup/sms_method.html"}


def _linked(source: str, at: int) -> bool:
    """Inside a `tel:` link's address or text."""
    if source[:at].endswith("tel:"):
        return True
    opening, closing = source.rfind("<a ", 0, at), source.rfind("</a>", 0, at)
    if opening <= closing:
        return False
    tag = source[opening:source.find(">", opening)]
    return 'href="tel:' in tag or "call__link" in tag


def test_every_shown_phone_number_is_a_call_link():
    missing = []
    for path in sorted(ROOT.glob("portal/**/templates/**/*.html")):
        relative = path.relative_to(ROOT).as_posix()
        if relative in OWN:
            continue
        source = path.read_text()
        for match in PHONE.finditer(source):
            if not _linked(source, match.start()):
                missing.append((relative, match.group(0)))
    assert not missing, missing
