"""The residual-vs-plain experiment: train, diagnose, test condition 4 over seeds (docs/theory/conditions.md).

For every task, depth and architecture: build the task (fixed task seed; the seed varies the
initialisation), train every seed in the gradient-flow regime
(:func:`~grsd_sym.probe.gradflow.train_flow`: ``lr * lambda_max(t) <= lr_bound``, recorded per
checkpoint), eigendecompose every checkpoint (:func:`~grsd_sym.probe.diagnostics.spectral_path`),
choose **one scaling window common to all seeds and checkpoints** (the intersection of the
per-checkpoint power-law fits of every seed: seeds are never averaged across different grids),
diagnose every seed on it, and test condition 4 with the seeds as replicates
(:func:`~grsd_sym.probe.condition4.condition4_test` on the per-seed time-mean ``K``).

Per depth, ``differences`` gives the residual-minus-plain difference of the seed mean of each
diagnostic with a seed-bootstrap 95% confidence interval (seeds resampled within each
architecture).  Results are written after every (task, depth, architecture) group when
``out_path`` is given, so a long run that is stopped keeps what it finished.

Conventions of every reported number: :math:`\\dot e = -M e` with the learning rate absorbed in
time (``t = sum of the steps``, GRSD-T1), natural log :math:`s = \\log\\lambda`, energy
:math:`E = \\tfrac12\\sum a^2` (dissipation factor ``d = 2``), velocity
:math:`v = \\lambda V = c(t)\\lambda^b` with the sign of ``c`` measured.
"""

from __future__ import annotations

import json
import math
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Any

import numpy as np

from grsd_sym.errors import GRSDError, InputError
from grsd_sym.probe.blas import blas_threads
from grsd_sym.probe.condition4 import condition4_test
from grsd_sym.probe.diagnostics import diagnose_path, spectral_path
from grsd_sym.probe.gradflow import DEFAULT_LR_BOUND, train_flow
from grsd_sym.probe.networks import Network, make_network
from grsd_sym.probe.tasks import Task, power_law_teacher
from grsd_sym.probe.window import (
    DEFAULT_MIN_COUNT,
    choose_scaling_window,
    refit_windows,
)

__all__ = [
    "CONVENTION",
    "DEFAULT",
    "METRICS",
    "QUICK",
    "ProbeConfig",
    "bootstrap_difference",
    "format_table",
    "jsonable",
    "run_experiment",
    "run_one",
]

#: per-run scalar metrics aggregated over seeds (and differenced residual - plain)
METRICS = (
    "delta_K",
    "delta_C",
    "delta_K_rescaled",
    "K_scaling_q",
    "delta_W_offdiag",
    "b_flux",
    "b_drift",
    "grad_spread",
    "grad_spread_max",
    "rho0",
    "kernel_movement_final",
    "adiabatic_ratio_median",
    "lr_lambda_max_max",
    "loss_ratio",
)

CONVENTION = {
    "flow": "e' = -M e, M = J J^T; time t = sum of step sizes (GRSD-T1); gradient-flow regime: "
    "step adapted so that lr * lambda_max(t) <= lr_bound (power-iteration estimate), "
    "exact lr * lambda_max at each checkpoint reported",
    "log": "natural, s = log(lambda)",
    "energy": "E_alpha = 1/2 sum a_k^2 (dissipation factor d = 2)",
    "velocity": "v = lambda * V = c(t) * lambda^b, V = F / eps, eps = E / width (upwind), F the "
    "boundary flux of all modes",
    "couplings": "C = T / sqrt(E_a E_b) (raw rates); K = C / sqrt(lam_a lam_b), lam_a = "
    "exp(shell centre); W = overlap couplings between consecutive checkpoints, judged "
    "off the diagonal",
    "delta": "||K - Toep(K)||_F / ||K||_F of the time-mean couplings inside the common window",
    "condition4": "seeds are the replicates: split-half gate, bootstrap p-value of shift structure, "
    "bootstrap test of position dependence (invariance, equivalence margin 0.1 on "
    "delta); see grsd_sym.probe.condition4",
}


@dataclass(frozen=True)
class ProbeConfig:
    """Everything that defines a probe experiment (sizes, training, measurement).

    Attributes
    ----------
    tasks, archs, depths, seeds : tuple
        The grid: ``teacher``/``digits``, ``mlp``/``resnet``, depths and seeds.
    width, n_samples, input_dim, alpha, teacher, task_seed, activation, init, branch_scale
        Network and task (:func:`~grsd_sym.probe.networks.make_network`,
        :func:`~grsd_sym.probe.tasks.power_law_teacher`).
    lr, lr_bound, t_max_scale, power_every, n_checkpoints
        Training (:func:`~grsd_sym.probe.gradflow.train_flow`).
    n_shells, min_count, shells, exclude_top, window
        Shells and window (:mod:`grsd_sym.probe.window`; ``window`` is ``intersect``,
        ``refit``, ``count`` or ``S_LO:S_HI``).
    n_null, n_boot, calibration_trials : int
        Permutations and bootstrap draws of the tests; positive-control trials per group.

    Examples
    --------
    >>> DEFAULT.validate().depths, QUICK.n_samples
    ((2, 4, 8, 16), 384)
    """

    tasks: tuple[str, ...] = ("teacher",)
    archs: tuple[str, ...] = ("mlp", "resnet")
    depths: tuple[int, ...] = (2, 4, 8, 16)
    seeds: tuple[int, ...] = tuple(range(8))
    width: int = 16
    n_samples: int = 1024
    input_dim: int = 64
    alpha: float = 1.5
    teacher: str = "tanh"
    task_seed: int = 0
    activation: str = "tanh"
    init: str | None = None
    branch_scale: float | None = None
    lr: float | None = None
    lr_bound: float | None = DEFAULT_LR_BOUND
    t_max_scale: float = 30.0
    power_every: int = 10
    n_checkpoints: int = 4
    n_shells: int | None = None
    min_count: int = DEFAULT_MIN_COUNT
    shells: str = "width"
    exclude_top: int | None = None
    n_null: int = 999
    n_boot: int = 400
    window: str = "intersect"
    calibration_trials: int = 20

    def validate(self) -> ProbeConfig:
        """``self`` when every field is valid; :class:`~grsd_sym.errors.InputError` otherwise."""
        for a in self.archs:
            if a not in ("mlp", "resnet"):
                raise InputError(f"unknown architecture {a!r}; valid: mlp, resnet")
        for t in self.tasks:
            if t not in ("teacher", "digits"):
                raise InputError(f"unknown task {t!r}; valid: teacher, digits")
        if not self.archs or not self.depths or not self.seeds or not self.tasks:
            raise InputError("give at least one task, architecture, depth and seed")
        for d in self.depths:
            if int(d) < 1:
                raise InputError(f"depths must be >= 1, got {d}")
        if len(set(self.seeds)) != len(self.seeds):
            raise InputError(f"seeds must be distinct, got {list(self.seeds)}")
        for name in ("width", "n_samples", "input_dim", "n_checkpoints", "min_count"):
            v = getattr(self, name)
            if int(v) < 1:
                raise InputError(f"{name} must be >= 1, got {v}")
        if self.n_shells is not None and int(self.n_shells) < 3:
            raise InputError(f"n_shells must be >= 3 (a Toeplitz structure needs three shells), got {self.n_shells}")
        if int(self.n_checkpoints) < 2:
            raise InputError(f"n_checkpoints must be >= 2 (couplings need two checkpoints), got {self.n_checkpoints}")
        if self.branch_scale is not None and not (math.isfinite(self.branch_scale) and self.branch_scale > 0):
            raise InputError(f"--branch-scale must be a finite positive number, got {self.branch_scale!r}")
        if self.lr is not None and not (math.isfinite(self.lr) and self.lr > 0):
            raise InputError(f"--lr must be a finite positive number, got {self.lr!r}")
        if self.lr_bound is not None and not (math.isfinite(self.lr_bound) and 0 < self.lr_bound < 2):
            raise InputError(f"--lr-bound must be in (0, 2), got {self.lr_bound!r}")
        if self.lr_bound is None and self.lr is None:
            raise InputError("give --lr (fixed step) or --lr-bound (adaptive step)")
        if self.shells not in ("width", "count"):
            raise InputError(f"shells must be 'width' or 'count', got {self.shells!r}")
        if self.window not in ("intersect", "refit", "count"):
            _window_bounds(self.window)
        if int(self.calibration_trials) < 0:
            raise InputError(f"calibration_trials must be >= 0, got {self.calibration_trials}")
        return self


def _window_bounds(text: str) -> tuple[float, float]:
    try:
        lo, hi = (float(x) for x in str(text).split(":"))
    except ValueError:
        raise InputError(f"--window must be intersect, refit, count or S_LO:S_HI, got {text!r}") from None
    if not (math.isfinite(lo) and math.isfinite(hi) and hi > lo):
        raise InputError(f"--window bounds must be finite with S_HI > S_LO, got {text!r}")
    return lo, hi


#: the default experiment of ``grsd probe`` (n = 1024 modes, 8 seeds, depths 2-16)
DEFAULT = ProbeConfig()
#: ``grsd probe --quick``: small enough for about a minute on 2 cores
QUICK = ProbeConfig(
    depths=(2, 4),
    seeds=(0, 1, 2, 3),
    width=12,
    n_samples=384,
    input_dim=16,
    t_max_scale=30.0,
    n_checkpoints=4,
    min_count=10,
    n_null=199,
    n_boot=200,
    calibration_trials=6,
)

#: the examples' grid: depth 2, 4 seeds, 96 samples, no positive control (about a second)
_EXAMPLE = replace(
    QUICK, depths=(2,), n_samples=96, input_dim=8, width=8, min_count=5, n_null=19, n_boot=10, calibration_trials=0
)


def _make_task(cfg: ProbeConfig, task: str) -> Task:
    """The task of the experiment: the power-law teacher or scikit-learn's digits (extra)."""
    if task == "teacher":
        return power_law_teacher(
            n_samples=cfg.n_samples, input_dim=cfg.input_dim, alpha=cfg.alpha, teacher=cfg.teacher, seed=cfg.task_seed
        )
    from grsd_sym.probe.data import load_data

    return load_data("digits", n_samples=cfg.n_samples, seed=cfg.task_seed, target="label")


def _train(cfg: ProbeConfig, task: Task, arch: str, depth: int, seed: int):
    net = make_network(
        arch,
        task.input_dim,
        cfg.width,
        int(depth),
        output_dim=task.output_dim,
        activation=cfg.activation,
        init=cfg.init,
        seed=int(seed),
        branch_scale=cfg.branch_scale if arch == "resnet" else None,
    )
    return net, train_flow(net, task, **_fields(cfg, "lr", "lr_bound", "t_max_scale", "n_checkpoints", "power_every"))


def _fields(cfg: ProbeConfig, *names: str) -> dict:
    """``{name: cfg.name}``: the settings that a callee takes under the same names."""
    return {n: getattr(cfg, n) for n in names}


def run_one(cfg: ProbeConfig, arch: str, depth: int, seed: int, task: Task | None = None) -> dict:
    """Train one network and diagnose it on its own window.

    Parameters
    ----------
    cfg : ProbeConfig
    arch : {"mlp", "resnet"}
    depth, seed : int
    task : Task, optional
        Default: the first task of ``cfg``.

    Returns
    -------
    dict
        ``diagnose`` output (``summary``, ``arrays``, ``window``); the summary labelled with
        ``arch``, ``depth``, ``seed``, ``n_params``, ``loss_ratio``.

    Examples
    --------
    >>> run_one(_EXAMPLE, "resnet", 2, 0)["summary"]["arch"]
    'resnet'
    """
    from grsd_sym.probe.diagnostics import diagnose

    task = _make_task(cfg, cfg.tasks[0]) if task is None else task
    net, traj = _train(cfg, task, arch, depth, seed)
    d = diagnose(traj, **_fields(cfg, "n_shells", "min_count", "n_null", "shells", "exclude_top", "n_boot"))
    _label(d["summary"], net, arch, depth, seed)
    return d


def _label(s: dict, net: Network, arch: str, depth: int, seed: int) -> None:
    """Add the run's labels and loss ratio to a diagnostics summary ``s``."""
    s.update(
        {
            "arch": arch,
            "depth": int(depth),
            "seed": int(seed),
            "n_params": net.n_params,
            "loss_ratio": s["loss_final"] / s["loss_initial"],
        }
    )


def bootstrap_difference(
    x: Sequence[float | None], y: Sequence[float | None], n_boot: int = 2000, seed: int = 0
) -> dict:
    """Mean of ``y`` minus mean of ``x`` with a percentile bootstrap 95% interval (resampling
    each group's seeds independently).

    Parameters
    ----------
    x, y : sequence of float or None
        Per-seed values of the two groups (``None`` and non-finite values are dropped).
    n_boot, seed : int

    Returns
    -------
    dict
        ``diff``, ``ci`` (2.5% and 97.5%), ``n``; ``None`` fields when a group has < 2 finite values.

    Examples
    --------
    >>> r = bootstrap_difference([0.0, 0.1, -0.1, 0.0], [1.0, 1.1, 0.9, 1.0])
    >>> round(r["diff"], 6), r["ci"][0] > 0.5
    (1.0, True)
    """
    xa = np.array([v for v in x if v is not None and np.isfinite(v)], dtype=float)
    ya = np.array([v for v in y if v is not None and np.isfinite(v)], dtype=float)
    if xa.size < 2 or ya.size < 2:
        return {"diff": None, "ci": None, "n": [int(xa.size), int(ya.size)]}
    rng = np.random.default_rng(seed)
    bx = xa[rng.integers(0, xa.size, (n_boot, xa.size))].mean(axis=1)
    by = ya[rng.integers(0, ya.size, (n_boot, ya.size))].mean(axis=1)
    d = by - bx
    return {
        "diff": float(ya.mean() - xa.mean()),
        "ci": [float(np.quantile(d, 0.025)), float(np.quantile(d, 0.975))],
        "n": [int(xa.size), int(ya.size)],
    }


def _mean_std(values) -> tuple[float | None, float | None]:
    x = np.array([v for v in values if v is not None and np.isfinite(v)], dtype=float)
    if x.size == 0:
        return None, None
    return float(x.mean()), (float(x.std(ddof=1)) if x.size > 1 else None)


def jsonable(x: Any) -> Any:
    """Plain-JSON copy (numpy to Python, non-finite floats to ``None``).

    Parameters
    ----------
    x : object
        Nested dicts, lists, tuples, numpy arrays and scalars.

    Returns
    -------
    object

    Examples
    --------
    >>> jsonable({"a": np.array([1.0, np.inf]), 2: np.bool_(True)})
    {'a': [1.0, None], '2': True}
    """
    if isinstance(x, dict):
        return {str(k): jsonable(v) for k, v in x.items()}
    if isinstance(x, (list, tuple)):
        return [jsonable(v) for v in x]
    if isinstance(x, np.ndarray):
        return jsonable(x.tolist())
    if isinstance(x, (np.floating, float)):
        x = float(x)
        return x if math.isfinite(x) else None
    if isinstance(x, (np.integer,)):
        return int(x)
    if isinstance(x, np.bool_):
        return bool(x)
    return x


def _undecided(reason: str) -> dict:
    """The condition-4 record of a group that could not be tested (same keys as a test)."""
    return {
        "verdict": "inconclusive",
        "reason": reason,
        "p_value": None,
        "p_invariance": None,
        "split_half": {"r": None},
        "positive_control": None,
    }


def _group_windows(cfg, paths, spectra, agg):
    """The group's window(s): ``({seed: window or per-checkpoint list}, representative window)``."""
    from grsd_sym.probe.window import window_from_bounds

    shells = "count" if cfg.window == "count" else cfg.shells
    if cfg.window not in ("intersect", "refit", "count"):
        lo, hi = _window_bounds(cfg.window)
        window = window_from_bounds(spectra, lo, hi, n_shells=cfg.n_shells or 6, min_count=cfg.min_count)
        agg["window"] = window.as_dict()
        return dict.fromkeys(paths, window), window
    reason = "asked for (--window refit)"
    if cfg.window != "refit":
        try:
            window = choose_scaling_window(
                spectra, n_shells=cfg.n_shells, min_count=cfg.min_count, shells=shells, exclude_top=cfg.exclude_top
            )
            agg["window"] = window.as_dict()
            agg["window"]["rule"] = "common to all seeds: " + window.rule
            return dict.fromkeys(paths, window), window
        except GRSDError as exc:
            reason = f"no window common to the checkpoints: {exc}"
    # refit per checkpoint, one number of shells for all seeds and checkpoints; couplings are
    # compared by window-relative shell index
    flat = refit_windows(spectra, n_shells=cfg.n_shells, min_count=cfg.min_count, exclude_top=cfg.exclude_top)
    wins, k = {}, 0
    for seed, (_, p) in paths.items():
        wins[seed] = flat[k : k + len(p.checkpoints)]
        k += len(p.checkpoints)
    agg["window"] = {
        "rule": f"refitted per checkpoint ({reason}); one number of shells for all "
        "seeds, couplings compared by window-relative shell index",
        "n_shells": flat[0].n_shells,
        "h_mean": float(np.mean([w.h for w in flat])),
        "counts_min": int(min(int(w.counts.min()) for w in flat)),
    }
    return wins, flat[0]


def _positive_control(cfg: ProbeConfig, spectrum, n_seeds: int, n_shells: int | None) -> dict:
    """The calibration of the condition-4 test on a measured spectrum (same shell rules)."""
    from grsd_sym.probe.calibrate import calibrate

    try:
        r = calibrate(
            spectrum=spectrum,
            n_seeds=max(4, int(n_seeds)),
            n_trials=int(cfg.calibration_trials),
            min_count=cfg.min_count,
            n_shells=n_shells,
            n_perm=cfg.n_null,
            n_boot=cfg.n_boot,
        )
    except GRSDError as exc:
        return {"error": str(exc)}
    return {
        "power": r["power"],
        "false_positive_rate": r["false_positive_rate"],
        "conditions": r["conditions"],
        "n_trials": r["n_trials"],
        "noise": r["noise"],
        "violation_q": r["violation_q"],
        "counts": r["window"]["counts_t0"],
        "spectrum": "M(0) of the first seed",
    }


def _group(cfg, task, arch, depth, progress, t_start, counter, n_total, keep_arrays):
    """Train every seed, choose the common window, diagnose, test condition 4."""
    paths, per_seed = {}, []
    for seed in cfg.seeds:
        counter[0] += 1
        t0 = time.perf_counter()
        try:
            net, traj = _train(cfg, task, arch, depth, seed)
            paths[seed] = (net, spectral_path(traj))
            msg = f"trained ({traj.meta['steps']} steps, loss ratio {traj.loss[-1] / traj.loss[0]:.3g})"
        except GRSDError as exc:
            per_seed.append(
                {"arch": arch, "depth": int(depth), "seed": int(seed), "error": f"{type(exc).__name__}: {exc}"}
            )
            msg = f"failed: {per_seed[-1]['error']}"
        if progress is not None:
            progress(
                f"[{counter[0]}/{n_total}] {task.info.get('name')} {arch} depth={depth} "
                f"seed={seed}: {msg} ({time.perf_counter() - t0:.1f} s, total "
                f"{time.perf_counter() - t_start:.0f} s)"
            )
    agg: dict = {"seeds": per_seed, "window": None, "condition4": None}
    if paths:  # the measured spectrum of M(0) of the first seed: calibration at these shell counts
        agg["spectrum_t0_first_seed"] = next(iter(paths.values()))[1].checkpoints[0].lam
    if not paths:
        agg["condition4"] = _undecided("every seed failed")
        agg["n_ok"] = 0
        return agg, {}
    spectra = [lam for _, p in paths.values() for lam in p.spectra]
    try:
        wins, window = _group_windows(cfg, paths, spectra, agg)
    except GRSDError as exc:
        # a measurement limit, not a failed run: the verdict is inconclusive, with the reason
        agg["condition4"] = _undecided(f"no scaling window: {exc}")
        agg["window_error"] = str(exc)
        for seed in paths:
            per_seed.append(
                {"arch": arch, "depth": int(depth), "seed": int(seed), "skipped": f"no scaling window: {exc}"}
            )
        agg["n_ok"] = 0
        return agg, {}
    Kbars, arrays = [], {}
    for seed, (net, p) in paths.items():
        try:
            d = diagnose_path(p, wins[seed], n_null=cfg.n_null, seed=int(seed), n_boot=cfg.n_boot)
        except GRSDError as exc:
            per_seed.append(
                {"arch": arch, "depth": int(depth), "seed": int(seed), "error": f"{type(exc).__name__}: {exc}"}
            )
            continue
        s = d["summary"]
        s.pop("window", None)
        _label(s, net, arch, depth, seed)
        s["K_time_mean"] = d["arrays"]["K_mean"]  # the replicate of the condition-4 test
        per_seed.append(s)
        Kbars.append(d["arrays"]["K_mean"])
        if keep_arrays:
            arrays[int(seed)] = d["arrays"]
    per_seed.sort(key=lambda s: s["seed"])
    lazy = [s for s in per_seed if s.get("transport") == "no transport detected"]
    if Kbars and len(lazy) < len(Kbars):
        h = agg["window"].get("h", agg["window"].get("h_mean"))
        agg["condition4"] = condition4_test(
            np.array(Kbars), h, n_perm=cfg.n_null, n_boot=cfg.n_boot, seed=0, replicate_kind="seeds"
        )
        if cfg.calibration_trials > 0:
            agg["condition4"]["positive_control"] = _positive_control(
                cfg, agg["spectrum_t0_first_seed"], len(Kbars), window.n_shells
            )
    elif Kbars:
        agg["condition4"] = _undecided("no transport detected")
    else:
        agg["condition4"] = _undecided("no seed could be diagnosed")
    agg["mean"], agg["std"], agg["n"] = {}, {}, {}
    for m in METRICS:
        vals = [s.get(m) for s in per_seed]
        agg["mean"][m], agg["std"][m] = _mean_std(vals)
        agg["n"][m] = sum(v is not None and bool(np.isfinite(v)) for v in vals)
    agg["n_ok"] = sum("error" not in s and "skipped" not in s for s in per_seed)
    if keep_arrays and Kbars:
        with np.errstate(invalid="ignore"):
            arrays["K_seed_mean"] = np.nanmean(np.array(Kbars), axis=0)
    return agg, arrays


def run_experiment(
    cfg: ProbeConfig,
    progress: Callable[[str], None] | None = None,
    keep_arrays: bool = False,
    out_path: str | Path | None = None,
    calibration: dict | None = None,
) -> dict:
    """Run every (task, depth, arch, seed); return one JSON-ready document (module docstring).

    Parameters
    ----------
    cfg : ProbeConfig
    progress : callable, optional
        Receives one line per run.
    keep_arrays : bool
        Keep the diagnostics' arrays (``doc["_arrays"]``, for figures).
    out_path : str or pathlib.Path, optional
        Also write the document there after every group.
    calibration : dict, optional
        A positive control to store beside the results.

    Returns
    -------
    dict
        ``config``, ``convention``, ``tasks``, ``results``, ``differences``, ``failed_runs``,
        ``status`` (``"ok"`` when every run trained and was diagnosed, ``"failed"`` otherwise:
        the CLI then exits non-zero), ``wall_time_s``.

    Raises
    ------
    InputError
        An invalid configuration.

    Examples
    --------
    >>> run_experiment(_EXAMPLE)["status"]
    'ok'
    """
    cfg.validate()
    with blas_threads(1):  # small matrices: one BLAS thread is much faster on a busy machine
        return _run_experiment(cfg, progress, keep_arrays, out_path, calibration)


def _run_experiment(cfg, progress, keep_arrays, out_path, calibration):
    t_start = time.perf_counter()
    n_total = len(cfg.tasks) * len(cfg.archs) * len(cfg.depths) * len(cfg.seeds)
    counter = [0]
    doc: dict = {
        "config": {k: (list(v) if isinstance(v, tuple) else v) for k, v in asdict(cfg).items()},
        "convention": CONVENTION,
        "tasks": {},
        "results": {},
        "differences": {},
    }
    if calibration is not None:
        doc["calibration"] = calibration
    arrays: dict = {}
    for tname in cfg.tasks:
        task = _make_task(cfg, tname)
        doc["tasks"][tname] = dict(task.info)
        res = doc["results"].setdefault(tname, {a: {} for a in cfg.archs})
        for depth in cfg.depths:
            for arch in cfg.archs:
                agg, arr = _group(cfg, task, arch, depth, progress, t_start, counter, n_total, keep_arrays)
                res[arch][str(depth)] = agg
                if keep_arrays:
                    arrays[(tname, arch, int(depth))] = arr
                if out_path is not None:
                    doc["wall_time_s"] = time.perf_counter() - t_start
                    _write(doc, out_path)
            if "mlp" in cfg.archs and "resnet" in cfg.archs:
                doc["differences"].setdefault(tname, {})[str(depth)] = _differences(
                    res["mlp"][str(depth)], res["resnet"][str(depth)]
                )
    failed = [
        (t, a, d, s.get("seed"), s["error"])
        for t, r in doc["results"].items()
        for a, byd in r.items()
        for d, agg in byd.items()
        for s in agg["seeds"]
        if "error" in s
    ]
    doc["failed_runs"] = [{"task": t, "arch": a, "depth": int(d), "seed": s, "error": e} for t, a, d, s, e in failed]
    doc["status"] = "failed" if failed else "ok"
    doc["wall_time_s"] = time.perf_counter() - t_start
    if out_path is not None:
        _write(doc, out_path)
    if keep_arrays:
        doc["_arrays"] = arrays
    return doc


def _differences(plain: dict, res: dict) -> dict:
    out = {}
    for m in METRICS:
        x = [s.get(m) for s in plain.get("seeds", []) if "error" not in s and "skipped" not in s]
        y = [s.get(m) for s in res.get("seeds", []) if "error" not in s and "skipped" not in s]
        out[m] = bootstrap_difference(x, y)
    return out


def _write(doc: dict, path) -> None:
    p = Path(path)
    p.parent.mkdir(parents=True, exist_ok=True)
    tmp = p.with_suffix(p.suffix + ".tmp")
    tmp.write_text(json.dumps(jsonable(doc), indent=1, sort_keys=True))
    tmp.replace(p)


def _fmt(x, digits: int = 3) -> str:
    if x is None or (isinstance(x, float) and not np.isfinite(x)):
        return "n/a"
    if abs(x) >= 1e4 or (0 < abs(x) < 1e-3):
        return f"{x:.2e}"
    return f"{x:.{digits}f}"


def format_table(doc: dict) -> str:
    """Human tables: condition 4 per architecture (with the calibration beside it), the seed
    means, and the residual-minus-plain differences with their bootstrap intervals.

    Parameters
    ----------
    doc : dict
        A :func:`run_experiment` document (or its JSON).

    Returns
    -------
    str

    Examples
    --------
    >>> format_table(run_experiment(_EXAMPLE)).splitlines()[0]
    '== task teacher'
    """
    lines = []
    cal = doc.get("calibration")
    if cal:
        lines.append(
            f"positive control (calibration, n = {cal.get('n_modes')}, "
            f"{cal.get('n_seeds')} seeds): power {cal.get('power')}, false-positive rate "
            f"{cal.get('false_positive_rate')} at violation q = {cal.get('violation_q')}"
        )
    for tname, res in doc["results"].items():
        lines.append(f"== task {tname}")
        head = (
            f"{'arch':<7}{'depth':>5} {'ok':>3}  {'verdict':<14}{'p':>7}{'p_inv':>7}"
            f"{'split':>7}  {'dC':>6} {'dK':>6} {'dKq':>6} {'q':>6} {'dWoff':>6} {'b_flux':>7} "
            f"{'gspread':>8} {'rho0':>8} {'dM/M0':>7} {'lr*lmax':>7}"
        )
        lines += [head, "-" * len(head)]
        for arch, byd in res.items():
            for depth, agg in byd.items():
                c4 = agg.get("condition4") or {}
                mu = agg.get("mean", {})
                sh = (c4.get("split_half") or {}).get("r")
                lines.append(
                    f"{arch:<7}{depth:>5} {agg.get('n_ok', 0):>3}  {c4.get('verdict', 'n/a'):<14}"
                    f"{_fmt(c4.get('p_value')):>7}{_fmt(c4.get('p_invariance')):>7}{_fmt(sh):>7}  "
                    + " ".join(
                        f"{_fmt(mu.get(k)):>6}"
                        for k in ("delta_C", "delta_K", "delta_K_rescaled", "K_scaling_q", "delta_W_offdiag")
                    )
                    + f" {_fmt(mu.get('b_flux')):>7} {_fmt(mu.get('grad_spread_max')):>8} "
                    f"{_fmt(mu.get('rho0')):>8} {_fmt(mu.get('kernel_movement_final')):>7} "
                    f"{_fmt(mu.get('lr_lambda_max_max')):>7}"
                )
                errs = [
                    s.get("error", s.get("skipped")) for s in agg.get("seeds", []) if "error" in s or "skipped" in s
                ]
                if c4.get("positive_control"):
                    pc = c4["positive_control"]
                    lines.append(
                        f"      positive control at these shell counts {pc.get('counts')}: "
                        f"power {_fmt(pc.get('power'))}, false-positive rate "
                        f"{_fmt(pc.get('false_positive_rate'))} ({pc.get('n_trials')} tests)"
                    )
                if c4.get("verdict") != "supported" and c4.get("reason"):
                    lines.append(f"      {c4['reason'][:160]}")
                if errs:
                    lines.append(f"      errors: {errs[:2]}{' ...' if len(errs) > 2 else ''}")
        diffs = doc.get("differences", {}).get(tname, {})
        if diffs:
            lines.append("residual - plain (seed means, bootstrap 95% CI):")
            for depth, dd in diffs.items():
                cells = []
                for k in ("delta_K", "delta_C", "delta_W_offdiag", "grad_spread_max", "rho0", "kernel_movement_final"):
                    r = dd.get(k, {})
                    ci = r.get("ci")
                    cells.append(f"{k} {_fmt(r.get('diff'))}" + (f" [{_fmt(ci[0])}, {_fmt(ci[1])}]" if ci else ""))
                lines.append(f"  depth {depth}: " + "; ".join(cells))
    lines.append("")
    lines.append(f"status: {doc.get('status')}")
    lines.append("convention: " + "; ".join(f"{k}: {v}" for k, v in doc["convention"].items()))
    return "\n".join(lines)
