"""All writes of the terms of use: drafting, editing and publishing a version (union
admins only) and an account accepting the current version (the account itself). Each
write is audited; a published version is never changed."""

from __future__ import annotations

import nh3
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.translation import gettext as _

from portal.access.roles import is_admin
from portal.audit.log import AuditAction, record

from .models import LANGUAGES, TermsAcceptance, TermsVersion
from .selectors import forget_current

# Draftail's output for FEATURES (models.py); everything else is dropped on save.
ALLOWED_TAGS = {"p", "br", "h2", "h3", "b", "strong", "i", "em", "a", "ul", "ol", "li"}
ALLOWED_ATTRIBUTES = {"a": {"href", "linktype", "id"}}


def sanitize(html: str) -> str:
    """No scripts, styles, event handlers or `javascript:` links, whatever was posted."""
    return nh3.clean(html or "", tags=ALLOWED_TAGS, clean_content_tags={"script", "style"},
                     attributes=ALLOWED_ATTRIBUTES, url_schemes={"http", "https", "mailto"},
                     link_rel=None).strip()


def _require_admin(acting_user, union) -> None:
    if acting_user is None or not is_admin(acting_user, union):
        raise PermissionDenied


def _target(version: TermsVersion) -> str:
    return f"terms:{version.pk}:v{version.number}"


@transaction.atomic
def create_draft(*, union, acting_user) -> TermsVersion:
    """A new draft, starting from the latest version's text. One draft at a time."""
    _require_admin(acting_user, union)
    versions = TermsVersion.objects.for_union(union).select_for_update()
    if versions.filter(published_at__isnull=True).exists():
        raise ValidationError(_("There is a draft already: edit or delete it first."))
    latest = versions.order_by("-number").first()
    number = (versions.aggregate(top=Max("number"))["top"] or 0) + 1
    version = TermsVersion.objects.create(
        union=union, number=number, created_by=acting_user,
        **{f"body_{code}": getattr(latest, f"body_{code}") if latest else ""
           for code in LANGUAGES})
    record(actor=acting_user, union=union, action=AuditAction.CREATE, target=_target(version),
           fields=["terms_of_use"])
    return version


def has_text(body: str) -> bool:
    """Whether the HTML has any text: the rich-text editor left empty sends "<p></p>"."""
    return bool(strip_tags(body or "").replace("&nbsp;", " ").strip())


@transaction.atomic
def update_draft(*, version: TermsVersion, values: dict[str, str], acting_user) -> TermsVersion:
    _require_admin(acting_user, version.union)
    version = TermsVersion.objects.select_for_update().get(pk=version.pk)
    if version.is_published:
        raise ValidationError(_("A published version cannot be changed. Make a new version."))
    changed = []
    for code in LANGUAGES:
        name = f"body_{code}"
        if name in values:
            body = sanitize(values[name])
            if not has_text(body):
                body = ""  # the editor's empty "<p></p>" is no text in that language
            if body != getattr(version, name):
                setattr(version, name, body)
                changed.append(name)
    if changed:
        version.save(update_fields=changed)
        record(actor=acting_user, union=version.union, action=AuditAction.EDIT,
               target=_target(version), fields=changed)
    return version


@transaction.atomic
def delete_draft(*, version: TermsVersion, acting_user) -> None:
    _require_admin(acting_user, version.union)
    version = TermsVersion.objects.select_for_update().get(pk=version.pk)
    if version.is_published:
        raise ValidationError(_("A published version cannot be deleted."))
    record(actor=acting_user, union=version.union, action=AuditAction.DELETE,
           target=_target(version), fields=["terms_of_use"])
    version.delete()


@transaction.atomic
def publish(*, version: TermsVersion, acting_user) -> TermsVersion:
    """Make the draft the current version: from the next request every account of the
    union is asked to accept it (the gate, middleware.py)."""
    union = version.union
    _require_admin(acting_user, union)
    version = TermsVersion.objects.select_for_update().get(pk=version.pk)
    if version.is_published:
        raise ValidationError(_("This version is published already."))
    if not has_text(getattr(version, f"body_{union.default_language}", "")):
        raise ValidationError(_("Write the terms at least in the union's language first."))
    version.published_at = timezone.now()
    version.published_by = acting_user
    version.save(update_fields=["published_at", "published_by"])
    record(actor=acting_user, union=union, action=AuditAction.EDIT, target=_target(version),
           fields=["published"])
    transaction.on_commit(lambda: forget_current(union.pk))
    return version


def accept(*, version: TermsVersion, acting_user) -> TermsAcceptance:
    """`acting_user` accepts `version` of their own union's terms (again: nothing new)."""
    if (acting_user is None or not acting_user.is_authenticated
            or acting_user.union_id != version.union_id or not version.is_published):
        raise PermissionDenied
    try:
        with transaction.atomic():
            acceptance = TermsAcceptance.objects.create(union_id=version.union_id,
                                                        version=version, user=acting_user)
            person = getattr(acting_user, "person", None)
            record(actor=acting_user, union=version.union, action=AuditAction.CREATE,
                   person=person, target=_target(version), fields=["terms_accepted"])
    except IntegrityError:
        # Two tabs accepting at once: the first one counts.
        acceptance = TermsAcceptance.objects.get(version=version, user=acting_user)
    return acceptance
