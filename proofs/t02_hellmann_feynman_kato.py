r"""GRSD-T2: Hellmann-Feynman and Kato/Hadamard formulas for the instantaneous eigenbasis.

For :math:`M(t) u_k = \lambda_k u_k` (orthonormal, simple spectrum)

.. math::

   \dot\lambda_k = u_k^T \dot M u_k, \qquad
   u_j^T \dot u_k = \frac{u_j^T \dot M u_k}{\lambda_k - \lambda_j}\ (j\ne k), \qquad
   u_k^T \dot u_k = 0 .

Provenance [derived] (docs/theory/microscopic.md).  Derived three ways, each computed, then checked:

1. ``n = 2`` fully symbolically: :math:`U = R(\varphi(t))`, eigenvalue paths :math:`\lambda_k(t)`
   (undefined functions); :math:`M = U\Lambda U^T` is formed and differentiated.
2. ``n = 3`` fully symbolically: :math:`U = (I-W)^{-1}(I+W)` (Cayley) of a general
   antisymmetric generator path :math:`W = [w(t)]_\times`; exact rational-function arithmetic in
   jet coordinates (:mod:`grsd_sym.theory.jets`), witnessed by an independent numeric route.
3. any ``n``, index level: differentiate :math:`MU = U\Lambda` and :math:`U^TU = I` in the
   matrix algebra, read off the entry :math:`(j,k)` with symbolic indices and solve it.
"""

import random

import mpmath
import sympy as sp

from grsd_sym import theory as T
from grsd_sym import theorem
from grsd_sym.symbols import t
from grsd_sym.theory import witnesses as Wt


_jet_witness = Wt.jet_witness


def _path_witness(check):
    """Witness: ``check(path, rng) -> (residual, scale)`` on random spectral paths, n = 2..6."""
    def witness(rng: random.Random) -> float:
        worst = float("inf")
        for n in (2, 3, 4, 6):
            p = Wt.spectral_path(n, rng)
            with mpmath.workdps(50):
                r, sc = check(p, rng)
                worst = min(worst, Wt.agreement_digits(r, sc))
        return worst
    witness.__name__ = "random orthogonal spectral paths n = 2, 3, 4, 6 (mpmath, 50 digits)"
    return witness


def _n2(d):
    phi = sp.Function("phi")(t)
    lams = [sp.Function("lambda_1")(t), sp.Function("lambda_2")(t)]
    U = T.rotation_2d(phi)
    M = d.define(sp.Symbol("M_2(t)"), T.spectral_operator(U, lams), "n = 2: M = U Lambda U^T, U = R(phi(t))")
    M_dot = M.diff(t)
    U_dot = U.diff(t)
    Om = T.overlap_rates(U, U_dot)
    d.assume("n = 2: the first-order identities are checked in jet coordinates (phi, phi', lambda_k, "
             "lambda_k'), which take arbitrary values at any instant")
    J = lambda e: T.to_jets(e, [phi, *lams], t)  # noqa: E731
    dom = {sp.Symbol("lambda_1", real=True): (sp.Rational(1, 10), 1),
           sp.Symbol("lambda_2", real=True): (sp.Rational(3, 2), 3)}
    hf = sp.Matrix([T.eigenvalue_rate(M_dot, U, kk) for kk in range(2)])
    d.claim(J(hf), J(sp.Matrix([lam.diff(t) for lam in lams])),
            "n = 2 Hellmann-Feynman: u_k^T M' u_k = lambda_k' (computed from M = U Lambda U^T)", domains=dom)
    d.zero(J(sp.Matrix([Om[0, 0], Om[1, 1]])), "n = 2 gauge: u_k^T u_k' = 0", domains=dom)
    kato = sp.Matrix([T.kato_coefficient(M_dot, U, lams, jj, kk) for jj, kk in ((0, 1), (1, 0))])
    d.claim(J(kato), J(sp.Matrix([Om[0, 1], Om[1, 0]])),
            "n = 2 Kato: (u_j^T M' u_k)/(lambda_k - lambda_j) = u_j^T u_k' (j != k)", domains=dom)


def _n3(d):
    d.assume("n = 3: U = (I - W)^{-1}(I + W) with W = [w(t)]_x a general antisymmetric generator path; "
             "first-order identities are checked in jet coordinates (w, w', lambda, lambda'), "
             "which take arbitrary values at any instant")
    P = T.cayley_spectral_path_3()
    jr, U, M = P["jets"], P["U"], P["M"]
    orth = U.T @ U
    d.claim(orth.to_matrix(), sp.eye(3), "n = 3: U^T U = I (Cayley transform is orthogonal)",
            witness=_jet_witness([orth.entry_expr(i, j) for i in range(3) for j in range(3)],
                                 lambda inst: [(inst.path.U.T * inst.path.U)[i, j]
                                               for i in range(3) for j in range(3)]))
    M_dot, U_dot = M.diff(), U.diff()
    B = U.T @ M_dot @ U
    Om = U.T @ U_dot
    lam = [jr.to_expr(jr.value(f"l{i}")) for i in (1, 2, 3)]
    lam_dot = [jr.to_expr(jr.rate(f"l{i}")) for i in (1, 2, 3)]
    Bm, Omm = B.to_matrix(), Om.to_matrix()
    d.claim(sp.Matrix([Bm[i, i] for i in range(3)]), sp.Matrix(lam_dot),
            "n = 3 Hellmann-Feynman: u_k^T M' u_k = lambda_k' (computed from M = U Lambda U^T)",
            witness=_jet_witness([Bm[i, i] for i in range(3)],
                                 lambda inst: [(inst.path.U[:, i].T * inst.path.M_dot * inst.path.U[:, i])[0]
                                               for i in range(3)]))
    pairs = [(j, k) for j in range(3) for k in range(3) if j != k]
    kato = [sp.cancel(Bm[j, k] / (lam[k] - lam[j])) for j, k in pairs]
    d.claim(sp.Matrix(kato), sp.Matrix([Omm[j, k] for j, k in pairs]),
            "n = 3 Kato: (u_j^T M' u_k)/(lambda_k - lambda_j) = u_j^T u_k' for all j != k",
            witness=_jet_witness(kato, lambda inst: [(inst.path.U[:, j].T * inst.path.U_dot[:, k])[0]
                                                     for j, k in pairs]))
    d.zero(Omm + Omm.T, "n = 3: Omega = U^T U' is antisymmetric, so u_k^T u_k' = 0",
           witness=_jet_witness([(Omm + Omm.T)[i, j] for i in range(3) for j in range(3)],
                                lambda inst: [(inst.path.U.T * inst.path.U_dot + inst.path.U_dot.T * inst.path.U)[i, j]
                                              for i in range(3) for j in range(3)]))


def _any_n(d):
    r = T.index_level_kato()
    nc = r["nc"]
    U, Ut, Ud, Udt, M, Md, L, Ld, B, Om, OmT = (nc[x] for x in
                                                 ("U", "Ut", "Ud", "Udt", "M", "Md", "L", "Ld", "B", "Om", "OmT"))
    d.assume("any n: M U = U Lambda, U^T U = U U^T = I, M^T = M (so U^T M = Lambda U^T); "
             "matrices are non-commutative symbols, ' is a derivation (Leibniz rule)")

    def vals(p):
        return {U: p.U, Ut: p.U.T, Ud: p.U_dot, Udt: p.U_dot.T, M: p.M, Md: p.M_dot, L: p.Lam,
                Ld: p.Lam_dot, B: p.U.T * p.M_dot * p.U, Om: p.U.T * p.U_dot, OmT: p.U_dot.T * p.U}

    def nc_check(expr):
        def chk(p, rng):
            v = vals(p)
            n = p.U.rows
            return T.evaluate(expr, v, n), Wt.max_abs(p.M_dot) + Wt.max_abs(p.M) + 1
        return _path_witness(chk)

    d.claim(r["DE"], Md * U + M * Ud - Ud * L - U * Ld, "(M U - U Lambda)' by the Leibniz rule",
            witness=nc_check(r["DE"] - (Md * U + M * Ud - Ud * L - U * Ld)))
    target = B + L * Om - Om * L - Ld
    d.claim(r["X"], target,
            "U^T (M U - U Lambda)' with U^T M = Lambda U^T, U^T U = I; B = U^T M' U, Omega = U^T U'",
            witness=nc_check(r["X_raw"] - target))
    d.claim(r["gauge"], Om + OmT, "(U^T U)' = 0 gives Omega^T + Omega = 0: Omega is antisymmetric",
            witness=nc_check(r["gauge_raw"]))

    j, k, n = r["indices"]
    bb = r["bases"]
    Bb, Omb, lam, lamd = bb["B"], bb["Omega"], bb["lambda"], bb["lambdadot"]
    want = Bb[j, k] + lam[j] * Omb[j, k] - Omb[j, k] * lam[k] - sp.KroneckerDelta(j, k) * lamd[k]

    diag_only = lambda jj, kk: jj != kk  # noqa: E731
    off_only = lambda jj, kk: jj == kk  # noqa: E731
    d.claim(r["entry"], want, "entry (j, k) with symbolic indices: (Lambda Omega)_jk = lambda_j Omega_jk, "
            "(Omega Lambda)_jk = Omega_jk lambda_k, Lambda'_jk = delta_jk lambda_k'",
            witness=Wt.index_entry_witness(r["entry"], j, k))
    d.claim(r["omega_jk"], Bb[j, k] / (lam[k] - lam[j]),
            "solved for j != k: u_j^T u_k' = Omega_jk = B_jk/(lambda_k - lambda_j) (Kato)",
            witness=Wt.index_entry_witness(Omb[j, k] - r["omega_jk"], j, k, skip=off_only))
    back = r["offdiagonal"].subs(Omb[j, k], r["omega_jk"])
    d.solution(sp.Eq(Omb[j, k], r["omega_jk"]), back, "substituted back into the j != k entry equation",
               witness=Wt.index_entry_witness(back, j, k, skip=off_only))
    d.claim(r["lambdadot_j"], Bb[j, j], "solved for j = k: lambda_k' = B_kk = u_k^T M' u_k (Hellmann-Feynman)",
            witness=Wt.index_entry_witness(lamd[j] - r["lambdadot_j"], j, k, skip=diag_only))
    back2 = r["diagonal"].subs(lamd[j], r["lambdadot_j"])
    d.solution(sp.Eq(lamd[j], r["lambdadot_j"]), back2, "substituted back into the j = k entry equation",
               witness=Wt.index_entry_witness(back2, j, k, skip=diag_only))
    d.claim(sp.Matrix(r["gauge_jj"]), sp.Matrix([0]), "antisymmetry at j = k: Omega_kk = u_k^T u_k' = 0 (gauge)",
            witness=Wt.index_entry_witness(Omb[j, j], j, k, skip=diag_only))
    return r


@theorem("GRSD-T2", "Hellmann-Feynman and Kato/Hadamard coefficients", provenance="derived",
         sources=["docs/theory/microscopic.md (derived from the paper's exact modewise ODEs in the eigenbasis)"])
def prove(d):
    _n2(d)
    _n3(d)
    r = _any_n(d)
    j, k, _ = r["indices"]
    bb = r["bases"]
    d.conclude(sp.And(
        sp.Eq(bb["lambdadot"][k], sp.Symbol("u_k^T M' u_k")),
        sp.Eq(bb["Omega"][j, k], sp.Symbol("u_j^T M' u_k") / (bb["lambda"][k] - bb["lambda"][j])),
        sp.Eq(bb["Omega"][k, k], 0)))
