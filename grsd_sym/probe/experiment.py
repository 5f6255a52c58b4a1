"""The residual-vs-plain experiment: train, diagnose, aggregate over seeds (docs/theory/conditions.md).

For every architecture, depth and seed: build the power-law teacher task (fixed task seed;
the seed varies the initialisation), train by full-batch gradient descent, measure the four
conditions (:func:`grsd_sym.probe.diagnostics.diagnose`), and aggregate mean and standard
deviation over seeds.  Two ensemble quantities are added per (architecture, depth):
``delta_K_ensemble`` / ``delta_W_ensemble``, the Toeplitz deviation of the couplings averaged
over checkpoints and seeds (window-relative shell indices), which removes the mode-sign noise of
single-checkpoint couplings.  ``trends`` fits, per architecture, the slope of the mean
``delta_K`` and ``delta_W`` against :math:`\\log_2(\\mathrm{depth})` and of
:math:`\\log(\\text{gradient spread})` against depth (condition 1's growth with depth).

Conventions of every reported number: :math:`\\dot e = -M e` with the learning rate absorbed in
time (``t = lr x steps``, GRSD-T1), natural log :math:`s = \\log\\lambda`, energy
:math:`E = \\tfrac12\\sum a^2` (dissipation factor ``d = 2``), velocity
:math:`v = \\lambda V = \\sigma c(t)\\lambda^b` with the sign :math:`\\sigma` measured.
"""

from __future__ import annotations

import math
import time
import warnings
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field, replace
from typing import Callable

import numpy as np

from grsd_sym.errors import GRSDError, InputError
from grsd_sym.numeric.couplings import toeplitz_deviation
from grsd_sym.probe.blas import blas_threads
from grsd_sym.probe.diagnostics import diagnose
from grsd_sym.probe.networks import make_network
from grsd_sym.probe.tasks import Task, power_law_teacher
from grsd_sym.probe.train import train

__all__ = ["ProbeConfig", "QUICK", "DEFAULT", "METRICS", "run_one", "run_experiment",
           "format_table", "CONVENTION"]

#: per-run scalar metrics that are aggregated over seeds
METRICS = ("delta_K", "delta_K_null", "delta_W", "delta_W_null", "delta_K_timeavg",
           "delta_W_timeavg", "K_scaling_q", "delta_K_rescaled", "K_scaling_q_timeavg",
           "delta_K_rescaled_timeavg", "b_flux", "b_flux_total", "total_flux_sign_consistency", "b_drift",
           "flux_sign_consistency", "grad_spread", "grad_log_slope", "rho0",
           "kernel_movement_final", "adiabatic_ratio_median", "adiabatic_ratio_max",
           "loss_ratio")

CONVENTION = {
    "flow": "e' = -M e, M = J J^T; learning rate absorbed in time t = lr * steps (GRSD-T1)",
    "log": "natural, s = log(lambda)",
    "energy": "E_alpha = 1/2 sum a_k^2 (dissipation factor d = 2)",
    "velocity": "v = lambda * V = sigma * c(t) * lambda^b, V = F / eps, eps = E / h (upwind)",
    "couplings": "K = T / sqrt(E_a E_b) / sqrt(lam_a lam_b), lam_a = exp(s_a + h/2); "
                 "W = overlap couplings between consecutive checkpoints",
    "delta": "||K - Toep(K)||_F / ||K||_F inside the scaling window; *_null = same entries "
             "randomly permuted off the diagonal (no shift structure)",
}


@dataclass(frozen=True)
class ProbeConfig:
    """Everything that defines a probe experiment (sizes, training, measurement)."""

    archs: tuple[str, ...] = ("mlp", "resnet")
    depths: tuple[int, ...] = (2, 4, 8)
    seeds: tuple[int, ...] = (0, 1, 2)
    width: int = 32
    n_samples: int = 128
    input_dim: int = 32
    alpha: float = 1.5
    teacher: str = "tanh"
    task_seed: int = 0
    activation: str = "tanh"
    init: str | None = None
    branch_scale: float | None = None
    steps: int = 2000
    lr_scale: float = 0.5
    n_checkpoints: int = 16
    n_shells: int = 6
    min_count: int = 2
    n_null: int = 100

    def validate(self) -> "ProbeConfig":
        for a in self.archs:
            if a not in ("mlp", "resnet"):
                raise InputError(f"unknown architecture {a!r}; valid: mlp, resnet")
        if not self.archs or not self.depths or not self.seeds:
            raise InputError("give at least one architecture, depth and seed")
        for d in self.depths:
            if int(d) < 1:
                raise InputError(f"depths must be >= 1, got {d}")
        if len(set(self.seeds)) != len(self.seeds):
            raise InputError(f"seeds must be distinct, got {list(self.seeds)}")
        for name in ("width", "n_samples", "input_dim", "steps", "n_checkpoints", "n_shells"):
            v = getattr(self, name)
            if int(v) < 1:
                raise InputError(f"{name} must be >= 1, got {v}")
        if int(self.n_shells) < 3:  # fail before training, not after every run
            raise InputError(f"n_shells must be >= 3 (a Toeplitz structure needs three shells), "
                             f"got {self.n_shells}")
        if int(self.n_checkpoints) < 2:
            raise InputError(f"n_checkpoints must be >= 2 (couplings need two checkpoints), "
                             f"got {self.n_checkpoints}")
        return self


#: the default experiment of ``grsd probe``
DEFAULT = ProbeConfig()
#: ``grsd probe --quick``: small enough for < 3 minutes on 2 cores
QUICK = ProbeConfig(depths=(2, 4, 8), seeds=(0, 1), width=24, n_samples=96, input_dim=24,
                    steps=1000, n_checkpoints=12, n_shells=5, n_null=50)


def _task(cfg: ProbeConfig) -> Task:
    return power_law_teacher(n_samples=cfg.n_samples, input_dim=cfg.input_dim, alpha=cfg.alpha,
                             teacher=cfg.teacher, seed=cfg.task_seed)


def run_one(cfg: ProbeConfig, arch: str, depth: int, seed: int, task: Task | None = None) -> dict:
    """Train one network and return ``{"summary": ..., "arrays": ...}`` (see ``diagnose``)."""
    task = _task(cfg) if task is None else task
    net = make_network(arch, task.input_dim, cfg.width, int(depth), output_dim=task.output_dim,
                       activation=cfg.activation, init=cfg.init, seed=int(seed),
                       branch_scale=cfg.branch_scale if arch == "resnet" else None)
    traj = train(net, task, lr_scale=cfg.lr_scale, steps=cfg.steps,
                 n_checkpoints=cfg.n_checkpoints, store_jacobians=False)
    d = diagnose(traj, n_shells=cfg.n_shells, min_count=cfg.min_count, n_null=cfg.n_null)
    s = d["summary"]
    s.update({"arch": arch, "depth": int(depth), "seed": int(seed), "n_params": net.n_params,
              "lr": traj.meta["lr"], "t_final": float(traj.t[-1]),
              "loss_ratio": s["loss_final"] / s["loss_initial"]})
    return d


def _mean_std(values) -> tuple[float | None, float | None]:
    x = np.array([v for v in values if v is not None and np.isfinite(v)], dtype=float)
    if x.size == 0:
        return None, None
    return float(x.mean()), (float(x.std(ddof=1)) if x.size > 1 else None)


def _ensemble_delta(mats: list) -> float | None:
    if not mats:
        return None
    A = np.array(mats, dtype=float)
    with _quiet():
        mean = np.nanmean(A, axis=0)
    try:
        return toeplitz_deviation(np.ma.MaskedArray(np.nan_to_num(mean), mask=~np.isfinite(mean)))
    except GRSDError:
        return None


@contextmanager
def _quiet():
    """Silence numpy's 'mean of empty slice' warnings (all-nan entries stay nan, on purpose)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        yield


def _slope(x, y) -> float | None:
    pts = [(a, b) for a, b in zip(x, y) if b is not None and np.isfinite(b)]
    if len(pts) < 2:
        return None
    xa, ya = np.array(pts).T
    if np.ptp(xa) == 0:
        return None
    return float(np.polyfit(xa, ya, 1)[0])


def run_experiment(cfg: ProbeConfig, progress: Callable[[str], None] | None = None,
                   keep_arrays: bool = False) -> dict:
    """Run every (arch, depth, seed); return one JSON-ready document (plus ``_arrays`` if asked).

    A run whose diagnostics fail (e.g. too few populated shells) is recorded with its error
    message instead of numbers; the others still count.
    """
    cfg.validate()
    with blas_threads(1):  # small matrices: one BLAS thread is much faster on a busy machine
        return _run_experiment(cfg, progress, keep_arrays)


def _run_experiment(cfg: ProbeConfig, progress, keep_arrays: bool) -> dict:
    task = _task(cfg)
    results: dict = {}
    arrays: dict = {}
    n_total = len(cfg.archs) * len(cfg.depths) * len(cfg.seeds)
    i_run = 0
    t_start = time.perf_counter()
    for arch in cfg.archs:
        results[arch] = {}
        for depth in cfg.depths:
            per_seed, Kbar, Wbar = [], [], []
            for seed in cfg.seeds:
                i_run += 1
                t0 = time.perf_counter()
                try:
                    d = run_one(cfg, arch, depth, seed, task)
                    s = d["summary"]
                    Kt = [k for k in d["arrays"]["K_t"]]
                    Wt = [w for w in d["arrays"]["W_t"]]
                    with _quiet():
                        if Kt:
                            Kbar.append(np.nanmean(np.array(Kt), axis=0))
                        if Wt:
                            Wbar.append(np.nanmean(np.array(Wt), axis=0))
                    if keep_arrays:
                        arrays[(arch, int(depth), int(seed))] = d["arrays"]
                    msg = (f"delta_K={_fmt(s['delta_K'])} delta_W={_fmt(s['delta_W'])} "
                           f"b={_fmt(s['b_flux'])}")
                except GRSDError as exc:
                    s = {"arch": arch, "depth": int(depth), "seed": int(seed),
                         "error": f"{type(exc).__name__}: {exc}"}
                    msg = f"failed: {s['error']}"
                per_seed.append(s)
                if progress is not None:
                    progress(f"[{i_run}/{n_total}] {arch} depth={depth} seed={seed}: {msg} "
                             f"({time.perf_counter() - t0:.1f} s, total "
                             f"{time.perf_counter() - t_start:.0f} s)")
            agg = {"seeds": per_seed, "mean": {}, "std": {}, "n": {}}
            for m in METRICS:
                vals = [s.get(m) for s in per_seed]
                mu, sd = _mean_std(vals)
                agg["mean"][m], agg["std"][m] = mu, sd
                agg["n"][m] = sum(v is not None and bool(np.isfinite(v)) for v in vals)
            agg["delta_K_ensemble"] = _ensemble_delta(Kbar)
            agg["delta_W_ensemble"] = _ensemble_delta(Wbar)
            agg["n_ok"] = sum("error" not in s for s in per_seed)
            results[arch][str(depth)] = agg
    trends = {}
    for arch in cfg.archs:
        ds = [int(d) for d in cfg.depths]
        r = results[arch]
        gs = [r[str(d)]["mean"]["grad_spread"] for d in ds]
        trends[arch] = {
            "d_delta_K_d_log2_depth": _slope(np.log2(ds), [r[str(d)]["mean"]["delta_K"] for d in ds]),
            "d_delta_W_d_log2_depth": _slope(np.log2(ds), [r[str(d)]["mean"]["delta_W"] for d in ds]),
            "d_delta_K_ensemble_d_log2_depth": _slope(np.log2(ds), [r[str(d)]["delta_K_ensemble"]
                                                                   for d in ds]),
            "d_log_grad_spread_d_depth": _slope(ds, [math.log(g) if g else None for g in gs]),
        }
    doc = {"config": {k: (list(v) if isinstance(v, tuple) else v) for k, v in asdict(cfg).items()},
           "task": dict(task.info), "convention": CONVENTION, "results": results, "trends": trends,
           "wall_time_s": time.perf_counter() - t_start}
    if keep_arrays:
        doc["_arrays"] = arrays
    return doc


def _fmt(x, digits: int = 3) -> str:
    if x is None or (isinstance(x, float) and not np.isfinite(x)):
        return "n/a"
    if abs(x) >= 1e4 or (0 < abs(x) < 1e-3):
        return f"{x:.2e}"
    return f"{x:.{digits}f}"


def format_table(doc: dict) -> str:
    """Human table: mean +- std over seeds for each architecture and depth."""
    cols = [("delta_K", "dK"), ("delta_K_null", "dK_null"), ("delta_W", "dW"),
            ("delta_W_null", "dW_null"), ("b_flux", "b_flux"), ("b_flux_total", "b_total"), ("b_drift", "b_drift"),
            ("grad_spread", "grad_spread"), ("rho0", "rho0"),
            ("kernel_movement_final", "dM/M0"), ("adiabatic_ratio_median", "adiab_med")]
    head = f"{'arch':<7}{'depth':>5} {'ok':>3}  " + "  ".join(f"{c[1]:>17}" for c in cols) \
        + f"  {'dK_ens':>7}  {'dW_ens':>7}"
    lines = [head, "-" * len(head)]
    for arch, byd in doc["results"].items():
        for depth, agg in byd.items():
            cells = []
            for key, _ in cols:
                mu, sd = agg["mean"].get(key), agg["std"].get(key)
                cells.append(f"{_fmt(mu) + ' +- ' + _fmt(sd):>17}")
            lines.append(f"{arch:<7}{depth:>5} {agg['n_ok']:>3}  " + "  ".join(cells)
                         + f"  {_fmt(agg['delta_K_ensemble']):>7}  {_fmt(agg['delta_W_ensemble']):>7}")
    lines.append("")
    for arch, tr in doc["trends"].items():
        lines.append(f"trend {arch}: d(delta_K)/dlog2(depth) = {_fmt(tr['d_delta_K_d_log2_depth'])}, "
                     f"d(delta_W)/dlog2(depth) = {_fmt(tr['d_delta_W_d_log2_depth'])}, "
                     f"d(delta_K_ens)/dlog2(depth) = {_fmt(tr['d_delta_K_ensemble_d_log2_depth'])}, "
                     f"dlog(grad spread)/d(depth) = {_fmt(tr['d_log_grad_spread_d_depth'])}")
    # the window of each run is part of the result
    lines.append("")
    lines.append("scaling windows (s = log lambda at t = 0, shells, populated):")
    for arch, byd in doc["results"].items():
        for depth, agg in byd.items():
            ws = [s["window"] for s in agg["seeds"] if "window" in s]
            txt = "; ".join(f"[{w['s_lo']:.2f},{w['s_hi']:.2f}] h={w['h']:.2f} pop={w['populated']}"
                            for w in ws)
            errs = [s["error"] for s in agg["seeds"] if "error" in s]
            lines.append(f"  {arch} depth={depth}: {txt}" + (f"  errors: {errs}" if errs else ""))
    lines.append("")
    lines.append("convention: " + "; ".join(f"{k}: {v}" for k, v in doc["convention"].items()))
    return "\n".join(lines)
