"""GRSD-T2..T8 verify; deliberately broken variants of their key steps are rejected."""

import random

import mpmath
import pytest
import sympy as sp

from grsd_sym import theory as T
from grsd_sym.certificate import REQUIRED_DIGITS, Derivation, check_zero
from grsd_sym.registry import get_theorem, run_theorem
from grsd_sym.symbols import V, d, eps, h, s, sigma_src, t
from grsd_sym.theory import lattice as Lat
from grsd_sym.theory import shells as Sh
from grsd_sym.theory import transport as Tr
from grsd_sym.theory import witnesses as Wt

IDS = ["GRSD-T2", "GRSD-T3", "GRSD-T4", "GRSD-T5", "GRSD-T6", "GRSD-T7", "GRSD-T8"]


@pytest.fixture(scope="module")
def certificates():
    return {tid: run_theorem(get_theorem(tid)) for tid in IDS}


@pytest.mark.parametrize("tid", IDS)
def test_theorem_verifies_with_exact_residuals(certificates, tid):
    cert = certificates[tid]
    assert cert.error is None, cert.error
    assert cert.verified, cert.summary()
    checked = [st for st in cert.steps if st.checked]
    assert len(checked) >= 4
    assert all(st.check.symbolic and st.check.remainder == "0" for st in checked)
    assert cert.min_witness_digits >= REQUIRED_DIGITS
    assert cert.statement is not None


def _n2_data():
    phi = sp.Function("phi")(t)
    lams = [sp.Function("lambda_1")(t), sp.Function("lambda_2")(t)]
    U = T.plane_rotation(2, 0, 1, phi)
    M = T.spectral_operator(U, lams)
    return phi, lams, U, M.diff(t)


def test_wrong_sign_kato_coefficient_is_rejected_n2():
    phi, lams, U, M_dot = _n2_data()
    Om = T.overlap_rates(U, U.diff(t))
    wrong = (U[:, 0].T * M_dot * U[:, 1])[0] / (lams[0] - lams[1])  # (lambda_j - lambda_k): wrong sign

    def J(e):
        return T.to_jets(e, [phi, *lams], t)

    bad = check_zero(J(wrong - Om[0, 1]))
    assert bad.passed is False and bad.verdict == "refuted"
    right = T.kato_coefficient(M_dot, U, lams, 0, 1)
    assert check_zero(J(right - Om[0, 1])).passed is True


def test_wrong_sign_kato_coefficient_is_rejected_index_level():
    r = T.index_level_kato()
    j, k, _ = r["indices"]
    bb = r["bases"]
    wrong = bb["B"][j, k] / (bb["lambda"][j] - bb["lambda"][k])
    dv = Derivation("BROKEN-T2", "Kato with the wrong sign")
    dv.claim(
        r["omega_jk"],
        wrong,
        "wrong sign on purpose",
        witness=Wt.index_entry_witness(bb["Omega"][j, k] - wrong, j, k, skip=lambda a, b: a == b),
    )
    cert = dv.certificate()
    assert not cert.verified
    # the numeric witness alone also rejects it (a wrong formula evaluated on real paths)
    st = cert.steps[-1]
    assert st.check.witness_digits < 5


def test_wrong_mode_equation_sign_is_rejected():
    # a' = +Lambda a + A a (wrong sign of the dissipation) is rejected on the n = 3 jet route
    P = T.cayley_spectral_path_3()
    U, M, e = P["U"], P["M"], P["e"]
    a_dot = ((U.diff().T @ e) + (U.T @ (-(M @ e)))).to_matrix()
    jr = P["jets"]
    lam = [jr.to_expr(jr.value(f"l{i}")) for i in (1, 2, 3)]
    Om = (U.T @ U.diff()).to_matrix()
    a = (U.T @ e).to_matrix()
    good = -sp.diag(*lam) * a + Om.T * a
    bad = sp.diag(*lam) * a + Om.T * a
    assert check_zero(sp.Matrix([sp.cancel(x) for x in (a_dot - good)])).passed
    assert not check_zero(sp.Matrix([sp.cancel(x) for x in (a_dot - bad)])).passed


def test_symmetric_coupling_breaks_intra_shell_cancellation():
    A = sp.Matrix(3, 3, lambda i, j: sp.Symbol(f"A_{min(i, j)}{max(i, j)}"))  # symmetric, not antisymmetric
    a = sp.Matrix(sp.symbols("a0:3"))
    total = sum(A[k, j] * a[k] * a[j] for k in range(3) for j in range(3))
    assert check_zero(total).passed is False
    with pytest.raises(ValueError, match="antisymmetric"):
        Sh.intra_shell_transfer(A, a, [0, 1, 2])


def test_wrong_projector_identity_is_rejected():
    P, Pd = sp.symbols("P Pdot", commutative=False)
    rules = [((P, P), (P,)), ((P, Pd), Pd - Pd * P)]
    # P' P = 0 is NOT implied by P^2 = P: the reduction leaves it, and random projector paths refute it
    red = T.rewrite(Pd * P, rules)
    assert check_zero(red).passed is False

    def witness(rng):
        Pn, Pdn = Wt.projector_path(4, 2, rng)
        with mpmath.workdps(50):
            return Wt.agreement_digits(Pdn * Pn, Wt.max_abs(Pdn))

    assert witness(random.Random(3)) < 5


def test_wrong_flux_definition_is_rejected():
    K = sp.Symbol("K", integer=True, positive=True)
    al = sp.Symbol("alpha", integer=True, positive=True)
    be, ga = sp.symbols("beta gamma", integer=True)
    G = Lat.antisymmetric_primitive("W")
    T_alpha = Lat.rectangle_sum(G, (be, al, al), (ga, 1, K))

    def wrong_F(a_):
        return Lat.rectangle_sum(G, (be, a_ + 1, K), (ga, 1, a_ - 1))  # gamma < alpha

    assert check_zero(T_alpha - (wrong_F(al - 1) - wrong_F(al))).passed is False

    def right_F(a_):
        return Lat.rectangle_sum(G, (be, a_ + 1, K), (ga, 1, a_))

    assert check_zero(T_alpha - (right_F(al - 1) - right_F(al))).passed is True


def test_wrong_continuum_limit_is_rejected():
    E, Vf, Sg = eps(s, t), V(s, t), sigma_src(s, t)
    r = Tr.finite_volume_truncation(E, Vf, Sg, d, s, t, h)
    wrong = sp.diff(E, t) + sp.diff(Vf * E, s) - d * sp.exp(s) * E - Sg  # wrong sign of the dissipation
    dv = Derivation("BROKEN-T7", "continuum limit with the wrong dissipation sign")
    dv.claim(r["tau0"], wrong, "wrong on purpose")
    assert not dv.certificate().verified


def test_wrong_change_of_coordinates_is_rejected():
    from grsd_sym.symbols import lam

    E, Vf, Sg = eps(s, t), V(s, t), sigma_src(s, t)
    pde = Tr.log_transport_residual(E, Vf, Sg, d, s, t)
    # forgetting the 1/lambda in g = eps/lambda breaks the correspondence
    g_bad, v_, S_ = E.subs(s, sp.log(lam)), lam * Vf.subs(s, sp.log(lam)), Sg.subs(s, sp.log(lam)) / lam
    res = Tr.lambda_transport_residual(g_bad, v_, S_, d, lam, t) - pde.subs(s, sp.log(lam)) / lam
    assert check_zero(res).passed is False
