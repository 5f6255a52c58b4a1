r"""Logarithmic shells: energies, dissipation, transfer, projectors, fluxes (GRSD-T4..T6).

Grid :math:`s_\alpha = s_0 + \alpha h`, shell :math:`S_\alpha = \{\lambda>0: s_\alpha \le \log\lambda < s_{\alpha+1}\}`;
zero eigenvalues form the *null shell* (never dropped).

.. math::

   E_\alpha = \tfrac12 \sum_{k\in S_\alpha} a_k^2 = \tfrac12 e^T P_\alpha e, \qquad
   D_\alpha = \sum_{k\in S_\alpha} \lambda_k a_k^2, \qquad
   T_{\alpha\beta} = \sum_{k\in S_\alpha, j\in S_\beta} A_{kj} a_k a_j = -T_{\beta\alpha},

   \dot E_\alpha = -D_\alpha + \sum_{\beta\ne\alpha} T_{\alpha\beta}, \qquad
   T_\alpha = F_{\alpha-1/2} - F_{\alpha+1/2}, \quad
   F_{\alpha+1/2} = \sum_{\beta>\alpha,\ \gamma\le\alpha} T_{\beta\gamma}.

>>> import sympy as sp
>>> assign_shells([0, 1, sp.E, sp.E**3], h=1)
({0: [1], 1: [2], 3: [3]}, [0])
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import sympy as sp

from grsd_sym.errors import EmptyShellError, InputError, NegativeEigenvalueError, ShapeError, ShellGridError
from grsd_sym.parsing import exact_value
from grsd_sym.theory.microscopic import as_matrix, require_antisymmetric

__all__ = [
    "assign_shells",
    "shell_energy",
    "dissipation",
    "transfer",
    "intra_shell_transfer",
    "net_transfer",
    "spectral_projector",
    "projector_energy",
    "boundary_flux",
    "net_transfers_from_matrix",
]


def _members(shell: Sequence[int], n: int, name: str = "shell") -> list[int]:
    ks = [int(k) for k in shell]
    if len(set(ks)) != len(ks):
        raise InputError(f"{name} lists a mode twice: {ks}")
    bad = [k for k in ks if not 0 <= k < n]
    if bad:
        raise ShapeError(f"{name} has mode indices {bad} outside 0..{n - 1}")
    return ks


def assign_shells(eigenvalues: Sequence, h: Any, s0: Any = 0) -> tuple[dict[int, list[int]], list[int]]:
    r"""Shell index :math:`\alpha = \lfloor(\log\lambda_k - s_0)/h\rfloor` of each mode; zeros -> null shell.

    Exact (SymPy) eigenvalues.

    Parameters
    ----------
    eigenvalues : sequence
        Exact eigenvalues :math:`\lambda_k \ge 0`.
    h : Any
        Shell width (positive).
    s0 : Any
        Grid origin.

    Returns
    -------
    tuple of (dict of int to list of int, list of int)
        ``(shells, null)``: shell index -> modes, and the modes with zero eigenvalue.

    Raises
    ------
    ShellGridError
        For ``h <= 0`` or a non-real ``s0``.
    NegativeEigenvalueError
        For a negative eigenvalue.
    InputError
        When an eigenvalue's shell cannot be decided.

    Examples
    --------
    >>> import sympy as sp
    >>> assign_shells([0, 1, sp.E, sp.E**3], h=1)
    ({0: [1], 1: [2], 3: [3]}, [0])
    """
    h, s0 = exact_value(h, name="h"), exact_value(s0, name="s0")
    if not (h.is_positive and h.is_finite):
        raise ShellGridError(f"the shell width h must be positive and finite, got {h}")
    if not s0.is_finite or s0.is_real is False:
        raise ShellGridError(f"the grid origin s0 must be a finite real number, got {s0}")
    shells: dict[int, list[int]] = {}
    null: list[int] = []
    for k, lam in enumerate(eigenvalues):
        lam = sp.sympify(lam, strict=True)
        if lam.is_zero:
            null.append(k)
            continue
        if lam.is_negative:
            raise NegativeEigenvalueError(f"eigenvalue {k} is negative ({lam}); M = J J^T is PSD")
        if not lam.is_positive:
            raise InputError(f"cannot place eigenvalue {lam} (sign unknown): give numbers or positive symbols")
        alpha = sp.floor((sp.log(lam) - s0) / h)
        if not alpha.is_Integer:
            raise InputError(f"cannot decide the shell of eigenvalue {lam}")
        shells.setdefault(int(alpha), []).append(k)
    return dict(sorted(shells.items())), null


def _total(terms, evaluate: bool) -> sp.Basic:
    """The sum of ``terms``; with ``evaluate=False`` an unevaluated ``Add`` that shows every term."""
    terms = list(terms)
    if evaluate:
        return sum(terms, sp.Integer(0))
    if not terms:
        return sp.Integer(0)
    return terms[0] if len(terms) == 1 else sp.Add(*terms, evaluate=False)


def shell_energy(a: Any, shell: Sequence[int], *, evaluate: bool = True) -> sp.Basic:
    r""":math:`E_\alpha = \tfrac12\sum_{k\in S_\alpha} a_k^2` (``evaluate=False``: the sum kept as written).

    Parameters
    ----------
    a : Any
        Mode amplitudes.
    shell : sequence of int
        The shell's modes.
    evaluate : bool
        ``False`` keeps the sum as written (for display in a certificate).

    Returns
    -------
    sympy.Basic
        :math:`E_\alpha` (GRSD-T4).

    Raises
    ------
    ShapeError, InputError
        For a mode out of range or listed twice.

    Examples
    --------
    >>> shell_energy([1, 2, 3], [0, 2])
    5
    """
    a = as_matrix(a, "a")
    total = _total((a[k] ** 2 for k in _members(shell, len(a))), evaluate)
    return sp.Rational(1, 2) * total if evaluate else sp.Mul(sp.Rational(1, 2), total, evaluate=False)


def dissipation(eigenvalues: Sequence, a: Any, shell: Sequence[int], *, evaluate: bool = True) -> sp.Basic:
    r""":math:`D_\alpha = \sum_{k\in S_\alpha}\lambda_k a_k^2` (energy dissipation rate of the shell).

    Parameters
    ----------
    eigenvalues : sequence
        :math:`\lambda_k`.
    a : Any
        Amplitudes :math:`a_k`, one per eigenvalue.
    shell : sequence of int
        Modes :math:`k \in S_\alpha`.
    evaluate : bool
        ``False``: an unevaluated sum.

    Returns
    -------
    sympy.Basic
        :math:`D_\alpha` (GRSD-T4).

    Raises
    ------
    ShapeError
        If the lengths differ.

    Examples
    --------
    >>> dissipation([1, 2, 3], [1, 1, 2], [1, 2])
    14
    """
    a = as_matrix(a, "a")
    lam = list(eigenvalues)
    if len(lam) != len(a):
        raise ShapeError(f"{len(lam)} eigenvalues for {len(a)} amplitudes")
    return _total((sp.Mul(lam[k], a[k] ** 2, evaluate=evaluate) for k in _members(shell, len(a))), evaluate)


def transfer(
    A: Any, a: Any, shell_alpha: Sequence[int], shell_beta: Sequence[int], *, evaluate: bool = True
) -> sp.Basic:
    r""":math:`T_{\alpha\beta} = \sum_{k\in S_\alpha, j\in S_\beta} A_{kj} a_k a_j` (``A`` antisymmetric).

    ``evaluate=False`` keeps every term of the double sum (for display in a certificate).

    Parameters
    ----------
    A, a : Any
        Antisymmetric coupling matrix and amplitude column.
    shell_alpha, shell_beta : sequence of int
        The two shells.
    evaluate : bool
        ``False`` keeps every term.

    Returns
    -------
    sympy.Basic
        :math:`T_{\alpha\beta}` (GRSD-T4).

    Raises
    ------
    ShapeError, InputError
        If ``A`` is not antisymmetric or the shapes disagree.

    Examples
    --------
    >>> A = [[0, 1], [-1, 0]]
    >>> transfer(A, [2, 3], [0], [1]), transfer(A, [2, 3], [1], [0])
    (6, -6)
    """
    A = require_antisymmetric(A, "A")
    a = as_matrix(a, "a")
    if len(a) != A.rows:
        raise ShapeError(f"A is {A.rows}x{A.cols} but a has {len(a)} entries")
    Sa, Sb = _members(shell_alpha, A.rows, "shell alpha"), _members(shell_beta, A.rows, "shell beta")
    return _total((sp.Mul(A[k, j], a[k], a[j], evaluate=evaluate) for k in Sa for j in Sb), evaluate)


def intra_shell_transfer(A: Any, a: Any, shell: Sequence[int], *, evaluate: bool = True) -> sp.Basic:
    r""":math:`T_{\alpha\alpha}`, identically zero for antisymmetric ``A`` (GRSD-T4), returned unexpanded.

    Parameters
    ----------
    A : Any
        :math:`A_{kj} = -A_{jk}`.
    a : Any
        :math:`a_k`.
    shell : sequence of int
        :math:`S_\alpha`.
    evaluate : bool
        Whether to add the terms up.

    Returns
    -------
    sympy.Basic
        :math:`T_{\alpha\alpha}`.

    Examples
    --------
    >>> intra_shell_transfer([[0, 1], [-1, 0]], [2, 3], [0, 1])
    0
    """
    return transfer(A, a, shell, shell, evaluate=evaluate)


def net_transfer(A: Any, a: Any, shells: Sequence[Sequence[int]], alpha: int) -> sp.Basic:
    r""":math:`\sum_{\beta\ne\alpha} T_{\alpha\beta}` over the given shells (null shell included if listed).

    Parameters
    ----------
    A : Any
        Coupling (antisymmetric), as in :func:`transfer`.
    a : Any
        The amplitude column.
    shells : sequence of sequences of int
        The shells.
    alpha : int
        Which shell.

    Returns
    -------
    sympy.Basic
        The net transfer into shell ``alpha`` (GRSD-T4).

    Raises
    ------
    ShapeError
        For ``alpha`` out of range.

    Examples
    --------
    >>> net_transfer([[0, 1], [-1, 0]], [2, 3], [[0], [1]], 0)
    6
    """
    if not 0 <= alpha < len(shells):
        raise ShapeError(f"shell index {alpha} outside 0..{len(shells) - 1}")
    return sum((transfer(A, a, shells[alpha], shells[b]) for b in range(len(shells)) if b != alpha), sp.Integer(0))


def spectral_projector(U: Any, shell: Sequence[int]) -> sp.Matrix:
    r""":math:`P_\alpha = \sum_{k\in S_\alpha} u_k u_k^T` (gauge free: any orthonormal basis of the shell).

    Parameters
    ----------
    U : Any
        Orthonormal eigenvectors (columns).
    shell : sequence of int
        The shell's modes (not empty).

    Returns
    -------
    sympy.Matrix
        :math:`P_\alpha` (GRSD-T5).

    Raises
    ------
    EmptyShellError
        For an empty shell.

    Examples
    --------
    >>> import sympy as sp
    >>> spectral_projector(sp.eye(2), [1])
    Matrix([
    [0, 0],
    [0, 1]])
    """
    U = as_matrix(U, "U")
    ks = _members(shell, U.cols)
    if not ks:
        raise EmptyShellError("the spectral projector of an empty shell is 0; pass a shell with modes")
    return sum((U[:, k] * U[:, k].T for k in ks), sp.zeros(U.rows, U.rows))


def projector_energy(P: Any, e: Any) -> sp.Basic:
    r""":math:`E_\alpha = \tfrac12 e^T P_\alpha e` (GRSD-T5).

    Parameters
    ----------
    P : Any
        A projector.
    e : Any
        The error, a column.

    Returns
    -------
    sympy.Basic
        :math:`E_\alpha`.

    Raises
    ------
    ShapeError
        On mismatched shapes.

    Examples
    --------
    >>> projector_energy([[1, 0], [0, 0]], [3, 4])
    9/2
    """
    P, e = as_matrix(P, "P"), as_matrix(e, "e")
    if P.rows != P.cols or e.shape != (P.rows, 1):
        raise ShapeError(f"P must be square and e a matching column; got P {P.shape}, e {e.shape}")
    return sp.Rational(1, 2) * (e.T * P * e)[0, 0]


def boundary_flux(T: Any, alpha: int, *, evaluate: bool = True) -> sp.Basic:
    r""":math:`F_{\alpha+1/2} = \sum_{\beta>\alpha,\ \gamma\le\alpha} T_{\beta\gamma}` (shells ``0..K-1``).

    ``alpha = -1`` and ``alpha = K-1`` give the outer boundaries (zero).

    Parameters
    ----------
    T : Any
        The antisymmetric shell-transfer matrix.
    alpha : int
        Boundary index, ``-1..K-1``.
    evaluate : bool
        ``False`` keeps every term.

    Returns
    -------
    sympy.Basic
        :math:`F_{\alpha+1/2}` (GRSD-T6).

    Raises
    ------
    ShapeError
        Unless ``-1 <= alpha <= K - 1``.

    Examples
    --------
    >>> boundary_flux([[0, 1], [-1, 0]], 0)
    -1
    """
    T = require_antisymmetric(T, "T")
    K = T.rows
    if not -1 <= alpha <= K - 1:
        raise ShapeError(f"boundary index alpha must be in -1..{K - 1}, got {alpha}")
    return _total((T[b, g] for b in range(alpha + 1, K) for g in range(alpha + 1)), evaluate)


def net_transfers_from_matrix(T: Any, *, evaluate: bool = True) -> list[sp.Basic]:
    r""":math:`T_\alpha = \sum_\beta T_{\alpha\beta}` for an explicit antisymmetric shell-transfer matrix.

    Parameters
    ----------
    T : Any
        The antisymmetric shell-transfer matrix.
    evaluate : bool
        ``False`` keeps every term.

    Returns
    -------
    list of sympy.Basic
        :math:`T_\alpha` per shell (they sum to zero; GRSD-T6).

    Examples
    --------
    >>> net_transfers_from_matrix([[0, 1], [-1, 0]])
    [1, -1]
    """
    T = require_antisymmetric(T, "T")
    return [_total((T[al, b] for b in range(T.cols) if T[al, b] != 0), evaluate) for al in range(T.rows)]
