# ---
# jupyter:
#   jupytext:
#     formats: py:percent
#     text_representation:
#       extension: .py
#       format_name: percent
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # 04 - Probe: residual vs plain networks, and their coupling matrices
#
# The papers claim that log-shift invariance of the renormalized shell couplings is approximately
# realized in residual architectures and degraded in plain ones (docs/theory/conditions.md).  This
# notebook runs a **tiny** version of `grsd probe` (`grsd_sym.probe.run_experiment`): plain MLPs
# and residual MLPs of two depths, two initialisation seeds, trained by full-batch gradient
# descent on a power-law teacher task; the four diagnostics are measured from checkpoints of
# exact Jacobians.  It is sized to run in seconds: it shows *how* the measurement is made and
# what the coupling matrices look like, and is no evidence for or against the claim (run
# `grsd probe` for that, and read its spread over seeds).
#
# Measured quantities (section 5): energy-transfer couplings
# $K_{\alpha\beta} = T_{\alpha\beta}/\sqrt{E_\alpha E_\beta}/\sqrt{\lambda_\alpha\lambda_\beta}$ and overlap
# couplings $W_{\alpha\beta}$ between consecutive checkpoints, inside a scaling window of shells;
# log-shift invariance means Toeplitz structure, measured by
# $\delta = \|K - \mathrm{Toep}(K)\|_F/\|K\|_F$.

# %%
import os
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
from IPython.display import Image, Markdown, display  # noqa: E402

from grsd_sym.figures import FigureSaver  # noqa: E402
from grsd_sym.numeric.couplings import toeplitz_deviation, toeplitz_projection  # noqa: E402
from grsd_sym.probe import ProbeConfig, format_table, run_experiment  # noqa: E402
from grsd_sym.probe.experiment import CONVENTION  # noqa: E402
from grsd_sym.probe.plots import plot_experiment  # noqa: E402

save_and_show = FigureSaver("04_probe")  # saves <out>/04_probe/<stem>.png and shows it
OUT = save_and_show.dir


# %% [markdown]
# ## The experiment (tiny configuration)

# %%
CFG = ProbeConfig(archs=("mlp", "resnet"), depths=(2, 4), seeds=(0, 1), width=12, n_samples=48,
                  input_dim=12, steps=300, n_checkpoints=8, n_shells=5, n_null=30)
doc = run_experiment(CFG, progress=print, keep_arrays=True)
arrays = doc.pop("_arrays")
print(format_table(doc))
display(Markdown("**Conventions of every number:**\n\n" +
                 "\n".join(f"- {k}: {v}" for k, v in CONVENTION.items())))

# %%
for arch in CFG.archs:
    for depth in CFG.depths:
        agg = doc["results"][arch][str(depth)]
        assert agg["n_ok"] == len(CFG.seeds), [s.get("error") for s in agg["seeds"]]

# %% [markdown]
# ## The coupling matrices
#
# For the deeper network of each architecture (seed 0): the time-averaged renormalized
# energy-transfer couplings $K$, their Toeplitz projection (the matrix of diagonal means, what a
# perfectly log-shift-invariant $K$ would be), and the overlap couplings $W$ between
# consecutive checkpoints.  Rows and columns are the shells of the scaling window.

# %%
def toeplitz_by_hand(A):
    """docs/theory/couplings.md written out: replace each diagonal by its mean (NaN entries ignored)."""
    A = np.asarray(A, dtype=float)
    P = np.full_like(A, np.nan)
    n = A.shape[0]
    for k in range(-n + 1, n):
        idx = [(i, i + k) for i in range(n) if 0 <= i + k < n]
        vals = np.array([A[i, j] for i, j in idx])
        if np.isfinite(vals).any():
            m = np.nanmean(vals)
            for (i, j), v in zip(idx, vals):
                P[i, j] = m if np.isfinite(v) else np.nan
    return P


def delta_by_hand(A):
    P = toeplitz_by_hand(A)
    ok = np.isfinite(A)
    return float(np.sqrt(np.sum((A[ok] - P[ok]) ** 2) / np.sum(A[ok] ** 2)))


depth = max(CFG.depths)
seed = CFG.seeds[0]
fig, axes = plt.subplots(len(CFG.archs), 3, figsize=(13, 4.0 * len(CFG.archs)), squeeze=False)
for r, arch in enumerate(CFG.archs):
    arr = arrays[(arch, depth, seed)]
    K = np.asarray(arr["K_mean"], dtype=float)
    W = np.asarray(arr["W_mean"], dtype=float)
    Kmask = np.ma.MaskedArray(np.nan_to_num(K), mask=~np.isfinite(K))
    TK = np.ma.filled(toeplitz_projection(Kmask).astype(float), np.nan)
    dK = toeplitz_deviation(Kmask)
    dW = toeplitz_deviation(np.ma.MaskedArray(np.nan_to_num(W), mask=~np.isfinite(W)))
    # two routes to the same Toeplitz deviation: the library and the definition written out
    assert np.allclose(TK[np.isfinite(K)], toeplitz_by_hand(K)[np.isfinite(K)], atol=1e-12)
    assert abs(dK - delta_by_hand(K)) < 1e-10 and abs(dW - delta_by_hand(W)) < 1e-10
    # T antisymmetric (GRSD-T4) makes K antisymmetric; overlaps are non-negative
    ok = np.isfinite(K) & np.isfinite(K.T)
    assert np.allclose(K[ok], -K.T[ok], atol=1e-10 * np.nanmax(np.abs(K)))
    assert np.all(W[np.isfinite(W)] >= -1e-12)
    vmax = np.nanmax(np.abs(K))
    for c, (A, title, cmap, lims) in enumerate((
            (K, f"K (time mean), delta = {dK:.3f}", "RdBu_r", (-vmax, vmax)),
            (TK, "Toep(K): diagonal means", "RdBu_r", (-vmax, vmax)),
            (W, f"W (overlaps), delta = {dW:.3f}", "viridis", (0, np.nanmax(W))))):
        ax = axes[r, c]
        im = ax.imshow(A, cmap=cmap, vmin=lims[0], vmax=lims[1], origin="lower")
        ax.set_title(f"{arch}, depth {depth}, seed {seed}: {title}", fontsize=9)
        ax.set_xlabel("shell beta (window)")
        ax.set_ylabel("shell alpha (window)")
        plt.colorbar(im, ax=ax, fraction=0.046)
fig.tight_layout()
save_and_show(fig, "couplings");

# %% [markdown]
# ## Toeplitz deviation against depth, with the null baseline
#
# The probe's own figures (`grsd_sym.probe.plots.plot_experiment`): $\delta_K$ and $\delta_W$
# (mean and spread over the seeds) for both architectures, beside the *null* value of the same
# entries randomly permuted (no shift structure at all).  With two seeds and two depths, read
# them as a demonstration of the measurement, not as a trend.

# %%
files = plot_experiment(doc, arrays, OUT / "probe_figures")
for f in files:
    if Path(f).name in ("delta_vs_depth.png", "spectra.png"):
        display(Image(filename=f))
rows = ["| arch | depth | delta_K | delta_K null | delta_W | delta_W null | b (flux fit) |",
        "|---|---|---|---|---|---|---|"]
for arch in CFG.archs:
    for d in CFG.depths:
        m = doc["results"][arch][str(d)]["mean"]
        rows.append(f"| {arch} | {d} | {m['delta_K']:.3f} | {m['delta_K_null']:.3f} | "
                    f"{m['delta_W']:.3f} | {m['delta_W_null']:.3f} | {m['b_flux']:.3f} |")
display(Markdown("\n".join(rows)))
assert all(Path(f).is_file() for f in files)
# say plainly where the measured deviation is not below its structure-free null value
for arch in CFG.archs:
    for d in CFG.depths:
        m = doc["results"][arch][str(d)]["mean"]
        for key in ("delta_K", "delta_W"):
            verdict = "below" if m[key] < m[key + "_null"] else "NOT below"
            print(f"{arch:>6} depth {d}: {key} = {m[key]:.3f} is {verdict} its null {m[key + '_null']:.3f}")
