r"""GRSD-T6: the flux form of the shell transfer, for any number of shells.

For any antisymmetric shell-transfer matrix :math:`T_{\beta\gamma}` on shells :math:`1..K`,

.. math::

   T_\alpha = \sum_{\beta} T_{\alpha\beta} = F_{\alpha-1/2} - F_{\alpha+1/2}, \qquad
   F_{\alpha+1/2} = \sum_{\beta>\alpha,\ \gamma\le\alpha} T_{\beta\gamma}, \qquad
   F_{1/2} = F_{K+1/2} = 0, \qquad \sum_\alpha T_\alpha = 0,

so the only global change of energy is dissipation: :math:`\dot L = -\sum_\alpha D_\alpha = -e^T M e`.

Provenance [derived] (docs/theory/shells.md).  Proven for *symbolic* ``K`` and ``alpha``: the sums over
symbolic ranges are computed by telescoping an antisymmetric discrete primitive of ``T``
(:mod:`grsd_sym.theory.lattice`), witnessed by direct sums over random explicit ``K``; plus the
explicit case ``K = 5`` and the loss identity in the matrix algebra.
"""

import random

import mpmath
import sympy as sp

from grsd_sym import theory as T
from grsd_sym import theorem
from grsd_sym.theory import lattice as Lat
from grsd_sym.theory import shells as Sh
from grsd_sym.theory import witnesses as Wt

K = sp.Symbol("K", integer=True, positive=True)
al = sp.Symbol("alpha", integer=True, positive=True)
be, ga = sp.symbols("beta gamma", integer=True)


def _random_T(rng, K_):
    Tm = [[sp.Integer(0)] * (K_ + 1) for _ in range(K_ + 1)]  # 1-based
    for i in range(1, K_ + 1):
        for j in range(i + 1, K_ + 1):
            Tm[i][j] = sp.Rational(rng.randint(-99, 99), rng.randint(1, 9))
            Tm[j][i] = -Tm[i][j]
    return Tm


def _flux(Tm, K_, a_):
    return sum((Tm[b][g] for b in range(a_ + 1, K_ + 1) for g in range(1, a_ + 1)), sp.Integer(0))


def _direct_witness(kind):
    """Independent route: the definitions summed directly for random K = 1..12, every alpha."""
    def witness(rng: random.Random) -> float:
        for _ in range(12):
            K_ = rng.randint(1, 12)
            Tm = _random_T(rng, K_)
            if kind == "divergence":
                for a_ in range(1, K_ + 1):
                    Ta = sum(Tm[a_][b] for b in range(1, K_ + 1))
                    if Ta - (_flux(Tm, K_, a_ - 1) - _flux(Tm, K_, a_)) != 0:
                        return -float("inf")
            elif kind == "boundary":
                if _flux(Tm, K_, 0) != 0 or _flux(Tm, K_, K_) != 0:
                    return -float("inf")
            elif kind == "total":
                if sum(Tm[a_][b] for a_ in range(1, K_ + 1) for b in range(1, K_ + 1)) != 0:
                    return -float("inf")
        return float("inf")
    witness.__name__ = f"direct exact sums of the definitions, random antisymmetric T, K = 1..12 ({kind})"
    return witness


@theorem("GRSD-T6", "Flux form of the shell transfer (any number of shells)", provenance="derived",
         sources=["docs/theory/shells.md (derived)"])
def prove(d):
    d.assume("K shells (K a positive integer symbol), 1 <= alpha <= K; T antisymmetric. Every lattice "
             "function has a discrete primitive; an antisymmetric one has an antisymmetric primitive "
             "G(x, y) = W(x, y) - W(y, x) (W = the summed-area table of T/2 from the origin)")
    G = Lat.antisymmetric_primitive("W")
    Tf = lambda x, y: Lat.lattice_difference(G, x, y)  # noqa: E731
    d.zero(Tf(be, ga) + Tf(ga, be), "T_beta,gamma = Delta Delta G is antisymmetric")
    T_alpha = Lat.rectangle_sum(G, (be, al, al), (ga, 1, K))
    d.define(sp.Symbol("T_alpha"), T_alpha, "T_alpha = sum_{gamma=1}^{K} T_alpha,gamma (telescoped)")
    F = lambda a_: Lat.rectangle_sum(G, (be, a_ + 1, K), (ga, 1, a_))  # noqa: E731
    d.define(sp.Symbol("F_{alpha+1/2}"), F(al),
             "F_{alpha+1/2} = sum_{beta=alpha+1}^{K} sum_{gamma=1}^{alpha} T_beta,gamma (telescoped)")
    d.claim(T_alpha, F(al - 1) - F(al), "T_alpha = F_{alpha-1/2} - F_{alpha+1/2} for symbolic K and alpha",
            witness=_direct_witness("divergence"))
    d.zero(sp.Matrix([F(sp.Integer(0)), F(K)]), "no flux through the outer boundaries: F_{1/2} = F_{K+1/2} = 0",
           witness=_direct_witness("boundary"))
    total = Lat.telescoping_sum(lambda a_: -F(a_ - 1), al, 1, K)
    d.zero(total, "sum_alpha T_alpha = sum_alpha (F_{alpha-1/2} - F_{alpha+1/2}) telescopes to F_{1/2} - F_{K+1/2} = 0",
           witness=_direct_witness("total"))
    d.zero(Lat.rectangle_sum(G, (be, 1, K), (ga, 1, K)), "directly: sum_{alpha,beta} T_alpha,beta = 0",
           witness=_direct_witness("total"))

    # explicit K = 5 with the shell-module functions
    K5 = 5
    Tm = sp.Matrix(K5, K5, lambda i, j: sp.sign(j - i) * sp.Symbol(f"T_{min(i, j)}{max(i, j)}"))
    nets = Sh.net_transfers_from_matrix(Tm)
    d.claim(sp.Matrix(nets), sp.Matrix([Sh.boundary_flux(Tm, a_ - 1) - Sh.boundary_flux(Tm, a_) for a_ in range(K5)]),
            "K = 5 explicitly: T_alpha = F_{alpha-1/2} - F_{alpha+1/2}")
    d.zero(sum(nets), "K = 5: sum_alpha T_alpha = 0")

    # the loss: L' = e^T e' = -e^T M e = -sum_k lambda_k a_k^2 = -sum_alpha D_alpha
    U, Ut, L_, M, e, et, ed, edt, a, at = sp.symbols("U U^T Lambda M e e^T edot edot^T a a^T", commutative=False)
    Ldot_raw = T.leibniz(sp.Rational(1, 2) * et * e, {et: edt, e: ed})
    Ldot = T.rewrite(Ldot_raw, [((ed,), -M * e), ((edt,), -et * M)])
    D_total = at * L_ * a  # sum_alpha D_alpha + 0 (null shell) = sum_k lambda_k a_k^2
    D_e = T.rewrite(D_total, [((at,), et * U), ((a,), Ut * e), ((U, L_, Ut), M)])

    def values(p, rng):
        n = p.U.rows
        ev = mpmath.matrix([Wt._rat(rng) for _ in range(n)])
        av = p.U.T * ev
        return {U: p.U, Ut: p.U.T, L_: p.Lam, M: p.M, e: ev, et: ev.T, ed: -p.M * ev, edt: -(ev.T * p.M),
                a: av, at: av.T}
    d.claim(Ldot, -et * M * e, "L' = e^T e' = -e^T M e under e' = -M e",
            witness=Wt.nc_path_witness(Ldot_raw + et * M * e, values))
    d.claim(D_e, et * M * e, "sum_alpha D_alpha = sum_k lambda_k a_k^2 = a^T Lambda a = e^T U Lambda U^T e = e^T M e "
            "(null-shell modes have lambda = 0 and add nothing)",
            witness=Wt.nc_path_witness(D_total - et * M * e, values))
    d.conclude(sp.And(sp.Eq(sp.Symbol("T_alpha"), sp.Symbol("F_{alpha-1/2}") - sp.Symbol("F_{alpha+1/2}")),
                      sp.Eq(sp.Sum(sp.Indexed("T", al), (al, 1, K)), 0),
                      sp.Eq(sp.Symbol("L'"), -et * M * e)))
