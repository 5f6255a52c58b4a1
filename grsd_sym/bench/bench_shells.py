"""Benchmark: shell energies of 1e7 eigenvalues vs a bare ``np.bincount`` over the same data.

Data: ``n = 1e7`` eigenvalues log-uniform over 25 e-folds and normal amplitudes; grid
``h = 0.25, s0 = 0.1`` (100 shells).  Timed, each the best of several runs in this process:

* ``ours``: :func:`grsd_sym.numeric.shells.shell_energies` (validation, null shell, counts, the
  energies) from ``(lam, a, grid)``;
* ``bare``: the bare pipeline on the same data, no checks, no null shell::

      idx = np.floor((np.log(lam) - s0) / h).astype(np.intp)
      np.bincount(idx - idx.min(), weights=0.5 * a * a)

The headline ``ratio`` is ``ours / bare``.  ``details`` also reports, for honesty, the time of the
``np.bincount`` call alone on precomputed integer bins (``bincount_only``: it leaves out the
logarithm, which dominates both pipelines), ``ours`` relative to it, and ``shell_energies`` given a
ready :class:`ShellAssignment` (bins reused across energies, dissipation, transfer) relative to it.
Peak traced memory (``tracemalloc``) of one ``shell_energies`` call is reported in MB.
"""

from __future__ import annotations

import functools
import math
import tracemalloc

import numpy as np

from grsd_sym.bench import best_time
from grsd_sym.numeric import ShellGrid, assign_shells, shell_energies

__all__ = ["NAME", "TARGET", "LIMIT", "run"]

NAME = "shells"
TARGET = "ratio <= 3 (shell_energies / bare log-floor-bincount pipeline, 1e7 eigenvalues)"
LIMIT = 3.0


def run(quick: bool) -> dict:
    """Time :func:`~grsd_sym.numeric.shells.shell_energies` against a bare bincount pipeline.

    Parameters
    ----------
    quick : bool
        Use fewer repeats.

    Returns
    -------
    dict
        Record with times, agreement and peak memory.

    Examples
    --------
    >>> NAME, LIMIT   # registered under this name, passed at ratio <= LIMIT
    ('shells', 3.0)
    """
    n = 10**7
    repeats = 3 if quick else 7
    rng = np.random.default_rng(0)
    lam = np.exp(rng.uniform(-20.0, 5.0, n))
    a = rng.standard_normal(n)
    grid = ShellGrid(0.25, 0.1)
    s0, h = grid.s0, grid.h

    def bare():
        idx = np.floor((np.log(lam) - s0) / h).astype(np.intp)
        return np.bincount(idx - idx.min(), weights=0.5 * a * a)

    def ours():
        return shell_energies(lam, a, grid)

    idx = np.floor((np.log(lam) - s0) / h).astype(np.intp)
    idx -= idx.min()
    w = 0.5 * a * a
    asg = assign_shells(lam, grid)

    # agreement of the two pipelines (same shells, same energies)
    E, ref = ours(), bare()
    agree = float(np.max(np.abs(E.values - ref)) / np.max(ref))
    exact = math.fsum(w.tolist())
    total_rel = abs(E.total - exact) / exact

    t_ours = best_time(ours, repeats)
    t_bare = best_time(bare, repeats)
    t_bin = best_time(functools.partial(np.bincount, idx, weights=w), repeats)
    t_given = best_time(lambda: shell_energies(None, a, asg), repeats)
    del idx, w

    tracemalloc.start()
    shell_energies(lam, a, grid)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    tracemalloc.start()
    bare()
    _, peak_bare = tracemalloc.get_traced_memory()
    tracemalloc.stop()

    ratio = t_ours / t_bare
    return {
        "name": NAME,
        "ratio": round(ratio, 3),
        "target": TARGET,
        "passed": bool(ratio <= LIMIT),
        "details": {
            "n": n,
            "shells": int(E.alphas.size),
            "repeats": repeats,
            "ours_s": round(t_ours, 4),
            "bare_pipeline_s": round(t_bare, 4),
            "bincount_only_s": round(t_bin, 4),
            "ours_over_bincount_only": round(t_ours / t_bin, 2),
            "given_assignment_s": round(t_given, 4),
            "given_assignment_over_bincount_only": round(t_given / t_bin, 2),
            "peak_memory_MB": round(peak / 2**20, 1),
            "bare_peak_memory_MB": round(peak_bare / 2**20, 1),
            "input_MB": round((lam.nbytes + a.nbytes) / 2**20, 1),
            "max_rel_diff_vs_bare": agree,
            "total_vs_fsum_rel": total_rel,
        },
    }
