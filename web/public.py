"""The public, localized site readers see: editions, front pages, feeds, sitemap, JSON."""

from __future__ import annotations

from typing import Any

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from flask.typing import ResponseReturnValue
from werkzeug.routing import BaseConverter

from web.caching import conditional
from web.context import uow
from workflow.edition_slugs import (
    current_slug,
    hreflang_of,
    live_addresses,
    live_addresses_of,
    resolve,
)
from workflow.editions import FeedEntry, atom_feed, edition_path, sitemap
from workflow.languages import LANGUAGES, Language, get_language
from workflow.models import Publication
from workflow.services.publishing import (
    editions_stamp,
    live_edition,
    live_editions,
    live_editions_at,
    was_published,
)

bp = Blueprint("public", __name__)


class LanguageConverter(BaseConverter):
    """Matches only the language codes the desk publishes in."""

    regex = "(?:" + "|".join(sorted(LANGUAGES)) + ")"


@bp.app_template_global()
def absolute_url(endpoint: str, **values: Any) -> str:
    """The one way the desk writes an absolute link: ``LINGUADESK_PUBLIC_URL`` + the path.

    Without a public URL (development only) the request's host is used; in production the
    Host header never reaches a link, so it cannot poison caches, feeds or search engines.
    """
    return _site() + url_for(endpoint, **values)


def _site() -> str:
    return str(current_app.config["PUBLIC_URL"] or request.host_url.rstrip("/"))


@bp.app_template_global()
def edition_url(lang: str, slug: str, absolute: bool = True) -> str:
    """An edition's address: ``workflow.editions.edition_path`` under the app's root,
    after ``LINGUADESK_PUBLIC_URL`` unless ``absolute`` is False (links within the desk)."""
    path = request.script_root + edition_path(lang, slug)
    return _site() + path if absolute else path


def alternates(pub: Publication, live: dict[str, str] | None = None) -> dict[str, str]:
    """Every live edition of ``pub``'s article at its own address, plus ``x-default``.

    ``live`` (the article's live editions: language → slug) is looked up when not given.
    """
    if live is None:
        live = live_addresses(uow().session, pub.article_id)
    found = hreflang_of(live, pub.article.source_language)
    return {key: edition_url(lang, slug) for key, (lang, slug) in found.items()}


class MovedTo(Exception):
    """The address is a former slug of an edition: readers are sent on with a 301."""

    def __init__(self, slug: str) -> None:
        super().__init__(slug)
        self.slug = slug


def _live_or_gone(lang: str, slug: str) -> Publication:
    pub = live_edition(uow(), lang, slug=slug)
    if pub is None:
        former = resolve(uow().session, lang, slug)
        if former is not None and not former.current:
            now = current_slug(uow().session, former.article_id, lang)
            if now is not None:
                raise MovedTo(now)
        if was_published(uow(), lang, slug):
            abort(410, description=f"The {get_language(lang).english_name} edition of "
                                   f"{slug!r} was withdrawn.")
        abort(404, description=f"No published {lang} edition of {slug!r}.")
    return pub


@bp.get("/<lang:lang>/<slug>")
def edition(lang: str, slug: str) -> ResponseReturnValue:
    """One published edition of an article (a former address redirects with 301)."""
    try:
        pub = _live_or_gone(lang, slug)
    except MovedTo as moved:
        return redirect(url_for("public.edition", lang=lang, slug=moved.slug), 301)
    alts = alternates(pub)
    switcher = [(LANGUAGES[code], url) for code, url in sorted(alts.items())
                if code != "x-default"]
    # The addresses, not just the languages: a changed slug anywhere is a new ETag.
    return conditional((pub.id, sorted(alts.items())), lambda: render_template(
        "public/article.html", pub=pub, language=get_language(lang), alternates=alts,
        switcher=switcher, canonical=edition_url(lang, slug)))


def _entries(pubs: list[Publication]) -> list[FeedEntry]:
    """Feed and sitemap entries, with every article's live addresses in one query."""
    live = live_addresses_of(uow().session, {p.article_id for p in pubs})
    entries = []
    for p in pubs:
        alts = alternates(p, live.get(p.article_id, {}))
        entries.append(FeedEntry(url=alts[p.language], title=p.title,
                                 summary=p.summary or "", published_at=p.published_at,
                                 updated_at=p.published_at, alternates=alts))
    return entries


@bp.get("/<lang:lang>/")
def front(lang: str) -> ResponseReturnValue:
    """The front page of one language: its live editions, newest first."""
    # The stamp covers the language's addresses too: a changed slug is a new front page.
    return conditional(editions_stamp(uow(), lang), lambda: render_template(
        "public/front.html", language=get_language(lang),
        editions=live_editions_at(uow(), lang),
        others=[LANGUAGES[c] for c in sorted(LANGUAGES) if c != lang]))


@bp.get("/<lang:lang>/feed.atom")
def feed(lang: str) -> ResponseReturnValue:
    """The Atom feed of one language's live editions, newest first."""
    language: Language = get_language(lang)

    def render() -> Response:
        body = atom_feed(feed_id=absolute_url("public.feed", lang=lang),
                         title=f"Linguadesk · {language.native_name}", language=lang,
                         self_url=absolute_url("public.feed", lang=lang),
                         site_url=absolute_url("public.front", lang=lang),
                         entries=_entries(live_editions(uow(), lang)))
        return Response(body, mimetype="application/atom+xml")

    # Entries list their alternates in every language: any edition anywhere counts.
    return conditional(editions_stamp(uow()), render)


@bp.get("/sitemap.xml")
def sitemap_xml() -> ResponseReturnValue:
    """Every live edition, each with its language alternates."""
    return conditional(editions_stamp(uow()), lambda: Response(
        sitemap(_entries(live_editions(uow()))), mimetype="application/xml"))


def edition_json(pub: Publication) -> dict[str, Any]:
    """A live edition and the others of its article, as JSON."""
    language = get_language(pub.language)
    live = live_addresses(uow().session, pub.article_id)
    alts = alternates(pub, live)
    return {"article_id": pub.article_id, "slug": live[pub.language],
            "language": pub.language, "dir": language.direction, "edition": pub.number,
            "title": pub.title, "summary": pub.summary, "html": pub.html,
            "url": alts[pub.language], "published_at": pub.published_at.isoformat(),
            "editions": {k: v for k, v in alts.items() if k != "x-default"}}


@bp.get("/<lang:lang>/<slug>.json")
def edition_as_json(lang: str, slug: str) -> ResponseReturnValue:
    """One published edition as JSON (a former address redirects with 301, before any 304)."""
    try:
        pub = _live_or_gone(lang, slug)
    except MovedTo as moved:
        return redirect(url_for("public.edition_as_json", lang=lang, slug=moved.slug), 301)
    data = edition_json(pub)
    # The alternates' addresses, not just their languages: a changed slug is a new ETag.
    return conditional((pub.id, sorted(data["editions"].items())), lambda: jsonify(data))
