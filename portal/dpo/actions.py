"""Designating the union's data protection officers and its one setting (union admins
only, checked by the views; audited as a grant or revoke), and the officers' breach
worksheets (every change audited with the fields it changed)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from portal.audit.log import AuditAction, record
from portal.union import sections

from .models import Alert, BreachWorksheet, DataProtectionOfficer, DpoSettings


@transaction.atomic
def designate(*, union, user, acting_user) -> DataProtectionOfficer:
    if user.union_id != union.pk or not user.is_active:
        raise ValidationError(_("Only an active account of this union can be designated."))
    officer, created = DataProtectionOfficer.objects.get_or_create(
        union=union, user=user, defaults={"designated_by": acting_user})
    if created:
        record(actor=acting_user, union=union, action=AuditAction.GRANT,
               target=f"dpo:user:{user.pk}")
    return officer


@transaction.atomic
def remove(*, officer: DataProtectionOfficer, acting_user) -> None:
    record(actor=acting_user, union=officer.union, action=AuditAction.REVOKE,
           target=f"dpo:user:{officer.user_id}")
    DataProtectionOfficer.objects.filter(pk=officer.pk).delete()


@transaction.atomic
def set_show_viewers(*, union, enabled: bool, acting_user) -> DpoSettings:
    settings, _created = DpoSettings.objects.get_or_create(union=union)
    if settings.show_viewers_to_members != enabled:
        settings.show_viewers_to_members = enabled
        settings.save(update_fields=["show_viewers_to_members"])
        record(actor=acting_user, union=union, action=AuditAction.EDIT,
               target="dpo:show_viewers_to_members", fields=[str(enabled).lower()])
        sections.invalidate(union.pk)  # the profile's link is a cached section of the union
    return settings


def worksheet_target(worksheet: BreachWorksheet) -> str:
    return f"dpo:worksheet:{worksheet.pk}"


def _check_union(union, *, account=None, alert: Alert | None = None) -> None:
    if account is not None and account.union_id != union.pk:
        raise ValidationError(_("Only an account of this union can be named."))
    if alert is not None and alert.union_id != union.pk:
        raise ValidationError(_("That alert is not this union's."))


@transaction.atomic
def start_worksheet(*, union, values: dict, acting_user, alert: Alert | None = None
                    ) -> BreachWorksheet:
    """A new worksheet (from `alert`, or without one). Audited as created, with the fields
    filled in."""
    _check_union(union, account=values.get("account"), alert=alert)
    worksheet = BreachWorksheet.objects.create(union=union, alert=alert,
                                               created_by=acting_user, **values)
    record(actor=acting_user, union=union, action=AuditAction.CREATE,
           target=worksheet_target(worksheet),
           fields=sorted(name for name, value in values.items() if value not in ("", None, [])))
    return worksheet


@transaction.atomic
def update_worksheet(*, worksheet: BreachWorksheet, values: dict, acting_user) -> list[str]:
    """Save what changed; audited as an edit naming the changed fields. Returns them."""
    _check_union(worksheet.union, account=values.get("account"))
    # Compared with the stored row: a model form has already set its values on `worksheet`.
    stored = BreachWorksheet.objects.select_for_update().get(pk=worksheet.pk)
    changed = sorted(name for name, value in values.items() if getattr(stored, name) != value)
    if changed:
        for name in changed:
            setattr(stored, name, values[name])
        stored.save(update_fields=[*changed, "updated_at"])
        record(actor=acting_user, union=worksheet.union, action=AuditAction.EDIT,
               target=worksheet_target(stored), fields=changed)
    return changed
