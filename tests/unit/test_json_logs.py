"""Worker logs are JSON lines that carry the article and translation ids."""

from __future__ import annotations

import json
import logging

from workers.logs import JsonFormatter, log_context


def test_a_log_line_inside_a_task_carries_its_article_and_translation_ids() -> None:
    record = logging.LogRecord("workers.tasks", logging.INFO, __file__, 1,
                               "translate %s: %s", (7, "done"), None)
    formatter = JsonFormatter()
    with log_context(translation_id=7, article_id=3):
        line = json.loads(formatter.format(record))
    assert line["message"] == "translate 7: done"
    assert (line["translation_id"], line["article_id"], line["level"]) == (7, 3, "INFO")
    outside = json.loads(formatter.format(record))
    assert "translation_id" not in outside
