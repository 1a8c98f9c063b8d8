"""Safe by default: a Content-Security-Policy that forbids inline script, and templates that need none."""

import re
from pathlib import Path

import pytest
from django.urls import reverse

TEMPLATES = Path(__file__).resolve().parents[1] / "templates"


@pytest.mark.django_db
def test_pages_forbid_inline_scripts_and_framing(client, editor_client):
    for response in (client.get(reverse("login")), editor_client.get(reverse("reviews:overview"))):
        policy = response["Content-Security-Policy"]
        assert "script-src 'self'" in policy and "'unsafe-inline'" not in policy.split("script-src")[1].split(";")[0]
        assert "frame-ancestors 'none'" in policy and "object-src 'none'" in policy


def test_templates_have_no_inline_handlers_or_scripts():
    offenders = []
    for path in TEMPLATES.rglob("*.html"):
        text = path.read_text()
        if re.search(r"\son[a-z]+\s*=", text):
            offenders.append(f"{path.name}: inline event handler")
        for tag in re.findall(r"<script\b[^>]*>", text):
            if "src=" not in tag and "application/ld+json" not in tag:
                offenders.append(f"{path.name}: inline <script>")
    assert offenders == []
