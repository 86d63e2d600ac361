"""docker-compose.yml parses and wires the desk's services together."""

from __future__ import annotations

from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]


def test_compose_names_every_service_and_points_them_at_redis_and_postgres() -> None:
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    services = compose["services"]
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
