"""Apertium, the offline rule-based fallback: the Debian ``apertium`` command and its pairs."""

from __future__ import annotations

import shutil
import subprocess
import time
from collections.abc import Sequence
from functools import cache

from workers.engines.langcodes import apertium as code
from workers.engines.langcodes import apertium_spellings, from_apertium
from workflow.engine import EngineFailed, EngineUnavailable, MTResult, UnsupportedPair
from workflow.errors import N_, Said

SEPARATOR = "\n\n"


@cache
def installed_pairs() -> frozenset[str]:
    """The pair modes this machine has (``eng-spa``, …); empty without ``apertium``."""
    if shutil.which("apertium") is None:
        return frozenset()
    try:
        listed = subprocess.run(["apertium", "-l"], capture_output=True, text=True,
                                timeout=30).stdout
    except (OSError, subprocess.SubprocessError):
        return frozenset()
    return frozenset(line.strip() for line in listed.splitlines() if line.strip())


def mode_for(source: str, target: str) -> str | None:
    """The installed mode for ``source``→``target`` (ISO codes), if any.

    Modes spell languages both ways: ``eng-spa`` and ``spa-ita``, but ``fr-es`` and ``es-pt``.
    """
    installed = installed_pairs()
    for src in apertium_spellings(source):
        for tgt in apertium_spellings(target):
            if f"{src}-{tgt}" in installed:
                return f"{src}-{tgt}"
    return None


def served_pairs() -> list[tuple[str, str]]:
    """The language pairs (ISO codes) the installed modes translate; variants left out."""
    pairs = []
    for mode in sorted(installed_pairs()):
        parts = mode.split("-")
        if len(parts) == 2:  # eco-es-fr and the like are not plain pairs; eng-cat_valencia
            source, target = from_apertium(parts[0]), from_apertium(parts[1])
            if source and target:
                pairs.append((source, target))
    return sorted(set(pairs))


class ApertiumEngine:
    """Runs ``apertium -u <mode>`` once per batch, one blank-line-separated block per text."""

    name = "apertium"

    def __init__(self, timeout: float = 120.0) -> None:
        self.timeout = timeout

    @property
    def model_id(self) -> str:
        """Apertium has pairs, not models: the engine itself is the id."""
        return "apertium"

    def _run(self, mode: str, text: str) -> str:
        try:
            done = subprocess.run(["apertium", "-u", mode], input=text, capture_output=True,
                                  text=True, timeout=self.timeout)
        except FileNotFoundError as exc:
            raise UnsupportedPair(N_("The apertium command is not installed.")) from exc
        except subprocess.TimeoutExpired as exc:
            raise EngineUnavailable(N_("apertium %(mode)s took longer than %(seconds)ss."),
                                    values={"mode": mode, "seconds": self.timeout}) from exc
        if done.returncode != 0:
            raise EngineFailed(N_("apertium %(mode)s failed: %(error)s"),
                               values={"mode": mode, "error": done.stderr.strip()[:200]})
        return done.stdout

    def translate(self, texts: Sequence[str], source: str, target: str) -> list[MTResult]:
        """Translate all ``texts`` in one apertium run (one run per text if blocks shift)."""
        mode = mode_for(source, target)
        if mode is None:
            raise UnsupportedPair(
                N_("Apertium has no %(pair)s pair on this machine (installed: %(installed)s)."),
                values={"pair": f"{code(source)}-{code(target)}",
                        "installed": ", ".join(sorted(installed_pairs())) or Said(N_("none"))})
        if not texts:
            return []
        started = time.perf_counter()
        flat = [" ".join(t.split()) for t in texts]  # one line each: blocks stay aligned
        blocks = self._run(mode, SEPARATOR.join(flat)).strip("\n").split(SEPARATOR)
        if len(blocks) != len(flat):
            blocks = [self._run(mode, t).strip() for t in flat]
        each = (time.perf_counter() - started) / len(texts)
        return [MTResult(text=b.strip(), engine=self.name, model="apertium-" + mode,
                         seconds=each) for b in blocks]
