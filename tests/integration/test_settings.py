"""The web, the workers and the command line read one set of settings, the same way."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ENV = {
    "DATABASE_URL": "sqlite:///{tmp}/desk.db",
    "REDIS_URL": "redis://127.0.0.1:6379/9",
    "LINGUADESK_MODELS_DIR": "{tmp}/models",
    "LINGUADESK_SECRET_KEY": "k" * 40,
    "LINGUADESK_ENV": "production",
    "LINGUADESK_PUBLIC_URL": "https://news.example.org/",
    "LINGUADESK_TRUSTED_HOSTS": "news.example.org, desk.example.org",
    "LINGUADESK_TRUSTED_PROXIES": "1",
    "LINGUADESK_ROUTES": "en-es=apertium",
    "LINGUADESK_WEBHOOK_ALLOW": "127.0.0.1,10.0.0.0/8",
    "LINGUADESK_SESSION_IDLE_TIMEOUT": "2h",
    "LINGUADESK_SESSION_MAX_AGE": "3d",
    "LINGUADESK_TASK_TIME_LIMIT": "300",
    "LINGUADESK_QUEUE_PREFIX": "t-",
}

WEB = """
import json
from web import create_app
app = create_app()
c = app.config
print(json.dumps({"database_url": str(app.extensions["linguadesk.db"].engine.url),
                  "public_url": c["PUBLIC_URL"], "trusted_hosts": c["TRUSTED_HOSTS"],
                  "trusted_proxies": c["TRUSTED_PROXIES"], "secret_key": c["SECRET_KEY"],
                  "session_idle_timeout": c["SESSION_IDLE_TIMEOUT"].total_seconds(),
                  "session_max_age": c["SESSION_MAX_AGE"].total_seconds(),
                  "secure_cookies": c["SESSION_COOKIE_SECURE"]}))
"""

WORKER = """
import json
from workers.celery_app import celery, settings
from workers.routing import route_for
print(json.dumps({"broker": celery.conf.broker_url, "time_limit": celery.conf.task_time_limit,
                  "mt_queue": celery.conf.task_routes["linguadesk.translate"]["queue"],
                  "models_dir": str(settings.models_dir),
                  "route_en_es": route_for("en", "es", settings),
                  "webhook_allow": list(settings.webhook_allow)}))
"""


def _run(args: list[str], env: dict[str, str], cwd: Path) -> dict[str, object]:
    out = subprocess.run(args, env=env, cwd=cwd, capture_output=True, text=True, timeout=120,
                         check=True)
    return json.loads(out.stdout)  # type: ignore[no-any-return]


def test_web_worker_and_command_line_read_the_same_settings(tmp_path: Path) -> None:
    env = {**os.environ, **{k: v.format(tmp=tmp_path) for k, v in ENV.items()}}
    env["PYTHONPATH"] = str(Path.cwd())
    cli = _run([str(Path(sys.executable).parent / "linguadesk"), "settings"], env, tmp_path)
    web = _run([sys.executable, "-c", WEB], env, tmp_path)
    worker = _run([sys.executable, "-c", WORKER], env, tmp_path)

    assert cli["database_url"] == web["database_url"] == f"sqlite:///{tmp_path}/desk.db"
    assert cli["redis_url"] == worker["broker"] == "redis://127.0.0.1:6379/9"
    assert cli["models_dir"] == worker["models_dir"] == f"{tmp_path}/models"
    assert cli["public_url"] == web["public_url"] == "https://news.example.org"
    assert cli["trusted_hosts"] == web["trusted_hosts"] == ["news.example.org",
                                                           "desk.example.org"]
    assert cli["trusted_proxies"] == web["trusted_proxies"] == 1
    assert cli["secret_key"] == "(set)" and web["secret_key"] == "k" * 40
    assert cli["development"] is False and web["secure_cookies"] is True
    assert cli["session_idle_timeout"] == "2:00:00" and web["session_idle_timeout"] == 7200
    assert cli["session_max_age"] == "3 days, 0:00:00" and web["session_max_age"] == 3 * 86400
    assert cli["task_time_limit"] == worker["time_limit"] == 300
    assert worker["mt_queue"] == "t-mt"
    assert cli["routes"] == "en-es=apertium" and worker["route_en_es"] == ["apertium"]
    assert cli["webhook_allow"] == worker["webhook_allow"] == ["127.0.0.1", "10.0.0.0/8"]


def test_without_an_environment_the_defaults_are_the_readmes(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items()
           if not k.startswith("LINGUADESK_") and k not in ("DATABASE_URL", "REDIS_URL")}
    cli = _run([str(Path(sys.executable).parent / "linguadesk"), "settings"], env, tmp_path)
    assert cli["database_url"] == "sqlite:///instance/linguadesk.db"
    assert cli["redis_url"] == "redis://127.0.0.1:6379/0"
    assert cli["models_dir"] == "instance/models"
    assert cli["ct2_cache_dir"] == "instance/models/.ct2"
    assert cli["development"] is False and cli["public_url"] is None
    assert cli["secret_key"] is None and cli["trusted_proxies"] == 0
    assert (cli["lease_seconds"], cli["task_time_limit"], cli["max_attempts"]) == (600, 540, 5)
    assert cli["session_idle_timeout"] == "8:00:00"
    assert cli["session_max_age"] == "7 days, 0:00:00"
