# A staff member's title is their job title, not a heading (issue 12, item 18).

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("union", "0002_unionsettings"),
    ]

    operations = [
        migrations.AlterField(
            model_name="unionstaffmember",
            name="title",
            field=models.CharField(max_length=200, verbose_name="job title"),
        ),
    ]
