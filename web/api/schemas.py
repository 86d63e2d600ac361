"""The API's request and response schemas, each declared once.

The same classes validate what comes in, shape what goes out and write the OpenAPI
document, so the document cannot drift from the code. Rules the domain owns (what text
may contain, the languages, the formats, the metadata fields) are imported, not copied.
"""

from __future__ import annotations

import sys
from typing import Any, ClassVar

from marshmallow import EXCLUDE, INCLUDE, RAISE, Schema, ValidationError, fields, validate

from web.errors import message_of, told_in
from workflow.errors import InvalidInput
from workflow.ingest.extract import FORMATS, TEXT_META_FIELDS
from workflow.languages import LANGUAGES
from workflow.states import State
from workflow.validation import (
    MAX_META_CHARS,
    MAX_SEGMENT_CHARS,
    MAX_TITLE_CHARS,
    NO_CONTROL_PATTERN,
    TEXT_PATTERN,
    clean_text,
)

LANGUAGE_CODES = sorted(LANGUAGES)


class Text(fields.String):
    """Text a person wrote: no control characters and, unless ``blank``, not blank.

    The domain's own check runs, so the API says what the dashboard says.
    """

    def __init__(self, *, blank: bool = False, max_chars: int | None = None,
                 **kwargs: Any) -> None:
        self.blank = blank
        meta = {"pattern": NO_CONTROL_PATTERN if blank else TEXT_PATTERN,
                **kwargs.pop("metadata", {})}
        length = [validate.Length(max=max_chars, error="is longer than {max} characters.")]
        super().__init__(metadata=meta, validate=length if max_chars else None,
                         error_messages={"invalid": "must be text."}, **kwargs)

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> str:
        text = super()._deserialize(value, attr, data, **kwargs)
        # A blank value is checked as one visible character would be: only controls fail.
        probe = text if text.strip() or not self.blank else text + "."
        try:  # the size limit is the domain's to enforce (413), with its configured maximum
            clean_text(probe, self.name or attr or "text", max_chars=sys.maxsize)
        except InvalidInput as exc:
            raise ValidationError(message_of(exc)) from exc
        return text


class Flag(fields.Boolean):
    """JSON true or false, nothing that merely converts to one (0, "yes")."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> bool:
        if not isinstance(value, bool):
            raise self.make_error("invalid")
        return value


def _known_language(code: str) -> None:
    if code not in LANGUAGES:
        raise ValidationError(f"Unsupported language code {code!r}. "
                              f"Supported: {', '.join(LANGUAGE_CODES)}.")


def Language(**kwargs: Any) -> fields.String:
    """A language code the desk works in."""
    return fields.String(validate=_known_language, metadata={"enum": LANGUAGE_CODES},
                         error_messages={"invalid": "must be a language code."}, **kwargs)


def Format(**kwargs: Any) -> fields.String:
    """One of the ingestion formats."""
    return fields.String(validate=validate.OneOf(
        FORMATS, error="Unknown format {input!r}; use one of {choices}."), **kwargs)


class Strict(Schema):
    """A request body: an unknown field is a typo to report, not data to drop."""

    class Meta:
        unknown = RAISE


class Corrections(Strict):
    """What an editor may correct in the extracted metadata."""

    class Meta(Strict.Meta):
        include: ClassVar = {name: Text(blank=True, max_chars=MAX_META_CHARS)
                             for name in TEXT_META_FIELDS}

    credits = fields.List(Text(max_chars=MAX_META_CHARS),
                          metadata={"description": "credit lines, kept untranslated"})


class NewArticle(Corrections):
    """An article to translate; metadata given here replaces what ingestion found."""

    title = Text(blank=True, max_chars=MAX_TITLE_CHARS, metadata={
        "description": "Leave out or blank to use the headline found in the body."})
    body = Text(required=True, metadata={
        "description": "The article; the server's size limit applies (413 beyond it)."})
    source_language = Language(required=True)
    target_languages = fields.List(Language(), required=True, validate=validate.Length(
        min=1, error="pick at least one target language."))
    format = Format(load_default="text")


class ArticleUpdate(Strict):
    """A new version of the source text."""

    title = Text(required=True, max_chars=MAX_TITLE_CHARS)
    body = Text(required=True)


class ExtractRequest(Strict):
    """Raw text to run through ingestion."""

    body = Text(required=True)
    format = Format(load_default="auto")


class ExtractQuery(Schema):
    """The format of a plain-text body (other query parameters, e.g. cache busters, pass)."""

    class Meta:
        unknown = EXCLUDE

    format = Format(load_default="auto")


class SegmentEdit(Strict):
    """A reviewer's text for one segment."""

    text = Text(required=True, max_chars=MAX_SEGMENT_CHARS)
    revision = fields.Integer(required=True, strict=True, metadata={
        "description": "the revision you edited; 409 when someone saved since"})
    confirm = Flag(load_default=False, metadata={
        "description": "true marks the segment as done"})


class SendBack(Strict):
    """Why a translation goes back to review."""

    note = Text(required=True, max_chars=MAX_META_CHARS)


class Approval(Strict):
    """Approving despite QA warnings needs a reason."""

    reason = Text(blank=True, max_chars=MAX_META_CHARS,
                  metadata={"description": "why QA warnings are overridden"})


class Error(Schema):
    """Every error the API answers: a code to branch on and a message to show, and details
    where there are some (which field, the current state or text, the QA issues)."""

    class Meta:
        unknown = INCLUDE

    error = fields.String(required=True)
    message = fields.String(required=True)
    field = fields.String(metadata={"description": "the field to fix"})
    fields_ = fields.Dict(data_key="fields", metadata={
        "description": "per field, what is wrong with it"})
    state = fields.String(metadata={"description": "the state the object is in"})
    current_text = fields.String(metadata={"description": "the text saved meanwhile"})


class TranslationSummary(Schema):
    """A translation without its segments."""

    id = fields.Integer(required=True)
    language = fields.String(required=True)
    state = fields.String(required=True, metadata={"enum": [s.value for s in State]})
    attempts = fields.Integer(required=True)
    error = fields.Function(lambda t: told_in(t.error, t.error_detail), required=True,
                            allow_none=True, metadata={
                                "type": "string",
                                "description": "why the job failed or was given back, in the "
                                               "request's language (English by default)"})


class Article(Schema):
    """An article at its latest version, with each translation's state."""

    id = fields.Integer(required=True)
    slug = fields.String(required=True)
    source_language = fields.String(required=True)
    version = fields.Integer(required=True, attribute="latest.number")
    title = fields.String(required=True, attribute="latest.title")
    format = fields.String(required=True, attribute="latest.format")
    created_at = fields.DateTime(required=True)
    translations = fields.List(fields.Nested(TranslationSummary), required=True)


class Block(Schema):
    """One extracted block of the body."""

    kind = fields.String(required=True)
    text = fields.String(required=True)
    markup = fields.Dict(required=True)


class Notice(Schema):
    """Something to add before submitting."""

    error = fields.String(required=True)
    message = fields.String(required=True)


class Extraction(Schema):
    """What ingestion extracted: the headline, the metadata and the blocks."""

    class Meta:
        include: ClassVar = {name: fields.String(required=True) for name in TEXT_META_FIELDS}

    format = fields.String(required=True)
    headline = fields.String(required=True)
    credits = fields.List(fields.String(), required=True)
    removed = fields.List(fields.String(), metadata={"description": "unsafe parts dropped"})
    dropped = fields.List(fields.String())
    notices = fields.List(fields.Nested(Notice), metadata={
        "description": "what to add before submitting, e.g. no_headline: give a title"})
    blocks = fields.List(fields.Nested(Block), required=True)


class ArticleCreated(Article):
    """The new article, what was extracted, and what will translate each language."""

    extracted = fields.Nested(Extraction, required=True)
    translated_by = fields.Dict(keys=fields.String(), values=fields.String(), required=True,
                                metadata={"description": (
                                    "Per target language, what will translate it: an engine, "
                                    "a chain of engines, or 'no engine: a reviewer translates "
                                    "from the source' (the draft then has empty targets).")})


class Segment(Schema):
    """A translated segment with its provenance."""

    id = fields.Integer(required=True)
    position = fields.Integer(required=True)
    kind = fields.String(required=True)
    source = fields.String(required=True, attribute="source_text")
    mt = fields.String(required=True, allow_none=True, attribute="mt_text")
    engine = fields.String(required=True, allow_none=True)
    model = fields.String(required=True, allow_none=True)
    text = fields.String(required=True)
    revision = fields.Integer(required=True)
    state = fields.String(required=True)
    mt_flags = fields.List(fields.Dict(), attribute="flags")
    confidence = fields.Float(required=True, allow_none=True, metadata={
        "minimum": 0, "maximum": 1,
        "description": "how sure the engine was (exp of the mean token log-probability of "
                       "the least confident sentence); null for Apertium, memory and people"})
    preconfirmed = fields.Function(
        lambda s: told_in(s.preconfirmed, s.preconfirmed_detail), required=True,
        allow_none=True, metadata={"type": "string", "description": "why the language's review "
                                   "policy pre-confirmed this draft, in the request's language"})


class ReviewPolicy(Strict):
    """Pre-confirm a language's confident drafts (null turns it off)."""

    min_confidence = fields.Float(required=True, allow_none=True, validate=validate.Range(
        min=0, max=1, min_inclusive=False, max_inclusive=False,
        error="min_confidence is a number between 0 and 1 (exclusive), e.g. 0.9, or null "
              "to turn pre-confirmation off."),
        metadata={"exclusiveMinimum": True, "exclusiveMaximum": True})


class ReviewPolicyNow(Schema):
    """A language's review policy as it stands."""

    language = fields.String(required=True)
    min_confidence = fields.Float(required=True, allow_none=True)


class EngineQuality(Schema):
    """One engine on one pair: recent post-edit scores and how good its confidence is."""

    engine = fields.String(required=True)
    samples = fields.Integer(required=True)
    chrf = fields.Dict(required=True, allow_none=True,
                       metadata={"description": "mean, low, high (95% interval)"})
    ter = fields.Dict(required=True, allow_none=True,
                      metadata={"description": "mean, low, high (95% interval)"})
    confidence = fields.Dict(required=True, allow_none=True, metadata={
        "description": "samples, spearman (confidence vs TER), edited_least_confident, "
                       "edited_rest, calibration (or null) and a note"})


class PairQuality(Schema):
    """One language pair: its engines, learned routing's choice and why."""

    source = fields.String(required=True)
    target = fields.String(required=True)
    engines = fields.List(fields.Nested(EngineQuality), required=True)
    choice = fields.Dict(required=True, allow_none=True,
                         metadata={"description": "engine and why"})
    last_decision = fields.String(required=True, allow_none=True)


class Quality(Schema):
    """What the desk learned from reviewers, per language pair."""

    pairs = fields.List(fields.Nested(PairQuality), required=True)


class Translation(TranslationSummary):
    """A translation with every segment."""

    article_id = fields.Integer(required=True)
    segments = fields.List(fields.Nested(Segment), required=True)


class OutdatedSegment(Schema):
    """A segment a source update set aside, the reviewer's text kept."""

    version = fields.Integer(required=True, attribute="version_number")
    position = fields.Integer(required=True)
    kind = fields.String(required=True)
    source = fields.String(required=True, attribute="source_text")
    new_source = fields.String(required=True, allow_none=True, attribute="new_source_text")
    mt = fields.String(required=True, allow_none=True, attribute="mt_text")
    text = fields.String(required=True)
    reviewed = fields.Boolean(required=True)


class Publication(Schema):
    """A published edition."""

    id = fields.Integer(required=True)
    article_id = fields.Integer(required=True)
    language = fields.String(required=True)
    number = fields.Integer(required=True)
    title = fields.String(required=True)
    summary = fields.String(required=True, allow_none=True)
    html = fields.String(required=True)
    published_at = fields.DateTime(required=True)
    withdrawn_at = fields.DateTime(required=True, allow_none=True)


class Withdrawal(Schema):
    """The edition that was taken down."""

    article_id = fields.Integer(required=True)
    language = fields.String(required=True)
    withdrawn_edition = fields.Integer(required=True)


class WebhookDelivery(Schema):
    """One attempt to tell a webhook endpoint about an event."""

    id = fields.Integer(required=True)
    event = fields.String(required=True)
    url = fields.String(required=True, attribute="endpoint.url")
    state = fields.String(required=True)
    attempts = fields.Integer(required=True)
    response_status = fields.Integer(required=True, allow_none=True)
    error = fields.String(required=True, allow_none=True)
    created_at = fields.DateTime(required=True)
