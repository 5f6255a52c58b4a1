r"""GRSD-S8a: the loss of a truncated spectrum, its size floor, and L(t, N).

Statement.  With :math:`g_0(\lambda) = A\lambda^{\kappa-1}`, no transport, dissipation ``d``, and a
model that resolves only :math:`\lambda \ge \lambda_{\min}` (the energy below is never learned):

.. math::  L(t;\lambda_{\min}) = \int_{\lambda_{\min}}^{\infty}A\lambda^{\kappa-1}e^{-d\lambda t}d\lambda
           + \int_0^{\lambda_{\min}}A\lambda^{\kappa-1}d\lambda
           = A(dt)^{-\kappa}\,\Gamma(\kappa, dt\lambda_{\min}) + \frac{A}{\kappa}\lambda_{\min}^{\kappa}.

With :math:`N` modes :math:`\lambda_k = k^{-b}`, :math:`\lambda_{\min} = N^{-b}`: the floor is
:math:`L(\infty, N) = (A/\kappa)N^{-b\kappa}`, i.e. :math:`N^{-(a-1)}/(a-1)` in Convention A
(:math:`\kappa = (a-1)/b`, :math:`A = 1/b`); :math:`\lambda_{\min}\to 0` gives the lazy loss
:math:`A\Gamma(\kappa)(dt)^{-\kappa}` (GRSD-T13); and the exact form is scale covariant,
:math:`L(\mu^b t, \mu N) = \mu^{-b\kappa}L(t, N)`.  The two-term form
:math:`L(t, N)\simeq A_1t^{-x} + A_2N^{-y}` (:math:`A_1 = A\Gamma(\kappa)d^{-\kappa}`, :math:`x=\kappa`,
:math:`A_2 = A/\kappa`, :math:`y = b\kappa`) has the same two limits: the lazy loss for
:math:`dt\lambda_{\min}\to 0` and the floor for :math:`dt\lambda_{\min}\to\infty`.

Derivation: the learned part is derived as the unique function of :math:`\lambda_{\min}` with the
right derivative (fundamental theorem of calculus, checked) and the right value at
:math:`\lambda_{\min} = 0` (SymPy ``integrate`` of the full integral); the floor by ``integrate``;
exponents read off by :func:`grsd_sym.derive.scaling._as_power_law`; Convention A through the
translator's computed map (GRSD-S8c).  [derived] from docs/theory/scaling.md.
"""

import sympy as sp

from grsd_sym import theorem
from grsd_sym.certificate import Derivation
from grsd_sym.derive import scaling
from grsd_sym.literature import CONVENTIONS, _symbolic_map
from grsd_sym.symbols import A, N, d, kappa, lam, t

#: nothing to import: the theorem is registered by @theorem (grsd_sym.registry)
__all__: list[str] = []

#: Convention A's (a, b): b is the *mode-counting* exponent lambda_k = k^-b (positive), not the
#: velocity exponent grsd_sym.symbols.b; the translator declares it once, with that meaning.
a_, bm = CONVENTIONS["bordelon2024"].params


@theorem(
    "GRSD-S8a",
    "Size floor and L(t, N) of a truncated spectrum (exact incomplete-gamma form)",
    provenance="derived",
    sources=[
        "docs/theory/scaling.md: finite N truncates the spectrum below lambda_min ~ N^-b",
        "arXiv 2402.01092 (Bordelon et al. 2024): floor N^-(a-1) in Convention A",
    ],
)
def _prove(dv: Derivation) -> None:
    lmin = sp.Symbol("lambda_min", positive=True)
    mu = sp.Symbol("mu", positive=True)  # a scale factor
    dv.assume(
        "g0(lambda) = A lambda^(kappa-1) with kappa > 0, A > 0, d > 0; no transport (v = 0)",
        sp.And(sp.Gt(kappa, 0), sp.Gt(A, 0), sp.Gt(d, 0)),
    )
    dv.assume("the model resolves lambda >= lambda_min; modes below are never learned")

    integrand = A * lam ** (kappa - 1) * sp.exp(-d * lam * t)
    lazy = scaling.lazy_loss(kappa, A, d, t)
    dv.claim(
        sp.Integral(integrand, (lam, 0, sp.oo)),
        lazy,
        "the untruncated loss is the lazy loss A Gamma(kappa) (d t)^-kappa (GRSD-T13)",
    )

    loss = scaling.truncated_loss(kappa, A, d, t, lmin)
    floor = scaling.size_floor(kappa, A, lmin)
    learned = loss - floor
    dv.define(sp.Symbol("L(t; lambda_min)"), loss, "candidate: upper incomplete gamma plus floor")
    ftc = dv.claim(
        sp.Derivative(learned, lmin),
        -integrand.subs(lam, lmin),
        "FTC: d/d lambda_min of the learned part is minus the integrand at lambda_min",
    )
    at0 = dv.claim(
        sp.Subs(learned, lmin, 0),
        lazy,
        "at lambda_min = 0 the learned part is the full integral (Gamma(kappa, 0) = Gamma(kappa)); "
        "with the FTC step this is int_{lambda_min}^oo of the integrand",
    )
    fl = dv.claim(
        sp.Integral(A * lam ** (kappa - 1), (lam, 0, lmin)),
        floor,
        "unresolved energy int_0^lambda_min g0 = A lambda_min^kappa/kappa",
    )
    dv.claim(sp.Subs(loss, lmin, 0), lazy, "lambda_min -> 0 (infinitely many modes): the lazy loss")

    # finite N modes: lambda_min = N^-b
    floor_N = floor.subs(lmin, N ** (-bm))
    G2, e2 = scaling._as_power_law(floor_N, N)
    dv.claim(
        sp.Subs(floor, lmin, N ** (-bm)),
        G2 * N**e2,
        "the floor as a power law in N (prefactor and exponent read off by code)",
    )
    dv.claim(-N * sp.Derivative(sp.log(floor_N), N), bm * kappa, "size exponent y = -d log(floor)/d log N = b kappa")

    # Convention A through the translator's computed map
    cmap = _symbolic_map("bordelon2024")
    dv.claim(
        sp.Subs(-e2, kappa, cmap.kappa), a_ - 1, "Convention A: y = b (a-1)/b = a - 1 (kappa from the computed map)"
    )
    dv.claim(
        sp.Subs(G2, (A, kappa), (cmap.A, cmap.kappa)),
        1 / (a_ - 1),
        "Convention A: floor N^-(a-1)/(a-1) (the tail sum int_N^oo k^-a dk), a > 1",
    )

    # exact L(t, N) and its scale covariance
    L_tN = scaling.loss_t_N(kappa, A, d, bm, t, N, exact=True)
    cov = dv.claim(
        sp.Subs(L_tN, (t, N), (mu**bm * t, mu * N)),
        mu ** (-bm * kappa) * L_tN,
        "scale covariance L(mu^b t, mu N) = mu^(-b kappa) L(t, N) of the exact form",
    )

    A1, x, A2, y = scaling.power_law_terms(kappa, A, d, bm)
    two_term = scaling.loss_t_N(kappa, A, d, bm, t, N, exact=False)
    dv.claim(A1 * t ** (-x), lazy, "two-term form, time part: A1 t^-x is the lazy loss")
    dv.claim(A2 * N ** (-y), sp.Subs(floor, lmin, N ** (-bm)), "two-term form, size part: A2 N^-y is the floor")
    dv.claim(
        sp.Subs(two_term, (t, N), (mu**bm * t, mu * N)),
        mu ** (-bm * kappa) * two_term,
        "the two-term form has the same scale covariance",
    )

    # L(t; lambda_min) = int_{lambda_min}^oo integrand + floor: the FTC step, its value at 0, the floor
    dv.conclude(sp.And(ftc.statement, at0.statement, fl.statement, cov.statement))
