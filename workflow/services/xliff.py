"""Exporting a translation to XLIFF for a CAT tool, and importing the file it gives back."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select

from workflow.errors import N_, Conflict, Forbidden, Unprocessable, Word
from workflow.exchange import xliff
from workflow.models import Comment, SegmentState, TranslatedSegment, Translation, User
from workflow.permissions import Action, can
from workflow.qa import Issue
from workflow.queries import get_translation
from workflow.services.review import EDITABLE, segment_issues, store_segment
from workflow.states import audit, state_word
from workflow.uow import UnitOfWork
from workflow.validation import clean_text


def _editable(uow: UnitOfWork, translation_id: int, actor: User) -> Translation:
    t = get_translation(uow.session, translation_id, actor)
    if not can(actor, Action.EDIT, t):
        raise Forbidden(N_("You do not review %(language)s; only its reviewers exchange XLIFF "
                           "files of this translation."), values={"language": t.language})
    return t


def _notes(seg: TranslatedSegment, comments: list[Comment]) -> list[xliff.Note]:
    notes = [xliff.Note("linguadesk-mt", f"{f['code']}: {f['message']}", "mt-flag")
             for f in seg.flags]
    return notes + [xliff.Note(c.author.display_name, c.body) for c in comments]


def export_xliff(uow: UnitOfWork, translation_id: int, actor: User,
                 version: str = "1.2") -> bytes:
    """The translation as an XLIFF file: one unit per segment, with state, revision, notes."""
    t = _editable(uow, translation_id, actor)
    comments = list(uow.session.scalars(
        select(Comment).where(Comment.translation_id == t.id).order_by(Comment.id)))
    units = [xliff.Unit(s.id, s.source_text, s.text, s.state, s.revision,
                        _notes(s, [c for c in comments if c.segment_id == s.id]))
             for s in t.segments]
    return xliff.write(xliff.Document(t.id, t.article.source_language, t.language, units),
                       version)


@dataclass
class ImportReport:
    """What an import changed, left alone, and refused to overwrite."""

    updated: list[int] = field(default_factory=list)
    unchanged: list[int] = field(default_factory=list)
    conflicts: list[dict[str, object]] = field(default_factory=list)
    issues: dict[int, list[Issue]] = field(default_factory=dict)


def _check_file(doc: xliff.ReadDocument, t: Translation) -> None:
    if doc.translation_id != str(t.id):
        raise Unprocessable(
            N_("This XLIFF file is not an export of translation %(id)s (it says %(other)s); "
               "download this translation's file and work on that."),
            values={"id": t.id, "other": doc.translation_id or Word(N_("nothing"))})
    expected = (t.article.source_language, t.language)
    if (doc.source_language, doc.target_language) != expected:
        raise Unprocessable(N_("The file is %(source)s→%(target)s; this translation is "
                               "%(expected_source)s→%(expected_target)s."),
                            values={"source": doc.source_language, "target": doc.target_language,
                                    "expected_source": expected[0],
                                    "expected_target": expected[1]})


def import_xliff(uow: UnitOfWork, translation_id: int, data: bytes,
                 actor: User) -> ImportReport:
    """Save the targets of an XLIFF file through the workspace's save, in one transaction.

    A segment saved on the desk since the export is a conflict and is left as it is; a bad
    file (not XML, another translation's, unknown segments, broken tags) changes nothing.
    """
    t = _editable(uow, translation_id, actor)
    doc = xliff.read(data)
    _check_file(doc, t)
    if t.state not in EDITABLE:
        raise Conflict(N_("This translation is %(state)s; only drafts and translations in review "
                          "take an XLIFF file."), values={"state": state_word(t.state)},
                       state=t.state)
    segments = {str(s.id): s for s in t.segments}
    unknown = [u.id for u in doc.units if u.id not in segments]
    if unknown:
        raise Unprocessable(N_("The file has units this translation does not have: %(units)s. "
                               "Export the translation again."),
                            values={"units": ", ".join(unknown[:10])}, unknown=unknown)
    plan: list[tuple[TranslatedSegment, str, bool]] = []
    report = ImportReport()
    for u in doc.units:
        seg = segments[u.id]
        text = (xliff.target_text(u.id, u.target, seg.source_text).strip()
                if u.target is not None else "")
        if text:
            clean_text(text, f"target of unit {u.id}", max_chars=20_000)
        confirm = u.final and bool(text or seg.text)
        new_text = text or seg.text
        if new_text == seg.text and (not confirm or seg.state == SegmentState.CONFIRMED):
            report.unchanged.append(seg.id)
        elif u.revision is None:
            raise Unprocessable(N_("Unit %(id)s has no ld:revision attribute; export the "
                                   "translation again and keep the attributes the desk wrote."),
                                values={"id": u.id})
        elif u.revision != seg.revision:
            report.conflicts.append({
                "segment_id": seg.id, "file_revision": u.revision, "desk_revision": seg.revision,
                "reason": f"changed in the desk since the export (revision {u.revision} "
                          f"in the file, {seg.revision} now); the desk's text was kept"})
        else:
            plan.append((seg, new_text, confirm))
    for seg, new_text, confirm in plan:
        store_segment(uow, t, seg.id, new_text, seg.revision, actor, confirm)
        report.updated.append(seg.id)
    if plan:
        audit(actor, "translation.xliff_import", t,
              note=f"{len(plan)} segment(s) from XLIFF {doc.version}; "
                   f"{len(report.conflicts)} conflict(s)")
    uow.commit()
    if plan:
        uow.session.refresh(t)
        issues = segment_issues(uow, t)
        report.issues = {sid: issues[sid] for sid in report.updated if issues.get(sid)}
    return report
