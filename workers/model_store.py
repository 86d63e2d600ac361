"""Installing, listing and removing the models in ``LINGUADESK_MODELS_DIR``.

Every install, pulled from the hub or imported from a directory or tarball, goes the same
way: the files land in ``.incoming/`` beside the models, a manifest says what they are,
the model translates one sentence with the transformers engine and then with the
CTranslate2 engine (which converts it, once, into the cache the workers read), and only
then is the directory moved into place. Anything that fails on the way is removed again,
so a model is either installed and working or absent. A download that stops half-way is
the one thing kept in ``.incoming/``, so that pulling again resumes it.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import tarfile
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

from workers import model_catalogue, model_check, model_hub, model_manifest
from workers.engines.checkpoint import model_family
from workers.model_inspect import (
    describe,
    infer_languages,
    infer_pairs,
    readme_license,
    size_on_disk,
    target_tokens,
)
from workers.model_manifest import Manifest
from workflow.settings import Settings

Say = Callable[[str], None]


class InstallError(Exception):
    """A model could not be installed (or removed); the message says why and what to do."""


@dataclass(frozen=True)
class Known:
    """What we know about a model before its files are checked."""

    name: str
    hub_id: str | None = None
    revision: str | None = None
    license: str | None = None
    pairs: tuple[tuple[str, str], ...] = ()
    languages: tuple[str, ...] = ()
    target_token: str | None = None
    # From the catalogue or an earlier manifest (or --pair): the files need not be read for it.
    languages_known: bool = False
    token_known: bool = False
    demo: bool = False
    extra: dict[str, str] = field(default_factory=dict)


def _quiet(_: str) -> None:
    pass


def _valid_name(name: str) -> str:
    if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9._-]*", name):
        raise InstallError(f"{name!r} is not a usable model name: use letters, digits, '.', "
                           "'_' and '-' (e.g. opus-mt-en-de).")
    return name


def pull(spec: str, settings: Settings, *, revision: str | None = None, name: str | None = None,
         pairs: tuple[tuple[str, str], ...] = (), target_token: str | None = None,
         say: Say = _quiet) -> Manifest:
    """Download ``spec`` (a hub id, a pair such as ``en-zh``, or ``nllb``), check it, install it."""
    entry = model_catalogue.resolve(spec)
    if entry is None:
        listed = ", ".join(p for p, _ in model_catalogue.entries())
        raise InstallError(f"{spec!r} is neither a hub id (owner/model) nor a pair the catalogue "
                           f"knows ({listed}).")
    name = _valid_name(name or entry.name)
    _refuse_if_installed(name, settings)
    in_catalogue = bool(entry.family)  # not a bare hub id
    say(f"pulling {entry.hub_id} from {model_hub.endpoint()} as {name}")
    dest = settings.models_dir / ".incoming" / name
    try:
        snapshot = model_hub.fetch(entry.hub_id, revision, dest)
    except model_hub.HubError as exc:
        if not any(p.stat().st_size for p in dest.rglob("*.incomplete")):
            shutil.rmtree(dest, ignore_errors=True)  # nothing worth resuming
            _remove_if_empty(dest.parent)
        raise InstallError(str(exc)) from exc
    known = Known(name=name, hub_id=entry.hub_id, revision=snapshot.revision,
                  license=snapshot.license, pairs=pairs or entry.pairs,
                  languages=() if pairs else entry.languages,
                  target_token=target_token or entry.target_token,
                  languages_known=in_catalogue or bool(pairs), token_known=in_catalogue,
                  extra={"source": "hub"})
    return _install(dest, settings, known, say)


def import_model(path: Path, settings: Settings, *, name: str | None = None,
                 pairs: tuple[tuple[str, str], ...] = (), target_token: str | None = None,
                 hub_id: str | None = None, say: Say = _quiet) -> Manifest:
    """Install a model directory, or a tarball of one, copied to this machine by hand."""
    path = Path(path)
    if not path.exists():
        raise InstallError(f"{path} does not exist.")
    incoming = settings.models_dir / ".incoming"
    incoming.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="import-", dir=incoming))
    try:
        if path.is_dir():
            root = path
        elif tarfile.is_tarfile(path):
            say(f"unpacking {path}")
            root = _model_root(_unpack(path, work / "unpacked"))
        else:
            raise InstallError(f"{path} is neither a model directory nor a tarball "
                               "(.tar, .tar.gz, .tgz, .tar.xz).")
        if not (root / "config.json").is_file():
            raise InstallError(f"{path} holds no config.json: it is not a transformers model.")
        earlier = model_manifest.read(root)
        default = earlier.name if earlier else (root.name if root != work / "unpacked"
                                                else path.name.split(".")[0])
        name = _valid_name(name or default)
        _refuse_if_installed(name, settings)
        staged = work / name
        shutil.copytree(root, staged, ignore=shutil.ignore_patterns(".cache", ".git"))
        known = _known_from(earlier, name) if earlier and not pairs else Known(
            name=name, pairs=pairs, languages_known=bool(pairs))
        known = replace(known, hub_id=hub_id or known.hub_id,
                        target_token=target_token or known.target_token,
                        extra={**known.extra, "source": "import"})
        say(f"importing {root} as {name}")
        return _install(staged, settings, known, say)
    finally:
        shutil.rmtree(work, ignore_errors=True)
        _remove_if_empty(incoming)


def _known_from(manifest: Manifest, name: str) -> Known:
    return Known(name=name, hub_id=manifest.hub_id, revision=manifest.revision,
                 license=manifest.license, pairs=manifest.pairs, languages=manifest.languages,
                 target_token=manifest.extra.get("target_token"), languages_known=True,
                 token_known=True, demo=manifest.demo,
                 extra={k: v for k, v in manifest.extra.items() if k != "target_token"})


def _unpack(tarball: Path, into: Path) -> Path:
    into.mkdir(parents=True)
    with tarfile.open(tarball) as tar:
        for member in tar.getmembers():  # nothing outside ``into``, no links, no devices
            target = (into / member.name).resolve()
            if not target.is_relative_to(into.resolve()) or not (member.isfile()
                                                                  or member.isdir()):
                raise InstallError(f"{tarball} holds {member.name!r}, which a model tarball "
                                   "never needs (a link, a device or a path outside it).")
        tar.extractall(into, filter="data")
    return into


def _model_root(unpacked: Path) -> Path:
    """The directory in an unpacked tarball that holds ``config.json``."""
    if (unpacked / "config.json").is_file():
        return unpacked
    found = [p.parent for p in unpacked.glob("*/config.json")]
    if len(found) != 1:
        raise InstallError("the tarball should hold one model: config.json at its top or "
                           f"in one folder (found {len(found)}).")
    return found[0]


def _remove_if_empty(folder: Path) -> None:
    with contextlib.suppress(OSError):
        folder.rmdir()


def _refuse_if_installed(name: str, settings: Settings) -> None:
    if (settings.models_dir / name).exists():
        raise InstallError(f"{name} is already installed in {settings.models_dir}; "
                           f"`linguadesk models remove {name}` first to replace it.")


def _install(staged: Path, settings: Settings, known: Known, say: Say) -> Manifest:
    """Describe, check and convert ``staged``, then move it into the models directory."""
    shutil.rmtree(staged / ".cache", ignore_errors=True)  # the hub client's resume notes
    try:
        manifest = _describe(staged, known)
        # Written before the conversion: the CTranslate2 cache is keyed by the files here.
        model_manifest.write(staged, manifest)
        for line in model_check.check(staged, manifest, settings):
            say(line)
        os.rename(staged, settings.models_dir / known.name)  # whole or not at all
        _remove_if_empty(staged.parent)
    except model_check.CheckFailed as exc:
        model_check.discard(staged, settings)
        _remove_if_empty(staged.parent)
        reason = str(exc).rstrip()
        raise InstallError(f"{reason}{'' if reason.endswith('.') else '.'} "
                           "Nothing was installed.") from exc
    except BaseException:
        model_check.discard(staged, settings)
        _remove_if_empty(staged.parent)
        raise
    say(f"installed {known.name} in {settings.models_dir}")
    return manifest


def _describe(staged: Path, known: Known) -> Manifest:
    try:
        family = model_family(staged)
    except (OSError, ValueError) as exc:
        raise InstallError(f"{known.name} has no readable config.json: {exc}") from exc
    pairs, languages = known.pairs, known.languages
    if not known.languages_known:
        if family == "marian":
            pairs = infer_pairs(staged, known.hub_id or known.name)
        else:
            languages = infer_languages(staged, family)
    if not pairs and not languages:
        raise InstallError(f"Could not tell which languages {known.name} translates: say it "
                           "with --pair SRC-TGT (e.g. --pair en-de).")
    token = known.target_token
    if family == "marian":
        token = _target_token(staged, known.name, token, guess=not known.token_known)
    extra = {**known.extra, **({"target_token": token} if token else {})}
    return Manifest(name=known.name, pairs=pairs, languages=() if pairs else languages,
                    demo=known.demo, family=family, hub_id=known.hub_id,
                    revision=known.revision, license=known.license or readme_license(staged),
                    size_bytes=size_on_disk(staged), extra=extra)


def _target_token(staged: Path, name: str, token: str | None, guess: bool) -> str | None:
    """The target-language token a multi-target Marian model needs, checked against its vocab."""
    tokens = target_tokens(staged)
    if token:
        if token not in tokens:
            raise InstallError(f"{name} has no target token {token} in its vocabulary"
                               + (f" (it has {', '.join(tokens[:12])})." if tokens else "."))
        return token
    if guess and len(tokens) == 1:
        return tokens[0]
    if guess and tokens:
        raise InstallError(f"{name} writes several languages and needs one chosen before each "
                           f"sentence ({', '.join(tokens[:12])}{', …' if len(tokens) > 12 else ''})"
                           f": pass --target-token, e.g. --target-token '{tokens[0]}'.")
    return None


def remove(name: str, settings: Settings) -> list[Path]:
    """Delete an installed model and its CTranslate2 copies; returns what was removed."""
    model_dir = settings.models_dir / _valid_name(name)
    if not model_dir.is_dir():
        raise InstallError(f"No model named {name} in {settings.models_dir} "
                           "(`linguadesk models list` shows what is installed).")
    removed = [*model_check.ct2_copies(name, settings.ct2_cache_dir), model_dir]
    for path in removed:
        shutil.rmtree(path)
    return removed


@dataclass(frozen=True)
class Installed:
    """One model directory as ``linguadesk models list`` shows it."""

    path: Path
    manifest: Manifest
    size_bytes: int
    converted: Path | None  # the CTranslate2 copy this machine's workers use, if made


def installed(settings: Settings) -> list[Installed]:
    """Every model in the models directory, described by its manifest or, lacking one, its files."""
    if not settings.models_dir.is_dir():
        return []
    found = []
    for path in sorted(settings.models_dir.iterdir()):
        if path.name.startswith(".") or not (path / "config.json").is_file():
            continue
        manifest = model_manifest.read(path) or describe(path)
        found.append(Installed(path, manifest, size_on_disk(path),
                               model_check.converted(path, settings)))
    return found


def human_size(size: int) -> str:
    """``1536`` → ``1.5 KB``."""
    value = float(size)
    for unit in ("B", "KB", "MB", "GB"):
        if value < 1024 or unit == "GB":
            return f"{value:.0f} {unit}" if unit == "B" else f"{value:.1f} {unit}"
        value /= 1024
    return f"{value:.1f} GB"


def summary(item: Installed) -> str:
    """One line: name, hub id, what it serves, size, engines (and whether it is a demo)."""
    m = item.manifest
    hub = f"{m.hub_id}@{m.revision[:7]}" if m.hub_id and m.revision else (m.hub_id or "-")
    if m.pairs:
        serves = ", ".join(f"{s}→{t}" for s, t in m.pairs)
    elif m.languages:
        serves = f"any pair of {len(m.languages)} languages ({', '.join(m.languages)})"
    else:
        serves = "pairs unknown"
    size = human_size(item.size_bytes)
    if item.converted is not None:
        ct2 = f"ctranslate2 ({human_size(size_on_disk(item.converted))} converted copy ready)"
    else:
        ct2 = "ctranslate2 (converts on first use)"
    demo = "  [demo model]" if m.demo else ""
    return f"{m.name}  {hub}  {serves}  {size}  {ct2}, transformers{demo}"
