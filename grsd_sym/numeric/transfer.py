r"""Energy transfer between logarithmic shells and the boundary fluxes (GRSD-T2..T6) from data.

Shells and the extended layout (index 0 = null shell) as in :mod:`grsd_sym.numeric.shells`.

* Kato coefficients :math:`A_{kj} = u_j^T\dot M u_k/(\lambda_k-\lambda_j)` (GRSD-T2/T3,
  :func:`kato_coefficients`);
* transfer :math:`T_{\alpha\beta} = \sum_{k\in S_\alpha, j\in S_\beta} A_{kj} a_k a_j`
  (GRSD-T4, :func:`transfer_matrix`), and its gauge-free projector form (GRSD-T5,
  :func:`projector_transfer`, :func:`projector_transfer_fd`);
* fluxes :math:`F_{\alpha+1/2} = \sum_{\beta>\alpha,\gamma\le\alpha} T_{\beta\gamma}` with
  :math:`T_\alpha = F_{\alpha-1/2} - F_{\alpha+1/2}` (GRSD-T6, :func:`boundary_fluxes`).

>>> boundary_fluxes(np.array([[0.0, -1.0], [1.0, 0.0]])).tolist()
[1.0]
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike

from grsd_sym.errors import (
    DegenerateGapError,
    InputError,
    ShapeError,
)
from grsd_sym.numeric.shells import (
    ShellAssignment,
    ShellGrid,
    _check_amplitudes,
    assign_shells,
)
from grsd_sym.numeric.spectra import DEFAULT_SYM_RTOL, eigh_psd, validate_finite, validate_symmetric

__all__ = [
    "ShellTransfer",
    "projected_derivative",
    "projected_derivative_from_jacobian",
    "default_gap_tol",
    "kato_coefficients",
    "transfer_matrix",
    "projector_transfer",
    "projector_transfer_fd",
    "boundary_fluxes",
]


# ---------------------------------------------------------------------------------------------
# Kato coefficients and the transfer matrix
# ---------------------------------------------------------------------------------------------


def projected_derivative(U: ArrayLike, dM: ArrayLike, *, sym_rtol: float = DEFAULT_SYM_RTOL) -> np.ndarray:
    r""":math:`B = U^T \dot M U`, i.e. :math:`B_{jk} = u_j^T\dot M u_k` (symmetric).

    ``dM`` must be symmetric to ``sym_rtol`` (relative; loosen it for finite-difference data).

    Parameters
    ----------
    U : array_like
        Eigenvectors (n, m).
    dM : array_like
        Time derivative of the kernel (n, n).
    sym_rtol : float
        Symmetry tolerance for ``dM``.

    Returns
    -------
    numpy.ndarray
        ``B`` (m, m), symmetric.

    Raises
    ------
    ShapeError, NotSymmetricError
        ``dM`` does not match ``U``, or is not symmetric to ``sym_rtol``.

    Examples
    --------
    >>> projected_derivative(np.eye(2), np.array([[0.0, 1.0], [1.0, 0.0]])).tolist()
    [[0.0, 1.0], [1.0, 0.0]]
    """
    U = validate_finite(U, "U")
    dM = validate_symmetric(dM, sym_rtol=sym_rtol, name="dM/dt")
    if dM.shape[0] != U.shape[0]:
        raise ShapeError(f"dM/dt {dM.shape} does not match U {U.shape}")
    B = U.T @ (dM @ U)
    return 0.5 * (B + B.T)


def projected_derivative_from_jacobian(U: ArrayLike, J: ArrayLike, dJ: ArrayLike) -> np.ndarray:
    r""":math:`U^T\dot M U` for :math:`M = JJ^T` from ``J, dJ/dt`` (n x P) without forming an n x n matrix.

    .. math:: U^T\dot M U = (U^T\dot J)(J^TU) + (U^TJ)(\dot J^TU).

    Parameters
    ----------
    U : array_like
        Basis (n, m).
    J, dJ : array_like
        The Jacobian and its time derivative (n, P).

    Returns
    -------
    numpy.ndarray
        :math:`U^T\dot M U` (m, m).

    Raises
    ------
    ShapeError
        Inconsistent shapes.

    Examples
    --------
    >>> J = np.array([[1.0, 0.0], [0.0, 1.0]]); dJ = np.array([[0.0, 1.0], [0.0, 0.0]])
    >>> projected_derivative_from_jacobian(np.eye(2), J, dJ).tolist()
    [[0.0, 1.0], [1.0, 0.0]]
    """
    U = validate_finite(U, "U")
    J = validate_finite(J, "J")
    dJ = validate_finite(dJ, "dJ/dt")
    if J.shape != dJ.shape or J.ndim != 2 or J.shape[0] != U.shape[0]:
        raise ShapeError(f"J {J.shape}, dJ {dJ.shape} and U {U.shape} must be (n,P), (n,P), (n,m)")
    X = U.T @ dJ
    Y = U.T @ J
    B = X @ Y.T
    return B + B.T


def default_gap_tol(lam: ArrayLike) -> float:
    r"""Default gap tolerance :math:`10^{3}\,n\,\epsilon\,\max(\max_k|\lambda_k|, 1)` of :func:`kato_coefficients`.

    Parameters
    ----------
    lam : array_like
        Eigenvalues.

    Returns
    -------
    float
        The smallest gap :func:`kato_coefficients` divides by.

    Examples
    --------
    >>> bool(default_gap_tol([0.5, 2.0]) == 2e3 * np.finfo(float).eps * 2.0)
    True
    """
    lam = np.asarray(lam, dtype=float)
    return 1e3 * max(lam.size, 1) * float(np.finfo(float).eps) * max(float(np.max(np.abs(lam), initial=0.0)), 1.0)


def _gaps(
    lam: np.ndarray, gap_tol: float | None, where: np.ndarray
) -> tuple[np.ndarray, float, tuple[int, int] | None]:
    """Gaps ``gap[k, j] = lam_k - lam_j``, the tolerance, and the first pair in ``where`` closer than it."""
    tol = default_gap_tol(lam) if gap_tol is None else float(gap_tol)
    gap = lam[:, None] - lam[None, :]
    bad = np.argwhere(where & (np.abs(gap) < tol))
    return gap, tol, (int(bad[0, 0]), int(bad[0, 1])) if bad.size else None


def kato_coefficients(lam: ArrayLike, B: ArrayLike, *, gap_tol: float | None = None) -> np.ndarray:
    r"""Kato coefficients :math:`A_{kj} = u_k'^Tu_j = \dfrac{u_j^T\dot M u_k}{\lambda_k-\lambda_j}` (GRSD-T2/T3), :math:`A_{kk}=0`.

    ``B`` is :math:`U^T\dot M U` (:func:`projected_derivative`).  ``A`` is antisymmetric.  A gap
    :math:`|\lambda_k-\lambda_j|` below ``gap_tol`` (default :func:`default_gap_tol`) raises
    :class:`DegenerateGapError`: use the gauge-free projector form :func:`projector_transfer`
    (GRSD-T5), which needs no intra-shell gap.

    Parameters
    ----------
    lam : array_like
        Eigenvalues (n,).
    B : array_like
        :math:`U^T\dot M U` (n, n).
    gap_tol : float, optional
        Smallest allowed gap (default :func:`default_gap_tol`).

    Returns
    -------
    numpy.ndarray
        ``A`` (n, n), antisymmetric.

    Raises
    ------
    ShapeError
        ``B`` not (n, n).
    DegenerateGapError
        Two eigenvalues closer than ``gap_tol``.

    Examples
    --------
    >>> A = kato_coefficients([1.0, 3.0], np.array([[0.0, 4.0], [4.0, 0.0]]))
    >>> A.tolist()
    [[0.0, -2.0], [2.0, 0.0]]
    """
    lam = validate_finite(lam, "eigenvalues")
    B = validate_finite(B, "U^T dM U")
    n = lam.size
    if B.shape != (n, n):
        raise ShapeError(f"U^T dM U: expected shape ({n}, {n}), got {B.shape}")
    gap, tol, pair = _gaps(lam, gap_tol, ~np.eye(n, dtype=bool))
    if pair is not None:
        k, j = pair
        raise DegenerateGapError(
            f"Kato coefficient A[{k},{j}] needs 1/(lambda_k - lambda_j) across a gap "
            f"|{lam[k]:.6g} - {lam[j]:.6g}| < gap_tol = {tol:.2e}; the eigenbasis is not defined "
            "there. Use the gauge-free projector form (GRSD-T5): projector_transfer / "
            "projector_transfer_fd, which need no gap inside a shell"
        )
    np.fill_diagonal(gap, np.inf)
    A = B / gap  # B symmetric: B[k, j] = u_j^T M' u_k
    np.fill_diagonal(A, 0.0)
    return A


@dataclass(frozen=True)
class ShellTransfer:
    r"""Inter-shell transfer :math:`T_{\alpha\beta}` in the extended layout (index 0 = null shell).

    ``matrix[i, j]`` is the rate of energy into extended shell ``i`` from ``j``
    (:math:`T_{\alpha\beta} = -T_{\beta\alpha}`).  ``intra[i]`` is the intra-shell sum
    :math:`\sum_{k,j\in S_\alpha}A_{kj}a_ka_j` (zero identically, GRSD-T4; computed by the Kato
    form and reported as a check, 0 exactly in the projector form); it is *not* in ``matrix``.

    Attributes
    ----------
    grid : ShellGrid
        The grid of the shells.
    alphas : numpy.ndarray
        Proper shell indices (K,).
    matrix : numpy.ndarray
        Antisymmetric transfer (K+1, K+1), extended layout.
    intra : numpy.ndarray
        Intra-shell sums (K+1,).

    Examples
    --------
    >>> T = transfer_matrix([1.0, 1.0], np.array([[0.0, -2.0], [2.0, 0.0]]), assign_shells([1.0, 3.0], ShellGrid(1.0)))
    >>> T.net.tolist(), T.fluxes().tolist()
    ([0.0, -2.0, 2.0], [0.0, 2.0])

    References
    ----------
    GRSD-T4, GRSD-T6.
    """

    grid: ShellGrid
    alphas: np.ndarray
    matrix: np.ndarray
    intra: np.ndarray

    @property
    def net(self) -> np.ndarray:
        r"""Net transfer :math:`T_\alpha = \sum_{\beta\ne\alpha}T_{\alpha\beta}` (K+1, extended)."""
        return self.matrix.sum(axis=1)

    @property
    def inter(self) -> np.ndarray:
        """The K x K block between proper shells (null row and column dropped)."""
        return self.matrix[1:, 1:]

    def fluxes(self) -> np.ndarray:
        r"""Boundary fluxes :math:`F` (K,) in the extended layout (:func:`boundary_fluxes`)."""
        return boundary_fluxes(self.matrix)


def transfer_matrix(a: ArrayLike, A: ArrayLike, assignment: ShellAssignment) -> ShellTransfer:
    r"""Kato-form inter-shell transfer :math:`T_{\alpha\beta} = \sum_{k\in S_\alpha,j\in S_\beta}A_{kj}a_ka_j` (GRSD-T4).

    Computed as :math:`(S\circ a)^T A\,(S\circ a)` with the (n, K+1) weighted indicator
    :math:`(S\circ a)_{k\alpha} = a_k[k\in S_\alpha]`: memory O(nK) beyond ``A``.

    Parameters
    ----------
    a : array_like
        Mode amplitudes (n,).
    A : array_like
        Kato coefficients (n, n) (:func:`kato_coefficients`).
    assignment : ShellAssignment
        Shells of the modes.

    Returns
    -------
    ShellTransfer

    Raises
    ------
    InputError, ShapeError
        No assignment, or shapes that do not match it.

    Examples
    --------
    >>> asg = assign_shells([1.0, 3.0], ShellGrid(1.0))
    >>> T = transfer_matrix([1.0, 1.0], np.array([[0.0, -2.0], [2.0, 0.0]]), asg)
    >>> T.inter.tolist()
    [[0.0, -2.0], [2.0, 0.0]]
    """
    if not isinstance(assignment, ShellAssignment):
        raise InputError("transfer_matrix needs a ShellAssignment (see assign_shells)")
    n = assignment.n
    a = _check_amplitudes(a, n)
    A = validate_finite(A, "Kato coefficients")
    if A.shape != (n, n):
        raise ShapeError(f"Kato coefficients: expected ({n}, {n}), got {A.shape}")
    Sa = assignment.onehot(a)
    T = Sa.T @ (A @ Sa)
    intra = np.diag(T).copy()
    np.fill_diagonal(T, 0.0)
    T = 0.5 * (T - T.T)  # exact antisymmetry (A is antisymmetric up to rounding)
    return ShellTransfer(assignment.grid, assignment.alphas, T, intra)


def projector_transfer(
    lam: ArrayLike, B: ArrayLike, a: ArrayLike, assignment: ShellAssignment, *, gap_tol: float | None = None
) -> ShellTransfer:
    r"""Gauge-free (projector) form of the inter-shell transfer (GRSD-T5); degenerate shells allowed.

    With :math:`P_\alpha` the spectral projector on :math:`S_\alpha`,
    :math:`\tfrac{d}{dt}\tfrac12 e^TP_\alpha e = -D_\alpha + \tfrac12 e^T\dot P_\alpha e`, and
    the resolvent formula
    :math:`\dot P_\alpha = \sum_{k\in S_\alpha,\,j\notin S_\alpha}\frac{u_j^T\dot Mu_k}{\lambda_k-\lambda_j}(u_ju_k^T+u_ku_j^T)`
    involves only gaps *between* shells.  The pairwise transfer is

    .. math:: T_{\alpha\beta} = e^TP_\alpha\dot P_\alpha P_\beta e
              = \sum_{k\in S_\alpha, j\in S_\beta}\frac{u_j^T\dot M u_k}{\lambda_k-\lambda_j}a_ka_j
              \quad(\alpha\ne\beta),

    invariant under any rotation of the basis inside a shell (so degenerate eigenvalues inside a
    shell are fine), and :math:`T_\alpha = \tfrac12 e^T\dot P_\alpha e`.  Only an inter-shell gap
    below ``gap_tol`` raises :class:`DegenerateGapError` (an eigenvalue crossing a boundary).

    Parameters
    ----------
    lam : array_like
        Eigenvalues (n,).
    B : array_like
        Projected derivative :math:`U^T\dot MU`.
    a : array_like
        Amplitudes.
    assignment : ShellAssignment
        Modes to shells.
    gap_tol : float, optional
        Smallest inter-shell gap.

    Returns
    -------
    ShellTransfer
        With ``intra`` zero.

    Raises
    ------
    DegenerateGapError
        An inter-shell gap below ``gap_tol``.
    InputError, ShapeError
        Bad assignment or shapes.

    Examples
    --------
    >>> asg = assign_shells([1.0, 1.0, 3.0], ShellGrid(1.0))   # a degenerate pair in shell 0
    >>> B = np.array([[0.0, 5.0, 2.0], [5.0, 0.0, 2.0], [2.0, 2.0, 0.0]])
    >>> projector_transfer([1.0, 1.0, 3.0], B, [1.0, 0.0, 1.0], asg).inter.tolist()
    [[0.0, -1.0], [1.0, 0.0]]
    """
    if not isinstance(assignment, ShellAssignment):
        raise InputError("projector_transfer needs a ShellAssignment (see assign_shells)")
    n = assignment.n
    lam = validate_finite(lam, "eigenvalues")
    a = _check_amplitudes(a, n)
    B = validate_finite(B, "U^T dM U")
    if lam.shape != (n,) or B.shape != (n, n):
        raise ShapeError(f"eigenvalues {lam.shape} / U^T dM U {B.shape} do not match {n} modes")
    bins = assignment.bins
    cross = bins[:, None] != bins[None, :]
    gap, tol, pair = _gaps(lam, gap_tol, cross)
    if pair is not None:
        k, j = pair
        raise DegenerateGapError(
            f"inter-shell gap |lambda_{k} - lambda_{j}| = |{lam[k]:.6g} - {lam[j]:.6g}| < gap_tol = "
            f"{tol:.2e}: an eigenvalue sits on a shell boundary (a crossing event); the transfer "
            "rate is singular there -- move the checkpoint or the grid origin s0"
        )
    R = np.zeros((n, n))
    np.divide(B, gap, out=R, where=cross)
    Sa = assignment.onehot(a)
    T = Sa.T @ (R @ Sa)
    np.fill_diagonal(T, 0.0)
    T = 0.5 * (T - T.T)
    return ShellTransfer(assignment.grid, assignment.alphas, T, np.zeros(assignment.K + 1))


def projector_transfer_fd(
    M_of_t: Callable[[float], np.ndarray],
    t: float,
    e: ArrayLike,
    grid: ShellGrid,
    *,
    dt: float = 1e-5,
    null_tol: float = 0.0,
    alpha_range: tuple[int, int] | None = None,
    sym_rtol: float = DEFAULT_SYM_RTOL,
) -> ShellTransfer:
    r"""Projector-form transfer with :math:`\dot P_\alpha` by central differences of spectral projectors.

    .. math:: T_{\alpha\beta} = (P_\alpha e)^T\,\frac{P_\alpha(t+\delta)-P_\alpha(t-\delta)}{2\delta}\,(P_\beta e)

    with :math:`P_\alpha(\tau)` from eigendecompositions of ``M_of_t(tau)`` (any basis inside a
    shell: gauge free, degeneracy allowed).  Only n-vectors are formed (projectors are applied as
    :math:`U_\alpha(U_\alpha^T x)`).  Truncation error :math:`O(\delta^2)`; the shell membership
    must not change within :math:`[t-\delta, t+\delta]` (else :class:`InputError`).

    Parameters
    ----------
    M_of_t : callable
        ``tau -> M(tau)``, symmetric PSD.
    t : float
        The time.
    e : array_like
        Error at ``t``.
    grid : ShellGrid
        Shells.
    dt : float
        Difference step :math:`\delta`.
    null_tol, alpha_range
        For :func:`assign_shells`.
    sym_rtol : float
        Symmetry tolerance of ``M``.

    Returns
    -------
    ShellTransfer

    Raises
    ------
    InputError
        The membership changes within ``dt``.

    Examples
    --------
    >>> M = lambda t: np.array([[2.0, t], [t, 5.0]])   # shells 0 and 1, coupled at rate 1/3
    >>> T = projector_transfer_fd(M, 0.0, [1.0, 1.0], ShellGrid(1.0))
    >>> round(float(T.inter[1, 0]), 6)
    0.333333
    """
    e = validate_finite(e, "e")
    pts = {}
    for tau in (t - dt, t, t + dt):
        lam, U = eigh_psd(M_of_t(tau), sym_rtol=sym_rtol)
        pts[tau] = (lam, U)
    asg = {tau: assign_shells(pts[tau][0], grid, null_tol=null_tol, alpha_range=alpha_range) for tau in pts}
    ref = asg[t]
    for tau in (t - dt, t + dt):
        if (
            asg[tau].alpha_min != ref.alpha_min
            or asg[tau].K != ref.K
            or not np.array_equal(np.sort(asg[tau].bins), np.sort(ref.bins))
        ):
            raise InputError(
                f"projector_transfer_fd: the shell membership changes within dt={dt} "
                f"of t={t} (an eigenvalue crosses a boundary); use a smaller dt"
            )
    if e.shape != (ref.n,):
        raise ShapeError(f"e: expected shape ({ref.n},), got {e.shape}")

    def proj(tau, i, x):
        _lam, U = pts[tau]
        Ui = U[:, asg[tau].bins == i]
        return Ui @ (Ui.T @ x)

    K1 = ref.K + 1
    Pe = [proj(t, i, e) for i in range(K1)]
    T = np.zeros((K1, K1))
    for i in range(K1):
        for j in range(K1):
            if i == j:
                continue
            dP = (proj(t + dt, i, Pe[j]) - proj(t - dt, i, Pe[j])) / (2 * dt)
            T[i, j] = float(Pe[i] @ dP)
    T = 0.5 * (T - T.T)
    return ShellTransfer(grid, ref.alphas, T, np.zeros(K1))


def boundary_fluxes(T: ArrayLike, *, antisym_rtol: float = 1e-8) -> np.ndarray:
    r"""Boundary fluxes of an ordered antisymmetric transfer matrix (GRSD-T6).

    .. math:: F_{i+1/2} = \sum_{\beta>i,\ \gamma\le i} T_{\beta\gamma}, \qquad i = 0..m-2,

    the net rate of energy crossing boundary ``i+1/2`` upward, computed from the double sum (2-D
    cumulative sums); the net transfer then telescopes, :math:`T_i = F_{i-1/2}-F_{i+1/2}`.
    Non-antisymmetric input (beyond ``antisym_rtol`` relative) raises :class:`InputError`.

    Parameters
    ----------
    T : array_like
        Transfer matrix (m, m), shells in increasing order.
    antisym_rtol : float
        Relative antisymmetry tolerance.

    Returns
    -------
    numpy.ndarray
        Fluxes (m-1,).

    Raises
    ------
    ShapeError, InputError
        Not square or not antisymmetric.

    Examples
    --------
    >>> boundary_fluxes(np.array([[0.0, -1.0], [1.0, 0.0]])).tolist()
    [1.0]
    """
    T = validate_finite(T, "transfer matrix")
    if T.ndim != 2 or T.shape[0] != T.shape[1]:
        raise ShapeError(f"transfer matrix must be square, got {T.shape}")
    m = T.shape[0]
    scale = float(np.max(np.abs(T), initial=0.0))
    if m and float(np.max(np.abs(T + T.T))) > antisym_rtol * scale:
        raise InputError("transfer matrix is not antisymmetric (T_ab = -T_ba is required, GRSD-T4)")
    if m < 2:
        return np.zeros(0)
    # R[i, j] = sum_{beta >= i, gamma <= j} T[beta, gamma]
    R = np.cumsum(np.cumsum(T[::-1], axis=0)[::-1], axis=1)
    idx = np.arange(m - 1)
    return R[idx + 1, idx].copy()
