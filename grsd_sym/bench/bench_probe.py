"""Benchmark: ``diagnose`` per checkpoint at n = 2048 modes against one ``numpy.linalg.eigh``.

The eigendecomposition of the ``n x n`` kernel is the floor of every spectral diagnostic: the
probe makes one per checkpoint, plus three ``n x n`` products (``U.T @ (Mdot @ U)`` and the
overlaps between consecutive checkpoints) and ``O(n^2)`` shell work.  Data: a synthetic trajectory
of ``T = 3`` checkpoints, ``M(t) = Q(t) diag(lambda(t)) Q(t)^T`` with a power-law spectrum
:math:`k^{-1.2}` drifting in time, random rotations, a random symmetric ``Mdot`` and errors
``e``.  Timed in this process, best of ``repeats``:

* ``ours``: :func:`grsd_sym.probe.diagnostics.diagnose` (window refitted per checkpoint and
  intersected, every condition, the condition-4 test over checkpoints), divided by ``T``;
* ``eigh``: one ``numpy.linalg.eigh`` of ``M(0)``.

The headline ``ratio`` is ``ours / eigh`` (target <= 3).  Without ``quick``, ``details`` also
reports an end-to-end run at n = 2048 (a depth-2 residual MLP trained in the gradient-flow
regime and diagnosed) and whether it completed without error.
"""

from __future__ import annotations

import time
from typing import Any

import numpy as np

from grsd_sym.bench import best_time
from grsd_sym.probe.adapter import trajectory_from_arrays
from grsd_sym.probe.blas import blas_threads
from grsd_sym.probe.diagnostics import diagnose

__all__ = ["LIMIT", "NAME", "TARGET", "run"]

NAME = "probe"
TARGET = "ratio <= 3 (diagnose per checkpoint / one numpy.linalg.eigh, n = 2048)"
LIMIT = 3.0


def _trajectory(n: int, T: int, seed: int = 0):
    rng = np.random.default_rng(seed)
    lam0 = np.arange(1, n + 1.0) ** -1.2
    Ms, Mds, es = [], [], []
    Q, _ = np.linalg.qr(rng.standard_normal((n, n)))
    for i in range(T):
        G, _ = np.linalg.qr(np.eye(n) + 0.01 * (i + 1) * rng.standard_normal((n, n)))
        Qi = Q @ G
        lam = lam0 * np.exp(0.05 * i * np.log(lam0 / lam0[-1]) / np.log(n))
        Ms.append((Qi * lam) @ Qi.T)
        S = rng.standard_normal((n, n))
        Mds.append(1e-3 * (S + S.T))
        es.append(Qi @ (np.sqrt(lam) * rng.standard_normal(n)))
    return trajectory_from_arrays(t=np.arange(T, dtype=float), e=np.array(es), M=np.array(Ms), Mdot=np.array(Mds))


def _run_2048() -> dict:
    from dataclasses import replace

    from grsd_sym.probe.experiment import DEFAULT, run_one

    cfg = replace(
        DEFAULT,
        n_samples=2048,
        width=16,
        depths=(2,),
        seeds=(0,),
        n_checkpoints=3,
        t_max_scale=10.0,
        n_null=199,
        n_boot=100,
    )
    t0 = time.perf_counter()
    try:
        d = run_one(cfg, "resnet", 2, 0)
        s = d["summary"]
        return {
            "completed": True,
            "seconds": round(time.perf_counter() - t0, 1),
            "verdict_over_checkpoints": s["condition4"]["verdict"],
            "shell_counts": s["window"]["counts_t0"],
            "skipped": s["skipped_checkpoints"],
        }
    except Exception as exc:
        return {
            "completed": False,
            "error": f"{type(exc).__name__}: {exc}",
            "seconds": round(time.perf_counter() - t0, 1),
        }


def run(quick: bool) -> dict[str, Any]:
    """Time :func:`~grsd_sym.probe.diagnostics.diagnose` per checkpoint against one ``eigh``.

    Parameters
    ----------
    quick : bool
        One repeat and no end-to-end training run (still about 10 s: n = 2048).

    Returns
    -------
    dict
        ``name``, ``ratio`` (ours / eigh), ``target``, ``passed`` (``ratio <= LIMIT``), ``details``.

    Examples
    --------
    ``run(quick=True)["passed"]`` is true when ``diagnose`` costs at most ``LIMIT`` eigendecompositions:

    >>> LIMIT
    3.0
    """
    n, T = 2048, 3
    repeats = 1 if quick else 2
    with blas_threads(1):
        traj = _trajectory(n, T)
        M0 = traj.M[0]
        t_eigh = best_time(lambda: np.linalg.eigh(M0), repeats + 1)
        out: dict[str, Any] = {}
        t_ours = best_time(lambda: out.setdefault("d", diagnose(traj, n_null=199, n_boot=100)), repeats)
        s = out["d"]["summary"]
        ratio = (t_ours / T) / t_eigh
        details = {
            "n": n,
            "checkpoints": T,
            "eigh_s": round(t_eigh, 3),
            "diagnose_per_checkpoint_s": round(t_ours / T, 3),
            "shell_counts": s["window"]["counts_t0"],
            "blas_threads": 1,
        }
        if not quick:
            details["run_2048"] = _run_2048()
    return {
        "name": NAME,
        "ratio": round(ratio, 3),
        "target": TARGET,
        "passed": bool(ratio <= LIMIT),
        "details": details,
    }
