"""Answers shared by the API and the pages for exchanged files (XLIFF)."""

from __future__ import annotations

from typing import Any

from flask import Response

from workflow.services.xliff import ImportReport


def xliff_download(data: bytes, translation_id: int, version: str) -> Response:
    """An XLIFF file as an attachment named after the translation and version."""
    name = f"translation-{translation_id}-xliff{version}.xlf"
    return Response(data, mimetype="application/x-xliff+xml",
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})


def import_report_json(report: ImportReport) -> dict[str, Any]:
    """What an XLIFF import did, with the QA issues of the segments it changed."""
    return {"updated": report.updated, "unchanged": report.unchanged,
            "conflicts": report.conflicts,
            "issues": {str(sid): [{"check": i.check, "severity": i.severity,
                                   "message": i.message} for i in found]
                       for sid, found in report.issues.items()}}

