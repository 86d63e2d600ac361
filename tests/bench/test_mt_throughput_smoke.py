"""The MT benchmark runs end to end on a tiny model and prints its table and ratio lines."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "bench"))

from mt_throughput import FULL, corpus, gflop_per_token  # noqa: E402


def test_the_corpus_has_news_like_sentence_lengths() -> None:
    sentences = corpus(500)
    words = [len(s.split()) for s in sentences]
    assert len(set(sentences)) > 400
    assert min(words) >= 8 and max(words) <= 56  # 10 to 60 tokens with the BPE tokenizer


def test_the_compute_per_token_matches_opus_mt_en_de() -> None:
    assert 0.12 < gflop_per_token(FULL, 30, 1) < 0.16
    assert 0.38 < gflop_per_token(FULL, 30, 4) < 0.50


def test_a_tiny_run_prints_rates_memory_and_ratios(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, str(REPO / "bench" / "mt_throughput.py"), "--small", "--sentences",
         "4", "--round", "4", "--contenders", "abcd", "--threads", "1", "--workdir",
         str(tmp_path)], capture_output=True, text=True, timeout=900, cwd=REPO)
    assert done.returncode == 0, done.stderr[-2000:]
    out = done.stdout
    for name in ("baseline", "transformers", "ct2", "argos"):
        for mode in ("greedy", "beam4"):
            assert re.search(rf"^{name}\s+{mode}\s+\d+\.\d", out, re.M), out
            assert re.search(rf"^ratio {name}/baseline {mode} \d+\.\d\d$", out, re.M), out


def test_a_tiny_run_measures_what_confidence_costs_in_paired_runs(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, str(REPO / "bench" / "mt_throughput.py"), "--small", "--overhead",
         "--sentences", "4", "--repeats", "3", "--threads", "1", "--workdir", str(tmp_path)],
        capture_output=True, text=True, timeout=900, cwd=REPO)
    assert done.returncode == 0, done.stderr[-2000:]
    for engine in ("transformers", "ct2"):
        for mode in ("greedy", "beam4"):
            assert re.search(rf"^scores overhead {engine} {mode}: -?\d+\.\d% \(median of 3 "
                             r"paired runs, cpu time; best runs \d+\.\d\d s with",
                             done.stdout, re.M), done.stdout


def test_the_ctranslate2_batching_probe_prints_a_row_per_batching(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, str(REPO / "bench" / "ct2_batching.py"), "--small", "--sentences", "6",
         "--threads", "1", "--workdir", str(tmp_path)],
        capture_output=True, text=True, timeout=900, cwd=REPO)
    assert done.returncode == 0, done.stderr[-2000:]
    for compute in ("int8", "float32"):
        rows = re.findall(rf"^{compute}\s+(.+?)\s+(\d+\.\d) tok/s\s+×\s*(\d+\.\d\d)$",
                          done.stdout, re.M)
        assert [r[0] for r in rows][:2] == ["argos (32 tokens)", "256 tokens"], done.stdout
        assert len(rows) == 7 and rows[0][2] == "1.00", done.stdout
