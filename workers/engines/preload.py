"""Import the MT libraries once, when a worker process starts, never inside a task.

A task runs under Celery's soft time limit, which interrupts it by raising an exception
wherever it is. Raised in the middle of importing torch or transformers, it leaves the
process with half-initialised C extensions: every later import fails or crashes, so each
job that process takes would fail. Importing in ``worker_process_init`` (no time limit)
keeps imports out of the tasks; models still load lazily, on the first job that needs one.
"""

from __future__ import annotations

import importlib
import logging

log = logging.getLogger(__name__)

# The model and tokenizer classes the engines reach through transformers' lazy module:
# touching them here imports their modules now rather than during a task.
TRANSFORMERS_CLASSES = (
    "AutoTokenizer", "AutoModelForSeq2SeqLM", "MarianMTModel", "MarianTokenizer",
    "M2M100ForConditionalGeneration", "M2M100Tokenizer", "NllbTokenizer", "NllbTokenizerFast",
)


def preload() -> list[str]:
    """Import torch, transformers' seq2seq classes and CTranslate2; return what failed.

    A failure is logged, not raised: the task that needs the library then fails with a
    reason the job records, and a fresh worker process takes the job over.
    """
    failed: list[str] = []
    for module in ("torch", "ctranslate2", "ctranslate2.converters"):
        try:
            importlib.import_module(module)
        except Exception as exc:
            failed.append(module)
            log.warning("could not import %s in the worker process: %s", module, exc)
    try:
        transformers = importlib.import_module("transformers")
        for name in TRANSFORMERS_CLASSES:
            getattr(transformers, name)
    except Exception as exc:
        failed.append("transformers")
        log.warning("could not import transformers in the worker process: %s", exc)
    return failed
