r"""Non-commutative (matrix) algebra for index-free derivations (GRSD-T3, T5).

Matrices are non-commutative SymPy symbols; a time derivative is a *derivation* of the
algebra, i.e. it obeys the Leibniz rule on words,

.. math::  D(X_1 X_2 \cdots X_m) = \sum_i X_1 \cdots D(X_i) \cdots X_m ,

and hypotheses such as :math:`U^T U = I` or :math:`P^2 = P` are *rewriting rules* on words.
:func:`leibniz` differentiates, :func:`rewrite` reduces with rules until nothing changes,
:func:`evaluate` substitutes concrete (mpmath) matrices so a custom numeric witness can test
an identity on random matrices that satisfy the hypotheses.

>>> import sympy as sp
>>> P, Pd = sp.symbols("P Pd", commutative=False)
>>> leibniz(P * P, {P: Pd})
P*Pd + Pd*P
>>> rewrite(P**3, [((P, P), (P,))])
P
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import mpmath
import sympy as sp

from grsd_sym.errors import DerivationError, InputError

__all__ = ["nc_terms", "from_terms", "leibniz", "rewrite", "rewrite_traced", "evaluate", "substitute_shown"]

Word = tuple  # a tuple of non-commutative symbols


def _word_of(factors: Sequence[sp.Basic]) -> tuple[sp.Basic, Word]:
    coeff: sp.Basic = sp.Integer(1)
    word: list = []
    for f in factors:
        if f.is_commutative:
            coeff *= f
        elif f.is_Pow and f.exp.is_Integer and f.exp > 0 and f.base.is_Symbol:
            word.extend([f.base] * int(f.exp))
        elif f.is_Symbol:
            word.append(f)
        else:
            raise InputError(f"not a word in non-commutative symbols: {f}")
    return coeff, tuple(word)


def nc_terms(expr: sp.Basic) -> list[tuple[sp.Basic, Word]]:
    """Expand ``expr`` into ``[(commutative coefficient, word), ...]`` (like terms merged).

    Parameters
    ----------
    expr : sympy.Basic
        A polynomial in non-commutative symbols.

    Returns
    -------
    list of (sympy.Basic, tuple)
        Coefficient and word of each term.

    Examples
    --------
    >>> import sympy as sp
    >>> P, Q = sp.symbols("P Q", commutative=False)
    >>> nc_terms(2 * P * Q + 3 * P * Q)
    [(5, (P, Q))]
    """
    expr = sp.expand(sp.sympify(expr, strict=True))
    acc: dict[Word, sp.Basic] = {}
    for term in sp.Add.make_args(expr):
        if term == 0:
            continue
        c, w = _word_of(sp.Mul.make_args(term))
        acc[w] = acc.get(w, 0) + c
    return [(sp.expand(c), w) for w, c in acc.items() if sp.expand(c) != 0]


def from_terms(terms: Sequence[tuple[sp.Basic, Word]]) -> sp.Basic:
    """Inverse of :func:`nc_terms`.

    Parameters
    ----------
    terms : sequence of (coefficient, word)
        As returned by :func:`nc_terms`.

    Returns
    -------
    sympy.Basic
        The polynomial.

    Examples
    --------
    >>> import sympy as sp
    >>> P, Q = sp.symbols("P Q", commutative=False)
    >>> from_terms(nc_terms(Q * P - P * Q)) == Q * P - P * Q
    True
    """
    return sp.Add(*[c * sp.Mul(*w) if w else c for c, w in terms])


def leibniz(expr: sp.Basic, derivative: Mapping[sp.Symbol, sp.Basic]) -> sp.Basic:
    r"""Time derivative of a polynomial in non-commutative symbols by the Leibniz rule.

    ``derivative[X]`` is the derivative of the symbol ``X`` (a symbol missing from the map is
    an error; pass ``0`` for a constant).  Commutative coefficients must be constants.

    Parameters
    ----------
    expr : sympy.Basic
        A polynomial with constant coefficients.
    derivative : mapping
        Symbol -> its derivative.

    Returns
    -------
    sympy.Basic
        :math:`D(\mathrm{expr})`, expanded (GRSD-T3, T5).

    Raises
    ------
    InputError
        For a symbol without a derivative or a non-constant coefficient.

    Examples
    --------
    >>> import sympy as sp
    >>> P, Q = sp.symbols("P Q", commutative=False)
    >>> leibniz(P * Q, {P: 0, Q: P})
    P**2
    """
    out = []
    for coeff, word in nc_terms(expr):
        if coeff.free_symbols:
            raise InputError(f"leibniz: coefficients must be constants, got {coeff}")
        for i, x in enumerate(word):
            if x not in derivative:
                raise InputError(f"leibniz: no derivative given for {x}")
            out.append(coeff * sp.Mul(*word[:i]) * derivative[x] * sp.Mul(*word[i + 1 :]))
    return sp.expand(sp.Add(*out))


def rewrite(expr: sp.Basic, rules: Sequence[tuple[Word, object]], max_steps: int = 10_000) -> sp.Basic:
    """Reduce with rewriting rules ``(word, replacement)`` until no rule applies.

    A replacement is a word (tuple of symbols) or any expression in the algebra
    (e.g. ``((Ut, U), ())`` for :math:`U^T U = I`, ``((P, P), (P,))`` for :math:`P^2 = P`).

    Parameters
    ----------
    expr : sympy.Basic
        The polynomial to reduce.
    rules, max_steps
        As in :func:`rewrite_traced`.

    Returns
    -------
    sympy.Basic
        The reduced polynomial (the first value of :func:`rewrite_traced`).

    Raises
    ------
    DerivationError
        After ``max_steps`` rounds.

    Examples
    --------
    >>> import sympy as sp
    >>> P, Q = sp.symbols("P Q", commutative=False)
    >>> rewrite(P * Q * P, [((Q, P), ())])
    P
    """
    return rewrite_traced(expr, rules, max_steps)[0]


def _relation(rule: tuple[Word, object]) -> sp.Basic:
    """The relation ``lhs - rhs`` of a rule, kept unevaluated so that it is visible."""
    lhs, rhs = rule
    rhs_e = sp.Mul(*rhs) if isinstance(rhs, tuple) else sp.sympify(rhs, strict=True)
    return sp.Add(sp.Mul(*lhs), sp.Mul(-1, rhs_e, evaluate=False), evaluate=False)


def rewrite_traced(
    expr: sp.Basic, rules: Sequence[tuple[Word, object]], max_steps: int = 10_000
) -> tuple[sp.Basic, sp.Basic]:
    """:func:`rewrite`, returning also *why*: ``expr = reduced + sum_i c_i L_i (lhs_i - rhs_i) R_i``.

    Each rule application replaces ``L lhs R`` by ``L rhs R``; the difference ``L (lhs - rhs) R``
    is recorded.  The second value is that sum (relations kept unevaluated, like terms merged),
    so ``expr == reduced + correction`` holds in the *free* algebra and an exact expansion
    proves it; the correction vanishes under the relations ``lhs_i = rhs_i``.

    Parameters
    ----------
    expr : sympy.Basic
        A polynomial in non-commutative symbols.
    rules : sequence of (word, replacement)
        The rewriting rules, tried in order.
    max_steps : int
        Bound on the rounds.

    Returns
    -------
    tuple of (sympy.Basic, sympy.Basic)
        The reduced polynomial and the correction.

    Raises
    ------
    DerivationError
        If the rules do not terminate.

    Examples
    --------
    >>> import sympy as sp
    >>> P, Pd = sp.symbols("P Pdot", commutative=False)
    >>> reduced, why = rewrite_traced(P * Pd * P, [((P, P), (P,)), ((P, Pd), Pd - Pd * P)])
    >>> reduced
    0
    >>> sp.expand(P * Pd * P - reduced - why)
    0
    """
    terms = nc_terms(expr)
    used: dict[tuple, sp.Basic] = {}
    for _ in range(max_steps):
        new: list[tuple[sp.Basic, Word]] = []
        changed = False
        for c, w in terms:
            hit = None
            for ri, (lhs, _rhs) in enumerate(rules):
                m = len(lhs)
                for i in range(len(w) - m + 1):
                    if w[i : i + m] == lhs:
                        hit = (ri, i, m)
                        break
                if hit:
                    break
            if hit is None:
                new.append((c, w))
                continue
            changed = True
            ri, i, m = hit
            rhs = rules[ri][1]
            rhs_terms = nc_terms(sp.Mul(*rhs)) if isinstance(rhs, tuple) else nc_terms(rhs)
            new.extend((c * c2, w[:i] + w2 + w[i + m :]) for c2, w2 in rhs_terms)
            key = (ri, w[:i], w[i + m :])
            used[key] = used.get(key, 0) + c
        terms = nc_terms(from_terms(new))
        if not changed:
            parts = []
            for (ri, left, right), c in used.items():
                c = sp.expand(c)
                if c == 0:
                    continue
                factors = [*left, _relation(rules[ri]), *right]
                parts.append(sp.Mul(c, *factors, evaluate=False) if c != 1 else sp.Mul(*factors, evaluate=False))
            correction = sp.Add(*parts, evaluate=False) if len(parts) > 1 else (parts[0] if parts else sp.Integer(0))
            return from_terms(terms), correction
    raise DerivationError("rewrite: rules did not terminate")


def evaluate(expr: sp.Basic, values: Mapping[sp.Symbol, Any], size: int) -> mpmath.matrix:
    """Evaluate a polynomial in non-commutative symbols on concrete mpmath matrices.

    ``values`` maps each non-commutative symbol to an ``mpmath.matrix`` (``size x size``, or a
    column for vectors); coefficients must be numbers; a bare number means that multiple of
    the ``size x size`` identity.

    Parameters
    ----------
    expr : sympy.Basic
        A polynomial with numeric coefficients.
    values : mapping
        Symbol -> ``mpmath.matrix``.
    size : int
        The matrices' size.

    Returns
    -------
    mpmath.matrix
        The value.

    Raises
    ------
    InputError
        For a symbolic coefficient or a symbol without a value.

    Examples
    --------
    >>> import mpmath
    >>> P, Q = sp.symbols("P Q", commutative=False)
    >>> evaluate(P * Q - Q * P, {P: mpmath.matrix([[0, 1], [0, 0]]), Q: mpmath.matrix([[0, 0], [1, 0]])}, 2)
    matrix(
    [['1.0', '0.0'],
     ['0.0', '-1.0']])
    """
    total = None
    for coeff, word in nc_terms(expr):
        if coeff.free_symbols:
            raise InputError(f"evaluate: coefficient {coeff} is not a number")
        acc = mpmath.eye(size)
        for i, x in enumerate(word):
            if x not in values:
                raise InputError(f"evaluate: no value for {x}")
            acc = values[x] if i == 0 else acc * values[x]
        q = sp.Rational(coeff)
        term = (mpmath.mpf(q.p) / q.q) * acc
        total = term if total is None else total + term
    return mpmath.zeros(size, size) if total is None else total


def substitute_shown(expr: sp.Basic, reps: Mapping[sp.Basic, sp.Basic]) -> sp.Basic:
    """Replace the atoms ``reps`` in ``expr`` without re-evaluating (a certificate shows the result).

    ``expand`` of the result equals ``expr.subs(reps)``; the tree is rebuilt with
    ``evaluate=False`` so that each substituted factor stays visible.

    Parameters
    ----------
    expr : sympy.Basic
        The expression.
    reps : mapping
        Atom -> replacement.

    Returns
    -------
    sympy.Basic
        ``expr`` with the replacements, unevaluated.

    Examples
    --------
    >>> import sympy as sp
    >>> e, M = sp.symbols("e M", commutative=False)
    >>> ed = sp.Symbol("edot", commutative=False)
    >>> substitute_shown(e * ed, {ed: -M * e})
    e*(-M*e)
    """
    if expr in reps:
        return reps[expr]
    if not expr.args or isinstance(expr, (sp.Symbol, sp.Number)):
        return expr
    args = [substitute_shown(a, reps) for a in expr.args]
    if isinstance(expr, (sp.Add, sp.Mul, sp.Pow)):
        return expr.func(*args, evaluate=False)
    return expr.func(*args)
