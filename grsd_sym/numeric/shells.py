r"""Logarithmic shells from data: energies, dissipation, transfer, fluxes and the measured velocity.

GRSD section 3 (GRSD-T4, T5, T6) on arrays.  Grid :math:`s_\alpha = s_0 + \alpha h`, shell

.. math:: S_\alpha = \{\lambda > 0 : s_\alpha \le \log\lambda < s_{\alpha+1}\},

eigenvalues :math:`\lambda \le` ``null_tol`` (zero, or non-positive within the PSD tolerance)
form the **null shell**: reported, never dropped.

Layout convention of every shell-indexed matrix in this module: *extended* index 0 is the null
shell (it sits below every shell, at :math:`s = -\infty`), extended index ``i >= 1`` is shell
:math:`\alpha_{\min} + i - 1`.  Boundary ``i`` (``i = 0..K-1``) separates extended shells ``i``
and ``i + 1``; boundary ``i >= 1`` is at :math:`s_{\alpha_{\min}+i}`.

Quantities (per checkpoint; :math:`a_k = u_k^T e`):

* energies :math:`E_\alpha = \tfrac12\sum_{k\in S_\alpha} a_k^2` and :math:`E_{\mathrm{null}}`,
  with :math:`\sum_\alpha E_\alpha + E_{\mathrm{null}} = L` (:func:`shell_energies`);
* dissipation :math:`D_\alpha = \sum_{k\in S_\alpha}\lambda_k a_k^2` (:func:`shell_dissipation`);
* Kato coefficients :math:`A_{kj} = u_j^T\dot M u_k/(\lambda_k-\lambda_j)` (GRSD-T2/T3,
  :func:`kato_coefficients`);
* transfer :math:`T_{\alpha\beta} = \sum_{k\in S_\alpha, j\in S_\beta} A_{kj} a_k a_j`
  (GRSD-T4, :func:`transfer_matrix`), and its gauge-free projector form (GRSD-T5,
  :func:`projector_transfer`, :func:`projector_transfer_fd`);
* fluxes :math:`F_{\alpha+1/2} = \sum_{\beta>\alpha,\gamma\le\alpha} T_{\beta\gamma}` with
  :math:`T_\alpha = F_{\alpha-1/2} - F_{\alpha+1/2}` (GRSD-T6, :func:`boundary_fluxes`);
* measured velocity :math:`V = F/\varepsilon`, :math:`\varepsilon = E/h` (section 4,
  :func:`measured_velocity`), the drift (boundary-crossing) flux of moving eigenvalues
  (:func:`drift_flux`, instantaneous and smoothed; :func:`crossing_flux`, counted between two
  checkpoints) and the per-shell drift fit of the velocity exponent ``b``
  (:func:`fit_velocity_exponent`).

>>> grid = ShellGrid(h=1.0)
>>> E = shell_energies([0.0, 0.5, 2.0, 3.0], [1.0, 2.0, 3.0, 4.0], grid)
>>> E.alphas.tolist(), E.values.tolist(), E.null
([-1, 0, 1], [2.0, 4.5, 8.0], 0.5)
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Callable

import numpy as np

from grsd_sym.errors import (DegenerateGapError, EmptyShellError, InputError, NegativeEigenvalueError,
                             NonFiniteError, ShapeError, ShellGridError)
from grsd_sym.numeric.spectra import (DEFAULT_SYM_RTOL, default_psd_tol, eigh_psd,
                                      validate_finite, validate_symmetric)

__all__ = [
    "ShellGrid",
    "ShellAssignment",
    "ShellSums",
    "ShellTransfer",
    "ShellMeasurement",
    "VelocityFit",
    "assign_shells",
    "shell_energies",
    "shell_dissipation",
    "loss",
    "outside_energy",
    "projected_derivative",
    "projected_derivative_from_jacobian",
    "default_gap_tol",
    "kato_coefficients",
    "transfer_matrix",
    "projector_transfer",
    "projector_transfer_fd",
    "boundary_fluxes",
    "measured_velocity",
    "drift_flux",
    "crossing_flux",
    "shell_drift_velocity",
    "fit_velocity_exponent",
    "measure_shells",
]


# ---------------------------------------------------------------------------------------------
# the grid and the assignment of modes to shells
# ---------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class ShellGrid:
    r"""Logarithmic shell grid :math:`s_\alpha = s_0 + \alpha h` (GRSD section 3).

    ``h > 0`` finite and ``s0`` finite, else :class:`ShellGridError`.

    >>> g = ShellGrid(0.5, s0=-1.0)
    >>> g.lower(2), g.upper(2), g.center(2)
    (0.0, 0.5, 0.25)
    >>> ShellGrid(1.0).alpha_of(np.array([1.0, np.e ** 2.5])).tolist()
    [0, 2]
    """

    h: float
    s0: float = 0.0

    def __post_init__(self):
        try:
            h, s0 = float(self.h), float(self.s0)
        except (TypeError, ValueError):
            raise ShellGridError(f"ShellGrid: h and s0 must be real numbers, got h={self.h!r}, "
                                 f"s0={self.s0!r}") from None
        if not math.isfinite(h) or h <= 0:
            raise ShellGridError(f"ShellGrid: the shell width h must be finite and > 0, got {self.h!r}")
        if not math.isfinite(s0):
            raise ShellGridError(f"ShellGrid: the grid origin s0 must be finite, got {self.s0!r}")
        object.__setattr__(self, "h", h)
        object.__setattr__(self, "s0", s0)

    def lower(self, alpha):
        r"""Lower edge :math:`s_\alpha = s_0 + \alpha h`."""
        return self.s0 + np.asarray(alpha) * self.h if np.ndim(alpha) else self.s0 + alpha * self.h

    def upper(self, alpha):
        r"""Upper edge :math:`s_{\alpha+1}`."""
        return self.lower(np.asarray(alpha) + 1) if np.ndim(alpha) else self.lower(alpha + 1)

    def center(self, alpha):
        r"""Centre :math:`s_\alpha + h/2` (log coordinate)."""
        return self.lower(alpha) + 0.5 * self.h

    def lam_center(self, alpha):
        r"""Representative eigenvalue :math:`\lambda_\alpha = e^{s_\alpha + h/2}` (GRSD section 5)."""
        return np.exp(self.center(alpha))

    def alpha_of(self, lam) -> np.ndarray:
        r"""Shell index :math:`\lfloor(\log\lambda - s_0)/h\rfloor` of positive eigenvalues."""
        lam = np.asarray(lam, dtype=float)
        if np.any(~(lam > 0)):
            raise InputError("alpha_of: eigenvalues must be > 0 (non-positive ones are null-shell modes)")
        return np.floor((np.log(lam) - self.s0) / self.h).astype(np.int64)

    def assign(self, lam, **kwargs) -> "ShellAssignment":
        """Shorthand for :func:`assign_shells` on this grid."""
        return assign_shells(lam, self, **kwargs)


@dataclass(frozen=True)
class ShellAssignment:
    r"""Which shell each mode belongs to.

    ``bins[k]`` is the *extended* index of mode k: 0 for the null shell, ``i >= 1`` for shell
    ``alpha_min + i - 1``.  ``K`` shells ``alpha_min .. alpha_min + K - 1`` (all of them, the
    empty ones included); ``counts`` (K,) and ``null_count``.
    """

    grid: ShellGrid
    alpha_min: int
    K: int
    bins: np.ndarray
    counts: np.ndarray
    null_count: int

    @property
    def alphas(self) -> np.ndarray:
        """Shell indices (K,)."""
        return np.arange(self.alpha_min, self.alpha_min + self.K, dtype=np.int64)

    @property
    def n(self) -> int:
        """Number of modes."""
        return int(self.bins.size)

    @property
    def is_null(self) -> np.ndarray:
        """Boolean mask of the null-shell modes."""
        return self.bins == 0

    def onehot(self, weights=None) -> np.ndarray:
        r"""Dense (n, K+1) indicator :math:`S_{k,i} = w_k [\mathrm{bin}_k = i]` (extended layout)."""
        S = np.zeros((self.n, self.K + 1))
        S[np.arange(self.n), self.bins] = 1.0 if weights is None else np.asarray(weights, dtype=float)
        return S

    def sum(self, weights, *, exact: bool = False) -> tuple[float, np.ndarray]:
        """Per-shell sums of ``weights``: ``(null_sum, shell_sums (K,))`` (one bincount pass).

        ``exact=True`` sums each shell with :func:`math.fsum` (correctly rounded; slower).
        """
        w = np.asarray(weights, dtype=float)
        if w.shape != self.bins.shape:
            raise ShapeError(f"weights: shape {w.shape} does not match the {self.n} modes")
        if exact:
            order = np.argsort(self.bins, kind="stable")
            ws = w[order]
            cnt = np.bincount(self.bins, minlength=self.K + 1)
            edges = np.concatenate([[0], np.cumsum(cnt)])
            out = np.array([math.fsum(ws[edges[i]:edges[i + 1]].tolist()) for i in range(self.K + 1)])
        else:
            out = np.bincount(self.bins, weights=w, minlength=self.K + 1)
        return float(out[0]), out[1:]


def assign_shells(lam, grid: ShellGrid, *, null_tol: float = 0.0, psd_tol: float | None = None,
                  alpha_range: tuple[int, int] | None = None, validate: bool = True) -> ShellAssignment:
    r"""Assign eigenvalues to shells :math:`\alpha = \lfloor(\log\lambda - s_0)/h\rfloor`; :math:`\lambda\le` ``null_tol`` -> null shell.

    ``psd_tol`` (default :func:`~grsd_sym.numeric.spectra.default_psd_tol`): an eigenvalue below
    ``-psd_tol`` raises :class:`NegativeEigenvalueError`.  ``alpha_range=(lo, hi)`` fixes the shells
    reported to ``lo..hi`` (to align checkpoints); a positive eigenvalue outside it raises
    :class:`InputError` (modes are never dropped).  Memory: O(n) (one float and one int array).

    >>> A = assign_shells([0.0, 1.0, 0.5], ShellGrid(1.0))
    >>> A.alphas.tolist(), A.bins.tolist(), A.counts.tolist(), A.null_count
    ([-1, 0], [0, 2, 1], [1, 1], 1)
    """
    if not isinstance(grid, ShellGrid):
        raise ShellGridError(f"grid must be a ShellGrid, got {type(grid).__name__}")
    lam = np.asarray(lam, dtype=float)
    if lam.ndim != 1:
        raise ShapeError(f"eigenvalues: must be one-dimensional, got shape {lam.shape}")
    n = lam.size
    if not (math.isfinite(null_tol) and null_tol >= 0):
        raise InputError(f"null_tol must be finite and >= 0, got {null_tol!r}")
    if n == 0:
        K = 0 if alpha_range is None else int(alpha_range[1]) - int(alpha_range[0]) + 1
        lo = 0 if alpha_range is None else int(alpha_range[0])
        return ShellAssignment(grid, lo, K, np.zeros(0, np.intp), np.zeros(K, np.int64), 0)
    if validate and not np.isfinite(lam).all():
        raise NonFiniteError("eigenvalues: NaN or infinity; all eigenvalues must be finite")
    lmin = float(lam.min())
    if validate:
        tol = default_psd_tol(lam) if psd_tol is None else float(psd_tol)
        if lmin < -tol:
            raise NegativeEigenvalueError(
                f"eigenvalue {lmin:.6e} is below -psd_tol = {-tol:.3e}; the operator must be PSD")
    all_pos = lmin > null_tol
    q = np.empty(n)
    with np.errstate(divide="ignore", invalid="ignore"):
        np.log(lam, out=q)
    if grid.s0 != 0.0:
        np.subtract(q, grid.s0, out=q)
    np.divide(q, grid.h, out=q)
    np.floor(q, out=q)
    if all_pos:
        null = None
        qmin, qmax = float(q.min()), float(q.max())
    else:
        null = ~(lam > null_tol)
        if null.all():
            qmin = qmax = None
        else:
            np.putmask(q, null, np.inf)
            qmin = float(q.min())
            np.putmask(q, null, -np.inf)
            qmax = float(q.max())
    if alpha_range is not None:
        lo, hi = int(alpha_range[0]), int(alpha_range[1])
        if hi < lo:
            raise InputError(f"alpha_range: hi < lo in {alpha_range!r}")
        if qmin is not None and (qmin < lo or qmax > hi):
            raise InputError(f"alpha_range {alpha_range!r} does not contain every mode: shells "
                             f"{int(qmin)}..{int(qmax)} are occupied (modes are never dropped)")
    elif qmin is None:
        lo, hi = 0, -1
    else:
        lo, hi = int(qmin), int(qmax)
    K = hi - lo + 1
    if null is not None:
        np.putmask(q, null, lo - 1)
    bins = q.astype(np.intp)
    bins -= lo - 1
    cnt = np.bincount(bins, minlength=K + 1)
    return ShellAssignment(grid=grid, alpha_min=lo, K=K, bins=bins, counts=cnt[1:].astype(np.int64),
                           null_count=int(cnt[0]))


# ---------------------------------------------------------------------------------------------
# energies and dissipation
# ---------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class ShellSums:
    r"""A per-shell sum (energies or dissipation): ``values`` (K,) on shells ``alphas`` and ``null``.

    ``total`` is :func:`math.fsum` of all of them (null included).  ``extended`` puts the null
    value first (the module's layout).
    """

    kind: str
    grid: ShellGrid
    alphas: np.ndarray
    values: np.ndarray
    null: float
    counts: np.ndarray
    null_count: int

    @property
    def total(self) -> float:
        """Sum over every shell and the null shell (compensated)."""
        return math.fsum([self.null, *self.values.tolist()])

    @property
    def extended(self) -> np.ndarray:
        """``[null, values...]`` (length K+1)."""
        return np.concatenate([[self.null], self.values])

    @property
    def density(self) -> np.ndarray:
        r"""Per unit log-eigenvalue, :math:`\varepsilon_\alpha = E_\alpha/h` (section 4)."""
        return self.values / self.grid.h


def _as_assignment(lam, grid_or_assignment, kw) -> tuple[np.ndarray, ShellAssignment]:
    if isinstance(grid_or_assignment, ShellAssignment):
        lam_arr = None if lam is None else np.asarray(lam, dtype=float)
        if lam_arr is not None and lam_arr.shape != grid_or_assignment.bins.shape:
            raise ShapeError(f"eigenvalues {lam_arr.shape} do not match the assignment of "
                             f"{grid_or_assignment.n} modes")
        return lam_arr, grid_or_assignment
    return np.asarray(lam, dtype=float), assign_shells(lam, grid_or_assignment, **kw)


def _check_amplitudes(a, n: int) -> np.ndarray:
    a = np.asarray(a, dtype=float)
    if a.shape != (n,):
        raise ShapeError(f"amplitudes: expected shape ({n},) to match the eigenvalues, got {a.shape}")
    if not np.isfinite(a).all():
        raise NonFiniteError("amplitudes: NaN or infinity; all amplitudes must be finite")
    return a


def shell_energies(lam, a, grid, *, null_tol: float = 0.0, psd_tol: float | None = None,
                   alpha_range=None, exact: bool = False, outside: float = 0.0) -> ShellSums:
    r"""Shell energies :math:`E_\alpha = \tfrac12\sum_{k\in S_\alpha} a_k^2` and the null energy (GRSD-T4).

    ``grid`` is a :class:`ShellGrid` (then ``null_tol, psd_tol, alpha_range`` go to
    :func:`assign_shells`) or a ready :class:`ShellAssignment`.  ``outside`` is energy of the
    error component outside the eigenbasis (a thin basis from a tall Jacobian, see
    :func:`outside_energy`); it belongs to the null shell.  One bincount pass; ``exact=True`` sums
    each shell with :func:`math.fsum`, so that :math:`\sum_\alpha E_\alpha + E_{\mathrm{null}}`
    equals :math:`\tfrac12\sum_k a_k^2` to a few ulps.

    >>> E = shell_energies([1.0, 1.5, 5.0], [1.0, 1.0, 2.0], ShellGrid(1.0))
    >>> E.alphas.tolist(), E.values.tolist(), E.null, E.total
    ([0, 1], [1.0, 2.0], 0.0, 3.0)
    """
    lam, A = _as_assignment(lam, grid, dict(null_tol=null_tol, psd_tol=psd_tol, alpha_range=alpha_range))
    a = _check_amplitudes(a, A.n)
    null, vals = A.sum(a * a, exact=exact)
    outside = float(outside)
    if not (math.isfinite(outside) and outside >= 0):
        raise InputError(f"outside energy must be finite and >= 0, got {outside!r}")
    return ShellSums("energy", A.grid, A.alphas, 0.5 * vals, 0.5 * null + outside, A.counts, A.null_count)


def shell_dissipation(lam, a, grid, *, null_tol: float = 0.0, psd_tol: float | None = None,
                      alpha_range=None, exact: bool = False) -> ShellSums:
    r"""Shell dissipation :math:`D_\alpha = \sum_{k\in S_\alpha}\lambda_k a_k^2 \ge 0` (GRSD-T4).

    The null entry is :math:`\sum_{k\,\mathrm{null}}\lambda_k a_k^2` (zero up to the PSD tolerance).

    >>> shell_dissipation([1.0, 5.0], [1.0, 2.0], ShellGrid(1.0)).values.tolist()
    [1.0, 20.0]
    """
    lam, A = _as_assignment(lam, grid, dict(null_tol=null_tol, psd_tol=psd_tol, alpha_range=alpha_range))
    if lam is None:
        raise InputError("shell_dissipation needs the eigenvalues")
    a = _check_amplitudes(a, A.n)
    null, vals = A.sum(lam * a * a, exact=exact)
    return ShellSums("dissipation", A.grid, A.alphas, vals, null, A.counts, A.null_count)


def loss(e) -> float:
    r"""Loss :math:`L = \tfrac12\|e\|^2` with a compensated sum.

    >>> loss([3.0, 4.0])
    12.5
    """
    e = validate_finite(e, "e").ravel()
    return 0.5 * math.fsum((e * e).tolist())


def outside_energy(U, e, a=None) -> float:
    r"""Energy :math:`\tfrac12\|e - U U^T e\|^2` of the error outside a thin eigenbasis ``U`` (n x m).

    Computed from the residual vector (never negative); 0 for a complete basis up to rounding.

    >>> outside_energy(np.array([[1.0], [0.0]]), [3.0, 4.0])
    8.0
    """
    U = validate_finite(U, "U")
    e = validate_finite(e, "e")
    a = U.T @ e if a is None else np.asarray(a, dtype=float)
    r = e - U @ a
    return 0.5 * math.fsum((r * r).tolist())


# ---------------------------------------------------------------------------------------------
# Kato coefficients and the transfer matrix
# ---------------------------------------------------------------------------------------------

def projected_derivative(U, dM, *, sym_rtol: float = DEFAULT_SYM_RTOL) -> np.ndarray:
    r""":math:`B = U^T \dot M U`, i.e. :math:`B_{jk} = u_j^T\dot M u_k` (symmetric).

    ``dM`` must be symmetric to ``sym_rtol`` (relative; loosen it for finite-difference data).

    >>> projected_derivative(np.eye(2), np.array([[0.0, 1.0], [1.0, 0.0]])).tolist()
    [[0.0, 1.0], [1.0, 0.0]]
    """
    U = validate_finite(U, "U")
    dM = validate_symmetric(dM, sym_rtol=sym_rtol, name="dM/dt")
    if dM.shape[0] != U.shape[0]:
        raise ShapeError(f"dM/dt {dM.shape} does not match U {U.shape}")
    B = U.T @ (dM @ U)
    return 0.5 * (B + B.T)


def projected_derivative_from_jacobian(U, J, dJ) -> np.ndarray:
    r""":math:`U^T\dot M U` for :math:`M = JJ^T` from ``J, dJ/dt`` (n x P) without forming an n x n matrix.

    .. math:: U^T\dot M U = (U^T\dot J)(J^TU) + (U^TJ)(\dot J^TU).

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


def default_gap_tol(lam) -> float:
    r"""Default gap tolerance :math:`10^{3}\,n\,\epsilon\,\max(\max_k|\lambda_k|, 1)` of :func:`kato_coefficients`."""
    lam = np.asarray(lam, dtype=float)
    return 1e3 * max(lam.size, 1) * float(np.finfo(float).eps) * max(float(np.max(np.abs(lam), initial=0.0)), 1.0)


def kato_coefficients(lam, B, *, gap_tol: float | None = None) -> np.ndarray:
    r"""Kato coefficients :math:`A_{kj} = u_k'^Tu_j = \dfrac{u_j^T\dot M u_k}{\lambda_k-\lambda_j}` (GRSD-T2/T3), :math:`A_{kk}=0`.

    ``B`` is :math:`U^T\dot M U` (:func:`projected_derivative`).  ``A`` is antisymmetric.  A gap
    :math:`|\lambda_k-\lambda_j|` below ``gap_tol`` (default :func:`default_gap_tol`) raises
    :class:`DegenerateGapError`: use the gauge-free projector form :func:`projector_transfer`
    (GRSD-T5), which needs no intra-shell gap.

    >>> A = kato_coefficients([1.0, 3.0], np.array([[0.0, 4.0], [4.0, 0.0]]))
    >>> A.tolist()
    [[0.0, -2.0], [2.0, 0.0]]
    """
    lam = validate_finite(lam, "eigenvalues")
    B = validate_finite(B, "U^T dM U")
    n = lam.size
    if B.shape != (n, n):
        raise ShapeError(f"U^T dM U: expected shape ({n}, {n}), got {B.shape}")
    tol = default_gap_tol(lam) if gap_tol is None else float(gap_tol)
    gap = lam[:, None] - lam[None, :]          # gap[k, j] = lam_k - lam_j
    np.fill_diagonal(gap, np.inf)
    small = np.abs(gap) < tol
    if small.any():
        k, j = np.argwhere(small)[0]
        raise DegenerateGapError(
            f"Kato coefficient A[{k},{j}] needs 1/(lambda_k - lambda_j) across a gap "
            f"|{lam[k]:.6g} - {lam[j]:.6g}| < gap_tol = {tol:.2e}; the eigenbasis is not defined "
            "there. Use the gauge-free projector form (GRSD-T5): projector_transfer / "
            "projector_transfer_fd, which need no gap inside a shell")
    A = B / gap                                 # B symmetric: B[k, j] = u_j^T M' u_k
    np.fill_diagonal(A, 0.0)
    return A


@dataclass(frozen=True)
class ShellTransfer:
    r"""Inter-shell transfer :math:`T_{\alpha\beta}` in the extended layout (index 0 = null shell).

    ``matrix[i, j]`` is the rate of energy into extended shell ``i`` from ``j``
    (:math:`T_{\alpha\beta} = -T_{\beta\alpha}`).  ``intra[i]`` is the intra-shell sum
    :math:`\sum_{k,j\in S_\alpha}A_{kj}a_ka_j` (zero identically, GRSD-T4; computed by the Kato
    form and reported as a check, 0 exactly in the projector form); it is *not* in ``matrix``.
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

    @property
    def boundary_s(self) -> np.ndarray:
        r"""Positions of the extended boundaries: :math:`[-\infty, s_{\alpha_{\min}+1}, \dots]` (K,)."""
        K = self.alphas.size
        return np.concatenate([[-np.inf], self.grid.lower(self.alphas[1:])]) if K else np.zeros(0)


def transfer_matrix(a, A, assignment: ShellAssignment) -> ShellTransfer:
    r"""Kato-form inter-shell transfer :math:`T_{\alpha\beta} = \sum_{k\in S_\alpha,j\in S_\beta}A_{kj}a_ka_j` (GRSD-T4).

    Computed as :math:`(S\circ a)^T A\,(S\circ a)` with the (n, K+1) weighted indicator
    :math:`(S\circ a)_{k\alpha} = a_k[k\in S_\alpha]`: memory O(nK) beyond ``A``.

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
    T = 0.5 * (T - T.T)           # exact antisymmetry (A is antisymmetric up to rounding)
    return ShellTransfer(assignment.grid, assignment.alphas, T, intra)


def projector_transfer(lam, B, a, assignment: ShellAssignment, *,
                       gap_tol: float | None = None) -> ShellTransfer:
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
    tol = default_gap_tol(lam) if gap_tol is None else float(gap_tol)
    bins = assignment.bins
    cross = bins[:, None] != bins[None, :]
    gap = lam[:, None] - lam[None, :]
    bad = cross & (np.abs(gap) < tol)
    if bad.any():
        k, j = np.argwhere(bad)[0]
        raise DegenerateGapError(
            f"inter-shell gap |lambda_{k} - lambda_{j}| = |{lam[k]:.6g} - {lam[j]:.6g}| < gap_tol = "
            f"{tol:.2e}: an eigenvalue sits on a shell boundary (a crossing event); the transfer "
            "rate is singular there -- move the checkpoint or the grid origin s0")
    R = np.zeros((n, n))
    np.divide(B, gap, out=R, where=cross)
    Sa = assignment.onehot(a)
    T = Sa.T @ (R @ Sa)
    np.fill_diagonal(T, 0.0)
    T = 0.5 * (T - T.T)
    return ShellTransfer(assignment.grid, assignment.alphas, T, np.zeros(assignment.K + 1))


def projector_transfer_fd(M_of_t: Callable[[float], np.ndarray], t: float, e, grid: ShellGrid, *,
                          dt: float = 1e-5, null_tol: float = 0.0, alpha_range=None,
                          sym_rtol: float = DEFAULT_SYM_RTOL) -> ShellTransfer:
    r"""Projector-form transfer with :math:`\dot P_\alpha` by central differences of spectral projectors.

    .. math:: T_{\alpha\beta} = (P_\alpha e)^T\,\frac{P_\alpha(t+\delta)-P_\alpha(t-\delta)}{2\delta}\,(P_\beta e)

    with :math:`P_\alpha(\tau)` from eigendecompositions of ``M_of_t(tau)`` (any basis inside a
    shell: gauge free, degeneracy allowed).  Only n-vectors are formed (projectors are applied as
    :math:`U_\alpha(U_\alpha^T x)`).  Truncation error :math:`O(\delta^2)`; the shell membership
    must not change within :math:`[t-\delta, t+\delta]` (else :class:`InputError`).
    """
    e = validate_finite(e, "e")
    pts = {}
    for tau in (t - dt, t, t + dt):
        lam, U = eigh_psd(M_of_t(tau), sym_rtol=sym_rtol)
        pts[tau] = (lam, U)
    asg = {tau: assign_shells(pts[tau][0], grid, null_tol=null_tol, alpha_range=alpha_range)
           for tau in pts}
    ref = asg[t]
    for tau in (t - dt, t + dt):
        if asg[tau].alpha_min != ref.alpha_min or asg[tau].K != ref.K or \
                not np.array_equal(np.sort(asg[tau].bins), np.sort(ref.bins)):
            raise InputError(f"projector_transfer_fd: the shell membership changes within dt={dt} "
                             f"of t={t} (an eigenvalue crosses a boundary); use a smaller dt")
    if e.shape != (ref.n,):
        raise ShapeError(f"e: expected shape ({ref.n},), got {e.shape}")

    def proj(tau, i, x):
        lam, U = pts[tau]
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


# ---------------------------------------------------------------------------------------------
# fluxes and velocity
# ---------------------------------------------------------------------------------------------

def boundary_fluxes(T, *, antisym_rtol: float = 1e-8) -> np.ndarray:
    r"""Boundary fluxes of an ordered antisymmetric transfer matrix (GRSD-T6).

    .. math:: F_{i+1/2} = \sum_{\beta>i,\ \gamma\le i} T_{\beta\gamma}, \qquad i = 0..m-2,

    the net rate of energy crossing boundary ``i+1/2`` upward, computed from the double sum (2-D
    cumulative sums); the net transfer then telescopes, :math:`T_i = F_{i-1/2}-F_{i+1/2}`.
    Non-antisymmetric input (beyond ``antisym_rtol`` relative) raises :class:`InputError`.

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


def measured_velocity(transfer: ShellTransfer, energies: ShellSums, *, extra_flux=None,
                      eps_at: str = "upwind") -> tuple[np.ndarray, np.ma.MaskedArray]:
    r"""Measured renormalized velocity :math:`V = F/\varepsilon` at the interior boundaries (section 4).

    :math:`F` is the transfer flux (:meth:`ShellTransfer.fluxes`) plus ``extra_flux`` (e.g. the
    :func:`drift_flux` of moving eigenvalues), :math:`\varepsilon_\alpha = E_\alpha/h`.  At the
    boundary between shells :math:`\alpha,\alpha+1`: ``eps_at="upwind"`` takes the shell the flux
    comes from (lower one if :math:`F>0`), ``"mean"`` the average, ``"lower"``/``"upper"`` one side.
    Returns ``(s_b, V)`` for the K-1 interior boundaries :math:`s_b = s_{\alpha_{\min}+1},\dots`;
    ``V`` is masked where :math:`\varepsilon = 0` (never a division by zero).
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


def drift_flux(lam, dlam, a, assignment: ShellAssignment) -> np.ndarray:
    r"""Advective flux of moving eigenvalues across the interior boundaries (boundary crossings, GRSD-T6).

    An eigenvalue moving at :math:`\dot s_k = \dot\lambda_k/\lambda_k` carries :math:`a_k^2/2`
    across :math:`s_b`; smoothed with the hat kernel of half-width h,

    .. math:: F^{\mathrm{drift}}_b = \sum_k \tfrac12 a_k^2\,\dot s_k\,
              \frac{\max(0,\,1-|s_k-s_b|/h)}{h},

    whose time integral equals the energy that crosses :math:`s_b` up to O(h) smoothing.  Null
    modes carry no drift flux.  Returns the K-1 interior boundaries of ``assignment``.
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
        ib = assignment.bins[pos] - 1 + shift - 1      # interior boundary index (s_{alpha+shift})
        ok = (ib >= 0) & (ib < sb.size)
        hat = np.clip(1.0 - np.abs(s[ok] - sb[ib[ok]]) / g.h, 0.0, None) / g.h
        np.add.at(out, ib[ok], w[ok] * hat)
    return out


def crossing_flux(lam_t0, lam_t1, a, assignment: ShellAssignment, dt: float, *,
                  null_tol: float = 0.0, extended: bool = False) -> np.ndarray:
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
        raise ShapeError(f"eigenvalues at t0 {lam_t0.shape} and t1 {lam_t1.shape} must have shape ({n},) "
                         "(the same tracked modes as the assignment)")
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


def shell_drift_velocity(lam, dlam, assignment: ShellAssignment, weights=None) -> np.ma.MaskedArray:
    r"""Per-shell weighted mean drift :math:`V_\alpha = \sum_{k\in S_\alpha}w_k\dot s_k/\sum w_k`, :math:`\dot s=\dot\lambda/\lambda`.

    ``weights`` default 1 (mode count), e.g. ``a**2`` for energy weighting.  Masked on shells with
    zero weight.
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
    """

    b: float
    c: float
    sigma: int
    rms: float
    n_points: int


def fit_velocity_exponent(lam, dlam, grid, *, null_tol: float = 0.0, alpha_range=None,
                          min_count: int = 1) -> VelocityFit:
    r"""Velocity exponent ``b`` from the eigenvalue drift, fitted per shell.

    For each shell with at least ``min_count`` drifting modes take the means
    :math:`\bar s_\alpha = \langle\log\lambda_k\rangle` and
    :math:`\bar y_\alpha = \langle\log|\dot\lambda_k/\lambda_k|\rangle`; for the law
    :math:`\dot s = \sigma c\,\lambda^{b-1}` the points lie *exactly* on the line
    :math:`\bar y = \log c + (b-1)\bar s` (means of a linear relation), so a least-squares fit
    recovers ``b`` without shell-width bias.  Mixed signs of the drift raise :class:`InputError`;
    fewer than two usable shells raise :class:`EmptyShellError`.

    >>> lam = np.exp(np.linspace(-3, 0, 40)); dlam = -0.5 * lam ** 1.5
    >>> round(fit_velocity_exponent(lam, dlam, ShellGrid(0.5)).b, 12)
    1.5
    """
    lam = validate_finite(lam, "eigenvalues")
    dlam = validate_finite(dlam, "eigenvalue rates")
    if lam.shape != dlam.shape or lam.ndim != 1:
        raise ShapeError(f"eigenvalues {lam.shape} and rates {dlam.shape} must be equal 1-D shapes")
    asg = grid if isinstance(grid, ShellAssignment) else assign_shells(
        lam, grid, null_tol=null_tol, alpha_range=alpha_range)
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
        raise EmptyShellError(f"only {int(ok.sum())} shell(s) hold >= {min_count} drifting modes; "
                              "a slope needs at least two")
    xs, yb = ss[ok] / cnt[ok], ys[ok] / cnt[ok]
    X = np.stack([np.ones_like(xs), xs], axis=1)
    coef, *_ = np.linalg.lstsq(X, yb, rcond=None)
    rms = float(np.sqrt(np.mean((X @ coef - yb) ** 2)))
    return VelocityFit(b=float(coef[1] + 1.0), c=float(np.exp(coef[0])), sigma=int(signs[0]),
                       rms=rms, n_points=int(ok.sum()))


# ---------------------------------------------------------------------------------------------
# one-shot measurement of a checkpoint
# ---------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class ShellMeasurement:
    r"""Everything GRSD-T4/T6 measures at one checkpoint (see :func:`measure_shells`)."""

    eigenvalues: np.ndarray
    amplitudes: np.ndarray
    assignment: ShellAssignment
    energies: ShellSums
    dissipation: ShellSums
    transfer: ShellTransfer | None
    fluxes: np.ndarray | None
    velocity_s: np.ndarray | None
    velocity: np.ma.MaskedArray | None


def measure_shells(M, e, grid: ShellGrid, *, dM=None, form: str = "projector", null_tol: float = 0.0,
                   alpha_range=None, sym_rtol: float = DEFAULT_SYM_RTOL, psd_tol: float | None = None,
                   gap_tol: float | None = None, eps_at: str = "upwind") -> ShellMeasurement:
    r"""Measure the shell balance of one checkpoint ``(M, e[, dM/dt])``.

    Eigendecomposes ``M`` (:func:`~grsd_sym.numeric.spectra.eigh_psd`), assigns shells, and
    returns energies, dissipation, and -- if ``dM`` is given -- the transfer matrix
    (``form="projector"``: :func:`projector_transfer`, gauge free; ``"kato"``:
    :func:`transfer_matrix` with :func:`kato_coefficients`), the boundary fluxes and
    :math:`V = F/\varepsilon` (:func:`measured_velocity`).

    >>> m = measure_shells(np.diag([1.0, 3.0]), [1.0, 1.0], ShellGrid(1.0),
    ...                    dM=np.array([[0.0, 4.0], [4.0, 0.0]]))
    >>> m.energies.values.tolist(), m.transfer.inter.tolist()
    ([0.5, 0.5], [[0.0, -2.0], [2.0, 0.0]])
    """
    lam, U = eigh_psd(M, sym_rtol=sym_rtol, psd_tol=psd_tol)
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
