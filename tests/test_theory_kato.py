"""Theory objects of GRSD-T1..T3: validation errors and numeric independent routes."""

import numpy as np
import pytest
import sympy as sp
from hypothesis import given, settings
from hypothesis import strategies as st

from grsd_sym import theory as T
from grsd_sym.errors import DegenerateGapError, DerivationError, InputError, NotSymmetricError, ShapeError
from grsd_sym.theory.jets import FractionMatrix, JetRing


def test_zero_gap_raises_degenerate_gap_error_pointing_to_projectors():
    U, Md = sp.eye(2), sp.Matrix([[0, 1], [1, 0]])
    with pytest.raises(DegenerateGapError, match="projector"):
        T.kato_coefficient(Md, U, [2, 2], 0, 1)
    lam = sp.Symbol("l")
    with pytest.raises(DegenerateGapError, match="GRSD-T5"):
        T.kato_coefficient(Md, U, [lam, lam], 0, 1)
    assert T.kato_coefficient(Md, U, [1, 3], 0, 1) == sp.Rational(1, 2)


def test_kato_bad_inputs():
    U, Md = sp.eye(2), sp.Matrix([[0, 1], [1, 0]])
    with pytest.raises(InputError, match="j != k"):
        T.kato_coefficient(Md, U, [1, 3], 1, 1)
    with pytest.raises(ShapeError):
        T.kato_coefficient(Md, U, [1, 3], 0, 2)
    with pytest.raises(ShapeError):
        T.kato_coefficient(Md, U, [1, 3, 4], 0, 1)
    with pytest.raises(NotSymmetricError):
        T.kato_coefficient(sp.Matrix([[0, 1], [2, 0]]), U, [1, 3], 0, 1)
    with pytest.raises(InputError, match="exact"):
        T.kato_coefficient(Md, U, [1.0, 3.0], 0, 1)


def test_microscopic_validation():
    M = sp.Matrix([[2, 1], [1, 2]])
    with pytest.raises(ShapeError):
        T.gradient_flow_rhs(M, sp.Matrix([1, 2, 3]))
    with pytest.raises(NotSymmetricError):
        T.gradient_flow_rhs(sp.Matrix([[1, 2], [0, 1]]), sp.Matrix([1, 0]))
    with pytest.raises(InputError):
        T.gradient_flow_rhs(M, sp.Matrix([1, 0]), eta=-1)
    with pytest.raises(InputError, match="floats"):
        T.gradient_flow_rhs(sp.Matrix([[0.5, 0], [0, 1]]), sp.Matrix([1, 0]))
    with pytest.raises(InputError, match="antisymmetric"):
        T.cayley_rotation(sp.Matrix([[0, 1], [1, 0]]))
    assert T.loss(sp.Matrix([3, 4])) == sp.Rational(25, 2)


def test_cayley_rotation_is_orthogonal_and_spectral_operator_has_its_eigenpairs():
    W = T.antisymmetric_generator_3([sp.Rational(1, 3), -2, sp.Rational(5, 7)])
    Q, delta = T.cayley_rotation(W)
    U = Q / delta
    assert sp.simplify(U.T * U - sp.eye(3)) == sp.zeros(3, 3)
    M = T.spectral_operator(U, [1, 2, 5])
    for k, lam in enumerate([1, 2, 5]):
        assert sp.simplify(M * U[:, k] - lam * U[:, k]) == sp.zeros(3, 1)


def test_jets_errors():
    jr = JetRing(["w"])
    with pytest.raises(DerivationError):
        jr.D(jr.rate("w") ** 2)
    with pytest.raises(InputError):
        JetRing(["w", "w"])
    A = FractionMatrix(jr, [[jr.value("w"), jr.R.one]])
    with pytest.raises(ShapeError):
        A @ A


# ---- numeric independent routes: Kato formula vs finite differences, mode ODE vs e' = -M e ----


def _path(n, rng):
    W0 = rng.normal(size=(n, n)) * 0.5
    W1 = rng.normal(size=(n, n)) * 0.5
    W0, W1 = W0 - W0.T, W1 - W1.T
    lam0 = np.sort(rng.uniform(0.2, 4.0, size=n)) + np.arange(n) * 0.3  # separated gaps
    lam1 = rng.uniform(-0.3, 0.3, size=n)

    def U(t):
        W = W0 + t * W1
        I = np.eye(n)
        return np.linalg.solve(I - W, I + W)

    def lam(t):
        return lam0 + t * lam1

    def M(t):
        u = U(t)
        return u @ np.diag(lam(t)) @ u.T

    return U, lam, M


def _rk4(f, y, t0, t1, steps):
    dt = (t1 - t0) / steps
    tt = t0
    for _ in range(steps):
        k1 = f(tt, y)
        k2 = f(tt + dt / 2, y + dt / 2 * k1)
        k3 = f(tt + dt / 2, y + dt / 2 * k2)
        k4 = f(tt + dt, y + dt * k3)
        y = y + dt / 6 * (k1 + 2 * k2 + 2 * k3 + k4)
        tt += dt
    return y


def _kato_A(U, lam, M, t, hstep=1e-6):
    u = U(t)
    Md = (M(t + hstep) - M(t - hstep)) / (2 * hstep)
    B = u.T @ Md @ u
    l = lam(t)
    n = len(l)
    A = np.zeros((n, n))
    for k in range(n):
        for j in range(n):
            if j != k:
                A[k, j] = B[j, k] / (l[k] - l[j])
    return A


@settings(max_examples=10, deadline=None)
@given(n=st.integers(2, 12), seed=st.integers(0, 10_000))
def test_kato_mode_equations_agree_with_direct_flow(n, seed):
    rng = np.random.default_rng(seed)
    U, lam, M = _path(n, rng)
    e0 = rng.normal(size=n)
    T1 = 0.5
    e_T = _rk4(lambda tt, e: -M(tt) @ e, e0, 0.0, T1, 200)

    def mode_rhs(tt, a):
        return -lam(tt) * a + _kato_A(U, lam, M, tt) @ a

    a_T = _rk4(mode_rhs, U(0.0).T @ e0, 0.0, T1, 200)
    assert np.allclose(a_T, U(T1).T @ e_T, rtol=1e-6, atol=1e-7 * np.linalg.norm(e0))
    A = _kato_A(U, lam, M, 0.3)
    assert np.allclose(A, -A.T, atol=1e-7)


@settings(max_examples=15, deadline=None)
@given(n=st.integers(2, 12), seed=st.integers(0, 10_000))
def test_hellmann_feynman_and_kato_against_finite_differences(n, seed):
    rng = np.random.default_rng(seed)
    U, lam, M = _path(n, rng)
    t0, hs = 0.2, 1e-6
    u = U(t0)
    Md = (M(t0 + hs) - M(t0 - hs)) / (2 * hs)
    Ud = (U(t0 + hs) - U(t0 - hs)) / (2 * hs)
    lam_dot = (lam(t0 + hs) - lam(t0 - hs)) / (2 * hs)
    assert np.allclose(np.diag(u.T @ Md @ u), lam_dot, atol=1e-6)
    Om = u.T @ Ud
    A = _kato_A(U, lam, M, t0)
    assert np.allclose(A, Om.T, atol=1e-6)
    assert np.allclose(np.diag(Om), 0, atol=1e-7)
