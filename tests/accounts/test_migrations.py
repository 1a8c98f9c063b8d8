"""Moving permissions onto the models they are about keeps every group's rights."""

import pytest

from tests.migrating import migrate_to, migrate_to_latest

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("reviews", "0008_events_into_audit"), ("accounts", "0001_initial")]
AFTER = [("reviews", "0009_settle_permission_on_statement_summary"), ("accounts", "0002_manage_members_permission")]


@pytest.fixture
def old_schema():
    apps = migrate_to(BEFORE)
    yield apps
    migrate_to_latest()


def held(apps, group_name):
    group = apps.get_model("auth", "Group").objects.get(name=group_name)
    return sorted(
        f"{p.content_type.app_label}.{p.content_type.model}.{p.codename}"
        for p in group.permissions.select_related("content_type")
        if p.codename in {"manage_members", "settle_statements"}
    )


def test_groups_keep_manage_members_and_settle_when_they_move_to_their_own_models(old_schema):
    Group = old_schema.get_model("auth", "Group")
    Permission = old_schema.get_model("auth", "Permission")
    desk_lead = Group.objects.create(name="Desk lead")  # a group a desk made itself
    desk_lead.permissions.add(Permission.objects.get(codename="manage_members"))
    assert held(old_schema, "Admin") == ["reviews.assignment.manage_members", "reviews.assignment.settle_statements"]

    new = migrate_to(AFTER)
    assert held(new, "Admin") == ["accounts.member.manage_members", "reviews.statementsummary.settle_statements"]
    assert held(new, "Editor") == ["reviews.statementsummary.settle_statements"]
    assert held(new, "Desk lead") == ["accounts.member.manage_members"]
    assert (
        not new.get_model("auth", "Permission")
        .objects.filter(content_type__model="assignment", codename__in=["manage_members", "settle_statements"])
        .exists()
    )
