"""Writes on bulletins from the front end: draft, edit, publish. Each checks the
acting user's page rights through Wagtail's policy (positions of trust included)."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from portal.audit.log import AuditAction, record

from .models import BranchPage, BulletinPage
from .sanitize import sanitize_bulletin_html

EDITABLE_FIELDS = ("title", "summary", "date", "body")


def _unique_slug(parent, title: str) -> str:
    base = slugify(title)[:60] or "bulletin"
    slug, n = base, 1
    siblings = parent.get_children()
    while siblings.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


def _clean_values(values: dict) -> dict:
    values = {k: v for k, v in values.items() if k in EDITABLE_FIELDS}
    if "body" in values:
        values["body"] = sanitize_bulletin_html(values["body"])
    if "title" in values and not str(values["title"]).strip():
        raise ValidationError(_("A bulletin needs a title."))
    return values


@transaction.atomic
def create_bulletin(
    *, branch: BranchPage, acting_user, title: str, body: str, summary: str = "",
    date: dt.date | None = None,
) -> BulletinPage:
    """A draft bulletin under `branch`; needs the add right on the branch page."""
    if not branch.permissions_for_user(acting_user).can_add_subpage():
        raise PermissionDenied
    values = _clean_values({"title": title, "body": body, "summary": summary})
    bulletin = BulletinPage(
        **values, date=date or timezone.localdate(), slug=_unique_slug(branch, title),
        union_id=branch.union_id, live=False, owner=acting_user,
    )
    branch.add_child(instance=bulletin)
    bulletin.save_revision(user=acting_user, log_action=True)
    record(actor=acting_user, union=branch.union, action=AuditAction.CREATE,
           target=f"bulletin:{bulletin.pk}", fields=sorted(values))
    return bulletin


@transaction.atomic
def update_bulletin(*, bulletin: BulletinPage, acting_user, values: dict) -> BulletinPage:
    """Save a new draft revision; the live version changes only when published."""
    if not bulletin.permissions_for_user(acting_user).can_edit():
        raise PermissionDenied
    values = _clean_values(values)
    draft = bulletin.get_latest_revision_as_object()
    for name, value in values.items():
        setattr(draft, name, value)
    draft.full_clean()
    draft.save_revision(user=acting_user, log_action=True)
    record(actor=acting_user, union=bulletin.union, action=AuditAction.EDIT,
           target=f"bulletin:{bulletin.pk}", fields=sorted(values))
    return draft


def latest_draft(bulletin: BulletinPage) -> BulletinPage:
    return bulletin.get_latest_revision_as_object()


@transaction.atomic
def publish_bulletin(*, bulletin: BulletinPage, acting_user) -> BulletinPage:
    """Publish the latest revision; needs the publish right, and when the branch has an
    approval workflow the bulletin must go through it instead (see messaging.rules)."""
    from portal.messaging.rules import workflow_of

    if not bulletin.permissions_for_user(acting_user).can_publish():
        raise PermissionDenied
    if workflow_of(bulletin) is not None:
        raise ValidationError(_("This branch's bulletins are published through approval."))
    revision = bulletin.get_latest_revision() or bulletin.save_revision(user=acting_user)
    revision.publish(user=acting_user)
    bulletin.refresh_from_db()
    record(actor=acting_user, union=bulletin.union, action=AuditAction.EDIT,
           target=f"bulletin:{bulletin.pk}", fields=["live"])
    return bulletin
