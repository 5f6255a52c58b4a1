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

import sympy as sp

from grsd_sym.errors import EmptyShellError, InputError, NegativeEigenvalueError, ShapeError, ShellGridError
from grsd_sym.parsing import exact_value
from grsd_sym.theory.microscopic import as_matrix, require_antisymmetric

__all__ = [
    "assign_shells",
    "shell_energy",
    "null_shell_energy",
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


def assign_shells(eigenvalues: Sequence, h, s0=0) -> tuple[dict[int, list[int]], list[int]]:
    r"""Shell index :math:`\alpha = \lfloor(\log\lambda_k - s_0)/h\rfloor` of each mode; zeros -> null shell.

    Exact (SymPy) eigenvalues.  ``h <= 0`` raises :class:`ShellGridError`; a negative
    eigenvalue raises :class:`NegativeEigenvalueError`.  Returns ``(shells, null)``.
    """
    h, s0 = exact_value(h, name="h"), exact_value(s0, name="s0")
    if not (h.is_positive and h.is_finite):
        raise ShellGridError(f"the shell width h must be positive and finite, got {h}")
    if not s0.is_finite or s0.is_real is False:
        raise ShellGridError(f"the grid origin s0 must be a finite real number, got {s0}")
    shells: dict[int, list[int]] = {}
    null: list[int] = []
    for k, lam in enumerate(eigenvalues):
        lam = sp.sympify(lam)
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


def shell_energy(a, shell: Sequence[int], *, evaluate: bool = True) -> sp.Basic:
    r""":math:`E_\alpha = \tfrac12\sum_{k\in S_\alpha} a_k^2` (``evaluate=False``: the sum kept as written)."""
    a = as_matrix(a, "a")
    total = _total((a[k] ** 2 for k in _members(shell, len(a))), evaluate)
    return sp.Rational(1, 2) * total if evaluate else sp.Mul(sp.Rational(1, 2), total, evaluate=False)


def null_shell_energy(a, null: Sequence[int]) -> sp.Basic:
    """Energy of the null shell (modes with zero eigenvalue): it is part of the loss."""
    return shell_energy(a, null)


def dissipation(eigenvalues: Sequence, a, shell: Sequence[int], *, evaluate: bool = True) -> sp.Basic:
    r""":math:`D_\alpha = \sum_{k\in S_\alpha}\lambda_k a_k^2` (energy dissipation rate of the shell)."""
    a = as_matrix(a, "a")
    lam = list(eigenvalues)
    if len(lam) != len(a):
        raise ShapeError(f"{len(lam)} eigenvalues for {len(a)} amplitudes")
    return _total((sp.Mul(lam[k], a[k] ** 2, evaluate=evaluate) for k in _members(shell, len(a))), evaluate)


def transfer(A, a, shell_alpha: Sequence[int], shell_beta: Sequence[int], *, evaluate: bool = True) -> sp.Basic:
    r""":math:`T_{\alpha\beta} = \sum_{k\in S_\alpha, j\in S_\beta} A_{kj} a_k a_j` (``A`` antisymmetric).

    ``evaluate=False`` keeps every term of the double sum (for display in a certificate).
    """
    A = require_antisymmetric(A, "A")
    a = as_matrix(a, "a")
    if len(a) != A.rows:
        raise ShapeError(f"A is {A.rows}x{A.cols} but a has {len(a)} entries")
    Sa, Sb = _members(shell_alpha, A.rows, "shell alpha"), _members(shell_beta, A.rows, "shell beta")
    return _total((sp.Mul(A[k, j], a[k], a[j], evaluate=evaluate) for k in Sa for j in Sb), evaluate)


def intra_shell_transfer(A, a, shell: Sequence[int], *, evaluate: bool = True) -> sp.Basic:
    r""":math:`T_{\alpha\alpha}`, identically zero for antisymmetric ``A`` (GRSD-T4), returned unexpanded."""
    return transfer(A, a, shell, shell, evaluate=evaluate)


def net_transfer(A, a, shells: Sequence[Sequence[int]], alpha: int) -> sp.Basic:
    r""":math:`\sum_{\beta\ne\alpha} T_{\alpha\beta}` over the given shells (null shell included if listed)."""
    if not 0 <= alpha < len(shells):
        raise ShapeError(f"shell index {alpha} outside 0..{len(shells) - 1}")
    return sum((transfer(A, a, shells[alpha], shells[b]) for b in range(len(shells)) if b != alpha), sp.Integer(0))


def spectral_projector(U, shell: Sequence[int]) -> sp.Matrix:
    r""":math:`P_\alpha = \sum_{k\in S_\alpha} u_k u_k^T` (gauge free: any orthonormal basis of the shell)."""
    U = as_matrix(U, "U")
    ks = _members(shell, U.cols)
    if not ks:
        raise EmptyShellError("the spectral projector of an empty shell is 0; pass a shell with modes")
    return sum((U[:, k] * U[:, k].T for k in ks), sp.zeros(U.rows, U.rows))


def projector_energy(P, e) -> sp.Basic:
    r""":math:`E_\alpha = \tfrac12 e^T P_\alpha e` (GRSD-T5)."""
    P, e = as_matrix(P, "P"), as_matrix(e, "e")
    if P.rows != P.cols or e.shape != (P.rows, 1):
        raise ShapeError(f"P must be square and e a matching column; got P {P.shape}, e {e.shape}")
    return sp.Rational(1, 2) * (e.T * P * e)[0, 0]


def boundary_flux(T, alpha: int, *, evaluate: bool = True) -> sp.Basic:
    r""":math:`F_{\alpha+1/2} = \sum_{\beta>\alpha,\ \gamma\le\alpha} T_{\beta\gamma}` (shells ``0..K-1``).

    ``alpha = -1`` and ``alpha = K-1`` give the outer boundaries (zero).
    """
    T = require_antisymmetric(T, "T")
    K = T.rows
    if not -1 <= alpha <= K - 1:
        raise ShapeError(f"boundary index alpha must be in -1..{K - 1}, got {alpha}")
    return _total((T[b, g] for b in range(alpha + 1, K) for g in range(alpha + 1)), evaluate)


def net_transfers_from_matrix(T, *, evaluate: bool = True) -> list:
    r""":math:`T_\alpha = \sum_\beta T_{\alpha\beta}` for an explicit antisymmetric shell-transfer matrix."""
    T = require_antisymmetric(T, "T")
    return [_total((T[al, b] for b in range(T.cols) if T[al, b] != 0), evaluate) for al in range(T.rows)]
