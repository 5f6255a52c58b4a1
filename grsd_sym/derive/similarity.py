r"""Similarity reduction of the GRSD transport PDE (GRSD-T15).

With :math:`v = \sigma c_0 t^{b-2}\lambda^b` the PDE is invariant under
:math:`\lambda \to k\lambda`, :math:`t \to t/k` (GRSD-T12), so :math:`g = t^\gamma G(\xi)`,
:math:`\xi = \lambda t` reduces it to the ODE

.. math::  \gamma G + \xi G' + \sigma c_0 (\xi^b G)' + d\,\xi G = 0,

i.e. :math:`D(\xi)G' + N(\xi)G = 0` with :math:`D = \xi + \sigma c_0\xi^b`,
:math:`N = \gamma + \sigma c_0 b\xi^{b-1} + d\xi`.  For :math:`\sigma=-1` the leading
coefficient vanishes at the frontier :math:`\xi^* = c_0^{-1/(b-1)}` (a regular singular
point), where :math:`G \sim |\xi-\xi^*|^p` with the indicial root

.. math::  p = -\frac{N(\xi^*)}{D'(\xi^*)} = \frac{\gamma + d\xi^* - b}{b-1}.

Everything is computed by substitution and ``solve``; see ``proofs/t15_similarity_reduction.py``.
"""

from __future__ import annotations

import functools
from typing import Any

import sympy as sp

from grsd_sym import symbols as S

__all__ = [
    "similarity_ansatz",
    "reduced_ode",
    "ode_coefficients",
    "singular_point",
    "indicial_equation",
    "local_exponent",
]

_P = S.p  # the canonical indicial exponent (real)


def similarity_ansatz(gamma: sp.Basic = S.gamma) -> sp.Basic:
    r""":math:`g = t^\gamma G(\lambda t)`.

    Parameters
    ----------
    gamma : number or SymPy expression
        The time exponent :math:`\gamma`.

    Returns
    -------
    sympy.Expr
        In the canonical ``t``, ``lambda`` and ``G``.

    Examples
    --------
    >>> similarity_ansatz(-1)
    G(lambda*t)/t
    """
    return S.t**gamma * S.G(S.lam * S.t)


@functools.cache
def reduced_ode(b: Any = S.b, sigma: Any = S.sigma, c0: Any = S.c0, d: Any = S.d, gamma: Any = S.gamma) -> sp.Basic:
    r"""The PDE residual of :func:`similarity_ansatz`, times :math:`t^{1-\gamma}`, in :math:`\xi = \lambda t`.

    Computed: substitute, evaluate the derivatives, put :math:`\lambda = \xi/t`; the result
    no longer depends on ``t`` (the reduction closes).

    Parameters
    ----------
    b, sigma, c0, d, gamma : number or SymPy expression
        Velocity exponent, sign, amplitude; dissipation factor; time exponent (default: symbolic).

    Returns
    -------
    sympy.Expr
        In :math:`\xi` and :math:`G(\xi)`, free of :math:`t` (GRSD-T14).

    Examples
    --------
    >>> reduced_ode(2, -1, 1, 2, -1)
    -xi**2*Derivative(G(xi), xi) + xi*Derivative(G(xi), xi) - G(xi)
    """
    gg = similarity_ansatz(gamma)
    vel = sigma * c0 * S.t ** (b - 2) * S.lam**b
    res = sp.diff(gg, S.t) + sp.diff(vel * gg, S.lam) + d * S.lam * gg
    res = res.subs(S.lam, S.xi / S.t).doit() * S.t ** (1 - gamma)
    res = sp.expand(sp.powsimp(sp.expand_power_base(sp.expand(res), force=True), force=True))
    res = res.replace(lambda e: isinstance(e, sp.Subs), lambda e: e.doit())
    return sp.expand(sp.powsimp(res, force=True))


def ode_coefficients(
    b: Any = S.b, sigma: Any = S.sigma, c0: Any = S.c0, d: Any = S.d, gamma: Any = S.gamma
) -> tuple[sp.Expr, sp.Expr]:
    r"""``(D, N)`` with the reduced ODE ``= D G' + N G``.

    Parameters
    ----------
    b, sigma, c0, d, gamma : number or SymPy expression
        As for :func:`reduced_ode`.

    Returns
    -------
    tuple of sympy.Expr
        The pair ``(D, N)``.

    Examples
    --------
    >>> ode_coefficients(2, -1, 1, 2, -1)
    (-xi**2 + xi, -1)
    """
    ode = reduced_ode(b, sigma, c0, d, gamma)
    Gp, G0 = sp.Dummy("Gp"), sp.Dummy("G0")
    e = ode.subs(sp.Derivative(S.G(S.xi), S.xi), Gp).subs(S.G(S.xi), G0)
    Dc = sp.powsimp(sp.expand(sp.diff(e, Gp)), force=True)
    Nc = sp.powsimp(sp.expand(sp.diff(e, G0)), force=True)
    return Dc, Nc


def singular_point(b: Any = S.b, c0: Any = S.c0) -> sp.Expr:
    r"""The positive root of :math:`D(\xi) = \xi - c_0\xi^b` (``sigma = -1``), by ``solve``.

    Parameters
    ----------
    b, c0 : number or SymPy expression
        Velocity exponent (``> 1``) and amplitude.

    Returns
    -------
    sympy.Expr
        The frontier :math:`\xi^* = c_0^{-1/(b-1)}` (GRSD-T14).

    Examples
    --------
    >>> singular_point(3, 4)
    1/2
    """
    beta = sp.Symbol("beta", positive=True)
    Dc, _ = ode_coefficients(b=S.b, sigma=-1)
    eq = sp.expand(sp.powsimp(Dc / S.xi, force=True)).subs(S.b, 1 + beta)
    roots = [r for r in sp.solve(eq, S.xi) if r.is_positive is not False]
    return roots[0].subs(beta, S.b - 1).subs({S.b: b, S.c0: c0})


def indicial_equation(b: Any = S.b, d: Any = S.d, gamma: Any = S.gamma) -> sp.Expr:
    r""":math:`p\,D'(\xi^*) + N(\xi^*)`, the coefficient of the leading power when
    :math:`G = (\xi-\xi^*)^p(1 + O(\xi-\xi^*))` is substituted (``sigma = -1``).

    Written in :math:`\xi^*` (the symbol ``xi_star``), eliminating :math:`c_0 = \xi^{*\,1-b}`
    (the defining relation of :func:`singular_point`).

    Parameters
    ----------
    b, d, gamma : number or SymPy expression
        Velocity exponent, dissipation factor, time exponent.

    Returns
    -------
    sympy.Expr
        Linear in ``p``.

    Examples
    --------
    >>> indicial_equation(2, 2, -1)
    -p + 2*xi_star - 3
    """
    Dc, Nc = ode_coefficients(b=S.b, sigma=-1, c0=S.c0, d=S.d, gamma=S.gamma)
    expr = _P * sp.diff(Dc, S.xi) + Nc
    expr = expr.subs(S.c0, S.xi_star ** (1 - S.b)).subs(S.xi, S.xi_star)
    expr = sp.expand(sp.powsimp(sp.expand(expr), force=True))
    return expr.subs({S.b: b, S.d: d, S.gamma: gamma})


@functools.cache
def _p_symbolic():
    sol = sp.solve(indicial_equation(), _P)
    if len(sol) != 1:
        raise RuntimeError(f"indicial equation: expected one root, got {sol}")
    return sp.factor_terms(sp.simplify(sol[0]))


def local_exponent(b: Any = S.b, d: Any = S.d, gamma: Any = S.gamma, xi_star: Any = S.xi_star) -> sp.Expr:
    r"""The indicial root :math:`p` at the frontier, solved from :func:`indicial_equation`.

    In terms of ``xi_star`` (pass ``frontier_constant(b, c0)`` to get it in ``c0``).

    Parameters
    ----------
    b, d, gamma, xi_star : number or SymPy expression
        Velocity exponent, dissipation factor, time exponent, frontier constant.

    Returns
    -------
    sympy.Expr
        The indicial root :math:`p`.

    Examples
    --------
    >>> local_exponent(2, 2, -1, 1)
    -1
    """
    return _p_symbolic().subs({S.b: b, S.d: d, S.gamma: gamma, S.xi_star: xi_star})
