"""Source updates: a new version that keeps every translation whose source did not change."""

from __future__ import annotations

import bisect
import difflib
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from workflow import audit
from workflow.errors import N_, Forbidden, Unprocessable
from workflow.models import (
    Article,
    ArticleVersion,
    OutdatedSegment,
    SourceSegment,
    TranslatedSegment,
    Translation,
    User,
    utcnow,
)
from workflow.permissions import Action, can
from workflow.queries import get_article
from workflow.segmentation import Block
from workflow.services.articles import canonical_body, preview
from workflow.states import Event, transition
from workflow.uow import UnitOfWork
from workflow.validation import DEFAULT_MAX_CHARS, MAX_TITLE_CHARS, clean_text


@dataclass(frozen=True)
class SegmentMap:
    """How the old version's segments relate to the new one's (indexes into each list)."""

    kept: dict[int, int]  # old index → new index, text unchanged
    replaced: dict[int, int]  # old index → new index that took its place, text changed
    removed: list[int]  # old indexes with no counterpart
    added: list[int]  # new indexes with no counterpart (including replacements)


def match_segments(old: list[tuple[str, str]], new: list[tuple[str, str]]) -> SegmentMap:
    """Line the old ``(kind, text)`` list up with the new one, as a diff would."""
    kept: dict[int, int] = {}
    replaced: dict[int, int] = {}
    removed: list[int] = []
    added: list[int] = []
    for op, i1, i2, j1, j2 in _opcodes(old, new):
        if op == "equal":
            kept.update({i1 + k: j1 + k for k in range(i2 - i1)})
            continue
        pairs = min(i2 - i1, j2 - j1) if op == "replace" else 0
        replaced.update({i1 + k: j1 + k for k in range(pairs)})
        removed.extend(range(i1 + pairs, i2))
        added.extend(range(j1, j2))
    return SegmentMap(kept, replaced, removed, added)


Item = tuple[str, str]


def _opcodes(a: list[Item], b: list[Item]) -> list[tuple[str, int, int, int, int]]:
    """``difflib``-style opcodes from a patience diff: near-linear in the segments.

    ``difflib.SequenceMatcher`` alone is quadratic here: an update that changes every
    tenth paragraph of a long article leaves many equally long matches, and it rescans
    the rest of the article after each. Segments found exactly once on both sides anchor
    the alignment instead (their longest increasing run, O(n log n)); only the stretches
    between anchors that hold no such segment go to ``difflib``.
    """
    blocks: list[tuple[int, int, int]] = []
    _match(a, b, 0, len(a), 0, len(b), blocks)
    ops: list[tuple[str, int, int, int, int]] = []
    i = j = 0
    for bi, bj, size in [*sorted(blocks), (len(a), len(b), 0)]:
        if i < bi and j < bj:
            ops.append(("replace", i, bi, j, bj))
        elif i < bi:
            ops.append(("delete", i, bi, j, j))
        elif j < bj:
            ops.append(("insert", i, i, j, bj))
        if size:
            if ops and ops[-1][0] == "equal" and ops[-1][2] == bi:  # adjoining runs: one
                ops[-1] = ("equal", ops[-1][1], bi + size, ops[-1][3], bj + size)
            else:
                ops.append(("equal", bi, bi + size, bj, bj + size))
        i, j = bi + size, bj + size
    return ops


def _match(a: list[Item], b: list[Item], alo: int, ahi: int, blo: int, bhi: int,
           blocks: list[tuple[int, int, int]]) -> None:
    """Add the matching runs of ``a[alo:ahi]`` and ``b[blo:bhi]`` to ``blocks``."""
    while alo < ahi and blo < bhi:  # a stack instead of recursion: no depth limit
        head = 0
        while alo + head < ahi and blo + head < bhi and a[alo + head] == b[blo + head]:
            head += 1
        if head:
            blocks.append((alo, blo, head))
            alo, blo = alo + head, blo + head
        tail = 0
        while ahi - tail > alo and bhi - tail > blo and a[ahi - 1 - tail] == b[bhi - 1 - tail]:
            tail += 1
        if tail:
            blocks.append((ahi - tail, bhi - tail, tail))
            ahi, bhi = ahi - tail, bhi - tail
        if alo >= ahi or blo >= bhi:
            return
        anchors = _anchors(a, b, alo, ahi, blo, bhi)
        if not anchors:  # nothing unique to hold on to: difflib on this stretch alone
            matcher = difflib.SequenceMatcher(a=a[alo:ahi], b=b[blo:bhi], autojunk=False)
            blocks.extend((alo + i, blo + j, n)
                          for i, j, n in matcher.get_matching_blocks() if n)
            return
        # Between consecutive anchors, then after the last: each stretch matched on its own.
        stretches = []
        i, j = alo, blo
        for ai, bj in anchors:
            stretches.append((i, ai, j, bj))
            blocks.append((ai, bj, 1))
            i, j = ai + 1, bj + 1
        for lo_a, hi_a, lo_b, hi_b in stretches:
            _match(a, b, lo_a, hi_a, lo_b, hi_b, blocks)
        alo, blo = i, j


def _anchors(a: list[Item], b: list[Item], alo: int, ahi: int, blo: int,
             bhi: int) -> list[tuple[int, int]]:
    """Segments found once in each stretch, in the longest order both sides agree on."""
    once_a: dict[Item, int | None] = {}
    for x in range(alo, ahi):
        once_a[a[x]] = None if a[x] in once_a else x
    once_b: dict[Item, int | None] = {}
    for y in range(blo, bhi):
        once_b[b[y]] = None if b[y] in once_b else y
    pairs: list[tuple[int, int]] = []
    for item, in_a in once_a.items():
        in_b = once_b.get(item)
        if in_a is not None and in_b is not None:
            pairs.append((in_a, in_b))
    pairs.sort()
    # The longest run increasing in b (patience sorting): piles' tops and back links.
    tops: list[int] = []
    top_at: list[int] = []
    back: list[int] = []
    for k, (_, j) in enumerate(pairs):
        pile = bisect.bisect_left(tops, j)
        back.append(top_at[pile - 1] if pile else -1)
        if pile == len(tops):
            tops.append(j)
            top_at.append(k)
        else:
            tops[pile], top_at[pile] = j, k
    run: list[tuple[int, int]] = []
    k = top_at[-1] if top_at else -1
    while k >= 0:
        run.append(pairs[k])
        k = back[k]
    return run[::-1]


def update_format(version: ArticleVersion) -> str:
    """How the edit form's body is read: stored bodies are plain paragraphs or canonical HTML."""
    return "text" if version.format in ("text", "news") else "html"


def update_blocks(previous: ArticleVersion, title: str, body: str, max_chars: int) -> list[Block]:
    """The new version's blocks: the title, the standfirst kept from before, the new body."""
    ex = preview(body, update_format(previous), max_chars=max_chars)
    standfirst = [Block(s.kind, s.text, dict(s.markup or {}))
                  for s in previous.segments if s.kind == "standfirst"]
    return [Block("title", title), *standfirst,
            *(b for b in ex.blocks if b.kind not in ("title", "standfirst"))]


def update_article(
    uow: UnitOfWork,
    article_id: int,
    actor: User,
    *,
    title: object,
    body: object,
    max_chars: int = DEFAULT_MAX_CHARS,
    before_commit: Callable[[ArticleVersion], None] | None = None,
) -> ArticleVersion:
    """Store a new version; unchanged segments keep their translations, changed ones are
    set aside (with whatever the reviewer wrote) and translated again after commit.

    The live publications are not touched: they stay up until a new edition is published.
    ``before_commit`` writes what belongs with the version (a feed item's new digest) in
    the same transaction.
    """
    if not can(actor, Action.UPDATE_SOURCE):
        raise Forbidden(N_("Only editors can update articles."))
    title_text = clean_text(title, "title", max_chars=MAX_TITLE_CHARS).strip()
    body_text = clean_text(body, "body", max_chars=max_chars)
    article: Article = get_article(uow.session, article_id, actor)
    # Lock the jobs first: a worker finishing the old version waits for this commit and
    # then finds its lease gone, so it cannot add segments of a version that is no more.
    translations = list(uow.session.scalars(
        select(Translation).where(Translation.article_id == article.id)
        .order_by(Translation.id).with_for_update()
    ))
    previous = article.latest
    blocks = update_blocks(previous, title_text, body_text, max_chars)
    old_pairs = [(s.kind, s.text) for s in previous.segments]
    new_pairs = [(b.kind, b.text) for b in blocks]
    if old_pairs == new_pairs:
        raise Unprocessable(N_("The text is the same as version %(number)s; change something "
                               "before saving a new version."),
                            values={"number": previous.number}, field="body")

    version = ArticleVersion(number=previous.number + 1, title=title_text,
                             body=canonical_body(previous.format, blocks),
                             format=previous.format, meta=previous.meta, created_by_id=actor.id)
    version.segments = [SourceSegment(position=i, kind=b.kind, text=b.text,
                                      markup=b.markup or None)
                        for i, b in enumerate(blocks)]
    article.versions.append(version)
    article.current_version = version.number
    uow.session.flush()

    mapping = match_segments(old_pairs, new_pairs)
    old_index = {s.id: i for i, s in enumerate(previous.segments)}
    for t in translations:
        _carry_over(uow, actor, t, mapping, old_index, previous, version)
    audit.record(uow.session, "article.update", actor=actor, article_id=article.id,
                 note=(f"version {version.number}: {len(mapping.kept)} unchanged, "
                       f"{len(mapping.replaced)} changed, {len(mapping.removed)} removed, "
                       f"{len(mapping.added) - len(mapping.replaced)} added"))
    if before_commit is not None:
        before_commit(version)
    uow.commit()
    return version


def _carry_over(uow: UnitOfWork, actor: User, t: Translation, mapping: SegmentMap,
                old_index: dict[int, int], previous: ArticleVersion,
                version: ArticleVersion) -> None:
    """Move one translation onto ``version`` and queue it for what needs translating."""
    segments = list(uow.session.scalars(
        select(TranslatedSegment).where(TranslatedSegment.translation_id == t.id)))
    # Positions are unique per translation: park the kept rows out of the way first.
    for seg in segments:
        seg.position = -1 - seg.position
    uow.session.flush()
    for seg in segments:
        i = old_index.get(seg.source_segment_id)
        if i is not None and i in mapping.kept:
            new_seg = version.segments[mapping.kept[i]]
            seg.source_segment_id, seg.position = new_seg.id, new_seg.position
            continue
        replacement = version.segments[mapping.replaced[i]] if (
            i is not None and i in mapping.replaced) else None
        uow.session.add(OutdatedSegment(
            translation_id=t.id, version_number=previous.number,
            replaced_by_id=replacement.id if replacement else None,
            position=-1 - seg.position, kind=seg.kind, source_text=seg.source_text,
            new_source_text=replacement.text if replacement else None, mt_text=seg.mt_text,
            text=seg.text, state=seg.state, revision=seg.revision,
            edited_by_id=seg.edited_by_id, edited_at=seg.edited_at))
        uow.session.delete(seg)
    t.version_number = version.number
    # Even a translation that only lost segments goes round again: it reaches a fresh
    # draft at once ("nothing new" to translate) and is reviewed before it is republished.
    transition(t, Event.UPDATE_SOURCE, actor, note=f"source version {version.number}")
    t.attempts = 0
    t.error = t.error_detail = None
    t.lease_owner = t.lease_expires_at = None
    t.enqueued_at = utcnow()
    uow.enqueue(t.id)


def changed_sources(session: Session, translation_id: int) -> set[int]:
    """The source segments that replaced one a source update set aside for this translation:
    their fresh machine drafts are outdated until a reviewer looks at them."""
    return set(session.scalars(
        select(OutdatedSegment.replaced_by_id)
        .where(OutdatedSegment.translation_id == translation_id,
               OutdatedSegment.replaced_by_id.is_not(None))))


def outdated_for(uow: UnitOfWork, translation_id: int) -> list[OutdatedSegment]:
    """What source updates set aside for this translation, newest first."""
    return list(uow.session.scalars(
        select(OutdatedSegment).where(OutdatedSegment.translation_id == translation_id)
        .order_by(OutdatedSegment.version_number.desc(), OutdatedSegment.position)))

