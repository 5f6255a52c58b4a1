r"""Renormalized shell couplings and their log-shift (Toeplitz) invariance (GRSD section 5).

Two estimators from a trajectory of :math:`(M(t), e(t))`:

* energy-transfer couplings :math:`C_{\alpha\beta} = T_{\alpha\beta}/\sqrt{E_\alpha E_\beta}` (a
  rate), renormalized :math:`K_{\alpha\beta} = C_{\alpha\beta}/\sqrt{\lambda_\alpha\lambda_\beta}`
  with :math:`\lambda_\alpha = e^{s_\alpha + h/2}` (:func:`energy_couplings`,
  :func:`renormalized_couplings`);
* overlap (transition) couplings between checkpoints :math:`t_1 < t_2`, no derivative needed,
  :math:`W_{\alpha\beta} = |S_\beta(t_1)|^{-1}\sum_{k\in S_\alpha(t_2), j\in S_\beta(t_1)}(u_k(t_2)^Tu_j(t_1))^2`
  (:func:`overlap_couplings`).

Log-shift invariance means :math:`K_{\alpha+m,\beta+m} = K_{\alpha\beta}` inside a window; its
measured degree is the Toeplitz deviation
:math:`\delta = \|K-\mathrm{Toep}(K)\|_F/\|K\|_F` (:func:`toeplitz_deviation`).  Entries that
involve an empty shell are undefined: they are *masked* (``numpy.ma``), or
:class:`~grsd_sym.errors.EmptyShellError` with ``strict=True``; never a division by zero.

>>> K = np.ma.MaskedArray([[1.0, 2.0], [3.0, 1.0]])
>>> toeplitz_projection(K).tolist()
[[1.0, 2.0], [3.0, 1.0]]
>>> toeplitz_deviation(K)
0.0
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike

from grsd_sym.errors import EmptyShellError, InputError, ShapeError
from grsd_sym.numeric.shells import ShellGrid, ShellSums, assign_shells
from grsd_sym.numeric.spectra import validate_finite
from grsd_sym.numeric.transfer import ShellTransfer

__all__ = [
    "ShellCouplings",
    "energy_couplings",
    "renormalized_couplings",
    "overlap_couplings",
    "toeplitz_projection",
    "toeplitz_deviation",
    "toeplitz_deviations",
]


@dataclass(frozen=True)
class ShellCouplings:
    r"""A coupling matrix on shells ``alphas`` (rows :math:`\alpha`, columns :math:`\beta`), masked where undefined.

    ``kind`` is ``"energy"`` (C), ``"renormalized"`` (K) or ``"overlap"`` (W).  For ``"overlap"``
    ``null_row`` / ``null_col`` hold the couplings to and from the null shell
    (:math:`W_{\mathrm{null},\beta}` and :math:`W_{\alpha,\mathrm{null}}`).

    Attributes
    ----------
    kind : str
        Which coupling.
    grid : ShellGrid
        The shells' grid.
    alphas : numpy.ndarray
        Shell indices (K,).
    matrix : numpy.ma.MaskedArray
        Couplings (K, K).
    null_row, null_col : numpy.ma.MaskedArray or None
        Null-shell couplings (overlap only).

    Examples
    --------
    >>> W = overlap_couplings([0.0, 3.0], np.eye(2), [3.0, 0.0], np.eye(2), ShellGrid(1.0))
    >>> W.kind, W.null_row.tolist(), W.null_col.tolist()
    ('overlap', [1.0], [1.0])

    References
    ----------
    GRSD section 5 (the couplings).
    """

    kind: str
    grid: ShellGrid
    alphas: np.ndarray
    matrix: np.ma.MaskedArray
    null_row: np.ma.MaskedArray | None = None
    null_col: np.ma.MaskedArray | None = None


def energy_couplings(transfer: ShellTransfer, energies: ShellSums, *, strict: bool = False) -> ShellCouplings:
    r"""Energy-transfer couplings :math:`C_{\alpha\beta} = T_{\alpha\beta}/\sqrt{E_\alpha E_\beta}` (1/time).

    Masked where :math:`E_\alpha E_\beta = 0`; ``strict=True`` raises :class:`EmptyShellError`
    instead.

    Parameters
    ----------
    transfer : ShellTransfer
        :math:`T_{\alpha\beta}`.
    energies : ShellSums
        :math:`E_\alpha` on the same shells.
    strict : bool
        Raise on an empty shell instead of masking.

    Returns
    -------
    ShellCouplings
        Kind ``"energy"``.

    Raises
    ------
    InputError
        Transfer and energies on different shells.
    EmptyShellError
        ``strict`` and a shell without energy.

    Examples
    --------
    >>> from grsd_sym.numeric import ShellGrid, ShellTransfer, ShellSums
    >>> g = ShellGrid(1.0); al = np.array([0, 1])
    >>> T = ShellTransfer(g, al, np.array([[0, 0, 0], [0, 0, -2.0], [0, 2.0, 0]]), np.zeros(3))
    >>> E = ShellSums("energy", g, al, np.array([1.0, 4.0]), 0.0, np.array([1, 1]), 0)
    >>> energy_couplings(T, E).matrix.tolist()
    [[0.0, -1.0], [1.0, 0.0]]
    """
    if not np.array_equal(transfer.alphas, energies.alphas):
        raise ShapeError("transfer and energies are on different shells (use a common alpha_range)")
    E = energies.values
    prod = E[:, None] * E[None, :]
    mask = ~(prod > 0)
    if strict and mask.any():
        empty = energies.alphas[~(E > 0)].tolist()
        raise EmptyShellError(f"shells {empty} carry no energy: their couplings T/sqrt(E_a E_b) are undefined")
    C = np.zeros_like(prod)
    np.divide(transfer.inter, np.sqrt(prod, where=~mask, out=np.zeros_like(prod)), out=C, where=~mask)
    return ShellCouplings("energy", energies.grid, energies.alphas.copy(), np.ma.MaskedArray(C, mask=mask))


def renormalized_couplings(C: ShellCouplings) -> ShellCouplings:
    r"""Renormalized couplings :math:`K_{\alpha\beta} = C_{\alpha\beta}/\sqrt{\lambda_\alpha\lambda_\beta}`, :math:`\lambda_\alpha = e^{s_\alpha+h/2}`.

    Dimensionless; the mask of ``C`` is kept.

    Parameters
    ----------
    C : ShellCouplings
        Energy couplings.

    Returns
    -------
    ShellCouplings
        Kind ``"renormalized"``.

    Raises
    ------
    InputError
        ``C`` is not of kind ``"energy"``.

    Examples
    --------
    >>> from grsd_sym.numeric.shells import ShellGrid
    >>> C = ShellCouplings("energy", ShellGrid(1.0, s0=-0.5), np.array([0]), np.ma.MaskedArray([[2.0]]))
    >>> renormalized_couplings(C).matrix.tolist()
    [[2.0]]
    """
    if C.kind != "energy":
        raise InputError(f"renormalized_couplings expects energy couplings, got kind {C.kind!r}")
    lam = C.grid.lam_center(C.alphas.astype(float))
    scale = np.sqrt(lam[:, None] * lam[None, :])
    Kmat = np.ma.MaskedArray(C.matrix.data / scale, mask=np.ma.getmaskarray(C.matrix))
    return ShellCouplings("renormalized", C.grid, C.alphas.copy(), Kmat)


def overlap_couplings(
    lam1: ArrayLike,
    U1: ArrayLike,
    lam2: ArrayLike,
    U2: ArrayLike,
    grid: ShellGrid,
    *,
    null_tol: float = 0.0,
    alpha_range: tuple[int, int] | None = None,
    block: int = 256,
    strict: bool = False,
) -> ShellCouplings:
    r"""Overlap couplings :math:`W_{\alpha\beta} = |S_\beta(t_1)|^{-1}\sum_{k\in S_\alpha(t_2),\,j\in S_\beta(t_1)}(u_k(t_2)^Tu_j(t_1))^2`.

    The fraction of the modes of shell :math:`\beta` at :math:`t_1` found in shell
    :math:`\alpha` at :math:`t_2`; columns of a complete basis sum to 1.  Both checkpoints are put
    on a common range of shells (the union, or ``alpha_range``).  Overlaps are formed in blocks of
    ``block`` modes (memory O(n * block)).  Columns of empty shells :math:`S_\beta(t_1)` are masked
    (``strict=True``: :class:`EmptyShellError`).

    Parameters
    ----------
    lam1, U1 : array_like
        Eigenpairs at :math:`t_1`.
    lam2, U2 : array_like
        Eigenpairs at :math:`t_2`.
    grid : ShellGrid
        Shells.
    null_tol : float
        Null threshold.
    alpha_range : (int, int), optional
        Common shell range.
    block : int
        Modes per overlap block.
    strict : bool
        Raise on empty columns.

    Returns
    -------
    ShellCouplings
        Kind ``"overlap"``.

    Raises
    ------
    ShapeError
        Inconsistent eigenpairs.
    EmptyShellError
        ``strict`` and an empty shell at :math:`t_1`.

    Examples
    --------
    >>> from grsd_sym.numeric.shells import ShellGrid
    >>> W = overlap_couplings([1.0, 3.0], np.eye(2), [1.0, 3.0], np.eye(2), ShellGrid(1.0))
    >>> W.matrix.tolist()
    [[1.0, 0.0], [0.0, 1.0]]
    """
    lam1 = validate_finite(lam1, "lam1")
    lam2 = validate_finite(lam2, "lam2")
    U1 = validate_finite(U1, "U1")
    U2 = validate_finite(U2, "U2")
    if (
        U1.ndim != 2
        or U2.ndim != 2
        or U1.shape[0] != U2.shape[0]
        or lam1.shape != (U1.shape[1],)
        or lam2.shape != (U2.shape[1],)
    ):
        raise ShapeError(
            f"overlap_couplings: lam1 {lam1.shape}, U1 {U1.shape}, lam2 {lam2.shape}, "
            f"U2 {U2.shape} must be (m1,), (n, m1), (m2,), (n, m2)"
        )
    if alpha_range is None:
        a1 = assign_shells(lam1, grid, null_tol=null_tol)
        a2 = assign_shells(lam2, grid, null_tol=null_tol)
        occ = [(x.alpha_min, x.alpha_min + x.K - 1) for x in (a1, a2) if x.K > 0]
        alpha_range = (min(o[0] for o in occ), max(o[1] for o in occ)) if occ else (0, -1)
    A1 = assign_shells(lam1, grid, null_tol=null_tol, alpha_range=alpha_range)
    A2 = assign_shells(lam2, grid, null_tol=null_tol, alpha_range=alpha_range)
    K1 = A1.K + 1
    S1 = A1.onehot()
    Wext = np.zeros((K1, K1))
    m2 = U2.shape[1]
    for start in range(0, m2, max(int(block), 1)):
        stop = min(start + block, m2)
        O = U2[:, start:stop].T @ U1
        np.square(O, out=O)
        rows = O @ S1  # (b, K+1): summed over j in S_beta(t1)
        np.add.at(Wext, A2.bins[start:stop], rows)
    cnt = np.concatenate([[A1.null_count], A1.counts]).astype(float)
    colmask = ~(cnt > 0)
    if strict and colmask[1:].any():
        raise EmptyShellError(
            f"shells {A1.alphas[colmask[1:]].tolist()} are empty at t1: their "
            "overlap couplings W_ab = (1/|S_b(t1)|) ... are undefined"
        )
    W = np.zeros_like(Wext)
    np.divide(Wext, cnt[None, :], out=W, where=~colmask[None, :])
    mask = np.broadcast_to(colmask[None, :], W.shape).copy()
    Wm = np.ma.MaskedArray(W, mask=mask)
    return ShellCouplings("overlap", grid, A1.alphas, Wm[1:, 1:], null_row=Wm[0, 1:], null_col=Wm[1:, 0])


def _as_masked(K) -> np.ma.MaskedArray:
    if isinstance(K, ShellCouplings):
        K = K.matrix
    M: np.ma.MaskedArray = np.ma.asarray(K, dtype=float)
    if M.ndim != 2 or M.shape[0] != M.shape[1]:
        raise ShapeError(f"coupling matrix must be square, got shape {M.shape}")
    data = np.ma.getdata(M)
    mask = np.ma.getmaskarray(M) | ~np.isfinite(data)
    return np.ma.MaskedArray(np.where(mask, 0.0, data), mask=mask)


def toeplitz_projection(K: ShellCouplings | ArrayLike) -> np.ma.MaskedArray:
    r"""The Toeplitz matrix of diagonal means: :math:`\mathrm{Toep}(K)_{\alpha\beta} = \langle K_{\gamma+m,\gamma}\rangle_\gamma`, :math:`m = \alpha-\beta`.

    Means over the unmasked entries of each diagonal; a fully masked diagonal stays masked.

    Parameters
    ----------
    K : ShellCouplings or array_like
        Square couplings, possibly masked.

    Returns
    -------
    numpy.ma.MaskedArray
        :math:`\mathrm{Toep}(K)`.

    Raises
    ------
    ShapeError
        If ``K`` is not a square matrix (after unmasking).

    Examples
    --------
    >>> toeplitz_projection(np.array([[1.0, 0.0], [2.0, 3.0]])).tolist()
    [[2.0, 0.0], [2.0, 2.0]]
    """
    M = _as_masked(K)
    n = M.shape[0]
    if n == 0:
        return M
    i, j = np.indices((n, n))
    off = (i - j).ravel() + n - 1
    good = ~np.ma.getmaskarray(M).ravel()
    s = np.bincount(off[good], weights=np.ma.getdata(M).ravel()[good], minlength=2 * n - 1)
    c = np.bincount(off[good], minlength=2 * n - 1)
    mean = np.zeros(2 * n - 1)
    np.divide(s, c, out=mean, where=c > 0)
    return np.ma.MaskedArray(mean[off].reshape(n, n), mask=(c[off] == 0).reshape(n, n))


def toeplitz_deviation(
    K: ShellCouplings | ArrayLike, *, alphas: ArrayLike | None = None, window: tuple[int, int] | None = None
) -> float:
    r"""Toeplitz deviation :math:`\delta = \|K - \mathrm{Toep}(K)\|_F/\|K\|_F` inside a window of shells.

    ``K`` is a :class:`ShellCouplings` or a (masked) square array on shells ``alphas``;
    ``window=(lo, hi)`` restricts to shells :math:`lo \le \alpha,\beta \le hi` *before* the
    diagonal means are taken.  Masked entries are left out of both norms.  A window with no
    defined entry raises :class:`EmptyShellError`; :math:`\|K\|_F = 0` raises :class:`InputError`
    (delta is undefined, not 0).

    Parameters
    ----------
    K : ShellCouplings or array_like
        The couplings.
    alphas : array_like, optional
        Shell indices of the rows (default from ``K`` or ``0..n-1``).
    window : (int, int), optional
        Shells kept.

    Returns
    -------
    float
        :math:`\delta`.

    Raises
    ------
    EmptyShellError
        No defined entry in the window.
    InputError
        :math:`\|K\|_F = 0`.
    ShapeError
        ``alphas`` of the wrong length.

    Examples
    --------
    >>> round(toeplitz_deviation(np.array([[1.0, 0.0], [2.0, 3.0]])) ** 2 * 7, 12)   # sqrt(2/14)
    1.0

    References
    ----------
    GRSD section 5 (condition 4).
    """
    if isinstance(K, ShellCouplings):
        alphas = K.alphas if alphas is None else alphas
    M = _as_masked(K)
    n = M.shape[0]
    if window is not None:
        al = np.arange(n) if alphas is None else np.asarray(alphas)
        if al.shape != (n,):
            raise ShapeError(f"alphas: expected {n} shell indices, got shape {al.shape}")
        sel = (al >= window[0]) & (al <= window[1])
        M = M[np.ix_(sel, sel)]
    mask = np.ma.getmaskarray(M)
    if mask.all():
        raise EmptyShellError(f"no defined coupling in the window {window!r} (empty shells)")
    delta = float(toeplitz_deviations(np.ma.getdata(M)[None], mask)[0])
    if math.isnan(delta):
        raise InputError("the couplings vanish in the window: the Toeplitz deviation is undefined")
    return delta


def toeplitz_deviations(P: np.ndarray, mask: np.ndarray) -> np.ndarray:
    r"""Toeplitz deviations :math:`\delta` of a batch of matrices sharing one mask (vectorised).

    The definition of :func:`toeplitz_deviation` (means over the defined entries of each
    diagonal), for ``P`` of shape ``(B, m, m)``: what a permutation null baseline needs.

    Parameters
    ----------
    P : numpy.ndarray, shape (B, m, m)
        The matrices (masked entries are ignored).
    mask : numpy.ndarray of bool, shape (m, m)
        ``True`` where an entry is undefined.

    Returns
    -------
    numpy.ndarray, shape (B,)
        :math:`\delta` of each matrix; ``nan`` where :math:`\|P\|_F = 0`.

    Raises
    ------
    ShapeError
        Shapes that do not match.

    Examples
    --------
    >>> K = np.array([[1.0, 0.0], [2.0, 3.0]])
    >>> round(float(toeplitz_deviations(K[None], np.zeros((2, 2), bool))[0]) ** 2 * 7, 12)
    1.0

    References
    ----------
    GRSD section 5 (log-shift invariance of the couplings).
    """
    P = np.asarray(P, dtype=float)
    mask = np.asarray(mask, dtype=bool)
    if P.ndim != 3 or P.shape[1] != P.shape[2] or mask.shape != P.shape[1:]:
        raise ShapeError(f"expected P of shape (B, m, m) and mask (m, m), got {P.shape} and {mask.shape}")
    B, m, _ = P.shape
    i, j = np.indices((m, m))
    good = ~mask.ravel()
    off = (i - j).ravel()[good] + m - 1
    X = P.reshape(B, m * m)[:, good]
    cnt = np.bincount(off, minlength=2 * m - 1)
    rows = (np.arange(B)[:, None] * (2 * m - 1) + off[None, :]).ravel()  # (matrix, diagonal) bins
    sums = np.bincount(rows, weights=X.ravel(), minlength=B * (2 * m - 1)).reshape(B, 2 * m - 1)
    diff = X - (sums / np.maximum(cnt, 1))[:, off]
    num = np.sqrt(np.sum(diff**2, axis=1))
    den = np.sqrt(np.sum(X**2, axis=1))
    out = np.full(B, np.nan)
    np.divide(num, den, out=out, where=den > 0)
    return out
