"""A worker process imports its MT libraries when it starts, outside any task's time limit."""

from __future__ import annotations

import subprocess
import sys


def test_preloading_imports_every_library_and_model_class_the_engines_reach() -> None:
    # A fresh interpreter: the libraries must come from preload(), not from this test run.
    modules = ["torch", "ctranslate2", "transformers.models.marian.modeling_marian",
               "transformers.models.m2m_100.modeling_m2m_100",
               "transformers.models.auto.tokenization_auto"]
    code = ("import sys; from workers.engines.preload import preload; failed = preload(); "
            f"print(failed, [m for m in {modules!r} if m not in sys.modules])")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True, timeout=300).stdout.strip().splitlines()[-1]
    assert out == "[] []"
