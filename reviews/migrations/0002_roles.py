"""Create the Reviewer, Editor and Admin groups with their permissions (reviews.permissions.ROLE_PERMISSIONS)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

# Frozen copy: a migration must not change when the live module does.
ROLE_PERMISSIONS = {
    "Reviewer": ["reviews.rate_statements"],
    "Editor": [
        "articles.view_article",
        "reviews.assign_statements",
        "reviews.settle_statements",
        "articles.curate_statements",
    ],
    "Admin": [
        "articles.view_article",
        "reviews.assign_statements",
        "reviews.settle_statements",
        "articles.curate_statements",
        "articles.import_articles",
    ],
}


def create_roles(apps, schema_editor):
    # Permissions are normally created after all migrations; we need them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for role, perms in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=role)
        for dotted in perms:
            app_label, codename = dotted.split(".")
            group.permissions.add(Permission.objects.get(content_type__app_label=app_label, codename=codename))


def remove_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=ROLE_PERMISSIONS).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("reviews", "0001_initial"),
        ("articles", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]
    operations = [migrations.RunPython(create_roles, remove_roles)]
