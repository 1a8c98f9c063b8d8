"""Move the manage_members permission from reviews' Assignment content type (where it hung undeclared) to
accounts.Member, which declares it; every group that held the old one gets the new one."""

from django.db import migrations

CODENAME = "manage_members"
NAME = "Can add desk members and change their roles"


def _permission(apps, app_label, model):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    content_type, _ = ContentType.objects.get_or_create(app_label=app_label, model=model)
    permission, _ = Permission.objects.get_or_create(
        content_type=content_type, codename=CODENAME, defaults={"name": NAME}
    )
    return permission


def _move(apps, *, src, dst):
    Permission = apps.get_model("auth", "Permission")
    Group = apps.get_model("auth", "Group")
    new = _permission(apps, *dst)
    old = Permission.objects.filter(content_type__app_label=src[0], content_type__model=src[1], codename=CODENAME)
    holders = Group.objects.filter(permissions__in=old).distinct()
    if not old.exists():
        # A fresh database: the Admin role gets it here, as migration reviews.0006 did before.
        holders = Group.objects.filter(name="Admin")
    for group in holders:
        group.permissions.add(new)
    old.delete()


def forward(apps, schema_editor):
    _move(apps, src=("reviews", "assignment"), dst=("accounts", "member"))


def backward(apps, schema_editor):
    _move(apps, src=("accounts", "member"), dst=("reviews", "assignment"))


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("reviews", "0006_manage_members_permission"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]
    operations = [migrations.RunPython(forward, backward)]
