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
from grsd_sym.derive.characteristics import pde_residual, solve_first_order
from grsd_sym.derive.frontier import lazy_loss
from grsd_sym.symbols import A, d, g, kappa, lam, t


@theorem("GRSD-T13", "Lazy loss A Gamma(kappa) (d t)^-kappa; Convention A exponents",
         provenance="derived",
         sources=["docs/theory/solutions.md (GRSD-T13)", "GRSD-T8: v = 0 is lazy (NTK) training"])
def prove(dv):
    dv.assume("kappa > 0, A > 0, d > 0, t > 0 (symbols declared positive)")
    dv.assume("v = 0 (lazy training), no source, lambda_max = infinity")
    u = g(lam, t)
    pde = sp.Derivative(u, t) + d * lam * u
    sol = solve_first_order(pde, u)
    F = sol.arbitrary
    dv.solution(sol.solution, pde_residual(pde, u, sol.rhs),
                "our characteristics solver: general solution of g_t = -d lambda g, substituted back")
    g0 = A * lam ** (kappa - 1)
    # fix F by the initial condition g(lambda, 0) = g0
    Fval = sp.solve(sp.Eq(sol.rhs.subs(t, 0), g0), F(lam))[0]
    g_lazy = sol.rhs.subs(F(lam), Fval)
    dv.claim(g_lazy.subs(t, 0), g0, "initial condition g(lambda, 0) = A lambda^(kappa - 1) fixes F")
    dv.zero(pde_residual(pde, u, g_lazy), "the lazy solution solves the PDE")
    L = sp.integrate(g_lazy, (lam, 0, sp.oo))
    dv.define(sp.Symbol("L(t)"), sp.Integral(g_lazy, (lam, 0, sp.oo)), "loss = total error energy")
    dv.claim(L, A * sp.gamma(kappa) * (d * t) ** (-kappa),
             "SymPy integrate (Gamma integral), compared with the stated closed form", force=True)
    dv.claim(lazy_loss(kappa, A, d, t), L, "grsd_sym.derive.frontier.lazy_loss returns this integral",
             force=True)
    # independent route: L' = -d int lambda g = -(kappa/t) L
    L1 = sp.integrate(lam * g_lazy, (lam, 0, sp.oo))
    dv.claim(sp.diff(L, t), -d * L1, "dL/dt = -d * int lambda g dlambda (differentiate under the integral)",
             force=True)

    # Convention A: lambda_k = k^-b, energy in mode k: k^-a
    a_, b_ = sp.Symbol("a", positive=True), sp.Symbol("b", positive=True)
    kk = sp.Symbol("k", positive=True)
    dv.assume("Convention A: lambda_k = k^-b, mode energy lambda_k w_k^2 = k^-a, a > 1, b > 0; "
              "the mode sum is read as an integral over k (dk = 1)")
    k_of_lam = [r for r in sp.solve(sp.Eq(lam, kk ** (-b_)), kk) if r.is_positive is not False][0]
    dv.claim(k_of_lam ** (-b_), lam, "inverse of lambda = k^-b: k = lambda^(-1/b)", force=True)
    density = (kk ** (-a_)).subs(kk, k_of_lam) * sp.Abs(sp.diff(k_of_lam, lam))
    density = sp.powsimp(sp.expand_power_base(density, force=True), force=True)
    kappa_A = sp.simplify(1 + lam * sp.diff(sp.log(density), lam))
    A_A = sp.simplify(density / lam ** (kappa_A - 1))
    dv.claim(kappa_A, (a_ - 1) / b_, "kappa from the density: 1 + lambda d log g0 / d lambda",
             force=True)
    dv.claim(A_A, 1 / b_, "A from the density: g0 / lambda^(kappa - 1)", force=True)
    dv.claim(density, A_A * lam ** (kappa_A - 1),
             "the density k^-a |dk/dlambda| is exactly A lambda^(kappa-1)", force=True)
    e = sp.Function("e")
    lk = sp.Symbol("lambda_k", positive=True)
    esol = sp.dsolve(sp.Eq(e(t).diff(t), -lk * e(t)), e(t))
    dv.zero(sp.diff(esol.rhs, t) + lk * esol.rhs, "mode ODE e_k' = -lambda_k e_k (dsolve, substituted)")
    d_A = sp.simplify(-sp.diff(sp.log(esol.rhs ** 2), t) / lk)
    dv.claim(d_A, 2, "energy e_k^2 decays at 2 lambda_k: d = 2")
    LA = lazy_loss(kappa_A, A_A, d_A, t)
    dv.claim(LA, sp.gamma((a_ - 1) / b_) / b_ * (2 * t) ** (-(a_ - 1) / b_),
             "Convention A lazy loss (1/b) Gamma((a-1)/b) (2t)^(-(a-1)/b)", force=True)
    dv.conclude(sp.And(sp.Eq(sp.Symbol("L(t)"), A * sp.gamma(kappa) * (d * t) ** (-kappa)),
                       sp.Eq(sp.Symbol("kappa_A"), (a_ - 1) / b_), sp.Eq(sp.Symbol("A_A"), 1 / b_),
                       sp.Eq(sp.Symbol("d_A"), 2)))
