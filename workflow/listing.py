"""The desk's article list as plain rows: two queries a page, whatever the archive's size."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import and_, select
from sqlalchemy.orm import Session

from workflow.models import Article, ArticleVersion, Translation, User
from workflow.permissions import article_filter


@dataclass(frozen=True)
class JobRow:
    """One language of an article, as the list shows it."""

    id: int
    language: str
    state: str
    error: str | None = None  # why it failed (or was given back), in plain words
    error_detail: str | None = None  # the same as a template and values (errors.dumped)


@dataclass(frozen=True)
class ArticleRow:
    """One article in the list: its current headline and each language's state."""

    id: int
    title: str
    source_language: str
    created_at: datetime
    translations: list[JobRow] = field(default_factory=list)


def article_page(session: Session, actor: User, page: int, size: int) -> list[ArticleRow]:
    """Page ``page`` (from 1) of the articles ``actor`` may see, newest first.

    Returns up to ``size + 1`` rows so the caller knows whether another page follows.
    """
    heads = session.execute(
        select(Article.id, ArticleVersion.title, Article.source_language, Article.created_at)
        .join(ArticleVersion, and_(ArticleVersion.article_id == Article.id,
                                   ArticleVersion.number == Article.current_version))
        .where(article_filter(actor))
        .order_by(Article.created_at.desc(), Article.id.desc())
        .limit(size + 1).offset((page - 1) * size)
    ).all()
    jobs: dict[int, list[JobRow]] = defaultdict(list)
    if heads:
        for article_id, tid, language, state, error, detail in session.execute(
            select(Translation.article_id, Translation.id, Translation.language,
                   Translation.state, Translation.error, Translation.error_detail)
            .where(Translation.article_id.in_([h[0] for h in heads]))
            .order_by(Translation.article_id, Translation.language)
        ):
            jobs[article_id].append(JobRow(tid, language, state, error, detail))
    return [ArticleRow(aid, title, lang, created, jobs[aid])
            for aid, title, lang, created in heads]
