"""In-process cost of the desk's busiest pages, and where the slowest one spends it.

    python -m bench.profile_pages [--articles 10000] [--requests 200] [--top 25]

Seeds a fresh SQLite database as ``bench.load`` does (``--articles`` x 5 languages), then
serves the dashboard list, an article page and public editions through the Flask test
client (no network, no gunicorn): prints the mean ms and queries per request of each page
(public304: a reader revalidating an edition with If-None-Match), then a cProfile of the
slowest page, by cumulative time.
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import random
import secrets
import shutil
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from bench.load import LANGUAGES, seed, session_cookie
from workflow.db import Database


def main(argv: list[str] | None = None) -> int:
    """Seed, time each page, profile the slowest."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--requests", type=int, default=200, help="per page")
    parser.add_argument("--top", type=int, default=25, help="profile lines to print")
    args = parser.parse_args(argv)

    from sqlalchemy import event

    from web import create_app

    tmp = Path(tempfile.mkdtemp(prefix="linguadesk-profile-"))
    try:
        url = f"sqlite:///{tmp / 'bench.db'}"
        db = Database(url)
        db.migrate()
        user_id, article_ids, public = seed(db, args.articles)
        secret = secrets.token_hex(16)
        cookie = session_cookie(secret, db, user_id)
        db.engine.dispose()
        print(f"seeded {args.articles} articles x {len(LANGUAGES)} languages "
              f"({len(public)} live editions)")
        app = create_app({"SECRET_KEY": secret, "DATABASE_URL": url, "DISPATCH": list,
                          "DEVELOPMENT": True})
        client = app.test_client()
        name, _, value = cookie.partition("=")
        client.set_cookie(name, value)
        queries = [0]
        event.listen(app.extensions["linguadesk.db"].engine, "before_cursor_execute",
                     lambda *a: queries.__setitem__(0, queries[0] + 1))
        rng = random.Random(0)
        pages: dict[str, Callable[[], tuple[str, dict[str, str]]]] = {
            "dashboard": lambda: (f"/?page={rng.randint(1, 5)}", {}),
            "article": lambda: (f"/articles/{rng.choice(article_ids)}", {}),
            "public": lambda: (rng.choice(public), {}),
            "public304": lambda: revisit(rng.choice(public[:100])),
        }
        etags: dict[str, str] = {}

        def revisit(path: str) -> tuple[str, dict[str, str]]:
            if path not in etags:
                etags[path] = client.get(path).headers["ETag"]
            return path, {"If-None-Match": etags[path]}

        def hit(kind: str) -> None:
            path, headers = pages[kind]()
            response = client.get(path, headers=headers)
            want = 304 if "If-None-Match" in headers else 200
            assert response.status_code == want, (path, response.status_code)

        for path in public[:100]:
            revisit(path)
        cost: dict[str, float] = {}
        print(f"{'page':<10} {'ms/req':>7} {'queries':>7}")
        for kind in pages:
            for _ in range(10):
                hit(kind)  # warm: templates compiled, connections open
            queries[0] = 0
            start = time.perf_counter()
            for _ in range(args.requests):
                hit(kind)
            cost[kind] = 1000 * (time.perf_counter() - start) / args.requests
            print(f"{kind:<10} {cost[kind]:>7.2f} {queries[0] / args.requests:>7.1f}")
        slowest = max(cost, key=lambda k: cost[k])
        print(f"-- cProfile of {args.requests} {slowest} requests, by cumulative time --")
        profile = cProfile.Profile()
        profile.enable()
        for _ in range(args.requests):
            hit(slowest)
        profile.disable()
        pstats.Stats(profile).sort_stats("cumulative").print_stats(args.top)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
