"""Ingestion on hostile input: does the time grow with the text, or with its square?

    .venv/bin/python bench/ingest_hostile.py                  # 50,000 against 200,000 chars
    .venv/bin/python bench/ingest_hostile.py --small 2000 --large 20000

Each case repeats a pattern built to make a backtracking regex rescan the rest of the line
at every position ("[[[[", "<p <p", "作者：作者：", "1 de 1 de", bylines, credits and footer
links line after line). Every case is extracted at both sizes, side by side in one
process, as ``auto``, ``news`` and ``text``; the ratio of the two times is about
large/small (4) when the work is linear and about its square (16) when it is not. (Below
50,000 characters the CPU's caches, not the parser, set the ratio.)
"""

from __future__ import annotations

import argparse
import contextlib
import time

from workflow.errors import DomainError
from workflow.ingest.extract import extract

PATTERNS = {
    "brackets": "[",
    "open tags": "<p ",
    "link openers": "](",
    "By": "By ",
    "byline lines": "By A · 2026-01-01 · Source: X\n",
    "作者：": "作者：",
    "digits": "1 ",
    "day de": "1 de\n",
    "years 年": "2026年",
    "pipes": "|",
    "letters": "a",
    "编辑": "编辑",
    "double stars": "**a",
    "ideographic spaces": "\u3000",
    "Chinese lines": "海" * 10 + "\n",
    "credit lines": "编辑 x\n",
    "footer links": "a | b | c\n",
    "glued credits": "（编辑：",
    "day de month": "20 de noviembre ",
    "weekdays": "vendredi ",
    "le": "le ",
}
NEWS_HEAD = "Section\nHeadline\nStandfirst.\nBy Ana Lima · 2026-01-01\nFirst paragraph.\n"


def hostile_inputs(size: int) -> dict[str, str]:
    """Each hostile pattern repeated to ``size`` characters, alone and under a news head."""
    cases: dict[str, str] = {}
    for name, unit in PATTERNS.items():
        filled = (unit * (size // len(unit) + 1))[:size]
        cases[name] = filled
        cases[f"news + {name}"] = NEWS_HEAD + filled[:size - len(NEWS_HEAD)]
    return cases


def run(raw: str, fmt: str) -> None:
    """Extract ``raw`` as ``fmt``; a refusal (no byline, no body) is a finished run too."""
    with contextlib.suppress(DomainError):
        extract(raw, fmt)


def seconds(raw: str, fmt: str, repeat: int) -> float:
    """Seconds per run: the best of ``repeat`` rounds, each long enough (0.2 s) to time."""
    best = float("inf")
    for _ in range(repeat):
        runs, start = 0, time.perf_counter()
        while True:
            run(raw, fmt)
            runs += 1
            elapsed = time.perf_counter() - start
            if elapsed >= 0.2:
                break
        best = min(best, elapsed / runs)
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--small", type=int, default=50_000)
    parser.add_argument("--large", type=int, default=200_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--formats", default="auto,news,text")
    args = parser.parse_args()
    small, large = hostile_inputs(args.small), hostile_inputs(args.large)
    expected = args.large / args.small
    print(f"{'case':32} {'format':7} {args.small:>9,} {args.large:>9,}  ratio "
          f"(linear ≈ {expected:.0f}, quadratic ≈ {expected ** 2:.0f})")
    worst = (0.0, "")
    for name in small:
        for fmt in args.formats.split(","):
            t_small = seconds(small[name], fmt, args.repeat)
            t_large = seconds(large[name], fmt, args.repeat)
            ratio = t_large / t_small
            worst = max(worst, (ratio, f"{name} as {fmt}"))
            print(f"{name:32} {fmt:7} {t_small:9.4f} {t_large:9.4f}  {ratio:5.1f}", flush=True)
    print(f"worst ratio: {worst[0]:.1f} ({worst[1]}); linear ≈ {expected:.0f}")


if __name__ == "__main__":
    main()
