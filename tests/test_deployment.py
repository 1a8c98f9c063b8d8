"""Deployment files stay valid and true to how the app runs."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
IN_CI = os.environ.get("CI", "").lower() == "true"


def compose_command() -> list[str] | None:
    if shutil.which("docker-compose"):
        return ["docker-compose"]
    if shutil.which("docker") and subprocess.run(["docker", "compose", "version"], capture_output=True).returncode == 0:
        return ["docker", "compose"]
    return None


def test_docker_compose_file_is_valid():
    command = compose_command()
    if command is None:
        if IN_CI:
            pytest.fail("CI installs docker-compose to validate docker-compose.yml")
        pytest.skip("no docker compose client here")
    result = subprocess.run(
        [*command, "-f", str(ROOT / "docker-compose.yml"), "config"],
        capture_output=True,
        text=True,
        env=os.environ | {"SECRET_KEY": "x" * 50},
        cwd=ROOT,
    )
    assert result.returncode == 0, result.stderr
    config = yaml.safe_load(result.stdout)
    services = config["services"]
    assert {
        "postgres",
        "redis",
        "web",
        "beat",
        "worker-imports",
        "worker-summaries",
        "worker-maintenance",
        "worker-matching",
    } <= set(services)
    # Every queue tasks are routed to has a worker consuming it.
    from factcheck.celery_app import all_queues

    def consumed(service):
        command = services[service]["command"]
        command = command if isinstance(command, list) else command.split()
        return set(command[command.index("-Q") + 1].split(","))

    workers = [name for name in services if name.startswith("worker-")]
    assert set(all_queues("factcheck")) <= set().union(*(consumed(name) for name in workers))
    web_command = config["services"]["web"]["command"]
    assert "migrate" in (" ".join(web_command) if isinstance(web_command, list) else web_command)


def test_production_settings_refuse_a_missing_secret_key():
    result = subprocess.run(
        [sys.executable, "-c", "import factcheck.settings.production"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={k: v for k, v in os.environ.items() if k != "SECRET_KEY"},
    )
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_the_web_service_runs_gunicorn_with_a_timeout_a_streamed_export_fits_in():
    """gunicorn kills a sync worker streaming longer than its timeout; its default 30 s cut the export."""
    import runpy

    settings = runpy.run_path(str(ROOT / "gunicorn.conf.py"))
    assert settings["timeout"] >= 120 and settings["workers"] >= 2
    dockerfile = (ROOT / "Dockerfile").read_text()
    cmd = next(line for line in dockerfile.splitlines() if line.startswith("CMD "))
    assert '"--config", "gunicorn.conf.py"' in cmd and "--timeout" not in cmd
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    assert "--config gunicorn.conf.py" in compose["services"]["web"]["command"]
