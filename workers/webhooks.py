"""Sending webhook requests over HTTP, only to addresses outside the desk's own network.

The address checks and pinning live in ``workers.safe_http``. Redirects are never
followed: a 3xx is a failure.
"""

from __future__ import annotations

import http.client
from collections.abc import Sequence

from workers.safe_http import connect
from workflow.settings import load


def http_post(url: str, body: bytes, headers: dict[str, str], timeout: float = 10.0,
              allow: Sequence[str] | None = None) -> int:
    """POST ``body`` and return the status (redirects not followed); OSError when it cannot."""
    allow = load().webhook_allow if allow is None else allow
    conn, path = connect(url, timeout, allow)
    try:
        conn.request("POST", path, body=body, headers=headers)
        return int(conn.getresponse().status)
    except http.client.HTTPException as exc:  # a malformed answer is a failed delivery
        raise OSError("the answer was not valid HTTP") from exc
    finally:
        conn.close()
