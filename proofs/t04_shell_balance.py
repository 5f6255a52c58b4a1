r"""GRSD-T4: exact shell balance with identical intra-shell cancellation.

Between boundary crossings of eigenvalues,

.. math::

   \dot E_\alpha = -D_\alpha + \sum_{\beta\ne\alpha} T_{\alpha\beta}, \qquad
   T_{\alpha\beta} = -T_{\beta\alpha}, \qquad
   T_{\alpha\alpha} = \sum_{k,j\in S_\alpha} A_{kj} a_k a_j = 0 .

Provenance [derived] (docs/theory/shells.md; the paper's abstract states the intra-shell cancellation).
Derived: (i) the intra-shell cancellation for a shell of *symbolic* size: the summand
:math:`c(k,j) = A_{kj}a_ka_j` is antisymmetric, so is its discrete primitive, and the square sum
is computed by telescoping (:mod:`grsd_sym.theory.lattice`); and for explicit sizes 1..6;
(ii) the balance from the mode equations (GRSD-T3) for six modes in three shells plus a null
shell, with general antisymmetric coupling paths.
"""

import random

import sympy as sp

from grsd_sym import theory as T
from grsd_sym import theorem
from grsd_sym.symbols import t
from grsd_sym.theory import lattice as Lat
from grsd_sym.theory import shells as Sh


def _explicit_sum_witness(size_lo=1, size_hi=9):
    """Independent route: sum A_kj a_k a_j directly over random shells with random antisymmetric A."""
    def witness(rng: random.Random) -> float:
        for _ in range(20):
            n = rng.randint(size_lo + 2, size_hi + 2)
            p = rng.randint(0, n - 1)
            q = rng.randint(p, n - 1)
            A = [[sp.Integer(0)] * n for _ in range(n)]
            for i in range(n):
                for j in range(i + 1, n):
                    A[i][j] = sp.Rational(rng.randint(-50, 50), rng.randint(1, 9))
                    A[j][i] = -A[i][j]
            a = [sp.Rational(rng.randint(-50, 50), rng.randint(1, 9)) for _ in range(n)]
            s = sum(A[k][j] * a[k] * a[j] for k in range(p, q + 1) for j in range(p, q + 1))
            if s != 0:
                return -float("inf")
        return float("inf")
    witness.__name__ = "direct exact sums over 20 random shells with random antisymmetric A"
    return witness


def _symbolic_size(d):
    x, y = sp.symbols("x y", integer=True)
    p, q = sp.symbols("p q", integer=True)
    Gf = sp.Function("G")
    d.assume("a shell of symbolic size: S = {p, ..., q} (p <= q integers); every lattice function "
             "c(k, j) has a discrete primitive G with Delta_k Delta_j G = c (its summed-area table)")
    karr = Lat.rectangle_sum(lambda u, w: Gf(u, w), (x, p, q), (y, p, q))
    d.claim(karr, Gf(q + 1, q + 1) - Gf(p, q + 1) - Gf(q + 1, p) + Gf(p, p),
            "sum over the square S x S of Delta Delta G, computed by two telescoping sums (Karr)")
    G = Lat.antisymmetric_primitive("W")
    c = Lat.lattice_difference(G, x, y)
    d.zero(c + c.subs({x: y, y: x}, simultaneous=True),
           "c = Delta Delta G with G(x, y) = W(x, y) - W(y, x) is antisymmetric: the general "
           "antisymmetric summand A_kj a_k a_j (take W = the summed-area table of c/2)")
    X = Lat.rectangle_sum(G, (x, p, q), (y, p, q))
    d.zero(X, "intra-shell sum over a shell of symbolic size: sum_{k,j in S} A_kj a_k a_j = 0 "
              "(swap k <-> j: the antisymmetric primitive takes opposite values at (q+1, p), (p, q+1))",
           witness=_explicit_sum_witness())
    for n in range(1, 7):
        A = sp.Matrix(n, n, lambda i, j: sp.Symbol(f"A_{min(i, j)}{max(i, j)}") * sp.sign(j - i))
        a = sp.Matrix(sp.symbols(f"a0:{n}"))
        d.zero(Sh.intra_shell_transfer(A, a, range(n)), f"intra-shell cancellation, explicit shell of {n} modes")


def _balance(d):
    n = 7
    shells = [[0], [1, 2], [3, 4, 5]]
    null = [6]
    lam = [sp.Function(f"lambda_{k}")(t) for k in range(n - 1)] + [sp.Integer(0)]
    a = sp.Matrix([sp.Function(f"a_{k}")(t) for k in range(n)])
    A = sp.zeros(n, n)
    for i in range(n):
        for j in range(i + 1, n):
            A[i, j] = sp.Function(f"A_{i}{j}")(t)
            A[j, i] = -A[i, j]
    d.assume("seven modes: shells S_0 = {0}, S_1 = {1, 2}, S_2 = {3, 4, 5} and a null shell {6} "
             "(lambda_6 = 0); a_k' = -lambda_k a_k + sum_j A_kj a_j with A(t) a general antisymmetric path "
             "(GRSD-T3); no eigenvalue crosses a shell boundary")
    flow = T.mode_equation_rhs(lam, A, a)
    all_shells = shells + [null]
    funcs = [x for x in (*lam, *a, *[A[i, j] for i in range(n) for j in range(i + 1, n)])
             if isinstance(x, sp.core.function.AppliedUndef)]
    J = lambda e: T.to_jets(e, funcs, t)  # noqa: E731  (identities at an instant: jet coordinates)
    for al, S in enumerate(all_shells):
        E = Sh.shell_energy(a, S)
        E_dot = J(E.diff(t).subs({a[k].diff(t): flow[k] for k in range(n)}))
        rhs = J(-Sh.dissipation(lam, a, S) + Sh.net_transfer(A, a, all_shells, al))
        label = "null shell" if S is null else f"shell {al}"
        d.claim(E_dot, rhs, f"{label}: E' = -D + sum_(beta != alpha) T_alpha,beta from the mode equations "
                            "(intra-shell terms cancel)")
    d.zero(Sh.transfer(A, a, shells[1], shells[2]) + Sh.transfer(A, a, shells[2], shells[1]),
           "T_alpha,beta = -T_beta,alpha")
    L = T.loss(a)
    d.claim(sum(Sh.shell_energy(a, S) for S in shells) + Sh.null_shell_energy(a, null), L,
            "sum of the shell energies plus the null-shell energy is the loss (a = U^T e, U orthogonal)")
    d.zero(Sh.dissipation(lam, a, null), "the null shell does not dissipate (lambda = 0)")


@theorem("GRSD-T4", "Shell balance with exact intra-shell cancellation", provenance="derived",
         sources=["arXiv 2512.10427 (abstract): microscopic interactions within each shell cancel identically "
                  "at the energy level", "docs/theory/shells.md"])
def prove(d):
    _symbolic_size(d)
    _balance(d)
    Ea, Da, Tab = sp.Function("E_alpha")(t), sp.Symbol("D_alpha"), sp.IndexedBase("T")
    al, be = sp.symbols("alpha beta", integer=True)
    d.conclude(sp.And(sp.Eq(sp.Derivative(Ea, t), -Da + sp.Symbol("sum_(beta!=alpha) T_alpha,beta")),
                      sp.Eq(Tab[al, be], -Tab[be, al]), sp.Eq(Tab[al, al], 0)))
