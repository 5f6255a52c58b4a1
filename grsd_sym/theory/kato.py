r"""Instantaneous eigenbasis: Hellmann-Feynman, Kato coefficients, mode equations (GRSD-T2, T3).

With :math:`M(t) u_k = \lambda_k u_k` orthonormal and a simple spectrum,

.. math::

   \dot\lambda_k = u_k^T \dot M u_k, \qquad
   u_j^T \dot u_k = \frac{u_j^T \dot M u_k}{\lambda_k - \lambda_j}\ (j \ne k), \qquad
   u_k^T \dot u_k = 0,

and the amplitudes :math:`a = U^T e` of :math:`\dot e = -M e` obey

.. math::

   \dot a_k = -\lambda_k a_k + \sum_{j\ne k} A_{kj} a_j, \qquad
   A_{kj} = \dot u_k^T u_j = \frac{u_j^T \dot M u_k}{\lambda_k - \lambda_j} = -A_{jk}.

A Kato coefficient across a zero gap is undefined: :func:`kato_coefficient` raises
:class:`~grsd_sym.errors.DegenerateGapError` and points to the gauge-free projector form
(GRSD-T5, :mod:`grsd_sym.theory.shells`).

Index level (any ``n``, :func:`index_level_kato`): differentiating :math:`MU = U\Lambda`
and left-multiplying by :math:`U^T` gives, with :math:`B = U^T\dot M U`, :math:`\Omega = U^T\dot U`,

.. math::  B_{jk} + \lambda_j \Omega_{jk} - \Omega_{jk}\lambda_k - \delta_{jk}\dot\lambda_k = 0 .

>>> import sympy as sp
>>> U = sp.eye(2); Md = sp.Matrix([[0, 1], [1, 0]])
>>> kato_coefficient(Md, U, [1, 3], 0, 1)
1/2
>>> kato_coefficient(Md, U, [2, 2], 0, 1)
Traceback (most recent call last):
...
grsd_sym.errors.DegenerateGapError: ...
"""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from typing import Any

import sympy as sp

from grsd_sym.errors import DegenerateGapError, DerivationError, InputError, ShapeError
from grsd_sym.theory.jets import FractionMatrix, JetRing
from grsd_sym.theory.microscopic import antisymmetric_generator_3, as_matrix, require_antisymmetric, require_symmetric
from grsd_sym.theory.ncalgebra import nc_terms

#: a SymPy matrix or anything ``sympy.Matrix`` accepts (nested lists)
MatrixLike = Any

__all__ = [
    "eigenvalue_rate",
    "kato_coefficient",
    "kato_matrix",
    "overlap_rates",
    "mode_amplitudes",
    "mode_equation_rhs",
    "matrix_entry",
    "cayley_spectral_path_3",
    "index_level_kato",
]


def _check_pair(U: sp.Matrix, j: int, k: int) -> None:
    n = U.cols
    for name, i in (("j", j), ("k", k)):
        if not isinstance(i, (int, sp.Integer)) or isinstance(i, bool) or not 0 <= int(i) < n:
            raise ShapeError(f"mode index {name}={i!r} out of range 0..{n - 1}")


def eigenvalue_rate(M_dot: MatrixLike, U: MatrixLike, k: int) -> sp.Basic:
    r"""Hellmann-Feynman: :math:`\dot\lambda_k = u_k^T \dot M u_k` (GRSD-T2).

    Parameters
    ----------
    M_dot : matrix
        :math:`\dot M` (symmetric).
    U : matrix
        Orthonormal eigenvectors (columns).
    k : int
        Mode index.

    Returns
    -------
    sympy.Basic
        :math:`\dot\lambda_k`.

    Raises
    ------
    ShapeError, NotSymmetricError
        On a bad index or a non-symmetric ``M_dot``.

    Examples
    --------
    >>> import sympy as sp
    >>> eigenvalue_rate(sp.diag(1, 2), sp.eye(2), 1)
    2
    """
    U = as_matrix(U, "U")
    _check_pair(U, k, k)
    M_dot = require_symmetric(M_dot, "M_dot")
    return (U[:, k].T * M_dot * U[:, k])[0, 0]


def _gap_is_zero(gap: sp.Basic) -> bool:
    gap = sp.sympify(gap, strict=True)
    if gap.has(sp.Float):
        raise InputError(f"eigenvalues must be exact (sympy.Rational or symbols), got gap {gap}")
    if gap.is_zero is not None:
        return bool(gap.is_zero)
    return sp.expand(gap) == 0 or sp.simplify(gap) == 0


def kato_coefficient(M_dot: MatrixLike, U: MatrixLike, eigenvalues: Sequence, j: int, k: int) -> sp.Basic:
    r"""Kato/Hadamard coefficient :math:`u_j^T \dot u_k = u_j^T \dot M u_k / (\lambda_k - \lambda_j)`.

    Only for ``j != k`` (the gauge fixes :math:`u_k^T \dot u_k = 0`).  A zero gap
    :math:`\lambda_k = \lambda_j` raises :class:`DegenerateGapError`: there the eigenbasis is
    not determined and the shell energies must use spectral projectors (GRSD-T5).

    Parameters
    ----------
    M_dot, U : matrix
        :math:`\dot M` (symmetric) and the orthonormal eigenvectors :math:`u_k` (columns).
    eigenvalues : sequence
        :math:`\lambda_0, \dots, \lambda_{n-1}` (exact).
    j, k : int
        Distinct mode indices.

    Returns
    -------
    sympy.Basic
        :math:`u_j^T \dot u_k` (GRSD-T2).

    Raises
    ------
    DegenerateGapError
        When :math:`\lambda_k = \lambda_j`.
    InputError, ShapeError
        For ``j == k``, inexact eigenvalues or bad shapes.

    Examples
    --------
    >>> import sympy as sp
    >>> kato_coefficient(sp.Matrix([[0, 1], [1, 0]]), sp.eye(2), [1, 3], 0, 1)
    1/2
    """
    U = as_matrix(U, "U")
    lam = list(eigenvalues)
    if len(lam) != U.cols:
        raise ShapeError(f"{len(lam)} eigenvalues for {U.cols} eigenvectors")
    _check_pair(U, j, k)
    j, k = int(j), int(k)
    if j == k:
        raise InputError(f"the Kato coefficient needs j != k (u_k^T u_k' = 0 by the gauge); got j = k = {j}")
    gap = sp.sympify(lam[k], strict=True) - sp.sympify(lam[j], strict=True)
    if _gap_is_zero(gap):
        raise DegenerateGapError(
            f"zero spectral gap lambda_{k} - lambda_{j} = 0: the Kato coefficient 1/(lambda_k - lambda_j) "
            "is undefined for degenerate eigenvalues; use the gauge-free projector form "
            "(GRSD-T5: E_alpha = e^T P_alpha e / 2, grsd_sym.theory.shells.spectral_projector)"
        )
    M_dot = require_symmetric(M_dot, "M_dot")
    return (U[:, j].T * M_dot * U[:, k])[0, 0] / gap


def kato_matrix(M_dot: MatrixLike, U: MatrixLike, eigenvalues: Sequence) -> sp.Matrix:
    r"""The mode-coupling matrix :math:`A_{kj} = u_j^T\dot M u_k / (\lambda_k - \lambda_j)`, :math:`A_{kk}=0`.

    Parameters
    ----------
    M_dot : matrix
        Rate of change of :math:`M`.
    U : matrix
        Eigenvector matrix.
    eigenvalues : sequence
        Exact eigenvalues (a simple spectrum).

    Returns
    -------
    sympy.Matrix
        :math:`A` (antisymmetric; GRSD-T3).

    Raises
    ------
    DegenerateGapError
        On a zero gap.

    Examples
    --------
    >>> import sympy as sp
    >>> kato_matrix(sp.Matrix([[0, 1], [1, 0]]), sp.eye(2), [1, 3])
    Matrix([
    [  0, -1/2],
    [1/2,    0]])
    """
    U = as_matrix(U, "U")
    n = U.cols
    return sp.Matrix(n, n, lambda kk, jj: 0 if kk == jj else kato_coefficient(M_dot, U, eigenvalues, jj, kk))


def overlap_rates(U: MatrixLike, U_dot: MatrixLike) -> sp.Matrix:
    r""":math:`\Omega = U^T \dot U` (antisymmetric for orthogonal :math:`U`; :math:`\Omega_{jk} = u_j^T \dot u_k`).

    Parameters
    ----------
    U, U_dot : matrix
        :math:`U` and :math:`\dot U` (same shape).

    Returns
    -------
    sympy.Matrix
        :math:`\Omega` (GRSD-T2).

    Raises
    ------
    ShapeError
        If the shapes differ.

    Examples
    --------
    >>> import sympy as sp
    >>> overlap_rates(sp.eye(2), sp.Matrix([[0, -1], [1, 0]]))
    Matrix([
    [0, -1],
    [1,  0]])
    """
    U, U_dot = as_matrix(U, "U"), as_matrix(U_dot, "U_dot")
    if U.shape != U_dot.shape:
        raise ShapeError(f"U {U.shape} and U_dot {U_dot.shape} differ in shape")
    return U.T * U_dot


def mode_amplitudes(U: MatrixLike, e: MatrixLike) -> sp.Matrix:
    r"""Mode amplitudes :math:`a = U^T e`, :math:`a_k = u_k^T e`.

    Parameters
    ----------
    U : matrix
        Eigenvectors (columns).
    e : matrix
        The error, a column.

    Returns
    -------
    sympy.Matrix
        :math:`a` (GRSD-T3).

    Raises
    ------
    ShapeError
        If ``e`` is not a column of ``U.rows`` entries.

    Examples
    --------
    >>> import sympy as sp
    >>> mode_amplitudes(sp.eye(2), [3, 4]).T
    Matrix([[3, 4]])
    """
    U, e = as_matrix(U, "U"), as_matrix(e, "e")
    if e.shape != (U.rows, 1):
        raise ShapeError(f"e must be a column of length {U.rows}, got {e.shape}")
    return U.T * e


def mode_equation_rhs(eigenvalues: Sequence, A: MatrixLike, a: MatrixLike) -> sp.Matrix:
    r"""Right-hand side of the mode equations :math:`-\Lambda a + A a` (GRSD-T3); ``A`` antisymmetric.

    Parameters
    ----------
    eigenvalues : sequence
        :math:`\lambda_k`.
    A : matrix
        The antisymmetric coupling (:func:`kato_matrix`).
    a : matrix
        The amplitudes, a column.

    Returns
    -------
    sympy.Matrix
        :math:`\dot a`.

    Raises
    ------
    ShapeError, NotSymmetricError
        On mismatched shapes or a non-antisymmetric ``A``.

    Examples
    --------
    >>> import sympy as sp
    >>> mode_equation_rhs([1, 2], sp.Matrix([[0, 1], [-1, 0]]), [1, 1]).T
    Matrix([[0, -3]])
    """
    A = require_antisymmetric(A, "A")
    a = as_matrix(a, "a")
    lam = list(eigenvalues)
    if len(lam) != A.rows or a.shape != (A.rows, 1):
        raise ShapeError(f"shapes disagree: {len(lam)} eigenvalues, A {A.shape}, a {a.shape}")
    return -sp.diag(*lam) * a + A * a


def matrix_entry(
    expr: sp.Basic, j: sp.Basic, k: sp.Basic, n: sp.Basic, *, bases: Mapping, diagonals: Mapping
) -> sp.Basic:
    r"""Entry ``(j, k)`` of a polynomial in non-commutative matrix symbols, with symbolic indices.

    ``bases[X]`` is the ``IndexedBase`` of a general matrix ``X``; ``diagonals[L]`` the
    ``IndexedBase`` of the diagonal of a diagonal matrix (:math:`L_{jm} = \delta_{jm}\lambda_m`).
    Products become sums over internal indices ``0..n-1`` (evaluated with ``KroneckerDelta``),
    and the index range :math:`0 \le j, k \le n-1` is assumed (its ``Piecewise`` branch taken).
    Words of length <= 2 are supported.

    Parameters
    ----------
    expr : sympy.Basic
        A polynomial in non-commutative symbols.
    j, k, n : sympy.Basic
        Symbolic row/column index and matrix size.
    bases, diagonals : mapping
        Symbol -> ``IndexedBase`` of a general / diagonal matrix.

    Returns
    -------
    sympy.Basic
        The entry.

    Raises
    ------
    InputError
        For an unknown matrix symbol or a word longer than 2.

    Examples
    --------
    >>> import sympy as sp
    >>> L, X = sp.symbols("L X", commutative=False)
    >>> j, k = sp.symbols("j k", integer=True, nonnegative=True)
    >>> n = sp.Symbol("n", integer=True, positive=True)
    >>> matrix_entry(L * X, j, k, n, bases={X: sp.IndexedBase("X")}, diagonals={L: sp.IndexedBase("lambda")})
    X[j, k]*lambda[j]
    """

    def entry(X, r, c):
        if X in bases:
            return bases[X][r, c]
        if X in diagonals:
            return sp.KroneckerDelta(r, c) * diagonals[X][c]
        raise InputError(f"matrix_entry: {X} is neither a general nor a diagonal matrix")

    out = []
    for coeff, word in nc_terms(expr):
        if len(word) == 0:
            out.append(coeff * sp.KroneckerDelta(j, k))
        elif len(word) == 1:
            out.append(coeff * entry(word[0], j, k))
        elif len(word) == 2:
            m = sp.Dummy("m", integer=True, nonnegative=True)
            ssum = sp.Sum(entry(word[0], j, m) * entry(word[1], m, k), (m, 0, n - 1)).doit()
            out.append(coeff * _in_range(ssum, n))
        else:
            raise InputError("matrix_entry supports words of length <= 2")
    return sp.Add(*out)


def _in_range(e: sp.Basic, n) -> sp.Basic:
    """Take the branch of a ``Piecewise`` whose condition is an index bound ``i <= n - 1``."""

    def pick(pw):
        (ex, cond), *_rest = pw.args
        if not (isinstance(cond, sp.core.relational.Relational) and cond.has(n)):
            raise InputError(f"unexpected Piecewise condition {cond}")
        return ex

    return e.replace(lambda x: isinstance(x, sp.Piecewise), pick)


@functools.lru_cache(maxsize=1)
def cayley_spectral_path_3() -> dict[str, Any]:
    r"""The general :math:`3\times3` spectral path in jet coordinates (GRSD-T2/T3 n = 3).

    :math:`U = (I - W)^{-1}(I + W)` with :math:`W = [w]_\times` for three smooth generator paths
    :math:`w_i(t)`, eigenvalue paths :math:`\lambda_k(t)`, error paths :math:`e_i(t)`;
    :math:`M = U\Lambda U^T`.  Returns a dict with the :class:`JetRing` and the
    :class:`FractionMatrix` objects ``U``, ``Lam``, ``M``, ``e`` (cached: treat as read-only).

    Returns
    -------
    dict
        ``jets``, ``U``, ``Lam``, ``M``, ``e``, ``W``, ``delta``.

    Examples
    --------
    >>> P = cayley_spectral_path_3()
    >>> sorted(P), P["U"].to_matrix().shape
    (['Lam', 'M', 'U', 'W', 'delta', 'e', 'jets'], (3, 3))
    """
    names = ["w1", "w2", "w3", "l1", "l2", "l3", "e1", "e2", "e3"]
    jr = JetRing(names)
    R = jr.R
    w = [jr.value(f"w{i}") for i in (1, 2, 3)]
    Wexpr = antisymmetric_generator_3([jr.to_expr(x) for x in w])
    I3 = sp.eye(3)
    Q = ((I3 - Wexpr).adjugate() * (I3 + Wexpr)).applyfunc(sp.expand)
    delta = jr.from_expr(sp.expand((I3 - Wexpr).det()))
    U = FractionMatrix(jr, [[jr.from_expr(Q[i, j]) for j in range(3)] for i in range(3)], delta)
    lam = [jr.value(f"l{i}") for i in (1, 2, 3)]
    Lam = FractionMatrix(jr, [[lam[i] if i == j else R.zero for j in range(3)] for i in range(3)])
    M = U @ Lam @ U.T
    e = FractionMatrix(jr, [[jr.value(f"e{i}")] for i in (1, 2, 3)])
    return {"jets": jr, "U": U, "Lam": Lam, "M": M, "e": e, "W": Wexpr, "delta": delta}


@functools.lru_cache(maxsize=1)
def index_level_kato() -> dict:
    r"""The any-``n`` derivation of GRSD-T2, computed (matrix algebra, then entries, then solve).

    Non-commutative symbols ``U, Ut, Ud, Udt, M, Md, L, Ld`` stand for :math:`U, U^T, \dot U,
    \dot U^T, M, \dot M, \Lambda, \dot\Lambda`.  Steps (each returned for checking):

    1. ``DE`` :math:`= D(MU - U\Lambda)` by the Leibniz rule;
    2. ``X`` :math:`= U^T\,DE` reduced with :math:`U^T M = \Lambda U^T` (symmetry of ``M``) and
       :math:`U^T U = I`, then :math:`B = U^T\dot M U`, :math:`\Omega = U^T \dot U`;
    3. ``gauge`` :math:`= D(U^T U)` reduced: :math:`\Omega^T + \Omega`;
    4. ``entry``: entry ``(j, k)`` of ``X`` with symbolic indices;
    5. ``omega_jk`` solved from the entry with :math:`\delta_{jk} = 0`; ``lambdadot_j`` from ``j = k``.

    Cached (a pure computation): treat the returned dict as read-only.

    Returns
    -------
    dict
        The non-commutative symbols (``nc``), each step's expression, the index symbols, the
        indexed bases and the solved ``omega_jk``, ``lambdadot_j``, ``gauge_jj``.

    Examples
    --------
    >>> r = index_level_kato()
    >>> r["omega_jk"], r["lambdadot_j"]
    (-B[j, k]/(lambda[j] - lambda[k]), B[j, j])
    """
    from grsd_sym.theory.ncalgebra import leibniz, rewrite

    U, Ut, Ud, Udt, Mm, Md, L, Ld, B, Om, OmT = sp.symbols(
        "U U^T Udot Udot^T M Mdot Lambda Lambdadot B Omega Omega^T", commutative=False
    )
    DE = leibniz(Mm * U - U * L, {Mm: Md, U: Ud, L: Ld})
    hyp = [((Ut, Mm), L * Ut), ((Ut, U), sp.Integer(1))]
    names = [((Ut, Md, U), B), ((Ut, Ud), Om), ((Udt, U), OmT)]
    X_raw = sp.expand(Ut * DE)
    X = rewrite(rewrite(X_raw, hyp), names)
    gauge_raw = leibniz(Ut * U, {Ut: Udt, U: Ud})
    gauge = rewrite(gauge_raw, names)

    j, k = sp.symbols("j k", integer=True, nonnegative=True)
    n = sp.Symbol("n", integer=True, positive=True)
    Bb, Omb = sp.IndexedBase("B"), sp.IndexedBase("Omega")
    lam, lamd = sp.IndexedBase("lambda"), sp.IndexedBase("lambdadot")
    entry = matrix_entry(X, j, k, n, bases={B: Bb, Om: Omb}, diagonals={L: lam, Ld: lamd})
    off = entry.subs(sp.KroneckerDelta(j, k), 0)
    omega_sol = sp.solve(off, Omb[j, k])
    if len(omega_sol) != 1:
        raise DerivationError(f"expected one solution for Omega_jk, got {omega_sol}")
    diag = entry.subs(k, j)
    lamd_sol = sp.solve(diag, lamd[j])
    if len(lamd_sol) != 1:
        raise DerivationError(f"expected one solution for lambdadot_k, got {lamd_sol}")
    gauge_entry = (Omb[j, k] + Omb[k, j]).subs(k, j)
    gauge_sol = sp.solve(gauge_entry, Omb[j, j])
    return {
        "nc": {
            "U": U,
            "Ut": Ut,
            "Ud": Ud,
            "Udt": Udt,
            "M": Mm,
            "Md": Md,
            "L": L,
            "Ld": Ld,
            "B": B,
            "Om": Om,
            "OmT": OmT,
        },
        "DE": DE,
        "X_raw": X_raw,
        "X": X,
        "gauge_raw": gauge_raw,
        "gauge": gauge,
        "indices": (j, k, n),
        "bases": {"B": Bb, "Omega": Omb, "lambda": lam, "lambdadot": lamd},
        "entry": entry,
        "offdiagonal": off,
        "omega_jk": omega_sol[0],
        "diagonal": diag,
        "lambdadot_j": lamd_sol[0],
        "gauge_jj": gauge_sol,
        "rules": {"hypotheses": hyp, "names": names},
    }
