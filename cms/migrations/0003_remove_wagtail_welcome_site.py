"""Remove Wagtail's "Welcome to your new Wagtail site!" page and its site.

Each organisation brings its own site and home page (cms.services.organisation_create);
the welcome site would otherwise answer on localhost:80 beside them.
"""

from django.db import migrations


def remove_welcome_site(apps, schema_editor):
    Page = apps.get_model("wagtailcore", "Page")
    Site = apps.get_model("wagtailcore", "Site")
    welcome = Page.objects.filter(
        depth=2,
        slug="home",
        content_type__model="page",
        content_type__app_label="wagtailcore",
    ).first()
    if welcome is None:
        return
    Site.objects.filter(root_page=welcome).delete()
    root = Page.objects.get(depth=1)
    welcome.delete()
    root.numchild = Page.objects.filter(depth=2).count()
    root.save(update_fields=["numchild"])


class Migration(migrations.Migration):
    dependencies = [
        ("cms", "0002_link_contact_blocks"),
        ("wagtailcore", "0002_initial_data"),
    ]

    operations = [migrations.RunPython(remove_welcome_site, migrations.RunPython.noop)]
