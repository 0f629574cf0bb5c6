"""Unions created before this app: their admin group may change their own site's brand
and link menu (new unions get this from themes.signals)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations


def grant(apps, schema_editor):
    # Permissions are normally made after migrate; make them now (the known recipe).
    config = apps.get_app_config("themes")
    config.models_module = True
    create_permissions(config, apps=apps, verbosity=0)
    config.models_module = None
    Permission = apps.get_model("auth", "Permission")
    GroupSitePermission = apps.get_model("wagtailcore", "GroupSitePermission")
    UnionRoleGroup = apps.get_model("union", "UnionRoleGroup")
    permissions = list(Permission.objects.filter(
        content_type__app_label="themes", codename__in=["change_brandsettings", "change_linkmenu"]
    ))
    for role_group in UnionRoleGroup.objects.filter(role="admin").select_related("union"):
        for permission in permissions:
            GroupSitePermission.objects.get_or_create(
                group_id=role_group.group_id, site_id=role_group.union.site_id,
                permission=permission,
            )


class Migration(migrations.Migration):
    dependencies = [
        ("themes", "0001_initial"),
        ("union", "0001_initial"),
        ("wagtailcore", "0097_baselogentry_uuid_action_timestamp_indexes"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
