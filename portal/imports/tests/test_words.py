"""The import's counts read as one set in Swedish: 'Created' there was the audit log's
singular 'Skapad' beside the plurals 'Uppdaterade', 'Oförändrade', 'Avvisade' (found on
a walk through the demo's Norden union)."""

from __future__ import annotations

import pytest

from .files import csv_bytes
from .flow import _client, _columns, _job, _run, _text, _upload

pytestmark = pytest.mark.usefixtures("postgres")


def test_swedish_counts_are_plural(world, django_capture_on_commit_callbacks):
    world["a"].default_language = "sv"
    world["a"].save()
    client = _client(world["a"], world["staff"])
    client.cookies["django_language"] = "sv"
    job = _job(_upload(client, "p.csv", csv_bytes([["member_number", "first_name",
                                                    "last_name"], ["9301", "Åsa", "Ek"]])))
    _columns(client, job)
    _run(client, job, "import", django_capture_on_commit_callbacks)
    for url in (f"/admin/union-admin/imports/{job.pk}/", "/admin/union-admin/imports/"):
        text = _text(client.get(url))
        assert "Uppdaterade" in text, text[:400]
        assert "Skapade" in text and "Skapad " not in text + " "
