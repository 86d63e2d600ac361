"""Chains of engines between two languages: a search over the pairs this desk can serve."""

from __future__ import annotations

import itertools
from collections.abc import Mapping

Pair = tuple[str, str]
MAX_HOPS = 3


def chains(served: Mapping[Pair, bool], source: str, target: str,
           max_hops: int = MAX_HOPS) -> list[list[str]]:
    """Every language path ``source → … → target`` of two to ``max_hops`` hops, best first.

    ``served`` maps each directly served pair to True when a real engine serves it (False
    when only a demo model does). Paths whose every hop is real come first, then fewer
    hops, then paths through English (the likeliest bridge), then alphabetical order.
    A path never visits a language twice.
    """
    nexts: dict[str, list[str]] = {}
    for a, b in served:
        nexts.setdefault(a, []).append(b)
    found: list[list[str]] = []
    stack: list[list[str]] = [[source]]
    while stack:
        path = stack.pop()
        for step in nexts.get(path[-1], []):
            if step in path:
                continue
            if step == target:
                if len(path) >= 2:
                    found.append([*path, step])
            elif len(path) < max_hops:
                stack.append([*path, step])
    return sorted(found, key=lambda p: (not all_real(served, p), len(p),
                                        p[1:-1] != ["en"], p))


def all_real(served: Mapping[Pair, bool], path: list[str]) -> bool:
    """Whether a real engine (not a demo model) serves every hop of ``path``."""
    return all(served.get((a, b), False) for a, b in itertools.pairwise(path))
