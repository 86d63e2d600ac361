"""GETting a source's feed or posts: the webhooks' address checks, a timeout and a size limit.

The checks and pinning live in ``workers.safe_http``.
Sources are added by admins, but the desk still only dials public addresses (or those
``LINGUADESK_WEBHOOK_ALLOW`` names), pinned to the address checked; redirects are not
followed (a moved feed is an error the admin sees and fixes on the sources page).
"""

from __future__ import annotations

import http.client
from collections.abc import Sequence

from workers.safe_http import connect
from workflow.services.polling import Answer
from workflow.settings import load


def http_get(url: str, headers: dict[str, str], timeout: float | None = None,
             max_bytes: int | None = None, allow: Sequence[str] | None = None) -> Answer:
    """GET ``url``; OSError when it cannot be reached, is refused, or answers too much."""
    settings = load()
    allow = settings.webhook_allow if allow is None else allow
    timeout = settings.source_timeout if timeout is None else timeout
    limit = settings.source_max_bytes if max_bytes is None else max_bytes
    conn, path = connect(url, timeout, allow)
    try:
        conn.request("GET", path, headers={"User-Agent": "Linguadesk", **headers})
        response = conn.getresponse()
        body = response.read(limit + 1) if response.status == 200 else b""
        if len(body) > limit:
            raise OSError(f"the answer is larger than {limit} bytes")
        return Answer(int(response.status), dict(response.getheaders()), body)
    except http.client.HTTPException as exc:
        raise OSError("the answer was not valid HTTP") from exc
    finally:
        conn.close()
