"""Figures of the probe (optional ``plot`` extra: matplotlib, imported lazily).

Every figure has axis labels, a legend where there is more than one curve, and a labelled
colour bar for every matrix:

* :func:`plot_trajectory` -- one diagnosed trajectory: spectra of ``M(0)`` and ``M(t_final)`` with
  the window, shell energies :math:`E_\\alpha(t)` (GRSD-T4), time-mean couplings ``K`` and ``W``;
* :func:`plot_results` -- from an experiment document alone (e.g. a saved JSON): the Toeplitz
  deviations of ``C`` and ``K`` against depth per architecture (seed mean and spread), and the
  residual-minus-plain differences of the diagnostics with their bootstrap intervals;
* :func:`plot_experiment` -- :func:`plot_results` plus, from the arrays of a run, the spectra and
  the seed-mean coupling matrices of every (architecture, depth).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

from grsd_sym.errors import InputError

__all__ = ["plot_experiment", "plot_results", "plot_trajectory", "require_matplotlib"]


def require_matplotlib() -> Any:
    """Import matplotlib with the Agg backend, or raise a clear :class:`InputError`.

    Returns
    -------
    module
        ``matplotlib.pyplot``.

    Raises
    ------
    InputError
        matplotlib is not installed.

    Examples
    --------
    >>> require_matplotlib().get_backend().lower()
    'agg'
    """
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError as exc:
        raise InputError("--plot needs matplotlib: install the plot extra (pip install 'grsd_sym[plot]')") from exc
    return plt


def _outdir(path) -> Path:
    p = Path(path)
    p.mkdir(parents=True, exist_ok=True)
    return p


def _spectrum(ax, eigenvalues, window, label=""):
    for i, tag in ((0, "t = 0"), (-1, "t final")):
        lam = np.sort(np.asarray(eigenvalues[i]))[::-1]
        lam = lam[lam > 0]
        ax.loglog(np.arange(1, lam.size + 1), lam, label=f"{label}{tag}")
    if window is not None and "s_lo" in window:
        for s, tag in ((window["s_lo"], "window"), (window["s_hi"], None)):
            ax.axhline(np.exp(s), color="grey", lw=0.8, ls=":", label=tag)
    ax.set_xlabel("rank k")
    ax.set_ylabel("eigenvalue lambda_k of M")
    ax.legend(fontsize=7)


def _energies(ax, t, E, title):
    t = np.asarray(t, dtype=float)
    E = np.asarray(E, dtype=float)  # (T, m): window shells
    for j in range(E.shape[1]):
        y = np.where(E[1:, j] > 0, E[1:, j], np.nan)
        ax.loglog(t[1:], y, lw=0.9, marker=".", label=f"shell {j}")
    ax.set_xlabel("time t (lr absorbed)")
    ax.set_ylabel("shell energy E_alpha")
    ax.set_title(title, fontsize=8)
    ax.legend(fontsize=6, ncol=2)


def _matrix(ax, A, title, plt, cbar_label, diverging=True):
    A = np.asarray(A, dtype=float)
    vmax = float(np.nanmax(np.abs(A))) if np.isfinite(A).any() else 1.0
    if diverging:
        im = ax.imshow(A, cmap="RdBu_r", vmin=-vmax, vmax=vmax, origin="lower")
    else:
        im = ax.imshow(A, cmap="viridis", vmin=0.0, vmax=vmax, origin="lower")
    ax.set_title(title, fontsize=8)
    ax.set_xlabel("shell beta (index in the window)")
    ax.set_ylabel("shell alpha (index in the window)")
    cb = plt.colorbar(im, ax=ax, fraction=0.046)
    cb.set_label(cbar_label, fontsize=7)


def plot_trajectory(d: dict, outdir: str | Path) -> list[str]:
    """Figures for one diagnosed trajectory (``diagnose`` output).

    Parameters
    ----------
    d : dict
        ``diagnose(...)`` (``arrays`` and ``summary["window"]`` are read).
    outdir : str or pathlib.Path
        Created when missing.

    Returns
    -------
    list of str
        The file written (``trajectory.png``).

    Examples
    --------
    >>> import tempfile
    >>> lam = [np.array([1.0, 0.5, 0.25])] * 3
    >>> d = {"arrays": {"eigenvalues": lam, "t": [0.0, 1.0, 2.0], "shell_energies": np.ones((3, 2))},
    ...      "summary": {"window": {}}}
    >>> [Path(f).name for f in plot_trajectory(d, tempfile.mkdtemp())]
    ['trajectory.png']
    """
    plt = require_matplotlib()
    out = _outdir(outdir)
    arrays, w = d["arrays"], d["summary"]["window"]
    fig, axs = plt.subplots(1, 4, figsize=(19, 4))
    _spectrum(axs[0], arrays["eigenvalues"], w)
    _energies(axs[1], arrays["t"], arrays["shell_energies"], "shell energies (window)")
    if arrays.get("K_mean") is not None:
        _matrix(axs[2], arrays["K_mean"], "K (time mean)", plt, "K = T/sqrt(E_a E_b)/sqrt(lam_a lam_b)")
    if arrays.get("W_mean") is not None:
        _matrix(axs[3], arrays["W_mean"], "W (time mean)", plt, "overlap fraction W", diverging=False)
    fig.subplots_adjust(wspace=0.5)
    f = out / "trajectory.png"
    fig.savefig(f, dpi=110)
    plt.close(fig)
    return [str(f)]


def _val(x):
    return np.nan if x is None else float(x)


def plot_results(doc: dict, outdir: str | Path) -> list[str]:
    """Delta against depth and residual-minus-plain differences (from the document alone).

    Parameters
    ----------
    doc : dict
        An experiment document (:func:`~grsd_sym.probe.experiment.run_experiment`, or its JSON).
    outdir : str or pathlib.Path

    Returns
    -------
    list of str
        The files written.

    Examples
    --------
    >>> import tempfile
    >>> doc = {"results": {"teacher": {"mlp": {"2": {"mean": {"delta_K": 0.1, "delta_C": 0.2}}}}}}
    >>> [Path(f).name for f in plot_results(doc, tempfile.mkdtemp())]
    ['delta_vs_depth_teacher.png']
    """
    plt = require_matplotlib()
    out = _outdir(outdir)
    files = []
    for tname, res in doc["results"].items():
        archs = list(res)
        depths = sorted({int(d) for a in archs for d in res[a]})
        fig, axs = plt.subplots(1, 2, figsize=(12, 4))
        for ax, key in zip(axs, ("delta_K", "delta_C"), strict=True):
            for arch in archs:
                ds = [d for d in depths if str(d) in res[arch]]
                mu = [_val(res[arch][str(d)].get("mean", {}).get(key)) for d in ds]
                sd = [_val(res[arch][str(d)].get("std", {}).get(key)) for d in ds]
                ax.errorbar(ds, mu, yerr=np.nan_to_num(sd), marker="o", capsize=3, label=f"{arch} (seed mean +- sd)")
            if len(depths) > 1:
                ax.set_xscale("log", base=2)
            ax.set_xticks(depths)
            ax.set_xlabel("depth")
            ax.set_ylabel(f"{key} of the time-mean couplings")
            ax.set_title(f"{tname}: {key} against depth", fontsize=9)
            ax.legend(fontsize=7)
        fig.subplots_adjust(wspace=0.35)
        files.append(out / f"delta_vs_depth_{tname}.png")
        fig.savefig(files[-1], dpi=110)
        plt.close(fig)
        diffs = doc.get("differences", {}).get(tname, {})
        if diffs:
            keys = ("delta_K", "delta_C", "delta_W_offdiag", "kernel_movement_final")
            fig, axs = plt.subplots(1, len(keys), figsize=(4.2 * len(keys), 3.8))
            for ax, key in zip(axs, keys, strict=True):
                ds = sorted(int(d) for d in diffs)
                y = [_val(diffs[str(d)][key]["diff"]) for d in ds]
                ci = [diffs[str(d)][key]["ci"] or [np.nan, np.nan] for d in ds]
                lo = [yy - c[0] for yy, c in zip(y, ci, strict=True)]
                hi = [c[1] - yy for yy, c in zip(y, ci, strict=True)]
                ax.errorbar(
                    ds,
                    y,
                    yerr=[np.nan_to_num(lo), np.nan_to_num(hi)],
                    marker="s",
                    capsize=3,
                    label="residual - plain, 95% bootstrap CI",
                )
                ax.axhline(0.0, color="grey", lw=0.8, label="no difference")
                if len(ds) > 1:
                    ax.set_xscale("log", base=2)
                ax.set_xticks(ds)
                ax.set_xlabel("depth")
                ax.set_ylabel(f"difference in {key}")
                ax.legend(fontsize=6)
            fig.suptitle(f"{tname}: residual minus plain (seed means)", fontsize=9)
            fig.subplots_adjust(wspace=0.45)
            files.append(out / f"differences_{tname}.png")
            fig.savefig(files[-1], dpi=110)
            plt.close(fig)
    return [str(f) for f in files]


def plot_experiment(doc: dict, arrays: dict, outdir: str | Path) -> list[str]:
    """:func:`plot_results` plus spectra and seed-mean ``K`` from the run's arrays.

    Parameters
    ----------
    doc : dict
        The experiment document.
    arrays : dict
        ``arrays[(task, arch, depth)] = {seed: diagnose arrays, "K_seed_mean": ...}`` (the
        ``_arrays`` of ``run_experiment(..., keep_arrays=True)``).
    outdir : str or pathlib.Path

    Returns
    -------
    list of str
        The files written, those of :func:`plot_results` first.

    Examples
    --------
    A document with no results draws nothing (a real one: ``run_experiment(..., keep_arrays=True)``):

    >>> import tempfile
    >>> plot_experiment({"results": {}}, {}, tempfile.mkdtemp())
    []
    """
    plt = require_matplotlib()
    out = _outdir(outdir)
    files = [Path(f) for f in plot_results(doc, out)]
    for tname, res in doc["results"].items():
        archs = list(res)
        depths = sorted({int(d) for a in archs for d in res[a]})
        for kind in ("spectra", "K"):
            fig, axs = plt.subplots(
                len(archs), len(depths), squeeze=False, figsize=(4.4 * len(depths), 3.8 * len(archs))
            )
            for a_i, arch in enumerate(archs):
                for d_i, depth in enumerate(depths):
                    ax = axs[a_i, d_i]
                    arr = arrays.get((tname, arch, depth)) or {}
                    seeds = sorted(k for k in arr if isinstance(k, int))
                    if not seeds:
                        ax.set_axis_off()
                        continue
                    if kind == "spectra":
                        _spectrum(
                            ax,
                            arr[seeds[0]]["eigenvalues"],
                            res[arch][str(depth)].get("window"),
                            label=f"seed {seeds[0]}, ",
                        )
                        ax.set_title(f"{arch} depth {depth}", fontsize=8)
                    elif arr.get("K_seed_mean") is not None:
                        _matrix(
                            ax,
                            arr["K_seed_mean"],
                            f"{arch} depth {depth}: K, mean over seeds",
                            plt,
                            "K (dimensionless)",
                        )
            fig.subplots_adjust(wspace=0.5, hspace=0.5)
            files.append(out / f"{kind}_{tname}.png")
            fig.savefig(files[-1], dpi=100)
            plt.close(fig)
    return [str(f) for f in files]
