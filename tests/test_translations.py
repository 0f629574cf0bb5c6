"""The Finnish and Swedish catalogues are complete: every string marked for translation in
the source is in locale/fi and locale/sv, translated, not fuzzy, with the same placeholders."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest

ROOT = Path(__file__).resolve().parent.parent
LANGUAGES = ("fi", "sv")
SOURCE_DIRS = ("portal", "search", "themes")
PLACEHOLDER = re.compile(r"%\([a-z_]+\)[sdif]|%(?:\.\d+)?[sdif]|\{[a-z_]+\}")


def _catalogue(language: str) -> polib.POFile:
    path = ROOT / "locale" / language / "LC_MESSAGES" / "django.po"
    assert path.exists(), f"{path} is missing: run `make messages`"
    return polib.pofile(str(path))


def _key(entry) -> tuple[str | None, str]:
    return entry.msgctxt, entry.msgid


def _is_translated(entry) -> bool:
    if entry.msgid_plural:
        return bool(entry.msgstr_plural) and all(entry.msgstr_plural.values())
    return bool(entry.msgstr)


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_entry_is_translated_and_not_fuzzy(language):
    catalogue = _catalogue(language)
    untranslated = [e.msgid for e in catalogue if not e.obsolete and not _is_translated(e)]
    fuzzy = [e.msgid for e in catalogue if not e.obsolete and "fuzzy" in e.flags]
    assert not untranslated, f"untranslated in {language}: {untranslated}"
    assert not fuzzy, f"fuzzy in {language}: {fuzzy}"


@pytest.mark.parametrize("language", LANGUAGES)
def test_translations_keep_the_placeholders(language):
    wrong = []
    for entry in _catalogue(language):
        if entry.obsolete:
            continue
        pairs = ([(entry.msgid, entry.msgstr)] if not entry.msgid_plural else
                 [(entry.msgid_plural, text) for text in entry.msgstr_plural.values()])
        for source, text in pairs:
            wanted = sorted(set(PLACEHOLDER.findall(source)))
            if text and sorted(set(PLACEHOLDER.findall(text))) != wanted:
                wrong.append((entry.msgid, text))
    assert not wrong, f"placeholders differ in {language}: {wrong}"


@pytest.fixture(scope="module")
def extracted(tmp_path_factory) -> dict[str, polib.POFile]:
    """Extract the strings from a copy of the source with Django's own makemessages, so
    that a string added without updating the catalogues fails here too."""
    if shutil.which("xgettext") is None:
        pytest.skip("GNU gettext (xgettext) is not installed")
    copy = tmp_path_factory.mktemp("source")
    shutil.copy2(ROOT / "manage.py", copy / "manage.py")
    for name in SOURCE_DIRS:
        shutil.copytree(ROOT / name, copy / name, ignore=shutil.ignore_patterns(
            "__pycache__", "*.pyc", "static", "migrations", "tests"))
    (copy / "locale").mkdir()
    env = {
        "PATH": "/usr/bin:/bin",
        "DJANGO_SETTINGS_MODULE": "portal.settings.test",
        "PYTHONPATH": str(copy),
        "HOME": str(copy),
    }
    languages = [arg for code in LANGUAGES for arg in ("-l", code)]
    result = subprocess.run(
        [sys.executable, "manage.py", "makemessages", *languages, "--no-location"],
        cwd=copy, env=env, capture_output=True, text=True, timeout=300, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    return {code: polib.pofile(str(copy / "locale" / code / "LC_MESSAGES" / "django.po"))
            for code in LANGUAGES}


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_catalogue_covers_every_string_in_the_source(extracted, language):
    committed = {_key(e): e for e in _catalogue(language) if not e.obsolete}
    missing = [
        e.msgid for e in extracted[language]
        if not e.obsolete and not (
            _key(e) in committed and _is_translated(committed[_key(e)])
            and "fuzzy" not in committed[_key(e)].flags
        )
    ]
    assert not missing, (
        f"strings without a {language} translation (run `make messages` and translate): "
        f"{missing}"
    )
