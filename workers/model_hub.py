"""Fetching one model snapshot from the Hugging Face hub, or a mirror of it at HF_ENDPOINT.

``huggingface_hub`` does the downloading, so ``HF_ENDPOINT``, ``HF_TOKEN`` and
``HF_HUB_OFFLINE`` mean what they mean everywhere else, and an interrupted download
resumes where it stopped the next time. These are read when a pull starts, not when the
library was imported. Only what a translation model needs is fetched: the config, the
tokenizer and one copy of the weights (not the TensorFlow, Rust or ONNX copies).
"""

from __future__ import annotations

import fnmatch
import os
import shutil
from dataclasses import dataclass
from pathlib import Path

_TRUE = {"1", "ON", "YES", "TRUE"}
_SMALL_FILES = ("*.json", "*.spm", "*.model", "README.md", "LICENSE*")


class HubError(Exception):
    """The hub could not give us the model; the message says why and what to do."""


@dataclass(frozen=True)
class Snapshot:
    """A model's files on this machine and where they came from."""

    path: Path
    hub_id: str
    revision: str  # the commit the files are from
    license: str | None


def endpoint() -> str:
    """The hub to ask (``HF_ENDPOINT``, or huggingface.co)."""
    from huggingface_hub import constants

    return (os.environ.get("HF_ENDPOINT") or constants.ENDPOINT).rstrip("/")


def offline() -> bool:
    """Whether ``HF_HUB_OFFLINE`` forbids every request to the hub."""
    from huggingface_hub import constants

    return constants.HF_HUB_OFFLINE or os.environ.get("HF_HUB_OFFLINE", "").upper() in _TRUE


def files_to_fetch(names: list[str]) -> list[str]:
    """What a translation model needs of a repo's files: small ones and one copy of the weights."""
    top = [n for n in names if "/" not in n]
    wanted = [n for n in top if any(fnmatch.fnmatch(n, p) for p in _SMALL_FILES)]
    for pattern in ("model*.safetensors", "pytorch_model*.bin"):
        weights = [n for n in top if fnmatch.fnmatch(n, pattern)]
        if weights:
            return sorted(set(wanted + weights))
    raise HubError("it has no PyTorch weights (model.safetensors or pytorch_model.bin); "
                   "only transformers checkpoints can be installed.")


def _license(info: object) -> str | None:
    card = getattr(info, "card_data", None)
    value = getattr(card, "license", None) if card is not None else None
    if isinstance(value, list):
        value = ", ".join(str(v) for v in value)
    if value:
        return str(value)
    tags = getattr(info, "tags", None) or []
    return next((t.removeprefix("license:") for t in tags if t.startswith("license:")), None)


def fetch(hub_id: str, revision: str | None, dest: Path) -> Snapshot:
    """Download ``hub_id`` at ``revision`` (default: main) into ``dest``, resuming what is there."""
    if offline():
        return _from_cache(hub_id, revision, dest)
    import requests
    from huggingface_hub import HfApi, snapshot_download
    from huggingface_hub.errors import (
        GatedRepoError,
        HfHubHTTPError,
        RepositoryNotFoundError,
        RevisionNotFoundError,
    )

    where = endpoint()
    try:
        info = HfApi(endpoint=where).model_info(hub_id, revision=revision)
    except GatedRepoError as exc:
        raise HubError(f"{hub_id} is gated on {where}: accept its terms there, then set HF_TOKEN "
                       "to a token of that account.") from exc
    except RepositoryNotFoundError as exc:
        raise HubError(f"{hub_id} is not on {where}: check the name (owner/model), or, if it is "
                       "private, set HF_TOKEN to a token that can read it.") from exc
    except RevisionNotFoundError as exc:
        raise HubError(f"{hub_id} has no revision {revision!r} on {where}.") from exc
    except HfHubHTTPError as exc:
        raise HubError(f"{where} refused {hub_id}: {exc}".splitlines()[0]) from exc
    except (requests.ConnectionError, requests.Timeout) as exc:
        raise HubError(f"Could not reach {where} ({type(exc).__name__}). Check the network or "
                       "HF_ENDPOINT; a server without internet can install a model copied to "
                       "it with `linguadesk models import`.") from exc
    if not info.sha:
        raise HubError(f"{where} did not say which commit {hub_id} is at.")
    try:
        files = files_to_fetch([s.rfilename for s in info.siblings or []])
    except HubError as exc:
        raise HubError(f"{hub_id} cannot be installed: {exc}") from exc
    try:
        snapshot_download(hub_id, revision=info.sha, local_dir=dest, allow_patterns=files,
                          endpoint=where)
    except (requests.RequestException, OSError) as exc:
        raise HubError(f"The download of {hub_id} stopped ({type(exc).__name__}: {exc}). What "
                       f"arrived is kept in {dest}; run the same command again to resume.") from exc
    return Snapshot(dest, hub_id, info.sha, _license(info))


def _hub_cache() -> str | None:
    if os.environ.get("HF_HUB_CACHE"):
        return os.environ["HF_HUB_CACHE"]
    home = os.environ.get("HF_HOME")
    return os.path.join(home, "hub") if home else None


def _from_cache(hub_id: str, revision: str | None, dest: Path) -> Snapshot:
    """With HF_HUB_OFFLINE set: copy the snapshot the local hub cache holds, asking nothing."""
    from huggingface_hub import snapshot_download
    from huggingface_hub.errors import LocalEntryNotFoundError

    try:
        found = Path(snapshot_download(hub_id, revision=revision, local_files_only=True,
                                       cache_dir=_hub_cache()))
    except LocalEntryNotFoundError as exc:
        raise HubError(f"HF_HUB_OFFLINE is set and {hub_id} is not in this machine's hub cache. "
                       "Unset HF_HUB_OFFLINE to download it, or copy the model here and use "
                       "`linguadesk models import PATH`.") from exc
    try:
        files = files_to_fetch([p.name for p in found.iterdir() if p.is_file()])
    except HubError as exc:
        raise HubError(f"The cached copy of {hub_id} cannot be installed: {exc}") from exc
    dest.mkdir(parents=True, exist_ok=True)
    for name in files:
        shutil.copyfile(found / name, dest / name)  # the cache holds symlinks to blobs
    return Snapshot(dest, hub_id, found.name, None)
