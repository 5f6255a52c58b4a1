r"""The measured shell velocity and the drift of eigenvalues across shell boundaries (GRSD-T6, section 4).

* measured velocity :math:`V = F/\varepsilon`, :math:`\varepsilon = E/h`
  (:func:`measured_velocity`), the drift (boundary-crossing) flux of moving eigenvalues
  (:func:`drift_flux`, instantaneous and smoothed; :func:`crossing_flux`, counted between two
  checkpoints) and the per-shell drift fit of the velocity exponent ``b``
  (:func:`fit_velocity_exponent`);
* :func:`measure_shells`: everything at one checkpoint ``(M, e[, dM/dt])`` -- the function the
  probe's diagnostics call.

>>> import numpy as np
>>> from grsd_sym.numeric.shells import ShellGrid
>>> m = measure_shells(np.diag([0.0, 1.0, 3.0]), [1.0, 1.0, 1.0], ShellGrid(1.0))
>>> m.energies.null, m.energies.values.tolist()
(0.5, [0.5, 0.5])
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike

from grsd_sym.errors import (
    EmptyShellError,
    InputError,
    ShapeError,
)
from grsd_sym.numeric.shells import (
    ShellAssignment,
    ShellGrid,
    ShellSums,
    _check_amplitudes,
    assign_shells,
    shell_dissipation,
    shell_energies,
)
from grsd_sym.numeric.spectra import DEFAULT_SYM_RTOL, eigh_psd, validate_finite
from grsd_sym.numeric.transfer import (
    ShellTransfer,
    kato_coefficients,
    projected_derivative,
    projector_transfer,
    transfer_matrix,
)

__all__ = [
    "VelocityFit",
    "ShellMeasurement",
    "measured_velocity",
    "drift_flux",
    "crossing_flux",
    "shell_drift_velocity",
    "fit_velocity_exponent",
    "measure_shells",
]


# ---------------------------------------------------------------------------------------------
# fluxes and velocity
# ---------------------------------------------------------------------------------------------


def measured_velocity(
    transfer: ShellTransfer, energies: ShellSums, *, extra_flux: ArrayLike | None = None, eps_at: str = "upwind"
) -> tuple[np.ndarray, np.ma.MaskedArray]:
    r"""Measured renormalized velocity :math:`V = F/\varepsilon` at the interior boundaries (section 4).

    :math:`F` is the transfer flux (:meth:`ShellTransfer.fluxes`) plus ``extra_flux`` (e.g. the
    :func:`drift_flux` of moving eigenvalues), :math:`\varepsilon_\alpha = E_\alpha/h`.  At the
    boundary between shells :math:`\alpha,\alpha+1`: ``eps_at="upwind"`` takes the shell the flux
    comes from (lower one if :math:`F>0`), ``"mean"`` the average, ``"lower"``/``"upper"`` one side.
    Returns ``(s_b, V)`` for the K-1 interior boundaries :math:`s_b = s_{\alpha_{\min}+1},\dots`;
    ``V`` is masked where :math:`\varepsilon = 0` (never a division by zero).

    Parameters
    ----------
    transfer : ShellTransfer
        The inter-shell transfer.
    energies : ShellSums
        Energies on the same shells.
    extra_flux : array_like, optional
        Flux added at the K-1 interior boundaries.
    eps_at : {"upwind", "mean", "lower", "upper"}
        Which density divides the flux.

    Returns
    -------
    s_b : numpy.ndarray
        Boundary positions (K-1,).
    V : numpy.ma.MaskedArray
        Velocities, masked where the density vanishes.

    Raises
    ------
    InputError
        Different shells or an unknown ``eps_at``.
    ShapeError
        ``extra_flux`` of the wrong shape.

    Examples
    --------
    >>> m = measure_shells(np.diag([1.0, 3.0]), [1.0, 1.0], ShellGrid(1.0), dM=np.array([[0.0, 4.0], [4.0, 0.0]]))
    >>> s_b, V = measured_velocity(m.transfer, m.energies)
    >>> s_b.tolist(), V.tolist()
    ([1.0], [4.0])

    References
    ----------
    GRSD-T6 (flux and velocity).
    """
    if not np.array_equal(transfer.alphas, energies.alphas):
        raise ShapeError("transfer and energies are on different shells (use a common alpha_range)")
    F = transfer.fluxes()[1:]
    if extra_flux is not None:
        extra = validate_finite(extra_flux, "extra_flux")
        if extra.shape != F.shape:
            raise ShapeError(f"extra_flux: expected shape {F.shape}, got {extra.shape}")
        F = F + extra
    eps = energies.density
    lo, hi = eps[:-1], eps[1:]
    if eps_at == "upwind":
        e_b = np.where(F >= 0, lo, hi)
    elif eps_at == "mean":
        e_b = 0.5 * (lo + hi)
    elif eps_at == "lower":
        e_b = lo
    elif eps_at == "upper":
        e_b = hi
    else:
        raise InputError(f"eps_at must be 'upwind', 'mean', 'lower' or 'upper', got {eps_at!r}")
    mask = ~(e_b > 0)
    V = np.zeros_like(F)
    np.divide(F, e_b, out=V, where=~mask)
    s_b = energies.grid.lower(energies.alphas[1:]).astype(float)
    return s_b, np.ma.MaskedArray(V, mask=mask)


def drift_flux(lam: ArrayLike, dlam: ArrayLike, a: ArrayLike, assignment: ShellAssignment) -> np.ndarray:
    r"""Advective flux of moving eigenvalues across the interior boundaries (boundary crossings, GRSD-T6).

    An eigenvalue moving at :math:`\dot s_k = \dot\lambda_k/\lambda_k` carries :math:`a_k^2/2`
    across :math:`s_b`; smoothed with the hat kernel of half-width h,

    .. math:: F^{\mathrm{drift}}_b = \sum_k \tfrac12 a_k^2\,\dot s_k\,
              \frac{\max(0,\,1-|s_k-s_b|/h)}{h},

    whose time integral equals the energy that crosses :math:`s_b` up to O(h) smoothing.  Null
    modes carry no drift flux.  Returns the K-1 interior boundaries of ``assignment``.

    Parameters
    ----------
    lam, dlam : array_like
        Eigenvalues and their rates (n,).
    a : array_like
        Amplitudes.
    assignment : ShellAssignment
        The shells.

    Returns
    -------
    numpy.ndarray
        Drift flux (K-1,).

    Raises
    ------
    ShapeError
        Shapes that do not match the shell assignment.

    Examples
    --------
    >>> asg = assign_shells([1.0, 2.0], ShellGrid(1.0, s0=-0.5))
    >>> drift_flux([1.0, 2.0], [1.0, 0.0], [2.0, 0.0], asg).tolist()
    [1.0]
    """
    lam = validate_finite(lam, "eigenvalues")
    dlam = validate_finite(dlam, "eigenvalue rates")
    n = assignment.n
    a = _check_amplitudes(a, n)
    if lam.shape != (n,) or dlam.shape != (n,):
        raise ShapeError(f"eigenvalues {lam.shape} and rates {dlam.shape} must have shape ({n},)")
    g = assignment.grid
    pos = ~assignment.is_null
    s = np.log(lam[pos])
    w = 0.5 * a[pos] ** 2 * dlam[pos] / lam[pos]
    sb = g.lower(assignment.alphas[1:]).astype(float)
    out = np.zeros(sb.size)
    # each mode touches at most the two boundaries around it
    for shift in (0, 1):
        ib = assignment.bins[pos] - 1 + shift - 1  # interior boundary index (s_{alpha+shift})
        ok = (ib >= 0) & (ib < sb.size)
        hat = np.clip(1.0 - np.abs(s[ok] - sb[ib[ok]]) / g.h, 0.0, None) / g.h
        np.add.at(out, ib[ok], w[ok] * hat)
    return out


def crossing_flux(
    lam_t0: ArrayLike,
    lam_t1: ArrayLike,
    a: ArrayLike,
    assignment: ShellAssignment,
    dt: float,
    *,
    null_tol: float = 0.0,
    extended: bool = False,
) -> np.ndarray:
    r"""Boundary flux counted from eigenvalues that cross shell boundaries between two checkpoints (GRSD-T4/T6).

    Mode ``k`` (the same tracked mode at both checkpoints) sits in extended shell
    :math:`i_k^0` at :math:`t_0` and :math:`i_k^1` at :math:`t_1 = t_0 + \Delta t`; it carries its
    energy :math:`\tfrac12 a_k^2` across every boundary in between.  The mean net upward flux
    across boundary ``i`` (between extended shells ``i`` and ``i+1``) is

    .. math:: \bar F_{i+1/2} = \frac{1}{\Delta t}\sum_k \tfrac12 a_k^2\,
              \big([i_k^0 \le i < i_k^1] - [i_k^1 \le i < i_k^0]\big),

    exactly the energy that crossed (no smoothing, no eigenvalue rates), so that for a fixed
    basis (no inter-shell transfer) :math:`E_\alpha(t_1) - E_\alpha(t_0) =
    \Delta t\,(\bar F_{\alpha-1/2} - \bar F_{\alpha+1/2})` with the same amplitudes.
    ``a`` are the amplitudes whose energy is carried (e.g. those at the midpoint when they also
    decay).  Both checkpoints are binned on the shells of ``assignment`` (its ``alpha_range``; a
    mode outside it raises :class:`InputError`, eigenvalues :math:`\le` ``null_tol`` are null
    modes, extended index 0).  Returns the K-1 interior boundaries (the layout of
    :func:`drift_flux` and of ``extra_flux`` in :func:`measured_velocity`), or with
    ``extended=True`` all K boundaries, boundary 0 being the one into the null shell.
    Memory O(n + K).

    Parameters
    ----------
    lam_t0, lam_t1 : array_like
        The tracked eigenvalues at both checkpoints.
    a : array_like
        Amplitudes whose energy is carried.
    assignment : ShellAssignment
        Shells (and their range).
    dt : float
        :math:`t_1 - t_0 > 0`.
    null_tol : float
        Null threshold.
    extended : bool
        Include the boundary into the null shell.

    Returns
    -------
    numpy.ndarray
        Mean fluxes (K-1,) or (K,).

    Raises
    ------
    InputError
        Bad ``dt``, no assignment or a mode outside the range.
    ShapeError
        Mismatched eigenvalues.

    Examples
    --------
    >>> asg = assign_shells([0.5, 1.5, 3.0], ShellGrid(1.0))      # shells -1, 0, 1
    >>> crossing_flux([0.5, 1.5, 3.0], [1.5, 3.0, 3.0], [2.0, 2.0, 1.0], asg, 0.5).tolist()
    [4.0, 4.0]
    >>> crossing_flux([0.5, 1.5, 3.0], [0.5, 0.5, 3.0], [1.0, 1.0, 1.0], asg, 1.0).tolist()
    [-0.5, 0.0]
    """
    if not isinstance(assignment, ShellAssignment):
        raise InputError("crossing_flux needs a ShellAssignment (see assign_shells) to fix the shells")
    dt = float(dt)
    if not (math.isfinite(dt) and dt > 0):
        raise InputError(f"crossing_flux: the checkpoint interval dt must be finite and > 0, got {dt!r}")
    n = assignment.n
    lam_t0 = validate_finite(lam_t0, "eigenvalues at t0")
    lam_t1 = validate_finite(lam_t1, "eigenvalues at t1")
    if lam_t0.shape != (n,) or lam_t1.shape != (n,):
        raise ShapeError(
            f"eigenvalues at t0 {lam_t0.shape} and t1 {lam_t1.shape} must have shape ({n},) "
            "(the same tracked modes as the assignment)"
        )
    a = _check_amplitudes(a, n)
    rng = (assignment.alpha_min, assignment.alpha_min + assignment.K - 1)
    K = assignment.K
    if K == 0:
        return np.zeros(0)
    b0 = assign_shells(lam_t0, assignment.grid, null_tol=null_tol, alpha_range=rng).bins
    b1 = assign_shells(lam_t1, assignment.grid, null_tol=null_tol, alpha_range=rng).bins
    w = 0.5 * a * a
    # difference array: boundary i gets sum_k w_k ([b0_k <= i] - [b1_k <= i])
    d = np.bincount(b0, weights=w, minlength=K + 1) - np.bincount(b1, weights=w, minlength=K + 1)
    F = np.cumsum(d)[:K] / dt
    return F if extended else F[1:].copy()


def shell_drift_velocity(
    lam: ArrayLike, dlam: ArrayLike, assignment: ShellAssignment, weights: ArrayLike | None = None
) -> np.ma.MaskedArray:
    r"""Per-shell weighted mean drift :math:`V_\alpha = \sum_{k\in S_\alpha}w_k\dot s_k/\sum w_k`, :math:`\dot s=\dot\lambda/\lambda`.

    ``weights`` default 1 (mode count), e.g. ``a**2`` for energy weighting.  Masked on shells with
    zero weight.

    Parameters
    ----------
    lam, dlam : array_like
        Eigenvalues and rates.
    assignment : ShellAssignment
        Shells of the modes.
    weights : array_like, optional
        Mode weights.

    Returns
    -------
    numpy.ma.MaskedArray
        :math:`V_\alpha` (K,).

    Examples
    --------
    >>> asg = assign_shells([1.0, 1.5], ShellGrid(1.0))
    >>> shell_drift_velocity([1.0, 1.5], [-1.0, -3.0], asg).tolist()
    [-1.5]
    """
    lam = validate_finite(lam, "eigenvalues")
    dlam = validate_finite(dlam, "eigenvalue rates")
    n = assignment.n
    w = np.ones(n) if weights is None else _check_amplitudes(weights, n)
    pos = ~assignment.is_null
    sdot = np.zeros(n)
    sdot[pos] = dlam[pos] / lam[pos]
    _, num = assignment.sum(np.where(pos, w * sdot, 0.0))
    _, den = assignment.sum(np.where(pos, w, 0.0))
    mask = ~(den > 0)
    V = np.zeros_like(num)
    np.divide(num, den, out=V, where=~mask)
    return np.ma.MaskedArray(V, mask=mask)


@dataclass(frozen=True)
class VelocityFit:
    r"""Fit of the drift law :math:`\dot s = \sigma c(t)\lambda^{b-1}` (i.e. :math:`v = \dot\lambda = \sigma c(t)\lambda^b`).

    ``b``: velocity exponent; ``c``: :math:`c(t)` at the checkpoint; ``sigma``: +1/-1 common sign;
    ``rms``: residual of the log-log fit; ``n_points``: shells used.

    Attributes
    ----------
    b : float
        Velocity exponent.
    c : float
        Amplitude :math:`c(t)`.
    sigma : int
        Sign of the drift.
    rms : float
        Fit residual.
    n_points : int
        Shells in the fit.

    Examples
    --------
    >>> lam = np.exp(np.linspace(-2, 0, 20))
    >>> fit = fit_velocity_exponent(lam, 0.25 * lam ** 2, ShellGrid(0.5))
    >>> round(fit.b, 9), round(fit.c, 9), fit.sigma
    (2.0, 0.25, 1)
    """

    b: float
    c: float
    sigma: int
    rms: float
    n_points: int


def fit_velocity_exponent(
    lam: ArrayLike,
    dlam: ArrayLike,
    grid: ShellGrid | ShellAssignment,
    *,
    null_tol: float = 0.0,
    alpha_range: tuple[int, int] | None = None,
    min_count: int = 1,
) -> VelocityFit:
    r"""Velocity exponent ``b`` from the eigenvalue drift, fitted per shell.

    For each shell with at least ``min_count`` drifting modes take the means
    :math:`\bar s_\alpha = \langle\log\lambda_k\rangle` and
    :math:`\bar y_\alpha = \langle\log|\dot\lambda_k/\lambda_k|\rangle`; for the law
    :math:`\dot s = \sigma c\,\lambda^{b-1}` the points lie *exactly* on the line
    :math:`\bar y = \log c + (b-1)\bar s` (means of a linear relation), so a least-squares fit
    recovers ``b`` without shell-width bias.  Mixed signs of the drift raise :class:`InputError`;
    fewer than two usable shells raise :class:`EmptyShellError`.

    Parameters
    ----------
    lam, dlam : array_like
        Eigenvalues and their rates (n,).
    grid : ShellGrid or ShellAssignment
        Binning.
    null_tol, alpha_range
        For :func:`assign_shells`.
    min_count : int
        Fewest drifting modes a shell needs.

    Returns
    -------
    VelocityFit

    Raises
    ------
    InputError
        Mixed drift signs or bad shapes.
    EmptyShellError
        Fewer than two usable shells.

    Examples
    --------
    >>> lam = np.exp(np.linspace(-3, 0, 40)); dlam = -0.5 * lam ** 1.5
    >>> round(fit_velocity_exponent(lam, dlam, ShellGrid(0.5)).b, 12)
    1.5

    References
    ----------
    GRSD-T6 (the velocity law).
    """
    lam = validate_finite(lam, "eigenvalues")
    dlam = validate_finite(dlam, "eigenvalue rates")
    if lam.shape != dlam.shape or lam.ndim != 1:
        raise ShapeError(f"eigenvalues {lam.shape} and rates {dlam.shape} must be equal 1-D shapes")
    asg = (
        grid
        if isinstance(grid, ShellAssignment)
        else assign_shells(lam, grid, null_tol=null_tol, alpha_range=alpha_range)
    )
    use = (~asg.is_null) & (dlam != 0)
    if not use.any():
        raise EmptyShellError("no drifting non-null mode: the velocity exponent is undefined")
    signs = np.sign(dlam[use])
    if not (np.all(signs > 0) or np.all(signs < 0)):
        raise InputError("the eigenvalue drift has mixed signs; a power law sigma*c*lambda^b has one sign")
    s = np.where(use, np.log(np.where(use, lam, 1.0)), 0.0)
    y = np.where(use, np.log(np.abs(np.where(use, dlam / np.where(use, lam, 1.0), 1.0))), 0.0)
    bins = np.where(use, asg.bins, 0)
    cnt = np.bincount(bins, minlength=asg.K + 1)[1:]
    ss = np.bincount(bins, weights=s, minlength=asg.K + 1)[1:]
    ys = np.bincount(bins, weights=y, minlength=asg.K + 1)[1:]
    ok = cnt >= max(min_count, 1)
    if ok.sum() < 2:
        raise EmptyShellError(
            f"only {int(ok.sum())} shell(s) hold >= {min_count} drifting modes; a slope needs at least two"
        )
    xs, yb = ss[ok] / cnt[ok], ys[ok] / cnt[ok]
    X = np.stack([np.ones_like(xs), xs], axis=1)
    coef, *_ = np.linalg.lstsq(X, yb, rcond=None)
    rms = float(np.sqrt(np.mean((X @ coef - yb) ** 2)))
    return VelocityFit(
        b=float(coef[1] + 1.0), c=float(np.exp(coef[0])), sigma=int(signs[0]), rms=rms, n_points=int(ok.sum())
    )


# ---------------------------------------------------------------------------------------------
# one-shot measurement of a checkpoint
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ShellMeasurement:
    r"""Everything GRSD-T4/T6 measures at one checkpoint (see :func:`measure_shells`).

    Attributes
    ----------
    eigenvalues, amplitudes : numpy.ndarray
        The spectrum and :math:`a = U^Te`.
    assignment : ShellAssignment
        The shells.
    energies, dissipation : ShellSums
        GRSD-T4 sums.
    transfer : ShellTransfer or None
        Transfer (with ``dM``).
    fluxes : numpy.ndarray or None
        Boundary fluxes.
    velocity_s : numpy.ndarray or None
        Boundary positions.
    velocity : numpy.ma.MaskedArray or None
        :math:`F/\varepsilon`.

    Examples
    --------
    >>> m = measure_shells(np.diag([1.0, 3.0]), [1.0, 2.0], ShellGrid(1.0))
    >>> m.dissipation.values.tolist(), m.transfer is None
    ([1.0, 12.0], True)
    """

    eigenvalues: np.ndarray
    amplitudes: np.ndarray
    assignment: ShellAssignment
    energies: ShellSums
    dissipation: ShellSums
    transfer: ShellTransfer | None
    fluxes: np.ndarray | None
    velocity_s: np.ndarray | None
    velocity: np.ma.MaskedArray | None


def measure_shells(
    M: ArrayLike,
    e: ArrayLike,
    grid: ShellGrid,
    *,
    dM: ArrayLike | None = None,
    form: str = "projector",
    null_tol: float = 0.0,
    alpha_range: tuple[int, int] | None = None,
    sym_rtol: float = DEFAULT_SYM_RTOL,
    psd_tol: float | None = None,
    gap_tol: float | None = None,
    eps_at: str = "upwind",
    eigenpairs: tuple[np.ndarray, np.ndarray] | None = None,
) -> ShellMeasurement:
    r"""Measure the shell balance of one checkpoint ``(M, e[, dM/dt])``.

    Eigendecomposes ``M`` (:func:`~grsd_sym.numeric.spectra.eigh_psd`), assigns shells, and
    returns energies, dissipation, and -- if ``dM`` is given -- the transfer matrix
    (``form="projector"``: :func:`projector_transfer`, gauge free; ``"kato"``:
    :func:`transfer_matrix` with :func:`kato_coefficients`), the boundary fluxes and
    :math:`V = F/\varepsilon` (:func:`measured_velocity`).  ``eigenpairs=(lam, U)`` reuses an
    eigendecomposition of ``M`` already at hand (a trajectory measured with one shell range).

    Parameters
    ----------
    M : array_like
        Kernel (n, n).
    e : array_like
        Error (n,).
    grid : ShellGrid
        Shells.
    dM : array_like, optional
        :math:`\dot M`; enables transfer and velocity.
    form : {"projector", "kato"}
        Transfer form.
    null_tol, alpha_range, sym_rtol, psd_tol, gap_tol, eps_at
        Passed to the steps above.
    eigenpairs : (numpy.ndarray, numpy.ndarray), optional
        A ready ``(lam, U)`` of ``M``.

    Returns
    -------
    ShellMeasurement

    Raises
    ------
    ShapeError, InputError
        Bad shapes or ``form``.

    Examples
    --------
    >>> m = measure_shells(np.diag([1.0, 3.0]), [1.0, 1.0], ShellGrid(1.0),
    ...                    dM=np.array([[0.0, 4.0], [4.0, 0.0]]))
    >>> m.energies.values.tolist(), m.transfer.inter.tolist()
    ([0.5, 0.5], [[0.0, -2.0], [2.0, 0.0]])

    References
    ----------
    GRSD-T4, GRSD-T5, GRSD-T6.
    """
    if eigenpairs is None:
        lam, U = eigh_psd(M, sym_rtol=sym_rtol, psd_tol=psd_tol)
    else:
        lam, U = (validate_finite(x, n) for x, n in zip(eigenpairs, ("eigenvalues", "eigenvectors"), strict=True))
        if lam.ndim != 1 or U.shape != (lam.size, lam.size):
            raise ShapeError(
                f"eigenpairs: expected (n,) eigenvalues and (n, n) eigenvectors, got {lam.shape} and {U.shape}"
            )
    e = validate_finite(e, "e")
    if e.shape != (lam.size,):
        raise ShapeError(f"e: expected shape ({lam.size},) to match M, got {e.shape}")
    a = U.T @ e
    asg = assign_shells(lam, grid, null_tol=null_tol, psd_tol=psd_tol, alpha_range=alpha_range)
    E = shell_energies(lam, a, asg)
    D = shell_dissipation(lam, a, asg)
    T = F = s_b = V = None
    if dM is not None:
        B = projected_derivative(U, dM)
        if form == "projector":
            T = projector_transfer(lam, B, a, asg, gap_tol=gap_tol)
        elif form == "kato":
            T = transfer_matrix(a, kato_coefficients(lam, B, gap_tol=gap_tol), asg)
        else:
            raise InputError(f"form must be 'projector' or 'kato', got {form!r}")
        F = T.fluxes()
        s_b, V = measured_velocity(T, E, eps_at=eps_at)
    return ShellMeasurement(lam, a, asg, E, D, T, F, s_b, V)
