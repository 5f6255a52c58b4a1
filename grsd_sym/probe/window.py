r"""The scaling window: where the measured spectrum is a power law, and its shells.

Log-shift invariance (docs/theory/couplings.md) is a statement *inside a scaling window*.  The probe
picks the window from the measured spectra [defined]: with the eigenvalues of one checkpoint
sorted descending, :math:`\lambda_{(1)} \ge \lambda_{(2)} \ge \dots`, it takes the contiguous
rank range :math:`[i, j]` with at least ``min_modes`` modes on which the log-log plot

.. math:: \log\lambda_{(k)} \approx c - \beta\log k

is linear to within ``resid_tol`` (root-mean-square residual, natural-log units), and among
those the one spanning the widest range of :math:`s = \log\lambda`.  The top ``exclude_top``
ranks never enter (the outliers of a kernel spectrum, the modes learned first).

Given several spectra (one per checkpoint), the fit is **refitted at every checkpoint** and the
window is the **intersection** of the per-checkpoint ranges in :math:`s`, so that one grid
serves the whole trajectory (couplings are compared and averaged on it).  The window is cut
into shells of equal width :math:`h` in :math:`s` (``shells="width"``, GRSD section 3, the
default: the only choice for which a shift by one shell is a log-shift) or of equal mode count
at ``t = 0`` (``shells="count"``, an option).  Every shell must hold at least ``min_count``
modes at *every* checkpoint; ``n_shells=None`` takes the largest number of shells (3 to
``max_shells``) for which this holds, else :class:`~grsd_sym.errors.EmptyShellError`.

>>> import numpy as np
>>> w = choose_scaling_window(np.arange(1, 101.0) ** -1.0, n_shells=4, min_count=2, exclude_top=0)
>>> w.n_shells, round(w.spectrum_slope, 6)
(4, -1.0)
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import ArrayLike

from grsd_sym.errors import EmptyShellError, InputError, ShapeError
from grsd_sym.numeric.shells import ShellGrid
from grsd_sym.probe._checks import check_int

__all__ = [
    "DEFAULT_MIN_COUNT",
    "ScalingWindow",
    "choose_scaling_window",
    "fit_power_law_range",
    "refit_windows",
    "window_from_bounds",
]

#: default minimum number of modes in every shell at every checkpoint
DEFAULT_MIN_COUNT = 30


@dataclass(frozen=True)
class ScalingWindow:
    """A scaling window ``[s_lo, s_hi]`` in ``s = log(lambda)`` and its shells.

    Attributes
    ----------
    s_lo, s_hi : float
        Window bounds in ``s``.
    grid : ShellGrid
        Uniform grid of the equal-width shells (``h`` = mean width for equal-count shells).
    n_shells : int
    counts : numpy.ndarray
        Modes per shell at ``t = 0``.
    min_count : int
        Modes required per shell.
    rank_range : tuple of int
        1-based ranks of the power-law fit at ``t = 0``.
    spectrum_slope, fit_resid : float
        :math:`-\beta` of that fit and its RMS residual.
    edges : numpy.ndarray
        ``(n_shells + 1,)`` shell boundaries in ``s``.
    shells : {"width", "count"}
    exclude_top : int
        Top ranks never in the window.
    counts_min : numpy.ndarray or None
        Minimum over checkpoints of the counts.
    per_checkpoint : tuple
        The fitted ``(s_lo, s_hi)`` of every checkpoint.
    rule : str
        How the window was chosen, in words.

    Examples
    --------
    >>> w = window_from_bounds(np.arange(1, 513.0) ** -1.0, -4.0, -1.0, n_shells=3)
    >>> w.counts.tolist(), w.h, w.alphas.tolist(), bool(w.populated.all())
    ([34, 13, 5], 1.0, [0, 1, 2], True)
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
    edges: np.ndarray = None  # type: ignore[assignment]  # None until __post_init__ fills it
    shells: str = "width"
    exclude_top: int = 0
    counts_min: np.ndarray | None = None
    per_checkpoint: tuple = ()
    rule: str = "user bounds"

    def __post_init__(self):
        if self.edges is None:
            object.__setattr__(self, "edges", self.grid.s0 + self.grid.h * np.arange(self.n_shells + 1))

    @property
    def alphas(self) -> np.ndarray:
        """Shell indices ``0..n_shells-1``."""
        return np.arange(self.n_shells)

    @property
    def populated(self) -> np.ndarray:
        """Shells with ``min_count`` modes (at every checkpoint when known)."""
        c = self.counts if self.counts_min is None else self.counts_min
        return c >= self.min_count

    @property
    def h(self) -> float:
        """Shell width in ``s`` (mean width for equal-count shells)."""
        return self.grid.h

    @property
    def centres(self) -> np.ndarray:
        """Shell centres in ``s``."""
        return 0.5 * (self.edges[:-1] + self.edges[1:])

    @property
    def widths(self) -> np.ndarray:
        """Width of each shell in ``s``."""
        return np.diff(self.edges)

    def bins(self, lam: np.ndarray) -> np.ndarray:
        """Window shell index of every eigenvalue, ``-1`` outside the window (or non-positive)."""
        lam = np.asarray(lam, dtype=float)
        out = np.full(lam.shape, -1, dtype=np.int64)
        pos = lam > 0
        s = np.log(lam[pos])
        b = np.searchsorted(self.edges, s, side="right") - 1
        b[(b < 0) | (b >= self.n_shells)] = -1
        out[pos] = b
        return out

    def contains(self, lam: np.ndarray) -> np.ndarray:
        """Mask of eigenvalues inside the window, :math:`s_{lo} \\le \\log\\lambda < s_{hi}`."""
        return self.bins(lam) >= 0

    def as_dict(self) -> dict:
        """The window as a JSON-ready dict (bounds, edges, counts, fit, rule)."""
        return {
            "s_lo": self.s_lo,
            "s_hi": self.s_hi,
            "lambda_lo": float(np.exp(self.s_lo)),
            "lambda_hi": float(np.exp(self.s_hi)),
            "h": self.h,
            "s0": self.grid.s0,
            "edges": [float(x) for x in self.edges],
            "shells": self.shells,
            "n_shells": self.n_shells,
            "counts_t0": self.counts.tolist(),
            "counts_min_over_t": (self.counts_min.tolist() if self.counts_min is not None else self.counts.tolist()),
            "populated": int(self.populated.sum()),
            "min_count": self.min_count,
            "exclude_top": self.exclude_top,
            "rank_range": list(self.rank_range),
            "spectrum_slope": self.spectrum_slope,
            "fit_rms_resid": self.fit_resid,
            "rule": self.rule,
            "per_checkpoint": [list(map(float, x)) for x in self.per_checkpoint],
        }


def _validate_spectrum(eigenvalues) -> np.ndarray:
    lam = np.asarray(eigenvalues, dtype=float)
    if lam.ndim != 1:
        raise ShapeError(f"eigenvalues must be 1-d, got shape {lam.shape}")
    if not np.all(np.isfinite(lam)):
        raise InputError("eigenvalues must be finite")
    return np.sort(lam)[::-1]


def _spectra(eigenvalues) -> list[np.ndarray]:
    """One spectrum (1-d) or several (list / 2-d array, one per checkpoint), each sorted descending."""
    if isinstance(eigenvalues, (list, tuple)) and eigenvalues and np.ndim(eigenvalues[0]) == 1:
        return [_validate_spectrum(x) for x in eigenvalues]
    arr = np.asarray(eigenvalues, dtype=float)
    if arr.ndim == 2:
        return [_validate_spectrum(x) for x in arr]
    return [_validate_spectrum(arr)]


def _counts_edges(lam: np.ndarray, edges: np.ndarray) -> np.ndarray:
    pos = lam[lam > 0]
    b = np.searchsorted(edges, np.log(pos), side="right") - 1
    b = b[(b >= 0) & (b < edges.size - 1)]
    return np.bincount(b, minlength=edges.size - 1)[: edges.size - 1]


def _check_populated(counts: np.ndarray, min_count: int, s_lo: float, s_hi: float) -> None:
    n_pop = int((counts >= min_count).sum())
    if n_pop < 3:
        raise EmptyShellError(
            f"the scaling window [s={s_lo:.3g}, {s_hi:.3g}] holds only {n_pop} populated shell(s) "
            f"(>= {min_count} modes each; counts {counts.tolist()}); log-shift invariance needs at "
            "least 3: use more samples, fewer/wider shells (n_shells, h), or a wider window"
        )


def window_from_bounds(
    eigenvalues: ArrayLike | Sequence[ArrayLike], s_lo: float, s_hi: float, n_shells: int = 6, min_count: int = 2
) -> ScalingWindow:
    """A window with user-given bounds ``[s_lo, s_hi]`` (no fit), equal-width shells; same
    population check (at every given spectrum).

    Parameters
    ----------
    eigenvalues : array (n,) or (T, n) or list of arrays
    s_lo, s_hi : float
        Bounds in ``s = log(lambda)``.
    n_shells, min_count : int

    Returns
    -------
    ScalingWindow
        With ``rule = "user bounds"`` and no fit.

    Raises
    ------
    InputError
        Bad bounds or shell count.
    EmptyShellError
        A shell with fewer than ``min_count`` modes.

    Examples
    --------
    >>> window_from_bounds(np.arange(1, 513.0) ** -1.0, -4.0, -1.0, n_shells=3).counts.tolist()
    [34, 13, 5]
    """
    specs = _spectra(eigenvalues)
    if not (np.isfinite(s_lo) and np.isfinite(s_hi) and s_hi > s_lo):
        raise InputError(f"window bounds must be finite with s_hi > s_lo, got [{s_lo}, {s_hi}]")
    check_int("n_shells", n_shells, 3)
    grid = ShellGrid((s_hi - s_lo) / n_shells, s0=s_lo)
    edges = s_lo + grid.h * np.arange(n_shells + 1)
    allc = np.array([_counts_edges(l, edges) for l in specs])
    counts = allc[0]
    _check_populated(allc.min(axis=0), min_count, s_lo, s_hi)
    return ScalingWindow(
        float(s_lo),
        float(s_hi),
        grid,
        int(n_shells),
        counts,
        int(min_count),
        (0, 0),
        float("nan"),
        float("nan"),
        edges=edges,
        counts_min=allc.min(axis=0),
        rule="user bounds",
    )


def fit_power_law_range(
    lam_desc: np.ndarray, min_modes: int = 12, resid_tol: float = 0.1, exclude_top: int = 0
) -> tuple[int, int, float, float] | None:
    """Widest (in ``s``) rank range ``[i, j)`` (0-based, ``i >= exclude_top``) of a descending
    positive spectrum on which ``log lambda`` vs ``log rank`` is a line to within ``resid_tol``
    (root-mean-square residual, natural-log units; O(m^2) with cumulative sums).

    Parameters
    ----------
    lam_desc : numpy.ndarray
        Descending positive spectrum.
    min_modes : int
        Fewest modes in a range.
    resid_tol : float
        Largest RMS residual of the line.
    exclude_top : int
        First rank allowed.

    Returns
    -------
    tuple of (int, int, float, float) or None
        ``(i, j, slope, rms_resid)``, or ``None`` when no range of ``min_modes`` fits.

    Examples
    --------
    >>> i, j, slope, rms = fit_power_law_range(np.arange(1, 101.0) ** -2.0)
    >>> (i, j), round(slope, 6)
    ((0, 100), -2.0)
    """
    m = lam_desc.size
    x = np.log(np.arange(1, m + 1, dtype=float))
    y = np.log(lam_desc)
    best = None
    # cumulative sums give every least-squares line (and its RMS residual) in O(1): the RMS
    # bounds the maximum residual from below, so only ranges with RMS <= resid_tol are checked
    c1 = np.concatenate([[0.0], np.cumsum(x)])
    cy = np.concatenate([[0.0], np.cumsum(y)])
    cxx = np.concatenate([[0.0], np.cumsum(x * x)])
    cxy = np.concatenate([[0.0], np.cumsum(x * y)])
    cyy = np.concatenate([[0.0], np.cumsum(y * y)])
    for i in range(int(exclude_top), m - min_modes + 1):
        if best is not None and y[i] - y[m - 1] <= best[0]:
            break
        j = np.arange(i + min_modes, m + 1)
        L = (j - i).astype(float)
        sx, sy = c1[j] - c1[i], cy[j] - cy[i]
        sxx, sxy, syy = cxx[j] - cxx[i], cxy[j] - cxy[i], cyy[j] - cyy[i]
        den = L * sxx - sx * sx
        okd = den > 0
        slope = np.where(okd, (L * sxy - sx * sy) / np.where(okd, den, 1.0), 0.0)
        icpt = (sy - slope * sx) / L
        sse = syy - 2 * icpt * sy - 2 * slope * sxy + L * icpt**2 + 2 * icpt * slope * sx + slope**2 * sxx
        rms = np.sqrt(np.maximum(sse, 0.0) / L)
        span = y[i] - y[j - 1]
        fits = okd & (rms <= resid_tol)
        if best is not None:
            fits &= span > best[0]
        if fits.any():
            c = int(np.argmax(np.where(fits, span, -np.inf)))
            best = (float(span[c]), i, int(j[c]), float(slope[c]), float(rms[c]))
    if best is None:
        return None
    return best[1], best[2], float(best[3]), best[4]


def choose_scaling_window(
    eigenvalues: ArrayLike | Sequence[ArrayLike],
    n_shells: int | None = None,
    min_modes: int = 12,
    resid_tol: float = 0.1,
    min_count: int = DEFAULT_MIN_COUNT,
    rel_floor: float = 1e-10,
    min_span: float = 1.0,
    exclude_top: int | None = None,
    shells: str = "width",
    max_shells: int = 8,
) -> ScalingWindow:
    """Choose the scaling window from one spectrum or one per checkpoint (module docstring).

    Parameters
    ----------
    eigenvalues : array (n,) or (T, n) or list of arrays
        Spectra; with several, the window is the intersection of the per-checkpoint fits.
    n_shells : int or None
        Number of shells; ``None`` = the largest in ``3..max_shells`` with ``min_count`` modes in
        every shell at every checkpoint.
    min_count : int
        Minimum modes per shell at every checkpoint (default 30).
    exclude_top : int or None
        Top ranks never in the window; ``None`` = ``max(2, 2% of the positive modes)``.
    shells : {"width", "count"}
        Equal width in ``s`` (default) or equal mode count at ``t = 0``.
    min_modes, resid_tol, rel_floor, min_span, max_shells
        Fit settings: fewest modes and largest RMS residual of the power-law range, floor of
        the modes used (relative to the largest), narrowest range in ``s``, most shells.

    Returns
    -------
    ScalingWindow
        The window of the intersected fits and its shells.

    Raises
    ------
    InputError
        Bad settings.
    EmptyShellError
        No power-law range, a range narrower than ``min_span`` in ``s``, an empty intersection,
        or fewer than 3 shells with ``min_count`` modes.

    Examples
    --------
    >>> w = choose_scaling_window(np.arange(1, 513.0) ** -1.0, min_count=8)
    >>> w.n_shells, round(w.spectrum_slope, 6), bool(w.counts.min() >= 8)
    (7, -1.0, True)
    """
    if not (np.isfinite(min_span) and min_span >= 0):
        raise InputError(f"min_span must be finite and >= 0, got {min_span!r}")
    if shells not in ("width", "count"):
        raise InputError(f"shells must be 'width' or 'count', got {shells!r}")
    if n_shells is not None:
        check_int("n_shells", n_shells, 3)
    check_int("min_count", min_count)
    specs = _spectra(eigenvalues)
    fits = []
    for c_i, lam in enumerate(specs):
        if lam.size == 0 or not lam[0] > 0:
            raise EmptyShellError(f"spectrum {c_i} has no positive eigenvalue: no scaling window")
        pos = lam[lam > rel_floor * lam[0]]
        m = pos.size
        top = max(2, round(0.02 * m)) if exclude_top is None else int(exclude_top)
        if top < 0:
            raise InputError(f"exclude_top must be >= 0, got {exclude_top!r}")
        if m - top < max(min_modes, 3):
            raise EmptyShellError(
                f"only {m} positive eigenvalues ({top} top ranks excluded); a "
                f"scaling window needs >= {max(min_modes, 3)} (min_modes)"
            )
        fit = fit_power_law_range(pos, min_modes, resid_tol, top)
        if fit is None:
            raise EmptyShellError(
                f"no rank range of >= {min_modes} modes (ranks > {top}) is a power "
                f"law to within resid_tol={resid_tol} at checkpoint {c_i}: no "
                "scaling window"
            )
        i, j, slope, resid = fit
        span = float(np.log(pos[i]) - np.log(pos[j - 1]))
        if span < min_span:
            raise EmptyShellError(
                f"the widest power-law rank range (ranks {i + 1}..{j}) spans only {span:.3g} in "
                f"s = log(lambda), below min_span = {min_span:g}: the spectrum has no scaling window "
                "wide enough for three or more shells (a cluster of near-equal eigenvalues is not a "
                "power law); give the window bounds explicitly (window_from_bounds) or lower min_span"
            )
        s_hi = float(np.log(pos[i])) + 1e-9 * max(1.0, abs(float(np.log(pos[i]))))
        fits.append((float(np.log(pos[j - 1])), s_hi, i, j, slope, resid, top))
    s_lo = max(f[0] for f in fits)
    s_hi = min(f[1] for f in fits)
    if not s_hi - s_lo >= min_span:
        raise EmptyShellError(
            f"the per-checkpoint scaling windows do not overlap over >= {min_span:g} "
            f"in s (intersection [{s_lo:.3g}, {s_hi:.3g}]): the power-law region "
            "moves too much along training"
        )
    cands = [int(n_shells)] if n_shells is not None else list(range(int(max_shells), 2, -1))
    chosen = None
    for ns in cands:
        if shells == "width":
            edges = s_lo + (s_hi - s_lo) / ns * np.arange(ns + 1)
        else:
            s0 = np.log(specs[0][specs[0] > 0])
            s0 = np.sort(s0[(s0 >= s_lo) & (s0 < s_hi)])
            if s0.size < ns:
                continue
            q = np.quantile(s0, np.arange(1, ns) / ns)
            edges = np.concatenate([[s_lo], 0.5 * (q + q), [s_hi]])
        allc = np.array([_counts_edges(l, edges) for l in specs])
        if allc.min() >= min_count:
            chosen = (ns, edges, allc)
            break
    if chosen is None:
        c3 = np.array([_counts_edges(l, s_lo + (s_hi - s_lo) / 3 * np.arange(4)) for l in specs])
        raise EmptyShellError(
            f"no split of the scaling window [s={s_lo:.3g}, {s_hi:.3g}] into >= 3 {shells}-shells "
            f"has >= {min_count} modes in every shell at every checkpoint (3 shells: minimum "
            f"counts {c3.min(axis=0).tolist()}); use more samples (modes) or a lower --min-count"
        )
    ns, edges, allc = chosen
    _check_populated(allc.min(axis=0), min_count, s_lo, s_hi)
    h = (s_hi - s_lo) / ns
    f0 = fits[0]
    kind = "equal-width" if shells == "width" else "equal-count"
    rule = (
        f"power law refitted at each of the {len(specs)} checkpoint(s), window = intersection "
        f"of the per-checkpoint ranges in s; top {f0[6]} rank(s) excluded; {ns} {kind} shells "
        f"with >= {min_count} modes each at every checkpoint"
    )
    return ScalingWindow(
        float(s_lo),
        float(s_hi),
        ShellGrid(h, s0=s_lo),
        int(ns),
        allc[0],
        int(min_count),
        (f0[2] + 1, f0[3]),
        float(f0[4]),
        float(f0[5]),
        edges=np.asarray(edges, dtype=float),
        shells=shells,
        exclude_top=f0[6],
        counts_min=allc.min(axis=0),
        per_checkpoint=tuple((f[0], f[1]) for f in fits),
        rule=rule,
    )


def refit_windows(
    eigenvalues: ArrayLike | Sequence[ArrayLike],
    n_shells: int | None = None,
    min_count: int = DEFAULT_MIN_COUNT,
    max_shells: int = 8,
    **kwargs: Any,
) -> list[ScalingWindow]:
    """One window **per spectrum** (refitted at every checkpoint), all with the same number of
    equal-width shells: the largest in ``3..max_shells`` (or ``n_shells``) for which every
    spectrum's window has ``min_count`` modes per shell.  Couplings on these windows are compared
    in window-relative shell indices (the fallback when the per-checkpoint windows do not
    intersect: a spectrum that moves along training).

    Parameters
    ----------
    eigenvalues : array (T, n) or list of arrays
    n_shells, min_count, max_shells
        As in :func:`choose_scaling_window`.
    **kwargs
        Further options of :func:`choose_scaling_window`.

    Returns
    -------
    list of ScalingWindow

    Raises
    ------
    EmptyShellError
        A spectrum without a window of 3 such shells.

    Examples
    --------
    >>> lam = np.arange(1, 513.0) ** -1.0
    >>> [w.n_shells for w in refit_windows([lam, 2 * lam], min_count=8)]
    [7, 7]
    """
    specs = _spectra(eigenvalues)
    cands = [int(n_shells)] if n_shells is not None else list(range(int(max_shells), 2, -1))
    last: Exception | None = None
    for ns in cands:
        try:
            ws = [choose_scaling_window(l, n_shells=ns, min_count=min_count, **kwargs) for l in specs]
        except EmptyShellError as exc:
            last = exc
            continue
        if all(int(w.counts.min()) >= min_count for w in ws):
            out = []
            for w in ws:
                object.__setattr__(
                    w,
                    "rule",
                    w.rule.replace(
                        "at each of the 1 checkpoint(s), window = intersection of the per-checkpoint ranges in s",
                        "at this checkpoint (window refitted per "
                        "checkpoint, shells compared by their index in "
                        "the window)",
                    ),
                )
                out.append(w)
            return out
    raise EmptyShellError(
        f"no common number of shells (>= 3, >= {min_count} modes each) fits every refitted window: {last}"
    )
