r"""GRSD-T17: effective time for b = 1, c = c0/t.

With :math:`v = -c_0\lambda/t` (:math:`t \ge t_0 > 0`) the characteristics are
:math:`\lambda = \lambda_0 (t/t_0)^{-c_0}` and a mode's dissipated action is

.. math::  \int_{t_0}^t \lambda\,ds = \lambda_0\,t_0^{c_0}\,\frac{t^{1-c_0} - t_0^{1-c_0}}{1-c_0}
           = \lambda_0\,\tau(t),

so :math:`L(t) = A\Gamma(\kappa)(d\tau)^{-\kappa}` (the lazy loss at the effective time
:math:`\tau`), :math:`\tau \sim t^{1-c_0}` and :math:`L \sim t^{-\kappa(1-c_0)}` for
:math:`c_0 < 1`; for :math:`c_0 > 1`, :math:`\tau \to t_0/(c_0-1)`: learning freezes.  [derived]
"""

import sympy as sp

from grsd_sym import theorem
from grsd_sym.derive.characteristics import pde_residual, solve_transport
from grsd_sym.derive.frontier import characteristic, effective_time, effective_time_exponent, lazy_loss
from grsd_sym.symbols import A, c0, d, g, kappa, lam, lam0, t, t0

eps = sp.Symbol("epsilon", positive=True)


@theorem("GRSD-T17", "Effective time tau ~ t^(1-c0) for b = 1, c = c0/t", provenance="derived",
         sources=["arXiv 2512.10427 (abstract): tau(t) = t^alpha L(t) for slowly varying L",
                  "docs/theory/solutions.md (GRSD-T17)"])
def prove(dv):
    dv.assume("b = 1, sigma = -1, c(t) = c0/t for t >= t0 > 0; g0 = A lambda^(kappa-1) on (0, inf)")
    sol = solve_transport(1, -1, "self-similar")
    dv.solution(sol.solution, pde_residual(sol.pde, g(lam, t), sol.rhs),
                "our characteristics solver: general solution for b = 1, c = c0/t (substituted back)")
    lam_t = characteristic(1, -1)
    dv.zero(sp.diff(lam_t, t) + c0 * lam_t / t, "characteristic lambda0 (t/t0)^-c0 solves dlambda/dt = -c0 lambda/t")
    s_ = sp.Symbol("s", positive=True)
    act = sp.integrate(lam_t.subs(t, s_), (s_, t0, t), conds="none")
    dv.claim(act, effective_time(), "the dissipated action int_t0^t lambda ds (integrate, c0 != 1)",
             force=True)
    theory = lam0 * t0 ** c0 * (t ** (1 - c0) - t0 ** (1 - c0)) / (1 - c0)
    dv.claim(act, theory, "agrees with the documented lambda0 t0^c0 (t^(1-c0) - t0^(1-c0))/(1-c0)", force=True)
    tau = sp.cancel(effective_time() / lam0)
    # the loss: energy conserved along characteristics times exp(-d lambda0 tau)
    L = sp.integrate(A * lam0 ** (kappa - 1) * sp.exp(-d * lam0 * sp.Symbol("T", positive=True)),
                     (lam0, 0, sp.oo))
    dv.claim(L, lazy_loss(kappa, A, d, sp.Symbol("T", positive=True)),
             "L = int A lambda0^(kappa-1) exp(-d lambda0 tau) dlambda0 is the lazy loss at time tau",
             force=True)
    # c0 < 1: tau ~ t^(1-c0)
    tau_lt = tau.subs(c0, 1 - eps)
    ratio = sp.limit(tau_lt / t ** eps, t, sp.oo)
    dv.claim(ratio, t0 ** (1 - eps) / eps, "c0 = 1 - eps < 1: tau / t^(1-c0) -> t0^c0/(1-c0)", force=True)
    alpha = effective_time_exponent(c0)
    dv.claim(alpha, 1 - c0, "effective-time exponent (limit of log tau / log t)")
    logL = sp.expand_log(sp.log(lazy_loss(kappa, A, d, sp.Symbol("T", positive=True))), force=True)
    Lexp = sp.limit(logL.subs(sp.Symbol("T", positive=True), tau_lt) / sp.log(t), t, sp.oo)
    dv.claim(Lexp, -kappa * alpha.subs(c0, 1 - eps), "L ~ t^-(kappa (1 - c0)) for c0 < 1", force=True)
    # c0 > 1: freezing
    tau_gt = tau.subs(c0, 1 + eps)
    lim_gt = sp.limit(tau_gt, t, sp.oo)
    dv.claim(lim_gt, t0 / eps, "c0 = 1 + eps > 1: tau -> t0/(c0 - 1), finite: learning freezes", force=True)
    dv.claim(sp.limit(lazy_loss(kappa, A, d, tau_gt), t, sp.oo), lazy_loss(kappa, A, d, t0 / eps),
             "c0 > 1: L(t) -> A Gamma(kappa) (d t0/(c0-1))^-kappa > 0", force=True)
    dv.conclude(sp.And(sp.Eq(sp.Symbol("tau(t)"), theory / lam0),
                       sp.Eq(sp.Symbol("alpha"), 1 - c0),
                       sp.Eq(sp.Symbol("L exponent"), kappa * (1 - c0))))
