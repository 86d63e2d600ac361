"""Who may do what, and what each person may see: the one home of every role check.

One rule for admins, everywhere: an admin may do whatever any person on the desk may do,
in every language (but never what only the workers do), and sees everything. Reviewers
act on the languages they hold; the other roles act on every language.
"""

from __future__ import annotations

from collections.abc import Collection
from enum import StrEnum

from sqlalchemy import ColumnElement, and_, exists, false, true

from workflow.models import Article, Assignment, Translation, User

SYSTEM = "system"  # the workers and the reconciler act as this role
ADMIN, EDITOR, REVIEWER, PUBLISHER = "admin", "editor", "reviewer", "publisher"


class Action(StrEnum):
    """Something a person (or the system) may be allowed to do.

    The first block has the names of the state machine's events (``workflow.states``).
    """

    START = "start"
    FINISH = "finish"
    FAIL = "fail"
    REQUEUE = "requeue"
    EDIT = "edit"
    APPROVE = "approve"
    SEND_BACK = "send_back"
    PUBLISH = "publish"
    UNPUBLISH = "unpublish"
    RETRY = "retry"
    UPDATE_SOURCE = "update_source"

    SUBMIT = "submit"  # submit articles (and extract them first)
    ASSIGN = "assign"  # give a translation to a reviewer
    CLAIM = "claim"  # take a translation for oneself
    REVIEW = "review"  # have an inbox of translations to review
    SEE_QUALITY = "see_quality"  # the post-edit distance report
    SET_REVIEW_POLICY = "set_review_policy"  # pre-confirm confident drafts of a language
    SEE_ENGINE_NOTES = "see_engine_notes"  # what will translate each language, before submitting
    MANAGE_GLOSSARY = "manage_glossary"
    MANAGE_MEMORY = "manage_memory"  # import translation memories (TMX)
    MANAGE_WEBHOOKS = "manage_webhooks"
    READ_AUDIT = "read_audit"
    READ_HEALTH = "read_health"  # the detailed health report
    MANAGE_PEOPLE = "manage_people"  # invite, set roles and languages, deactivate, reset
    MANAGE_SOURCES = "manage_sources"  # feeds and WordPress sites articles are imported from


A = Action
WHO: dict[Action, frozenset[str]] = {
    A.START: frozenset({SYSTEM}),
    A.FINISH: frozenset({SYSTEM}),
    A.FAIL: frozenset({SYSTEM}),
    A.REQUEUE: frozenset({SYSTEM}),
    A.EDIT: frozenset({REVIEWER}),
    A.APPROVE: frozenset({REVIEWER}),
    A.SEND_BACK: frozenset({PUBLISHER}),
    A.PUBLISH: frozenset({PUBLISHER}),
    A.UNPUBLISH: frozenset({PUBLISHER}),
    A.RETRY: frozenset({EDITOR, PUBLISHER}),
    A.UPDATE_SOURCE: frozenset({EDITOR}),
    A.SUBMIT: frozenset({EDITOR}),
    A.ASSIGN: frozenset({EDITOR}),
    A.CLAIM: frozenset({REVIEWER}),
    A.REVIEW: frozenset({REVIEWER}),
    A.SEE_QUALITY: frozenset({EDITOR, REVIEWER, PUBLISHER}),
    A.SET_REVIEW_POLICY: frozenset({PUBLISHER}),
    A.SEE_ENGINE_NOTES: frozenset({EDITOR}),
    A.MANAGE_GLOSSARY: frozenset({ADMIN}),
    A.MANAGE_MEMORY: frozenset({ADMIN}),
    A.MANAGE_WEBHOOKS: frozenset({ADMIN}),
    A.READ_AUDIT: frozenset({ADMIN}),
    A.READ_HEALTH: frozenset({ADMIN}),
    A.MANAGE_PEOPLE: frozenset({ADMIN}),
    A.MANAGE_SOURCES: frozenset({ADMIN}),
}

# A reviewer may do these only to translations into a language they hold.
IN_THEIR_LANGUAGES = frozenset({A.EDIT, A.APPROVE, A.CLAIM})

# Roles that see every article and translation.
SEE_ALL = frozenset({ADMIN, EDITOR, PUBLISHER})


def can(actor: User | None, action: Action | str, target: Translation | str | None = None,
        ) -> bool:
    """True when ``actor`` (None for the system) may do ``action`` to ``target``.

    ``target`` is the translation, or its language, for actions a reviewer may do only
    in their languages.
    """
    roles = WHO[Action(action)]
    if actor is None:
        return SYSTEM in roles
    if SYSTEM in roles:
        return False
    if ADMIN in actor.roles:
        return True
    if not roles & actor.roles:
        return False
    if action in IN_THEIR_LANGUAGES:
        language = target.language if isinstance(target, Translation) else target
        return language is not None and language in actor.languages
    return True


def memory_languages(actor: User) -> frozenset[str] | None:
    """The target languages whose translation memory ``actor`` may export (None: all).

    Who sees every translation sees the whole memory; a reviewer, their languages' pairs.
    """
    if not actor.active:
        return frozenset()
    if actor.roles & SEE_ALL:
        return None
    return frozenset(actor.languages) if REVIEWER in actor.roles else frozenset()


def reviews(user: User, language: str) -> bool:
    """True when ``user`` holds the reviewer role for ``language`` themselves.

    Not a permission (an admin may step in anywhere) but who the language's reviewers
    are: the ones an editor assigns to, and whose first edit claims a draft.
    """
    return REVIEWER in user.roles and language in user.languages


def manages_people(roles: Collection[str]) -> bool:
    """True when an account with ``roles`` may manage people (an admin keeps this role)."""
    return bool(WHO[A.MANAGE_PEOPLE] & set(roles)) or ADMIN in roles


def lands_in_inbox(user: User) -> bool:
    """True when ``user``'s desk starts at the review inbox rather than the dashboard."""
    return REVIEWER in user.roles


def needs_languages(roles: Collection[str]) -> bool:
    """True when an account with ``roles`` must be given languages to review."""
    return REVIEWER in roles and ADMIN not in roles


def translation_filter(actor: User) -> ColumnElement[bool]:
    """The SQL condition for the translations ``actor`` may see."""
    if not actor.active:
        return false()
    if actor.roles & SEE_ALL:
        return true()
    if REVIEWER in actor.roles and actor.languages:
        # Their languages, and once someone has claimed a translation, only their own.
        claimed_by_other = exists().where(Assignment.translation_id == Translation.id,
                                          Assignment.reviewer_id != actor.id)
        return and_(Translation.language.in_(sorted(actor.languages)), ~claimed_by_other)
    return false()


def article_filter(actor: User) -> ColumnElement[bool]:
    """The SQL condition for the articles ``actor`` may see."""
    if not actor.active:
        return false()
    if actor.roles & SEE_ALL:
        return true()
    if REVIEWER in actor.roles and actor.languages:
        return Article.translations.any(translation_filter(actor))
    return false()


def inbox_filter(actor: User) -> ColumnElement[bool]:
    """The SQL condition for the unclaimed work that waits in ``actor``'s inbox."""
    if ADMIN in actor.roles:
        return true()
    return Translation.language.in_(sorted(actor.languages))
