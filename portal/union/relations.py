"""A union's pages link only to the same union's pages, images and documents.

An organisation page's foreign keys and parental many-to-many fields (an employer's
collective agreements, the union page's logo, a workplace's employer) must not point
into another union: the other union's page would then list this union's rows, and the
link would show that union's content. Three guards, one list of fields:

- `TenantPageForm` (the Wagtail editor's form of every organisation page) offers only
  the union's pages and the images/documents of the union's collection;
- `check_relations()` (the pages' model `clean`, so every `full_clean` and Wagtail's
  `save_revision`) refuses a foreign target set on the instance;
- `refuse_foreign_m2m` (m2m_changed) refuses a foreign row written through either
  side's manager; on PostgreSQL a trigger on the relation's table
  (workplaces/migrations/0002) refuses it from any other code too (bulk_create, raw SQL).
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.models import Page

FOREIGN_TARGET = _("Choose only this union's own pages, images and documents.")


def _is_union_page(model) -> bool:
    from .tenancy import UnionOwnedPage

    return isinstance(model, type) and issubclass(model, UnionOwnedPage)


def _is_collection_member(model) -> bool:
    from wagtail.documents.models import AbstractDocument
    from wagtail.images.models import AbstractImage

    return isinstance(model, type) and issubclass(model, (AbstractImage, AbstractDocument))


def tenant_fields(model) -> list[models.Field]:
    """The fields of `model` whose targets belong to a union (its `union` column aside)."""
    return [
        field
        for field in model._meta.get_fields()
        if field.concrete
        and (field.many_to_one or field.many_to_many)
        and field.name != "union"
        and (_is_union_page(field.related_model) or _is_collection_member(field.related_model))
    ]


def scoped_targets(field: models.Field, union_id: int | None):
    """The rows `field` may point to in the union: its pages, or its collection's items."""
    target = field.related_model
    if union_id is None:
        return target._default_manager.none()
    if _is_union_page(target):
        return target._default_manager.filter(union_id=union_id)
    from wagtail.models import Collection

    from .models import Union

    root = Union.objects.get(pk=union_id).collection()
    paths = Collection.objects.filter(path__startswith=root.path).values("pk")
    return target._default_manager.filter(collection_id__in=paths)


def union_id_of_path(path: str | None) -> int | None:
    """The union whose tree holds the page at `path` (its root page is at depth 2)."""
    from .models import Union

    if not path or len(path) < Page.steplen * 2:
        return None
    root_path = path[: Page.steplen * 2]
    return Union.objects.filter(root_page__path=root_path).values_list("pk", flat=True).first()


def _chosen_ids(instance, field) -> list:
    if field.many_to_many:
        # Only what was set on the instance and not yet committed: what the database
        # holds already passed the m2m_changed guard.
        pending = getattr(instance, "_cluster_related_objects", {})
        if field.name not in pending:
            return []
        return [obj.pk if hasattr(obj, "pk") else obj for obj in pending[field.name]]
    value = getattr(instance, field.attname)
    return [value] if value is not None else []


def check_relations(instance, union_id: int | None) -> None:
    """Raise a ValidationError naming each field that points outside the union."""
    errors = {}
    for field in tenant_fields(type(instance)):
        ids = {pk for pk in _chosen_ids(instance, field) if pk is not None}
        if ids and scoped_targets(field, union_id).filter(pk__in=ids).count() != len(ids):
            errors[field.name] = ValidationError(FOREIGN_TARGET, code="foreign_union")
    if errors:
        raise ValidationError(errors)


def unlink_rich_text_outside(instance, union_id: int | None) -> None:
    """Its rich text fields refer to no page, document or image of another union."""
    from wagtail.fields import RichTextField

    from .richtext import unlink_outside

    for field in type(instance)._meta.concrete_fields:
        if isinstance(field, RichTextField):
            value = getattr(instance, field.attname)
            if value:
                setattr(instance, field.attname, unlink_outside(value, union_id))


def refuse_foreign_m2m(sender, instance, action, reverse, model, pk_set, **kwargs):
    """m2m_changed receiver: no row of the relation may join two unions."""
    if action != "pre_add" or not pk_set:
        return
    union_id = getattr(instance, "union_id", None)
    foreign = model._default_manager.filter(pk__in=pk_set).exclude(union_id=union_id)
    if union_id is None or foreign.exists():
        raise ValidationError(FOREIGN_TARGET, code="foreign_union")


def connect_m2m_guards() -> None:
    """Connect the guards to every many-to-many relation between two union pages."""
    from django.apps import apps
    from django.db.models.signals import m2m_changed

    for model in apps.get_models():
        if not _is_union_page(model):
            continue
        for field in model._meta.local_many_to_many:
            if _is_union_page(field.related_model):
                through = field.remote_field.through
                m2m_changed.connect(refuse_foreign_m2m, sender=through,
                                    dispatch_uid=f"tenant-m2m-{through._meta.label}")


class TenantPageForm(WagtailAdminPageForm):
    """The page editor's form: choices of pages, images and documents limited to the union."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        union_id = self.union_id()
        for field in tenant_fields(self._meta.model):
            form_field = self.fields.get(field.name)
            if form_field is not None and hasattr(form_field, "queryset"):
                queryset = scoped_targets(field, union_id)
                if _is_union_page(field.related_model):
                    queryset = queryset.order_by("title")
                form_field.queryset = queryset  # also resets the widget's choices

    def union_id(self) -> int | None:
        union_id = getattr(self.instance, "union_id", None)
        if union_id:
            return union_id
        return union_id_of_path(self.instance.path or getattr(self.parent_page, "path", None))
