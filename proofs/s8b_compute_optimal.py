r"""GRSD-S8b: compute-optimal allocation, for the GRSD power form and the Chinchilla form.

Statement.  (i) For :math:`L(t, N) = A_1t^{-x} + A_2N^{-y}` (GRSD-S8a) at fixed compute
:math:`C = Nt`, the unique minimiser over :math:`N > 0` is

.. math::  N^* = \Big(\frac{yA_2}{xA_1}\Big)^{\frac1{x+y}}C^{\frac{x}{x+y}},\qquad
           t^* = C/N^* \propto C^{\frac{y}{x+y}},\qquad L^* \propto C^{-\frac{xy}{x+y}};

in Convention A (:math:`x = (a-1)/b`, :math:`y = a-1`): :math:`N^*\propto C^{1/(1+b)}`,
:math:`t^*\propto C^{b/(1+b)}`, :math:`L^*\propto C^{-(a-1)/(1+b)}`.
(ii) For :math:`L = E + A/N^\alpha + B/D^\beta` with :math:`C = 6ND`:
:math:`N^* = G(C/6)^{\beta/(\alpha+\beta)}`, :math:`D^* = G^{-1}(C/6)^{\alpha/(\alpha+\beta)}`,
:math:`G = (\alpha A/(\beta B))^{1/(\alpha+\beta)}`, :math:`L^* - E\propto C^{-\alpha\beta/(\alpha+\beta)}`.

Derivation: the stationary point is found by SymPy ``solve``
(:func:`grsd_sym.derive.scaling.stationary_point`) and *substituted back* (symbolic zero and
numeric witness), :math:`L` is shown strictly convex in :math:`\log N` (so the stationary point is the
global minimum),
and the exponents are read off the solved expressions by code.  [derived] from docs/theory/scaling.md;
(ii) is the form of Hoffmann et al. 2022 (arXiv 2203.15556).
"""

import sympy as sp

from grsd_sym import theorem
from grsd_sym.derive import scaling
from grsd_sym.literature import CONVENTIONS, _symbolic_map


def _log_claim(dv, lhs, rhs, reason):
    """Claim lhs = rhs for positive lhs, rhs by the log form log(lhs) - log(rhs) = 0 (power rules
    valid for the positive symbols used here); cheaper to check than the power form."""
    return dv.zero(sp.expand_log(sp.log(lhs) - sp.log(rhs), force=True), reason + " (log form)",
                   statement=sp.Eq(lhs, rhs, evaluate=False))


@theorem("GRSD-S8b", "Compute-optimal N*(C), t*(C), L*(C): GRSD power form and Chinchilla form",
         provenance="derived",
         sources=["docs/theory/scaling.md: compute C = N t, minimisation by SymPy solve on stationarity",
                  "arXiv 2203.15556 (Hoffmann et al. 2022): E + A/N^alpha + B/D^beta, C = 6 N D"])
def prove(dv):
    x, y, A1, A2, N, C = scaling._x, scaling._y, scaling._A1, scaling._A2, scaling._N, scaling._C
    dv.assume("x, y, A1, A2 > 0; C = N t fixed; N > 0", sp.And(sp.Gt(x, 0), sp.Gt(y, 0)))
    so = scaling.symbolic_compute_optimal()
    dv.define(sp.Symbol("L(N; C)"), so.L, "L(t, N) = A1 t^-x + A2 N^-y at t = C/N")
    dv.solution(sp.Eq(N, so.N_star), so.stationarity.subs(N, so.N_star),
                "SymPy solve of dL/dN = 0, substituted back: the residual vanishes")
    # minimum: L is strictly convex in u = log N, so the stationary point is the global minimum
    u = sp.Symbol("u", real=True)
    Lu = so.L.subs(N, sp.exp(u))
    dv.claim(sp.diff(Lu, u, 2), x ** 2 * A1 * C ** (-x) * sp.exp(x * u) + y ** 2 * A2 * sp.exp(-y * u),
             "d^2 L/d(log N)^2 is a sum of positive terms: L is strictly convex in log N, so the "
             "unique stationary point N* is the global minimum")
    dv.claim(so.N_star, so.N_prefactor * C ** so.n_exponent, "N* = G_N C^n, exponent read off by code")
    dv.claim(so.n_exponent, x / (x + y), "n_exponent = x/(x+y)")
    dv.claim(so.other_star, C / so.N_star, "t* = C/N*")
    dv.claim(so.other_exponent, y / (x + y), "t_exponent = y/(x+y) = 1 - n_exponent")
    dv.claim(so.L_star, so.prefactor * C ** (-so.exponent), "L* = G_L C^-e, exponent read off by code")
    dv.claim(so.exponent, x * y / (x + y), "L* exponent e = x y/(x+y)")
    dv.claim(so.prefactor, (x + y) / y * (A1 * (so.N_prefactor) ** x),
             "G_L = (1 + x/y) A1 G_N^x (the two terms are in ratio y : x at the optimum)")

    # Convention A, through the translator's computed map
    conv = CONVENTIONS["bordelon2024"]
    a_, b_ = conv.params
    cmap = _symbolic_map("bordelon2024")
    xA, yA = cmap.kappa, cmap.modes_b * cmap.kappa
    dom = {a_: (1, 4), b_: (1, 4)}
    dv.claim(so.n_exponent.subs({x: xA, y: yA}), 1 / (1 + b_), "Convention A: N* ~ C^(1/(1+b))", domains=dom)
    dv.claim(so.other_exponent.subs({x: xA, y: yA}), b_ / (1 + b_), "Convention A: t* ~ C^(b/(1+b))",
             domains=dom)
    dv.claim(so.exponent.subs({x: xA, y: yA}), (a_ - 1) / (1 + b_),
             "Convention A: L* ~ C^-((a-1)/(1+b))", domains=dom)

    # Chinchilla
    al, be, Ach, Bch, E = scaling._al, scaling._be, scaling._Ach, scaling._Bch, scaling._E
    ch = scaling.symbolic_chinchilla_optimal()
    dv.define(sp.Symbol("L_chinchilla(N; C)"), ch.L, "E + A/N^alpha + B/D^beta at D = C/(6N)")
    # N dL/dN = P - Q with P, Q > 0: substituted back in log form, log P(N*) - log Q(N*) = 0
    terms = sp.Add.make_args(sp.expand(N * ch.stationarity))
    Pc = [q for q in terms if q.is_negative][0]
    Qc = [q for q in terms if q.is_positive][0]
    dv.claim(sp.expand(N * ch.stationarity), Pc + Qc, "N dL/dN is a balance of two power terms")
    dv.solution(sp.Eq(N, ch.N_star),
                sp.expand_log(sp.log(-Pc.subs(N, ch.N_star)) - sp.log(Qc.subs(N, ch.N_star)), force=True),
                "SymPy solve of dL/dN = 0 (Chinchilla form), substituted back: the two power terms of "
                "N dL/dN are equal at N* (compared in log form, both positive)")
    Lcu = ch.L.subs(N, sp.exp(u))
    dv.claim(sp.diff(Lcu, u, 2),
             al ** 2 * Ach * sp.exp(-al * u) + be ** 2 * Bch * (C / 6) ** (-be) * sp.exp(be * u),
             "d^2 L/d(log N)^2 > 0 (sum of positive terms): N* is the global minimum")
    G = (al * Ach / (be * Bch)) ** (1 / (al + be))
    dv.claim(ch.N_star, G * (C / 6) ** (be / (al + be)), "N* = G (C/6)^(beta/(alpha+beta)), "
             "G = (alpha A/(beta B))^(1/(alpha+beta))")
    _log_claim(dv, ch.other_star, (C / 6) ** (al / (al + be)) / G, "D* = (C/6)^(alpha/(alpha+beta)) / G")
    dv.claim(6 * ch.N_star * ch.other_star, C, "the allocation spends exactly C = 6 N* D*")
    dv.claim(ch.exponent, al * be / (al + be), "L* - E ~ C^-(alpha beta/(alpha+beta))")
    dv.claim(ch.L_star - E, ch.prefactor * C ** (-ch.exponent), "L* - E = G_L C^-e")

    dv.conclude(sp.And(
        sp.Eq(sp.Symbol("N^*"), so.N_prefactor * C ** (x / (x + y))),
        sp.Eq(sp.Symbol("L^*"), so.prefactor * C ** (-x * y / (x + y))),
        sp.Eq(sp.Symbol("N^*_{Chinchilla}"), G * (C / 6) ** (be / (al + be)))))
