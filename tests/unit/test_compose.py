"""docker-compose.yml parses, wires the desk's services together and exposes nothing open."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[2]


def _compose() -> dict[str, Any]:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())  # type: ignore[no-any-return]


def test_compose_names_every_service_and_points_them_at_redis_and_postgres() -> None:
    services = _compose()["services"]
    assert {"redis", "postgres", "web", "worker", "beat", "flower"} <= set(services)
    for name in ("web", "worker", "beat"):
        env = services[name]["environment"]
        assert env["REDIS_URL"].startswith("redis://redis:")
        assert "@postgres:5432/" in env["DATABASE_URL"]
        assert set(services[name]["depends_on"]) == {"redis", "postgres"}
    assert "gunicorn" in " ".join(services["web"]["command"])
    worker = " ".join(services["worker"]["command"])
    assert "-Q mt,default" in worker and "worker" in worker
    assert "beat" in services["beat"]["command"]
    assert "noeviction" in services["redis"]["command"]
    assert (ROOT / "Dockerfile").read_text().count("torch==2.13.0") == 1


def test_no_service_publishes_a_port_beyond_this_machine() -> None:
    services = _compose()["services"]
    published = {name: svc.get("ports", []) for name, svc in services.items()}
    for name, ports in published.items():
        for port in ports:
            assert str(port).startswith("127.0.0.1:"), f"{name} publishes {port} to the world"
    assert published["redis"] == [] and published["postgres"] == []


def test_flower_asks_for_a_password_from_the_environment() -> None:
    flower = _compose()["services"]["flower"]
    auth = flower["environment"]["FLOWER_BASIC_AUTH"]
    assert auth.startswith("${FLOWER_BASIC_AUTH:?"), "no default password: compose must refuse"


def test_the_image_and_compose_run_the_web_as_production_with_a_public_url() -> None:
    env = _compose()["services"]["web"]["environment"]
    assert env["LINGUADESK_ENV"] == "production"
    assert env["LINGUADESK_PUBLIC_URL"].startswith("${LINGUADESK_PUBLIC_URL:?")
    assert "LINGUADESK_ENV=production" in (ROOT / "Dockerfile").read_text()
