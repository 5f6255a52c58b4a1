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
from grsd_sym.certificate import Derivation
from grsd_sym.derive import scaling
from grsd_sym.literature import CONVENTIONS, _symbolic_map

#: nothing to import: the theorem is registered by @theorem (grsd_sym.registry)
__all__: list[str] = []


def _exponent(expr, var):
    """``var d log(expr)/d var``, unevaluated: the power of ``var`` in a power law."""
    return var * sp.Derivative(sp.log(expr), var)


def _log_claim(dv, lhs, rhs, reason):
    """``lhs = rhs`` for positive products of powers, checked (and shown) in log coordinates.

    ``log`` is injective on positive numbers, so ``log lhs = log rhs`` is the same statement; in
    logs the powers of positive bases become sums, which the checker's log-coordinate rung
    proves directly.
    """
    return dv.claim(sp.log(lhs), sp.log(rhs), reason + " (both sides positive; compared in logs)")


@theorem(
    "GRSD-S8b",
    "Compute-optimal N*(C), t*(C), L*(C): GRSD power form and Chinchilla form",
    provenance="derived",
    sources=[
        "docs/theory/scaling.md: compute C = N t, minimisation by SymPy solve on stationarity",
        "arXiv 2203.15556 (Hoffmann et al. 2022): E + A/N^alpha + B/D^beta, C = 6 N D",
    ],
)
def _prove(dv: Derivation) -> None:
    x, y, A1, A2, N, C = scaling._x, scaling._y, scaling._A1, scaling._A2, scaling._N, scaling._C
    dv.assume("x, y, A1, A2 > 0; C = N t fixed; N > 0", sp.And(sp.Gt(x, 0), sp.Gt(y, 0)))
    so = scaling.symbolic_compute_optimal()
    dv.define(sp.Symbol("L(N; C)"), so.L, "L(t, N) = A1 t^-x + A2 N^-y at t = C/N")
    T1, T2 = A1 * (C / N) ** (-x), A2 * N ** (-y)
    dv.claim(N * sp.Derivative(so.L, N), x * T1 - y * T2, "N dL/dN = x A1 (C/N)^-x - y A2 N^-y")
    stat = _log_claim(
        dv,
        sp.Subs(x * T1, N, so.N_star),
        sp.Subs(y * T2, N, so.N_star),
        "SymPy solve of dL/dN = 0, substituted back: the two terms of N dL/dN balance at N*",
    )
    # minimum: L is strictly convex in u = log N, so the stationary point is the global minimum
    u = sp.Symbol("u", real=True)
    conv = dv.claim(
        sp.Derivative(so.L.subs(N, sp.exp(u)), (u, 2)),
        x**2 * A1 * C ** (-x) * sp.exp(x * u) + y**2 * A2 * sp.exp(-y * u),
        "d^2 L/d(log N)^2 is a sum of positive terms: L is strictly convex in log N, so the "
        "unique stationary point N* is the global minimum",
    )
    GN, n_exp, e = so.N_prefactor, so.n_exponent, so.exponent
    nst = _log_claim(dv, so.N_star, GN * C**n_exp, "N* = G_N C^n (prefactor read off by code)")
    dv.claim(_exponent(so.N_star, C), x / (x + y), "n = d log N*/d log C = x/(x+y)")
    dv.claim(sp.Mul(so.other_star, so.N_star, evaluate=False), C, "t* N* = C")
    dv.claim(_exponent(so.other_star, C), y / (x + y), "d log t*/d log C = y/(x+y) = 1 - n")
    # L* = A1 t*^-x + A2 N*^-y, term by term: the terms are A1 G_N^x C^-e and (x/y) times it
    l1 = _log_claim(dv, sp.Subs(T1, N, so.N_star), A1 * GN**x * C ** (-e), "first term of L*: A1 G_N^x C^-e")
    l2 = _log_claim(
        dv,
        sp.Subs(T2, N, so.N_star),
        x / y * A1 * GN**x * C ** (-e),
        "second term of L*: (x/y) A1 G_N^x C^-e, so L* = (1 + x/y) A1 G_N^x C^-e",
    )
    dv.claim(-_exponent(so.L_star, C), x * y / (x + y), "L* exponent e = -d log L*/d log C = x y/(x+y)")
    g1, g2 = so.prefactor.args
    _log_claim(dv, g1, A1 * GN**x, "the code's prefactor G_L, first term: A1 G_N^x")
    _log_claim(dv, g2, x / y * A1 * GN**x, "the code's prefactor G_L, second term: (x/y) A1 G_N^x")

    # Convention A, through the translator's computed map
    a_, b_ = CONVENTIONS["bordelon2024"].params
    cmap = _symbolic_map("bordelon2024")
    xy = ((x, y), (cmap.kappa, cmap.modes_b * cmap.kappa))
    dv.claim(sp.Subs(so.n_exponent, *xy), 1 / (1 + b_), "Convention A: N* ~ C^(1/(1+b))")
    dv.claim(sp.Subs(so.other_exponent, *xy), b_ / (1 + b_), "Convention A: t* ~ C^(b/(1+b))")
    dv.claim(sp.Subs(so.exponent, *xy), (a_ - 1) / (1 + b_), "Convention A: L* ~ C^-((a-1)/(1+b))")

    # Chinchilla
    al, be, Ach, Bch, E = scaling._al, scaling._be, scaling._Ach, scaling._Bch, scaling._E
    ch = scaling.symbolic_chinchilla_optimal()
    dv.define(sp.Symbol("L_chinchilla(N; C)"), ch.L, "E + A/N^alpha + B/D^beta at D = C/(6N)")
    terms = sp.Add.make_args(sp.expand(N * ch.stationarity))
    Pc = next(q for q in terms if q.is_negative)
    Qc = next(q for q in terms if q.is_positive)
    dv.claim(N * sp.Derivative(ch.L, N), Pc + Qc, "N dL/dN is a balance of two power terms")
    cstat = _log_claim(
        dv,
        sp.Subs(-Pc, N, ch.N_star),
        sp.Subs(Qc, N, ch.N_star),
        "SymPy solve of dL/dN = 0 (Chinchilla form), substituted back: the two power terms of N dL/dN are equal at N*",
    )
    cconv = dv.claim(
        sp.Derivative(ch.L.subs(N, sp.exp(u)), (u, 2)),
        al**2 * Ach * sp.exp(-al * u) + be**2 * Bch * (C / 6) ** (-be) * sp.exp(be * u),
        "d^2 L/d(log N)^2 > 0 (sum of positive terms): N* is the global minimum",
    )
    G = (al * Ach / (be * Bch)) ** (1 / (al + be))
    cn = _log_claim(
        dv,
        ch.N_star,
        G * (C / 6) ** (be / (al + be)),
        "N* = G (C/6)^(beta/(alpha+beta)), G = (alpha A/(beta B))^(1/(alpha+beta))",
    )
    _log_claim(dv, ch.other_star, (C / 6) ** (al / (al + be)) / G, "D* = (C/6)^(alpha/(alpha+beta)) / G")
    dv.claim(sp.Mul(6, ch.N_star, ch.other_star, evaluate=False), C, "the allocation spends exactly C = 6 N* D*")
    dv.claim(-_exponent(ch.L_star - E, C), al * be / (al + be), "L* - E ~ C^-(alpha beta/(alpha+beta))")
    ce = al * be / (al + be)
    _log_claim(
        dv,
        Ach * ch.N_star ** (-al),
        Ach * G ** (-al) * (C / 6) ** (-ce),
        "first term of L* - E: A N*^-alpha = A G^-alpha (C/6)^-e",
    )
    _log_claim(
        dv,
        Bch * ch.other_star ** (-be),
        al / be * Ach * G ** (-al) * (C / 6) ** (-ce),
        "second term: B D*^-beta = (alpha/beta) A N*^-alpha, so L* - E = (1 + alpha/beta) A G^-alpha (C/6)^-e",
    )

    dv.conclude(sp.And(*(st.statement for st in (stat, conv, nst, l1, l2, cstat, cconv, cn))))
