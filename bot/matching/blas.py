"""Matching runs its matrix products on one BLAS thread.

On this 2-core machine, shared by several worker processes, OpenBLAS's own threads fight the other
processes for the cores: one query's MiniLM pass measured 186 ms with two threads and 24 ms with one.
"""

from __future__ import annotations

from contextlib import AbstractContextManager
from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from threadpoolctl import ThreadpoolController


@lru_cache(maxsize=1)
def _controller() -> ThreadpoolController:
    """Created on first use, after numpy has loaded the BLAS library the controller must find."""
    from threadpoolctl import ThreadpoolController

    return ThreadpoolController()


def one_thread() -> AbstractContextManager[object]:
    """numpy's BLAS on one thread inside the context, restored on exit (~0.04 ms to enter)."""
    return _controller().limit(limits=1, user_api="blas")
