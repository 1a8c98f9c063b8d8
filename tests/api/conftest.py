import pytest
from django.core.cache import cache
from rest_framework.test import APIClient

from factcheck.api.services.tokens import token_create


@pytest.fixture(autouse=True)
def fresh_throttle_counts():
    # Throttle counts live in the default cache, which outlives a test; each test starts with full budgets.
    cache.clear()
    yield
    cache.clear()


def token_client(user, name="tests") -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {token_create(user=user, name=name).raw}")
    return client


@pytest.fixture
def anon_api():
    return APIClient()


@pytest.fixture
def reviewer_api(reviewer):
    return token_client(reviewer)


@pytest.fixture
def other_reviewer_api(other_reviewer):
    return token_client(other_reviewer)


@pytest.fixture
def editor_api(editor):
    return token_client(editor)


@pytest.fixture
def admin_api(admin_user):
    return token_client(admin_user)
