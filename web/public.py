"""The public, localized site readers see: editions, front pages, feeds, sitemap, JSON."""

from __future__ import annotations

from typing import Any

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    jsonify,
    render_template,
    request,
    url_for,
)
from flask.typing import ResponseReturnValue
from werkzeug.routing import BaseConverter

from web.caching import conditional
from web.context import uow
from workflow.editions import FeedEntry, atom_feed, edition_path, sitemap
from workflow.languages import LANGUAGES, Language, get_language
from workflow.models import Publication
from workflow.services.publishing import (
    editions_stamp,
    live_edition,
    live_editions,
    live_languages,
    live_languages_of,
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


def alternates(pub: Publication, live: list[str] | None = None) -> dict[str, str]:
    """Every live edition of ``pub``'s article by language, plus ``x-default``.

    ``x-default`` is the source-language edition when it is live, else the first one.
    ``live`` (the article's live languages) is looked up when not given.
    """
    slug = pub.article.slug
    if live is None:
        live = live_languages(uow(), pub.article_id)
    urls = {lang: edition_url(lang, slug) for lang in live}
    if urls:
        source = pub.article.source_language
        urls["x-default"] = urls.get(source) or urls[sorted(urls)[0]]
    return urls


def _live_or_gone(lang: str, slug: str) -> Publication:
    pub = live_edition(uow(), lang, slug=slug)
    if pub is None:
        if was_published(uow(), lang, slug):
            abort(410, description=f"The {get_language(lang).english_name} edition of "
                                   f"{slug!r} was withdrawn.")
        abort(404, description=f"No published {lang} edition of {slug!r}.")
    return pub


@bp.get("/<lang:lang>/<slug>")
def edition(lang: str, slug: str) -> ResponseReturnValue:
    """One published edition of an article."""
    pub = _live_or_gone(lang, slug)
    alts = alternates(pub)
    switcher = [(LANGUAGES[code], url) for code, url in sorted(alts.items())
                if code != "x-default"]
    return conditional((pub.id, sorted(alts)), lambda: render_template(
        "public/article.html", pub=pub, language=get_language(lang), alternates=alts,
        switcher=switcher, canonical=edition_url(lang, slug)))


def _entries(pubs: list[Publication]) -> list[FeedEntry]:
    """Feed and sitemap entries, with the live languages of every article in one query."""
    live = live_languages_of(uow(), {p.article_id for p in pubs})
    return [FeedEntry(url=edition_url(p.language, p.article.slug), title=p.title,
                      summary=p.summary or "", published_at=p.published_at,
                      updated_at=p.published_at,
                      alternates=alternates(p, live.get(p.article_id, [])))
            for p in pubs]


@bp.get("/<lang:lang>/")
def front(lang: str) -> ResponseReturnValue:
    """The front page of one language: its live editions, newest first."""
    return conditional(editions_stamp(uow(), lang), lambda: render_template(
        "public/front.html", language=get_language(lang), editions=live_editions(uow(), lang),
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
    return {"article_id": pub.article_id, "slug": pub.article.slug, "language": pub.language,
            "dir": language.direction, "edition": pub.number, "title": pub.title,
            "summary": pub.summary, "html": pub.html, "url": edition_url(pub.language,
                                                                          pub.article.slug),
            "published_at": pub.published_at.isoformat(),
            "editions": {k: v for k, v in alternates(pub).items() if k != "x-default"}}


@bp.get("/<lang:lang>/<slug>.json")
def edition_as_json(lang: str, slug: str) -> ResponseReturnValue:
    """One published edition as JSON."""
    pub = _live_or_gone(lang, slug)
    data = edition_json(pub)
    return conditional((pub.id, sorted(data["editions"])), lambda: jsonify(data))
