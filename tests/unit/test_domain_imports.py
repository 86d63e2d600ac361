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
