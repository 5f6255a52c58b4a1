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
from grsd_sym.certificate import Derivation
from grsd_sym.derive.characteristics import solve_transport
from grsd_sym.derive.frontier import characteristic, effective_time, effective_time_exponent, lazy_loss
from grsd_sym.symbols import A, c0, d, g, kappa, lam, lam0, t, t0

#: nothing to import: the theorem is registered by @theorem (grsd_sym.registry)
__all__: list[str] = []

eps = sp.Symbol("epsilon", positive=True)


@theorem(
    "GRSD-T17",
    "Effective time tau ~ t^(1-c0) for b = 1, c = c0/t",
    provenance="derived",
    sources=[
        "arXiv 2512.10427 (abstract): tau(t) = t^alpha L(t) for slowly varying L",
        "docs/theory/solutions.md (GRSD-T17)",
    ],
)
def _prove(dv: Derivation) -> None:
    dv.assume("b = 1, sigma = -1, c(t) = c0/t for t >= t0 > 0; g0 = A lambda^(kappa-1) on (0, inf)")
    sol = solve_transport(1, -1, "self-similar")
    pde = sol.pde.lhs - sol.pde.rhs if isinstance(sol.pde, sp.Equality) else sol.pde
    dv.claim(
        pde.subs(g(lam, t), sol.rhs),
        0,
        f"our characteristics solver: general solution g = {sol.rhs} for b = 1, c = c0/t (substituted back)",
    )
    lam_t = characteristic(1, -1)
    dv.claim(
        sp.Derivative(lam_t, t), -c0 * lam_t / t, "characteristic lambda0 (t/t0)^-c0 solves dlambda/dt = -c0 lambda/t"
    )
    theory = lam0 * t0**c0 * (t ** (1 - c0) - t0 ** (1 - c0)) / (1 - c0)
    dv.assume(
        "the dissipated action of a mode is int_t0^t lambda(s) ds; it is fixed by its t-derivative "
        "lambda(t) and its value 0 at t = t0 (fundamental theorem of calculus)"
    )
    act = dv.claim(
        sp.Derivative(theory, t), lam_t, "d/dt of lambda0 t0^c0 (t^(1-c0) - t0^(1-c0))/(1-c0) is lambda(t) (c0 != 1)"
    )
    act0 = dv.claim(sp.Subs(theory, t, t0), 0, "and it vanishes at t = t0: it is int_t0^t lambda ds")
    dv.claim(effective_time(), theory, "grsd_sym.derive.frontier.effective_time returns this closed form")
    tau = sp.cancel(theory / lam0)
    # the loss: energy conserved along characteristics times exp(-d lambda0 tau)
    T_ = sp.Symbol("T", positive=True)
    dv.claim(
        sp.Integral(A * lam0 ** (kappa - 1) * sp.exp(-d * lam0 * T_), (lam0, 0, sp.oo)),
        lazy_loss(kappa, A, d, T_),
        "L = int A lambda0^(kappa-1) exp(-d lambda0 tau) dlambda0 is the lazy loss at time tau",
    )
    alpha = effective_time_exponent(c0)
    dv.evidence(
        "grsd_sym.derive.frontier.effective_time_exponent(c0) returns 1 - c0",
        passed=sp.simplify(alpha - (1 - c0)) == 0,
        data={"returned": str(alpha)},
        method="structural comparison",
    )
    # c0 = 1 - eps < 1: tau = t^eps C(t) with C(t) -> t0^(1-eps)/eps (exact split, then the limit is evident)
    tau_lt = tau.subs(c0, 1 - eps)
    C_t = t0 ** (1 - eps) / eps * (1 - (t0 / t) ** eps)
    ex = dv.claim(
        tau_lt,
        t**eps * C_t,
        "c0 = 1 - eps < 1: tau = t^eps C(t), C(t) = t0^(1-eps)(1 - (t0/t)^eps)/eps -> t0^(1-eps)/eps "
        "as t -> oo, so tau ~ t^(1-c0): effective-time exponent 1 - c0",
    )
    lex = dv.claim(
        lazy_loss(kappa, A, d, tau_lt),
        A * sp.gamma(kappa) * (d * C_t) ** (-kappa) * t ** (-kappa * eps),
        "L(t) = A Gamma(kappa) (d C(t))^-kappa t^-(kappa eps); for t > t0, C(t) > 0 is bounded away "
        "from 0: L ~ t^-(kappa (1 - c0))",
    )
    # c0 = 1 + eps > 1: freezing
    tau_gt = tau.subs(c0, 1 + eps)
    dv.claim(
        tau_gt,
        t0 / eps - t0 ** (1 + eps) / (eps * t**eps),
        "c0 = 1 + eps > 1: tau = t0/eps - t0^(1+eps)/(eps t^eps) -> t0/(c0 - 1), finite: learning "
        "freezes and L(t) -> A Gamma(kappa) (d t0/(c0-1))^-kappa > 0",
    )
    dv.conclude(sp.And(act.statement, act0.statement, ex.statement, lex.statement))
