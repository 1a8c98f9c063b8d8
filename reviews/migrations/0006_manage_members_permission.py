"""Create the manage_members permission (add desk members, change their roles) and give it to Admin.

It lives on the Assignment content type without being declared in Assignment.Meta, so no schema
migration changes; reviews.services.roles_ensure recreates it after a flush."""

from django.db import migrations

# Frozen copy: a migration must not change when reviews.permissions does.
APP_LABEL, MODEL, CODENAME = "reviews", "assignment", "manage_members"
NAME = "Can add desk members and change their roles"
GROUPS = ["Admin"]


def grant(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    Group = apps.get_model("auth", "Group")
    content_type, _ = ContentType.objects.get_or_create(app_label=APP_LABEL, model=MODEL)
    permission, _ = Permission.objects.get_or_create(
        content_type=content_type, codename=CODENAME, defaults={"name": NAME}
    )
    for name in GROUPS:
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.add(permission)


def revoke(apps, schema_editor):
    apps.get_model("auth", "Permission").objects.filter(
        content_type__app_label=APP_LABEL, content_type__model=MODEL, codename=CODENAME
    ).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("reviews", "0005_team_summary"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]
    operations = [migrations.RunPython(grant, revoke)]
