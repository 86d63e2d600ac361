"""``linguadesk models pull / import / list / remove`` against a real hub server on 127.0.0.1.

The hub (tests/hub_server.py) serves the demo models the suite builds under real repo
names, with the Hugging Face hub's URL layout; the command runs as its own process, with
``HF_ENDPOINT`` pointing at it, exactly as an administrator would run it.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tarfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from huggingface_hub import constants

from tests.hub_server import Hub, HubServer
from workers import model_manifest
from workers.demo_corpus import EN_ES, EN_FR
from workers.engines.ctranslate2_engine import CTranslate2Engine
from workers.engines.pool import ModelPool
from workers.engines.transformers_engine import TransformersEngine

LINGUADESK = str(Path(sys.executable).parent / "linguadesk")
CHUNK = constants.DOWNLOAD_CHUNK_SIZE  # huggingface_hub writes a download to disk in these


@pytest.fixture
def hub() -> Iterator[Hub]:
    """A running hub with no repositories yet."""
    with HubServer(Hub()) as running:
        yield running


@pytest.fixture
def env(hub: Hub, tmp_path: Path) -> dict[str, str]:
    """The command's environment: this hub, a private hub cache and models directory."""
    base = {k: v for k, v in os.environ.items()
            if not k.startswith(("HF_", "HUGGING_FACE", "LINGUADESK_"))}
    return {**base, "HF_ENDPOINT": hub.url, "HF_HOME": str(tmp_path / "hf"),
            "HF_HUB_DISABLE_PROGRESS_BARS": "1", "LINGUADESK_MODELS_DIR": str(tmp_path / "models"),
            "LINGUADESK_TORCH_THREADS": "1"}


def linguadesk(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    """Run the ``linguadesk`` command as its own process."""
    return subprocess.run([LINGUADESK, *args], env=env, capture_output=True, text=True,
                          timeout=240)


def model_files(source: Path) -> list[Path]:
    """A demo model's files, without the desk's manifest (what a hub repo would hold)."""
    return [p for p in sorted(source.iterdir())
            if p.is_file() and p.name != model_manifest.FILENAME]


def everything_under(folder: Path) -> list[str]:
    """Every path under ``folder`` (empty when it does not exist)."""
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*")) if folder.exists() else []


def test_a_pulled_model_translates_through_the_engine_and_is_listed(
        hub: Hub, env: dict[str, str], demo_models: Path, tmp_path: Path) -> None:
    hub.token = "hf_newsroom_token"
    repo = hub.add_directory("Helsinki-NLP/opus-mt-tc-big-en-es",
                             demo_models / "demo-opus-mt-en-es", license="cc-by-4.0",
                             tf_model__h5=b"\0" * 4096, rust_model__ot=b"\0" * 4096)
    models = tmp_path / "models"

    refused = linguadesk(env, "models", "pull", "en-es")
    assert refused.returncode == 2
    assert "is not on" in refused.stderr and "HF_TOKEN" in refused.stderr
    assert everything_under(models) == []

    pulled = linguadesk({**env, "HF_TOKEN": "hf_newsroom_token"}, "models", "pull", "en-es")
    assert pulled.returncode == 0, pulled.stderr
    model_dir = models / "opus-mt-tc-big-en-es"
    manifest = model_manifest.read(model_dir)
    assert manifest is not None
    assert (manifest.hub_id, manifest.revision, manifest.license) == \
        ("Helsinki-NLP/opus-mt-tc-big-en-es", repo.sha, "cc-by-4.0")
    assert manifest.pairs == (("en", "es"),) and manifest.family == "marian"
    assert not manifest.demo
    assert manifest.size_bytes == sum(p.stat().st_size for p in model_dir.iterdir()
                                      if p.name != model_manifest.FILENAME)
    assert not hub.asked_for("tf_model.h5") and not hub.asked_for("rust_model.ot")
    assert "checked en→es with ctranslate2" in pulled.stdout

    converted = everything_under(models / ".ct2")
    assert converted and all(p.startswith("opus-mt-tc-big-en-es-ct2-int8-") for p in converted)
    engine = CTranslate2Engine(model_dir, models / ".ct2", pool=ModelPool(1))
    sentences = EN_ES[:4]
    assert [r.text for r in engine.translate([s for s, _ in sentences], "en", "es")] == \
        [t for _, t in sentences]
    assert everything_under(models / ".ct2") == converted  # the worker converts nothing again

    listed = linguadesk(env, "models", "list")
    assert listed.returncode == 0, listed.stderr
    line = listed.stdout.strip()
    assert line.startswith("opus-mt-tc-big-en-es ")
    assert f"Helsinki-NLP/opus-mt-tc-big-en-es@{repo.sha[:7]}" in line
    assert "en→es" in line and "converted copy ready" in line and "demo" not in line
    assert everything_under(models / ".incoming") == []


def test_offline_mode_installs_from_the_hub_cache_without_asking_the_hub_anything(
        hub: Hub, env: dict[str, str], demo_models: Path, tmp_path: Path) -> None:
    from huggingface_hub import snapshot_download

    repo = hub.add_directory("Helsinki-NLP/opus-mt-en-es", demo_models / "demo-opus-mt-en-es",
                             license="apache-2.0")
    # Downloaded earlier on this machine, the way any huggingface_hub user fills the cache.
    snapshot_download("Helsinki-NLP/opus-mt-en-es", cache_dir=tmp_path / "hf" / "hub",
                      endpoint=hub.url)
    asked = len(hub.requests)
    offline = {**env, "HF_HUB_OFFLINE": "1"}

    missing = linguadesk(offline, "models", "pull", "en-fr")
    assert missing.returncode == 2
    assert "HF_HUB_OFFLINE is set" in missing.stderr and "models import" in missing.stderr

    pulled = linguadesk(offline, "models", "pull", "Helsinki-NLP/opus-mt-en-es")
    assert pulled.returncode == 0, pulled.stderr
    assert len(hub.requests) == asked
    manifest = model_manifest.read(tmp_path / "models" / "opus-mt-en-es")
    assert manifest is not None
    assert (manifest.revision, manifest.license, manifest.pairs) == \
        (repo.sha, "apache-2.0", (("en", "es"),))


def test_a_repository_or_revision_that_does_not_exist_is_named_and_nothing_is_written(
        hub: Hub, env: dict[str, str], demo_models: Path, tmp_path: Path) -> None:
    hub.add_directory("Helsinki-NLP/opus-mt-en-es", demo_models / "demo-opus-mt-en-es")

    absent = linguadesk(env, "models", "pull", "Helsinki-NLP/opus-mt-en-xx")
    assert absent.returncode == 2
    assert f"Helsinki-NLP/opus-mt-en-xx is not on {hub.url}" in absent.stderr
    wrong_revision = linguadesk(env, "models", "pull", "Helsinki-NLP/opus-mt-en-es",
                                "--revision", "v9")
    assert wrong_revision.returncode == 2 and "has no revision 'v9'" in wrong_revision.stderr
    unknown_pair = linguadesk(env, "models", "pull", "en-tlh")
    assert unknown_pair.returncode == 2 and "en-zh" in unknown_pair.stderr
    assert everything_under(tmp_path / "models") == []
    assert not hub.asked_for("/resolve/")


def test_a_model_that_does_not_load_is_not_installed_and_the_reason_is_given(
        hub: Hub, env: dict[str, str], demo_models: Path, tmp_path: Path) -> None:
    source = demo_models / "demo-opus-mt-en-es"
    weights = (source / "model.safetensors").read_bytes()
    hub.add_directory("Helsinki-NLP/opus-mt-en-es", source,
                      model__safetensors=weights[: len(weights) // 3])  # a truncated upload

    broken = linguadesk(env, "models", "pull", "Helsinki-NLP/opus-mt-en-es")
    assert broken.returncode == 2
    assert "opus-mt-en-es does not work with the transformers engine" in broken.stderr
    assert "Nothing was installed" in broken.stderr
    assert everything_under(tmp_path / "models") == []
    assert "no models in" in linguadesk(env, "models", "list").stdout


def test_an_interrupted_download_resumes_where_it_stopped(
        hub: Hub, env: dict[str, str], demo_models: Path, tmp_path: Path) -> None:
    source = demo_models / "demo-opus-mt-en-es"
    vocab = (source / "vocab.json").read_bytes()
    big_vocab = vocab + b" " * (2 * CHUNK + 1000 - len(vocab))  # still the same JSON
    hub.add_directory("Helsinki-NLP/opus-mt-en-es", source, vocab__json=big_vocab)
    hub.cut_once[("Helsinki-NLP/opus-mt-en-es", "vocab.json")] = CHUNK + CHUNK // 2

    stopped = linguadesk(env, "models", "pull", "Helsinki-NLP/opus-mt-en-es")
    assert stopped.returncode == 2
    assert "run the same command again to resume" in stopped.stderr
    assert not (tmp_path / "models" / "opus-mt-en-es").exists()

    resumed = linguadesk(env, "models", "pull", "Helsinki-NLP/opus-mt-en-es")
    assert resumed.returncode == 0, resumed.stderr
    gets = [r for r in hub.asked_for("/vocab.json") if r.method == "GET"]
    assert [r.headers.get("Range") for r in gets] == [None, f"bytes={CHUNK}-"]
    assert (tmp_path / "models" / "opus-mt-en-es" / "vocab.json").read_bytes() == big_vocab


def test_an_imported_tarball_translates_and_removing_it_takes_its_ctranslate2_copy(
        env: dict[str, str], demo_models: Path, tmp_path: Path) -> None:
    tarball = tmp_path / "opus-mt-en-fr.tar.gz"
    with tarfile.open(tarball, "w:gz") as tar:
        for path in model_files(demo_models / "demo-opus-mt-en-fr"):
            tar.add(path, arcname=f"opus-mt-en-fr/{path.name}")
    air_gapped = {**env, "HF_HUB_OFFLINE": "1", "HF_ENDPOINT": "http://127.0.0.1:9"}
    models = tmp_path / "models"

    imported = linguadesk(air_gapped, "models", "import", str(tarball))
    assert imported.returncode == 0, imported.stderr
    manifest = model_manifest.read(models / "opus-mt-en-fr")
    assert manifest is not None and manifest.pairs == (("en", "fr"),)
    assert manifest.hub_id is None and manifest.extra["source"] == "import"
    engine = CTranslate2Engine(models / "opus-mt-en-fr", models / ".ct2", pool=ModelPool(1))
    source, expected = EN_FR[0]
    assert engine.translate([source], "en", "fr")[0].text == expected
    by_hand = models / "demo-opus-mt-en-es"  # copied in by hand, without a manifest
    by_hand.mkdir()
    for path in model_files(demo_models / "demo-opus-mt-en-es"):
        (by_hand / path.name).write_bytes(path.read_bytes())
    listed = linguadesk(air_gapped, "models", "list").stdout.splitlines()
    assert listed[0].startswith("demo-opus-mt-en-es  -  en→es ")
    assert listed[0].endswith("[demo model]") and "converts on first use" in listed[0]
    assert listed[1].startswith("opus-mt-en-fr  -  en→fr ")
    assert "converted copy ready" in listed[1] and "demo" not in listed[1]

    again = linguadesk(air_gapped, "models", "import", str(tarball))
    assert again.returncode == 2 and "already installed" in again.stderr

    removed = linguadesk(air_gapped, "models", "remove", "opus-mt-en-fr")
    assert removed.returncode == 0, removed.stderr
    assert everything_under(models / ".ct2") == [] and not (models / "opus-mt-en-fr").exists()
    assert by_hand.exists()
    gone = linguadesk(air_gapped, "models", "remove", "opus-mt-en-fr")
    assert gone.returncode == 2 and "No model named opus-mt-en-fr" in gone.stderr


def test_a_tarball_reaching_outside_its_folder_is_refused(env: dict[str, str],
                                                          tmp_path: Path) -> None:
    tarball = tmp_path / "evil.tar"
    (tmp_path / "config.json").write_text("{}", encoding="utf-8")
    with tarfile.open(tarball, "w") as tar:
        tar.add(tmp_path / "config.json", arcname="../../config.json")

    refused = linguadesk(env, "models", "import", str(tarball))
    assert refused.returncode == 2 and "a path outside it" in refused.stderr
    assert everything_under(tmp_path / "models") == []


def test_a_multi_target_model_is_refused_until_told_which_language_to_write(
        env: dict[str, str], demo_models: Path, tmp_path: Path) -> None:
    model_dir = tmp_path / "opus-mt-en-roa"
    model_dir.mkdir()
    for path in model_files(demo_models / "demo-opus-mt-en-es"):
        (model_dir / path.name).write_bytes(path.read_bytes())
    vocab = json.loads((model_dir / "vocab.json").read_text(encoding="utf-8"))
    spare = [piece for piece in vocab if piece.startswith("▁")][-2:]
    for piece, token in zip(spare, (">>spa<<", ">>por<<"), strict=True):
        vocab[token] = vocab.pop(piece)
    (model_dir / "vocab.json").write_text(json.dumps(vocab), encoding="utf-8")

    unsure = linguadesk(env, "models", "import", str(model_dir))
    assert unsure.returncode == 2
    assert "needs one chosen before each sentence (>>por<<, >>spa<<)" in unsure.stderr
    assert "--target-token" in unsure.stderr
    wrong = linguadesk(env, "models", "import", str(model_dir), "--target-token", ">>fra<<")
    assert wrong.returncode == 2 and "has no target token >>fra<<" in wrong.stderr
    assert everything_under(tmp_path / "models") == []


def test_a_target_token_in_the_manifest_goes_before_every_sentence(
        demo_models: Path, tmp_path: Path) -> None:
    model_dir = tmp_path / "opus-mt-en-es"
    model_dir.mkdir()
    for path in model_files(demo_models / "demo-opus-mt-en-es"):
        (model_dir / path.name).write_bytes(path.read_bytes())
    pool = ModelPool(2)
    plain = TransformersEngine(model_dir, pool=pool).count_tokens(["Rain is expected tomorrow."])
    manifest = model_manifest.Manifest(name="opus-mt-en-es", pairs=(("en", "es"),),
                                       extra={"target_token": ">>spa<<"})
    model_manifest.write(model_dir, manifest)
    for engine in (TransformersEngine(model_dir, pool=pool),
                   CTranslate2Engine(model_dir, tmp_path / "ct2", pool=pool)):
        assert engine.count_tokens(["Rain is expected tomorrow."]) == [plain[0] + 1]


def test_the_catalogue_command_names_a_model_for_every_newsroom_language() -> None:
    shown = subprocess.run([LINGUADESK, "models", "catalogue"], capture_output=True, text=True,
                           timeout=60)
    assert shown.returncode == 0, shown.stderr
    specs = {line.split()[0] for line in shown.stdout.splitlines()}
    for language in ("zh", "ar", "ru", "fr", "es", "de", "pt", "it"):
        assert {f"en-{language}", f"{language}-en"} <= specs
    assert "Helsinki-NLP/opus-mt-en-zh  (with >>cmn_Hans<<)" in shown.stdout
