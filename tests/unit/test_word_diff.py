"""The word diff shown under each segment and the glossary marks in the source."""

from __future__ import annotations

from web.diff import diff_html, glossary_marks
from workflow.glossary import term_spans
from workflow.models import GlossaryTerm


def test_the_diff_marks_removed_and_added_words_and_escapes_text() -> None:
    html = str(diff_html("Los precios subieron <b>mucho</b>.", "Los precios bajaron <b>mucho</b>."))
    assert html == ("Los precios <del>subieron</del> <ins>bajaron</ins> "
                    "&lt;b&gt;mucho&lt;/b&gt;.")


def test_glossary_terms_are_marked_with_their_translation_and_the_rest_escaped() -> None:
    terms = [GlossaryTerm(term="city council", translation="ayuntamiento", note="",
                          do_not_translate=False, forbidden=False),
             GlossaryTerm(term="Reuters", translation="", note="agency",
                          do_not_translate=True, forbidden=False)]
    spans = term_spans("The City Council <met> Reuters.", terms)
    assert "".join(text for text, _ in spans) == "The City Council <met> Reuters."
    html = str(glossary_marks(spans))
    assert html == ('The <mark class="term" title="ayuntamiento">City Council</mark> &lt;met&gt; '
                    '<mark class="term" title="do not translate — agency">Reuters</mark>.')
