r"""First-order jet coordinates and exact rational-function matrices (used by GRSD-T2/T3).

An identity between expressions built from smooth paths :math:`f_i(t)` and their first
derivatives holds for *every* path iff it holds as a rational-function identity in the jet
coordinates :math:`(f_i, \dot f_i)`, because at any instant these values are arbitrary.  A
:class:`JetRing` names a polynomial ring over :math:`\mathbb{Q}` whose generators are the
values and first derivatives of the given functions, and the *total derivative*

.. math::  D = \sum_i \dot f_i \, \frac{\partial}{\partial f_i}.

:class:`FractionMatrix` is a matrix of rational functions stored as a polynomial numerator
matrix over one common denominator, so products and derivatives need no gcd until the end.
This keeps the fully symbolic :math:`3\times 3` Kato computation exact and fast (SymPy's
``cancel`` on the expanded expressions takes minutes).

>>> jr = JetRing(["w"])
>>> x = jr.value("w")
>>> jr.D(x**2) == 2 * x * jr.rate("w")
True
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import sympy as sp
from sympy import QQ
from sympy.polys.rings import ring

from grsd_sym.errors import DerivationError, InputError, ShapeError

__all__ = ["JetRing", "FractionMatrix", "to_jets"]

#: an element of the jet ring (a ``sympy.polys.rings.PolyElement``)
Poly = Any


class JetRing:
    r"""Polynomial ring in the jet coordinates ``(f, f_dot)`` of the named functions.

    Parameters
    ----------
    names : sequence of str
        Distinct function names.

    Attributes
    ----------
    R : sympy.polys.rings.PolyRing
        The ring over :math:`\mathbb{Q}`, generators ``f..., f_dot...``.
    symbols : dict of str to Symbol
        Real symbols named like the generators (for :meth:`to_expr`).

    Raises
    ------
    InputError
        For no or repeated names.

    Examples
    --------
    >>> jr = JetRing(["w"])
    >>> jr.to_expr(jr.D(jr.value("w") ** 3))
    3*w**2*w_dot
    """

    def __init__(self, names: Sequence[str]) -> None:
        names = list(names)
        if not names or len(set(names)) != len(names):
            raise InputError(f"JetRing needs distinct function names, got {names}")
        self.names = names
        gens = ",".join([*names, *[f"{n}_dot" for n in names]])
        self.R, *g = ring(gens, QQ)
        self._val = dict(zip(names, g[: len(names)], strict=True))
        self._rate = dict(zip(names, g[len(names) :], strict=True))
        self.symbols = {str(x): sp.Symbol(str(x), real=True) for x in g}

    def value(self, name: str) -> Poly:
        """The generator :math:`f` of ``name``."""
        return self._val[name]

    def rate(self, name: str) -> Poly:
        r"""The generator :math:`\dot f` of ``name``."""
        return self._rate[name]

    def D(self, p: Poly) -> Poly:
        """Total time derivative of a polynomial in the values (first order only)."""
        for r in self._rate.values():
            if p.degree(r) > 0:
                raise DerivationError("JetRing.D: second derivatives are not represented")
        out = self.R.zero
        for n in self.names:
            out += p.diff(self._val[n]) * self._rate[n]
        return out

    def to_expr(self, p: Poly) -> sp.Basic:
        """A ring element as a SymPy expression in real symbols named like the generators."""
        return p.as_expr(*[self.symbols[str(x)] for x in self.R.gens])

    def from_expr(self, e: sp.Basic) -> Poly:
        """A SymPy polynomial in the generators' symbols as a ring element."""
        return self.R(sp.sympify(e, strict=True).subs({v: sp.Symbol(k) for k, v in self.symbols.items()}))


class FractionMatrix:
    """Matrix of rational functions: ``num[i][j] / den`` with polynomial entries.

    Parameters
    ----------
    jr : JetRing
        The ring of the entries.
    num : list of lists
        Numerator entries (ring elements).
    den : ring element, optional
        The common denominator (default 1).

    Raises
    ------
    InputError
        For a zero denominator.

    Examples
    --------
    >>> jr = JetRing(["w"])
    >>> w = jr.value("w")
    >>> A = FractionMatrix(jr, [[w, jr.R.one]], den=w + 1)
    >>> (A @ A.T).to_matrix(), A.diff().shape
    (Matrix([[(w**2 + 1)/(w**2 + 2*w + 1)]]), (1, 2))
    """

    def __init__(self, jr: JetRing, num: list[list[Poly]], den: Poly | None = None) -> None:
        self.jr = jr
        self.num = [list(r) for r in num]
        self.den = jr.R.one if den is None else den
        if den is not None and den == 0:
            raise InputError("FractionMatrix: zero denominator")
        self.shape = (len(self.num), len(self.num[0]) if self.num else 0)

    def __matmul__(self, other: FractionMatrix) -> FractionMatrix:
        (n, m), (m2, p) = self.shape, other.shape
        if m != m2:
            raise ShapeError(f"cannot multiply {self.shape} by {other.shape}")
        R = self.jr.R
        num = [[sum((self.num[i][k] * other.num[k][j] for k in range(m)), R.zero) for j in range(p)] for i in range(n)]
        return FractionMatrix(self.jr, num, self.den * other.den)

    def __add__(self, other: FractionMatrix) -> FractionMatrix:
        if self.shape != other.shape:
            raise ShapeError(f"cannot add {self.shape} and {other.shape}")
        if self.den == other.den:
            num = [[a + b for a, b in zip(r1, r2, strict=True)] for r1, r2 in zip(self.num, other.num, strict=True)]
            return FractionMatrix(self.jr, num, self.den)
        num = [
            [a * other.den + b * self.den for a, b in zip(r1, r2, strict=True)]
            for r1, r2 in zip(self.num, other.num, strict=True)
        ]
        return FractionMatrix(self.jr, num, self.den * other.den)

    def __neg__(self) -> FractionMatrix:
        return FractionMatrix(self.jr, [[-a for a in r] for r in self.num], self.den)

    def __sub__(self, other: FractionMatrix) -> FractionMatrix:
        return self + (-other)

    @property
    def T(self) -> FractionMatrix:
        """The transpose."""
        n, m = self.shape
        return FractionMatrix(self.jr, [[self.num[i][j] for i in range(n)] for j in range(m)], self.den)

    def diff(self) -> FractionMatrix:
        """Total time derivative (quotient rule over the common denominator)."""
        D = self.jr.D
        dd = D(self.den)
        num = [[D(a) * self.den - a * dd for a in r] for r in self.num]
        return FractionMatrix(self.jr, num, self.den**2)

    def entry(self, i: int, j: int) -> tuple:
        """Entry ``(i, j)`` in lowest terms, as ``(numerator, denominator)`` ring elements."""
        return self.num[i][j].cancel(self.den)

    def entry_expr(self, i: int, j: int) -> sp.Basic:
        """Entry ``(i, j)`` in lowest terms as a SymPy expression."""
        p, q = self.entry(i, j)
        return self.jr.to_expr(p) / self.jr.to_expr(q)

    def to_matrix(self) -> sp.Matrix:
        """The SymPy matrix, every entry in lowest terms."""
        n, m = self.shape
        return sp.Matrix(n, m, lambda i, j: self.entry_expr(i, j))


def to_jets(expr: Any, functions: Sequence[Any], t: sp.Symbol) -> Any:
    r"""Pass from paths to first-order jet coordinates: :math:`f(t) \to f`, :math:`\dot f(t) \to f_{dot}`.

    ``functions`` are applied undefined functions of ``t`` (e.g. ``phi(t)``).  Symbols are real
    and named like the :class:`JetRing` generators (``phi``, ``phi_dot``).  Derivatives of order
    two or more are not represented and raise :class:`~grsd_sym.errors.DerivationError`.

    Parameters
    ----------
    expr : Any
        An expression or matrix in the paths.
    functions : sequence
        The applied functions, e.g. ``[phi(t)]``.
    t : sympy.Symbol
        Time.

    Returns
    -------
    sympy expression or matrix
        ``expr`` in jet coordinates.

    Raises
    ------
    DerivationError
        For a second (or higher) derivative.

    Examples
    --------
    >>> import sympy as sp
    >>> t = sp.Symbol("t")
    >>> phi = sp.Function("phi")(t)
    >>> to_jets(sp.sin(phi).diff(t), [phi], t)
    phi_dot*cos(phi)
    """
    reps = {}
    for f in functions:
        name = f.func.__name__
        reps[sp.Derivative(f, t)] = sp.Symbol(f"{name}_dot", real=True)
    e = sp.sympify(expr, strict=True)
    # structural replacement (xreplace): derivatives first, then values
    if isinstance(e, sp.MatrixBase):
        e = e.applyfunc(lambda z: z.xreplace(reps))
    else:
        e = e.xreplace(reps)
    if e.has(sp.Derivative):
        raise DerivationError(f"to_jets: derivatives beyond first order remain in {e}")
    vals = {f: sp.Symbol(f.func.__name__, real=True) for f in functions}
    return e.applyfunc(lambda z: z.xreplace(vals)) if isinstance(e, sp.MatrixBase) else e.xreplace(vals)
