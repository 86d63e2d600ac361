"""The desk's interface catalogue: every visible string of a desk template goes through
gettext, and every language's catalogue translates every message the code asks for."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po
from jinja2 import Environment, nodes
from jinja2.ext import i18n

ROOT = Path(__file__).resolve().parents[2]
WEB = ROOT / "web"
TEMPLATES = sorted((WEB / "templates").glob("*.html"))  # public/ keeps its edition's language
LANGUAGES = ("en", "es", "fr", "ar", "zh")
# Visible words that are the same in every language: the brand and the metrics' names.
ALLOWED_WORDS = {"Linguadesk", "TER", "chrF", "Spearman"}
# Literals an expression prints into markup no person reads (flags, classes, attributes).
ALLOWED_LITERALS = {"true", "false", "error", "warning", "lit", "read", "unread", "selected",
                    "checked", "preconfirmed", "confidence-low"}
# Whatever is inside these is code, key caps or a script, not prose to translate.
VERBATIM = {"code", "kbd", "script", "style", "svg"}
VISIBLE_ATTRIBUTES = {"title", "placeholder", "aria-label", "alt"}
JINJA = re.compile(r"{{.*?}}|{%.*?%}|{#.*?#}", re.S)
LETTERS = re.compile(r"[^\W\d_]{2,}")


def extracted_messages() -> set[str]:
    """The msgids babel extracts with the project's babel.cfg: the desk (web/) and the
    words of notifications and e-mails (workflow/messages.py)."""
    with (ROOT / "babel.cfg").open() as cfg:
        method_map, options_map = parse_mapping_cfg(cfg)
    keywords = dict(DEFAULT_KEYWORDS, lazy_gettext=None)
    found = set()
    for _file, _line, message, _comments, _context in extract_from_dir(
            str(ROOT), method_map, options_map, keywords=keywords):
        found.add(message if isinstance(message, str) else message[0])
    return found


class _Visible(HTMLParser):
    """Collects text and user-visible attribute values outside verbatim elements."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []
        self.depth = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in VERBATIM:
            self.depth += 1
        values = dict(attrs)
        for name, value in attrs:
            shown = name in VISIBLE_ATTRIBUTES or (
                name == "value" and tag == "input" and values.get("type") in ("submit", "button"))
            if shown and value:
                self.found.append(f"{tag}[{name}]={value}")

    def handle_endtag(self, tag: str) -> None:
        if tag in VERBATIM and self.depth:
            self.depth -= 1

    def handle_data(self, data: str) -> None:
        if not self.depth and data.strip():
            self.found.append(data.strip())


def unwrapped_markup(source: str) -> list[str]:
    """Text and visible attributes with words written straight into the template."""
    parser = _Visible()
    parser.feed(JINJA.sub(" \x00 ", source))  # spaced: a tag stays a tag around it
    words = []
    for text in parser.found:
        for word in LETTERS.findall(text.split("=", 1)[-1] if "[" in text else text):
            if word not in ALLOWED_WORDS:
                words.append(text)
                break
    return words


def _printed_literals(node: nodes.Node) -> list[str]:
    """String literals an expression prints as they are (not a gettext, url_for… argument)."""
    if isinstance(node, nodes.Const):
        return [node.value] if isinstance(node.value, str) else []
    if isinstance(node, nodes.Call | nodes.Filter | nodes.Test | nodes.Compare):
        inner = node.node if isinstance(node, nodes.Call | nodes.Filter) else None
        return _printed_literals(inner) if inner is not None else []
    if isinstance(node, nodes.CondExpr):
        return _printed_literals(node.expr1) + (
            _printed_literals(node.expr2) if node.expr2 is not None else [])
    if isinstance(node, nodes.Getitem | nodes.Getattr):
        return []
    found = []
    for child in node.iter_child_nodes():
        found += _printed_literals(child)
    return found


def unwrapped_literals(source: str) -> list[str]:
    """Words printed from string literals in ``{{ }}`` without gettext."""
    tree = Environment(extensions=[i18n]).parse(source)
    words = []
    for output in tree.find_all(nodes.Output):
        for child in output.nodes:
            if isinstance(child, nodes.TemplateData):
                continue
            allowed = ALLOWED_LITERALS | ALLOWED_WORDS
            words += [literal for literal in _printed_literals(child)
                      if LETTERS.search(literal) and literal.strip() not in allowed]
    return words


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda p: p.name)
def test_every_visible_string_of_a_desk_template_goes_through_gettext(template: Path) -> None:
    source = template.read_text()
    assert unwrapped_markup(source) == [], "wrap these in {{ _('…') }}"
    assert unwrapped_literals(source) == [], "wrap these literals in _('…')"


def test_the_check_finds_text_attributes_and_literals_left_in_english() -> None:
    sample = ('<h1>Inbox</h1><input placeholder="Search"><td>{{ x if y else "never" }}</td>'
              '<p>{{ _("Fine") }} · <code>X-Header</code> Linguadesk</p>')
    assert unwrapped_markup(sample) == ["Inbox", "input[placeholder]=Search"]
    assert unwrapped_literals(sample) == ["never"]


def test_the_extraction_finds_the_desk_messages() -> None:
    messages = extracted_messages()
    assert {"Sign in", "Inbox", "Wrong e-mail or password.", "Draft ready"} <= messages
    assert {"Hello %(name)s,", "Choose a new password for Linguadesk",
            "%(num)d draft in your languages waits for a reviewer"} <= messages


def _complete(string: str | tuple[str, ...], plurals: int) -> bool:
    """A translation, with every plural form the language has when it is a plural."""
    if isinstance(string, tuple):
        return len(string) == plurals and all(string)
    return bool(string)


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_catalogue_translates_every_message(language: str) -> None:
    path = WEB / "translations" / language / "LC_MESSAGES" / "messages.po"
    with path.open("rb") as f:
        catalog = read_po(f, locale=language)
    untranslated = [m for m in sorted(extracted_messages())
                    if m not in catalog or catalog[m].fuzzy or not _complete(catalog[m].string,
                                                                           catalog.num_plurals)]
    assert untranslated == [], f"{language}: translate these in {path.relative_to(ROOT)}"
    fuzzy = [m.id for m in catalog if m.id and m.fuzzy]
    assert fuzzy == [], f"{language}: fuzzy entries left"
    # A translation that drops or renames a %(placeholder)s would break the page.
    problems = [(m.id, [str(e) for e in errors]) for m, errors in catalog.check()]
    assert problems == []
