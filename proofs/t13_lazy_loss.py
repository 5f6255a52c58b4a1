r"""GRSD-T13: the lazy loss.

With :math:`v = 0` the transport PDE is :math:`\partial_t g = -d\lambda g`; for
:math:`g_0 = A\lambda^{\kappa-1}` on :math:`(0,\infty)`

.. math::  L(t) = \int_0^\infty g\,d\lambda = A\,\Gamma(\kappa)\,(d t)^{-\kappa},

and in Convention A (:math:`\lambda_k = k^{-b}`, mode energy :math:`k^{-a}`, error decaying
at :math:`\lambda_k`) :math:`\kappa = (a-1)/b`, :math:`A = 1/b`, :math:`d = 2`.

Derived: the general solution by our characteristics solver (checked by substitution), the
loss by SymPy ``integrate``, the Convention A density by the change of variables
:math:`k = \lambda^{-1/b}` in the mode sum, and :math:`d` from the mode ODE
:math:`\dot e_k = -\lambda_k e_k` (``dsolve``, substituted back).  [derived]
"""

import sympy as sp

from grsd_sym import theorem
from grsd_sym.certificate import Derivation
from grsd_sym.derive.characteristics import solve_first_order
from grsd_sym.derive.frontier import lazy_loss
from grsd_sym.literature import CONVENTIONS
from grsd_sym.symbols import A, d, g, k, kappa, lam, t

#: nothing to import: the theorem is registered by @theorem (grsd_sym.registry)
__all__: list[str] = []


def _substituted(pde, u, expr):
    """``pde`` with ``u = expr`` substituted, derivatives left unevaluated (the checker evaluates them)."""
    pde = pde.lhs - pde.rhs if isinstance(pde, sp.Equality) else pde
    return sp.sympify(pde).subs(u, expr)


@theorem(
    "GRSD-T13",
    "Lazy loss A Gamma(kappa) (d t)^-kappa; Convention A exponents",
    provenance="derived",
    sources=["docs/theory/solutions.md (GRSD-T13)", "GRSD-T8: v = 0 is lazy (NTK) training"],
)
def _prove(dv: Derivation) -> None:
    dv.assume("kappa > 0, A > 0, d > 0, t > 0 (symbols declared positive)")
    dv.assume("v = 0 (lazy training), no source, lambda_max = infinity")
    u = g(lam, t)
    pde = sp.Derivative(u, t) + d * lam * u
    sol = solve_first_order(pde, u)
    F = sol.arbitrary
    dv.claim(
        _substituted(pde, u, sol.rhs),
        0,
        f"our characteristics solver: general solution g = {sol.rhs} of g_t = -d lambda g, substituted back",
    )
    g0 = A * lam ** (kappa - 1)
    # fix F by the initial condition g(lambda, 0) = g0
    Fval = sp.solve(sp.Eq(sol.rhs.subs(t, 0), g0), F(lam))[0]
    g_lazy = sol.rhs.subs(F(lam), Fval)
    dv.claim(sp.Subs(g_lazy, t, 0), g0, "initial condition g(lambda, 0) = A lambda^(kappa - 1) fixes F")
    dv.claim(_substituted(pde, u, g_lazy), 0, "the lazy solution solves the PDE")
    closed = A * sp.gamma(kappa) * (d * t) ** (-kappa)
    loss = dv.claim(
        sp.Integral(g_lazy, (lam, 0, sp.oo)),
        closed,
        "the loss (total error energy) is a Gamma integral: A Gamma(kappa) (d t)^-kappa",
    )
    dv.claim(lazy_loss(kappa, A, d, t), closed, "grsd_sym.derive.frontier.lazy_loss returns this closed form")
    # independent route: L' = -d int lambda g = -(kappa/t) L
    dv.claim(
        sp.Derivative(closed, t),
        -d * sp.Integral(lam * g_lazy, (lam, 0, sp.oo)),
        "dL/dt = -d * int lambda g dlambda (differentiate under the integral)",
    )

    # Convention A: lambda_k = k^-b, energy in mode k: k^-a (the translator's (a, b), b the mode exponent)
    a_, b_ = CONVENTIONS["bordelon2024"].params
    dv.assume(
        "Convention A: lambda_k = k^-b, mode energy lambda_k w_k^2 = k^-a, a > 1, b > 0; "
        "the mode sum is read as an integral over k (dk = 1)"
    )
    k_of_lam = next(r for r in sp.solve(sp.Eq(lam, k ** (-b_)), k) if r.is_positive is not False)
    dv.claim(sp.Subs(k ** (-b_), k, k_of_lam), lam, f"inverse of lambda = k^-b: k = {k_of_lam}")
    density = sp.Mul(sp.Subs(k ** (-a_), k, k_of_lam), sp.Abs(sp.Derivative(k_of_lam, lam)), evaluate=False)
    kap = dv.claim(
        1 + lam * sp.Derivative(sp.log(density), lam),
        (a_ - 1) / b_,
        "kappa from the density g0 = k^-a |dk/dlambda|: 1 + lambda d log g0 / d lambda",
    )
    kappa_A = (a_ - 1) / b_
    amp = dv.claim(
        sp.Mul(density, lam ** (1 - kappa_A), evaluate=False), 1 / b_, "A from the density: g0 / lambda^(kappa - 1)"
    )
    dv.claim(density, lam ** (kappa_A - 1) / b_, "the density k^-a |dk/dlambda| is exactly A lambda^(kappa-1)")
    e = sp.Function("e")
    lk = sp.Symbol("lambda_k", positive=True)
    esol = sp.dsolve(sp.Eq(e(t).diff(t), -lk * e(t)), e(t))
    dv.claim(sp.Derivative(esol.rhs, t), -lk * esol.rhs, f"mode ODE e_k' = -lambda_k e_k: dsolve gives {esol.rhs}")
    dd = dv.claim(-sp.Derivative(sp.log(esol.rhs**2), t) / lk, 2, "energy e_k^2 decays at 2 lambda_k: d = 2")
    dv.claim(
        sp.Subs(lazy_loss(kappa, A, d, t), (kappa, A, d), (kappa_A, 1 / b_, 2)),
        sp.gamma((a_ - 1) / b_) / b_ * (2 * t) ** (-(a_ - 1) / b_),
        "Convention A lazy loss (1/b) Gamma((a-1)/b) (2t)^(-(a-1)/b)",
    )
    dv.conclude(sp.And(loss.statement, kap.statement, amp.statement, dd.statement))
