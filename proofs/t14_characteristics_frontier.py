r"""GRSD-T14: characteristics and the resolution frontier.

For :math:`v = \sigma c_0 t^{b-2}\lambda^b`, :math:`b > 1`, the characteristic through
:math:`\lambda_0` at :math:`t = 0` is (computed from our solver's first integral)

.. math::  \lambda(t) = \bigl(\lambda_0^{1-b} - \sigma c_0 t^{b-1}\bigr)^{-1/(b-1)}
                      = \lambda_0\bigl(1 - \sigma c_0(\lambda_0 t)^{b-1}\bigr)^{-1/(b-1)}.

For :math:`\sigma = -1` every characteristic tends to the frontier
:math:`\lambda_f = \xi^*/t`, :math:`\xi^* = c_0^{-1/(b-1)}` (itself a characteristic, and an
attracting fixed point of :math:`t\dot\xi = \xi - c_0\xi^b`).  For :math:`\sigma = +1` the
characteristic blows up at :math:`\lambda_0 t = \xi^*`.  For :math:`b = 1`, :math:`c = c_0/t`
(from :math:`t_0 > 0`): :math:`\lambda = \lambda_0 (t/t_0)^{-c_0}`.  The documented formulas agree
with the derivation.  [derived]
"""

import sympy as sp

from grsd_sym import theorem
from grsd_sym.derive.characteristics import first_integral, transport_velocity
from grsd_sym.derive.frontier import characteristic, frontier_constant, frontier_fixed_point_equation
from grsd_sym.symbols import b, c0, lam, lam0, t, t0, xi

beta = sp.Symbol("beta", positive=True)  # b = 1 + beta: the region b > 1, all symbols positive
bb = 1 + beta
B_DOM = {beta: (sp.Rational(1, 10), 2)}


@theorem("GRSD-T14", "Characteristics and the resolution frontier xi* = c0^(-1/(b-1))",
         provenance="derived",
         sources=["arXiv 2512.10427 (abstract): self-similar solution with a moving resolution frontier",
                  "docs/theory/solutions.md (GRSD-T14)"])
def prove(dv):
    dv.assume("b > 1, written b = 1 + beta with beta > 0 (witness: beta in (0.1, 2)); "
              "c0 > 0, lambda0 > 0, t > 0", sp.Eq(b, bb))
    for sigma in (-1, 1):
        vel = transport_velocity(bb, sigma, "self-similar")
        phi, route = first_integral(1, vel, t, lam)
        dv.zero(sp.diff(phi, t) + vel * sp.diff(phi, lam),
                f"sigma = {sigma:+d}: first integral of dlambda/dt = v ({route})", domains=B_DOM)
    # sigma = -1
    vel = transport_velocity(bb, -1, "self-similar")
    lam_t = characteristic(bb, -1)
    dv.define(sp.Symbol("lambda(t)"), lam_t, "characteristic from phi(t, lambda) = phi(0, lambda0), inverted")
    dv.zero(sp.diff(lam_t, t) - vel.subs(lam, lam_t), "lambda(t) solves dlambda/dt = -c0 t^(b-2) lambda^b",
            domains=B_DOM, force=True)
    at0 = sp.limit(lam_t, t, 0, "+")
    dv.claim(at0, lam0, "lambda(0+) = lambda0 (limit with b = 1 + beta, beta > 0)")
    theory_b = lam0 * (1 + c0 * (lam0 * t) ** (b - 1)) ** (-1 / (b - 1))
    theory = theory_b.subs(b, bb)
    dv.claim(lam_t, theory, "agrees with the documented lambda0 (1 + c0 (lambda0 t)^(b-1))^(-1/(b-1))",
             domains=B_DOM, force=True)
    lim = sp.limit(sp.powsimp((t * lam_t), force=True), t, sp.oo)
    if lim.has(sp.Limit):
        lim = sp.limit(((lam0 * t) ** (-beta) + c0) ** (-1 / beta), t, sp.oo)
    xs = frontier_constant(bb, c0)
    dv.claim(lim, xs, "t lambda(t) -> xi* as t -> infinity: the frontier constant",
             domains=B_DOM, force=True)
    lf = xs / t
    dv.zero(sp.diff(lf, t) - vel.subs(lam, lf), "the frontier lambda_f = xi*/t is itself a characteristic",
            domains=B_DOM, force=True)
    rhs = frontier_fixed_point_equation(-1).subs(b, bb)
    dv.zero(rhs.subs(xi, xs), "xi* is a fixed point of t dxi/dt = xi - c0 xi^b", domains=B_DOM, force=True)
    slope = sp.diff(rhs, xi).subs(xi, xs)
    dv.claim(slope, 1 - bb, "linearisation at xi*: 1 - b < 0 for b > 1, so xi* attracts",
             domains=B_DOM, force=True)
    # sigma = +1: blow-up
    lam_p = characteristic(bb, 1)
    velp = transport_velocity(bb, 1, "self-similar")
    base = [a_ for a_ in lam_p.atoms(sp.Add) if a_.has(t)][0]   # lambda0^(1-b) - c0 t^(b-1)
    Bs = sp.Symbol("B", positive=True)
    dv.assume("sigma = +1 before blow-up: B(t) = lambda0^(1-b) - c0 t^(b-1) > 0", sp.Gt(base, 0))
    lam_pB = lam_p.xreplace({base: Bs})
    dv.claim(lam_pB, Bs ** (-1 / beta), "sigma = +1: lambda(t) = B(t)^(-1/(b-1)) (computed characteristic)",
             domains=B_DOM)
    chain = sp.diff(lam_pB, Bs) * sp.diff(base, t) - velp.subs(lam, lam_pB)
    dv.zero(chain, "sigma = +1: d/dt B^(-1/(b-1)) = v (chain rule, B > 0)", domains=B_DOM)
    tstar = [r for r in sp.solve(sp.Eq(base, 0), t)]
    dv.claim(lam0 * tstar[0], xs,
             "the base vanishes (lambda -> infinity) at lambda0 t* = xi*: finite-time blow-up",
             domains=B_DOM, force=True)
    # b = 1, c = c0/t from t0
    lam_1 = characteristic(1, -1)
    vel1 = transport_velocity(1, -1, "self-similar")
    dv.zero(sp.diff(lam_1, t) - vel1.subs(lam, lam_1), "b = 1, c = c0/t: characteristic solves the ODE")
    dv.claim(lam_1.subs(t, t0), lam0, "lambda(t0) = lambda0")
    dv.claim(lam_1, lam0 * (t / t0) ** (-c0), "agrees with the documented lambda0 (t/t0)^-c0", force=True)
    dv.conclude(sp.And(sp.Eq(sp.Symbol("lambda(t)"), theory_b),
                       sp.Eq(sp.Symbol("xi*"), frontier_constant(b, c0)),
                       sp.Eq(sp.Symbol("lambda0 t_blowup (sigma=+1)"), frontier_constant(b, c0)),
                       sp.Eq(sp.Symbol("lambda(t) (b=1)"), lam0 * (t / t0) ** (-c0))))
