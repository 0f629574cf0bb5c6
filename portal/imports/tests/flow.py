"""Steps of the import flow as a signed-in client takes them."""

from __future__ import annotations

import re

from django.test import Client

from portal.imports.models import ImportJob


def _client(union, user):
    client = Client(HTTP_HOST=union.site.hostname)
    client.force_login(user)
    return client


def _upload(client, name, data, kind="people"):
    return client.post("/admin/union-admin/imports/new/",
                       {"kind": kind, "file": _file(name, data)})


def _file(name, data):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, data)


def _job(response) -> ImportJob:
    assert response.status_code == 302, response.content.decode()[:3000]
    pk = int(re.search(r"/imports/(\d+)/", response["Location"]).group(1))
    return ImportJob.objects.get(pk=pk)


def _columns(client, job, mapping=None):
    mapping = job.mapping if mapping is None else mapping
    return client.post(f"/admin/union-admin/imports/{job.pk}/columns/",
                       {f"column_{i}": field for i, field in enumerate(mapping)})


def _run(client, job, run, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/admin/union-admin/imports/{job.pk}/start/", {"run": run})
    assert response.status_code == 302
    job.refresh_from_db()
    return job


def _text(response) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", response.content.decode()).split())


def urls(pk):
    base = f"/admin/union-admin/imports/{pk}/"
    return [base, base + "columns/", base + "preview/", base + "status/",
            base + "rejected.csv", base + "rejected.xlsx"]
