"""Models loaded in this worker process, at most ``cap`` of them (least recently used goes)."""

from __future__ import annotations

import ctypes
import ctypes.util
import gc
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any


class ModelPool:
    """A small LRU of loaded models shared by every engine in the process."""

    def __init__(self, cap: int = 2) -> None:
        self.cap = max(1, cap)
        self._loaded: OrderedDict[Hashable, Any] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Hashable, load: Callable[[], Any]) -> Any:
        """The loaded object for ``key``, loading it (and evicting the oldest) if needed."""
        with self._lock:
            if key in self._loaded:
                self._loaded.move_to_end(key)
                return self._loaded[key]
            while len(self._loaded) >= self.cap:
                self._loaded.popitem(last=False)
                gc.collect()
            value = load()
            self._loaded[key] = value
            return value

    def keys(self) -> list[Hashable]:
        """What is loaded now, oldest first."""
        with self._lock:
            return list(self._loaded)

    def clear(self) -> None:
        """Unload everything."""
        with self._lock:
            self._loaded.clear()
        gc.collect()


def _libc_trim() -> Callable[[int], int] | None:
    try:
        trim = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6").malloc_trim
    except (OSError, AttributeError):  # not glibc: nothing to trim
        return None
    return trim  # type: ignore[no-any-return]


_TRIM = _libc_trim()


def release_free_heap() -> None:
    """Hand the heap's free pages back to the system (glibc keeps them otherwise).

    A translation request's activations are freed when it ends, but glibc keeps the
    pages, so an idle worker would sit at the peak of its largest request.
    """
    if _TRIM is not None:
        _TRIM(0)


POOL = ModelPool()
"""This process's pool; the worker sets its cap from LINGUADESK_MAX_LOADED_MODELS."""
