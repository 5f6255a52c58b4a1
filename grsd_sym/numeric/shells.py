r"""Logarithmic shells from data: the grid, the assignment of modes, energies and dissipation.

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
The transfer between shells and the boundary fluxes are :mod:`grsd_sym.numeric.transfer`; the
measured velocity and the one-shot :func:`~grsd_sym.numeric.velocity.measure_shells` are
:mod:`grsd_sym.numeric.velocity`.

>>> grid = ShellGrid(h=1.0)
>>> E = shell_energies([0.0, 0.5, 2.0, 3.0], [1.0, 2.0, 3.0, 4.0], grid)
>>> E.alphas.tolist(), E.values.tolist(), E.null
([-1, 0, 1], [2.0, 4.5, 8.0], 0.5)
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, TypedDict, Unpack

import numpy as np
from numpy.typing import ArrayLike

from grsd_sym.errors import (
    InputError,
    NegativeEigenvalueError,
    NonFiniteError,
    ShapeError,
    ShellGridError,
)
from grsd_sym.numeric.spectra import default_psd_tol, validate_finite

__all__ = [
    "ShellGrid",
    "ShellAssignment",
    "ShellSums",
    "assign_shells",
    "shell_energies",
    "shell_dissipation",
    "loss",
    "outside_energy",
]


# ---------------------------------------------------------------------------------------------
# the grid and the assignment of modes to shells
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ShellGrid:
    r"""Logarithmic shell grid :math:`s_\alpha = s_0 + \alpha h` (GRSD section 3).

    ``h > 0`` finite and ``s0`` finite, else :class:`ShellGridError`.

    Parameters
    ----------
    h : float
        Shell width in :math:`s = \log\lambda`, finite and > 0.
    s0 : float
        Grid origin, finite.

    Raises
    ------
    ShellGridError
        A bad width or origin.

    Examples
    --------
    >>> g = ShellGrid(0.5, s0=-1.0)
    >>> g.lower(2), g.upper(2), g.center(2)
    (0.0, 0.5, 0.25)
    >>> ShellGrid(1.0).alpha_of(np.array([1.0, np.e ** 2.5])).tolist()
    [0, 2]

    References
    ----------
    GRSD-T4 (the shells).
    """

    h: float
    s0: float = 0.0

    def __post_init__(self):
        try:
            h, s0 = float(self.h), float(self.s0)
        except (TypeError, ValueError):
            raise ShellGridError(
                f"ShellGrid: h and s0 must be real numbers, got h={self.h!r}, s0={self.s0!r}"
            ) from None
        if not math.isfinite(h) or h <= 0:
            raise ShellGridError(f"ShellGrid: the shell width h must be finite and > 0, got {self.h!r}")
        if not math.isfinite(s0):
            raise ShellGridError(f"ShellGrid: the grid origin s0 must be finite, got {self.s0!r}")
        object.__setattr__(self, "h", h)
        object.__setattr__(self, "s0", s0)

    def lower(self, alpha: float | np.ndarray) -> Any:
        r"""Lower edge :math:`s_\alpha = s_0 + \alpha h`."""
        return self.s0 + np.asarray(alpha) * self.h if np.ndim(alpha) else self.s0 + alpha * self.h

    def upper(self, alpha: float | np.ndarray) -> Any:
        r"""Upper edge :math:`s_{\alpha+1}`."""
        return self.lower(np.asarray(alpha) + 1) if np.ndim(alpha) else self.lower(alpha + 1)

    def center(self, alpha: float | np.ndarray) -> Any:
        r"""Centre :math:`s_\alpha + h/2` (log coordinate)."""
        return self.lower(alpha) + 0.5 * self.h

    def lam_center(self, alpha: float | np.ndarray) -> Any:
        r"""Representative eigenvalue :math:`\lambda_\alpha = e^{s_\alpha + h/2}` (GRSD section 5)."""
        return np.exp(self.center(alpha))

    def alpha_of(self, lam: ArrayLike) -> np.ndarray:
        r"""Shell index :math:`\lfloor(\log\lambda - s_0)/h\rfloor` of positive eigenvalues."""
        lam = np.asarray(lam, dtype=float)
        if np.any(~(lam > 0)):
            raise InputError("alpha_of: eigenvalues must be > 0 (non-positive ones are null-shell modes)")
        return np.floor((np.log(lam) - self.s0) / self.h).astype(np.int64)


@dataclass(frozen=True)
class ShellAssignment:
    r"""Which shell each mode belongs to.

    ``bins[k]`` is the *extended* index of mode k: 0 for the null shell, ``i >= 1`` for shell
    ``alpha_min + i - 1``.  ``K`` shells ``alpha_min .. alpha_min + K - 1`` (all of them, the
    empty ones included); ``counts`` (K,) and ``null_count``.

    Attributes
    ----------
    grid : ShellGrid
        The grid the modes were binned on.
    alpha_min : int
        Index of the first reported shell.
    K : int
        Number of reported shells.
    bins : numpy.ndarray
        Extended index of each mode (n,).
    counts : numpy.ndarray
        Modes per shell (K,).
    null_count : int
        Modes in the null shell.

    Examples
    --------
    >>> A = assign_shells([0.0, 2.0, 2.5], ShellGrid(1.0))
    >>> A.sum([1.0, 2.0, 3.0])[1].tolist(), A.onehot().shape
    ([5.0], (3, 2))
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

    def onehot(self, weights: ArrayLike | None = None) -> np.ndarray:
        r"""Dense (n, K+1) indicator :math:`S_{k,i} = w_k [\mathrm{bin}_k = i]` (extended layout)."""
        S = np.zeros((self.n, self.K + 1))
        S[np.arange(self.n), self.bins] = 1.0 if weights is None else np.asarray(weights, dtype=float)
        return S

    def sum(self, weights: ArrayLike, *, exact: bool = False) -> tuple[float, np.ndarray]:
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
            out = np.array([math.fsum(ws[edges[i] : edges[i + 1]].tolist()) for i in range(self.K + 1)])
        else:
            out = np.bincount(self.bins, weights=w, minlength=self.K + 1)
        return float(out[0]), out[1:]


def assign_shells(
    lam: ArrayLike,
    grid: ShellGrid,
    *,
    null_tol: float = 0.0,
    psd_tol: float | None = None,
    alpha_range: tuple[int, int] | None = None,
    validate: bool = True,
) -> ShellAssignment:
    r"""Assign eigenvalues to shells :math:`\alpha = \lfloor(\log\lambda - s_0)/h\rfloor`; :math:`\lambda\le` ``null_tol`` -> null shell.

    ``psd_tol`` (default :func:`~grsd_sym.numeric.spectra.default_psd_tol`): an eigenvalue below
    ``-psd_tol`` raises :class:`NegativeEigenvalueError`.  ``alpha_range=(lo, hi)`` fixes the shells
    reported to ``lo..hi`` (to align checkpoints); a positive eigenvalue outside it raises
    :class:`InputError` (modes are never dropped).  Memory: O(n) (one float and one int array).

    Parameters
    ----------
    lam : array_like
        Eigenvalues (n,).
    grid : ShellGrid
        The shell grid.
    null_tol : float
        Eigenvalues up to it go to the null shell.
    psd_tol : float, optional
        Negativity tolerance.
    alpha_range : (int, int), optional
        Fixed range of reported shells.
    validate : bool
        Check finiteness and the PSD tolerance.

    Returns
    -------
    ShellAssignment

    Raises
    ------
    ShellGridError, ShapeError, InputError, NegativeEigenvalueError
        Bad grid, shape, tolerance, range or a negative eigenvalue.

    Examples
    --------
    >>> A = assign_shells([0.0, 1.0, 0.5], ShellGrid(1.0))
    >>> A.alphas.tolist(), A.bins.tolist(), A.counts.tolist(), A.null_count
    ([-1, 0], [0, 2, 1], [1, 1], 1)

    References
    ----------
    GRSD-T4.
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
                f"eigenvalue {lmin:.6e} is below -psd_tol = {-tol:.3e}; the operator must be PSD"
            )
    all_pos = lmin > null_tol
    q = np.empty(n)
    with np.errstate(divide="ignore", invalid="ignore"):
        np.log(lam, out=q)
    if grid.s0 != 0.0:
        np.subtract(q, grid.s0, out=q)
    np.divide(q, grid.h, out=q)
    np.floor(q, out=q)
    qmin: float | None
    qmax: float | None
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
        if qmin is not None and qmax is not None and (qmin < lo or qmax > hi):
            raise InputError(
                f"alpha_range {alpha_range!r} does not contain every mode: shells "
                f"{int(qmin)}..{int(qmax)} are occupied (modes are never dropped)"
            )
    elif qmin is None or qmax is None:
        lo, hi = 0, -1
    else:
        lo, hi = int(qmin), int(qmax)
    K = hi - lo + 1
    if null is not None:
        np.putmask(q, null, lo - 1)
    bins = q.astype(np.intp)
    bins -= lo - 1
    cnt = np.bincount(bins, minlength=K + 1)
    return ShellAssignment(
        grid=grid, alpha_min=lo, K=K, bins=bins, counts=cnt[1:].astype(np.int64), null_count=int(cnt[0])
    )


# ---------------------------------------------------------------------------------------------
# energies and dissipation
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ShellSums:
    r"""A per-shell sum (energies or dissipation): ``values`` (K,) on shells ``alphas`` and ``null``.

    ``total`` is :func:`math.fsum` of all of them (null included).  ``extended`` puts the null
    value first (the module's layout).

    Attributes
    ----------
    kind : str
        ``"energy"`` or ``"dissipation"``.
    grid : ShellGrid
        Grid of the shells.
    alphas : numpy.ndarray
        Shell indices (K,).
    values : numpy.ndarray
        Per-shell sums (K,).
    null : float
        Null-shell sum.
    counts : numpy.ndarray
        Modes per shell.
    null_count : int
        Null-shell modes.

    Examples
    --------
    >>> E = shell_energies([1.0, 5.0], [2.0, 2.0], ShellGrid(2.0))
    >>> E.extended.tolist(), E.density.tolist()
    ([0.0, 4.0], [2.0])
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


class _AssignOptions(TypedDict, total=False):
    null_tol: float
    psd_tol: float | None
    alpha_range: tuple[int, int] | None


def _as_assignment(
    lam: ArrayLike | None, grid_or_assignment: ShellGrid | ShellAssignment, kw: _AssignOptions
) -> tuple[np.ndarray | None, ShellAssignment]:
    if isinstance(grid_or_assignment, ShellAssignment):
        lam_arr = None if lam is None else np.asarray(lam, dtype=float)
        if lam_arr is not None and lam_arr.shape != grid_or_assignment.bins.shape:
            raise ShapeError(f"eigenvalues {lam_arr.shape} do not match the assignment of {grid_or_assignment.n} modes")
        return lam_arr, grid_or_assignment
    arr = np.asarray(lam, dtype=float)
    return arr, assign_shells(arr, grid_or_assignment, **kw)


def _check_amplitudes(a, n: int) -> np.ndarray:
    a = np.asarray(a, dtype=float)
    if a.shape != (n,):
        raise ShapeError(f"amplitudes: expected shape ({n},) to match the eigenvalues, got {a.shape}")
    if not np.isfinite(a).all():
        raise NonFiniteError("amplitudes: NaN or infinity; all amplitudes must be finite")
    return a


def shell_energies(
    lam: ArrayLike | None,
    a: ArrayLike,
    grid: ShellGrid | ShellAssignment,
    *,
    exact: bool = False,
    outside: float = 0.0,
    **assign: Unpack[_AssignOptions],
) -> ShellSums:
    r"""Shell energies :math:`E_\alpha = \tfrac12\sum_{k\in S_\alpha} a_k^2` and the null energy (GRSD-T4).

    ``grid`` is a :class:`ShellGrid` (then ``null_tol, psd_tol, alpha_range`` go to
    :func:`assign_shells`) or a ready :class:`ShellAssignment`.  ``outside`` is energy of the
    error component outside the eigenbasis (a thin basis from a tall Jacobian, see
    :func:`outside_energy`); it belongs to the null shell.  One bincount pass; ``exact=True`` sums
    each shell with :func:`math.fsum`, so that :math:`\sum_\alpha E_\alpha + E_{\mathrm{null}}`
    equals :math:`\tfrac12\sum_k a_k^2` to a few ulps.

    Parameters
    ----------
    lam : array_like or None
        Eigenvalues (``None`` with a ready assignment).
    a : array_like
        Mode amplitudes (n,).
    grid : ShellGrid or ShellAssignment
        Where the modes go.
    **assign
        ``null_tol``, ``psd_tol``, ``alpha_range`` for :func:`assign_shells` (with a grid).
    exact : bool
        Correctly rounded per-shell sums.
    outside : float
        Energy outside the eigenbasis, added to the null shell.

    Returns
    -------
    ShellSums
        The energies.

    Raises
    ------
    ShapeError, NonFiniteError, InputError
        Amplitudes of the wrong shape, non-finite, or a negative ``outside``.

    Examples
    --------
    >>> E = shell_energies([1.0, 1.5, 5.0], [1.0, 1.0, 2.0], ShellGrid(1.0))
    >>> E.alphas.tolist(), E.values.tolist(), E.null, E.total
    ([0, 1], [1.0, 2.0], 0.0, 3.0)

    References
    ----------
    GRSD-T4.
    """
    lam, A = _as_assignment(lam, grid, assign)
    a = _check_amplitudes(a, A.n)
    null, vals = A.sum(a * a, exact=exact)
    outside = float(outside)
    if not (math.isfinite(outside) and outside >= 0):
        raise InputError(f"outside energy must be finite and >= 0, got {outside!r}")
    return ShellSums("energy", A.grid, A.alphas, 0.5 * vals, 0.5 * null + outside, A.counts, A.null_count)


def shell_dissipation(
    lam: ArrayLike,
    a: ArrayLike,
    grid: ShellGrid | ShellAssignment,
    *,
    exact: bool = False,
    **assign: Unpack[_AssignOptions],
) -> ShellSums:
    r"""Shell dissipation :math:`D_\alpha = \sum_{k\in S_\alpha}\lambda_k a_k^2 \ge 0` (GRSD-T4).

    The null entry is :math:`\sum_{k\,\mathrm{null}}\lambda_k a_k^2` (zero up to the PSD tolerance).

    Parameters
    ----------
    lam : array_like
        Eigenvalues (required).
    a : array_like
        Amplitudes.
    grid : ShellGrid or ShellAssignment
        Shells of the modes.
    exact : bool
        Correctly rounded sums.
    **assign
        As in :func:`shell_energies`.

    Returns
    -------
    ShellSums
        The dissipation per shell.

    Raises
    ------
    InputError
        ``lam`` is None.

    Examples
    --------
    >>> shell_dissipation([1.0, 5.0], [1.0, 2.0], ShellGrid(1.0)).values.tolist()
    [1.0, 20.0]

    References
    ----------
    GRSD-T4.
    """
    lam_arr, A = _as_assignment(lam, grid, assign)
    if lam_arr is None:
        raise InputError("shell_dissipation needs the eigenvalues")
    a = _check_amplitudes(a, A.n)
    null, vals = A.sum(lam_arr * a * a, exact=exact)
    return ShellSums("dissipation", A.grid, A.alphas, vals, null, A.counts, A.null_count)


def loss(e: ArrayLike) -> float:
    r"""Loss :math:`L = \tfrac12\|e\|^2` with a compensated sum.

    Parameters
    ----------
    e : array_like
        Error vector.

    Returns
    -------
    float

    Raises
    ------
    NonFiniteError
        A non-finite entry.

    Examples
    --------
    >>> loss([3.0, 4.0])
    12.5
    """
    e = validate_finite(e, "e").ravel()
    return 0.5 * math.fsum((e * e).tolist())


def outside_energy(U: ArrayLike, e: ArrayLike, a: ArrayLike | None = None) -> float:
    r"""Energy :math:`\tfrac12\|e - U U^T e\|^2` of the error outside a thin eigenbasis ``U`` (n x m).

    Computed from the residual vector (never negative); 0 for a complete basis up to rounding.

    Parameters
    ----------
    U : array_like
        Thin orthonormal basis (n, m).
    e : array_like
        Error (n,).
    a : array_like, optional
        Precomputed :math:`U^Te`.

    Returns
    -------
    float
        The energy outside ``span(U)``.

    Examples
    --------
    >>> outside_energy(np.array([[1.0], [0.0]]), [3.0, 4.0])
    8.0
    """
    U = validate_finite(U, "U")
    e = validate_finite(e, "e")
    a = U.T @ e if a is None else np.asarray(a, dtype=float)
    r = e - U @ a
    return 0.5 * math.fsum((r * r).tolist())
