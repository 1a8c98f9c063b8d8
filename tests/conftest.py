import os
from pathlib import Path

import pytest
from django.contrib.auth.models import Group

from factcheck.accounts.roles import Role
from factcheck.accounts.services import roles_ensure

from .brokers import OwnRedis
from .factories import UserFactory

SHARED = Path(__file__).resolve().parents[2] / "shared"
SEED_SAMPLE = SHARED / "samples" / "000_59948f7b3f7516a9.txt"
IN_CI = os.environ.get("CI", "").lower() == "true"


def pytest_configure(config):
    # In CI the real services must be used: a missing variable is an error, never a silent skip.
    if IN_CI:
        missing = [name for name in ("DATABASE_URL", "CELERY_BROKER_URL") if not os.environ.get(name)]
        if missing:
            raise pytest.UsageError(f"CI=true but {', '.join(missing)} is not set; .ci/run sets them.")


def pytest_collection_modifyitems(config, items):
    uses_postgres = os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://"))
    has_broker = bool(os.environ.get("CELERY_BROKER_URL"))
    for item in items:
        if "postgres" in item.keywords and not uses_postgres:
            item.add_marker(pytest.mark.skip(reason="needs PostgreSQL: set DATABASE_URL=postgres://..."))
        if "worker" in item.keywords and not (has_broker and uses_postgres):
            item.add_marker(
                pytest.mark.skip(reason="needs a broker and PostgreSQL: set CELERY_BROKER_URL and DATABASE_URL")
            )


def skip_unless_shared(path: Path) -> None:
    if not path.exists():
        if IN_CI:
            pytest.fail(f"{path} is missing; CI must have ../shared beside the checkout.")
        pytest.skip(f"{path} not found: the shared test data sits beside the checkout in development only.")


@pytest.fixture
def seed_bytes() -> bytes:
    skip_unless_shared(SEED_SAMPLE)
    return SEED_SAMPLE.read_bytes()


def _user_with_role(username: str, role: Role | None):
    user = UserFactory(username=username)
    if role:
        if not Group.objects.filter(name=role.value).exists():
            roles_ensure()  # transactional tests flush the groups the data migration made
        user.groups.add(Group.objects.get(name=role.value))
    return user


@pytest.fixture(autouse=True)
def _fresh_claim_memory():
    """Each test starts without this process's claim memory index: the database rolls back between tests, and an
    index still holding the last test's statements would suggest rows that are gone."""
    from articles.services import claim_memory

    claim_memory.forget()
    yield
    claim_memory.forget()


@pytest.fixture
def reviewer(db):
    return _user_with_role("rev_a", Role.REVIEWER)


@pytest.fixture
def other_reviewer(db):
    return _user_with_role("rev_b", Role.REVIEWER)


@pytest.fixture
def third_reviewer(db):
    return _user_with_role("rev_c", Role.REVIEWER)


@pytest.fixture
def editor(db):
    return _user_with_role("editor", Role.EDITOR)


@pytest.fixture
def admin_user(db):
    return _user_with_role("desk_admin", Role.ADMIN)


@pytest.fixture
def no_role_user(db):
    return _user_with_role("nobody", None)


def _client_for(client_class, user):
    c = client_class()
    c.force_login(user)
    return c


@pytest.fixture
def reviewer_client(reviewer):
    from django.test import Client

    return _client_for(Client, reviewer)


@pytest.fixture
def other_reviewer_client(other_reviewer):
    from django.test import Client

    return _client_for(Client, other_reviewer)


@pytest.fixture
def editor_client(editor):
    from django.test import Client

    return _client_for(Client, editor)


@pytest.fixture
def admin_client_role(admin_user):
    from django.test import Client

    return _client_for(Client, admin_user)


@pytest.fixture
def own_redis(tmp_path):
    """A Redis server of this test's own on a free port, to stop and start; never the shared one."""
    server = OwnRedis(tmp_path)
    server.start()
    yield server
    server.stop()


def signs_in(username: str, password: str, client=None) -> bool:
    """Sign in through the login page, as a person does (so login throttling sees it); True if it worked."""
    from django.test import Client
    from django.urls import reverse

    client = client or Client()
    response = client.post(reverse("login"), {"username": username, "password": password})
    return response.status_code == 302 and "_auth_user_id" in client.session
