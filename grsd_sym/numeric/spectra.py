r"""Spectra of the error-dynamics operator from data: validation, eigendecomposition, tracking.

GRSD section 1-2: gradient flow drives the error by :math:`\dot e = -M(t)\,e` with
:math:`M = J J^T` symmetric positive semidefinite, and the instantaneous eigenpairs
:math:`M u_k = \lambda_k u_k` define the mode amplitudes :math:`a_k = u_k^T e` (GRSD-T2/T3).

Stated tolerances (every one is a keyword argument):

* **symmetry** -- ``sym_rtol`` (default :data:`DEFAULT_SYM_RTOL` = ``1e-10``): ``M`` is accepted
  when :math:`\max_{ij}|M_{ij}-M_{ji}| \le \mathrm{sym\_rtol}\cdot\max_{ij}|M_{ij}|`; the
  symmetric part :math:`(M+M^T)/2` is then used.
* **positivity** -- ``psd_tol`` (default ``None`` -> :func:`default_psd_tol`,
  :math:`64\,n\,\epsilon_{\mathrm{mach}}\max_k|\lambda_k|`): an eigenvalue below ``-psd_tol``
  raises :class:`~grsd_sym.errors.NegativeEigenvalueError`; eigenvalues in ``[-psd_tol, 0]`` are
  kept as they are and belong to the *null shell* (:mod:`grsd_sym.numeric.shells`).

Eigenvector tracking across checkpoints (:func:`track_eigenpairs`) matches the modes of the
next checkpoint to those of the previous one by a maximum-weight assignment on the absolute
overlaps :math:`|u_k(t_1)^T u_j(t_2)|` (:func:`linear_assignment`), then
fixes signs so that every matched overlap is positive: order and sign continuity.

>>> import numpy as np
>>> lam, U = eigh_psd(np.diag([2.0, 1.0, 0.0]))
>>> lam.tolist()
[0.0, 1.0, 2.0]
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import scipy.optimize
from numpy.typing import ArrayLike

from grsd_sym.errors import (
    InputError,
    NegativeEigenvalueError,
    NonFiniteError,
    NotSymmetricError,
    ShapeError,
    TimeGridError,
)

__all__ = [
    "DEFAULT_SYM_RTOL",
    "default_psd_tol",
    "validate_finite",
    "validate_time_grid",
    "validate_symmetric",
    "validate_psd_eigenvalues",
    "eigh_psd",
    "eigh_from_jacobian",
    "mode_amplitudes",
    "linear_assignment",
    "track_eigenpairs",
    "SpectralTrajectory",
    "eigen_trajectory",
    "eigen_trajectory_from_jacobians",
]

#: default relative tolerance of the symmetry check (see module docstring)
DEFAULT_SYM_RTOL = 1e-10

_EPS = float(np.finfo(float).eps)


def default_psd_tol(eigenvalues: np.ndarray, n: int | None = None) -> float:
    r"""Default negativity tolerance :math:`64\,n\,\epsilon\,\max_k|\lambda_k|`.

    This is a small multiple of the backward error of a symmetric eigensolver
    (:math:`O(n\epsilon\|M\|_2)`).

    Parameters
    ----------
    eigenvalues : numpy.ndarray
        The computed eigenvalues.
    n : int, optional
        Matrix dimension (default: the number of eigenvalues).

    Returns
    -------
    float
        The tolerance, 0 for an empty or zero spectrum.

    Examples
    --------
    >>> default_psd_tol(np.array([1.0, 2.0])) == 64 * 2 * float(np.finfo(float).eps) * 2.0
    True
    """
    lam = np.asarray(eigenvalues, dtype=float)
    n = lam.size if n is None else int(n)
    scale = float(np.max(np.abs(lam))) if lam.size else 0.0
    return 64.0 * max(n, 1) * _EPS * scale


def validate_finite(x: ArrayLike, name: str = "array") -> np.ndarray:
    """Return ``x`` as a float array; :class:`NonFiniteError` on NaN or infinity.

    Parameters
    ----------
    x : array_like
        Values of any shape.
    name : str
        Used in the error message.

    Returns
    -------
    numpy.ndarray
        ``x`` as float64.

    Raises
    ------
    ShapeError
        Ragged input.
    NonFiniteError
        A NaN or infinite entry.

    Examples
    --------
    >>> validate_finite([1.0, 2.0]).tolist()
    [1.0, 2.0]
    """
    try:
        arr = np.asarray(x, dtype=float)
    except (ValueError, TypeError) as exc:  # ragged nested lists end up here
        raise ShapeError(f"{name}: cannot be read as a rectangular float array ({exc})") from None
    if not np.isfinite(arr).all():
        bad = int(np.size(arr) - np.count_nonzero(np.isfinite(arr)))
        raise NonFiniteError(f"{name}: {bad} entries are NaN or infinite; all entries must be finite")
    return arr


def validate_time_grid(times: ArrayLike, name: str = "times", *, min_length: int = 1) -> np.ndarray:
    """A 1-D, finite, strictly increasing time grid; :class:`TimeGridError` otherwise.

    Parameters
    ----------
    times : array_like
        Checkpoint times.
    name : str
        Label in messages.
    min_length : int
        Fewest points accepted.

    Returns
    -------
    numpy.ndarray
        The grid, shape (T,).

    Raises
    ------
    TimeGridError
        Not 1-D, too short, non-finite or not increasing.

    Examples
    --------
    >>> validate_time_grid([0.0, 0.5, 2.0]).tolist()
    [0.0, 0.5, 2.0]
    """
    t = np.asarray(times, dtype=float)
    if t.ndim != 1:
        raise TimeGridError(f"{name}: must be one-dimensional, got shape {t.shape}")
    if t.size < min_length:
        raise TimeGridError(f"{name}: needs at least {min_length} points, got {t.size}")
    if not np.isfinite(t).all():
        raise TimeGridError(f"{name}: contains NaN or infinity; times must be finite")
    if t.size > 1 and not np.all(np.diff(t) > 0):
        i = int(np.argmin(np.diff(t)))
        raise TimeGridError(f"{name}: not strictly increasing (t[{i}] = {t[i]!r} >= t[{i + 1}] = {t[i + 1]!r})")
    return t


def validate_symmetric(M: ArrayLike, *, sym_rtol: float = DEFAULT_SYM_RTOL, name: str = "M") -> np.ndarray:
    r"""Check ``M`` is a finite square matrix, symmetric to ``sym_rtol``; return :math:`(M+M^T)/2`.

    :class:`ShapeError` if not square 2-D, :class:`NonFiniteError` on NaN/inf,
    :class:`NotSymmetricError` if :math:`\max|M-M^T| > \mathrm{sym\_rtol}\max|M|`.

    Parameters
    ----------
    M : array_like
        Candidate kernel, (n, n).
    sym_rtol : float
        Allowed asymmetry relative to ``max|M|``.
    name : str
        The matrix's name for messages.

    Returns
    -------
    numpy.ndarray
        The symmetrized matrix.

    Raises
    ------
    ShapeError, NonFiniteError, NotSymmetricError
        See above.

    Examples
    --------
    >>> validate_symmetric([[1.0, 2.0], [2.0, 1.0]]).tolist()
    [[1.0, 2.0], [2.0, 1.0]]
    """
    A = validate_finite(M, name)
    if A.ndim != 2 or A.shape[0] != A.shape[1]:
        raise ShapeError(f"{name}: must be a square 2-D matrix, got shape {A.shape}")
    if not (np.isfinite(sym_rtol) and sym_rtol >= 0):
        raise InputError(f"sym_rtol must be a finite number >= 0, got {sym_rtol!r}")
    scale = float(np.max(np.abs(A))) if A.size else 0.0
    asym = float(np.max(np.abs(A - A.T))) if A.size else 0.0
    if asym > sym_rtol * scale:
        raise NotSymmetricError(
            f"{name}: max|M - M^T| = {asym:.3e} exceeds sym_rtol * max|M| = "
            f"{sym_rtol:.1e} * {scale:.3e}; M = J J^T must be symmetric "
            f"(pass a larger sym_rtol if the asymmetry is rounding of low-precision data)"
        )
    return 0.5 * (A + A.T)


def validate_psd_eigenvalues(
    eigenvalues: ArrayLike, *, psd_tol: float | None = None, n: int | None = None, name: str = "M"
) -> float:
    """Raise :class:`NegativeEigenvalueError` if an eigenvalue is below ``-psd_tol``; return the tol.

    Parameters
    ----------
    eigenvalues : array_like
        Spectrum to check.
    psd_tol : float, optional
        Negativity tolerance (default :func:`default_psd_tol`).
    n : int, optional
        Dimension for the default tolerance.
    name : str
        Matrix name in the message.

    Returns
    -------
    float
        The tolerance used.

    Raises
    ------
    NegativeEigenvalueError
        An eigenvalue below ``-psd_tol``.

    Examples
    --------
    >>> validate_psd_eigenvalues(np.array([0.0, 1.0]), psd_tol=1e-12)
    1e-12
    """
    lam = np.asarray(eigenvalues, dtype=float)
    tol = default_psd_tol(lam, n) if psd_tol is None else float(psd_tol)
    if not (np.isfinite(tol) and tol >= 0):
        raise InputError(f"psd_tol must be a finite number >= 0, got {psd_tol!r}")
    if lam.size and float(lam.min()) < -tol:
        raise NegativeEigenvalueError(
            f"{name}: eigenvalue {float(lam.min()):.6e} is below -psd_tol = {-tol:.3e}; "
            f"M = J J^T must be positive semidefinite"
        )
    return tol


def eigh_psd(
    M: ArrayLike, *, sym_rtol: float = DEFAULT_SYM_RTOL, psd_tol: float | None = None, validate: bool = True
) -> tuple[np.ndarray, np.ndarray]:
    r"""Eigenpairs of a symmetric PSD matrix, ascending: ``(lam, U)`` with :math:`M = U\,\mathrm{diag}(\lambda)\,U^T`.

    Validates (see module docstring); eigenvalues are *not* clipped: those in ``[-psd_tol, 0]``
    are null-shell modes.

    Parameters
    ----------
    M : array_like
        Symmetric PSD kernel (n, n).
    sym_rtol, psd_tol : float
        Tolerances of :func:`validate_symmetric` / :func:`validate_psd_eigenvalues`.
    validate : bool
        Skip all checks when False.

    Returns
    -------
    lam : numpy.ndarray
        Eigenvalues (n,), ascending.
    U : numpy.ndarray
        Orthonormal eigenvectors as columns (n, n).

    Raises
    ------
    ShapeError, NonFiniteError, NotSymmetricError, NegativeEigenvalueError
        Invalid ``M``.

    Examples
    --------
    >>> lam, U = eigh_psd([[2.0, 1.0], [1.0, 2.0]])
    >>> np.allclose(lam, [1.0, 3.0])
    True
    """
    A = validate_symmetric(M, sym_rtol=sym_rtol) if validate else np.asarray(M, dtype=float)
    lam, U = np.linalg.eigh(A)
    if validate:
        validate_psd_eigenvalues(lam, psd_tol=psd_tol, n=A.shape[0])
    return lam, U


def eigh_from_jacobian(J: ArrayLike, *, method: str = "svd", complete: bool = False) -> tuple[np.ndarray, np.ndarray]:
    r"""Eigenpairs of :math:`M = J J^T` from the Jacobian ``J`` (n x P) without forming ``M``.

    ``method="svd"``: thin SVD :math:`J = U S V^T`, :math:`\lambda = S^2` (cost
    :math:`O(nP\min(n,P))`, never forms an n x n or P x P product; accurate for small
    singular values).  ``method="gram"``: eigenpairs of the smaller Gram matrix
    (:math:`J^TJ` if P < n, else :math:`JJ^T`), cheaper but squares the condition number.

    For a tall ``J`` (n > P) the thin basis has only P columns; the remaining n - P
    eigenvalues are exactly 0.  ``complete=False`` returns the thin basis (memory
    :math:`O(nP)`): the shell functions then put the component of ``e`` outside the basis into
    the null shell (``residual``).  ``complete=True`` appends an orthonormal basis of the
    complement (n x n, eigenvalue 0).  Eigenvalues are returned ascending.

    Parameters
    ----------
    J : array_like
        Jacobian (n, P).
    method : {"svd", "gram"}
        Factorization.
    complete : bool
        Append a basis of the null complement.

    Returns
    -------
    lam : numpy.ndarray
        Eigenvalues of :math:`JJ^T`, ascending.
    U : numpy.ndarray
        Eigenvectors (n, min(n, P)), or (n, n) if ``complete``.

    Raises
    ------
    ShapeError, NonFiniteError
        ``J`` not a finite 2-D array.
    InputError
        Unknown ``method``.

    Examples
    --------
    >>> J = np.array([[1.0, 0.0], [0.0, 2.0], [0.0, 0.0]])
    >>> lam, U = eigh_from_jacobian(J)
    >>> lam.tolist(), U.shape
    ([1.0, 4.0], (3, 2))
    """
    A = validate_finite(J, "J")
    if A.ndim != 2:
        raise ShapeError(f"J: must be a 2-D n x P Jacobian, got shape {A.shape}")
    n, P = A.shape
    if method == "svd":
        U, S, _ = np.linalg.svd(A, full_matrices=False)
        lam = S * S
    elif method == "gram":
        if n > P:
            mu, V = np.linalg.eigh(A.T @ A)
            mu = np.clip(mu, 0.0, None)
            S = np.sqrt(mu)
            U = A @ V
            nz = S > 0
            U[:, nz] /= S[nz]
            if not nz.all():  # zero singular values: the columns are undefined; orthonormalize
                U = _orthonormal_fill(U, nz)
            lam = mu
        else:
            lam, U = np.linalg.eigh(A @ A.T)
            lam = np.clip(lam, 0.0, None)
    else:
        raise InputError(f"method must be 'svd' or 'gram', got {method!r}")
    order = np.argsort(lam, kind="stable")
    lam, U = lam[order], U[:, order]
    if complete and U.shape[1] < n:
        Q = _complement_basis(U)
        lam = np.concatenate([np.zeros(Q.shape[1]), lam])
        U = np.concatenate([Q, U], axis=1)
    return lam, U


def _complement_basis(U: np.ndarray) -> np.ndarray:
    """Orthonormal basis of the orthogonal complement of the columns of ``U`` (n x m, m < n)."""
    n, m = U.shape
    Q, _ = np.linalg.qr(np.concatenate([U, np.eye(n)], axis=1))
    Q = Q[:, m:n]
    # re-orthogonalize once against U for safety
    Q -= U @ (U.T @ Q)
    Q, _ = np.linalg.qr(Q)
    return Q


def _orthonormal_fill(U: np.ndarray, good: np.ndarray) -> np.ndarray:
    G = U[:, good]
    n = U.shape[0]
    Q = _complement_basis(G) if G.shape[1] < n else np.zeros((n, 0))
    out = U.copy()
    out[:, ~good] = Q[:, : int((~good).sum())]
    return out


def mode_amplitudes(U: ArrayLike, e: ArrayLike) -> np.ndarray:
    r"""Mode amplitudes :math:`a_k = u_k^T e` (GRSD section 2); ``e`` may be (n,) or (T, n) with U (T, n, m).

    Parameters
    ----------
    U : array_like
        Eigenvectors, (n, m) or a trajectory (T, n, m).
    e : array_like
        Error vector(s), (n,) or (T, n).

    Returns
    -------
    numpy.ndarray
        Amplitudes (m,) or (T, m).

    Raises
    ------
    ShapeError
        Mismatched shapes.

    Examples
    --------
    >>> mode_amplitudes(np.eye(2), [3.0, 4.0]).tolist()
    [3.0, 4.0]
    """
    U = validate_finite(U, "U")
    e = validate_finite(e, "e")
    if U.ndim == 2:
        if e.ndim != 1 or e.shape[0] != U.shape[0]:
            raise ShapeError(f"e: expected shape ({U.shape[0]},) to match U {U.shape}, got {e.shape}")
        return U.T @ e
    if U.ndim == 3:
        if e.shape != (U.shape[0], U.shape[1]):
            raise ShapeError(f"e: expected shape {(U.shape[0], U.shape[1])} to match U {U.shape}, got {e.shape}")
        return np.einsum("tnm,tn->tm", U, e)
    raise ShapeError(f"U: must be (n, m) or (T, n, m), got shape {U.shape}")


def linear_assignment(cost: np.ndarray) -> np.ndarray:
    r"""Minimum-cost perfect assignment of a square cost matrix: ``perm`` with row ``i`` -> column ``perm[i]``.

    Minimizes :math:`\sum_i C_{i,\pi(i)}` over permutations
    (:func:`scipy.optimize.linear_sum_assignment`).

    Parameters
    ----------
    cost : array_like, shape (m, m)
        Finite costs.

    Returns
    -------
    numpy.ndarray of int
        The permutation.

    Raises
    ------
    NonFiniteError, ShapeError
        Non-finite or non-square ``cost``.

    Examples
    --------
    >>> linear_assignment(np.array([[4.0, 1.0], [2.0, 3.0]])).tolist()
    [1, 0]
    """
    C = validate_finite(cost, "cost")
    if C.ndim != 2 or C.shape[0] != C.shape[1]:
        raise ShapeError(f"cost: must be a square matrix, got shape {C.shape}")
    return scipy.optimize.linear_sum_assignment(C)[1].astype(np.intp)


def track_eigenpairs(
    U_prev: ArrayLike, lam_next: ArrayLike, U_next: ArrayLike
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    r"""Reorder and re-sign the eigenpairs of the next checkpoint to continue those of the previous one.

    Maximizes :math:`\sum_k |u_k(t_1)^T u_{\pi(k)}(t_2)|` over permutations :math:`\pi`
    (:func:`linear_assignment` on :math:`-|O|`), then flips each :math:`u_{\pi(k)}(t_2)` so that
    the matched overlap is :math:`\ge 0`.  Returns ``(lam, U, overlaps)`` with ``overlaps[k]`` the
    matched :math:`u_k(t_1)^T u_k(t_2) \ge 0` (values near 1 mean a clean match; small values flag
    an unresolved crossing or a degenerate subspace).

    Parameters
    ----------
    U_prev : array_like
        Eigenvectors at :math:`t_1`, (n, m).
    lam_next : array_like
        Eigenvalues at :math:`t_2`, (m,).
    U_next : array_like
        Eigenvectors at :math:`t_2`, (n, m).

    Returns
    -------
    lam, U, overlaps : numpy.ndarray
        The reordered pairs and the matched overlaps.

    Raises
    ------
    ShapeError
        Incompatible shapes.

    Examples
    --------
    >>> U1 = np.eye(2); U2 = np.array([[0.0, 1.0], [-1.0, 0.0]])   # columns swapped, one flipped
    >>> lam, U, ov = track_eigenpairs(U1, np.array([5.0, 7.0]), U2)
    >>> lam.tolist(), ov.tolist()
    ([7.0, 5.0], [1.0, 1.0])
    """
    U1 = validate_finite(U_prev, "U_prev")
    U2 = validate_finite(U_next, "U_next")
    lam2 = validate_finite(lam_next, "lam_next")
    if U1.shape != U2.shape or U1.ndim != 2 or lam2.shape != (U2.shape[1],):
        raise ShapeError(
            f"track_eigenpairs: U_prev {U1.shape}, U_next {U2.shape} and lam_next "
            f"{lam2.shape} must agree (n, m), (n, m), (m,)"
        )
    O = U1.T @ U2  # O[k, j] = u_k(t1)^T u_j(t2)
    absO = np.abs(O)
    m = O.shape[0]
    greedy = np.argmax(absO, axis=1)
    if m and np.unique(greedy).size == m and np.all(absO[np.arange(m), greedy] ** 2 > 0.5):
        # each previous mode has an unambiguous successor.  This greedy match is optimal:
        # rows of O have sum of squares <= 1, so any other column j in row k has
        # |O_kj|^2 <= 1 - |O_k,greedy|^2 < 1/2 < |O_k,greedy|^2, i.e. every change lowers the sum.
        perm = greedy
    else:
        perm = linear_assignment(-absO)
    ov = O[np.arange(m), perm]
    signs = np.where(ov < 0, -1.0, 1.0)
    return lam2[perm], U2[:, perm] * signs, np.abs(ov)


@dataclass(frozen=True)
class SpectralTrajectory:
    r"""Tracked eigenpairs at checkpoints: ``eigenvalues[i, k]`` = :math:`\lambda_k(t_i)`, ``eigenvectors[i, :, k]`` = :math:`u_k(t_i)`.

    ``overlaps[i, k]`` (i >= 1) is the tracking overlap :math:`u_k(t_{i-1})^T u_k(t_i)`
    (``overlaps[0] = 1``).  Labels ``k`` follow modes continuously, so ``eigenvalues[i]`` is in
    general not sorted for i >= 1.

    Attributes
    ----------
    times : numpy.ndarray
        Checkpoints (T,).
    eigenvalues : numpy.ndarray
        Tracked spectrum (T, m).
    eigenvectors : numpy.ndarray
        Tracked bases (T, n, m).
    overlaps : numpy.ndarray
        Tracking overlaps (T, m).

    Examples
    --------
    >>> tr = eigen_trajectory([np.eye(2), 2 * np.eye(2)])
    >>> tr.n, tr.amplitudes(np.ones((2, 2))).shape
    (2, (2, 2))
    """

    times: np.ndarray
    eigenvalues: np.ndarray
    eigenvectors: np.ndarray
    overlaps: np.ndarray

    @property
    def n(self) -> int:
        """Ambient dimension (rows of each eigenvector matrix)."""
        return int(self.eigenvectors.shape[1])

    def amplitudes(self, errors: ArrayLike) -> np.ndarray:
        r"""Mode amplitudes :math:`a_k(t_i) = u_k(t_i)^T e(t_i)` for errors of shape (T, n)."""
        return mode_amplitudes(self.eigenvectors, errors)


def _stack_checkpoints(arrays, name: str) -> list[np.ndarray]:
    if isinstance(arrays, np.ndarray):
        if arrays.ndim != 3:
            raise ShapeError(f"{name}: a trajectory must have shape (T, ., .), got {arrays.shape}")
        return [arrays[i] for i in range(arrays.shape[0])]
    items = list(arrays)
    if not items:
        raise ShapeError(f"{name}: the trajectory is empty")
    shapes = {np.shape(x) for x in items}
    if len(shapes) != 1:
        raise ShapeError(
            f"{name}: ragged trajectory, checkpoints have shapes {sorted(shapes)}; "
            "all checkpoints must have the same shape"
        )
    return [np.asarray(x) for x in items]


def _finish_trajectory(times, pairs, track: bool) -> SpectralTrajectory:
    T = len(pairs)
    t = validate_time_grid(np.arange(T, dtype=float) if times is None else times)
    if t.size != T:
        raise ShapeError(f"times: {t.size} points for {T} checkpoints")
    lam0, U0 = pairs[0]
    lams = np.empty((T, lam0.size))
    Us = np.empty((T, *U0.shape))
    ovs = np.ones((T, lam0.size))
    lams[0], Us[0] = lam0, U0
    for i in range(1, T):
        lam, U = pairs[i]
        if track:
            lam, U, ov = track_eigenpairs(Us[i - 1], lam, U)
            ovs[i] = ov
        lams[i], Us[i] = lam, U
    return SpectralTrajectory(times=t, eigenvalues=lams, eigenvectors=Us, overlaps=ovs)


def eigen_trajectory(
    Ms: ArrayLike,
    times: ArrayLike | None = None,
    *,
    track: bool = True,
    sym_rtol: float = DEFAULT_SYM_RTOL,
    psd_tol: float | None = None,
) -> SpectralTrajectory:
    """Eigendecompose a trajectory of kernels ``M(t_i)`` (list or (T, n, n) array) and track modes.

    Ragged input -> :class:`ShapeError`; times not strictly increasing -> :class:`TimeGridError`.

    Parameters
    ----------
    Ms : sequence of array_like or numpy.ndarray
        Kernels, T matrices (n, n).
    times : array_like, optional
        Checkpoint times (default ``0, 1, ...``).
    track : bool
        Follow modes through crossings (:func:`track_eigenpairs`).
    sym_rtol, psd_tol : float
        Passed to :func:`eigh_psd`.

    Returns
    -------
    SpectralTrajectory

    Raises
    ------
    ShapeError, TimeGridError
        Ragged checkpoints, or ``times`` not a strictly increasing grid.

    Examples
    --------
    >>> tr = eigen_trajectory([np.diag([1.0, 2.0]), np.diag([2.5, 1.5])], [0.0, 1.0])
    >>> tr.eigenvalues.tolist()          # label 0 continues the mode along e_1
    [[1.0, 2.0], [2.5, 1.5]]
    """
    mats = _stack_checkpoints(Ms, "M")
    pairs = [eigh_psd(M, sym_rtol=sym_rtol, psd_tol=psd_tol) for M in mats]
    return _finish_trajectory(times, pairs, track)


def eigen_trajectory_from_jacobians(
    Js: ArrayLike, times: ArrayLike | None = None, *, track: bool = True, method: str = "svd", complete: bool = False
) -> SpectralTrajectory:
    """As :func:`eigen_trajectory` from Jacobians ``J(t_i)`` (n x P), via :func:`eigh_from_jacobian`.

    Parameters
    ----------
    Js : sequence of array_like or numpy.ndarray
        Jacobians, T arrays (n, P).
    times : array_like, optional
        Checkpoint times.
    track : bool
        Match modes between checkpoints.
    method, complete
        As in :func:`eigh_from_jacobian`.

    Returns
    -------
    SpectralTrajectory
        The spectrum of :math:`J J^T` along the path.

    Raises
    ------
    ShapeError, TimeGridError
        As for :func:`eigen_trajectory`.

    Examples
    --------
    >>> tr = eigen_trajectory_from_jacobians(np.ones((2, 3, 4)), [0.0, 1.0])
    >>> tr.eigenvalues.shape, tr.eigenvectors.shape
    ((2, 3), (2, 3, 3))
    """
    mats = _stack_checkpoints(Js, "J")
    pairs = [eigh_from_jacobian(J, method=method, complete=complete) for J in mats]
    return _finish_trajectory(times, pairs, track)
