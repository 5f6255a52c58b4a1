"""Spectra from data: validation errors, Jacobian route vs kernel route, tracking, assignment."""

import itertools

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from grsd_sym.errors import NegativeEigenvalueError, NonFiniteError, NotSymmetricError, ShapeError, TimeGridError
from grsd_sym.numeric.spectra import (
    eigen_trajectory,
    eigen_trajectory_from_jacobians,
    eigh_from_jacobian,
    eigh_psd,
    linear_assignment,
    mode_amplitudes,
    track_eigenpairs,
    validate_symmetric,
    validate_time_grid,
)

# ---------------------------------------------------------------- bad input


def test_nonfinite_rejected():
    M = np.eye(3)
    M[1, 2] = np.nan
    with pytest.raises(NonFiniteError):
        eigh_psd(M)
    with pytest.raises(NonFiniteError):
        eigh_from_jacobian(np.array([[1.0, np.inf]]))


def test_not_symmetric_beyond_stated_tolerance():
    M = np.array([[1.0, 0.5], [0.5 + 1e-6, 1.0]])
    with pytest.raises(NotSymmetricError, match="sym_rtol"):
        eigh_psd(M)
    # the same matrix is accepted with a looser stated tolerance, and symmetrized
    S = validate_symmetric(M, sym_rtol=1e-5)
    assert np.array_equal(S, S.T)
    # just inside the default tolerance 1e-10 relative
    lam, _ = eigh_psd(np.array([[1.0, 0.5], [0.5 + 5e-11, 1.0]]))
    assert lam.size == 2


def test_negative_eigenvalue_beyond_tol():
    with pytest.raises(NegativeEigenvalueError):
        eigh_psd(np.diag([1.0, -1e-3]))
    lam, _ = eigh_psd(np.diag([1.0, -1e-3]), psd_tol=1e-2)  # tolerance is a parameter
    assert lam.min() == -1e-3  # kept, not clipped


def test_shape_errors():
    with pytest.raises(ShapeError):
        eigh_psd(np.ones((2, 3)))
    with pytest.raises(ShapeError):
        eigen_trajectory([np.eye(2), np.eye(3)])  # ragged
    with pytest.raises(ShapeError):
        eigen_trajectory([[[1.0, 0.0], [0.0, 1.0]], [[1.0, 0.0]]])
    with pytest.raises(ShapeError):
        eigen_trajectory([np.eye(2)] * 3, times=[0.0, 1.0])  # times vs checkpoints
    with pytest.raises(ShapeError):
        mode_amplitudes(np.eye(3), np.ones(2))
    with pytest.raises(ShapeError):
        eigh_from_jacobian(np.ones(3))


@pytest.mark.parametrize("t", [[0.0, 0.0, 1.0], [1.0, 0.5], [0.0, np.nan], [[0.0, 1.0]]])
def test_time_grid_errors(t):
    with pytest.raises(TimeGridError):
        validate_time_grid(t)


def test_time_grid_error_in_trajectory():
    with pytest.raises(TimeGridError):
        eigen_trajectory([np.eye(2), np.eye(2)], times=[1.0, 1.0])


# ---------------------------------------------------------------- Jacobian route == kernel route


@settings(max_examples=20)
@given(st.integers(1, 9), st.integers(1, 9), st.integers(0, 2**31), st.sampled_from(["svd", "gram"]))
def test_jacobian_eigenpairs_match_kernel(n, P, seed, method):
    J = np.random.default_rng(seed).standard_normal((n, P))
    lam, U = eigh_from_jacobian(J, method=method)
    M = J @ J.T
    full = np.linalg.eigvalsh(M)
    k = lam.size
    assert k == min(n, P)
    np.testing.assert_allclose(lam, full[-k:], rtol=1e-9, atol=1e-10 * full.max())
    # U columns are orthonormal eigenvectors of M
    np.testing.assert_allclose(U.T @ U, np.eye(k), atol=1e-9)
    np.testing.assert_allclose(M @ U, U * lam, atol=1e-8 * max(full.max(), 1))
    lam_c, U_c = eigh_from_jacobian(J, method=method, complete=True)
    assert lam_c.size == n
    np.testing.assert_allclose(U_c.T @ U_c, np.eye(n), atol=1e-9)
    np.testing.assert_allclose(np.sort(lam_c), full, atol=1e-9 * max(full.max(), 1))


# ---------------------------------------------------------------- assignment and tracking


@settings(max_examples=25)
@given(st.integers(1, 6), st.integers(0, 2**31))
def test_linear_assignment_is_optimal(m, seed):
    C = np.random.default_rng(seed).standard_normal((m, m))
    perm = linear_assignment(C)
    assert sorted(perm.tolist()) == list(range(m))
    best = min(sum(C[i, p[i]] for i in range(m)) for p in itertools.permutations(range(m)))
    assert np.isclose(C[np.arange(m), perm].sum(), best, rtol=1e-12, atol=1e-12)


def test_linear_assignment_ambiguous_overlaps_uses_hungarian():
    # a near-degenerate pair mixed at 45 degrees: greedy is ambiguous, assignment still a permutation
    c = np.cos(np.pi / 4)
    U1 = np.eye(3)
    U2 = np.array([[c, -c, 0.0], [c, c, 0.0], [0.0, 0.0, 1.0]])[:, [2, 0, 1]]
    lam, U, ov = track_eigenpairs(U1, np.array([3.0, 1.0, 1.1]), U2)
    np.testing.assert_allclose(U[:, 2], [0, 0, 1])
    assert sorted(lam.tolist()) == [1.0, 1.1, 3.0]
    assert np.all(ov >= 0)


@settings(max_examples=20)
@given(st.integers(2, 10), st.integers(0, 2**31))
def test_tracking_undoes_permutation_and_signs(n, seed):
    rng = np.random.default_rng(seed)
    Q, _ = np.linalg.qr(rng.standard_normal((n, n)))
    lam = np.sort(rng.uniform(0.1, 5.0, n))
    # a small rotation, then scramble order and signs
    G = rng.standard_normal((n, n)) * 0.01
    G = G - G.T
    R = np.linalg.qr(np.eye(n) + G)[0]
    R = R * np.sign(np.diag(R))
    Q2 = R @ Q
    perm = rng.permutation(n)
    signs = rng.choice([-1.0, 1.0], n)
    lam_t, U_t, ov = track_eigenpairs(Q, lam[perm], Q2[:, perm] * signs)
    np.testing.assert_allclose(lam_t, lam)
    np.testing.assert_allclose(U_t, Q2, atol=1e-12)
    assert np.all(ov > 0.9)


def test_trajectory_follows_a_crossing():
    # two eigenvalues cross between checkpoints (never exactly degenerate at one); the labels
    # follow the eigenvectors, not the sorted order
    th = 0.3
    R = np.array([[np.cos(th), -np.sin(th)], [np.sin(th), np.cos(th)]])
    Ms = [R @ np.diag([1.0 + x, 2.0 - x]) @ R.T for x in np.linspace(0, 1, 4)]
    tr = eigen_trajectory(Ms, np.linspace(0, 1, 4))
    np.testing.assert_allclose(tr.eigenvalues[:, 0], 1.0 + np.linspace(0, 1, 4))
    np.testing.assert_allclose(np.abs(tr.eigenvectors[:, :, 0] @ R[:, 0]), 1.0)
    assert np.all(tr.overlaps > 0.999)
    # Jacobian route gives the same tracked eigenvalues
    Js = [np.linalg.cholesky(M) for M in Ms]
    trJ = eigen_trajectory_from_jacobians(Js, np.linspace(0, 1, 4))
    np.testing.assert_allclose(trJ.eigenvalues, tr.eigenvalues, atol=1e-12)
    e = np.ones((4, 2))
    np.testing.assert_allclose(np.abs(trJ.amplitudes(e)), np.abs(tr.amplitudes(e)), atol=1e-12)
