"""Submitting articles and reading the desk's view of them."""

from __future__ import annotations

from collections.abc import Callable, Mapping

from sqlalchemy import select

from workflow import audit
from workflow.errors import N_, Forbidden, InvalidInput, NoHeadline, Unprocessable
from workflow.ingest.dates import to_iso
from workflow.ingest.extract import FORMATS, TEXT_META_FIELDS, Extraction, extract
from workflow.ingest.html_fragment import render_blocks
from workflow.languages import get_language
from workflow.models import (
    Article,
    ArticleVersion,
    SourceSegment,
    Translation,
    User,
    utcnow,
)
from workflow.permissions import Action, can
from workflow.segmentation import Block
from workflow.slugs import slugify, unique_slug
from workflow.states import State
from workflow.uow import UnitOfWork
from workflow.validation import (
    DEFAULT_MAX_CHARS,
    MAX_META_CHARS,
    MAX_TITLE_CHARS,
    clean_text,
    target_languages,
)


def apply_corrections(ex: Extraction, corrections: Mapping[str, object] | None) -> Extraction:
    """Apply the editor's corrections: standfirst, author, date, source, credits."""
    for key, value in (corrections or {}).items():
        if key in TEXT_META_FIELDS and isinstance(value, str):
            text = clean_text(value, key, max_chars=MAX_META_CHARS).strip() if value.strip() else ""
            # A date typed as the page prints it ("20 novembre 2026") is stored as ISO too.
            setattr(ex, key, (to_iso(text) or text) if key == "date" else text)
        elif key == "credits":
            lines = value.splitlines() if isinstance(value, str) else value
            if not isinstance(lines, list) or not all(isinstance(c, str) for c in lines):
                raise InvalidInput(N_("credits must be a list of lines."), field="credits")
            ex.credits = [c.strip() for c in lines if c.strip()]
    return ex


def body_blocks(ex: Extraction) -> list[Block]:
    """The translatable units: the standfirst (when there is one), then the body."""
    head = [Block("standfirst", ex.standfirst)] if ex.standfirst else []
    return head + ex.blocks


def canonical_body(fmt: str, blocks: list[Block]) -> str:
    """The body as stored: paragraphs for plain text and news copies, canonical HTML otherwise.

    :func:`rebuild_body` gives it back exactly from the segments.
    """
    body = [b for b in blocks if b.kind not in ("title", "standfirst")]
    if fmt in ("text", "news"):
        return "\n\n".join(b.text for b in body)
    return render_blocks(body)


def rebuild_body(version: ArticleVersion) -> str:
    """The version's body, rebuilt from its untranslated segments alone."""
    return canonical_body(version.format, [Block(s.kind, s.text, dict(s.markup or {}))
                                           for s in version.segments])


def preview(body: object, format: str = "auto", max_chars: int = DEFAULT_MAX_CHARS,
            corrections: Mapping[str, object] | None = None) -> Extraction:
    """What ingestion extracts from ``body``, checked as a submission would be; writes nothing."""
    if not isinstance(format, str) or format not in FORMATS:
        raise InvalidInput(N_("Unknown format %(format)r; use one of %(formats)s."),
                           values={"format": format, "formats": ", ".join(FORMATS)},
                           field="format", supported=list(FORMATS))
    raw = clean_text(body, "body", max_chars=max_chars)
    ex = apply_corrections(extract(raw, format), corrections)
    if not ex.blocks:
        raise Unprocessable(N_("No body text was found in what you pasted; check the format."),
                           field="body")
    return ex


def title_or_headline(title: object, ex: Extraction) -> object:
    """The title the editor gave, else the headline found in the text; neither: NoHeadline."""
    if title is not None and not (isinstance(title, str) and not title.strip()):
        return title
    if not ex.headline:
        raise NoHeadline()
    return ex.headline


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
    corrections: Mapping[str, object] | None = None,
    before_commit: Callable[[Article], None] | None = None,
) -> Article:
    """Create an article, its first version, its segments and one queued job per language.

    ``before_commit`` writes what belongs with the article (a feed item's row) in the same
    transaction: if it fails, nothing of the article is written and nothing is queued.
    """
    if not can(actor, Action.SUBMIT):
        raise Forbidden(N_("Only editors can submit articles."))
    ex = preview(body, format, max_chars=max_chars, corrections=corrections)
    title_text = clean_text(title_or_headline(title, ex), "title",
                            max_chars=MAX_TITLE_CHARS).strip()
    if not isinstance(source_language, str):
        raise InvalidInput(N_("source_language must be a language code."), field="source_language")
    source = get_language(source_language).code
    targets = target_languages(source, target_languages_)
    blocks = [Block("title", title_text), *body_blocks(ex)]
    body_text = canonical_body(ex.format, blocks)
    meta = {**ex.meta, "removed": ex.removed}

    base = slugify(title_text, source)
    taken = set(uow.session.scalars(
        select(Article.slug).where(Article.slug.like(f"{base}%"))
    ))
    article = Article(slug=unique_slug(base, taken), source_language=source,
                      created_by_id=actor.id)
    version = ArticleVersion(number=1, title=title_text, body=body_text, format=ex.format,
                             meta=meta, created_by_id=actor.id)
    version.segments = [SourceSegment(position=i, kind=b.kind, text=b.text,
                                      markup=b.markup or None)
                        for i, b in enumerate(blocks)]
    article.versions.append(version)
    now = utcnow()
    for code in targets:
        article.translations.append(Translation(language=code, state=State.QUEUED.value,
                                                enqueued_at=now))
    uow.session.add(article)
    uow.session.flush()
    audit.record(uow.session, "article.submit", actor=actor, article_id=article.id,
                 note=f"targets: {', '.join(targets)}")
    for t in article.translations:
        uow.enqueue(t.id)
    if before_commit is not None:
        before_commit(article)
    uow.commit()
    return article
