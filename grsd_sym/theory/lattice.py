r"""Sums over symbolic index ranges by discrete primitives (GRSD-T4 intra-shell sums, T6 fluxes).

Every function :math:`c(x, y)` on the integer lattice has a *discrete primitive* :math:`G`
(e.g. its summed-area table from any origin) with

.. math::  \Delta_x\Delta_y G(x, y) = G(x{+}1, y{+}1) - G(x, y{+}1) - G(x{+}1, y) + G(x, y) = c(x, y),

and then, for symbolic limits (Karr's convention, the fundamental theorem of discrete calculus)

.. math::  \sum_{x=a}^{b}\sum_{y=c}^{e} c(x,y) = G(b{+}1, e{+}1) - G(a, e{+}1) - G(b{+}1, c) + G(a, c).

:func:`rectangle_sum` *computes* this with SymPy's summation of telescoping sums (two nested
one-dimensional telescopes).  An antisymmetric :math:`c` has an antisymmetric primitive:
:func:`antisymmetric_primitive` builds the general one, :math:`G(x,y) = W(x,y) - W(y,x)`.

>>> import sympy as sp
>>> x, y, a, b = sp.symbols("x y a b", integer=True)
>>> G = sp.Function("G")
>>> rectangle_sum(lambda u, w: G(u, w), (x, a, b), (y, a, b))
G(a, a) - G(a, b + 1) - G(b + 1, a) + G(b + 1, b + 1)
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import sympy as sp

from grsd_sym.errors import DerivationError

__all__ = [
    "lattice_difference",
    "rectangle_sum",
    "antisymmetric_primitive",
    "karr_formula",
    "antisymmetric_primitive_shown",
]


def lattice_difference(G: Callable, x: Any, y: Any) -> sp.Basic:
    r""":math:`\Delta_x\Delta_y G(x,y)`.

    Parameters
    ----------
    G : callable
        ``G(x, y)``.
    x, y : Any
        The point.

    Returns
    -------
    sympy.Basic
        The mixed difference (GRSD-T4).

    Examples
    --------
    >>> import sympy as sp
    >>> x, y, a, b = sp.symbols("x y a b", integer=True)
    >>> sp.expand(lattice_difference(lambda u, w: u * w, x, y))
    1
    """
    return G(x + 1, y + 1) - G(x, y + 1) - G(x + 1, y) + G(x, y)


def _telescoping_sum(F: Callable, var: sp.Symbol, lo: Any, hi: Any) -> sp.Basic:
    r""":math:`\sum_{i=lo}^{hi} (F(i+1) - F(i))`, computed by SymPy on an undefined ``F``, then substituted."""
    Fu = sp.Function("F_tel")
    res = sp.Sum(Fu(var + 1) - Fu(var), (var, lo, hi)).doit()
    if res.has(sp.Sum):
        raise DerivationError(f"SymPy did not telescope the sum: {res}")
    return res.replace(lambda z: isinstance(z, sp.core.function.AppliedUndef) and z.func == Fu, lambda z: F(*z.args))


def rectangle_sum(G: Callable, xlim: tuple, ylim: tuple) -> sp.Basic:
    r""":math:`\sum_{x=a}^{b}\sum_{y=c}^{e} \Delta_x\Delta_y G(x,y)` for symbolic limits.

    Inner sum over ``y``: :math:`\Delta_x\Delta_y G = \Delta_y[G(x{+}1,\cdot) - G(x,\cdot)]`
    telescopes; outer sum over ``x``: the result is :math:`\Delta_x` of
    :math:`G(\cdot, e{+}1) - G(\cdot, c)` and telescopes again.

    Parameters
    ----------
    G : callable
        The primitive ``G(x, y)``.
    xlim, ylim : tuple
        ``(x, a, b)`` and ``(y, c, e)``.

    Returns
    -------
    sympy.Basic
        The sum, by two telescopes (GRSD-T4, T6).

    Raises
    ------
    DerivationError
        When SymPy leaves a ``Sum`` unevaluated.

    Examples
    --------
    >>> import sympy as sp
    >>> x, y, n = sp.symbols("x y n", integer=True)
    >>> rectangle_sum(lambda u, w: u * w, (x, 0, n), (y, 0, n))
    n**2 + 2*n + 1
    """
    x, a, b = xlim
    y, c, e = ylim
    inner = _telescoping_sum(lambda yy: G(x + 1, yy) - G(x, yy), y, c, e)

    # inner = H(x + 1) - H(x) with H(x) = G(x, e + 1) - G(x, c); check, then telescope in x
    def H(xx: Any) -> sp.Basic:
        return G(xx, e + 1) - G(xx, c)

    if sp.expand(inner - (H(x + 1) - H(x))) != 0:
        raise DerivationError("rectangle_sum: the inner telescope is not a difference in x")
    return sp.expand(_telescoping_sum(H, x, a, b))


def antisymmetric_primitive(name: str = "W") -> Callable[[Any, Any], sp.Basic]:
    """The general antisymmetric lattice function :math:`G(x,y) = W(x,y) - W(y,x)` (``W`` undefined).

    Parameters
    ----------
    name : str
        The undefined function's name.

    Returns
    -------
    callable
        ``G(x, y)``.

    Examples
    --------
    >>> import sympy as sp
    >>> x, y, a, b = sp.symbols("x y a b", integer=True)
    >>> G = antisymmetric_primitive()
    >>> G(x, y) + G(y, x)
    0
    """
    W = sp.Function(name)
    return lambda x, y: W(x, y) - W(y, x)


def karr_formula(G: Callable, xlim: tuple, ylim: tuple) -> sp.Basic:
    r"""The right side of the rectangle rule, kept unevaluated for display.

    :math:`G(b{+}1, e{+}1) - G(a, e{+}1) - G(b{+}1, c) + G(a, c)` for ``xlim = (x, a, b)`` and
    ``ylim = (y, c, e)``; with :func:`antisymmetric_primitive_shown` each value of ``G`` is shown as
    :math:`W(x,y) - W(y,x)`, so that the cancellation is visible.  ``doit()``/``expand`` gives
    :func:`rectangle_sum`.

    Parameters
    ----------
    G : callable
        A primitive (e.g. :func:`antisymmetric_primitive_shown`).
    xlim, ylim : tuple
        The limits, as in :func:`rectangle_sum`.

    Returns
    -------
    sympy.Basic
        The unevaluated four-term sum.

    Examples
    --------
    >>> import sympy as sp
    >>> x, y, a, b = sp.symbols("x y a b", integer=True)
    >>> G = antisymmetric_primitive_shown("W")
    >>> sp.expand(karr_formula(G, (x, a, b), (y, a, b)))
    0
    """
    _, a, b = xlim
    _, c, e = ylim

    def neg(z):
        return sp.Mul(-1, z, evaluate=False)

    return sp.Add(G(b + 1, e + 1), neg(G(a, e + 1)), neg(G(b + 1, c)), G(a, c), evaluate=False)


def antisymmetric_primitive_shown(name: str = "W") -> Callable[[Any, Any], sp.Basic]:
    """:func:`antisymmetric_primitive` with each value kept as the unevaluated ``W(x,y) - W(y,x)``.

    Parameters
    ----------
    name : str
        Name of ``W``.

    Returns
    -------
    callable
        ``(x, y) -> W(x, y) - W(y, x)`` kept unevaluated.

    Examples
    --------
    >>> import sympy as sp
    >>> x, y, a, b = sp.symbols("x y a b", integer=True)
    >>> antisymmetric_primitive_shown()(x, y)
    W(x, y) - W(y, x)
    """
    W = sp.Function(name)
    return lambda x, y: sp.Add(W(x, y), sp.Mul(-1, W(y, x), evaluate=False), evaluate=False)
