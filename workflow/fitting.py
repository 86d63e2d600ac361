"""Every input within the model's limit, whoever calls the engine: split, translate, rejoin."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace

from workflow.confidence import least_confident
from workflow.engine import Flag, MTResult
from workflow.errors import N_
from workflow.sentences import split_long


def split_flag(parts: int) -> Flag:
    """The reviewer's note on a sentence that reached the model in ``parts`` pieces."""
    return Flag("split_long", N_(
        "A sentence longer than the model takes was translated in %(parts)s parts at clause "
        "boundaries (or, failing those, between words or tokens); check the joins."),
        values={"parts": parts})


def within_limit(texts: Sequence[str], count: Callable[[Sequence[str]], list[int]],
                 limit: int, run: Callable[[list[str]], list[MTResult]]) -> list[MTResult]:
    """``run`` on ``texts`` with each text over ``limit`` tokens split first, then rejoined.

    ``count`` gives the model's own token counts (special and language tokens included);
    ``run`` sees only pieces that fit. Nothing is dropped: a text's pieces and the
    whitespace between them come back in order, and a split text is flagged.
    """
    plans: list[list[tuple[str, str]]] = []
    for text, n in zip(texts, count(texts), strict=True):
        if n <= limit:
            plans.append([(text, "")])
        else:
            plans.append(split_long(text, lambda t: count([t])[0], limit))
    units = [piece for plan in plans for piece, _ in plan]
    outputs = run(units) if units else []
    results: list[MTResult] = []
    cursor = 0
    for plan in plans:
        done = outputs[cursor:cursor + len(plan)]
        cursor += len(plan)
        if len(plan) == 1:
            results.append(done[0])
            continue
        text = "".join(r.text + gap for r, (_, gap) in zip(done, plan, strict=True))
        flags = tuple(dict.fromkeys(f for r in done for f in r.flags))
        results.append(replace(done[0], text=text, seconds=sum(r.seconds for r in done),
                               confidence=least_confident(r.confidence for r in done),
                               flags=(*flags, split_flag(len(plan)))))
    return results
