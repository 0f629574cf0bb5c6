"""Erasing a person, and the retention setting and job (issue 17 item 4).

`erase_person` runs the registry's plan in one transaction: a failure anywhere leaves
everything as it was (also the search index: its deletion is queued in the outbox, in
the same transaction). Each erasure is audited under the person's new pseudonym and
leaves an `ErasureRecord` (counts, no personal data).
"""

from __future__ import annotations

import datetime as dt
import logging
import secrets

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from portal.access.roles import is_admin, is_staff
from portal.audit.log import record
from portal.audit.models import AuditAction, AuditEntry
from portal.people.models import MembershipStatus, Person
from portal.privacy import registry
from portal.union.models import Role

from . import engine, plan
from .models import ErasureRecord, RetentionPolicy

log = logging.getLogger(__name__)


class ErasureRefused(PermissionDenied):
    pass


def check_allowed(*, person: Person, acting_user) -> None:
    """Staff and admins of the person's union; not themself; a staff or admin account
    only by a union admin; never a platform operator's account."""
    union = person.union
    if acting_user is None or acting_user.union_id != union.pk \
            or not is_staff(acting_user, union):
        raise ErasureRefused("not staff of the person's union")
    if person.user_id is None:
        return
    if person.user_id == acting_user.pk:
        raise ErasureRefused("one's own profile")
    account = person.user
    if account.is_superuser or getattr(account, "is_platform_operator", False):
        raise ErasureRefused("a platform operator's account")
    if {Role.STAFF, Role.ADMIN} & set(account.groups.filter(union_role__union=union)
                                      .values_list("union_role__role", flat=True)) \
            and not is_admin(acting_user, union):
        raise ErasureRefused("a staff account, by someone who is not an admin")


def new_pseudonym() -> str:
    return f"erased-{secrets.token_hex(8)}"


def _erase(*, person: Person, acting_user, reason: str) -> ErasureRecord:
    locked = Person.objects.select_for_update(of=("self",)).select_related("union", "user").get(
        pk=person.pk, anonymised_at__isnull=True)
    pseudonym = new_pseudonym()
    steps = plan.build(locked)
    counts = engine.run(steps, pseudonym=pseudonym)
    titles = {d.label: plan.title_of(d) for d in registry.declarations()}
    erasure = ErasureRecord.objects.create(
        union=locked.union, pseudonym=pseudonym, reason=reason,
        erased_by=acting_user if getattr(acting_user, "pk", None) else None,
        counts=[{"model": label, "title": titles.get(label, label), **n}
                for label, n in counts.items()])
    # The entry names the pseudonym, not the person (whose id now belongs to the stub).
    AuditEntry.objects.create(
        union=locked.union, actor_id=getattr(acting_user, "pk", None),
        action=AuditAction.ERASE, target=f"erasure:{erasure.pk}", person_pseudonym=pseudonym,
        fields=list(counts))
    return erasure


@transaction.atomic
def erase_person(*, person: Person, acting_user, reason: str = ErasureRecord.Reason.REQUEST
                 ) -> ErasureRecord:
    """Erase a person now (irreversible). The caller has had staff confirm the plan
    and pass a fresh second step; this checks the rights again."""
    check_allowed(person=person, acting_user=acting_user)
    return _erase(person=person, acting_user=acting_user, reason=reason)


@transaction.atomic
def set_retention(*, union, enabled: bool, years: int, acting_user) -> RetentionPolicy:
    if not is_admin(acting_user, union):
        raise PermissionDenied
    policy, _created = RetentionPolicy.objects.select_for_update().get_or_create(union=union)
    policy.enabled, policy.years_after_membership_end = enabled, years
    policy.updated_by = acting_user
    policy.save()
    record(actor=acting_user, union=union, action=AuditAction.EDIT,
           target="erasure:retention", fields=["enabled", "years_after_membership_end"])
    return policy


def due_for_retention(union, *, today: dt.date | None = None):
    """Former members of the union whose retention period has ended: resigned, their
    membership valid until more than the policy's years ago. Staff and admin accounts'
    profiles are left to a person (an admin erases them by hand)."""
    policy = RetentionPolicy.objects.filter(union=union, enabled=True).first()
    if policy is None:
        return Person.objects.none()
    today = today or timezone.localdate()
    try:
        ended_before = today.replace(year=today.year - policy.years_after_membership_end)
    except ValueError:  # 29 February
        ended_before = today.replace(year=today.year - policy.years_after_membership_end,
                                     day=28)
    return (Person.objects.for_union(union)
            .filter(anonymised_at__isnull=True, membership_status=MembershipStatus.RESIGNED,
                    membership_valid_until__lt=ended_before)
            .exclude(user__groups__union_role__role__in=(Role.STAFF, Role.ADMIN))
            .order_by("pk"))


def forget_stored_exports(*, now=None) -> int:
    """Stored access exports (a copy of a person's data) past their download days, and
    failed or stuck ones after 30 days, deleted (registry: retention "short")."""
    from portal.privacy.models import DOWNLOAD_DAYS, AccessExport

    now = now or timezone.now()
    deleted, _rows = AccessExport.objects.filter(
        Q(finished_at__lt=now - dt.timedelta(days=DOWNLOAD_DAYS))
        | Q(requested_at__lt=now - dt.timedelta(days=30))).delete()
    return deleted


def apply_retention(*, today: dt.date | None = None) -> int:
    """The daily job: anonymise every union's people whose retention ended, each in its
    own transaction (one failure does not stop the rest; it is logged and retried the
    next day). Each is audited like an erasure, with the reason "retention". Stored
    access exports past their days go too."""
    from portal.union.models import Union

    forget_stored_exports()
    done = 0
    for union in Union.objects.filter(retention_policy__enabled=True):
        for person_id in list(due_for_retention(union, today=today)
                              .values_list("pk", flat=True)):
            try:
                with transaction.atomic():
                    person = Person.objects.get(pk=person_id)
                    _erase(person=person, acting_user=None,
                           reason=ErasureRecord.Reason.RETENTION)
                done += 1
            except Exception:
                log.exception("retention: could not anonymise person %s", person_id)
    return done
