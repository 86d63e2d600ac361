"""Which engine serves which language pair on this worker: real engines first, demo models last.

``LINGUADESK_ROUTES`` gives, per pair, an ordered list of engines, e.g.
``en-es=ctranslate2:opus-mt-en-es,apertium; *=ctranslate2,transformers,apertium``
(``*`` is every other pair). An engine is ``kind`` or ``kind:model-directory``; without a
model, every directory in ``LINGUADESK_MODELS_DIR`` that serves the pair is used: the one
its ``linguadesk-model.json`` names, else what its files and name say (``opus-mt-SRC-TGT``,
``nllb*``, ``m2m100*``; ``workers/model_inspect.py``). Under the ``*`` rule every real
engine (Apertium included) ranks before any demo model. When no real engine serves a pair
directly, the desk chains real engines through other languages (en→es→fr), shortest chain
first; demo models come after those. Only cheap checks run here (directory listings,
manifests, ``apertium -l``): no model loads until an engine translates.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from workers import learned, model_manifest
from workers.engines.apertium import ApertiumEngine, mode_for, served_pairs
from workers.engines.ctranslate2_engine import CTranslate2Engine
from workers.engines.transformers_engine import TransformersEngine
from workers.model_inspect import describe
from workers.model_manifest import Manifest
from workflow.capabilities import Offer
from workflow.chains import all_real, chains
from workflow.engine import ChainEngine, FallbackEngine, Hop, MTEngine, UnsupportedPair
from workflow.errors import N_
from workflow.languages import LANGUAGES
from workflow.settings import Settings, load

KINDS = ("ctranslate2", "transformers", "apertium")
LEARNED = "learned"  # in a pair's rule: pick among its engines by recent post-edit scores
DEFAULT_ROUTE = ("ctranslate2", "transformers", "apertium")
MAX_CHAINS = 3  # of each kind (all real, with a demo hop) offered after the direct engines


@dataclass(frozen=True)
class ModelDir:
    """One installed model directory and what it serves (its manifest, or its name's)."""

    path: Path
    manifest: Manifest

    @property
    def name(self) -> str:
        """The directory's name."""
        return self.path.name


@dataclass(frozen=True)
class Candidate:
    """One configured engine for a pair: the engine if it can serve, and why (or why not)."""

    spec: str
    engine: MTEngine | None
    reason: str
    demo: bool = False
    model: str = ""  # what serves, in words: a model directory or an Apertium mode


@dataclass(frozen=True)
class Option:
    """One way to translate a pair: a direct engine or a chain through other languages."""

    engine: MTEngine
    how: str  # in words, for people: "apertium eng-spa", "en→es→fr: …"
    demo: bool
    languages: tuple[str, ...]  # (source, target), or the chain's path
    candidate: Candidate | None = None  # the direct engine's, with its reason

    @property
    def chained(self) -> bool:
        """Whether this option goes through bridge languages."""
        return len(self.languages) > 2


@dataclass
class Plan:
    """Everything that can translate a pair here, best first, and why the rest cannot."""

    source: str
    target: str
    candidates: list[Candidate]
    options: list[Option] = field(default_factory=list)


def installed_models(models_dir: Path) -> list[ModelDir]:
    """Every model directory under ``models_dir`` with what it serves, manifests first."""
    if not models_dir.is_dir():
        return []
    return [ModelDir(path, model_manifest.read(path) or describe(path))
            for path in sorted(models_dir.iterdir())
            if not path.name.startswith(".") and (path / "config.json").is_file()]


def models_for(models: list[ModelDir], source: str, target: str) -> list[ModelDir]:
    """The directories serving the pair: real before demo, bilingual before multilingual."""
    serving = [m for m in models if model_manifest.serves(m.manifest, source, target)]
    return sorted(serving, key=lambda m: (m.manifest.demo, not m.manifest.pairs))


def parse_routes(text: str) -> dict[str, list[str]]:
    """``"en-es=a,b; *=c"`` → ``{"en-es": ["a", "b"], "*": ["c"]}``; a YAML file path works too."""
    text = text.strip()
    if text.endswith((".yml", ".yaml")) and Path(text).exists():
        import yaml

        data = yaml.safe_load(Path(text).read_text(encoding="utf-8")) or {}
        return {str(k): [str(e) for e in v] for k, v in dict(data).items()}
    routes: dict[str, list[str]] = {}
    for rule in filter(None, (r.strip() for r in text.split(";"))):
        pair, _, engines = rule.partition("=")
        routes[pair.strip()] = [e.strip() for e in engines.split(",") if e.strip()]
    return routes


def route_for(source: str, target: str, settings: Settings) -> list[str]:
    """The configured engine list for a pair (the ``*`` rule, or the default)."""
    routes = parse_routes(settings.routes)
    route = routes.get(f"{source}-{target}") or routes.get("*") or list(DEFAULT_ROUTE)
    engines = [e for e in route if e != LEARNED]
    return engines or list(DEFAULT_ROUTE)


def is_learned(source: str, target: str, settings: Settings) -> bool:
    """Whether the pair's rule (or ``*``) says ``learned``: routing by post-edit scores."""
    routes = parse_routes(settings.routes)
    return LEARNED in (routes.get(f"{source}-{target}") or routes.get("*") or [])


def _explicit(source: str, target: str, settings: Settings) -> bool:
    """Whether the pair has a rule of its own (its order is then the admin's, demo or not)."""
    return f"{source}-{target}" in parse_routes(settings.routes)


@cache
def _transformers(model_dir: Path, batch_tokens: int, max_new_tokens: int, num_beams: int,
                  quantize: bool, device: str) -> TransformersEngine:
    return TransformersEngine(model_dir, batch_tokens=batch_tokens, max_new_tokens=max_new_tokens,
                              num_beams=num_beams, quantize=quantize, device=device)


@cache
def _ctranslate2(model_dir: Path, cache_dir: Path, batch_tokens: int, max_new_tokens: int,
                 num_beams: int, device: str, threads: int) -> CTranslate2Engine:
    return CTranslate2Engine(model_dir, cache_dir, beam_size=num_beams, device=device,
                             batch_tokens=batch_tokens, max_decoding_length=max_new_tokens,
                             threads=threads)


@cache
def _apertium() -> ApertiumEngine:
    return ApertiumEngine()


def _neural(kind: str, path: Path, settings: Settings) -> MTEngine:
    if kind == "transformers":
        return _transformers(path, settings.batch_tokens, settings.max_new_tokens,
                             settings.num_beams, settings.quantize, settings.device)
    return _ctranslate2(path, settings.ct2_cache_dir, settings.batch_tokens,
                        settings.max_new_tokens, settings.num_beams, settings.device,
                        settings.torch_threads)


def _candidates_of(spec: str, source: str, target: str, settings: Settings,
                   models: list[ModelDir]) -> list[Candidate]:
    kind, _, model = spec.partition(":")
    if kind not in KINDS:
        return [Candidate(spec, None, f"unknown engine '{kind}' (use one of {', '.join(KINDS)})")]
    if kind == "apertium":
        mode = mode_for(source, target)
        if mode is None:
            have = ", ".join(f"{a}-{b}" for a, b in served_pairs()) \
                or "none, or apertium is not installed"
            return [Candidate(spec, None, f"no Apertium pair for {source}→{target} "
                                          f"(installed: {have})")]
        return [Candidate(spec, _apertium(), f"Apertium pair {mode} is installed",
                          model=f"apertium-{mode}")]
    converted = (f" (converted to CTranslate2 once, cached in {settings.ct2_cache_dir})"
                 if kind == "ctranslate2" else "")
    if model:
        path = Path(model) if Path(model).is_absolute() else settings.models_dir / model
        if not (path / "config.json").exists():
            return [Candidate(spec, None, f"model {model} is not in {settings.models_dir}")]
        demo = model_manifest.is_demo(path)
        return [Candidate(spec, _neural(kind, path, settings),
                          f"model {path.name} found in {path.parent}{converted}", demo,
                          path.name)]
    serving = models_for(models, source, target)
    if not serving:
        return [Candidate(spec, None, f"no model for {source}→{target} in "
                                      f"{settings.models_dir} (no opus-mt-{source}-{target} "
                                      "nor NLLB/M2M100 model, and no manifest names the pair)")]
    return [Candidate(f"{kind}:{m.name}" if len(serving) > 1 else spec,
                      _neural(kind, m.path, settings),
                      f"model {m.name} found in {m.path.parent}{converted}"
                      + (" (a demo model: ranked after real engines)" if m.manifest.demo
                         else ""),
                      m.manifest.demo, m.name) for m in serving]


def candidates(source: str, target: str, settings: Settings,
               models: list[ModelDir] | None = None) -> list[Candidate]:
    """Every configured direct engine for the pair, best first, each with its reason.

    Under the ``*`` rule (or the default) real engines come before demo models; a pair's
    own rule keeps the order it gives. Engines that cannot serve come last.
    """
    models = installed_models(settings.models_dir) if models is None else models
    found = [c for spec in route_for(source, target, settings)
             for c in _candidates_of(spec, source, target, settings, models)]
    if _explicit(source, target, settings):
        return sorted(found, key=lambda c: c.engine is None)
    return sorted(found, key=lambda c: (c.engine is None, c.demo))


def _how(c: Candidate) -> str:
    """A candidate in a few words: ``Apertium eng-spa``, ``opus-mt-en-de (ctranslate2)``."""
    kind = c.spec.partition(":")[0]
    if kind == "apertium":
        return f"Apertium {c.model.removeprefix('apertium-')}"
    return f"{c.model} ({kind}{', demo model' if c.demo else ''})"


def served(settings: Settings, models: list[ModelDir] | None = None
           ) -> dict[tuple[str, str], list[Candidate]]:
    """Every pair some engine here serves directly, with its usable engines in order."""
    models = installed_models(settings.models_dir) if models is None else models
    pairs: set[tuple[str, str]] = set(served_pairs())
    for m in models:
        pairs.update(m.manifest.pairs)
        langs = [c for c in m.manifest.languages if c in LANGUAGES]
        pairs.update((a, b) for a in langs for b in langs if a != b)
    for key, specs in parse_routes(settings.routes).items():
        source, _, target = key.partition("-")
        if key != "*" and source and target:
            pairs.add((source, target))
        elif key == "*" and any(":" in s and not s.startswith("apertium") for s in specs):
            # a model named for every pair: it may serve any pair of the desk's languages
            pairs.update((a, b) for a in LANGUAGES for b in LANGUAGES if a != b)
    out = {}
    for source, target in sorted(pairs):
        usable = [c for c in candidates(source, target, settings, models) if c.engine]
        if usable:
            out[(source, target)] = usable
    return out


def plan(source: str, target: str, settings: Settings | None = None) -> Plan:
    """Every way to translate ``source``→``target`` here, best first (nothing loads)."""
    settings = settings or load()
    models = installed_models(settings.models_dir)
    return _plan(source, target, settings, models, served(settings, models))


def _plan(source: str, target: str, settings: Settings, models: list[ModelDir],
          graph: dict[tuple[str, str], list[Candidate]]) -> Plan:
    direct = candidates(source, target, settings, models)
    usable = [c for c in direct if c.engine is not None]
    real_edges = {pair: any(not c.demo for c in cs) for pair, cs in graph.items()}
    paths = chains(real_edges, source, target)
    real_chains = [p for p in paths if all_real(real_edges, p)][:MAX_CHAINS]
    demo_chains = [p for p in paths if not all_real(real_edges, p)][:MAX_CHAINS]

    def one(c: Candidate) -> Option:
        assert c.engine is not None
        return Option(c.engine, _how(c), c.demo, (source, target), c)

    def chain(path: list[str]) -> Option:
        hops = [Hop(FallbackEngine([c.engine for c in graph[(a, b)] if c.engine]), a, b)
                for a, b in itertools.pairwise(path)]
        steps = ", then ".join(_how(graph[(a, b)][0]) for a, b in itertools.pairwise(path))
        return Option(ChainEngine(hops), f"{'→'.join(path)}: {steps}",
                      not all_real(real_edges, path), tuple(path))

    if _explicit(source, target, settings):
        options = [*map(one, usable), *map(chain, real_chains)]
    else:
        options = [*(one(c) for c in usable if not c.demo), *map(chain, real_chains),
                   *(one(c) for c in usable if c.demo)]
    if not options:  # a chain with a demo hop only when nothing better exists
        options = list(map(chain, demo_chains))
    return Plan(source, target, direct, options)


def offer(p: Plan) -> Offer:
    """What will translate the plan's pair, in words (people, when nothing here can)."""
    if not p.options:
        return Offer(p.source, p.target, None)
    best = p.options[0]
    return Offer(p.source, p.target, best.how, best.demo, best.chained)


def offers(settings: Settings, sources: Sequence[str] | None = None) -> list[Offer]:
    """For every pair of the desk's languages (from ``sources``), what will translate it."""
    models = installed_models(settings.models_dir)
    graph = served(settings, models)
    return [offer(_plan(s, t, settings, models, graph))
            for s in (sources or LANGUAGES) for t in LANGUAGES if s != t]


def learned_keys(p: Plan) -> dict[str, Option]:
    """The plan's direct real engines by the name post-edit scores give them."""
    return {learned.candidate_key(o.candidate.spec.partition(":")[0], o.candidate.model): o
            for o in p.options if o.candidate is not None}


def engine_for(source: str, target: str, settings: Settings | None = None,
               records_of: learned.RecordsOf | None = None) -> MTEngine:
    """The engines for ``source``→``target`` in order, or UnsupportedPair in plain words.

    Under a ``learned`` rule the engine reviewers changed least recently goes first
    (``workers/learned.py``); the engine says why in ``routed``.
    """
    settings = settings or load()
    p = plan(source, target, settings)
    keys = learned_keys(p) if is_learned(source, target, settings) else {}
    if len(keys) > 1:
        choice = learned.decide(source, target, list(keys),
                                records_of or learned.database_records)
        first = keys[choice.key]
        rest = [o.engine for o in p.options if o is not first]
        return FallbackEngine([first.engine, *rest], routed=f"{choice.key}: {choice.why}")
    if p.options:
        return FallbackEngine([o.engine for o in p.options])
    why = "; ".join(f"{c.spec}: {c.reason}" for c in p.candidates)
    raise UnsupportedPair(N_("Nothing on this machine can translate %(pair)s: %(why)s. No chain "
                             "of engines through other languages connects them either."),
                          values={"pair": f"{source}\u2192{target}", "why": why})


def explain(source: str, target: str, settings: Settings,
            records_of: learned.RecordsOf | None = None) -> list[str]:
    """Lines saying which engine would serve the pair and why, for ``linguadesk engines``.

    Under a ``learned`` rule, with ``records_of``, the engines' recent post-edit scores
    and the choice they make come first.
    """
    p = plan(source, target, settings)
    lines = []
    keys = learned_keys(p) if is_learned(source, target, settings) else {}
    if keys and records_of is not None:
        lines += learned.describe(source, target, list(keys), records_of)
    for i, o in enumerate(p.options):
        mark = "→" if i == 0 else "↳"
        if o.candidate is not None:
            lines.append(f"  {mark} {o.candidate.spec}: {o.candidate.reason}")
        else:
            lines.append(f"  {mark} chain {o.how}")
    lines += [f"  ✗ {c.spec}: {c.reason}" for c in p.candidates if c.engine is None]
    if not p.options:
        lines.append("  ✗ nothing can serve this pair, not even through other languages: "
                     "a reviewer translates from the source")
    return lines
