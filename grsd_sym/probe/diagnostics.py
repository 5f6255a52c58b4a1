"""The four sufficient conditions of docs/theory/conditions.md, measured on a training trajectory.

The work is split in two stages:

* :func:`spectral_path` -- one eigendecomposition per checkpoint, and everything the diagnostics
  need in the eigenbasis: eigenvalues, amplitudes :math:`a = U^Te`, the projected kernel velocity
  :math:`B = U^T\\dot M U` (computed as ``U.T @ (Mdot @ U)``; its diagonal is the eigenvalue drift
  :math:`\\dot\\lambda_k = u_k^T\\dot Mu_k`, GRSD-T2), :math:`\\|\\dot M\\|_2`, the squared overlaps
  :math:`(U_t^TU_{t-1})^2` between consecutive checkpoints and the kernel movement.  Cost: one
  ``eigh`` and three ``n x n`` products per checkpoint.
* :func:`diagnose_path` -- shells of a :class:`~grsd_sym.probe.window.ScalingWindow` (one common
  grid for the whole trajectory) and the four conditions:

  1. **Gradient propagation** :func:`gradient_propagation` of the back-propagated norms
     :math:`g_l = \\|\\partial f/\\partial h_l\\|`, at every checkpoint when the trajectory carries
     them (``meta["grad_norms_t"]``).
  2. **Functional incoherence at t = 0** :math:`\\rho_0 = \\sum_{\\alpha\\ne\\beta}|T_{\\alpha\\beta}(0)|
     /\\sum_\\alpha D_\\alpha(0)` over the window shells.
  3. **Jacobian evolution**: kernel movement :math:`\\|M(t)-M(0)\\|_F/\\|M(0)\\|_F` and the adiabatic
     ratio :math:`\\|\\dot M\\|_2/g_k^2` with :math:`g_k` the gap from :math:`\\lambda_k` to the nearest
     eigenvalue **in another shell** (gaps inside a shell do not enter the shell dynamics,
     GRSD-T5).
  4. **Log-shift invariance**: per checkpoint the projector-form transfer (GRSD-T5)
     :math:`T_{\\alpha\\beta} = \\sum_{k\\in S_\\alpha, j\\in S_\\beta} a_k a_j B_{kj}/(\\lambda_k-\\lambda_j)`,
     raw rates :math:`C = T/\\sqrt{E_\\alpha E_\\beta}`, renormalized :math:`K = C/\\sqrt{\\lambda_\\alpha
     \\lambda_\\beta}` (section 5); Toeplitz deviations of ``C``, ``K`` and of ``K`` rescaled by the
     power :math:`\\lambda^{-q}` the data prefer (:func:`~grsd_sym.probe.condition4.covariant_toeplitz`);
     overlap couplings ``W`` judged on their off-diagonal part; the test of
     :func:`~grsd_sym.probe.condition4.condition4_test` over checkpoints (replicates that are
     *not* independent: the experiment repeats it over seeds); and the velocity
     :math:`v = \\lambda V = c(t)\\lambda^b` of the measured boundary flux
     :math:`F` (all modes, GRSD-T6), :math:`V = F/\\varepsilon`, fitted on **all** entries with a
     robust (soft-L1) loss, with a bootstrap-over-checkpoints standard error.

A checkpoint where two eigenvalues on either side of a shell boundary are degenerate (the transfer
rate is singular there) is **skipped with its reason recorded**, never fatal.  A trajectory whose
kernel does not move (lazy / NTK) is reported as ``transport: "no transport detected"``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, cast

import numpy as np
from numpy.typing import ArrayLike

from grsd_sym.errors import EmptyShellError, GRSDError, InputError
from grsd_sym.numeric.couplings import toeplitz_deviation
from grsd_sym.numeric.spectra import eigh_psd
from grsd_sym.probe.adapter import Trajectory, trajectory_from_arrays
from grsd_sym.probe.condition4 import (
    condition4_test,
    covariant_toeplitz,
    offdiagonal_toeplitz,
    toeplitz_null_baseline,
)
from grsd_sym.probe.window import (
    DEFAULT_MIN_COUNT,
    ScalingWindow,
    choose_scaling_window,
)

__all__ = [
    "LAZY_MOVEMENT",
    "SpectralCheckpoint",
    "SpectralPath",
    "covariant_toeplitz",
    "diagnose",
    "diagnose_path",
    "FluxFit",
    "VelocityExponents",
    "fit_flux_velocity",
    "gradient_propagation",
    "shell_checkpoint",
    "spectral_path",
    "toeplitz_null_baseline",
]

#: search range |b| <= B_MAX of the flux-velocity exponent (a fit at the bound is reported as None)
B_MAX = 6.0

#: kernel movement below which a trajectory counts as lazy ("no transport detected")
LAZY_MOVEMENT = 1e-6


# ----------------------------------------------------------------------------- condition 1
def gradient_propagation(grad_norms: ArrayLike) -> dict:
    """Spread :math:`\\max_l g_l / \\min_l g_l` and least-squares slope of :math:`\\log g_l` vs ``l``.

    Parameters
    ----------
    grad_norms : array_like
        :math:`g_l = \\|\\partial f/\\partial h_l\\|`, ``l = 0..L`` (condition 1).

    Returns
    -------
    dict
        ``spread``, ``log_slope_per_layer``, ``norms``.

    Raises
    ------
    InputError
        Fewer than 2 norms, or a norm that is not finite and positive.

    Examples
    --------
    >>> gradient_propagation([1.0, 2.0, 4.0])["spread"]
    4.0
    """
    g = np.asarray(grad_norms, dtype=float)
    if g.ndim != 1 or g.size < 2:
        raise InputError(f"grad_norms must be a 1-d array of >= 2 layer norms, got shape {g.shape}")
    if not np.all(np.isfinite(g)) or np.any(g <= 0):
        raise InputError("grad_norms must be finite and positive")
    slope = float(np.polyfit(np.arange(g.size), np.log(g), 1)[0])
    return {"spread": float(g.max() / g.min()), "log_slope_per_layer": slope, "norms": g.tolist()}


# ----------------------------------------------------------------------------- stage 1
@dataclass
class SpectralCheckpoint:
    """One checkpoint in its eigenbasis (see the module docstring).

    Attributes
    ----------
    t : float
    lam : numpy.ndarray
        Eigenvalues of ``M``, ascending.
    a : numpy.ndarray
        Amplitudes :math:`U^T e`.
    B : numpy.ndarray
        :math:`U^T \\dot M U`.
    mdot_norm, movement : float
        :math:`\\|\\dot M\\|_2` and :math:`\\|M(t)-M(0)\\|_F/\\|M(0)\\|_F`.
    overlap2_prev : numpy.ndarray or None
        :math:`(U_t^T U_{t-1})^2`.

    Examples
    --------
    >>> cp = SpectralCheckpoint(0.0, np.array([1.0, 2.0]), np.ones(2), np.eye(2), 1.0, 0.0)
    >>> cp.overlap2_prev is None
    True
    """

    t: float
    lam: np.ndarray
    a: np.ndarray
    B: np.ndarray
    mdot_norm: float
    movement: float
    overlap2_prev: np.ndarray | None = None


@dataclass
class SpectralPath:
    """The checkpoints of one trajectory in their eigenbases, plus what the trajectory carried.

    Attributes
    ----------
    checkpoints : list of SpectralCheckpoint
    Mdot_source : str
    loss : numpy.ndarray
    meta : dict
    grad_norms : numpy.ndarray or None

    Examples
    --------
    >>> cp = SpectralCheckpoint(0.0, np.array([1.0, 2.0]), np.ones(2), np.eye(2), 1.0, 0.0)
    >>> SpectralPath([cp], "exact", np.ones(1)).spectra
    [array([1., 2.])]
    """

    checkpoints: list
    Mdot_source: str
    loss: np.ndarray
    meta: dict = field(default_factory=dict)
    grad_norms: np.ndarray | None = None

    @property
    def spectra(self) -> list:
        """The eigenvalues of every checkpoint."""
        return [c.lam for c in self.checkpoints]


def _spectral_norm(B: np.ndarray) -> float:
    if not np.any(B):
        return 0.0
    if B.shape[0] <= 64:
        return float(np.max(np.abs(np.linalg.eigvalsh(B)))) if B.size else 0.0
    from scipy.sparse.linalg import ArpackError, eigsh

    try:
        v = eigsh(B, k=1, which="LM", tol=1e-4, return_eigenvectors=False, v0=np.ones(B.shape[0]))
    except ArpackError:  # no convergence: the dense route
        return float(np.max(np.abs(np.linalg.eigvalsh(B))))
    return float(np.abs(v[0]))


def _example_trajectory(n: int = 200) -> Trajectory:
    """The examples' trajectory: :math:`M(t) = Q\\,\\mathrm{diag}((1 + t/10)\\,k^{-1})\\,Q^T`, ``t = 0, 1, 2``."""
    rng = np.random.default_rng(0)
    lam = np.arange(1, n + 1.0) ** -1.0
    Q = np.linalg.qr(rng.normal(size=(n, n)))[0]
    M = np.stack([(Q * (lam * (1 + 0.1 * t))) @ Q.T for t in range(3)])
    return trajectory_from_arrays(t=[0.0, 1.0, 2.0], e=rng.normal(size=(3, n)), M=M)


def spectral_path(traj: Trajectory) -> SpectralPath:
    """Stage 1 of :func:`diagnose`: eigendecompose every checkpoint (module docstring).

    Parameters
    ----------
    traj : Trajectory

    Returns
    -------
    SpectralPath

    Raises
    ------
    EmptyShellError
        ``M(0)`` is zero.

    Examples
    --------
    >>> traj = _example_trajectory()    # 200 modes, k^-1 spectrum growing by 10% per unit time
    >>> round(spectral_path(traj).checkpoints[1].movement, 6)
    0.1
    """
    cps = []
    M0 = traj.M[0]
    M0n = float(np.linalg.norm(M0))
    if not M0n > 0:
        raise EmptyShellError("M(0) is zero: no spectrum to measure")
    U_prev = None
    for i in range(traj.n_checkpoints):
        lam, U = eigh_psd(traj.M[i], sym_rtol=1e-8)
        B = U.T @ (traj.Mdot[i] @ U)
        B = 0.5 * (B + B.T)
        ov = None
        if U_prev is not None:
            ov = U.T @ U_prev
            np.square(ov, out=ov)
        cps.append(
            SpectralCheckpoint(
                float(traj.t[i]),
                lam,
                U.T @ traj.e[i],
                B,
                _spectral_norm(B),
                float(np.linalg.norm(traj.M[i] - M0)) / M0n,
                ov,
            )
        )
        U_prev = U
    return SpectralPath(cps, traj.Mdot_source, traj.loss, dict(traj.meta), traj.grad_norms)


# ----------------------------------------------------------------------------- stage 2
class _Skip(GRSDError):
    """A checkpoint that cannot be measured (reason in the message)."""


def _onehot(bins: np.ndarray, m: int, w=None) -> np.ndarray:
    S = np.zeros((bins.size, m))
    ok = bins >= 0
    S[np.nonzero(ok)[0], bins[ok]] = 1.0 if w is None else np.asarray(w)[ok]
    return S


def shell_checkpoint(
    cp: SpectralCheckpoint, window: ScalingWindow, gap_rtol: float = 1e-9, fluxes: bool = True
) -> dict:
    """Shell quantities of one checkpoint on the window's shells (GRSD-T5).

    Raises an internal ``_Skip`` (a :class:`~grsd_sym.errors.GRSDError`) when two eigenvalues on
    either side of a shell boundary are closer than ``gap_rtol * lambda_max`` (the transfer rate
    is singular there).

    Parameters
    ----------
    cp : SpectralCheckpoint
    window : ScalingWindow
    gap_rtol : float
    fluxes : bool
        Also the boundary fluxes and velocities.

    Returns
    -------
    dict
        ``E``, ``D``, ``counts`` (m,), ``T`` (m, m, projector form), ``C``, ``K`` (m, m, NaN where a
        shell is empty), boundary fluxes ``F`` and velocities ``v`` at the m - 1 interior boundaries
        (all modes), ``adiabatic`` ratios of the window modes, and the window modes' ``lam_in``,
        ``dlam``, ``bins_in``.

    Examples
    --------
    >>> traj = _example_trajectory()    # 200 modes, k^-1 spectrum growing by 10% per unit time
    >>> path = spectral_path(traj)
    >>> w = choose_scaling_window(path.spectra, min_count=8)
    >>> shell_checkpoint(path.checkpoints[1], w)["K"].shape == (w.n_shells, w.n_shells)
    True
    """
    lam, a, B = cp.lam, cp.a, cp.B
    m = window.n_shells
    edges = window.edges
    top = float(np.max(np.abs(lam))) if lam.size else 0.0
    tol = gap_rtol * top
    s_all = np.full(lam.shape, -np.inf)
    pos = lam > 0
    s_all[pos] = np.log(lam[pos])
    # number of modes below each edge (lam ascending)
    below = np.searchsorted(s_all, edges, side="left")
    for e_i, p in enumerate(below):
        if 0 < p < lam.size and lam[p] - lam[p - 1] < tol:
            raise _Skip(
                f"t = {cp.t:.6g}: eigenvalues {lam[p - 1]:.6g} and {lam[p]:.6g} straddle the "
                f"shell boundary s = {edges[e_i]:.4g} within {tol:.2e}: transfer singular"
            )
    bins = window.bins(lam)
    ins = bins >= 0
    a2 = a * a
    E = np.bincount(bins[ins], weights=0.5 * a2[ins], minlength=m)
    D = np.bincount(bins[ins], weights=(lam * a2)[ins], minlength=m)
    counts = np.bincount(bins[ins], minlength=m)
    # projector-form transfer between window shells (only inter-shell gaps are divided by)
    idx = np.nonzero(ins)[0]
    bw = bins[idx]
    gap = lam[idx][:, None] - lam[idx][None, :]
    cross = bw[:, None] != bw[None, :]
    R = np.zeros_like(gap)
    np.divide(B[np.ix_(idx, idx)], gap, out=R, where=cross & (np.abs(gap) >= tol))
    S = _onehot(bw, m, a[idx])
    T = S.T @ (R @ S)
    np.fill_diagonal(T, 0.0)
    T = 0.5 * (T - T.T)
    with np.errstate(invalid="ignore", divide="ignore"):
        den = np.sqrt(E[:, None] * E[None, :])
        C = np.where(den > 0, T / np.where(den > 0, den, 1.0), np.nan)
        lam_c = np.exp(window.centres)
        K = C / np.sqrt(lam_c[:, None] * lam_c[None, :])
    # boundary fluxes with all modes: F_b = sum_{k above, j below} a_k a_j B_kj / (lam_k - lam_j)
    inner = below[1:-1]
    F = np.zeros(inner.size)
    if inner.size and fluxes:
        gfull = lam[:, None] - lam[None, :]
        Q = np.zeros_like(gfull)
        np.divide(B, gfull, out=Q, where=np.abs(gfull) >= tol)
        Q *= a[:, None]
        Q *= a[None, :]
        # block sums Q[p:, :p] for every p via a 2-d cumulative sum
        Cs = np.cumsum(np.cumsum(Q[::-1], axis=0)[::-1], axis=1)
        F = np.array([Cs[p, p - 1] if 0 < p < lam.size else 0.0 for p in inner])
    w = window.widths
    eps_up = E[:-1] / w[:-1]  # energy density of the shell below each inner boundary
    eps_dn = E[1:] / w[1:]  # ... and above it
    eps = np.where(F >= 0, eps_up, eps_dn)  # upwind
    with np.errstate(invalid="ignore", divide="ignore"):
        V = np.where(eps > 0, F / np.where(eps > 0, eps, 1.0), np.nan)
    v = np.exp(edges[1:-1]) * V
    # adiabatic ratio: gap to the nearest eigenvalue in another shell (outside = other shells)
    lab = np.where(bins >= 0, bins, np.where(s_all < edges[0], -1, m))
    change = np.nonzero(np.diff(lab) != 0)[0]  # last index of each block but the last
    starts = np.concatenate([[0], change + 1])
    ends = np.concatenate([change, [lam.size - 1]])
    blk = np.cumsum(np.concatenate([[0], (np.diff(lab) != 0).astype(int)]))
    lo_gap = np.full(lam.size, np.inf)
    hi_gap = np.full(lam.size, np.inf)
    has_lo = blk > 0
    lo_gap[has_lo] = lam[has_lo] - lam[ends[blk[has_lo] - 1]]
    has_hi = blk < starts.size - 1
    hi_gap[has_hi] = lam[starts[blk[has_hi] + 1]] - lam[has_hi]
    g = np.minimum(lo_gap, hi_gap)[ins]
    with np.errstate(divide="ignore"):
        adiab = cp.mdot_norm / g**2
    return {
        "E": E,
        "D": D,
        "counts": counts,
        "T": T,
        "C": C,
        "K": K,
        "F": F,
        "v": v,
        "adiabatic": adiab,
        "dlam": np.diag(B)[ins],
        "lam_in": lam[ins],
        "bins_in": bw,
    }


@dataclass(frozen=True)
class FluxFit:
    """The fit :math:`v_{tb} = c_t\\,e^{b\\,s_b}` of :func:`fit_flux_velocity`, or why there is none.

    Attributes
    ----------
    b : float or None
        Velocity exponent (``None`` at the search bound :data:`B_MAX` or when not fitted).
    b_at_search_bound : bool
        The fit ran into ``|b| = B_MAX``.
    b_se : float or None
        Bootstrap (over checkpoints) standard error of ``b``.
    sigma : int or None
        Sign of the median ``c_t``.
    c_t : list of float
        Signed amplitude per checkpoint (NaN where unused).
    rms : float or None
        Root mean square of the scaled residuals.
    sign_consistency : float or None
        Fraction of entries with the majority sign (a description, not a filter).
    n_points : int
        Entries fitted.
    error : str or None
        Why there is no fit (then every other field is empty).

    Examples
    --------
    >>> FluxFit(b=None, error="no checkpoint with t > 0").to_dict()
    {'b': None, 'error': 'no checkpoint with t > 0'}
    """

    b: float | None
    b_at_search_bound: bool = False
    b_se: float | None = None
    sigma: int | None = None
    c_t: list[float] = field(default_factory=list)
    rms: float | None = None
    sign_consistency: float | None = None
    n_points: int = 0
    error: str | None = None

    #: how ``b`` is estimated (stored with the fit)
    ESTIMATOR = (
        "soft-L1 robust fit on all entries (signed c_t profiled by IRLS, b in [-6, 6]), residuals "
        "scaled by the median |v| of each checkpoint; b_se = bootstrap over checkpoints"
    )

    def to_dict(self) -> dict[str, Any]:
        """The JSON record: ``{"b", "error"}`` without a fit, else every field and ``estimator``.

        Returns
        -------
        dict
        """
        if self.error is not None:
            return {"b": None, "error": self.error}
        return {
            "b": self.b,
            "b_at_search_bound": self.b_at_search_bound,
            "b_se": self.b_se,
            "sigma": self.sigma,
            "c_t": self.c_t,
            "rms": self.rms,
            "sign_consistency": self.sign_consistency,
            "n_points": self.n_points,
            "estimator": self.ESTIMATOR,
        }


@dataclass(frozen=True)
class VelocityExponents:
    """Exponents of the measured transport velocity: the flux fit and the eigenvalue drift.

    Attributes
    ----------
    flux : FluxFit
        :math:`v = c_t e^{b s}` fitted to the boundary fluxes.
    b_drift : float or None
        Median over checkpoints of the exponent of the shell-mean eigenvalue drift.

    Examples
    --------
    >>> VelocityExponents(FluxFit(b=None, error="lazy"), b_drift=None).to_dict()["flux_fit"]
    {'b': None, 'error': 'lazy'}
    """

    flux: FluxFit
    b_drift: float | None

    def to_dict(self) -> dict[str, Any]:
        """The summary keys ``b_flux, b_flux_se, flux_sign, flux_sign_consistency, flux_fit_rms,
        flux_fit, b_drift``.

        Returns
        -------
        dict
        """
        f = self.flux
        return {
            "b_flux": f.b,
            "b_flux_se": f.b_se,
            "flux_sign": f.sigma,
            "flux_sign_consistency": f.sign_consistency,
            "flux_fit_rms": f.rms,
            "flux_fit": f.to_dict(),
            "b_drift": self.b_drift,
        }


def fit_flux_velocity(
    s_b: np.ndarray, V: np.ndarray, mask: np.ndarray | None = None, n_boot: int = 50, seed: int = 0
) -> FluxFit:
    """Fit :math:`v_{tb} = c_t\\,e^{b\\,s_b}` (``c_t`` signed, one per checkpoint; one ``b``) to
    **all** valid entries with a robust soft-L1 loss on residuals scaled per checkpoint.

    Parameters
    ----------
    s_b : numpy.ndarray
        ``(B,)`` or ``(T, B)`` boundary positions in ``s``.
    V : numpy.ndarray
        ``(T, B)`` measured velocities :math:`v = \\lambda V` (GRSD-T6).
    mask : numpy.ndarray, optional
        ``(T, B)`` invalid entries.
    n_boot, seed : int
        Bootstrap over checkpoints of the standard error.

    Returns
    -------
    FluxFit

    Raises
    ------
    EmptyShellError
        Fewer than 2 boundaries with a measured velocity at every usable checkpoint.

    Examples
    --------
    >>> s_b = np.linspace(-2.0, 1.0, 4); c = np.array([1.0, 2.0, 0.5])
    >>> fit = fit_flux_velocity(s_b, c[:, None] * np.exp(1.5 * s_b), n_boot=5)
    >>> round(fit.b, 3), fit.sigma, fit.n_points
    (1.5, 1, 12)
    """

    V = np.asarray(V, dtype=float)
    s_b = np.asarray(s_b, dtype=float)
    if s_b.ndim == 1:
        s_b = np.broadcast_to(s_b, V.shape)
    if s_b.shape != V.shape:
        raise InputError(f"s_b must have shape (B,) or {V.shape}, got {s_b.shape}")
    ok = np.isfinite(V) & (V != 0)
    if mask is not None:
        ok &= ~np.asarray(mask, dtype=bool)
    rows = [t for t in range(V.shape[0]) if ok[t].sum() >= 2]
    if not rows or ok.sum() < 3:
        raise EmptyShellError("fewer than 2 boundaries with a measured velocity: b undefined")
    sc = np.array([np.median(np.abs(V[t, ok[t]])) for t in rows])
    sbar = float(np.mean(s_b))

    def fit(rs):
        """Profile the signed c_t out by soft-L1 IRLS for each b; minimise the robust loss over b."""
        from scipy.optimize import minimize_scalar

        Vr, okr = V[rs], ok[rs]
        scr = sc[[rows.index(r) for r in rs]][:, None]
        ds = s_b[rs] - sbar
        Vz = np.where(okr, Vr, 0.0) / scr
        w_ok = okr.astype(float)

        def profile(b):
            ex = np.exp(b * ds)
            w = w_ok.copy()
            for _ in range(8):
                c = np.sum(w * ex * Vz, axis=1) / np.maximum(np.sum(w * ex * ex, axis=1), 1e-300)
                r = (Vz - c[:, None] * ex) * w_ok
                w = w_ok / np.sqrt(1.0 + r * r)
            return float(np.sum(2.0 * (np.sqrt(1.0 + r * r) - 1.0))), c, r

        sol = minimize_scalar(
            lambda b: profile(b)[0], bounds=(-B_MAX, B_MAX), method="bounded", options={"xatol": 1e-4}
        )
        _, c, r = profile(sol.x)
        return np.concatenate([c, [sol.x]]), float(np.sqrt(np.sum(r**2) / max(okr.sum(), 1)))

    x, rms = fit(rows)
    rng = np.random.default_rng(seed)
    boots = []
    if len(rows) >= 3:
        for _ in range(int(n_boot)):
            rs = sorted(rng.choice(rows, size=len(rows), replace=True).tolist())
            if len(set(rs)) < 2:
                continue
            try:
                boots.append(fit(rs)[0][-1])
            except (ValueError, FloatingPointError):
                continue
    c = np.full(V.shape[0], np.nan)
    c[rows] = x[:-1] * sc * np.exp(-x[-1] * sbar)  # v = c_t exp(b s)
    at_bound = abs(abs(x[-1]) - B_MAX) < 1e-2
    signs = np.sign(V[ok])
    sig = 1 if np.sum(signs) >= 0 else -1
    return FluxFit(
        b=None if at_bound else float(x[-1]),
        b_at_search_bound=bool(at_bound),
        b_se=float(np.std(boots, ddof=1)) if len(boots) > 2 and not at_bound else None,
        sigma=int(np.sign(np.nanmedian(c[rows])) or sig),
        c_t=c.tolist(),
        rms=rms,
        sign_consistency=float(np.mean(signs == sig)),
        n_points=int(ok.sum()),
    )


def _drift_exponent(lam, dlam, bins, m) -> float | None:
    """``b`` of the shell-mean eigenvalue drift :math:`\\langle\\dot\\lambda\\rangle_\\alpha = \\pm c
    \\lambda_\\alpha^b` (least squares on log |.| over shells of the majority sign)."""
    mean_d = np.array([np.mean(dlam[bins == k]) if np.any(bins == k) else np.nan for k in range(m)])
    mean_l = np.array([np.exp(np.mean(np.log(lam[bins == k]))) if np.any(bins == k) else np.nan for k in range(m)])
    ok = np.isfinite(mean_d) & (mean_d != 0)
    if ok.sum() < 2:
        return None
    sig = np.sign(np.sum(np.sign(mean_d[ok]))) or 1.0
    use = ok & (np.sign(mean_d) == sig)
    if use.sum() < 2:
        return None
    return float(np.polyfit(np.log(mean_l[use]), np.log(np.abs(mean_d[use])), 1)[0])


def _med(x) -> float | None:
    x = np.asarray([v for v in x if v is not None], dtype=float)
    x = x[np.isfinite(x)]
    return float(np.median(x)) if x.size else None


def _delta_or_none(A) -> float | None:
    A = np.asarray(A, dtype=float)
    try:
        return toeplitz_deviation(np.ma.MaskedArray(np.nan_to_num(A), mask=~np.isfinite(A)))
    except GRSDError:
        return None


def _nanmean_stack(mats) -> np.ndarray | None:
    if not mats:
        return None
    A = np.array(mats, dtype=float)
    cnt = np.isfinite(A).sum(axis=0)
    s = np.where(np.isfinite(A), A, 0.0).sum(axis=0)
    return np.where(cnt > 0, s / np.maximum(cnt, 1), np.nan)


def diagnose_path(
    path: SpectralPath,
    window: ScalingWindow | Sequence[ScalingWindow],
    n_null: int = 999,
    seed: int = 0,
    n_boot: int = 400,
) -> dict:
    """Stage 2 of :func:`diagnose` on a fixed window, or on one window per checkpoint (a list of
    windows with the same number of shells, see :func:`~grsd_sym.probe.window.refit_windows`).

    Parameters
    ----------
    path : SpectralPath
    window : ScalingWindow or sequence of ScalingWindow
    n_null, n_boot, seed : int
        As in :func:`diagnose`.

    Returns
    -------
    dict
        As :func:`diagnose`.

    Raises
    ------
    InputError
        Windows that do not match the checkpoints.
    EmptyShellError
        Every checkpoint skipped.

    Examples
    --------
    >>> traj = _example_trajectory()    # 200 modes, k^-1 spectrum growing by 10% per unit time
    >>> path = spectral_path(traj)
    >>> d = diagnose_path(path, choose_scaling_window(path.spectra, min_count=8), n_null=19, n_boot=10)
    >>> round(d["summary"]["kernel_movement_final"], 6)
    0.2
    """
    rng = np.random.default_rng(seed)
    cps = path.checkpoints
    # one window, or a list/tuple of them (one per checkpoint)
    wins = list(window) if isinstance(window, (list, tuple)) else [cast(ScalingWindow, window)] * len(cps)
    if len(wins) != len(cps) or len({w.n_shells for w in wins}) != 1:
        raise InputError("give one window, or one per checkpoint with a common number of shells")
    win = wins[0]
    m = win.n_shells
    shells: list[dict[str, Any] | None] = []
    skipped: list[dict[str, Any]] = []
    for i, cp in enumerate(cps):
        try:
            shells.append(shell_checkpoint(cp, wins[i]))
        except _Skip as exc:
            shells.append(None)
            skipped.append({"checkpoint": i, "t": cp.t, "reason": str(exc)})
    ok = {i: s for i, s in enumerate(shells) if s is not None}
    good = list(ok)
    if not good:
        raise EmptyShellError(
            "every checkpoint was skipped (degenerate shell boundaries): " + "; ".join(s["reason"] for s in skipped[:3])
        )
    movement = [c.movement for c in cps]
    lazy = max(movement) < LAZY_MOVEMENT
    # condition 2
    s0 = shells[0]
    rho0 = None
    if s0 is not None and np.sum(s0["D"]) > 0:
        rho0 = float(np.sum(np.abs(s0["T"])) / np.sum(s0["D"]))
    # condition 3
    adiab_med = [float(np.median(ok[i]["adiabatic"])) if ok[i]["adiabatic"].size else None for i in good]
    adiab_max = [float(np.max(ok[i]["adiabatic"])) if ok[i]["adiabatic"].size else None for i in good]
    # condition 4: couplings at t > 0 (at t = 0 the error is still its initial value)
    use = [i for i in good if i > 0] or good
    Ks = [ok[i]["K"] for i in use]
    Cs = [ok[i]["C"] for i in use]
    Kbar, Cbar = _nanmean_stack(Ks), _nanmean_stack(Cs)
    assert Kbar is not None  # ``use`` is not empty
    h_mean = float(np.mean([w.h for w in wins]))
    q_K, dK_resc = covariant_toeplitz(np.ma.MaskedArray(np.nan_to_num(Kbar), mask=~np.isfinite(Kbar)), h_mean)
    Ws = []
    for i in range(1, len(cps)):
        if cps[i].overlap2_prev is None:
            continue
        b2 = wins[i].bins(cps[i].lam)
        b1 = wins[i - 1].bins(cps[i - 1].lam)
        S2, S1 = _onehot(b2, m), _onehot(b1, m)
        cnt1 = S1.sum(axis=0)
        with np.errstate(invalid="ignore", divide="ignore"):
            Ws.append((S2.T @ cps[i].overlap2_prev @ S1) / np.where(cnt1 > 0, cnt1, np.nan))
    Wbar = _nanmean_stack(Ws)
    if lazy:
        c4 = {
            "verdict": "inconclusive",
            "reason": "no transport detected (kernel movement "
            f"{max(movement):.2e} < {LAZY_MOVEMENT:g}: lazy trajectory)",
            "p_value": None,
            "split_half": {"r": None},
            "p_invariance": None,
        }
    else:
        c4 = condition4_test(
            np.array(Ks),
            h_mean,
            n_perm=n_null,
            n_boot=n_boot,
            seed=seed,
            replicate_kind="checkpoints (not independent)",
        )
    woff = offdiagonal_toeplitz(Wbar, rng, n=n_null) if Wbar is not None else {}
    # velocity of the measured flux
    vuse = [i for i in use if i > 0]
    s_b = np.array([wins[i].edges[1:-1] for i in vuse]) if vuse else win.edges[1:-1]
    vrows = [ok[i]["v"] for i in vuse]
    flux_fit = FluxFit(b=None, error="no checkpoint with t > 0")
    if vrows and m >= 3 and not lazy:
        try:
            flux_fit = fit_flux_velocity(s_b, np.array(vrows))
        except (EmptyShellError, ValueError) as exc:
            flux_fit = FluxFit(b=None, error=str(exc))
    b_drift = [_drift_exponent(ok[i]["lam_in"], ok[i]["dlam"], ok[i]["bins_in"], m) for i in use if i > 0]
    # gradient-flow regime: exact lr * lambda_max(t) at the checkpoints
    lr_t = path.meta.get("lr_t")
    lam_max_t = [float(c.lam[-1]) for c in cps]
    lr_lam = (
        [float(l * x) for l, x in zip(lr_t, lam_max_t, strict=True)]
        if lr_t is not None and len(lr_t) == len(cps)
        else None
    )
    gn_t = path.meta.get("grad_norms_t")
    grad = None
    if gn_t is not None:
        per = [gradient_propagation(g) for g in gn_t]
        grad = {"spread_t": [p["spread"] for p in per], "log_slope_t": [p["log_slope_per_layer"] for p in per]}
    elif path.grad_norms is not None:
        p = gradient_propagation(path.grad_norms)
        grad = {"spread_t": [p["spread"]], "log_slope_t": [p["log_slope_per_layer"]]}
    summary = {
        "window": (
            win.as_dict()
            if len({id(w) for w in wins}) == 1
            else {
                "rule": "refitted per checkpoint (no common window over the trajectory); shells "
                "compared by their index in the window",
                "n_shells": m,
                "per_checkpoint": [w.as_dict() for w in wins],
            }
        ),
        "transport": "no transport detected" if lazy else "transport",
        "skipped_checkpoints": skipped,
        "grad_spread": grad["spread_t"][0] if grad else None,
        "grad_spread_max": max(grad["spread_t"]) if grad else None,
        "grad_spread_t": grad["spread_t"] if grad else None,
        "grad_log_slope": grad["log_slope_t"][0] if grad else None,
        "rho0": rho0,
        "kernel_movement_t": movement,
        "kernel_movement_final": movement[-1],
        "kernel_movement_max": max(movement),
        "adiabatic_ratio_median": _med(adiab_med),
        "adiabatic_ratio_max": (
            max(x for x in adiab_max if x is not None) if any(x is not None for x in adiab_max) else None
        ),
        "adiabatic_gap": "to the nearest eigenvalue in another shell",
        "delta_C": _delta_or_none(Cbar),
        "delta_K": _delta_or_none(Kbar),
        "delta_K_t_median": _med([_delta_or_none(k) for k in Ks]),
        "K_scaling_q": q_K if np.isfinite(q_K) else None,
        "delta_K_rescaled": dK_resc if np.isfinite(dK_resc) else None,
        "delta_K_null": c4.get("delta_null_mean"),
        "condition4": c4,
        "delta_W_offdiag": woff.get("delta_W_offdiag"),
        "delta_W_offdiag_null": woff.get("delta_W_offdiag_null"),
        "p_value_W_offdiag": woff.get("p_value_W_offdiag"),
        **VelocityExponents(flux_fit, _med(b_drift)).to_dict(),
        "lr_t": lr_t,
        "lambda_max_t": lam_max_t,
        "lr_lambda_max_t": lr_lam,
        "lr_lambda_max_max": max(lr_lam) if lr_lam else None,
        "regime": path.meta.get("regime"),
        "loss_initial": float(path.loss[0]),
        "loss_final": float(path.loss[-1]),
        "Mdot_source": path.Mdot_source,
    }
    arrays = {
        "t": np.array([c.t for c in cps]),
        "eigenvalues": [c.lam for c in cps],
        "shell_energies": np.array([s["E"] if s is not None else np.full(m, np.nan) for s in shells]),
        "K_t": Ks,
        "C_t": Cs,
        "W_t": Ws,
        "K_mean": Kbar,
        "C_mean": Cbar,
        "W_mean": Wbar,
        "kernel_movement": movement,
        "v_t": vrows,
        "s_b": s_b,
    }
    return {"summary": summary, "arrays": arrays, "window": win}


def diagnose(
    traj: Trajectory,
    window: ScalingWindow | None = None,
    n_shells: int | None = None,
    min_count: int = DEFAULT_MIN_COUNT,
    n_null: int = 999,
    shells: str = "width",
    exclude_top: int | None = None,
    seed: int = 0,
    n_boot: int = 400,
) -> dict:
    """All four diagnostics of one trajectory.

    The window is refitted at every checkpoint and intersected (see
    :func:`~grsd_sym.probe.window.choose_scaling_window`) unless given.

    Parameters
    ----------
    traj : Trajectory
    window : ScalingWindow, optional
    n_shells, min_count, shells, exclude_top
        Window choice (:func:`~grsd_sym.probe.window.choose_scaling_window`).
    n_null, n_boot : int
        Permutations and bootstrap draws of the condition-4 tests.
    seed : int

    Returns
    -------
    dict
        ``{"summary": JSON-ready dict, "arrays": arrays for plots, "window": ScalingWindow}``.

    Raises
    ------
    EmptyShellError
        No scaling window with three shells of ``min_count`` modes, or every checkpoint skipped.

    Examples
    --------
    >>> traj = _example_trajectory()    # 200 modes, k^-1 spectrum growing by 10% per unit time
    >>> d = diagnose(traj, min_count=8, n_null=19, n_boot=10)
    >>> d["window"].n_shells, d["summary"]["transport"], round(d["summary"]["kernel_movement_final"], 6)
    (4, 'transport', 0.2)

    References
    ----------
    docs/theory/conditions.md (the four conditions); GRSD-T2, GRSD-T5, GRSD-T6.
    """
    path = spectral_path(traj)
    if window is None:
        window = choose_scaling_window(
            path.spectra, n_shells=n_shells, min_count=min_count, shells=shells, exclude_top=exclude_top
        )
    return diagnose_path(path, window, n_null=n_null, seed=seed, n_boot=n_boot)
