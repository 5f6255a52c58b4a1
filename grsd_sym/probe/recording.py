"""Kernel :math:`M = JJ^T` and velocity :math:`\\dot M` assembled from Jacobian blocks of samples.

Shared by the torch and jax adapters (framework arrays in, numpy ``float64`` out).  The samples
are cut into blocks; ``compute(i)`` returns, for block ``i``, the Jacobian rows ``J_i``, their
directional derivative ``Jd_i`` along the gradient-flow direction :math:`v = -J^T e` and the
per-sample gradients :math:`g_s = J_s^T e_s`.  Then (GRSD-T2)

.. math:: M_{ij} = J_i J_j^T,\\qquad \\dot M = A + A^T,\\quad A_{ij} = \\dot J_i J_j^T.

Memory: blocks are grouped into *panels* that fit ``max_bytes``; a panel is held while every
later block is streamed past it, so at most ``panel + 1`` blocks of ``J`` and ``Jd`` live at
once and ``J`` is never held whole.  When everything fits, each block is computed once; otherwise
block ``j`` is recomputed once per panel before it (the price of the memory bound).

:func:`build_trajectory` turns the checkpoint records of :func:`grsd_sym.probe.optim.optimize`
into a :class:`~grsd_sym.probe.adapter.Trajectory` with the optimizer, regime and per-checkpoint
arrays (``lr * lambda_max``, gradient-noise scale, gradient norms) in ``meta``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import replace
from typing import Any, TypedDict, cast

import numpy as np

from grsd_sym.errors import InputError
from grsd_sym.probe.adapter import Trajectory, trajectory_from_arrays
from grsd_sym.probe.blas import blas_threads
from grsd_sym.probe.optim import OptimizerSpec, classify_regime, follow_user_loop, gradient_noise_scale, optimize

__all__ = ["MDOT_METHODS", "block_ranges", "build_trajectory", "panel_kernel"]

#: how ``Mdot`` is computed: exact forward-mode derivative, or central differences (labelled)
MDOT_METHODS = ("jvp", "central")


def block_ranges(n_samples: int, block_size: int) -> list[tuple[int, int]]:
    """``[(start, stop), ...]`` covering ``range(n_samples)`` in blocks of ``block_size``.

    Parameters
    ----------
    n_samples, block_size : int
        Samples and samples per block (``>= 1``).

    Returns
    -------
    list of tuple of int

    Raises
    ------
    InputError
        ``block_size < 1``.

    Examples
    --------
    >>> block_ranges(5, 2)
    [(0, 2), (2, 4), (4, 5)]
    """
    if isinstance(block_size, bool) or int(block_size) < 1:
        raise InputError(f"block_size must be an integer >= 1, got {block_size!r}")
    b = int(block_size)
    return [(a, min(a + b, n_samples)) for a in range(0, n_samples, b)]


def panel_kernel(
    n_blocks: int,
    rows_per_block: int,
    n_rows_last: int,
    compute: Callable,
    block_bytes: int,
    max_bytes: int,
    to_numpy: Callable,
    with_velocity: bool = True,
) -> dict:
    """Assemble ``M``, ``Mdot`` and the per-sample gradient moments block by block.

    Parameters
    ----------
    n_blocks : int
        Number of sample blocks.
    rows_per_block, n_rows_last : int
        Rows of ``J`` in a full block and in the last one.
    compute : callable
        ``compute(i) -> (J_i, Jd_i, g_i)`` (``Jd_i`` may be ``None`` when ``with_velocity`` is
        false; ``g_i`` the per-sample gradients, ``(samples, P)``) as framework arrays in float64.
    block_bytes, max_bytes : int
        Size of one computed block and the budget of the held panel.
    to_numpy : callable
        Framework array -> numpy array.
    with_velocity : bool
        Also assemble ``Mdot``.

    Returns
    -------
    dict
        ``M``, ``Mdot`` (or ``None``), ``sum_sq`` (:math:`\\sum_s\\|g_s\\|^2`), ``grad_sum``
        (:math:`\\sum_s g_s`, numpy) and ``computed`` (block evaluations, for the memory note).

    Examples
    --------
    >>> J = np.arange(12.0).reshape(4, 3); Jd = np.ones((4, 3)); e = np.ones(4)
    >>> def compute(i):
    ...     s = slice(2 * i, 2 * i + 2)
    ...     return J[s], Jd[s], J[s] * e[s, None]
    >>> out = panel_kernel(2, 2, 2, compute, block_bytes=1, max_bytes=1, to_numpy=np.asarray)
    >>> bool(np.allclose(out["M"], J @ J.T)), bool(np.allclose(out["Mdot"], Jd @ J.T + J @ Jd.T))
    (True, True)

    References
    ----------
    GRSD-T2 (:math:`\\dot M = \\dot J J^T + J\\dot J^T`).
    """
    n = rows_per_block * (n_blocks - 1) + n_rows_last
    M = np.zeros((n, n))
    A = np.zeros((n, n)) if with_velocity else None
    rows = [
        (i * rows_per_block, i * rows_per_block + (rows_per_block if i < n_blocks - 1 else n_rows_last))
        for i in range(n_blocks)
    ]
    per_panel = max(1, int(max_bytes) // max(1, int(block_bytes)))
    seen: set[int] = set()
    moments: dict[str, Any] = {"sum_sq": 0.0, "grad_sum": None}
    computed = 0

    def get(i):
        nonlocal computed
        computed += 1
        J, Jd, g = compute(i)
        if i not in seen:
            seen.add(i)
            moments["sum_sq"] += float(to_numpy((g * g).sum()))
            gs = to_numpy(g.sum(0))
            moments["grad_sum"] = gs if moments["grad_sum"] is None else moments["grad_sum"] + gs
        return J, Jd

    for p0 in range(0, n_blocks, per_panel):
        panel = list(range(p0, min(p0 + per_panel, n_blocks)))
        cache = {i: get(i) for i in panel}
        for j in range(p0, n_blocks):
            Jj, Jdj = cache[j] if j in cache else get(j)
            rj = slice(*rows[j])
            for i in panel:
                if i > j:
                    continue
                Ji, Jdi = cache[i]
                ri = slice(*rows[i])
                Mij = to_numpy(Ji @ Jj.T)
                M[ri, rj] = Mij
                M[rj, ri] = Mij.T
                if A is not None:
                    A[ri, rj] = to_numpy(Jdi @ Jj.T)
                    if i != j:
                        A[rj, ri] = to_numpy(Jdj @ Ji.T)
            del Jj, Jdj
        del cache
    Mdot = (A + A.T) if A is not None else None
    return {"M": M, "Mdot": Mdot, "sum_sq": moments["sum_sq"], "grad_sum": moments["grad_sum"], "computed": computed}


def build_trajectory(
    records: list[dict], spec: OptimizerSpec, n_samples: int, mdot_method: str, meta: dict | None = None
) -> Trajectory:
    """Trajectory from checkpoint records; ``Mdot_source`` says how ``Mdot`` was computed.

    Parameters
    ----------
    records : list of dict
        Checkpoint records (keys ``t, e, M, Mdot, lambda_max, sum_sq, grad_sum, hidden_norms,
        lr, lr_lambda_max, step``) of :func:`~grsd_sym.probe.optim.optimize`.
    spec : OptimizerSpec
        The validated optimizer settings.
    n_samples : int
        ``N`` (for the gradient-noise scale).
    mdot_method : {"jvp", "central"}
    meta : dict, optional
        Extra metadata.

    Returns
    -------
    Trajectory
        With ``meta`` keys ``optimizer``, ``regime``, ``lr``, ``steps``, ``checkpoints`` etc.

    Raises
    ------
    InputError
        Unknown ``mdot_method``.

    Examples
    --------
    >>> M = np.eye(2); g = np.array([1.0, 0.0])
    >>> recs = [dict(t=t, e=np.ones(2), M=M, Mdot=0 * M, lambda_max=1.0, sum_sq=1.0, grad_sum=g,
    ...              lr=0.1, lr_lambda_max=0.1, step=s) for s, t in ((0, 0.0), (1, 0.1))]
    >>> spec = OptimizerSpec(kind="gf", steps=2, n_checkpoints=2).validate(2)
    >>> build_trajectory(recs, spec, 2, "jvp").meta["regime"]["regime"]
    'gradient flow'

    References
    ----------
    GRSD-T1 (time ``t = lr x steps``), GRSD-T2 (``Mdot``).
    """
    if mdot_method not in MDOT_METHODS:
        raise InputError(f"mdot must be one of {MDOT_METHODS}, got {mdot_method!r}")
    assert spec.batch_size is not None  # a validated spec
    noise = [gradient_noise_scale(r["sum_sq"], r["grad_sum"], n_samples) for r in records]
    hidden = [r.get("hidden_norms") for r in records]
    grad_norms = hidden[0] if hidden[0] is not None else None
    regime = classify_regime(spec, [r["lr_lambda_max"] for r in records], noise)
    m = dict(meta or {})
    # keys read by the diagnostics: the step in force and the hidden-gradient norms per checkpoint
    m["lr_t"] = [float(r["lr"]) for r in records]
    if all(h is not None for h in hidden):
        m["grad_norms_t"] = [np.asarray(h, float).tolist() for h in hidden]
    m.update(
        {
            "optimizer": spec.describe(),
            "regime": regime,
            "lr": float(records[1]["lr"]) if len(records) > 1 else float(records[0]["lr"]),
            "steps": int(records[-1]["step"]),
            "lambda_max_0": float(records[0]["lambda_max"]),
            "mdot_method": mdot_method,
            "checkpoints": {
                "step": [int(r["step"]) for r in records],
                "lr": [float(r["lr"]) for r in records],
                "lambda_max": [float(r["lambda_max"]) for r in records],
                "lr_lambda_max": [float(r["lr_lambda_max"]) for r in records],
                "gradient_noise_scale": noise,
                "noise_ratio": [None if v is None else v / spec.batch_size for v in noise],
                "hidden_grad_norms": [None if h is None else np.asarray(h, float).tolist() for h in hidden],
                "loss_grad_norm": [float(np.linalg.norm(r["grad_sum"])) for r in records],
            },
        }
    )
    traj = trajectory_from_arrays(
        t=np.array([r["t"] for r in records]),
        e=np.array([r["e"] for r in records]),
        M=np.array([r["M"] for r in records]),
        Mdot=np.array([r["Mdot"] for r in records]),
        grad_norms=grad_norms,
        meta=m,
    )
    if mdot_method == "central":
        traj.Mdot_source = "central-difference"
    return traj


# ----------------------------------------------------------------------------- adapters' common half
class _RunOptions(TypedDict, total=False):
    """Keyword options of ``from_torch`` and ``from_jax`` (documented in ``from_torch``)."""

    optimizer: str
    steps: int
    n_checkpoints: int
    lr: float | None
    lr_scale: float
    gf_bound: float
    batch_size: int | None
    momentum: float
    seed: int
    train_fn: Callable[..., Any] | None
    mdot: str
    fd_step: float
    block_size: int | None
    max_memory: int
    dtype: str
    progress: Callable[[int, int], None] | None
    meta: dict[str, Any] | None


_RUN_DEFAULTS: _RunOptions = {
    "optimizer": "gd",
    "steps": 1000,
    "n_checkpoints": 12,
    "lr": None,
    "lr_scale": 0.5,
    "gf_bound": 0.1,
    "batch_size": None,
    "momentum": 0.0,
    "seed": 0,
    "train_fn": None,
    "mdot": "jvp",
    "fd_step": 1e-6,
    "block_size": None,
    "max_memory": 1 << 30,
    "dtype": "float64",
    "progress": None,
    "meta": None,
}


def _run_options(caller: str, options: Mapping[str, Any]) -> _RunOptions:
    """``options`` over the defaults; an unknown keyword is a ``TypeError`` as for a signature."""
    unknown = sorted(set(options) - set(_RUN_DEFAULTS))
    if unknown:
        raise TypeError(f"{caller}() got an unexpected keyword argument {unknown[0]!r}")
    return cast(_RunOptions, {**_RUN_DEFAULTS, **options})


class _BlockKernel:
    """The framework-neutral half of an adapter's run context.

    A subclass sets ``N, k, P`` (samples, outputs, parameters) and ``theta0``, calls
    :meth:`_settings` and :meth:`_size_blocks`, and supplies the framework pieces: ``_to_numpy``,
    ``_norm``, ``_start`` (errors ``E`` and gradient-flow direction ``v`` at ``theta``),
    ``_block`` (the ``compute`` of :func:`panel_kernel`), ``loss_grad`` and ``hidden_norms``.
    """

    N: int
    k: int
    P: int
    theta0: Any
    mdot: str
    fd_step: float
    max_memory: int
    block_size: int
    blocks: list[tuple[int, int]]
    block_bytes: int

    def _settings(self, mdot: str, fd_step: float, max_memory: int) -> None:
        if mdot not in MDOT_METHODS:
            raise InputError(f"mdot must be one of {MDOT_METHODS}, got {mdot!r}")
        if not (np.isfinite(fd_step) and 0 < fd_step < 1):
            raise InputError(f"fd_step must be in (0, 1), got {fd_step!r}")
        if isinstance(max_memory, bool) or int(max_memory) < 1:
            raise InputError(f"max_memory must be a positive number of bytes, got {max_memory!r}")
        self.mdot, self.fd_step, self.max_memory = mdot, float(fd_step), int(max_memory)

    def _size_blocks(self, block_size: int | None) -> None:
        per_sample = 8 * self.k * self.P * (2 if self.mdot == "jvp" else 1)
        if block_size is None:
            block_size = max(1, min(self.N, self.max_memory // (4 * per_sample)))
        self.block_size = int(block_size)
        self.blocks = block_ranges(self.N, self.block_size)
        self.block_bytes = per_sample * self.block_size

    # -- framework pieces
    def _to_numpy(self, a: Any) -> np.ndarray:
        raise NotImplementedError

    def _norm(self, a: Any) -> float:
        raise NotImplementedError

    def _start(self, theta: Any) -> tuple[Any, Any, Any]:
        raise NotImplementedError

    def _block(self, theta: Any, v: Any, E: Any, a: int, b: int) -> tuple[Any, Any, Any]:
        raise NotImplementedError

    def loss_grad(self, theta: Any, idx: Any) -> Any:
        raise NotImplementedError

    def hidden_norms(self, theta: Any) -> np.ndarray | None:
        raise NotImplementedError

    # -- shared
    def _assemble(self, theta: Any, E: Any, v: Any) -> dict:
        last = self.blocks[-1][1] - self.blocks[-1][0]
        return panel_kernel(
            len(self.blocks),
            self.block_size * self.k,
            last * self.k,
            lambda i: self._block(theta, v, E, *self.blocks[i]),
            self.block_bytes,
            self.max_memory,
            self._to_numpy,
            with_velocity=v is not None,
        )

    def kernel(self, theta: Any) -> dict:
        """``e, M, Mdot, loss, lambda_max`` and the gradient moments at ``theta`` (GRSD-T2)."""
        theta, E, v = self._start(theta)
        out = self._assemble(theta, E, v if self.mdot == "jvp" else None)
        if self.mdot == "central":
            h = self.fd_step * max(1.0, self._norm(theta)) / max(self._norm(v), 1e-300)
            Mp = self._assemble(theta + h * v, E, None)["M"]
            Mm = self._assemble(theta - h * v, E, None)["M"]
            out["Mdot"] = (Mp - Mm) / (2 * h)
            out["fd_h"] = h
        e = self._to_numpy(E).reshape(-1).astype(float)
        with blas_threads(1):  # n x n eigvalsh: a multi-threaded BLAS spins on a busy machine
            lam_max = float(np.linalg.eigvalsh(out["M"])[-1])
        out.update(e=e, loss=0.5 * float(e @ e), lambda_max=lam_max, block_size=self.block_size)
        return out

    def measure(self, step: int, t: float, theta: Any, lr: float) -> dict:
        """The checkpoint record of :func:`~grsd_sym.probe.optim.optimize`."""
        rec = self.kernel(theta)
        rec["hidden_norms"] = self.hidden_norms(theta)
        return rec

    def jacobian(self, v: Any, E: Any) -> tuple[np.ndarray, np.ndarray | None]:
        """The whole ``J`` at ``theta0`` and, given ``v``, ``Jdot`` (numpy, for small models)."""
        Js, Jds = [], []
        for a, b in self.blocks:
            J, Jd, _ = self._block(self.theta0, v, E, a, b)
            Js.append(self._to_numpy(J))
            if Jd is not None:
                Jds.append(self._to_numpy(Jd))
        return np.concatenate(Js), (np.concatenate(Jds) if Jds else None)


def _optimizer_spec(o: Mapping[str, Any]) -> OptimizerSpec:
    """The :class:`~grsd_sym.probe.optim.OptimizerSpec` of run options (``optimizer`` is its ``kind``)."""
    fields = ("steps", "n_checkpoints", "lr", "lr_scale", "gf_bound", "batch_size", "momentum", "seed")
    return OptimizerSpec(kind=o["optimizer"], **{f: o[f] for f in fields})


def _record_run(
    ctx: _BlockKernel,
    o: _RunOptions,
    advance: Callable[[Any, int], Any],
    framework_meta: dict[str, Any],
    usage: str,
) -> Trajectory:
    """Train (or follow ``o["train_fn"]`` through ``advance``) and build the trajectory (GRSD-T1)."""
    spec = _optimizer_spec(o)
    m = dict(framework_meta, dtype=o["dtype"], n_params=ctx.P, block_size=ctx.block_size, max_memory=ctx.max_memory)
    m.update(o["meta"] or {})
    train_fn = o["train_fn"]
    if train_fn is None:
        spec = spec.validate(ctx.N)
        records = optimize(ctx.theta0, ctx.loss_grad, spec, ctx.N, ctx.measure, o["progress"])
    else:
        if not callable(train_fn):
            raise InputError(f"train_fn must be callable: {usage}")
        spec = replace(spec, kind="gd", batch_size=ctx.N, momentum=0.0)
        records = follow_user_loop(ctx.theta0, advance, spec, ctx.N, ctx.measure, o["progress"])
    traj = build_trajectory(records, spec, ctx.N, o["mdot"], meta=m)
    if train_fn is not None:
        traj.meta["optimizer"]["kind"] = "user"
        traj.meta["optimizer"]["time_unit"] = "lr x steps" if o["lr"] is not None else "steps"
        traj.meta["regime"]["regime"] = "user loop"
    return traj
