"""The MT quality page draws TER and chrF over time as SVG, with the table below it."""

from __future__ import annotations

import re
from datetime import UTC, datetime

from flask import Flask

from tests.helpers import login
from workflow.db import Database
from workflow.models import PostEditScore, User
from workflow.services.articles import submit_article
from workflow.uow import UnitOfWork


def test_the_quality_page_charts_ter_and_chrf_per_engine_and_language_over_days(
        app: Flask, people: dict[str, User], sqlite_db: Database) -> None:
    with UnitOfWork(sqlite_db) as uow:
        article = submit_article(uow, people["editor"], title="Rain is expected tomorrow",
                                 body="Rain.", source_language="en", target_languages_=["es"])
        tid = article.translations[0].id
        for day, engine, ter, chrf in [(1, "apertium", 40.0, 60.0), (2, "apertium", 20.0, 80.0),
                                       (3, "apertium", 10.0, 90.0), (2, "ctranslate2", 55.0,
                                                                     45.0)]:
            uow.session.add(PostEditScore(translation_id=tid, language="es", engine=engine,
                                          ter=ter, chrf=chrf, segments=3,
                                          at=datetime(2026, 11, day, 12, tzinfo=UTC)))
        uow.commit()
    client = app.test_client()
    login(client, "editor@desk.test")
    page = client.get("/quality").text
    ter_svg = page.split('id="chart-ter"')[1].split("</svg>")[0]
    chrf_svg = page.split('id="chart-chrf"')[1].split("</svg>")[0]
    assert re.findall(r'data-series="([^"]+)"', ter_svg) == ["apertium · es", "ctranslate2 · es"]
    assert "apertium · es, 2026-11-03: 10.0" in ter_svg
    assert "ctranslate2 · es, 2026-11-02: 45.0" in chrf_svg
    apertium = re.search(r'data-series="apertium · es" stroke="[^"]+" points="([^"]+)"',
                         ter_svg)
    assert apertium is not None
    ys = [float(p.split(",")[1]) for p in apertium.group(1).split()]
    assert len(ys) == 3 and ys[0] < ys[1] < ys[2]  # TER falls: the line goes down the page
    table = page.split('id="quality"')[1]
    assert table.count("<tr data-engine=") == 4 and "2026-11-01" in table
    assert page.index('id="chart-ter"') < page.index('id="quality"')
