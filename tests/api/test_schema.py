"""The OpenAPI schema is generated from the code and must match the committed openapi.yaml, so a change to the
API shows in review as a change to its contract. After changing the API, regenerate it:

    python manage.py spectacular --file openapi.yaml
"""

from pathlib import Path

import pytest
import yaml
from django.core.management import call_command
from django.urls import reverse

ROOT = Path(__file__).resolve().parents[2]
COMMITTED = ROOT / "openapi.yaml"


def test_the_generated_schema_matches_the_committed_openapi_yaml(tmp_path):
    generated = tmp_path / "openapi.yaml"
    # --validate checks it against the OpenAPI 3 meta-schema; --fail-on-warn keeps every operation described.
    call_command("spectacular", "--file", str(generated), "--validate", "--fail-on-warn")
    assert generated.read_text() == COMMITTED.read_text(), (
        "The API changed but openapi.yaml did not: run `python manage.py spectacular --file openapi.yaml`, "
        "review the difference and commit it."
    )


def test_every_v1_endpoint_is_in_the_schema():
    from factcheck.api.urls import v1

    paths = yaml.safe_load(COMMITTED.read_text())["paths"]
    for pattern in v1:
        route = "/api/v1/" + str(pattern.pattern).replace("<int:pk>", "{id}")
        assert route in paths, route


@pytest.mark.django_db
def test_the_docs_are_served_from_local_files_only(client):
    page = client.get(reverse("api:docs")).content.decode()
    assert "swagger-ui" in page and "cdn" not in page.lower() and "//unpkg" not in page
    assert '<script src="/static/drf_spectacular_sidecar/' in page
    schema = client.get(reverse("api:schema"))
    assert schema.status_code == 200 and b"openapi: 3" in schema.content
    redoc = client.get(reverse("api:redoc")).content.decode()
    assert "/static/drf_spectacular_sidecar/redoc" in redoc
    for outside in ("cdn", "googleapis", "gstatic", "unpkg"):
        assert outside not in redoc.lower() and outside not in page.lower()
