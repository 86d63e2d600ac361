"""Answers shared by the API and the pages for exchanged files (XLIFF, glossaries)."""

from __future__ import annotations

from typing import Any

from flask import Response
from flask_babel import gettext

from workflow.services.glossary_files import Plan
from workflow.services.xliff import ImportReport


def xliff_download(data: bytes, translation_id: int, version: str) -> Response:
    """An XLIFF file as an attachment named after the translation and version."""
    name = f"translation-{translation_id}-xliff{version}.xlf"
    return Response(data, mimetype="application/x-xliff+xml",
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})


def import_report_json(report: ImportReport) -> dict[str, Any]:
    """What an XLIFF import did, with the QA issues of the segments it changed (their
    messages in the reader's language)."""
    return {"updated": report.updated, "unchanged": report.unchanged,
            "conflicts": report.conflicts,
            "issues": {str(sid): [{"check": i.check, "severity": i.severity,
                                   "message": i.translated(gettext)} for i in found]
                       for sid, found in report.issues.items()}}



GLOSSARY_TYPES = {"csv": "text/csv", "tbx": "application/x-tbx+xml"}


def glossary_download(data: bytes, fmt: str) -> Response:
    """A glossary file as an attachment."""
    return Response(data, mimetype=GLOSSARY_TYPES.get(fmt, "application/octet-stream"),
                    headers={"Content-Disposition": f'attachment; filename="glossary.{fmt}"'})


def plan_json(plan: Plan, applied: bool) -> dict[str, Any]:
    """A glossary import's changes, previewed or applied."""
    return {"applied": applied, "digest": plan.digest, "added": plan.count("add"),
            "updated": plan.count("update"), "unchanged": plan.count("unchanged"),
            "changes": [{"action": c.action, "term": c.term, "language": c.language,
                         "before": c.before, "after": c.after} for c in plan.changes]}
