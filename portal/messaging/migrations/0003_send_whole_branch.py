from django.db import migrations, models

ACTIVE = {"active", "on_leave"}


def fill_whole_branch(apps, schema_editor):
    """Sends made before the column existed: whole branch when the stored audience names
    all active statuses and no workplace, employer or language."""
    BulletinSend = apps.get_model("messaging", "BulletinSend")
    for send in BulletinSend.objects.all().only("pk", "audience"):
        audience = send.audience or {}
        statuses = set(audience.get("statuses") or ACTIVE)
        whole = statuses >= ACTIVE and not any(
            audience.get(key) for key in ("workplaces", "employers", "languages"))
        if whole:
            BulletinSend.objects.filter(pk=send.pk).update(whole_branch=True)


class Migration(migrations.Migration):

    dependencies = [
        ("messaging", "0002_send_cancellation"),
    ]

    operations = [
        migrations.AddField(
            model_name="bulletinsend",
            name="whole_branch",
            field=models.BooleanField(default=False, verbose_name="whole branch"),
        ),
        migrations.RunPython(fill_whole_branch, migrations.RunPython.noop),
    ]
