"""`manage.py seed_demo` compiles the translations before it names anything: run by hand
after `migrate` (without `make demo`, which compiles them first) it built the index
pages with English titles ("Branches", "Employers", "Collective agreements") on a
Finnish union, and the server then showed the whole site in English."""

from __future__ import annotations

import polib
import pytest
from django.core.management import call_command

from portal.branches.models import BranchIndexPage
from portal.union.models import Union


@pytest.mark.django_db
def test_seed_demo_compiles_the_catalogues_before_naming_the_pages(tmp_path, monkeypatch,
                                                                      settings):
    # A catalogue of its own (only .po, as in a fresh checkout: .mo files are not in git),
    # so the test neither needs nor touches the tree's compiled files.
    locale = tmp_path / "locale"
    (locale / "fi" / "LC_MESSAGES").mkdir(parents=True)
    catalogue = polib.POFile()
    catalogue.metadata = {"Content-Type": "text/plain; charset=UTF-8"}
    catalogue.append(polib.POEntry(msgid="Branches", msgstr="Osastot (koe)"))
    catalogue.save(str(locale / "fi" / "LC_MESSAGES" / "django.po"))
    monkeypatch.chdir(tmp_path)
    settings.LOCALE_PATHS = [locale]

    call_command("seed_demo", "--only", "pal", "--members", "12", "--branches", "1",
                 "--employers", "2", "--workplaces", "2", "--no-admin-index", "--port", "80")

    assert (locale / "fi" / "LC_MESSAGES" / "django.mo").exists()
    pal = Union.objects.get(slug="pal")
    assert BranchIndexPage.objects.for_union(pal).get().title == "Osastot (koe)"
