"""The models are one package: every table registered by importing it, every name re-exported."""

from __future__ import annotations

import ast
from pathlib import Path

import workflow.models as models
from workflow.models import Base

ROOT = Path(__file__).resolve().parents[2]


def test_every_mapped_class_is_importable_from_workflow_models() -> None:
    mapped = {m.class_.__name__ for m in Base.registry.mappers}
    assert mapped <= set(models.__all__)
    assert all(getattr(models, name).__module__.startswith("workflow.models.") for name in mapped)


def test_importing_the_package_registers_every_table_alembic_needs() -> None:
    tables = set(Base.metadata.tables)
    assert {"users", "translations", "outdated_segments", "mt_cache", "engine_capabilities",
            "webhook_deliveries", "user_sessions", "login_attempts", "glossary_terms"} <= tables
    assert "ix_articles_created_at" in {ix.name for ix in Base.metadata.tables["articles"].indexes}


def test_no_module_imports_anything_below_its_first_definition() -> None:
    late: list[str] = []
    for package in ("workflow", "workers", "web"):
        for path in (ROOT / package).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            body = ast.parse(path.read_text(encoding="utf-8")).body
            seen_code = False
            for node in body:
                if isinstance(node, ast.Import | ast.ImportFrom):
                    if seen_code:
                        late.append(f"{path.relative_to(ROOT)}:{node.lineno}")
                elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
                    seen_code = True
    assert late == []
