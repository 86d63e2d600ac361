"""Polling sources: a conditional request, new items submitted, changed ones updated.

Each new item goes through ``submit_article`` (HTML path) as the admin who last saved the
source; an item whose title or body changed goes through ``update_article``, so drafts
are kept and only changed segments are translated again. Errors make the next poll wait
twice as long each time (up to a ceiling); the source's row says what went wrong.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from workflow.errors import DomainError, Unprocessable
from workflow.feeds import Item, matching, parse, request_url
from workflow.models import Source, SourceItem, SourceKind, User, utcnow
from workflow.permissions import Action, can
from workflow.services.articles import submit_article
from workflow.services.updates import update_article
from workflow.uow import UnitOfWork


@dataclass(frozen=True)
class Answer:
    """What the source's server said (the body only for a 200)."""

    status: int
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""


Fetch = Callable[[str, dict[str, str]], Answer]
"""GETs a URL with the given headers; raises OSError when it cannot (workers/fetch.py)."""


@dataclass(frozen=True)
class Pacing:
    """How often a source is polled, how long it rests after errors, how long articles may be."""

    interval: int = 900
    max_backoff: int = 86400
    max_chars: int = 200000


@dataclass
class Outcome:
    """What one poll did."""

    new: int = 0
    updated: int = 0
    skipped: list[str] = field(default_factory=list)
    error: str | None = None
    not_modified: bool = False

    def summary(self) -> str:
        """One line for the sources page."""
        if self.error:
            return f"error: {self.error}"
        if self.not_modified:
            return "not modified"
        text = f"{self.new} new, {self.updated} updated"
        return text + (f", {len(self.skipped)} skipped" if self.skipped else "")


class SourceFailed(Exception):
    """The source could not be read (its server's answer, not ours)."""


def due(uow: UnitOfWork, now: datetime | None = None) -> list[int]:
    """The sources to poll now: not paused, and their next poll time reached."""
    return list(uow.session.scalars(
        select(Source.id).where(Source.paused.is_(False), Source.next_poll_at <= (now or utcnow()))
        .order_by(Source.next_poll_at)))


def poll_due(uow: UnitOfWork, fetch: Fetch, pacing: Pacing = Pacing()) -> dict[int, str]:
    """Poll every source that is due; its outcome line by source id."""
    return {sid: poll(uow, sid, fetch, pacing).summary() for sid in due(uow)}


def poll(uow: UnitOfWork, source_id: int, fetch: Fetch, pacing: Pacing = Pacing()) -> Outcome:
    """Poll one source if it is due (one another poller took, or paused, is left alone)."""
    source = uow.session.scalar(select(Source).where(
        Source.id == source_id, Source.paused.is_(False), Source.next_poll_at <= utcnow(),
    ).with_for_update(skip_locked=True))
    outcome = Outcome()
    if source is None:
        return outcome
    now = utcnow()
    # Taken for one interval now: a second beat tick meanwhile does not poll it again.
    source.next_poll_at = now + timedelta(seconds=pacing.interval)
    source.last_polled_at = now
    uow.commit()
    try:
        items = _read(source, fetch)
    except (OSError, SourceFailed, DomainError) as exc:
        outcome.error = str(getattr(exc, "message", None) or exc) or type(exc).__name__
        _finish(uow, source_id, outcome, pacing, now)
        return outcome
    creator = uow.session.get(User, source.created_by_id)
    if items is None:
        outcome.not_modified = True
    elif creator is None or not can(creator, Action.SUBMIT):
        # Every item would be refused: an error of the source (it backs off), not of its items.
        outcome.error = ("the admin who last saved this source may no longer submit articles; "
                         "an admin saves it again to take it over")
        uow.session.rollback()  # the validators too: the next poll reads the items afresh
    else:
        for item in reversed(items):  # feeds list the newest first; import oldest first
            _take(uow, source, creator, item, outcome, pacing)
    _finish(uow, source_id, outcome, pacing, now)
    return outcome


def _read(source: Source, fetch: Fetch) -> list[Item] | None:
    headers = {"Accept": "application/json" if source.kind == SourceKind.WORDPRESS else
               "application/rss+xml, application/atom+xml, application/xml;q=0.9, */*;q=0.5"}
    if source.etag:
        headers["If-None-Match"] = source.etag
    if source.last_modified:
        headers["If-Modified-Since"] = source.last_modified
    answer = fetch(request_url(source.kind, source.url, source.category, source.tag), headers)
    if answer.status == 304:
        return None
    if answer.status != 200:
        raise SourceFailed(f"the server answered HTTP {answer.status}")
    items = matching(parse(source.kind, answer.body), source.category, source.tag)
    lowered = {k.lower(): v for k, v in answer.headers.items()}
    source.etag = lowered.get("etag")
    source.last_modified = lowered.get("last-modified")
    return items


def _take(uow: UnitOfWork, source: Source, creator: User, item: Item, outcome: Outcome,
          pacing: Pacing) -> None:
    known = uow.session.scalar(select(SourceItem).where(SourceItem.source_id == source.id,
                                                        SourceItem.guid == item.guid))
    if known is not None and known.digest == item.digest:
        return
    known_id = known.id if known is not None else None

    def remember(article_id: int | None) -> None:
        """The item's row, written in the article's own transaction (so never one without
        the other); flushed here so that a row another poller wrote meanwhile fails now."""
        row = uow.session.get(SourceItem, known_id) if known_id is not None else None
        if row is None:
            row = SourceItem(source_id=source.id, guid=item.guid)
            uow.session.add(row)
        row.url, row.digest, row.modified = item.url, item.digest, item.modified
        if article_id is not None:
            row.article_id = article_id
        if known_id is not None:
            row.updated_at = utcnow()
        uow.session.flush()

    try:
        if known is not None and known.article_id is not None:
            article_id = known.article_id
            try:
                update_article(uow, article_id, creator, title=item.title or known.guid,
                               body=item.html, max_chars=pacing.max_chars,
                               before_commit=lambda _version: remember(article_id))
                outcome.updated += 1
            except Unprocessable:
                uow.rollback()  # the same text after all (markup we drop changed)
                remember(None)
                uow.commit()
        else:
            submit_article(uow, creator, title=item.title, body=item.html,
                           source_language=source.source_language,
                           target_languages_=source.targets, format="html",
                           max_chars=pacing.max_chars,
                           before_commit=lambda article: remember(article.id))
            outcome.new += 1
    except IntegrityError:
        # Another poller wrote this item meanwhile: nothing of ours was written; the next
        # poll reads the item again and finds it known.
        uow.rollback()
        outcome.skipped.append(f"{item.guid}: written by another poll at the same time; "
                               "read again on the next poll")
    except (DomainError, SourceFailed) as exc:
        uow.rollback()
        outcome.skipped.append(f"{item.guid}: {getattr(exc, 'message', exc)}")
        if known_id is None:  # remembered, so a broken item is retried only when it changes
            uow.session.add(SourceItem(source_id=source.id, guid=item.guid, url=item.url,
                                       digest=item.digest, modified=item.modified))
            try:
                uow.commit()
            except IntegrityError:  # another poller remembered it first
                uow.rollback()


def _finish(uow: UnitOfWork, source_id: int, outcome: Outcome, pacing: Pacing,
            started: datetime) -> None:
    source = uow.session.get(Source, source_id)
    if source is None:
        return
    if outcome.error:
        source.failures += 1
        pause = min(pacing.interval * 2 ** source.failures, pacing.max_backoff)
        source.last_error = outcome.error
    else:
        source.failures = 0
        pause = pacing.interval
        source.last_error = "; ".join(outcome.skipped)[:2000] or None
    source.next_poll_at = started + timedelta(seconds=pause)
    source.last_status = outcome.summary()[:300]
    uow.commit()

