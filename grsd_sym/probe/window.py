"""The scaling window: where the measured spectrum is a power law, and its shells.

Log-shift invariance (docs/theory/couplings.md) is a statement *inside a scaling window*.  The probe
picks the window from the spectrum of :math:`M(0)` [defined]: with eigenvalues sorted
descending, :math:`\\lambda_{(1)} \\ge \\lambda_{(2)} \\ge \\dots`, it takes the contiguous rank
range :math:`[i, j]` with at least ``min_modes`` modes on which the log-log plot

.. math:: \\log\\lambda_{(k)} \\approx c - \\beta\\log k

is linear to within ``resid_tol`` (maximum absolute residual, natural-log units), and among
those the one spanning the widest range of :math:`s = \\log\\lambda`.  The window
:math:`[s_{lo}, s_{hi}]` is then cut into ``n_shells`` shells of width
:math:`h = (s_{hi} - s_{lo})/n_{shells}` with origin :math:`s_0 = s_{lo}` (GRSD section 3), so
window shells are :math:`\\alpha = 0..n_{shells}-1`.  A shell is *populated* when it holds at
least ``min_count`` modes at :math:`t = 0`; fewer than three populated shells raise
:class:`~grsd_sym.errors.EmptyShellError` (a Toeplitz structure needs three).

>>> import numpy as np
>>> w = choose_scaling_window(np.arange(1, 101.0) ** -1.0, n_shells=4)
>>> w.n_shells, round(w.spectrum_slope, 6)
(4, -1.0)
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from grsd_sym.errors import EmptyShellError, InputError, ShapeError
from grsd_sym.numeric.shells import ShellGrid

__all__ = ["ScalingWindow", "choose_scaling_window", "window_from_bounds"]


@dataclass(frozen=True)
class ScalingWindow:
    """A scaling window ``[s_lo, s_hi]`` in ``s = log(lambda)`` and its shell grid.

    ``alphas``: window shells ``0..n_shells-1`` of ``grid``; ``counts``: modes per window shell
    at ``t = 0``; ``populated``: ``counts >= min_count``; ``rank_range``: 1-based ranks
    ``(i, j)`` of the fitted power law; ``spectrum_slope``: :math:`-\\beta` of the fit;
    ``fit_resid``: its maximum absolute residual.
    """

    s_lo: float
    s_hi: float
    grid: ShellGrid
    n_shells: int
    counts: np.ndarray
    min_count: int
    rank_range: tuple[int, int]
    spectrum_slope: float
    fit_resid: float

    @property
    def alphas(self) -> np.ndarray:
        return np.arange(self.n_shells)

    @property
    def populated(self) -> np.ndarray:
        return self.counts >= self.min_count

    @property
    def h(self) -> float:
        return self.grid.h

    def contains(self, lam: np.ndarray) -> np.ndarray:
        """Mask of eigenvalues inside the window, :math:`s_{lo} \\le \\log\\lambda < s_{hi}`."""
        lam = np.asarray(lam, dtype=float)
        out = np.zeros(lam.shape, dtype=bool)
        pos = lam > 0
        s = np.log(lam[pos])
        out[pos] = (s >= self.s_lo) & (s < self.s_hi)
        return out

    def as_dict(self) -> dict:
        return {"s_lo": self.s_lo, "s_hi": self.s_hi, "lambda_lo": float(np.exp(self.s_lo)),
                "lambda_hi": float(np.exp(self.s_hi)), "h": self.h, "s0": self.grid.s0,
                "n_shells": self.n_shells, "counts_t0": self.counts.tolist(),
                "populated": int(self.populated.sum()), "min_count": self.min_count,
                "rank_range": list(self.rank_range), "spectrum_slope": self.spectrum_slope,
                "fit_max_resid": self.fit_resid}


def _validate_spectrum(eigenvalues) -> np.ndarray:
    lam = np.asarray(eigenvalues, dtype=float)
    if lam.ndim != 1:
        raise ShapeError(f"eigenvalues must be 1-d, got shape {lam.shape}")
    if not np.all(np.isfinite(lam)):
        raise InputError("eigenvalues must be finite")
    return np.sort(lam)[::-1]


def _counts(lam: np.ndarray, grid: ShellGrid, n_shells: int) -> np.ndarray:
    pos = lam[lam > 0]
    alpha = np.floor((np.log(pos) - grid.s0) / grid.h).astype(int)
    alpha = alpha[(alpha >= 0) & (alpha < n_shells)]
    return np.bincount(alpha, minlength=n_shells)[:n_shells]


def _check_populated(counts: np.ndarray, min_count: int, s_lo: float, s_hi: float) -> None:
    n_pop = int((counts >= min_count).sum())
    if n_pop < 3:
        raise EmptyShellError(
            f"the scaling window [s={s_lo:.3g}, {s_hi:.3g}] holds only {n_pop} populated shell(s) "
            f"(>= {min_count} modes each; counts {counts.tolist()}); log-shift invariance needs at "
            "least 3: use more samples, fewer/wider shells (n_shells, h), or a wider window")


def window_from_bounds(eigenvalues, s_lo: float, s_hi: float, n_shells: int = 6,
                       min_count: int = 2) -> ScalingWindow:
    """A window with user-given bounds ``[s_lo, s_hi]`` (no fit); same population check."""
    lam = _validate_spectrum(eigenvalues)
    if not (np.isfinite(s_lo) and np.isfinite(s_hi) and s_hi > s_lo):
        raise InputError(f"window bounds must be finite with s_hi > s_lo, got [{s_lo}, {s_hi}]")
    if isinstance(n_shells, bool) or not isinstance(n_shells, (int, np.integer)) or n_shells < 3:
        raise InputError(f"n_shells must be an integer >= 3, got {n_shells!r}")
    grid = ShellGrid((s_hi - s_lo) / n_shells, s0=s_lo)
    counts = _counts(lam, grid, n_shells)
    _check_populated(counts, min_count, s_lo, s_hi)
    return ScalingWindow(float(s_lo), float(s_hi), grid, int(n_shells), counts, int(min_count),
                         (0, 0), float("nan"), float("nan"))


def choose_scaling_window(eigenvalues, n_shells: int = 6, min_modes: int = 12,
                          resid_tol: float = 0.35, min_count: int = 2,
                          rel_floor: float = 1e-10, min_span: float = 1.0) -> ScalingWindow:
    """Choose the scaling window from a measured spectrum (see the module docstring).

    Eigenvalues below ``rel_floor * max`` are treated as the null shell and never enter the fit.
    The window must span at least ``min_span`` in :math:`s = \\log\\lambda` (default one
    e-fold): a near-degenerate cluster of eigenvalues fits any line over a tiny range, and its
    "shells" would be narrower than the spread of the data, so a spectrum whose only power-law
    ranges are such clusters raises :class:`~grsd_sym.errors.EmptyShellError`.
    """
    if not (np.isfinite(min_span) and min_span >= 0):
        raise InputError(f"min_span must be finite and >= 0, got {min_span!r}")
    lam = _validate_spectrum(eigenvalues)
    if isinstance(n_shells, bool) or not isinstance(n_shells, (int, np.integer)) or n_shells < 3:
        raise InputError(f"n_shells must be an integer >= 3, got {n_shells!r}")
    if lam.size == 0 or not lam[0] > 0:
        raise EmptyShellError("the spectrum has no positive eigenvalue: no scaling window")
    pos = lam[lam > rel_floor * lam[0]]
    m = pos.size
    if m < max(min_modes, 3):
        raise EmptyShellError(f"only {m} positive eigenvalues; a scaling window needs >= "
                              f"{max(min_modes, 3)} (min_modes)")
    x = np.log(np.arange(1, m + 1, dtype=float))
    y = np.log(pos)
    best = None
    # cumulative sums give every least-squares line in O(1); the residual check is O(length)
    cx, cy = np.concatenate([[0], np.cumsum(x)]), np.concatenate([[0], np.cumsum(y)])
    cxx, cxy = np.concatenate([[0], np.cumsum(x * x)]), np.concatenate([[0], np.cumsum(x * y)])
    for i in range(0, m - min_modes + 1):
        for j in range(m, i + min_modes - 1, -1):  # widest first: stop at the first that fits
            span = y[i] - y[j - 1]
            if best is not None and span <= best[0]:
                break
            L = j - i
            sx, sy = cx[j] - cx[i], cy[j] - cy[i]
            sxx, sxy = cxx[j] - cxx[i], cxy[j] - cxy[i]
            den = L * sxx - sx * sx
            if den <= 0:
                continue
            slope = (L * sxy - sx * sy) / den
            icpt = (sy - slope * sx) / L
            resid = float(np.max(np.abs(y[i:j] - (icpt + slope * x[i:j]))))
            if resid <= resid_tol:
                best = (span, i, j, slope, resid)
                break
    if best is None:
        raise EmptyShellError(f"no rank range of >= {min_modes} modes is a power law to within "
                              f"resid_tol={resid_tol}: no scaling window")
    span, i, j, slope, resid = best
    if span < min_span:
        raise EmptyShellError(
            f"the widest power-law rank range (ranks {i + 1}..{j}) spans only {span:.3g} in "
            f"s = log(lambda), below min_span = {min_span:g}: the spectrum has no scaling window "
            "wide enough for three or more shells (a cluster of near-equal eigenvalues is not a "
            "power law); give the window bounds explicitly (window_from_bounds) or lower min_span")
    s_hi = float(y[i]) + 1e-9 * max(1.0, abs(float(y[i])))  # half-open shells: include the top mode
    s_lo = float(y[j - 1])
    grid = ShellGrid((s_hi - s_lo) / n_shells, s0=s_lo)
    counts = _counts(lam, grid, n_shells)
    _check_populated(counts, min_count, s_lo, s_hi)
    return ScalingWindow(s_lo, s_hi, grid, int(n_shells), counts, int(min_count),
                         (i + 1, j), float(slope), resid)
