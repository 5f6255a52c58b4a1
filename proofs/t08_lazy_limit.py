r"""GRSD-T8: the lazy (NTK) limit of the transport PDE and its solution.

:math:`v = 0` is lazy (NTK) training: :math:`\dot M = 0` gives :math:`A = 0` (GRSD-T3), no
transfer, no flux, no source, and

.. math::  \partial_t g = -d\,\lambda g \quad\Longrightarrow\quad g(\lambda, t) = g_0(\lambda)\, e^{-d\lambda t};

:math:`v \ne 0` is feature learning (representation drift).

Provenance [paper] (the abstract's lazy/feature-learning limits), solution derived: ``dsolve``
in ``t`` with :math:`\lambda` a parameter, then checked by substitution into the full
:math:`(\lambda, g, v)` PDE and the initial condition; the exponent agrees with the mode-level
lazy solution :math:`a_k = a_k(0)e^{-\lambda_k t}` (energy :math:`a_k^2/2`) exactly when ``d = 2``.
"""

import sympy as sp

from grsd_sym import theorem
from grsd_sym.symbols import d, lam, t, v
from grsd_sym.theory import transport as Tr


@theorem("GRSD-T8", "Lazy (NTK) limit: g = g0 exp(-d lambda t)", provenance="paper",
         sources=["arXiv 2512.10427 (abstract): lazy (NTK) and feature-learning limits of the transport equation"])
def prove(dv):
    g0 = sp.Function("g_0")(lam)
    dv.assume("lazy training: M' = 0, so A = 0 (GRSD-T3): no inter-shell transfer, hence v = 0 and S = 0")
    G = sp.Function("G")
    sol = sp.dsolve(sp.Eq(G(t).diff(t), -d * lam * G(t)), G(t), ics={G(0): g0})
    g_lazy = sol.rhs
    dv.solution(sp.Eq(sp.Function("g")(lam, t), g_lazy),
                Tr.lambda_transport_residual(g_lazy, 0, 0, d, lam, t),
                "dsolve of d_t g = -d lambda g, substituted back into d_t g + d_lambda(v g) = -d lambda g + S "
                "with v = 0, S = 0")
    dv.zero(g_lazy.subs(t, 0) - g0, "initial condition g(lambda, 0) = g_0(lambda)")
    dv.claim(g_lazy, g0 * sp.exp(-d * lam * t), "the lazy solution: g = g_0(lambda) exp(-d lambda t)")
    dv.claim(Tr.lazy_solution(g0, d, lam, t), g_lazy, "the theory object lazy_solution gives the same")
    # the same from the modes: a_k = a_k0 exp(-lambda t), energy a_k^2/2 decays at 2 lambda (d = 2)
    a = sp.Function("a")
    a_sol = sp.dsolve(sp.Eq(a(t).diff(t), -lam * a(t)), a(t), ics={a(0): sp.Symbol("a_0")}).rhs
    dv.solution(sp.Eq(a(t), a_sol), a_sol.diff(t) + lam * a_sol, "lazy mode: a' = -lambda a, dsolve, substituted back")
    energy = a_sol ** 2 / 2
    dv.claim(sp.diff(energy, t), -2 * lam * energy,
             "the mode energy a^2/2 decays at 2 lambda: the lambda-PDE with d = 2 (energy convention; the paper's d = 1 "
             "is a time rescaling, GRSD-T1)")
    dv.conclude(sp.Implies(sp.Eq(v(lam, t), 0), sp.Eq(sp.Function("g")(lam, t), g0 * sp.exp(-d * lam * t))))
