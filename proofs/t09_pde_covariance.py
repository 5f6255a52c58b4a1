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
from grsd_sym.certificate import Derivation
from grsd_sym.derive.symmetry import scaling_group, transform_graph
from grsd_sym.symbols import S_src, a, d, g, gamma, k, lam, t, tau, v

#: nothing to import: the theorem is registered by @theorem (grsd_sym.registry)
__all__: list[str] = []


def _E(gg, vv, SS, x, y):
    """Residual of the transport PDE: g_t + (v g)_lambda + d lambda g - S."""
    return sp.diff(gg, y) + sp.diff(vv * gg, x) + d * x * gg - SS


@theorem(
    "GRSD-T9",
    "Covariance of the transport PDE family under time rescaling",
    provenance="derived",
    sources=["docs/theory/rigidity.md (GRSD-T9)", "arXiv 2512.10427 (abstract): time-rescaling covariance"],
)
def _prove(dv: Derivation) -> None:
    mu = sp.Symbol("mu", positive=True)
    al, be = sp.symbols("alpha beta", real=True)
    ga = gamma  # the third weight: the canonical real gamma
    gs, vs, Ss = sp.symbols("g v S", real=True)
    dv.assume("k = e^a > 0; g, v, S smooth on lambda > 0, t > 0", sp.Gt(k, 0))

    # the group acting on (lambda, t, g, v, S) with unknown weights of the fields
    grp = scaling_group({lam: 1, t: -1, gs: al, vs: be, Ss: ga})
    fields = {}
    for sym_, fn, w in ((gs, g, al), (vs, v, be), (Ss, S_src, ga)):
        moved = sp.Subs(transform_graph(grp, sym_, [lam, t], fn(lam, t)), a, sp.log(k))
        dv.claim(
            moved,
            k**w * fn(lam / k, k * t),
            f"graph of {fn.__name__} transported by R_a (k = e^a) with weight {w}: k^{w} {fn.__name__}(lambda/k, k t)",
        )
        fields[sym_] = k**w * fn(lam / k, k * t)
    gt, vt, St = fields[gs], fields[vs], fields[Ss]

    # transformed residual, written at lambda = k mu, t = tau/k (chain rule)
    Et = sp.Subs(_E(gt, vt, St, lam, t), (lam, t), (k * mu, tau / k))
    E0 = _E(g(mu, tau), v(mu, tau), S_src(mu, tau), mu, tau)
    flux = sp.Derivative(v(mu, tau) * g(mu, tau), mu)
    c_flux = k ** (al + be - 1) - k ** (al + 1)
    c_src = k ** (al + 1) - k**ga
    dv.claim(
        Et,
        k ** (al + 1) * E0 + c_flux * flux + c_src * S_src(mu, tau),
        "transformed residual at (k mu, tau/k): k^(alpha+1) times the original residual plus a "
        "multiple of the flux (v g)_mu and of the source",
    )
    # each coefficient must vanish for all k > 0
    dv.claim(
        sp.Subs(sp.Derivative(c_flux, k), k, 1),
        be - 2,
        "the flux coefficient's k-derivative at k = 1 is beta - 2: it vanishes for all k only if beta = 2 "
        "(velocity weight: v scales like lambda/t = k^2)",
    )
    dv.claim(sp.Subs(c_flux, be, 2), 0, "and at beta = 2 it vanishes for every k")
    dv.claim(
        sp.Subs(sp.Derivative(c_src, k), k, 1),
        al + 1 - ga,
        "the source coefficient's k-derivative at k = 1 is alpha + 1 - gamma: it vanishes only if gamma = alpha + 1",
    )
    dv.claim(sp.Subs(c_src, ga, al + 1), 0, "and at gamma = alpha + 1 it vanishes for every k")

    # energy-density weight alpha = -1 (int g dlambda preserved), probe profile g(lambda/k, k t) = exp(-lambda/k)
    dv.claim(
        sp.Integral(k**al * sp.exp(-lam / k), (lam, 0, sp.oo)),
        k ** (al + 1),
        "with the probe g = exp(-lambda/k): int g~ dlambda = k^(alpha+1) int g dmu, preserved for all k "
        "only at alpha = -1 (g~ is a density in lambda)",
    )
    final = {al: -1, be: 2, ga: 0}
    cov = dv.claim(
        sp.Subs(Et, (al, be, ga), (-1, 2, 0)),
        E0,
        "with alpha = -1, beta = 2, gamma = 0 (g~ = g(lambda/k, k t)/k, v~ = k^2 v(lambda/k, k t), "
        "S~ = S(lambda/k, k t)): the transformed residual equals the original one, so solutions "
        "map to solutions for every k > 0",
    )
    del final
    hyp = sp.Eq(E0, 0)
    dv.assume("(g, v, S) solves the transport PDE at (mu, tau)", hyp)
    dv.conclude(sp.Implies(hyp, cov.statement))
