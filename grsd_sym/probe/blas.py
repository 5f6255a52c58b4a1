"""Limit the BLAS thread pool while the probe runs (performance only, never results).

The probe's linear algebra is on small matrices (n ~ 100), where a multi-threaded OpenBLAS
on a busy 2-core machine spends most of its time spinning: measured here, ``eigh`` of a
240 x 240 matrix took 1.9 s with 2 threads under load and 0.08 s with 1.  NumPy's wheels bundle
OpenBLAS; :func:`blas_threads` finds its ``*openblas_set_num_threads*`` entry point with
:mod:`ctypes` and sets the thread count for the duration of a ``with`` block.  If no such
library is found, it does nothing and reports ``None`` (results are identical either way).
"""

from __future__ import annotations

import ctypes
import glob
import os
from collections.abc import Iterator
from contextlib import contextmanager

import numpy as np

__all__ = ["blas_threads"]

_SET = (
    "scipy_openblas_set_num_threads64_",
    "scipy_openblas_set_num_threads",
    "openblas_set_num_threads64_",
    "openblas_set_num_threads",
)
_GET = (
    "scipy_openblas_get_num_threads64_",
    "scipy_openblas_get_num_threads",
    "openblas_get_num_threads64_",
    "openblas_get_num_threads",
)


def _find():
    base = os.path.dirname(np.__file__)
    pats = [
        os.path.join(base, "..", "numpy.libs", "*openblas*"),
        os.path.join(base, ".libs", "*openblas*"),
        os.path.join(base, "..", "scipy_openblas64*", "lib", "*openblas*.so*"),
    ]
    for pat in pats:
        for path in glob.glob(pat):
            try:
                lib = ctypes.CDLL(path)
            except OSError:
                continue
            s = next((getattr(lib, n) for n in _SET if hasattr(lib, n)), None)
            g = next((getattr(lib, n) for n in _GET if hasattr(lib, n)), None)
            if s is not None and g is not None:
                return s, g
    return None


@contextmanager
def blas_threads(n: int = 1) -> Iterator[int | None]:
    """``with blas_threads(1): ...`` runs the block with ``n`` BLAS threads.

    Parameters
    ----------
    n : int
        BLAS threads inside the block (the old count is restored after it).

    Yields
    ------
    int or None
        The previous count (``None`` if the BLAS could not be controlled).

    Examples
    --------
    >>> with blas_threads(1):
    ...     float(np.linalg.eigvalsh(np.eye(2))[-1])
    1.0
    """
    fns = _find()
    if fns is None:
        yield None
        return
    set_, get_ = fns
    old = int(get_())
    set_(int(n))
    try:
        yield old
    finally:
        set_(old)
