r"""GRSD-T15: similarity reduction at the resolution frontier.

:math:`g = t^\gamma G(\xi)`, :math:`\xi = \lambda t` reduces
:math:`\partial_t g + \partial_\lambda(\sigma c_0 t^{b-2}\lambda^b g) = -d\lambda g` to

.. math::  \gamma G + \xi G' + \sigma c_0(\xi^b G)' + d\xi G = 0 ,

a first-order ODE :math:`D G' + N G = 0` whose leading coefficient
:math:`D = \xi + \sigma c_0\xi^b` vanishes (for :math:`\sigma = -1`) at the frontier
:math:`\xi^* = c_0^{-1/(b-1)}`: a regular singular point with :math:`G \sim |\xi-\xi^*|^p`,

.. math::  p = \frac{\gamma + d\xi^* - b}{b-1}

(the indicial root; the documented formula agrees with the derivation), and
:math:`L(t) = \int g\,d\lambda = t^{\gamma-1}\int G(\xi)\,d\xi`, so :math:`L \sim t^{\gamma-1}`
when the profile integral converges.  [derived]
"""

import sympy as sp

from grsd_sym import theorem
from grsd_sym.certificate import Derivation
from grsd_sym.derive.frontier import frontier_constant
from grsd_sym.derive.similarity import (
    indicial_equation,
    local_exponent,
    ode_coefficients,
    reduced_ode,
    similarity_ansatz,
    singular_point,
)
from grsd_sym.symbols import G, b, c0, d, gamma, lam, sigma, t, xi, xi_star

#: nothing to import: the theorem is registered by @theorem (grsd_sym.registry)
__all__: list[str] = []

beta = sp.Symbol("beta", positive=True)


@theorem(
    "GRSD-T15",
    "Similarity reduction g = t^gamma G(lambda t) and the frontier exponent p",
    provenance="derived",
    sources=[
        "arXiv 2512.10427 (abstract): self-similar solution with a moving resolution frontier",
        "docs/theory/solutions.md (GRSD-T15)",
        "GRSD-T12: lambda d_lambda - t d_t is a symmetry",
    ],
)
def _prove(dv: Derivation) -> None:
    dv.assume(
        "v = sigma c0 t^(b-2) lambda^b; c0, d > 0; sigma = +-1 for the reduction, sigma = -1 and b > 1 at the frontier"
    )
    ode = reduced_ode()
    theory = (
        gamma * G(xi) + xi * sp.Derivative(G(xi), xi) + sigma * c0 * sp.Derivative(xi**b * G(xi), xi) + d * xi * G(xi)
    )
    red = dv.claim(
        ode,
        theory,
        "substituting g = t^gamma G(lambda t), lambda = xi/t, times t^(1-gamma): the theory's reduced ODE, free of t",
    )
    gg = similarity_ansatz()
    vel = sigma * c0 * t ** (b - 2) * lam**b
    closes = dv.claim(
        sp.Derivative(gg, t) + sp.Derivative(vel * gg, lam) + d * lam * gg,
        t ** (gamma - 1) * sp.Subs(ode, xi, lam * t),
        "the PDE residual of the ansatz is t^(gamma-1) times the ODE at xi = lambda t (the reduction closes)",
    )
    Dc, _Nc = ode_coefficients(sigma=-1)
    xs = singular_point()
    dv.evidence(
        "the engine's root of D(xi) = xi - c0 xi^b (solve) is frontier_constant(b, c0)",
        passed=sp.simplify(xs - frontier_constant(b, c0)) == 0,
        data={"root": str(xs)},
        method="structural comparison",
    )
    dv.claim(sp.Subs(Dc.subs(b, 1 + beta), xi, xs.subs(b, 1 + beta)), 0, "D(xi*) = 0 (b = 1 + beta, beta > 0)")
    ind = indicial_equation()
    # the engine's unknown p (grsd_sym.derive.similarity), taken from its equation, not re-declared
    psym = next(x for x in ind.free_symbols if x.name == "p")
    p_der = local_exponent()
    dv.claim(
        sp.Subs(ind, psym, p_der), 0, f"the engine's p = {p_der} solves the indicial equation p D'(xi*) + N(xi*) = 0"
    )
    p_theory = (gamma + d * xi_star - b) / (b - 1)
    indp = dv.claim(
        sp.Subs(ind, psym, p_theory), 0, "the theory's p = (gamma + d xi* - b)/(b - 1) solves the indicial equation"
    )
    # Frobenius, independently: the residue of N/D at xi* is -p (so (xi*-xi)^(-p) G is regular)
    for bv in (2, 3, sp.Rational(3, 2)):
        Db, Nb = ode_coefficients(b=bv, sigma=-1)
        xsb = frontier_constant(bv, c0)
        res = sp.limit(sp.cancel((xi - xsb) * Nb / Db), xi, xsb)
        dv.claim(
            res,
            -local_exponent(bv, d, gamma, xsb),
            f"b = {bv}: residue of N/D at xi* (SymPy limit) is -p: G = |xi - xi*|^p x (regular)",
        )
    # L(t) = t^(gamma - 1) int G(xi) dxi: equal derivatives in the upper limit, both 0 at 0
    Lam = sp.Symbol("Lambda", positive=True)
    lhs = sp.Integral(gg, (lam, 0, Lam))
    rhs = t ** (gamma - 1) * sp.Integral(G(xi), (xi, 0, Lam * t))
    loss = dv.claim(
        sp.diff(lhs, Lam),
        sp.diff(rhs, Lam),
        "int_0^Lambda t^gamma G(lambda t) dlambda = t^(gamma-1) int_0^(Lambda t) G: their Lambda-derivatives "
        "(fundamental theorem of calculus) agree, "
        "both vanish at Lambda = 0; hence L(t) ~ t^(gamma-1) when int G converges",
    )
    dv.conclude(sp.And(*(st.statement for st in (red, closes, indp, loss))))
