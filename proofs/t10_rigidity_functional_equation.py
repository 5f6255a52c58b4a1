r"""GRSD-T10: the rigidity functional equation and its general solution (the scaling form).

Renormalizability (the velocity is a functional of the couplings) + log-shift invariance of
the couplings + time-rescaling covariance (GRSD-T1) make the time rescaling
:math:`R_a: (\lambda, t, v) \mapsto (k\lambda, t/k, k^2 v)` an invariance of the graph of the
renormalized velocity:

.. math::  v(\lambda, t) = k^2\, v(\lambda/k,\, k t)\quad\forall k > 0
           \qquad\Longleftrightarrow\qquad V(s, t) = e^a V(s - a, e^a t),

whose general solution is the scaling form :math:`v = \lambda^2\,\Phi(\lambda t)`
(:math:`V = \lambda\,\Phi(\lambda t)`) with :math:`\Phi` free.  Derived: the functional equation
is computed from the finite action (graph transport), the generator
:math:`\lambda\partial_\lambda - t\partial_t + 2v\partial_v` by differentiating at
:math:`a = 0`, the invariant surface condition :math:`\lambda v_\lambda - t v_t = 2v` is solved
by characteristics in log coordinates (:func:`grsd_sym.derive.rigidity.derive_velocity`), and
the finite equation is verified for symbolic :math:`k`.  A non-power-law member
(:math:`\Phi(\xi) = e^{-\xi}`) shows that the scaling form alone is **not** a power law.
Provenance: derived (docs/theory/rigidity.md).
"""

import sympy as sp

from grsd_sym import theorem
from grsd_sym.derive.rigidity import V_SYMBOL, derive_velocity
from grsd_sym.derive.symmetry import graph_characteristic, graph_invariance_residual, time_rescaling_group
from grsd_sym.symbols import Phi, a, k, lam, s, t, v, xi


@theorem("GRSD-T10", "Rigidity functional equation v = k^2 v(lambda/k, k t) and the scaling form",
         provenance="derived",
         sources=["docs/theory/rigidity.md (GRSD-T10)",
                  "arXiv 2512.10427 (abstract): power-law scaling does not follow from renormalizability alone"])
def prove(dv):
    R = time_rescaling_group(lam, t, V_SYMBOL)
    X = R.generator()
    dv.claim(sp.Matrix([X.coeff(lam), X.coeff(t), X.coeff(V_SYMBOL)]),
             sp.Matrix([lam, -t, 2 * V_SYMBOL]),
             "generator of R_a = d/da of the finite action at a = 0: lambda d_lambda - t d_t + 2 v d_v")
    dv.zero(sp.Matrix(R.flow_residual(X)), "the finite action is the flow of the generator (d_a X = xi(X))")
    dv.zero(sp.Matrix(R.group_law_residual()), "group law R_a R_a' = R_(a+a')")

    # the functional equation, computed from the graph transport (k = e^a)
    fe = graph_invariance_residual(R, V_SYMBOL, [lam, t], v(lam, t)).subs(a, sp.log(k))
    dv.claim(fe, k ** 2 * v(lam / k, k * t) - v(lam, t),
             "graph invariance under R_a: v(lambda, t) = k^2 v(lambda/k, k t)", force=True)
    Q = graph_characteristic(X, V_SYMBOL, [lam, t], v(lam, t))
    dv.claim(Q, sp.diff(fe, k).subs(k, 1),
             "the invariant surface condition 2v - lambda v_lambda + t v_t = 0 is d/dk of the "
             "functional equation at k = 1")

    form = derive_velocity(["time-rescaling", "log-shift"], derivation=dv)
    dv.claim(form.expr, lam ** 2 * Phi(lam * t), "the documented scaling form agrees with the derived one")
    # an independent route: SymPy's pdsolve, accepted only after substitution
    vf = sp.Function("v")
    from sympy.solvers.pde import pdsolve
    sol = pdsolve(lam * vf(lam, t).diff(lam) - t * vf(lam, t).diff(t) - 2 * vf(lam, t))
    dv.solution(sol, sp.diff(sol.rhs, lam) * lam - t * sp.diff(sol.rhs, t) - 2 * sol.rhs,
                f"second route: sympy pdsolve gives {sol.rhs}, checked by substitution")
    F = next(iter(sol.rhs.atoms(sp.core.function.AppliedUndef)))
    dv.claim(sol.rhs.subs(F, Phi(lam * t)), form.expr, "the two routes give the same family")

    # log coordinates: V = v/lambda as a function of s = log(lambda)
    Vform = (form.expr / lam).subs(lam, sp.exp(s))
    dv.claim(Vform - sp.exp(a) * Vform.subs({s: s - a, t: sp.exp(a) * t}), 0,
             "log coordinates: V(s, t) = e^a V(s - a, e^a t) for V = lambda Phi(lambda t)")
    # not a power law: Phi(xi) = exp(-xi) solves the functional equation
    wit = form.expr.subs(Phi(lam * t), sp.exp(-lam * t))
    dv.zero(wit.subs({lam: lam / k, t: k * t}) * k ** 2 - wit,
            "v = lambda^2 exp(-lambda t) satisfies T10 and is not a power law: renormalizability alone "
            "does not force a power law", force=True)
    dv.conclude(sp.Equivalent(sp.Eq(v(lam, t), k ** 2 * v(lam / k, k * t)),
                              sp.Eq(v(lam, t), lam ** 2 * Phi(xi).subs(xi, lam * t))))
