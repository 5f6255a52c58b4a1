"""The four sufficient conditions of docs/theory/conditions.md, measured on a training trajectory.

1. **Bounded gradient propagation** :func:`gradient_propagation`: the back-propagated norms
   :math:`g_l = \\|\\partial f/\\partial h_l\\|` give the spread :math:`\\max_l g_l/\\min_l g_l` and
   the per-layer log-slope of :math:`\\log g_l` vs ``l`` (the growth *with depth* is fitted across
   networks by the experiment).
2. **Weak functional incoherence at initialisation** :func:`functional_incoherence`:

   .. math:: \\rho_0 = \\frac{\\sum_{\\alpha\\ne\\beta}|T_{\\alpha\\beta}(0)|}{\\sum_\\alpha D_\\alpha(0)}

   with the transfer :math:`T` (GRSD-T4/T5, projector form) from the exact :math:`\\dot M(0)`.
3. **Controlled Jacobian evolution** :func:`jacobian_evolution`: kernel movement
   :math:`\\|M(t)-M(0)\\|_F/\\|M(0)\\|_F` and the adiabatic ratio
   :math:`\\max_k \\|\\dot M\\|_2/g_k^2`, :math:`g_k = \\min_{j\\ne k}|\\lambda_k-\\lambda_j|`, over modes
   in the scaling window (dimensionless since :math:`M` is a rate).
4. **Log-shift invariance** :func:`log_shift_invariance`: Toeplitz deviation
   :math:`\\delta` of the renormalized energy-transfer couplings :math:`K` and of the overlap
   couplings :math:`W` (section 5) inside the scaling window, each with a permutation null
   baseline; the velocity exponent ``b`` and :math:`c(t)` fitted to the measured flux velocity
   :math:`v = \\lambda V`, :math:`V = F/\\varepsilon` (section 4): :math:`v = \\sigma c(t)\\lambda^b`,
   once with ``F`` the transfer flux alone (``b_flux``) and once adding the drift flux of
   eigenvalues crossing the boundaries (``b_flux_total``, GRSD-T6), plus ``b_drift`` from the
   eigenvalue drift :math:`\\dot\\lambda_k = u_k^T\\dot M u_k` per shell (GRSD-T2).

Shell measurements come from :mod:`grsd_sym.numeric.shells` (energies, dissipation, projector
transfer, fluxes, :math:`V`, drift fit) and :mod:`grsd_sym.numeric.couplings` (``C``, ``K``,
``W``, masked Toeplitz deviation); the permutation null baseline is local
(:func:`toeplitz_null_baseline`).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from grsd_sym.errors import EmptyShellError, GRSDError, InputError
from grsd_sym.numeric.shells import (ShellGrid, ShellMeasurement, assign_shells, drift_flux,
                                     fit_velocity_exponent, measured_velocity,
                                     projected_derivative, projector_transfer, shell_dissipation,
                                     shell_energies)
from grsd_sym.numeric.spectra import eigh_psd
from grsd_sym.probe.adapter import Trajectory
from grsd_sym.probe.window import ScalingWindow, choose_scaling_window
from grsd_sym.numeric.couplings import (energy_couplings, overlap_couplings,
                                        renormalized_couplings, toeplitz_deviation)

__all__ = ["gradient_propagation", "functional_incoherence", "jacobian_evolution",
           "log_shift_invariance", "fit_flux_velocity", "toeplitz_null_baseline", "covariant_toeplitz", "diagnose", "CheckpointShells",
           "measure_trajectory"]


# ----------------------------------------------------------------------------- condition 1
def gradient_propagation(grad_norms) -> dict:
    """Spread :math:`\\max_l g_l / \\min_l g_l` and least-squares slope of :math:`\\log g_l` vs ``l``."""
    g = np.asarray(grad_norms, dtype=float)
    if g.ndim != 1 or g.size < 2:
        raise InputError(f"grad_norms must be a 1-d array of >= 2 layer norms, got shape {g.shape}")
    if not np.all(np.isfinite(g)) or np.any(g <= 0):
        raise InputError("grad_norms must be finite and positive")
    slope = float(np.polyfit(np.arange(g.size), np.log(g), 1)[0])
    return {"spread": float(g.max() / g.min()), "log_slope_per_layer": slope,
            "norms": g.tolist()}


# ----------------------------------------------------------------------------- per-checkpoint shells
@dataclass
class CheckpointShells:
    """Eigenpairs and shell measurement of every checkpoint on one common grid."""

    lam: list
    U: list
    measurements: list
    alpha_range: tuple[int, int]
    null_tol: float


def measure_trajectory(traj: Trajectory, grid: ShellGrid, null_rel: float = 1e-10) -> CheckpointShells:
    """Eigendecompose every ``M(t_i)`` and measure its shells (projector-form transfer from the
    trajectory's ``Mdot``) with one ``alpha_range`` covering every checkpoint."""
    lams, Us = [], []
    for M in traj.M:
        lam, U = eigh_psd(M, sym_rtol=1e-8)
        lams.append(lam)
        Us.append(U)
    top = max(float(l[-1]) for l in lams)
    null_tol = null_rel * top
    pos = np.concatenate([l[l > null_tol] for l in lams])
    if pos.size == 0:
        raise EmptyShellError("every kernel M(t) is zero: no shells")
    a_lo = int(np.floor((np.log(pos.min()) - grid.s0) / grid.h))
    a_hi = int(np.floor((np.log(pos.max()) - grid.s0) / grid.h))
    meas = []
    for i in range(traj.n_checkpoints):
        # measure_shells' own steps, reusing the eigendecomposition above (one eigh per checkpoint)
        lam, U, e = lams[i], Us[i], traj.e[i]
        a = U.T @ e
        asg = assign_shells(lam, grid, null_tol=null_tol, psd_tol=1e-8 * top,
                            alpha_range=(a_lo, a_hi))
        E = shell_energies(lam, a, asg)
        D = shell_dissipation(lam, a, asg)
        T = projector_transfer(lam, projected_derivative(U, traj.Mdot[i]), a, asg)
        s_b, V = measured_velocity(T, E)
        meas.append(ShellMeasurement(lam, a, asg, E, D, T, T.fluxes(), s_b, V))
    return CheckpointShells(lams, Us, meas, (a_lo, a_hi), null_tol)


def _window_index(window: ScalingWindow, alpha_range) -> np.ndarray:
    """Positions of the window shells 0..n-1 in the extended layout (index 0 = null shell)."""
    a_lo = alpha_range[0]
    idx = window.alphas - a_lo + 1
    return idx


# ----------------------------------------------------------------------------- condition 2
def functional_incoherence(meas0) -> float:
    """:math:`\\rho_0` over all proper shells at ``t = 0`` (null shell excluded from both sums)."""
    if meas0.transfer is None:
        raise InputError("rho0 needs the transfer at t = 0 (give Mdot)")
    T = meas0.transfer.inter
    D = float(np.sum(meas0.dissipation.values))
    if not D > 0:
        raise EmptyShellError("no dissipation at t = 0 (zero error or zero kernel): rho0 undefined")
    return float(np.sum(np.abs(T)) / D)


# ----------------------------------------------------------------------------- condition 3
def jacobian_evolution(traj: Trajectory, shells: CheckpointShells, window: ScalingWindow) -> dict:
    """Kernel movement and adiabatic ratio at every checkpoint (see module docstring)."""
    M0n = float(np.linalg.norm(traj.M[0]))
    move = [float(np.linalg.norm(M - traj.M[0]) / M0n) for M in traj.M]
    ratios_max, ratios_med = [], []
    for i in range(traj.n_checkpoints):
        lam = shells.lam[i]
        Md = traj.Mdot[i]
        nrm = float(np.max(np.abs(np.linalg.eigvalsh(Md))))
        inw = window.contains(lam)
        if not inw.any():
            ratios_max.append(float("nan"))
            ratios_med.append(float("nan"))
            continue
        gaps = np.abs(lam[:, None] - lam[None, :])
        np.fill_diagonal(gaps, np.inf)
        g = gaps.min(axis=1)[inw]
        with np.errstate(divide="ignore"):
            r = nrm / g ** 2
        ratios_max.append(float(np.max(r)))
        ratios_med.append(float(np.median(r)))
    rm = np.array(ratios_max)
    ok = np.isfinite(rm)
    return {"kernel_movement": move, "kernel_movement_final": move[-1],
            "kernel_movement_max": float(max(move)),
            "adiabatic_ratio_max_k": ratios_max, "adiabatic_ratio_median_k": ratios_med,
            "adiabatic_ratio_max": float(rm[ok].max()) if ok.any() else float("nan"),
            "adiabatic_ratio_median": float(np.median(np.array(ratios_med)[ok])) if ok.any()
            else float("nan")}


# ----------------------------------------------------------------------------- condition 4
def fit_flux_velocity(s_b: np.ndarray, V: np.ndarray, mask: np.ndarray) -> dict:
    """Fit :math:`v = \\lambda V = \\sigma c(t)\\lambda^b` jointly over checkpoints.

    ``s_b`` (B,) boundary positions, ``V`` (T, B) measured velocities, ``mask`` (T, B) invalid
    entries.  The sign :math:`\\sigma` is the majority sign; only entries of that sign enter the
    least squares :math:`\\log|v_{tb}| = \\log c_t + b\\,s_b` (one ``c`` per checkpoint, one ``b``).
    ``sign_consistency`` is the fraction of valid entries with sign :math:`\\sigma`.
    """
    V = np.asarray(V, dtype=float)
    ok = ~np.asarray(mask) & np.isfinite(V) & (V != 0)
    if ok.sum() < 2:
        raise EmptyShellError("fewer than 2 boundaries with a measured velocity: b undefined")
    sig = 1 if np.sum(np.sign(V[ok])) >= 0 else -1
    use = ok & (np.sign(V) == sig)
    rows = [t for t in range(V.shape[0]) if use[t].sum() >= 2]
    if not rows:
        raise EmptyShellError("no checkpoint has 2 boundaries with a same-sign velocity: b undefined")
    X, y = [], []
    for r_i, t in enumerate(rows):
        for b in np.nonzero(use[t])[0]:
            x = np.zeros(len(rows) + 1)
            x[r_i] = 1.0
            x[-1] = s_b[b]
            X.append(x)
            y.append(np.log(np.abs(V[t, b])) + s_b[b])   # log |v| = log|V| + s
    X, y = np.array(X), np.array(y)
    coef, *_ = np.linalg.lstsq(X, y, rcond=None)
    rms = float(np.sqrt(np.mean((X @ coef - y) ** 2)))
    c = np.full(V.shape[0], np.nan)
    c[rows] = np.exp(coef[:-1])
    return {"b": float(coef[-1]), "sigma": int(sig), "c_t": c.tolist(), "rms": rms,
            "sign_consistency": float(use.sum() / ok.sum()), "n_points": int(len(y))}


def toeplitz_null_baseline(K, rng: np.random.Generator, n: int = 200,
                           antisymmetric: bool = False, window=None, alphas=None) -> float:
    """Mean Toeplitz deviation of ``K`` with its defined off-diagonal entries randomly permuted.

    The null hypothesis "no shift structure": the same numbers placed without regard to
    :math:`\\alpha - \\beta`.  The main diagonal is kept.  ``antisymmetric=True`` permutes the
    strict upper triangle and sets the lower one to minus its transpose (as for ``K``, since
    :math:`T_{\\alpha\\beta} = -T_{\\beta\\alpha}`).  ``window``/``alphas`` as in
    :func:`~grsd_sym.numeric.couplings.toeplitz_deviation`.  ``nan`` when undefined.
    """
    M = np.ma.asarray(K.matrix if hasattr(K, "matrix") else K, dtype=float)
    if window is not None:
        al = np.arange(M.shape[0]) if alphas is None else np.asarray(alphas)
        sel = (al >= window[0]) & (al <= window[1])
        M = M[np.ix_(sel, sel)]
    mask = np.ma.getmaskarray(M) | ~np.isfinite(np.ma.getdata(M))
    data = np.where(mask, 0.0, np.ma.getdata(M))
    m = data.shape[0]
    iu = np.triu_indices(m, 1)
    if antisymmetric:
        sel = ~mask[iu]
        pos = (iu[0][sel], iu[1][sel])
    else:
        off = ~np.eye(m, dtype=bool) & ~mask
        pos = np.nonzero(off)
    vals = data[pos]
    if vals.size < 2:
        return float("nan")
    P = np.broadcast_to(data, (n,) + data.shape).copy()
    perm = np.argsort(rng.random((n, vals.size)), axis=1)
    P[:, pos[0], pos[1]] = vals[perm]
    if antisymmetric:
        P[:, pos[1], pos[0]] = -vals[perm]
    d = _batched_toeplitz_deviation(P, mask)
    d = d[np.isfinite(d)]
    return float(d.mean()) if d.size else float("nan")


def _batched_toeplitz_deviation(P: np.ndarray, mask: np.ndarray) -> np.ndarray:
    """:math:`\\delta` of a batch of matrices ``P`` (B, m, m) sharing one mask (vectorised).

    Same definition as :func:`grsd_sym.numeric.couplings.toeplitz_deviation` (means over the
    defined entries of each diagonal); ``nan`` where :math:`\\|P\\|_F = 0`.
    """
    B, m, _ = P.shape
    i, j = np.indices((m, m))
    good = ~mask.ravel()
    off = (i - j).ravel()[good] + m - 1
    O = np.zeros((off.size, 2 * m - 1))
    O[np.arange(off.size), off] = 1.0
    X = P.reshape(B, m * m)[:, good]
    cnt = O.sum(axis=0)
    mean = (X @ O) / np.maximum(cnt, 1.0)
    diff = X - mean[:, off]
    num = np.sqrt(np.sum(diff ** 2, axis=1))
    den = np.sqrt(np.sum(X ** 2, axis=1))
    out = np.full(B, np.nan)
    np.divide(num, den, out=out, where=den > 0)
    return out


def covariant_toeplitz(K, h: float, min_entries: int = 3) -> tuple[float, float]:
    """Log-shift invariance up to a power-law rescaling: fit ``q`` and measure the rest.

    [defined] If the couplings scale with the shell position as
    :math:`K_{\\alpha\\beta} = e^{q\\,h(\\alpha+\\beta)/2}\\,\\kappa_{\\alpha-\\beta}` (the
    renormalization :math:`1/\\sqrt{\\lambda_\\alpha\\lambda_\\beta}` of section 5 is then off by
    :math:`\\lambda^{q}`), the rescaled matrix :math:`K e^{-q h(\\alpha+\\beta)/2}` is Toeplitz.
    ``q`` is the least-squares slope of :math:`\\log|K_{\\alpha\\beta}|` against
    :math:`h(\\alpha+\\beta)/2` with one intercept per diagonal (strict upper triangle, defined
    non-zero entries); returns ``(q, delta of the rescaled K)``, ``(nan, nan)`` when fewer than
    ``min_entries`` entries or no diagonal with two entries.
    """
    A = np.ma.asarray(K, dtype=float)
    mask = np.ma.getmaskarray(A) | ~np.isfinite(np.ma.getdata(A))
    data = np.where(mask, 0.0, np.ma.getdata(A))
    m = data.shape[0]
    a, b = np.triu_indices(m, 1)
    ok = ~mask[a, b] & (data[a, b] != 0)
    a, b = a[ok], b[ok]
    if a.size < min_entries:
        return float("nan"), float("nan")
    diag = b - a
    ud = np.unique(diag)
    if a.size <= ud.size:  # every diagonal has a single entry: the slope is not identified
        return float("nan"), float("nan")
    X = np.zeros((a.size, ud.size + 1))
    X[np.arange(a.size), np.searchsorted(ud, diag)] = 1.0
    X[:, -1] = 0.5 * h * (a + b)
    y = np.log(np.abs(data[a, b]))
    coef, *_ = np.linalg.lstsq(X, y, rcond=None)
    q = float(coef[-1])
    i, j = np.indices((m, m))
    R = data * np.exp(-q * 0.5 * h * (i + j))
    try:
        d = toeplitz_deviation(np.ma.MaskedArray(R, mask=mask))
    except GRSDError:
        d = float("nan")
    return q, d


def _deviation_and_null(C, C_window, win, rng, n_null: int, antisymmetric: bool) -> tuple[float, float]:
    """Toeplitz deviation of couplings ``C`` in the window and its permutation-null baseline.

    Undefined (empty shells, all-zero window) -> ``(nan, nan)``: recorded per checkpoint and
    left out of the summaries, which count the defined checkpoints.
    """
    try:
        return (toeplitz_deviation(C, window=win),
                toeplitz_null_baseline(C_window, rng, n=n_null, antisymmetric=antisymmetric))
    except GRSDError:
        return float("nan"), float("nan")


def _flux_fit_or_undefined(s_b, V, mask) -> dict:
    """:func:`fit_flux_velocity` over checkpoints, or ``b = nan`` with the reason when undefined."""
    try:
        return fit_flux_velocity(s_b, np.array(V), np.array(mask))
    except EmptyShellError as exc:
        return {"b": float("nan"), "error": str(exc)}


def log_shift_invariance(traj: Trajectory, shells: CheckpointShells, window: ScalingWindow,
                         n_null: int = 200, seed: int = 0) -> dict:
    """Toeplitz deviations of ``K`` and ``W`` in the window, and the velocity fits."""
    idx = _window_index(window, shells.alpha_range)
    rng = np.random.default_rng(seed)
    win = (0, window.n_shells - 1)
    dK, dK_null, Ks, qK, dKq = [], [], [], [], []
    for m in shells.measurements:
        K = renormalized_couplings(energy_couplings(m.transfer, m.energies))
        Kw = K.matrix[np.ix_(idx - 1, idx - 1)]
        Ks.append(np.ma.filled(Kw.astype(float), np.nan))
        d, d_null = _deviation_and_null(K, Kw, win, rng, n_null, antisymmetric=True)
        dK.append(d)
        dK_null.append(d_null)
        q, dq = covariant_toeplitz(Kw, window.h)
        qK.append(q)
        dKq.append(dq)
    dW, dW_null, Ws = [], [], []
    null_tol = shells.null_tol
    for i in range(traj.n_checkpoints - 1):
        W = overlap_couplings(shells.lam[i], shells.U[i], shells.lam[i + 1], shells.U[i + 1],
                              window.grid, null_tol=null_tol, alpha_range=shells.alpha_range)
        Ww = W.matrix[np.ix_(idx - 1, idx - 1)]
        Ws.append(np.ma.filled(Ww.astype(float), np.nan))
        d, d_null = _deviation_and_null(W, Ww, win, rng, n_null, antisymmetric=False)
        dW.append(d)
        dW_null.append(d_null)
    # velocity from the measured flux, at the window's interior boundaries
    # the velocity entry j sits on the boundary between extended shells j+1 and j+2, so the
    # window boundary s_alpha (between window shells alpha-1 and alpha) is entry idx[alpha] - 2
    bidx = idx[1:] - 2
    s_b = window.grid.lower(window.alphas[1:]).astype(float)
    Vs, Vmask = [], []
    for m in shells.measurements[1:]:  # t > 0 (the error is still its initial value at t = 0)
        V = m.velocity
        Vs.append(np.asarray(V.data)[bidx])
        Vmask.append(np.asarray(np.ma.getmaskarray(V))[bidx])
    flux_fit = _flux_fit_or_undefined(s_b, Vs, Vmask)
    # total flux: inter-shell transfer plus the advective flux of eigenvalues drifting across
    # boundaries (GRSD-T6: "boundary crossings of eigenvalues add to the same fluxes")
    Vt, Vtmask = [], []
    for i, m in enumerate(shells.measurements[1:], start=1):
        dlam = np.einsum("nk,nm,mk->k", shells.U[i], traj.Mdot[i], shells.U[i])
        drift = drift_flux(m.eigenvalues, dlam, m.amplitudes, m.assignment)
        _, V = measured_velocity(m.transfer, m.energies, extra_flux=drift)
        Vt.append(np.asarray(V.data)[bidx])
        Vtmask.append(np.asarray(np.ma.getmaskarray(V))[bidx])
    total_fit = _flux_fit_or_undefined(s_b, Vt, Vtmask)
    # velocity from the eigenvalue drift  dlam_k = u_k^T Mdot u_k  (GRSD-T2), window modes only
    b_drift = []
    for i in range(1, traj.n_checkpoints):
        lam, U = shells.lam[i], shells.U[i]
        inw = window.contains(lam)
        if inw.sum() < 3:
            continue
        dlam = np.einsum("nk,nm,mk->k", U[:, inw], traj.Mdot[i], U[:, inw])
        try:
            fit = fit_velocity_exponent(lam[inw], dlam, window.grid, min_count=1)
            b_drift.append(fit.b)
        except (GRSDError,):
            continue

    def med(x):
        x = np.asarray(x, dtype=float)
        x = x[np.isfinite(x)]
        return float(np.median(x)) if x.size else float("nan")

    def tavg_delta(mats):
        if not mats:
            return None, float("nan")
        A = np.array(mats, dtype=float)
        ok = np.isfinite(A)
        cnt = ok.sum(axis=0)
        mean = np.where(cnt > 0, np.where(ok, A, 0.0).sum(axis=0) / np.maximum(cnt, 1), np.nan)
        try:
            d = toeplitz_deviation(np.ma.MaskedArray(np.nan_to_num(mean), mask=~np.isfinite(mean)))
        except GRSDError:
            d = float("nan")
        return mean, d

    Kbar, dK_tavg = tavg_delta(Ks)
    q_tavg, dKq_tavg = covariant_toeplitz(Kbar, window.h) if Kbar is not None else (np.nan, np.nan)
    Wbar, dW_tavg = tavg_delta(Ws)
    return {
        "delta_K_timeavg": dK_tavg, "delta_W_timeavg": dW_tavg, "W_mean": Wbar,
        "K_scaling_q": med(qK), "delta_K_rescaled": med(dKq),
        "K_scaling_q_timeavg": q_tavg, "delta_K_rescaled_timeavg": dKq_tavg,
        "delta_K": med(dK), "delta_K_null": med(dK_null), "delta_K_t": dK,
        "delta_W": med(dW), "delta_W_null": med(dW_null), "delta_W_t": dW,
        "b_flux": flux_fit.get("b"), "flux_fit": flux_fit,
        "b_flux_total": total_fit.get("b"), "total_flux_fit": total_fit,
        "b_drift": med(b_drift), "b_drift_n": len(b_drift),
        "K_t": Ks, "W_t": Ws, "K_mean": Kbar,
    }


def _finite_or_none(x):
    if isinstance(x, float) and not np.isfinite(x):
        return None
    return x


def diagnose(traj: Trajectory, window: ScalingWindow | None = None, n_shells: int = 6,
             min_count: int = 2, n_null: int = 200) -> dict:
    """All four diagnostics of one trajectory; the window is chosen from :math:`M(0)` unless given.

    Returns a JSON-ready summary (``summary``), plus arrays for plots (``arrays``).
    """
    lam0 = np.linalg.eigvalsh(traj.M[0])
    if window is None:
        window = choose_scaling_window(lam0, n_shells=n_shells, min_count=min_count)
    shells = measure_trajectory(traj, window.grid)
    out = {"window": window.as_dict()}
    if traj.grad_norms is not None:
        out["gradient_propagation"] = gradient_propagation(traj.grad_norms)
    else:
        out["gradient_propagation"] = None
    out["rho0"] = functional_incoherence(shells.measurements[0])
    evo = jacobian_evolution(traj, shells, window)
    lsi = log_shift_invariance(traj, shells, window, n_null=n_null)
    loss = traj.loss
    summary = {
        "window": out["window"],
        "grad_spread": out["gradient_propagation"]["spread"] if out["gradient_propagation"] else None,
        "grad_log_slope": (out["gradient_propagation"]["log_slope_per_layer"]
                           if out["gradient_propagation"] else None),
        "rho0": out["rho0"],
        "kernel_movement_final": evo["kernel_movement_final"],
        "kernel_movement_max": evo["kernel_movement_max"],
        "adiabatic_ratio_max": _finite_or_none(evo["adiabatic_ratio_max"]),
        "adiabatic_ratio_median": _finite_or_none(evo["adiabatic_ratio_median"]),
        "delta_K": _finite_or_none(lsi["delta_K"]), "delta_K_null": _finite_or_none(lsi["delta_K_null"]),
        "delta_W": _finite_or_none(lsi["delta_W"]), "delta_W_null": _finite_or_none(lsi["delta_W_null"]),
        "delta_K_timeavg": _finite_or_none(lsi["delta_K_timeavg"]),
        "K_scaling_q": _finite_or_none(lsi["K_scaling_q"]),
        "delta_K_rescaled": _finite_or_none(lsi["delta_K_rescaled"]),
        "K_scaling_q_timeavg": _finite_or_none(lsi["K_scaling_q_timeavg"]),
        "delta_K_rescaled_timeavg": _finite_or_none(lsi["delta_K_rescaled_timeavg"]),
        "delta_W_timeavg": _finite_or_none(lsi["delta_W_timeavg"]),
        "b_flux": _finite_or_none(lsi["b_flux"]),
        "b_flux_total": _finite_or_none(lsi["b_flux_total"]),
        "total_flux_sign": lsi["total_flux_fit"].get("sigma"),
        "total_flux_sign_consistency": lsi["total_flux_fit"].get("sign_consistency"),
        "flux_sign": lsi["flux_fit"].get("sigma"),
        "flux_sign_consistency": lsi["flux_fit"].get("sign_consistency"),
        "flux_fit_rms": lsi["flux_fit"].get("rms"),
        "c_t": [_finite_or_none(c) for c in lsi["flux_fit"].get("c_t", [])],
        "b_drift": _finite_or_none(lsi["b_drift"]),
        "loss_initial": float(loss[0]), "loss_final": float(loss[-1]),
        "Mdot_source": traj.Mdot_source,
    }
    arrays = {"t": traj.t, "eigenvalues": [l for l in shells.lam],
              "shell_energies": np.array([m.energies.extended for m in shells.measurements]),
              "alpha_range": shells.alpha_range, "K_mean": lsi["K_mean"], "W_mean": lsi["W_mean"],
              "K_t": lsi["K_t"], "W_t": lsi["W_t"], "kernel_movement": evo["kernel_movement"],
              "delta_K_t": lsi["delta_K_t"], "delta_W_t": lsi["delta_W_t"]}
    return {"summary": summary, "arrays": arrays, "window": window}
