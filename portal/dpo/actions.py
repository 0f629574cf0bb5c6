"""Designating the union's data protection officers and its one setting. Union admins only
(checked by the views); every change is audited as a grant or revoke."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from portal.audit.log import AuditAction, record

from .models import DataProtectionOfficer, DpoSettings


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
    return settings
