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
from grsd_sym.certificate import Derivation
from grsd_sym.derive.characteristics import first_integral, transport_velocity
from grsd_sym.derive.frontier import characteristic, frontier_constant, frontier_fixed_point_equation
from grsd_sym.symbols import b, c0, lam, lam0, t, t0, xi

#: nothing to import: the theorem is registered by @theorem (grsd_sym.registry)
__all__: list[str] = []

beta = sp.Symbol("beta", positive=True)  # b = 1 + beta: the region b > 1, all symbols positive
bb = 1 + beta


@theorem(
    "GRSD-T14",
    "Characteristics and the resolution frontier xi* = c0^(-1/(b-1))",
    provenance="derived",
    sources=[
        "arXiv 2512.10427 (abstract): self-similar solution with a moving resolution frontier",
        "docs/theory/solutions.md (GRSD-T14)",
    ],
)
def _prove(dv: Derivation) -> None:
    dv.assume("b > 1, written b = 1 + beta with beta > 0; c0 > 0, lambda0 > 0, t > 0", sp.Eq(b, bb))
    for sigma in (-1, 1):
        vel = transport_velocity(bb, sigma, "self-similar")
        phi, route = first_integral(1, vel, t, lam)
        dv.claim(
            sp.Derivative(phi, t) + vel * sp.Derivative(phi, lam),
            0,
            f"sigma = {sigma:+d}: phi = {phi} is a first integral of dlambda/dt = v ({route})",
        )
    # sigma = -1
    vel = transport_velocity(bb, -1, "self-similar")
    lam_t = characteristic(bb, -1)
    dv.define(sp.Symbol("lambda(t)"), lam_t, "characteristic from phi(t, lambda) = phi(0, lambda0), inverted")
    ode = dv.claim(sp.Derivative(lam_t, t), vel.subs(lam, lam_t), "lambda(t) solves dlambda/dt = -c0 t^(b-2) lambda^b")
    ic = dv.claim(sp.Subs(lam_t, t, 0), lam0, "lambda(0) = lambda0 (b = 1 + beta, beta > 0)")
    theory_b = lam0 * (1 + c0 * (lam0 * t) ** (b - 1)) ** (-1 / (b - 1))
    theory = theory_b.subs(b, bb)
    dv.claim(lam_t, theory, "agrees with the theory's lambda0 (1 + c0 (lambda0 t)^(b-1))^(-1/(b-1))")
    xs = frontier_constant(bb, c0)
    u = sp.Symbol("u", positive=True)
    tail = (u + c0) ** (-1 / beta)
    dv.claim(
        t * lam_t,
        sp.Subs(tail, u, (lam0 * t) ** (-beta)),
        "t lambda(t) = (u + c0)^(-1/beta) with u = (lambda0 t)^(-beta) -> 0 as t -> infinity",
    )
    front = dv.claim(sp.Subs(tail, u, 0), xs, "so t lambda(t) -> c0^(-1/(b-1)) = xi*: the frontier constant")
    lf = xs / t
    dv.claim(sp.Derivative(lf, t), vel.subs(lam, lf), "the frontier lambda_f = xi*/t is itself a characteristic")
    rhs = frontier_fixed_point_equation(-1).subs(b, bb)
    dv.claim(sp.Subs(rhs, xi, xs), 0, "xi* is a fixed point of t dxi/dt = xi - c0 xi^b")
    dv.claim(
        sp.Subs(sp.Derivative(rhs, xi), xi, xs), 1 - bb, "linearisation at xi*: 1 - b < 0 for b > 1, so xi* attracts"
    )
    # sigma = +1: blow-up
    lam_p = characteristic(bb, 1)
    velp = transport_velocity(bb, 1, "self-similar")
    base = next(a_ for a_ in lam_p.atoms(sp.Add) if a_.has(t))  # lambda0^(1-b) - c0 t^(b-1)
    Bs = sp.Symbol("B", positive=True)
    dv.assume("sigma = +1 before blow-up: B(t) = lambda0^(1-b) - c0 t^(b-1) > 0", sp.Gt(base, 0))
    dv.claim(
        lam_p,
        sp.Subs(Bs ** (-1 / beta), Bs, base),
        "sigma = +1: the computed characteristic is lambda(t) = B(t)^(-1/(b-1)) while B(t) > 0 "
        "(before blow-up; the side condition is the assumption above, and (1/B)^(1/beta) = B^(-1/beta) "
        "needs it)",
        side_conditions=(sp.Gt(base, 0),),
    )
    dv.claim(
        sp.Derivative(Bs ** (-1 / beta), Bs) * sp.Derivative(base, t),
        velp.subs(lam, Bs ** (-1 / beta)),
        "sigma = +1: d/dt B^(-1/(b-1)) = v (chain rule, B > 0)",
    )
    blow = dv.claim(
        sp.Subs(base, t, xs / lam0),
        0,
        "the base vanishes (lambda -> infinity) at lambda0 t* = xi*: finite-time blow-up",
    )
    # b = 1, c = c0/t from t0
    lam_1 = characteristic(1, -1)
    vel1 = transport_velocity(1, -1, "self-similar")
    dv.claim(sp.Derivative(lam_1, t), vel1.subs(lam, lam_1), "b = 1, c = c0/t: characteristic solves the ODE")
    dv.claim(sp.Subs(lam_1, t, t0), lam0, "lambda(t0) = lambda0")
    b1 = dv.claim(lam_1, lam0 * (t / t0) ** (-c0), "agrees with the theory's lambda0 (t/t0)^-c0")
    dv.conclude(sp.And(*(st.statement for st in (ode, ic, front, blow, b1))))
