r"""GRSD-T3: the Kato mode equations, with an antisymmetric coupling.

The amplitudes :math:`a_k = u_k^T e` of :math:`\dot e = -M e` obey

.. math::

   \dot a_k = -\lambda_k a_k + \sum_{j\ne k} A_{kj} a_j, \qquad
   A_{kj} = \dot u_k^T u_j = \frac{u_j^T \dot M u_k}{\lambda_k - \lambda_j}, \qquad A_{jk} = -A_{kj}.

Lazy/NTK training is :math:`\dot M = 0`: then :math:`A = 0` and every mode decays
independently, :math:`a_k(t) = a_k(0) e^{-\lambda_k t}`.

Provenance [derived] (docs/theory/microscopic.md).  Derived (i) fully symbolically for ``n = 2``
(rotation angle :math:`\varphi(t)`) and ``n = 3`` (Cayley transform of a general antisymmetric
generator path, exact jet arithmetic), (ii) for any ``n`` in the matrix algebra
(:math:`a = U^T e`, Leibniz rule, :math:`U^T M = \Lambda U^T`, :math:`U U^T = I`), with the Kato
coefficients from GRSD-T2's index-level solution.
"""


import mpmath
import sympy as sp

from grsd_sym import theory as T
from grsd_sym import theorem
from grsd_sym.symbols import t
from grsd_sym.theory import witnesses as Wt


def _n2(d):
    phi = sp.Function("phi")(t)
    lams = [sp.Function("lambda_1")(t), sp.Function("lambda_2")(t)]
    es = [sp.Function("e_1")(t), sp.Function("e_2")(t)]
    U = T.rotation_2d(phi)
    M = T.spectral_operator(U, lams)
    e = sp.Matrix(es)
    flow = T.gradient_flow_rhs(M, e)
    d.assume("n = 2: e(t) solves e' = -M e; jet coordinates (phi, phi', lambda_k, lambda_k', e_i) at an instant")
    a = T.mode_amplitudes(U, e)
    a_dot = a.diff(t).subs({es[i].diff(t): flow[i] for i in range(2)})
    A = T.kato_matrix(M.diff(t), U, lams)
    J = lambda x: T.to_jets(x, [phi, *lams, *es], t)  # noqa: E731
    dom = {sp.Symbol("lambda_1", real=True): (sp.Rational(1, 10), 1),
           sp.Symbol("lambda_2", real=True): (sp.Rational(3, 2), 3)}
    sph, cph = sp.sin(sp.Symbol("phi", real=True)), sp.cos(sp.Symbol("phi", real=True))

    def reduce_trig(x):  # sin^2 = 1 - cos^2, then cancel: a textbook rewrite, checked below
        x = sp.expand(x)
        x = x.replace(lambda z: z.is_Pow and z.base == sph and z.exp.is_even and z.exp > 0,
                      lambda z: (1 - cph ** 2) ** (z.exp // 2))
        return sp.cancel(sp.expand(x))
    A_raw = J(A)
    Aj = A_raw.applyfunc(reduce_trig)
    d.claim(Aj, A_raw, "n = 2: Kato coupling A (computed), reduced with sin^2 = 1 - cos^2", domains=dom)
    d.zero(Aj + Aj.T, "n = 2: the Kato coupling A_kj = (u_j^T M' u_k)/(lambda_k - lambda_j) is antisymmetric",
           domains=dom)
    d.claim(J(a_dot), J(-sp.diag(*lams) * a) + Aj * J(a),
            "n = 2 mode equations: (U^T e)' with e' = -M e equals -Lambda a + A a", domains=dom)
    Ud = U.diff(t)
    d.claim(Aj, J(sp.Matrix(2, 2, lambda kk, jj: (Ud[:, kk].T * U[:, jj])[0])),
            "n = 2: A_kj = u_k'^T u_j", domains=dom)


_jet_witness = Wt.jet_witness


def _n3(d):
    P = T.cayley_spectral_path_3()
    jr, U, M, e = P["jets"], P["U"], P["M"], P["e"]
    d.assume("n = 3: U = (I - W)^{-1}(I + W), W = [w(t)]_x general; e(t) solves e' = -M e; jet coordinates")
    B = U.T @ M.diff() @ U
    lam = [jr.to_expr(jr.value(f"l{i}")) for i in (1, 2, 3)]
    Bm = B.to_matrix()
    A = sp.Matrix(3, 3, lambda kk, jj: 0 if kk == jj else sp.cancel(Bm[jj, kk] / (lam[kk] - lam[jj])))
    # a = U^T e; a' = U'^T e + U^T e' with e' = -M e
    a = U.T @ e
    a_dot = (U.diff().T @ e) + (U.T @ (-(M @ e)))
    a_m, ad_m = a.to_matrix(), a_dot.to_matrix()
    rhs = (-sp.diag(*lam) * a_m + A * a_m).applyfunc(sp.cancel)

    def numeric_rhs(inst):
        p = inst.path
        ad = p.U_dot.T * inst.e - p.U.T * p.M * inst.e
        return [ad[i] for i in range(3)]
    d.claim(ad_m, rhs, "n = 3 mode equations: (U^T e)' with e' = -M e equals -Lambda a + A a, "
            "A_kj = (u_j^T M' u_k)/(lambda_k - lambda_j)",
            witness=_jet_witness(list(rhs), numeric_rhs))
    def numeric_antisym(inst):
        p = inst.path
        Bn = p.U.T * p.M_dot * p.U
        An = mpmath.matrix(3, 3)
        for kk in range(3):
            for jj in range(3):
                if kk != jj:
                    An[kk, jj] = Bn[jj, kk] / (p.lam[kk] - p.lam[jj])
        S = An + An.T
        return [S[i, j] for i in range(3) for j in range(3)]
    d.zero(A + A.T, "n = 3: A is antisymmetric",
           witness=_jet_witness(list(A + A.T), numeric_antisym))


def _any_n(d):
    r = T.index_level_kato()
    nc = r["nc"]
    U, Ut, Ud, Udt, M, L, Om, OmT = (nc[x] for x in ("U", "Ut", "Ud", "Udt", "M", "L", "Om", "OmT"))
    e, ed, a = sp.symbols("e edot a", commutative=False)
    d.assume("any n: a = U^T e, e' = -M e, U U^T = U^T U = I, U^T M = Lambda U^T (non-commutative symbols)")
    a_dot_raw = T.leibniz(Ut * e, {Ut: Udt, e: ed})
    rules = [((ed,), -M * e), ((e,), U * a), ((Ut, M), L * Ut), ((Ut, U), sp.Integer(1)), ((Udt, U), OmT)]
    a_dot = T.rewrite(a_dot_raw, rules)

    def mode_vals(p, rng):
        n = p.U.rows
        av = mpmath.matrix([Wt._rat(rng) for _ in range(n)])
        ev = p.U * av
        return {U: p.U, Ut: p.U.T, Udt: p.U_dot.T, Ud: p.U_dot, M: p.M, L: p.Lam,
                OmT: p.U_dot.T * p.U, Om: p.U.T * p.U_dot, e: ev, ed: -p.M * ev, a: av}

    d.claim(a_dot, -L * a + OmT * a,
            "a' = U'^T e + U^T e' = U'^T U a - U^T M U a = -Lambda a + Omega^T a",
            witness=Wt.nc_path_witness(a_dot_raw - (-L * a + OmT * a), mode_vals, sizes=(2, 3, 5, 8)))
    d.claim(r["gauge"], Om + OmT, "Omega^T = -Omega (GRSD-T2: (U^T U)' = 0), so A := Omega^T is antisymmetric",
            witness=Wt.nc_path_witness(r["gauge_raw"], mode_vals))
    j, k, n = r["indices"]
    bb = r["bases"]
    Bb, Omb, lam = bb["B"], bb["Omega"], bb["lambda"]
    Ab = sp.IndexedBase("A")
    off = lambda jj, kk: jj == kk  # noqa: E731
    A_kj = r["omega_jk"]  # A_kj = (Omega^T)_kj = Omega_jk, solved in GRSD-T2
    d.claim(A_kj, Bb[j, k] / (lam[k] - lam[j]),
            "A_kj = Omega_jk = u_j^T u_k' = (u_j^T M' u_k)/(lambda_k - lambda_j) (GRSD-T2, computed)",
            witness=Wt.index_entry_witness(Ab[k, j] - A_kj, j, k, skip=off))
    Bsym = (A_kj + A_kj.xreplace({j: k, k: j})).subs(Bb[k, j], Bb[j, k])
    d.zero(Bsym, "A_kj + A_jk = 0 from the Kato formula, since B = U^T M' U is symmetric (B_kj = B_jk)",
           witness=Wt.index_entry_witness(Ab[k, j] + Ab[j, k], j, k))

    # lazy / NTK limit: M' = 0
    lazy = A_kj.subs(Bb[j, k], 0)
    d.zero(lazy, "lazy (NTK) training M' = 0: B = 0, so A_kj = 0 for every j != k")
    lamd_lazy = r["lambdadot_j"].subs(Bb[j, j], 0)
    d.zero(lamd_lazy, "lazy: lambda_k' = B_kk = 0, the spectrum is frozen")
    ak = sp.Function("a_k")
    lk = sp.Symbol("lambda_k", positive=True)
    ode = sp.Eq(ak(t).diff(t), -lk * ak(t) + lazy)
    sol = sp.dsolve(ode, ak(t), ics={ak(0): sp.Symbol("a_k0")})
    d.solution(sol, (sol.rhs.diff(t) + lk * sol.rhs), "lazy mode equation a_k' = -lambda_k a_k solved "
               "(dsolve) and substituted back: a_k = a_k(0) exp(-lambda_k t)")
    d.zero(sol.rhs.subs(t, 0) - sp.Symbol("a_k0"), "initial condition a_k(0) = a_k0")
    return sol


@theorem("GRSD-T3", "Kato mode equations with antisymmetric coupling", provenance="derived",
         sources=["arXiv 2512.10427 (abstract): exact system of coupled modewise ODEs in the instantaneous eigenbasis",
                  "docs/theory/microscopic.md"])
def prove(d):
    _n2(d)
    _n3(d)
    sol = _any_n(d)
    kk, jj = sp.symbols("k j", integer=True)
    a, lam_b, A = sp.IndexedBase("a"), sp.IndexedBase("lambda"), sp.IndexedBase("A")
    d.conclude(sp.And(
        sp.Eq(sp.Derivative(sp.Function("a_k")(t), t),
              -lam_b[kk] * a[kk] + sp.Sum(A[kk, jj] * a[jj], (jj, 1, sp.Symbol("n")))),
        sp.Eq(A[kk, jj], -A[jj, kk]),
        sp.Implies(sp.Eq(sp.Symbol("M'"), 0), sol)))
