"""Sources: feeds and WordPress sites polled over HTTP into articles, once each."""

from __future__ import annotations

from collections.abc import Iterator
from functools import partial
from pathlib import Path
from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlalchemy import event, func, select, update

from tests.conftest import Dispatched, make_user
from tests.feed_server import Site, atom, rss, start
from tests.helpers import csrf_from, login
from tests.processes import Desk, wait_until
from workers.fetch import http_get
from workflow.db import Database
from workflow.models import Article, Source, SourceItem, User, utcnow
from workflow.services import polling
from workflow.services.sources import add_source, edit_source, poll_soon
from workflow.uow import UnitOfWork

NOW = polling.Pacing(interval=0)  # every source is due again at once
FETCH = partial(http_get, allow=("127.0.0.1",))
BUDGET = "<p>The council approved the budget.</p><p>Schools will reopen next week.</p>"


@pytest.fixture
def site() -> Iterator[Site]:
    s = Site()
    server, _ = start(s)
    yield s
    server.shutdown()


def _add(db: Database, admin: User, url: str, **extra: object) -> int:
    with UnitOfWork(db) as uow:
        fields: dict[str, object] = {"kind": "feed", "name": "News", "url": url,
                                     "source_language": "en", "target_languages_": ["es", "fr"],
                                     "category": None, "tag": None, **extra}
        return add_source(uow, admin, **fields).id


def _poll(db: Database, dispatched: Dispatched, pacing: polling.Pacing = NOW) -> dict[int, str]:
    with UnitOfWork(db, dispatch=dispatched) as uow:
        return polling.poll_due(uow, FETCH, pacing)


def _articles(db: Database) -> list[tuple[str, int]]:
    with db.sessions() as s:
        return [(a.latest.title, a.current_version)
                for a in s.scalars(select(Article).order_by(Article.id))]


def test_an_rss_feed_becomes_articles_once_and_the_second_poll_gets_a_304(
        sqlite_db: Database, people: dict[str, User], dispatched: Dispatched, site: Site) -> None:
    site.rss = rss([("n-2", "Rain tomorrow", "<p>Rain is expected tomorrow.</p>", "weather"),
                    ("n-1", "Budget approved", BUDGET, "politics")])
    sid = _add(sqlite_db, people["admin"], site.url + "/rss.xml")
    assert _poll(sqlite_db, dispatched) == {sid: "2 new, 0 updated"}
    assert _articles(sqlite_db) == [("Budget approved", 1), ("Rain tomorrow", 1)]
    assert len(dispatched) == 4  # two articles, two languages each, queued for MT

    assert _poll(sqlite_db, dispatched) == {sid: "not modified"}
    assert site.requests[-1][1].get("If-None-Match")
    assert len(_articles(sqlite_db)) == 2
    with sqlite_db.sessions() as s:
        item = s.scalar(select(SourceItem).where(SourceItem.guid == "n-1"))
        assert item is not None and item.url == "https://news.test/n-1"


def test_a_changed_atom_entry_becomes_a_new_version_of_its_article(
        sqlite_db: Database, people: dict[str, User], dispatched: Dispatched, site: Site) -> None:
    site.atom = atom([("urn:1", "Budget approved", BUDGET, "2026-11-29T00:00:00Z")])
    sid = _add(sqlite_db, people["admin"], site.url + "/atom.xml")
    assert _poll(sqlite_db, dispatched) == {sid: "1 new, 0 updated"}
    site.atom = atom([("urn:1", "Budget approved",
                       "<p>The council approved the budget.</p><p>Rain is expected.</p>",
                       "2026-11-29T02:00:00Z")])
    assert _poll(sqlite_db, dispatched) == {sid: "0 new, 1 updated"}
    assert _articles(sqlite_db) == [("Budget approved", 2)]
    assert _poll(sqlite_db, dispatched) == {sid: "not modified"}


def test_same_items_without_validators_import_nothing_new(
        sqlite_db: Database, people: dict[str, User], dispatched: Dispatched, site: Site) -> None:
    site.rss = rss([("n-1", "Budget approved", BUDGET, "politics")])
    sid = _add(sqlite_db, people["admin"], site.url + "/rss.xml")
    _poll(sqlite_db, dispatched)
    with UnitOfWork(sqlite_db) as uow:  # as if the server had no ETag support
        source = uow.session.get(Source, sid)
        assert source is not None
        source.etag = None
        uow.commit()
    assert _poll(sqlite_db, dispatched) == {sid: "0 new, 0 updated"}
    assert len(_articles(sqlite_db)) == 1


def test_the_category_filter_keeps_only_matching_feed_items(
        sqlite_db: Database, people: dict[str, User], dispatched: Dispatched, site: Site) -> None:
    site.rss = rss([("n-2", "Rain tomorrow", "<p>Rain is expected tomorrow.</p>", "weather"),
                    ("n-1", "Budget approved", BUDGET, "politics")])
    _add(sqlite_db, people["admin"], site.url + "/rss.xml", category="Politics")
    _poll(sqlite_db, dispatched)
    assert _articles(sqlite_db) == [("Budget approved", 1)]


def test_a_wordpress_site_is_read_through_its_api_with_the_category_filter(
        sqlite_db: Database, people: dict[str, User], dispatched: Dispatched, site: Site) -> None:
    site.posts = [
        {"id": 7, "guid": {"rendered": "https://news.test/?p=7"}, "link": "https://news.test/b",
         "title": {"rendered": "Budget &amp; schools"}, "content": {"rendered": BUDGET},
         "modified_gmt": "2026-11-29T00:00:00", "categories": [3], "tags": []},
        {"id": 8, "guid": {"rendered": "https://news.test/?p=8"}, "link": "https://news.test/r",
         "title": {"rendered": "Rain"}, "content": {"rendered": "<p>Rain is expected.</p>"},
         "modified_gmt": "2026-11-29T00:00:00", "categories": [4], "tags": []},
    ]
    sid = _add(sqlite_db, people["admin"], site.url, kind="wordpress", category="3")
    assert _poll(sqlite_db, dispatched) == {sid: "1 new, 0 updated"}
    assert "/wp-json/wp/v2/posts?" in site.requests[-1][0]
    assert "categories=3" in site.requests[-1][0]
    assert _articles(sqlite_db) == [("Budget & schools", 1)]


def test_an_erroring_source_waits_longer_each_time_and_says_why(
        sqlite_db: Database, people: dict[str, User], dispatched: Dispatched, site: Site) -> None:
    site.fail["/rss.xml"] = 500
    sid = _add(sqlite_db, people["admin"], site.url + "/rss.xml")
    pauses = []
    for _ in range(3):
        with UnitOfWork(sqlite_db) as uow:  # due now, whatever the backoff said
            source = uow.session.get(Source, sid)
            assert source is not None
            source.next_poll_at = source.created_at
            uow.commit()
        assert _poll(sqlite_db, dispatched, polling.Pacing(interval=10)) == {
            sid: "error: the server answered HTTP 500"}
        with sqlite_db.sessions() as s:
            source = s.get(Source, sid)
            assert source is not None and source.last_polled_at is not None
            pauses.append((source.next_poll_at - source.last_polled_at).total_seconds())
            assert source.last_error == "the server answered HTTP 500"
    assert pauses == [20, 40, 80]
    del site.fail["/rss.xml"]
    site.rss = rss([("n-1", "Budget approved", BUDGET, "politics")])
    with UnitOfWork(sqlite_db) as uow:
        source = uow.session.get(Source, sid)
        assert source is not None
        source.next_poll_at = source.created_at
        uow.commit()
    assert _poll(sqlite_db, dispatched) == {sid: "1 new, 0 updated"}
    with sqlite_db.sessions() as s:
        source = s.get(Source, sid)
        assert source is not None and source.failures == 0 and source.last_error is None
        assert s.scalar(select(func.count(Article.id))) == 1


def test_a_source_on_an_internal_address_is_refused_without_the_allow_list(
        sqlite_db: Database, people: dict[str, User], dispatched: Dispatched, site: Site) -> None:
    site.rss = rss([("n-1", "Budget approved", BUDGET, "politics")])
    sid = _add(sqlite_db, people["admin"], site.url + "/rss.xml")
    with UnitOfWork(sqlite_db) as uow:
        outcome = polling.poll(uow, sid, partial(http_get, allow=()), NOW)
    assert outcome.error is not None and "loopback" in outcome.error
    assert _articles(sqlite_db) == []


def test_the_admin_adds_a_feed_on_the_sources_page_and_sees_its_poll_fail(
        client: FlaskClient, sqlite_db: Database, people: dict[str, User],
        dispatched: Dispatched, site: Site, monkeypatch: pytest.MonkeyPatch) -> None:
    login(client, "admin@desk.test")
    csrf = csrf_from(client, "/sources")
    form = {"csrf_token": csrf, "kind": "feed", "name": "Wire", "source_language": "en",
            "targets": "es, fr"}
    refused = client.post("/sources", data={**form, "url": "ftp://news.test/feed"})
    assert refused.status_code == 400 and "must start with http" in refused.text
    same = client.post("/sources", data={**form, "url": "https://news.test/f", "targets": "en"})
    assert same.status_code == 422 and "is the source language" in same.text
    with sqlite_db.sessions() as s:
        assert s.scalar(select(func.count(Source.id))) == 0

    internal = client.post("/sources", data={**form, "url": site.url + "/rss.xml"})
    assert internal.status_code == 400 and "LINGUADESK_WEBHOOK_ALLOW" in internal.text
    monkeypatch.setenv("LINGUADESK_WEBHOOK_ALLOW", "127.0.0.1")
    site.fail["/rss.xml"] = 503
    added = client.post("/sources", data={**form, "url": site.url + "/rss.xml"})
    assert added.status_code == 302
    _poll(sqlite_db, dispatched)
    page = client.get("/sources").text
    assert "Wire" in page and "en → es,fr" in page
    assert "the server answered HTTP 503" in page and "1 failure in a row" in page

    sid = _sid(sqlite_db)
    assert client.post(f"/sources/{sid}/pause", data={"csrf_token": csrf}).status_code == 302
    assert _poll(sqlite_db, dispatched) == {}  # a paused source is not polled
    assert "paused" in client.get("/sources").text
    assert client.post(f"/sources/{sid}/delete", data={"csrf_token": csrf}).status_code == 302
    assert "Wire" not in client.get("/sources").text


def _sid(db: Database) -> int:
    with db.sessions() as s:
        sid = s.scalar(select(Source.id))
        assert sid is not None
        return sid


def test_an_answer_over_the_size_limit_is_an_error_not_an_article(
        sqlite_db: Database, people: dict[str, User], dispatched: Dispatched, site: Site) -> None:
    site.rss = rss([("n-1", "Budget approved", BUDGET, "politics")])
    sid = _add(sqlite_db, people["admin"], site.url + "/rss.xml")
    with UnitOfWork(sqlite_db) as uow:
        outcome = polling.poll(uow, sid, partial(http_get, allow=("127.0.0.1",), max_bytes=100),
                               NOW)
    assert outcome.error == "the answer is larger than 100 bytes"
    assert _articles(sqlite_db) == []


def test_beat_and_a_worker_import_a_feed_once_over_many_ticks(
        sqlite_db: Database, people: dict[str, User], site: Site, tmp_path: Path) -> None:
    site.rss = rss([("n-1", "Budget approved", BUDGET, "politics")])
    _add(sqlite_db, people["admin"], site.url + "/rss.xml")
    desk = Desk(sqlite_db.url, tmp_path / "models", tmp_path, LINGUADESK_SOURCES_TICK="1",
                LINGUADESK_SOURCE_INTERVAL="1", LINGUADESK_WEBHOOK_ALLOW="127.0.0.1")
    try:
        desk.start_worker()
        desk.start_beat()
        wait_until(lambda: len(_articles(sqlite_db)) == 1, 120, "the feed's article", desk.logs)
        polled = len(site.requests)
        wait_until(lambda: len(site.requests) >= polled + 3, 60, "three more polls", desk.logs)
    finally:
        desk.close()
    assert _articles(sqlite_db) == [("Budget approved", 1)]
    assert all(h.get("If-None-Match") for _, h in site.requests[1:])


def test_a_feed_is_imported_once_and_updated_on_sqlite_and_postgresql(
        db: Database, dispatched: Dispatched, site: Site) -> None:
    admin = make_user(db, "admin@desk.test", ["admin"])
    site.rss = rss([("n-1", "Budget approved", BUDGET, "politics")])
    sid = _add(db, admin, site.url + "/rss.xml")
    assert _poll(db, dispatched) == {sid: "1 new, 0 updated"}
    assert _poll(db, dispatched) == {sid: "not modified"}
    site.rss = rss([("n-1", "Budget approved", "<p>The council approved the budget.</p>",
                     "politics")])
    assert _poll(db, dispatched) == {sid: "0 new, 1 updated"}
    assert _articles(db) == [("Budget approved", 2)]


def test_a_source_whose_admin_lost_the_role_backs_off_until_another_admin_saves_it(
        sqlite_db: Database, people: dict[str, User], dispatched: Dispatched, site: Site) -> None:
    site.rss = rss([("n-1", "Budget approved", BUDGET, "politics")])
    former = make_user(sqlite_db, "former@desk.test", ["admin"])
    sid = _add(sqlite_db, former, site.url + "/rss.xml")
    with UnitOfWork(sqlite_db) as uow:
        user = uow.session.get(User, former.id)
        assert user is not None
        user.roles_csv = "reviewer"
        uow.commit()
    assert "may no longer submit articles" in _poll(sqlite_db, dispatched)[sid]
    assert _articles(sqlite_db) == []
    with UnitOfWork(sqlite_db) as uow:
        edit_source(uow, people["admin"], sid, kind="feed", name="News",
                    url=site.url + "/rss.xml", source_language="en", target_languages_="es",
                    category=None, tag=None)
        poll_soon(uow, people["admin"], sid)
    assert _poll(sqlite_db, dispatched) == {sid: "1 new, 0 updated"}


def test_a_poll_that_dies_writing_the_item_row_leaves_no_article_and_the_next_imports_it_once(
        sqlite_db: Database, people: dict[str, User], dispatched: Dispatched, site: Site) -> None:
    site.rss = rss([("n-1", "Budget approved", BUDGET, "politics")])
    _add(sqlite_db, people["admin"], site.url + "/rss.xml")

    def die(*_: object) -> None:
        raise RuntimeError("the poller died")

    event.listen(SourceItem, "before_insert", die)
    try:
        with pytest.raises(RuntimeError, match="the poller died"):
            _poll(sqlite_db, dispatched)
    finally:
        event.remove(SourceItem, "before_insert", die)
    assert _articles(sqlite_db) == []  # nothing half-written
    assert dispatched == []  # and nothing queued for MT
    with UnitOfWork(sqlite_db) as uow:  # due again, as after the poller's lease ran out
        uow.session.execute(update(Source).values(next_poll_at=utcnow(), etag=None))
        uow.commit()

    assert list(_poll(sqlite_db, dispatched).values()) == ["1 new, 0 updated"]
    assert list(_poll(sqlite_db, dispatched).values()) == ["not modified"]
    assert _articles(sqlite_db) == [("Budget approved", 1)]
    assert len(dispatched) == 2


# PostgreSQL only: SQLite lets one writer at a time, so two pollers cannot race there.
@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
def test_an_item_another_poller_imports_meanwhile_is_imported_once(
        db: Database, dispatched: Dispatched, site: Site,
        monkeypatch: pytest.MonkeyPatch) -> None:
    admin = make_user(db, "admin@desk.test", ["admin"])
    site.rss = rss([("n-1", "Budget approved", BUDGET, "politics")])
    sid = _add(db, admin, site.url + "/rss.xml")
    submit = polling.submit_article

    def racing(uow: UnitOfWork, actor: User, **fields: Any) -> Article:
        with UnitOfWork(db) as other:  # the other poller, between our read and our commit
            other_actor = other.session.get(User, actor.id)
            assert other_actor is not None
            submit(other, other_actor, **{**fields, "before_commit": lambda article:
                                          other.session.add(SourceItem(
                                              source_id=sid, guid="n-1", digest="x",
                                              article_id=article.id))})
        return submit(uow, actor, **fields)

    monkeypatch.setattr(polling, "submit_article", racing)
    assert _poll(db, dispatched) == {sid: "0 new, 0 updated, 1 skipped"}
    with db.sessions() as s:
        source = s.get(Source, sid)
        assert source is not None and "n-1: written by another poll" in (source.last_error or "")
    assert len(_articles(db)) == 1
    assert dispatched == []  # our rolled-back jobs were never queued
    monkeypatch.setattr(polling, "submit_article", submit)
    with UnitOfWork(db) as uow:
        uow.session.execute(update(Source).values(etag=None))
        uow.commit()
    # Known now: not imported again (the other's digest "x" is corrected, the text is the same).
    assert _poll(db, dispatched) == {sid: "0 new, 0 updated"}
    assert _articles(db) == [("Budget approved", 1)]
