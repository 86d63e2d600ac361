"""Which engine serves which language pair on this worker, with fallback and an English pivot.

``LINGUADESK_ROUTES`` gives, per pair, an ordered list of engines, e.g.
``en-es=ctranslate2:opus-mt-en-es,apertium; *=ctranslate2,transformers,apertium``
(``*`` is every other pair). An engine is ``kind`` or ``kind:model-directory``; without a
model the pair's ``opus-mt-SRC-TGT`` (or demo) directory is used, else a multilingual
NLLB-200 / M2M100 directory. Engines load once per process.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

from workers.engines.apertium import ApertiumEngine, installed_pairs, mode_for
from workers.engines.ctranslate2_engine import CTranslate2Engine
from workers.engines.transformers_engine import TransformersEngine
from workers.settings import Settings, load
from workflow.engine import FallbackEngine, MTEngine, PivotEngine, UnsupportedPair

KINDS = ("ctranslate2", "transformers", "apertium")
DEFAULT_ROUTE = ("ctranslate2", "transformers", "apertium")
PIVOT = "en"


@dataclass(frozen=True)
class Candidate:
    """One configured engine for a pair: the engine if it can serve, and why (or why not)."""

    spec: str
    engine: MTEngine | None
    reason: str


def model_dir_for(models_dir: Path, source: str, target: str) -> Path | None:
    """The local MarianMT directory for the pair, if one is installed."""
    for name in (f"opus-mt-{source}-{target}", f"demo-opus-mt-{source}-{target}"):
        candidate = models_dir / name
        if (candidate / "config.json").exists():
            return candidate
    return None


def multilingual_dir(models_dir: Path) -> Path | None:
    """A local NLLB-200 or M2M100 directory, if one is installed."""
    if not models_dir.is_dir():
        return None
    for path in sorted(models_dir.iterdir()):
        if path.name.lower().startswith(("nllb", "m2m100")) and (path / "config.json").exists():
            return path
    return None


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
    return routes.get(f"{source}-{target}") or routes.get("*") or list(DEFAULT_ROUTE)


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


def candidate(spec: str, source: str, target: str, settings: Settings) -> Candidate:
    """Whether the engine ``spec`` can serve ``source``→``target`` here, and why."""
    kind, _, model = spec.partition(":")
    if kind not in KINDS:
        return Candidate(spec, None, f"unknown engine '{kind}' (use one of {', '.join(KINDS)})")
    if kind == "apertium":
        mode = mode_for(source, target)
        if mode is None:
            have = ", ".join(sorted(installed_pairs())) or "none, or apertium is not installed"
            return Candidate(spec, None, f"no Apertium pair for {source}→{target} "
                                         f"(installed: {have})")
        return Candidate(spec, _apertium(), f"Apertium pair {mode} is installed")
    if model:
        path = Path(model) if Path(model).is_absolute() else settings.models_dir / model
        if not (path / "config.json").exists():
            return Candidate(spec, None, f"model {model} is not in {settings.models_dir}")
    else:
        found = model_dir_for(settings.models_dir, source, target) \
            or multilingual_dir(settings.models_dir)
        if found is None:
            return Candidate(spec, None, f"no opus-mt-{source}-{target} nor NLLB/M2M100 "
                                         f"model in {settings.models_dir}")
        path = found
    if kind == "transformers":
        engine: MTEngine = _transformers(path, settings.batch_tokens, settings.max_new_tokens,
                                         settings.num_beams, settings.quantize, settings.device)
        return Candidate(spec, engine, f"model {path.name} found in {path.parent}")
    engine = _ctranslate2(path, settings.ct2_cache_dir, settings.batch_tokens,
                          settings.max_new_tokens, settings.num_beams, settings.device,
                          settings.torch_threads)
    return Candidate(spec, engine, f"model {path.name} found in {path.parent} "
                                   f"(converted to CTranslate2 once, cached in "
                                   f"{settings.ct2_cache_dir})")


def candidates(source: str, target: str, settings: Settings) -> list[Candidate]:
    """Every configured engine for the pair, in order, each with its reason."""
    return [candidate(spec, source, target, settings)
            for spec in route_for(source, target, settings)]


def _direct(source: str, target: str, settings: Settings) -> list[MTEngine]:
    return [c.engine for c in candidates(source, target, settings) if c.engine is not None]


def engine_for(source: str, target: str, settings: Settings | None = None) -> MTEngine:
    """The engines for ``source``→``target`` in order, or UnsupportedPair in plain words."""
    settings = settings or load()
    direct = _direct(source, target, settings)
    if direct:
        return FallbackEngine(direct)
    if PIVOT not in (source, target):
        first, second = _direct(source, PIVOT, settings), _direct(PIVOT, target, settings)
        if first and second:
            return PivotEngine(FallbackEngine(first), FallbackEngine(second), via=PIVOT)
    why = "; ".join(f"{c.spec}: {c.reason}" for c in candidates(source, target, settings))
    pivot = "" if PIVOT in (source, target) else \
        f" There is no pivot through English either ({source}→en or en→{target} is missing)."
    raise UnsupportedPair(f"Nothing on this machine can translate {source}→{target}: {why}."
                          + pivot)


def explain(source: str, target: str, settings: Settings) -> list[str]:
    """Lines saying which engine would serve the pair and why, for ``linguadesk engines``."""
    lines = []
    chosen = False
    for c in candidates(source, target, settings):
        mark = "✗"
        if c.engine is not None:
            mark = "→" if not chosen else "↳"
            chosen = True
        lines.append(f"  {mark} {c.spec}: {c.reason}")
    if not chosen:
        try:
            engine = engine_for(source, target, settings)
        except UnsupportedPair:
            lines.append("  ✗ nothing can serve this pair, not even through English")
        else:
            if isinstance(engine, PivotEngine):
                lines.append(f"  → pivot through English: {engine.model_id}")
    return lines


def configured_pairs(settings: Settings) -> list[tuple[str, str]]:
    """Pairs named in the routes, plus those with a local model or an Apertium pair."""
    pairs: set[tuple[str, str]] = set()
    for key in parse_routes(settings.routes):
        if key != "*" and "-" in key:
            src, _, tgt = key.partition("-")
            pairs.add((src, tgt))
    if settings.models_dir.is_dir():
        for path in settings.models_dir.iterdir():
            name = path.name.removeprefix("demo-")
            if name.startswith("opus-mt-") and (path / "config.json").exists():
                parts = name.removeprefix("opus-mt-").split("-")
                if len(parts) == 2:
                    pairs.add((parts[0], parts[1]))
    from workers.engines.langcodes import APERTIUM

    back = {v: k for k, v in APERTIUM.items()}
    for mode in installed_pairs():
        parts = mode.split("-")
        if len(parts) == 2 and parts[0] in back and parts[1] in back:
            pairs.add((back[parts[0]], back[parts[1]]))
    return sorted(pairs)
