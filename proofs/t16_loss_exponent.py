r"""GRSD-T16: the loss exponent with transport, min(kappa, d xi*), derived by the asymptotic engine.

For :math:`v = \sigma c_0 t^{b-2}\lambda^b`, :math:`b = 1 + \beta > 1`, :math:`g_0 = A\lambda^{\kappa-1}`
on :math:`(0, \lambda_{\max}]` the engine (:mod:`grsd_sym.derive.asymptotics`) works on

.. math::  L(t) = \int_0^{\lambda_{\max}} A\lambda_0^{\kappa-1}e^{-d\Psi(\lambda_0 t)}d\lambda_0,

with every parameter a *symbol*: it derives the characteristic, :math:`\Psi`, the large-X expansion
:math:`\Psi = \xi^*\log X + C + O(X^{-(b-1)})`, and then compares the exponents of the two ends of
the Mellin-type integral, :math:`q = \kappa - d\xi^*`.  As the sign of :math:`q` is not decided for
symbols, the engine decides one representative of each region (:math:`q = -w`, :math:`q = w`,
:math:`q = 0`, :math:`w > 0`) and returns the exponent as a ``Piecewise`` over the regions.  This
proof copies the engine's checked steps, and then shows, region by region (parametrising the
region so that it holds identically), that the engine's exponent equals :math:`\min(\kappa, d\xi^*)`:
the ``Min`` is the *result* of the engine's comparison, checked against it, not typed into it.
For :math:`\sigma = +1` the same engine finds no tail (blow-up at :math:`X^*`) and the exponent
:math:`\kappa`.

Numeric evidence: the engine on parameter sets in each phase (lazy-limited, transport-limited,
the boundary with its :math:`\log t`, and :math:`\sigma = +1`), each with its quadrature evidence
(exact :math:`L(t)`, local slope, ratio to :math:`Pt^{-\alpha}(\log t)^m`).  [derived]
"""

import sympy as sp

from grsd_sym import theorem
from grsd_sym.certificate import Derivation
from grsd_sym.derive.asymptotics import Velocity, _plain_passed_claim, loss_asymptotics
from grsd_sym.derive.asymptotics.evidence import record_evidence
from grsd_sym.symbols import A, c0, d, kappa, lam, lam_max

#: nothing to import: the theorem is registered by @theorem (grsd_sym.registry)
__all__: list[str] = []

beta = sp.Symbol("beta", positive=True)  # b = 1 + beta
w = sp.Symbol("w", positive=True)  # distance from the phase boundary

#: (g0, d, lambda_max, b, c0, sigma): lazy-limited, transport-limited, boundary, sigma = +1
EVIDENCE_SETS = [
    (lam ** sp.Rational(-1, 2), 2, 1, sp.Rational(3, 2), sp.Rational(1, 5), -1),
    (lam, 1, 1, sp.Rational(5, 2), 3, -1),
    (sp.Integer(1), 1, 1, 2, 1, -1),
    (lam**2, 2, 1, 3, 2, 1),
]


@theorem(
    "GRSD-T16",
    "Loss exponent with transport: L ~ t^-min(kappa, d xi*)",
    provenance="derived",
    sources=[
        "docs/theory/solutions.md (GRSD-T16)",
        "GRSD-T14 (characteristics)",
        "grsd_sym.derive.asymptotics (the engine)",
    ],
)
def _prove(dv: Derivation) -> None:
    dv.assume(
        "sigma = -1, b = 1 + beta > 1, c = c0 t^(b-2); g0 = A lambda^(kappa-1) on (0, lambda_max]; "
        "kappa, d, c0, A, lambda_max > 0 symbols; no source"
    )
    res = loss_asymptotics(
        A * lam ** (kappa - 1),
        d=d,
        lambda_max=lam_max,
        velocity=Velocity.of(1 + beta, c0, -1),
        evidence=False,
        derivation=dv,
    )
    xs = res.action.xi_star
    dv.claim(
        c0 * xs**beta,
        1,
        f"the engine's frontier constant xi* = {xs} (1 - c0 xi*^(b-1) = 0)",
    )
    x = res.exponent
    if not isinstance(x, sp.Piecewise):
        raise TypeError(f"the engine did not branch on the sign of kappa - d xi*: {x}")
    # each region, parametrised so that it holds identically, against min(kappa, d xi*)
    regions = {"<": {d: (kappa + w) / xs}, ">": {kappa: d * xs + w}, "=": {kappa: d * xs}}
    for value, cond in x.args:
        rel = cond.rel_op if isinstance(cond, sp.Rel) else None
        key = {"<": "<", ">": ">", "==": "="}.get(rel)
        if key is None:
            raise AssertionError(f"unexpected region {cond}")
        sub = regions[key]
        dv.claim(
            value.subs(sub),
            sp.Min(kappa, d * xs).subs(sub),
            f"region kappa - d xi* {rel} 0 (parametrised by w > 0): the engine's exponent {value} "
            "equals min(kappa, d xi*) there",
        )
    dv.claim(res.log_power.subs(kappa, d * xs), 1, "at kappa = d xi* the engine finds one extra power of log t")
    plus = loss_asymptotics(
        A * lam ** (kappa - 1),
        d=d,
        lambda_max=lam_max,
        velocity=Velocity.of(1 + beta, c0, 1),
        evidence=False,
        derivation=dv,
    )
    dv.claim(
        plus.exponent,
        kappa,
        "sigma = +1: the engine finds the blow-up at X* = xi* (no tail): the head dominates, exponent kappa",
    )
    for g0, dd, lm, b, cc, sg in EVIDENCE_SETS:
        r = loss_asymptotics(g0, d=dd, lambda_max=lm, velocity=Velocity.of(b, cc, sg))
        ev = r.evidence
        record_evidence(
            dv,
            f"(g0, d, lambda_max, b, c0, sigma) = {(g0, dd, lm, b, cc, sg)}: engine "
            f"{r.law()} with P = {r.prefactor if r.prefactor is not None else r.prefactor_float} "
            f"({r.phase}); quadrature slope -> {ev.slope_limit:.8g}, ratio -> {ev.ratio_limit:.8g}",
            passed=bool(r.verified and ev.passed),
            data=ev.to_dict(),
            method="mpmath.quad",
        )
    dv.conclude(sp.And(*[st.statement for st in dv.steps if _plain_passed_claim(st)]))
