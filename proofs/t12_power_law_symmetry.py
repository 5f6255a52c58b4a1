r"""GRSD-T12: which power-law velocities make time rescaling an exact Lie point symmetry.

The transport PDE with the power-law velocity :math:`v = \sigma c(t)\lambda^b`,

.. math::  \Delta \equiv g_t + \partial_\lambda\big(\sigma c(t)\lambda^b g\big) + d\,\lambda g = 0,

admits :math:`\mathbf{X} = \lambda\partial_\lambda - t\partial_t` (plus any :math:`\mu\,g\partial_g`,
which the linear homogeneous PDE always admits) as a Lie point symmetry **iff**
:math:`c(t) = c_0 t^{b-2}`; for constant :math:`c` **iff** :math:`b = 2`.

Derived with :mod:`grsd_sym.derive.symmetry`: the first prolongation of :math:`\mathbf{X}` applied
to :math:`\Delta` and restricted to :math:`\Delta = 0` (eliminating :math:`g_t`) is
:math:`\sigma\,[(b-2)c - t c']\,(\lambda^b g_\lambda + b\lambda^{b-1} g)`; the jet coordinates
:math:`g, g_\lambda` are independent, so the determining equation is the ODE
:math:`t c' = (b-2)c`, solved with ``dsolve`` and accepted after substitution.  The finite group
is checked too: :math:`\tilde g(\lambda, t) = g(\lambda/k, kt)` solves the PDE when :math:`g`
does.  Provenance: derived (docs/theory/rigidity.md); :math:`b` symbolic throughout.
"""

import sympy as sp

from grsd_sym import theorem
from grsd_sym.certificate import Derivation
from grsd_sym.derive.symmetry import JetSpace, VectorField, determining_equations, invariance_condition
from grsd_sym.symbols import b, c, c0, d, g, k, lam, sigma, t

#: nothing to import: the theorem is registered by @theorem (grsd_sym.registry)
__all__: list[str] = []


@theorem(
    "GRSD-T12",
    "lambda d_lambda - t d_t is a symmetry of the power-law PDE iff c(t) = c0 t^(b-2)",
    provenance="derived",
    sources=["docs/theory/rigidity.md (GRSD-T12)", "arXiv 2512.10427 (abstract): v ~ -c(t) lambda^b"],
)
def _prove(dv: Derivation) -> None:
    gs = sp.Symbol("g", real=True)
    mu = sp.Symbol("mu", real=True)
    jet = JetSpace([lam, t], [gs])
    g_l, g_t = jet.d(gs, lam), jet.d(gs, t)
    vel = sigma * c(t) * lam**b
    Delta = g_t + sp.expand(sp.diff(vel * gs, lam) + vel * g_l) + d * lam * gs  # (v g)_lambda in jets
    G = g(lam, t)
    dv.claim(
        sp.Derivative(G, t) + sp.Derivative(vel * G, lam) + d * lam * G,
        Delta.subs({g_t: sp.Derivative(G, t), g_l: sp.Derivative(G, lam), gs: G}),
        "the PDE and its form on the first jet space (g, g_lambda, g_t)",
    )
    dv.assume("sigma = +-1, c(t) differentiable and nonzero, b real (symbolic)")

    X = VectorField({lam: lam, t: -t, gs: mu * gs})
    cond = invariance_condition(X, Delta, jet, solve_for=g_t)
    dv.define(sp.Symbol("pr X(Delta)|_{Delta=0}"), cond, "first prolongation, g_t eliminated with Delta = 0")
    dets = determining_equations(cond, jet)
    split = dv.claim(
        cond,
        sp.Add(*[sp.Mul(cf, m_, evaluate=False) for m_, cf in dets.items()], evaluate=False),
        f"split by the independent jet coordinates: {sorted(map(str, dets))}",
    )
    ode_lhs = sp.factor(dets[g_l] / (sigma * lam**b))
    coeff = dv.claim(dets[g_l], sigma * lam**b * ode_lhs, "coefficient of g_lambda = sigma lambda^b (ODE for c)")
    dv.claim(sp.Derivative(cond, mu), 0, "the g d_g component mu drops out: any mu works (linear homogeneous PDE)")
    # solve the ODE and accept it only after substitution (c(t) is replaced with .subs, derivatives left
    # unevaluated: a Subs over the function c(t) would be shown the same way)
    sol = sp.dsolve(sp.Eq(ode_lhs, 0), c(t))
    C1 = next(iter(sol.rhs.free_symbols - {t, b}))
    ode = dv.claim(
        ode_lhs.subs(c(t), sol.rhs), 0, f"dsolve of the determining ODE gives c(t) = {sol.rhs}; substituted back"
    )
    c_sol = sol.rhs.subs(C1, c0)
    dv.claim(sp.Subs(sol.rhs, C1, c0), c0 * t ** (b - 2), "c(t) = c0 t^(b-2) (the theory)")
    # 'if': with c = c0 t^(b-2) every determining equation vanishes
    ifpart = dv.claim(
        sp.Matrix([cf.subs(c(t), c_sol) for cf in dets.values()]),
        sp.zeros(len(dets), 1),
        "with c = c0 t^(b-2) the whole invariance condition vanishes: X is a symmetry",
    )
    # constant c: the ODE reduces to (b - 2) c0 = 0
    const_eq = sp.factor(ode_lhs.subs(c(t), c0).doit())
    dv.claim(ode_lhs.subs(c(t), c0), const_eq, f"constant c = c0: the determining equation is {const_eq} = 0")
    bs = sp.solve(const_eq, b)
    dv.evidence(
        "SymPy solve: the only root of the constant-c determining equation is b = 2 (c0 != 0)",
        passed=bs == [2],
        data={"roots": [str(r) for r in bs]},
        method="sympy.solve",
    )
    dv.claim(sp.Subs(const_eq, b, 2), 0, "b = 2 solves it")
    # finite group: g~(lambda, t) = g(lambda/k, k t) maps solutions to solutions when c = c0 t^(b-2)
    mu_, tau_ = sp.symbols("mu_ tau_", positive=True)
    velc = sigma * c0 * t ** (b - 2) * lam**b

    def E(gg, x, y, vv):
        return sp.Derivative(gg, y) + sp.Derivative(vv * gg, x) + d * x * gg

    Et = sp.Subs(E(g(lam / k, k * t), lam, t, velc), (lam, t), (k * mu_, tau_ / k))
    E0 = E(g(mu_, tau_), mu_, tau_, velc.subs({lam: mu_, t: tau_}))
    fin = dv.claim(
        Et, k * E0, "finite action: the residual of g(lambda/k, k t) is k times the original at (lambda/k, k t)"
    )
    dv.conclude(sp.And(*(st.statement for st in (split, coeff, ode, ifpart, fin))))
