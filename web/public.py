"""The public, localized site readers see."""

from __future__ import annotations

from flask import Blueprint, abort, render_template
from flask.typing import ResponseReturnValue
from werkzeug.routing import BaseConverter

from web.context import uow
from workflow.languages import LANGUAGES, get_language
from workflow.services.publishing import live_edition

bp = Blueprint("public", __name__)


class LanguageConverter(BaseConverter):
    """Matches only the language codes the desk publishes in."""

    regex = "(?:" + "|".join(sorted(LANGUAGES)) + ")"


@bp.get("/<lang:lang>/<slug>")
def edition(lang: str, slug: str) -> ResponseReturnValue:
    """One published edition of an article."""
    pub = live_edition(uow(), lang, slug)
    if pub is None:
        abort(404, description=f"No published {lang} edition of {slug!r}.")
    return render_template("public/article.html", pub=pub, language=get_language(lang))
