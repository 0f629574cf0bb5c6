"""A Wagtail draft of an employer or workplace page, saved before the register wrote the
page, must not bring the old values back when it is published (U-2.5).

The register writes page rows directly, without a revision, so when a revision is
published the fields the register changed since the last publish are those where the
live row differs from the draft. When the register wrote pages of the kind after the
draft was saved, for each field the draft would change:

- the draft did not change it (its value is that of the revision before it): the
  live value stays, whatever the flow;
- the draft changed it too, and the register wrote this page after the draft (its
  batch entry lists the page's key) changing the field (the live value is no longer
  the draft's base): the register's write is the later change, so its (live) value
  stays; both ways, both versions go into a `Conflict`, as for people. Any other
  change of the draft is published as it is.

A draft saved after the register's last write is a plain portal edit and is published
as it is.

It runs on `pre_save` of the two page models when the save makes a new revision live,
which is every way Wagtail publishes (the editor, scheduled publishing, workflows,
publishing an old revision), and on no other save.
"""

from __future__ import annotations

from django.db.models.signals import pre_save

from portal.audit.models import AuditEntry
from portal.union.models import UnionSettings
from portal.workplaces.models import EmployerPage, WorkplacePage

from .models import Conflict, Winner

_ADDRESS = ("street_address", "postal_code", "city")
# model → (kind, the register key's attribute, {attribute: the register field's name})
OWNED = {
    EmployerPage: ("employers", "business_id",
                   {"title": "name", "industry": "industry", **{n: n for n in _ADDRESS}}),
    WorkplacePage: ("workplaces", "register_id",
                    {"title": "name", **{n: n for n in _ADDRESS},
                     "employee_count": "employee_count"}),
}


def keep_register_values(sender, instance, raw=False, update_fields=None, **kwargs) -> None:
    if raw or instance.pk is None or not instance.live or instance.live_revision_id is None:
        return
    if update_fields is not None and "live_revision" not in update_fields:
        return  # e.g. save_revision() noting a new draft on the page row
    stored = sender.objects.filter(pk=instance.pk).first()
    if stored is None or stored.live_revision_id in (None, instance.live_revision_id):
        return  # a first publish, or not a publish at all
    kind, key_attr, owned = OWNED[sender]
    differ = [a for a in owned if getattr(instance, a) != getattr(stored, a)]
    revision = instance.live_revision
    writes = list(AuditEntry.objects.filter(
        union_id=instance.union_id, target__startswith=f"register:{kind}:",
        created_at__gt=revision.created_at).values_list("created_at", "fields"))
    if not differ or not writes:
        return  # the register wrote nothing of the kind since the draft: a plain publish
    key = getattr(stored, key_attr)
    # The batch entries list the keys they touched (the first thousand of a batch).
    this_page = max((at for at, keys in writes if key in (keys or ())), default=None)
    try:
        base = revision.get_previous().as_object()
    except revision.DoesNotExist:
        base = None
    one_way = UnionSettings.for_union(instance.union).register_one_way(kind)
    conflicts, kept = [], {}
    for attr in differ:
        draft, live = getattr(instance, attr), getattr(stored, attr)
        edited = base is None or draft != getattr(base, attr)
        if edited and (this_page is None or (base is not None and live == getattr(base, attr))):
            continue  # the draft's own change, to a field the register did not write
        if edited and not one_way:
            # Both changed it: the register's write is the later one.
            conflicts.append(Conflict(
                union_id=instance.union_id, kind=kind, key=key[:200], field=owned[attr],
                portal_value=_text(draft), portal_changed_at=revision.created_at,
                register_value=_text(live), register_changed_at=this_page,
                winner=Winner.REGISTER))
        setattr(instance, attr, live)
        kept[attr] = live
        if attr == "title":
            instance.draft_title = kept["draft_title"] = live
    Conflict.objects.bulk_create(conflicts)
    if kept:
        # The published revision says what is live, so the editor opens that.
        revision.content = {**revision.content, **kept}
        revision.save(update_fields=["content"])


def _text(value) -> str:
    return "" if value is None else str(value)


def connect() -> None:
    for model in OWNED:
        pre_save.connect(keep_register_values, sender=model,
                         dispatch_uid=f"register-drafts-{model.__name__}")
