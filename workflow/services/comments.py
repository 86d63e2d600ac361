"""Comments on a segment or on a whole translation."""

from __future__ import annotations

from functools import partial

from sqlalchemy import select

from workflow import messages
from workflow.errors import N_, InvalidInput, NotFound
from workflow.models import Comment, TranslatedSegment, Translation, User
from workflow.queries import get_translation, translation_filter
from workflow.services.notifications import mentioned_users, notify
from workflow.states import audit
from workflow.uow import UnitOfWork
from workflow.validation import clean_text


def add_comment(uow: UnitOfWork, translation_id: int, actor: User, body: object,
                segment_id: int | None = None) -> Comment:
    """Add a comment anyone who can see the translation can read."""
    t = get_translation(uow.session, translation_id, actor)
    text = clean_text(body, "comment", max_chars=5000).strip()
    if not text:
        raise InvalidInput(N_("Write something in the comment."), field="body")
    if segment_id is not None and uow.session.scalar(
            select(TranslatedSegment.id).where(TranslatedSegment.id == segment_id,
                                               TranslatedSegment.translation_id == t.id)) is None:
        raise NotFound(N_("Translation %(id)s has no segment %(segment_id)s."),
                       values={"id": t.id, "segment_id": segment_id})
    comment = Comment(translation_id=t.id, segment_id=segment_id, author_id=actor.id, body=text)
    uow.session.add(comment)
    audit(actor, "translation.comment", t, note=text[:200])
    _tell_mentioned(uow, t, actor, text)
    uow.commit()
    return comment


def _tell_mentioned(uow: UnitOfWork, t: Translation, actor: User, text: str) -> None:
    """Notify each person ``@named`` in the comment who may see the translation."""
    for user in mentioned_users(uow, text):
        if user.id == actor.id or uow.session.scalar(select(Translation.id).where(
                Translation.id == t.id, translation_filter(user))) is None:
            continue
        notify(uow, user, "mentioned",
               partial(messages.mentioned, actor=actor.display_name, language=t.language,
                       title=t.article.latest.title),
               f"/translations/{t.id}#comments", translation_id=t.id, details=text[:1000])


def comments_on(uow: UnitOfWork, translation_id: int, actor: User) -> list[Comment]:
    """Every comment on the translation, oldest first."""
    t = get_translation(uow.session, translation_id, actor)
    return list(uow.session.scalars(
        select(Comment).where(Comment.translation_id == t.id).order_by(Comment.id)))
