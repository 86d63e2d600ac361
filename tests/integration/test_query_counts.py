"""Pages run a fixed number of SQL queries however many articles there are (no N+1)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from flask.testing import FlaskClient
from sqlalchemy import event, select

from tests.conftest import Dispatched
from tests.helpers import login
from tests.use_cases import FakeEngine
from web.dashboard import PAGE_SIZE
from workflow.db import Database
from workflow.models import Translation, User
from workflow.services.articles import submit_article
from workflow.services.jobs import translate
from workflow.services.publishing import publish
from workflow.services.review import approve
from workflow.uow import UnitOfWork


@contextmanager
def counting(db: Database) -> Iterator[list[str]]:
    """Every SQL statement run on ``db`` inside the block."""
    statements: list[str] = []

    def record(conn: object, cursor: object, statement: str, *args: object) -> None:
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        event.remove(db.engine, "before_cursor_execute", record)


def add_articles(db: Database, people: dict[str, User], n: int, published: bool) -> None:
    engine = FakeEngine()
    for i in range(n):
        with UnitOfWork(db, dispatch=Dispatched()) as uow:
            a = submit_article(uow, people["editor"], title=f"Story {i}",
                               body="One.\n\nTwo.", source_language="en",
                               target_languages_=["es", "fr", "de"])
            ids = [t.id for t in a.translations]
        for tid in ids:
            translate(lambda: UnitOfWork(db), tid, lambda s, t: engine, "w")
        if published:
            with UnitOfWork(db) as uow:
                approve(uow, ids[0], people["admin"])
            with UnitOfWork(db) as uow:
                publish(uow, ids[0], people["admin"])


def queries_for(client: FlaskClient, path: str) -> int:
    client.get(path)  # warm: the first request also loads the user and compiles templates
    with counting(client.application.extensions["linguadesk.db"]) as statements:
        assert client.get(path).status_code == 200
    return len(statements)


PAGES = ("/", "/articles/1", "/es/es-story-0", "/es/", "/es/feed.atom", "/sitemap.xml")


def test_the_desk_pages_the_feed_and_the_sitemap_do_not_grow_queries_with_rows(
        client: FlaskClient, sqlite_db: Database, people: dict[str, User]) -> None:
    login(client, "editor@desk.test")
    add_articles(sqlite_db, people, 2, published=True)
    small = {p: queries_for(client, p) for p in PAGES}
    add_articles(sqlite_db, people, 25, published=True)
    large = {p: queries_for(client, p) for p in PAGES}
    print(f"queries per page: {small}")
    assert large == small
    # The public page: the edition, its article, and the addresses of the article's live
    # editions (for the switcher and hreflang), plus the session's user: a constant four.
    # The Spanish edition lives at the slug of its own title, "[es] Story 0".
    assert 0 < small["/"] <= 6 and 0 < small["/es/es-story-0"] <= 4, small
    # Front page, feed and sitemap: what they validate against (their ETag: one aggregate,
    # all a 304 costs), the live editions with their articles in one query, then the live
    # addresses of those articles (each edition's own slug) in one more.
    assert all(0 < small[p] <= 3 for p in ("/es/", "/es/feed.atom", "/sitemap.xml")), small
    assert client.get("/sitemap.xml").text.count("<loc>") == 27
    assert client.get("/es/feed.atom").text.count("<entry>") == 27


def test_the_dashboard_shows_one_page_of_articles_and_links_the_next(
        client: FlaskClient, sqlite_db: Database, people: dict[str, User]) -> None:
    with UnitOfWork(sqlite_db, dispatch=Dispatched()) as uow:
        for i in range(PAGE_SIZE + 5):
            submit_article(uow, people["editor"], title=f"Story {i}", body="One.",
                           source_language="en", target_languages_=["es"])
    login(client, "editor@desk.test")
    first = client.get("/").text
    assert first.count("data-article=") == PAGE_SIZE
    assert 'href="/?page=2"' in first and f"Story {PAGE_SIZE + 4}<" in first
    second = client.get("/?page=2").text
    assert second.count("data-article=") == 5 and "Story 0<" in second
    assert 'href="/?page=3"' not in second and 'href="/?page=1"' in second
    assert client.get("/?page=abc").status_code == 200
    with sqlite_db.session() as s:
        assert len(list(s.scalars(select(Translation.id)))) == PAGE_SIZE + 5
