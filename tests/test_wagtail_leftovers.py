"""Wagtail's untranslated leftovers (issue 12, item 18): strings Wagtail's and
wagtail-localize's own fi and sv catalogues leave in English are covered by the override
catalogue in locale/overrides (docs/languages.md), and the admin shows them translated."""

from __future__ import annotations

import re
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.test import Client
from django.utils import translation

from portal.union.demo import DEMO_UNIONS, DemoSize, seed_union

ROOT = Path(__file__).resolve().parents[1]
OVERRIDES = ROOT / "locale" / "overrides"
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|%[sd]|\{\w*\}")

# Seen in English in a walk through the admin in Finnish and Swedish.
LEFTOVERS = [
    "Search all pages…",
    "Edit account avatar",
    "Actions (footer)",
    "Close dialog",
    "More options for '%(title)s'",
    "Unpublish selected pages",
    "%(start_index)s-%(end_index)s of %(items_count)s %(model_name)s",
    "There are no %(model_name)s to display.",
    "Sort by '%(label)s' in ascending order.",
    "Wagtail %(current_version)s editor guide",
    "Keep the new pages updated with future changes",
    "Select a new parent for this page.",
]


@pytest.mark.parametrize("language", ["fi", "sv"])
def test_the_leftovers_are_translated(language):
    with translation.override(language):
        untranslated = [text for text in LEFTOVERS if translation.gettext(text) == text]
        assert translation.ngettext("Unpublish 1 page", "Unpublish %(counter)s pages", 2) != (
            "Unpublish %(counter)s pages")
    assert untranslated == []


def test_the_override_catalogue_is_read_after_the_projects_own():
    paths = [Path(path) for path in settings.LOCALE_PATHS]
    assert paths == [ROOT / "locale", OVERRIDES]


@pytest.mark.parametrize("path", sorted(OVERRIDES.glob("*/LC_MESSAGES/*.po")), ids=str)
def test_override_entries_are_translated_with_the_same_placeholders(path):
    catalogue = polib.pofile(str(path))
    assert len(catalogue) > 10
    for entry in catalogue:
        assert entry.translated(), entry.msgid
        # A singular form may say "one" instead of its number; the plural keeps them all.
        pairs = ([(entry.msgid, entry.msgstr)] if not entry.msgid_plural else
                 [(entry.msgid_plural, entry.msgstr_plural[1])])
        for source, text in pairs:
            assert set(PLACEHOLDER.findall(source)) == set(PLACEHOLDER.findall(text)), source


@pytest.mark.django_db
@pytest.mark.parametrize("slug", ["pal", "norden"])
def test_the_admin_shows_no_leftovers_in_the_unions_language(slug):
    spec = next(spec for spec in DEMO_UNIONS if spec.slug == slug)
    union = seed_union(spec, size=DemoSize(members=6, branches=1, employers=1, workplaces=1,
                                           board=1, council=1), port=80).union
    from portal.accounts.models import User

    client = Client(HTTP_HOST=union.site.hostname)
    client.force_login(User.objects.get(email=f"admin@{slug}.example"))
    pages = [client.get("/admin/").content.decode(),
             client.get(f"/admin/pages/{union.root_page.pk}/").content.decode()]
    html = "\n".join(pages)
    for text in ("Search all pages…", "Edit account avatar", 'aria-label="Actions"',
                 "More options for", "editor guide"):
        assert text not in html, text
    expected = {"pal": "Hae kaikista sivuista…", "norden": "Sök bland alla sidor…"}[slug]
    assert expected in html
