"""Sending webhook requests over HTTP (the signing and the log live in workflow)."""

from __future__ import annotations

import urllib.error
import urllib.request


def http_post(url: str, body: bytes, headers: dict[str, str], timeout: float = 10.0) -> int:
    """POST ``body`` and return the status; an unreachable host raises OSError."""
    req = urllib.request.Request(url, data=body, headers=headers, method="POST")
    try:
        with urllib.request.urlopen(req, timeout=timeout) as response:
            return int(response.status)
    except urllib.error.HTTPError as exc:
        return int(exc.code)
