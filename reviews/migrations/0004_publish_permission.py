"""Give the Editor and Admin groups the permission to publish fact-check reports."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

# Frozen copy: a migration must not change when reviews.permissions does.
PERMISSION = ("reviews", "publish_reports")
GROUPS = ["Editor", "Admin"]


def grant(apps, schema_editor):
    # Permissions are normally created after all migrations; the new one is needed now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    permission = Permission.objects.get(content_type__app_label=PERMISSION[0], codename=PERMISSION[1])
    for name in GROUPS:
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.add(permission)


def revoke(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    permission = Permission.objects.filter(content_type__app_label=PERMISSION[0], codename=PERMISSION[1]).first()
    if permission:
        for group in apps.get_model("auth", "Group").objects.filter(name__in=GROUPS):
            group.permissions.remove(permission)


class Migration(migrations.Migration):
    dependencies = [("reviews", "0003_reports")]
    operations = [migrations.RunPython(grant, revoke)]
