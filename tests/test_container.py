"""The container files: the Dockerfile passes hadolint, compose.yaml wires PostgreSQL, a
one-shot migration and the service with health checks. (No Docker engine runs here, so
the image itself is not built in CI.)"""

import shutil
import subprocess
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent


def test_dockerfile_passes_hadolint() -> None:
    hadolint = shutil.which("hadolint") or str(Path(sys.executable).parent / "hadolint")
    result = subprocess.run(
        [hadolint, "--no-color", str(ROOT / "Dockerfile")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_compose_runs_database_migration_and_service_with_health_checks() -> None:
    compose = yaml.safe_load((ROOT / "compose.yaml").read_text(encoding="utf-8"))
    services = compose["services"]
    assert set(services) == {"db", "migrate", "app", "feeds"}
    assert "healthcheck" in services["db"] and "healthcheck" in services["app"]
    assert services["migrate"]["depends_on"]["db"]["condition"] == "service_healthy"
    assert services["app"]["depends_on"]["migrate"]["condition"] == "service_completed_successfully"
    assert "readyz" in " ".join(services["app"]["healthcheck"]["test"])
    assert "nq57 db upgrade" in " ".join(services["migrate"]["command"])
    # The feed sync on a schedule, with the service's image and environment.
    assert "nq57 feeds sync" in " ".join(services["feeds"]["command"])
    assert services["feeds"]["environment"] == services["app"]["environment"]
    assert services["feeds"]["depends_on"]["migrate"]["condition"] == (
        "service_completed_successfully"
    )
