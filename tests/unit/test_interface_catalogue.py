"""The desk's interface catalogue: every visible string of a desk template goes through
gettext, every message of a domain error, QA issue or MT flag is marked for the catalogue,
and every language's catalogue translates every message the code asks for."""

from __future__ import annotations

import ast
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
    """The msgids babel extracts with the project's babel.cfg: the desk (web/), the words of
    notifications and e-mails (workflow/messages.py) and the domain's N_-marked errors."""
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


def test_the_extraction_finds_the_domain_error_messages() -> None:
    messages = extracted_messages()
    assert {"The target language %(code)s is the source language; pick another.",
            "Cannot %(action)s a translation that is %(state)s; it must be %(allowed)s.",
            "send back", "in_review"} <= messages


# Where the domain's errors are raised: the domain, the desk and the workers.
RAISING = [ROOT / d for d in ("workflow", "web", "workers")]
# An argument built from text that is not ours to translate: webargs/marshmallow's per-field
# messages, joined by web/errors.py's describe().
UNMARKED_CALLS = {"describe"}
PLACEHOLDER = re.compile(r"%\((\w+)\)")


def domain_error_classes(trees: dict[Path, ast.Module]) -> set[str]:
    """``DomainError`` and every class that derives from it in these modules, by name."""
    found = {"DomainError"}
    grew = True
    while grew:
        grew = False
        for tree in trees.values():
            for node in ast.walk(tree):
                if isinstance(node, ast.ClassDef) and node.name not in found and any(
                        (base.id if isinstance(base, ast.Name) else getattr(base, "attr", None))
                        in found for base in node.bases):
                    found.add(node.name)
                    grew = True
    return found


def _called(node: ast.Call) -> str | None:
    func = node.func
    return func.id if isinstance(func, ast.Name) else getattr(func, "attr", None)


# Messages kept as a template and values besides the errors, by class: the position of the
# template among the arguments (a QA issue's ``check, severity, template``; an MT flag's
# ``code, template``; why a job stopped, ``Failure(template, transient)``; a message on its
# own, ``Said(template)``; an engine's error, which a job's reason nests).
WORDED = {"Issue": 2, "Flag": 1, "Failure": 0, "Said": 0, "EngineError": 0,
          "EngineUnavailable": 0, "ModelNotFound": 0, "UnsupportedPair": 0, "SegmentTooLong": 0,
          "EngineFailed": 0}


def _message_argument(node: ast.Call, classes: set[str]) -> ast.expr | None:
    """The message (template) a domain error, a QA issue, an MT flag, a job's failure or a
    stored message is built with."""
    called = _called(node)
    at = 0 if called in classes else WORDED.get(called or "")
    if at is None:
        return None
    if len(node.args) > at:
        return node.args[at]
    return next((k.value for k in node.keywords if k.arg in ("message", "template")), None)


def unmarked_error_messages(trees: dict[Path, ast.Module]) -> list[str]:
    """Domain errors, QA issues and MT flags built with a message that is not
    ``N_("literal")`` (an f-string, a bare literal, a variable), or whose ``values=`` do not
    fill the template's placeholders."""
    classes = domain_error_classes(trees)
    problems = []
    for path, tree in trees.items():
        for node in ast.walk(tree):
            message = _message_argument(node, classes) if isinstance(node, ast.Call) else None
            if message is None:
                continue
            assert isinstance(node, ast.Call)
            where = f"{path.relative_to(ROOT) if path.is_absolute() else path}:{node.lineno}"
            if isinstance(message, ast.Call) and _called(message) in UNMARKED_CALLS:
                continue
            marked = (isinstance(message, ast.Call) and _called(message) == "N_"
                      and len(message.args) == 1 and isinstance(message.args[0], ast.Constant)
                      and isinstance(message.args[0].value, str))
            if not marked:
                problems.append(f"{where}: {ast.unparse(message)[:80]}")
                continue
            template = message.args[0].value  # type: ignore[attr-defined]
            wanted = set(PLACEHOLDER.findall(template))
            values = next((k.value for k in node.keywords if k.arg == "values"), None)
            if values is None and wanted:
                problems.append(f"{where}: {template[:60]!r} has no values= for {sorted(wanted)}")
            elif isinstance(values, ast.Dict):
                given = {k.value for k in values.keys if isinstance(k, ast.Constant)}
                if given != wanted:
                    problems.append(f"{where}: values= {sorted(given)} for {sorted(wanted)}")
    return problems


def test_every_domain_error_message_is_marked_for_the_catalogue() -> None:
    trees = {path: ast.parse(path.read_text()) for directory in RAISING
             for path in sorted(directory.rglob("*.py"))}
    problems = unmarked_error_messages(trees)
    assert problems == [], "write these as N_(\"… %(name)s …\"), values={\"name\": …}"


def test_the_check_finds_error_messages_left_out_of_the_catalogue() -> None:
    sample = ast.parse(
        "class Late(Conflict): pass\n"
        "def f(x):\n"
        "    raise InvalidInput(f'{x} is wrong.')\n"
        "    raise Late('Someone was first.')\n"
        "    raise NotFound(N_('No article %(id)s.'))\n"
        "    raise NotFound(N_('No article %(id)s.'), values={'article': x})\n"
        "    raise Forbidden(N_('Only editors may.'))\n"
        "    raise Conflict(N_('This is %(state)s.'), values={'state': x}, field='x')\n")
    trees = {Path("sample.py"): sample, Path("errors.py"): ast.parse(
        "class DomainError(Exception): pass\nclass Conflict(DomainError): pass\n"
        "class InvalidInput(DomainError): pass\nclass NotFound(DomainError): pass\n"
        "class Forbidden(DomainError): pass\n")}
    assert [p.split(":", 2)[1] for p in unmarked_error_messages(trees)] == ["3", "4", "5", "6"]


def test_the_check_finds_qa_issues_mt_flags_and_job_reasons_left_out_of_the_catalogue() -> None:
    sample = ast.parse(
        "def f(term, n):\n"
        "    Issue('glossary', 'warning', f'Glossary: {term} should be translated.')\n"
        "    Issue('empty', 'error', 'The segment is empty.')\n"
        "    Flag('split_long', f'Translated in {n} parts.')\n"
        "    Flag('split_long', N_('Translated in %(parts)s parts.'))\n"
        "    Issue('glossary', 'warning', N_('Glossary: %(term)s.'), values={'term': term})\n"
        "    Flag('split_long', template=N_('In %(parts)s parts.'), values={'parts': n})\n"
        "    Flag(load_default=False)\n"  # a schema's field of the same name
        "    Failure(f'Stopped after {n} s.', True)\n"
        "    Failure(N_('Stopped after %(n)s s.'), True, values={'n': n})\n"
        "    Said(N_('Gave up after %(n)s attempts.'))\n"
        "    raise ModelNotFound(f'No model at {n}.')\n"
        "    raise EngineFailed(N_('%(model)s failed.'), values={'model': n})\n")
    problems = unmarked_error_messages({Path("sample.py"): sample})
    assert [p.split(":", 2)[1] for p in problems] == ["2", "3", "4", "5", "9", "11", "12"]


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
