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
from grsd_sym.certificate import Derivation
from grsd_sym.symbols import d, lam, t, v
from grsd_sym.theory import transport as Tr

#: nothing to import: the theorem is registered by @theorem (grsd_sym.registry)
__all__: list[str] = []


@theorem(
    "GRSD-T8",
    "Lazy (NTK) limit: g = g0 exp(-d lambda t)",
    provenance="paper",
    sources=["arXiv 2512.10427 (abstract): lazy (NTK) and feature-learning limits of the transport equation"],
)
def _prove(dv: Derivation) -> None:
    g0 = sp.Function("g_0")(lam)
    lazy = sp.Eq(v(lam, t), 0)
    dv.assume("lazy training: M' = 0, so A = 0 (GRSD-T3): no inter-shell transfer, hence v = 0 and S = 0", lazy)
    G = sp.Function("G")
    sol = sp.dsolve(sp.Eq(G(t).diff(t), -d * lam * G(t)), G(t), ics={G(0): g0})
    g_lazy = sol.rhs
    pde = dv.claim(
        sp.Derivative(g_lazy, t) + sp.Derivative(sp.Mul(0, g_lazy, evaluate=False), lam),
        -d * lam * g_lazy,
        f"dsolve of d_t g = -d lambda g gives g = {g_lazy}; substituted back into "
        "d_t g + d_lambda(v g) = -d lambda g + S with v = 0, S = 0",
    )
    ic = dv.claim(sp.Subs(g_lazy, t, 0), g0, "initial condition g(lambda, 0) = g_0(lambda)")
    same = sp.simplify(Tr.lazy_solution(g0, d, lam, t) - g0 * sp.exp(-d * lam * t)) == 0
    dv.evidence(
        "the theory object lazy_solution returns g_0(lambda) exp(-d lambda t)",
        passed=bool(same),
        data={"lazy_solution": str(Tr.lazy_solution(g0, d, lam, t))},
        method="structural comparison",
    )
    # the same from the modes: a_k = a_k0 exp(-lambda t), energy a_k^2/2 decays at 2 lambda (d = 2)
    a = sp.Function("a")
    a_sol = sp.dsolve(sp.Eq(a(t).diff(t), -lam * a(t)), a(t), ics={a(0): sp.Symbol("a_0")}).rhs
    dv.claim(
        sp.Derivative(a_sol, t), -lam * a_sol, f"lazy mode: a' = -lambda a, dsolve gives a = {a_sol}, substituted back"
    )
    energy = a_sol**2 / 2
    dv.claim(
        sp.Derivative(energy, t),
        -2 * lam * energy,
        "the mode energy a^2/2 decays at 2 lambda: the lambda-PDE with d = 2 (energy convention; the paper's "
        "d = 1 is a time rescaling, GRSD-T1)",
    )
    dv.conclude(sp.Implies(lazy, sp.And(pde.statement, ic.statement)))
