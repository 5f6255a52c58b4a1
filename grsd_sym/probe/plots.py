"""Figures of the probe (optional ``plot`` extra: matplotlib, imported lazily).

Spectra of :math:`M(0)` and :math:`M(t_{final})` with the scaling window, shell energies
:math:`E_\\alpha(t)` (GRSD-T4), the time-averaged coupling matrices ``K`` and ``W`` in the window
(section 5), and ``delta`` vs depth for both estimators with their null baselines.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from grsd_sym.errors import InputError

__all__ = ["require_matplotlib", "plot_experiment", "plot_trajectory"]


def require_matplotlib():
    """Import matplotlib with the Agg backend, or raise a clear :class:`InputError`."""
    try:
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError as exc:
        raise InputError("--plot needs matplotlib: install the plot extra "
                         "(pip install 'grsd_sym[plot]')") from exc
    return plt


def _outdir(path) -> Path:
    p = Path(path)
    p.mkdir(parents=True, exist_ok=True)
    return p


def _spectrum(ax, arrays, window, label):
    for i, tag in ((0, "t=0"), (-1, "t final")):
        lam = np.sort(arrays["eigenvalues"][i])[::-1]
        lam = lam[lam > 0]
        ax.loglog(np.arange(1, lam.size + 1), lam, label=f"{label} {tag}")
    if window is not None:
        for s in (window["s_lo"], window["s_hi"]):
            ax.axhline(np.exp(s), color="grey", lw=0.6, ls=":")
    ax.set_xlabel("rank k")
    ax.set_ylabel("eigenvalue of M")


def _energies(ax, arrays, title):
    E = np.asarray(arrays["shell_energies"])  # (T, K+1), column 0 = null shell
    t = np.asarray(arrays["t"])
    a_lo = arrays["alpha_range"][0]
    def pos(x):  # an empty shell (E = 0) is a gap in the curve, not a point at 1e-300
        return np.where(x > 0, x, np.nan)

    for j in range(1, E.shape[1]):
        if np.any(E[1:, j] > 0):
            ax.loglog(t[1:], pos(E[1:, j]), lw=0.8, label=f"alpha={a_lo + j - 1}")
    if np.any(E[1:, 0] > 0):
        ax.loglog(t[1:], pos(E[1:, 0]), "k--", lw=0.8, label="null")
    ax.set_xlabel("t")
    ax.set_ylabel("shell energy E_alpha")
    ax.set_title(title, fontsize=8)


def _matrix(ax, A, title, plt):
    A = np.asarray(A, dtype=float)
    vmax = np.nanmax(np.abs(A)) if np.isfinite(A).any() else 1.0
    im = ax.imshow(A, cmap="RdBu_r", vmin=-vmax, vmax=vmax, origin="lower")
    ax.set_title(title, fontsize=8)
    ax.set_xlabel("beta (window shell)")
    ax.set_ylabel("alpha")
    plt.colorbar(im, ax=ax, fraction=0.046)


def plot_trajectory(d: dict, outdir) -> list[str]:
    """Figures for one diagnosed trajectory (``diagnose`` output)."""
    plt = require_matplotlib()
    out = _outdir(outdir)
    arrays, w = d["arrays"], d["summary"]["window"]
    fig, axs = plt.subplots(1, 4, figsize=(18, 4))
    _spectrum(axs[0], arrays, w, "")
    axs[0].legend(fontsize=7)
    _energies(axs[1], arrays, "shell energies")
    if arrays.get("K_mean") is not None:
        _matrix(axs[2], arrays["K_mean"], "K (time mean)", plt)
    if arrays.get("W_mean") is not None:
        _matrix(axs[3], arrays["W_mean"], "W (time mean)", plt)
    fig.subplots_adjust(wspace=0.45, hspace=0.5)
    f = out / "trajectory.png"
    fig.savefig(f, dpi=110)
    plt.close(fig)
    return [str(f)]


def plot_experiment(doc: dict, arrays: dict, outdir) -> list[str]:
    """Spectra, shell energies, coupling matrices (seed 0 of each arch/depth) and delta vs depth."""
    plt = require_matplotlib()
    out = _outdir(outdir)
    files = []
    res = doc["results"]
    archs = list(res)
    depths = [int(d) for d in next(iter(res.values()))]
    seed0 = doc["config"]["seeds"][0]
    # spectra
    fig, axs = plt.subplots(1, len(archs), figsize=(6 * len(archs), 4), squeeze=False)
    for a_i, arch in enumerate(archs):
        for depth in depths:
            arr = arrays.get((arch, depth, seed0))
            if arr is not None:
                lam = np.sort(arr["eigenvalues"][0])[::-1]
                lam = lam[lam > 0]
                axs[0, a_i].loglog(np.arange(1, lam.size + 1), lam, label=f"depth {depth} t=0")
        axs[0, a_i].set_title(f"{arch}: spectrum of M(0), seed {seed0}")
        axs[0, a_i].set_xlabel("rank k")
        axs[0, a_i].legend(fontsize=7)
    fig.subplots_adjust(wspace=0.45, hspace=0.5)
    files.append(out / "spectra.png")
    fig.savefig(files[-1], dpi=110)
    plt.close(fig)
    # shell energies and couplings
    for kind, fname in (("energies", "shell_energies.png"), ("K", "couplings_K.png"),
                        ("W", "couplings_W.png")):
        fig, axs = plt.subplots(len(archs), len(depths), figsize=(4.2 * len(depths), 3.6 * len(archs)),
                                squeeze=False)
        for a_i, arch in enumerate(archs):
            for d_i, depth in enumerate(depths):
                arr = arrays.get((arch, depth, seed0))
                ax = axs[a_i, d_i]
                if arr is None:
                    ax.set_axis_off()
                    continue
                title = f"{arch} depth {depth} seed {seed0}"
                if kind == "energies":
                    _energies(ax, arr, title)
                elif kind == "K" and arr.get("K_mean") is not None:
                    _matrix(ax, arr["K_mean"], "K time mean: " + title, plt)
                elif kind == "W" and arr.get("W_mean") is not None:
                    _matrix(ax, arr["W_mean"], "W time mean: " + title, plt)
        fig.subplots_adjust(wspace=0.45, hspace=0.5)
        files.append(out / fname)
        fig.savefig(files[-1], dpi=100)
        plt.close(fig)
    # delta vs depth
    fig, axs = plt.subplots(1, 2, figsize=(11, 4))
    for ax, key in zip(axs, ("delta_K", "delta_W")):
        for arch in archs:
            mu = [res[arch][str(d)]["mean"][key] for d in depths]
            sd = [res[arch][str(d)]["std"][key] for d in depths]
            nm = [res[arch][str(d)]["mean"][key + "_null"] for d in depths]
            mu_a = np.array([np.nan if v is None else v for v in mu], dtype=float)
            sd_a = np.array([0.0 if v is None else v for v in sd], dtype=float)
            eb = ax.errorbar(depths, mu_a, yerr=sd_a, marker="o", capsize=3, label=arch)
            ax.plot(depths, np.array([np.nan if v is None else v for v in nm], dtype=float), ls=":",
                    color=eb.lines[0].get_color(), label=f"{arch} null (permuted)")
        ax.set_xscale("log", base=2)
        ax.set_xlabel("depth")
        ax.set_ylabel(key)
        ax.set_title(f"{key} (mean +- std over seeds)")
        ax.legend(fontsize=7)
    fig.subplots_adjust(wspace=0.45, hspace=0.5)
    files.append(out / "delta_vs_depth.png")
    fig.savefig(files[-1], dpi=110)
    plt.close(fig)
    return [str(f) for f in files]
