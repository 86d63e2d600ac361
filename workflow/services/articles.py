"""Submitting articles and reading the desk's view of them."""

from __future__ import annotations

from sqlalchemy import select

from workflow.errors import Forbidden, InvalidInput
from workflow.languages import get_language
from workflow.models import (
    Article,
    ArticleVersion,
    AuditEvent,
    SourceSegment,
    Translation,
    User,
    utcnow,
)
from workflow.segmentation import split_plain_text
from workflow.slugs import slugify, unique_slug
from workflow.states import State
from workflow.uow import UnitOfWork
from workflow.validation import DEFAULT_MAX_CHARS, clean_text, target_languages

FORMATS = ("text",)


def submit_article(
    uow: UnitOfWork,
    actor: User,
    *,
    title: object,
    body: object,
    source_language: object,
    target_languages_: object,
    format: str = "text",
    max_chars: int = DEFAULT_MAX_CHARS,
) -> Article:
    """Create an article, its first version, its segments and one queued job per language."""
    if not actor.has_role("editor"):
        raise Forbidden("Only editors can submit articles.")
    if format not in FORMATS:
        raise InvalidInput(f"Unknown format {format!r}; use one of {', '.join(FORMATS)}.",
                           field="format")
    title_text = clean_text(title, "title", max_chars=1000).strip()
    body_text = clean_text(body, "body", max_chars=max_chars)
    if not isinstance(source_language, str):
        raise InvalidInput("source_language must be a language code.", field="source_language")
    source = get_language(source_language).code
    targets = target_languages(source, target_languages_)
    blocks = split_plain_text(title_text, body_text)

    base = slugify(title_text)
    taken = set(uow.session.scalars(
        select(Article.slug).where(Article.slug.like(f"{base}%"))
    ))
    article = Article(slug=unique_slug(base, taken), source_language=source,
                      created_by_id=actor.id)
    version = ArticleVersion(number=1, title=title_text, body=body_text, format=format,
                             created_by_id=actor.id)
    version.segments = [SourceSegment(position=i, kind=b.kind, text=b.text)
                        for i, b in enumerate(blocks)]
    article.versions.append(version)
    now = utcnow()
    for code in targets:
        article.translations.append(Translation(language=code, state=State.QUEUED.value,
                                                enqueued_at=now))
    uow.session.add(article)
    uow.session.flush()
    uow.session.add(AuditEvent(actor_id=actor.id, action="article.submit", article_id=article.id,
                               note=f"targets: {', '.join(targets)}"))
    for t in article.translations:
        uow.enqueue(t.id)
    uow.commit()
    return article
