r"""GRSD-T9: covariance of the transport PDE family under time rescaling.

The family :math:`\partial_t g + \partial_\lambda(v g) = -d\,\lambda g + S` is covariant under
:math:`R_a: (\lambda, t) \mapsto (k\lambda, t/k)`, :math:`k = e^a`:

.. math::  \tilde g(\lambda,t) = k^{-1} g(\lambda/k, k t),\quad
           \tilde v(\lambda,t) = k^{2} v(\lambda/k, k t),\quad
           \tilde S(\lambda,t) = S(\lambda/k, k t)

map solutions to solutions.  **Derived**, not assumed: the fields are given the general weights
:math:`(\tilde g, \tilde v, \tilde S) = (k^\alpha g, k^\beta v, k^\gamma S)(\lambda/k, kt)`
(the graph of each field transported by the scaling group, via
:func:`grsd_sym.derive.symmetry.transform_graph`); the transformed residual equals
:math:`k^{\alpha+1}` times the original one at :math:`(\lambda/k, kt)` for every
:math:`g, v, S` iff :math:`\beta = 2` and :math:`\gamma = \alpha + 1`.  The density weight
:math:`\alpha = -1` (the energy :math:`\int g\,d\lambda` at time :math:`kt` is preserved) gives
:math:`\gamma = 0`: the factor of :math:`\tilde S` is 1, as docs/theory/rigidity.md states (checked here by
substitution).  Provenance: derived (docs/theory/rigidity.md).
"""

import sympy as sp

from grsd_sym import theorem
from grsd_sym.derive.symmetry import scaling_group, transform_graph
from grsd_sym.symbols import S_src, a, d, g, k, lam, t, v


def _E(gg, vv, SS, x, y):
    """Residual of the transport PDE: g_t + (v g)_lambda + d lambda g - S."""
    return sp.diff(gg, y) + sp.diff(vv * gg, x) + d * x * gg - SS


@theorem("GRSD-T9", "Covariance of the transport PDE family under time rescaling",
         provenance="derived",
         sources=["docs/theory/rigidity.md (GRSD-T9)", "arXiv 2512.10427 (abstract): time-rescaling covariance"])
def prove(dv):
    mu = sp.Symbol("mu", positive=True)
    tau = sp.Symbol("tau", positive=True)
    al, be, ga = sp.symbols("alpha beta gamma", real=True)
    gs, vs, Ss = sp.symbols("g v S", real=True)
    dv.assume("k = e^a > 0; g, v, S smooth on lambda > 0, t > 0", sp.Gt(k, 0))

    # the group acting on (lambda, t, g, v, S) with unknown weights of the fields
    grp = scaling_group({lam: 1, t: -1, gs: al, vs: be, Ss: ga})
    fields = {}
    for sym_, fn in ((gs, g), (vs, v), (Ss, S_src)):
        tr = transform_graph(grp, sym_, [lam, t], fn(lam, t)).subs(a, sp.log(k))
        fields[sym_] = sp.powsimp(sp.expand_power_base(tr, force=True), force=True)
    gt, vt, St = fields[gs], fields[vs], fields[Ss]
    dv.define(sp.Symbol(r"\tilde g"), gt, "graph of g transported by R_a with weight alpha")
    dv.define(sp.Symbol(r"\tilde v"), vt, "graph of v transported by R_a with weight beta")
    dv.define(sp.Symbol(r"\tilde S"), St, "graph of S transported by R_a with weight gamma")
    dv.claim(gt, k ** al * g(lam / k, k * t), "transported graph: k^alpha g(lambda/k, k t)",
             force=True)

    # transformed residual, written at lambda = k mu, t = tau/k (chain rule)
    Et = _E(gt, vt, St, lam, t).subs({lam: k * mu, t: tau / k}).doit()
    Et = sp.expand(sp.powsimp(sp.expand(Et), force=True))  # collect powers of k (k > 0)
    E0 = _E(g(mu, tau), v(mu, tau), S_src(mu, tau), mu, tau)
    dv.define(sp.Symbol(r"\tilde E"), Et, "PDE residual of the transformed fields at (k mu, tau/k)")

    # what is left after removing k^(alpha+1) times the original residual
    left = sp.expand(sp.powsimp(sp.expand(Et - k ** (al + 1) * E0), force=True))
    flux = sp.expand(sp.diff(v(mu, tau) * g(mu, tau), mu))
    A_flux = sp.simplify(left.coeff(sp.Derivative(g(mu, tau), mu)) / v(mu, tau))
    A_src = sp.simplify(left.coeff(S_src(mu, tau)))
    dv.claim(left, A_flux * flux + A_src * S_src(mu, tau),
             "the remainder is a combination of the flux (v g)_mu and the source only",
             domains={al: (-2, 2), be: (-2, 3), ga: (-2, 2)}, force=True)
    # each coefficient must vanish for all k: equate the exponents (log coordinates)
    tf = sp.Add.make_args(sp.expand(A_flux))
    ts = sp.Add.make_args(sp.expand(A_src))
    eq_beta = sp.expand(sp.expand_log(sp.log(tf[0] / -tf[1]), force=True) / sp.log(k))
    eq_gamma = sp.expand(sp.expand_log(sp.log(ts[0] / -ts[1]), force=True) / sp.log(k))
    (sol,) = sp.solve([eq_beta, eq_gamma], [be, ga], dict=True)
    dv.solution(sp.Eq(be, sol[be]), A_flux.subs(sol), "the flux coefficient vanishes for all k iff beta = "
                f"{sol[be]} (velocity weight: v scales like lambda/t = k^2)", force=True)
    dv.solution(sp.Eq(ga, sol[ga]), A_src.subs(sol), "the source coefficient vanishes for all k iff "
                f"gamma = {sol[ga]}", force=True)
    dv.claim(sp.expand(sp.powsimp(Et.subs(sol), force=True)), sp.expand(k ** (al + 1) * E0),
             "covariance: E[g~, v~, S~](k mu, tau/k) = k^(alpha+1) E[g, v, S](mu, tau), so solutions "
             "map to solutions for every k > 0", force=True)

    # energy-density weight alpha = -1 (int g dlambda preserved): the factor of S~ is k^0
    probe = sp.exp(-lam / k)  # g(lambda/k, kt) = exp(-lambda/k) as a probe profile
    dens = sp.integrate(gt.subs(g(lam / k, k * t), probe), (lam, 0, sp.oo))
    ref = sp.integrate(sp.exp(-mu), (mu, 0, sp.oo))
    (alpha_val,) = sp.solve(sp.expand_log(sp.log(sp.simplify(dens / ref)), force=True), al)
    dv.claim(sp.integrate(gt.subs(al, alpha_val).subs(g(lam / k, k * t), probe), (lam, 0, sp.oo)),
             ref, f"alpha = {alpha_val}: g~ is a density in lambda (energy at time k t preserved)")
    final = {al: alpha_val, **{key: val.subs(al, alpha_val) for key, val in sol.items()}}
    dv.claim(St.subs(final), S_src(lam / k, k * t),
             "S~ = S(lambda/k, k t): the documented factor of S~ (= 1) agrees with the derivation")
    dv.claim(gt.subs(final), g(lam / k, k * t) / k, "g~ = g(lambda/k, k t)/k (docs/theory/rigidity.md)")
    dv.claim(vt.subs(final), k ** 2 * v(lam / k, k * t), "v~ = k^2 v(lambda/k, k t) (docs/theory/rigidity.md)")
    dv.claim(Et.subs(final), E0, "with alpha = -1: the transformed residual equals the original one")
    dv.conclude(sp.Implies(sp.Eq(_E(g(lam, t), v(lam, t), S_src(lam, t), lam, t), 0),
                           sp.Eq(_E(g(lam / k, k * t) / k, k ** 2 * v(lam / k, k * t),
                                    S_src(lam / k, k * t), lam, t), 0)))
