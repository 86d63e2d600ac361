"""The domain stays free of Flask, Celery and transformers."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import workflow

FORBIDDEN = ("flask", "celery", "transformers", "torch", "werkzeug", "kombu")


def test_workflow_imports_no_web_queue_or_ml_framework() -> None:
    root = Path(workflow.__file__).parent
    modules = sorted(
        "workflow." + ".".join(p.relative_to(root).with_suffix("").parts)
        for p in root.rglob("*.py")
        if "migrations" not in p.parts and p.name != "__init__.py"
    )
    code = (
        "import importlib, sys\n"
        f"for m in {modules!r}: importlib.import_module(m)\n"
        f"bad = sorted(m for m in sys.modules if m.split('.')[0] in {FORBIDDEN!r})\n"
        "print(','.join(bad))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout.strip()
    assert len(modules) > 10
    assert out == "", f"workflow pulled in: {out}"


def test_the_domain_knows_no_http_status_and_builds_no_markup_outside_its_renderers() -> None:
    import re

    from workflow.errors import DomainError

    root = Path(workflow.__file__).parent
    errors = [c for c in vars(__import__("workflow.errors").errors).values()
              if isinstance(c, type) and issubclass(c, DomainError)]
    assert errors and not any(hasattr(c, "status") for c in errors)
    markup = re.compile(r"<(mark|span|div|p|b|em)[ >]")
    builds_html = [p.name for p in (root / "services").rglob("*.py")
                   if markup.search(p.read_text(encoding="utf-8"))]
    assert not markup.search((root / "glossary.py").read_text(encoding="utf-8"))
    assert builds_html == []


def test_views_build_no_queries() -> None:
    web = Path(workflow.__file__).parent.parent / "web"
    querying = [p.name for p in web.glob("*.py") if "select(" in p.read_text(encoding="utf-8")]
    assert querying == []
