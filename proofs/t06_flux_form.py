r"""GRSD-T6: the flux form of the shell transfer, for any number of shells.

For any antisymmetric shell-transfer matrix :math:`T_{\beta\delta}` on shells :math:`1..K`,

.. math::

   T_\alpha = \sum_{\beta} T_{\alpha\beta} = F_{\alpha-1/2} - F_{\alpha+1/2}, \qquad
   F_{\alpha+1/2} = \sum_{\beta>\alpha,\ \delta\le\alpha} T_{\beta\delta}, \qquad
   F_{1/2} = F_{K+1/2} = 0, \qquad \sum_\alpha T_\alpha = 0,

so the only global change of energy is dissipation: :math:`\dot L = -\sum_\alpha D_\alpha = -e^T M e`.

Provenance [derived] (docs/theory/shells.md).  Proven for *symbolic* ``K`` and ``alpha``: the sums over
symbolic ranges are computed by telescoping an antisymmetric discrete primitive of ``T``
(:mod:`grsd_sym.theory.lattice`), witnessed by direct sums over random explicit ``K``; plus the
explicit case ``K = 5`` and the loss identity in the matrix algebra.
"""

import random

import sympy as sp

from grsd_sym import theorem
from grsd_sym import theory as T
from grsd_sym.certificate import Derivation
from grsd_sym.theory import lattice as Lat
from grsd_sym.theory import shells as Sh
from grsd_sym.theory.ncalgebra import substitute_shown

#: nothing to import: the theorem is registered by @theorem (grsd_sym.registry)
__all__: list[str] = []

K = sp.Symbol("K", integer=True, positive=True)
al = sp.Symbol("alpha", integer=True, positive=True)
be, de = sp.symbols("beta delta", integer=True)  # shell indices (gamma is canonical)


def _random_T(rng, K_):
    Tm = [[sp.Integer(0)] * (K_ + 1) for _ in range(K_ + 1)]  # 1-based
    for i in range(1, K_ + 1):
        for j in range(i + 1, K_ + 1):
            Tm[i][j] = sp.Rational(rng.randint(-99, 99), rng.randint(1, 9))
            Tm[j][i] = -Tm[i][j]
    return Tm


def _flux(Tm, K_, a_):
    return sum((Tm[b][g] for b in range(a_ + 1, K_ + 1) for g in range(1, a_ + 1)), sp.Integer(0))


def _direct_sums(rng: random.Random) -> int:
    """Independent route: the definitions summed directly for random K = 1..12, every alpha.

    Returns the number of failures of the divergence form, the boundary fluxes and the total
    (0 expected).
    """
    bad = 0
    for _ in range(12):
        K_ = rng.randint(1, 12)
        Tm = _random_T(rng, K_)
        for a_ in range(1, K_ + 1):
            Ta = sum(Tm[a_][b] for b in range(1, K_ + 1))
            bad += Ta - (_flux(Tm, K_, a_ - 1) - _flux(Tm, K_, a_)) != 0
        bad += _flux(Tm, K_, 0) != 0 or _flux(Tm, K_, K_) != 0
        bad += sum(Tm[a_][b] for a_ in range(1, K_ + 1) for b in range(1, K_ + 1)) != 0
    return bad


def _minus(x):
    return sp.Mul(-1, x, evaluate=False)


@theorem(
    "GRSD-T6",
    "Flux form of the shell transfer (any number of shells)",
    provenance="derived",
    sources=["docs/theory/shells.md (derived)"],
)
def _prove(d: Derivation) -> None:
    d.assume(
        "K shells (K a positive integer symbol), 1 <= alpha <= K; T antisymmetric. Every lattice "
        "function has a discrete primitive; an antisymmetric one has an antisymmetric primitive "
        "G(x, y) = W(x, y) - W(y, x) (W = the summed-area table of T/2 from the origin)"
    )
    d.assume(
        "Karr's rectangle rule: sum_{x=a}^{b} sum_{y=c}^{e} Delta Delta G = G(b+1, e+1) - G(a, e+1) "
        "- G(b+1, c) + G(a, c) (computed by SymPy's telescoping summation in "
        "grsd_sym.theory.lattice.rectangle_sum)"
    )
    G = Lat.antisymmetric_primitive_shown("W")

    def Tf(x, y):
        return Lat.lattice_difference(G, x, y)

    d.claim(Tf(be, de), _minus(Tf(de, be)), "T_beta,delta = Delta Delta G is antisymmetric")
    T_alpha = Lat.karr_formula(G, (be, al, al), (de, 1, K))
    d.define(sp.Symbol("T_alpha"), T_alpha, "T_alpha = sum_{delta=1}^{K} T_alpha,delta (rectangle rule)")

    def F(a_):
        return Lat.karr_formula(G, (be, a_ + 1, K), (de, 1, a_))

    d.define(
        sp.Symbol("F_{alpha+1/2}"),
        F(al),
        "F_{alpha+1/2} = sum_{beta=alpha+1}^{K} sum_{delta=1}^{alpha} T_beta,delta (rectangle rule)",
    )
    div = d.claim(
        T_alpha,
        sp.Add(F(al - 1), _minus(F(al)), evaluate=False),
        "T_alpha = F_{alpha-1/2} - F_{alpha+1/2} for symbolic K and alpha",
    )
    bnd = d.claim(
        sp.Matrix([F(sp.Integer(0)), F(K)]),
        sp.zeros(2, 1),
        "no flux through the outer boundaries: F_{1/2} = F_{K+1/2} = 0",
    )
    tot = d.claim(
        Lat.karr_formula(G, (be, 1, K), (de, 1, K)),
        0,
        "sum_alpha T_alpha = sum_{alpha,beta} T_alpha,beta = 0 (rectangle rule over all shells; "
        "equivalently the fluxes telescope to F_{1/2} - F_{K+1/2} = 0)",
    )
    bad = _direct_sums(random.Random(20261206))
    d.evidence(
        "the definitions summed directly for 12 random K in 1..12 with random antisymmetric rational T: "
        "divergence form, zero boundary fluxes and zero total hold exactly",
        passed=bad == 0,
        data={"failures": bad},
        method="exact rational arithmetic",
    )

    # explicit K = 5 with the shell-module functions
    K5 = 5
    Tm = sp.Matrix(K5, K5, lambda i, j: sp.sign(j - i) * sp.Symbol(f"T_{min(i, j)}{max(i, j)}"))
    nets = Sh.net_transfers_from_matrix(Tm, evaluate=False)
    d.claim(
        sp.Matrix(nets),
        sp.Matrix(
            [
                sp.Add(
                    Sh.boundary_flux(Tm, a_ - 1, evaluate=False),
                    _minus(Sh.boundary_flux(Tm, a_, evaluate=False)),
                    evaluate=False,
                )
                for a_ in range(K5)
            ]
        ),
        "K = 5 explicitly: T_alpha = F_{alpha-1/2} - F_{alpha+1/2}",
    )
    d.claim(sp.Add(*nets, evaluate=False), 0, "K = 5: sum_alpha T_alpha = 0")

    # the loss: L' = e^T e' = -e^T M e = -sum_k lambda_k a_k^2 = -sum_alpha D_alpha
    # avec: the vector a (the name a is canonical)
    U, Ut, L_, M, e, et, ed, edt, a, at = sp.symbols("U U^T Lambda M e e^T edot edot^T avec avec^T", commutative=False)
    Ldot_raw = T.leibniz(sp.Rational(1, 2) * et * e, {et: edt, e: ed})
    ldot = d.claim(
        substitute_shown(Ldot_raw, {ed: -M * e, edt: -et * M}),
        -et * M * e,
        "L' = (e^T e/2)' = (e'^T e + e^T e')/2 = -e^T M e under e' = -M e (M symmetric)",
    )
    d.assume(
        "spectral decomposition M = U Lambda U^T; a = U^T e (so a^T = e^T U); the null-shell modes have "
        "lambda = 0 and add nothing to sum_alpha D_alpha = sum_k lambda_k a_k^2 = a^T Lambda a"
    )
    dis = d.claim(
        substitute_shown(at * L_ * a, {at: et * U, a: Ut * e}),
        et * (U * L_ * Ut) * e,
        "sum_alpha D_alpha = a^T Lambda a = e^T U Lambda U^T e = e^T M e",
    )
    d.conclude(sp.And(div.statement, bnd.statement, tot.statement, ldot.statement, dis.statement))
