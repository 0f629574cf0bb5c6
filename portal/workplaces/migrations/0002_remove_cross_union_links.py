"""Remove links from a union's pages into another union (issue 12, item 2).

The editor used to offer every union's agreements and images. An employer linked to
another union's collective agreement made that agreement page list this union's
employer: such links are removed from the live relation and from the employers'
pending drafts, which would otherwise bring them back when published. A union page's
logo from another union's collection is cleared. On PostgreSQL a trigger then refuses
any new row of the relation that joins two unions, whatever code writes it.
"""

from django.db import migrations
from django.db.models import F


def remove_cross_union_links(apps, schema_editor):
    EmployerPage = apps.get_model("workplaces", "EmployerPage")
    CollectiveAgreementPage = apps.get_model("agreements", "CollectiveAgreementPage")
    Revision = apps.get_model("wagtailcore", "Revision")
    ContentType = apps.get_model("contenttypes", "ContentType")

    through = EmployerPage.agreements.through
    through.objects.exclude(
        employerpage__union_id=F("collectiveagreementpage__union_id")
    ).delete()

    content_type = ContentType.objects.filter(app_label="workplaces", model="employerpage").first()
    if content_type is None:
        return
    agreement_union = dict(CollectiveAgreementPage.objects.values_list("pk", "union_id"))
    drafts = EmployerPage.objects.filter(
        has_unpublished_changes=True, latest_revision__isnull=False
    ).values_list("latest_revision_id", "union_id")
    for revision_id, union_id in drafts.iterator():
        revision = Revision.objects.filter(pk=revision_id).only("content").first()
        ids = (revision.content or {}).get("agreements") if revision else None
        if not ids:
            continue
        kept = [pk for pk in ids if agreement_union.get(pk) == union_id]
        if kept != ids:
            revision.content["agreements"] = kept
            revision.save(update_fields=["content"])


CREATE_TRIGGER = """
CREATE OR REPLACE FUNCTION employer_agreement_same_union() RETURNS trigger AS $$
BEGIN
    IF (SELECT union_id FROM workplaces_employerpage WHERE page_ptr_id = NEW.employerpage_id)
       IS DISTINCT FROM
       (SELECT union_id FROM agreements_collectiveagreementpage
        WHERE page_ptr_id = NEW.collectiveagreementpage_id) THEN
        RAISE EXCEPTION 'an employer and its collective agreement belong to one union'
            USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER employer_agreement_same_union
    BEFORE INSERT OR UPDATE ON workplaces_employerpage_agreements
    FOR EACH ROW EXECUTE FUNCTION employer_agreement_same_union();
"""
DROP_TRIGGER = """
DROP TRIGGER IF EXISTS employer_agreement_same_union ON workplaces_employerpage_agreements;
DROP FUNCTION IF EXISTS employer_agreement_same_union();
"""


def create_trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE_TRIGGER)


def drop_trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP_TRIGGER)


def clear_foreign_logos(apps, schema_editor):
    Union = apps.get_model("union", "Union")
    UnionPage = apps.get_model("union", "UnionPage")
    Collection = apps.get_model("wagtailcore", "Collection")
    for union in Union.objects.all():
        roots = Collection.objects.filter(
            group_permissions__group__union_role__union=union,
            group_permissions__group__union_role__role="admin",
        ).values_list("path", flat=True).distinct()
        page = UnionPage.objects.filter(pk=union.root_page_id, logo__isnull=False).first()
        if page is None:
            continue
        if not any(page.logo.collection.path.startswith(path) for path in roots):
            UnionPage.objects.filter(pk=page.pk).update(logo=None)


class Migration(migrations.Migration):
    dependencies = [
        ("workplaces", "0001_initial"),
        ("agreements", "0002_initial"),
        ("wagtailcore", "0097_baselogentry_uuid_action_timestamp_indexes"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("union", "0002_unionsettings"),
        ("wagtailimages", "0027_image_description"),
    ]

    operations = [
        migrations.RunPython(remove_cross_union_links, migrations.RunPython.noop),
        migrations.RunPython(clear_foreign_logos, migrations.RunPython.noop),
        migrations.RunPython(create_trigger, drop_trigger),
    ]
