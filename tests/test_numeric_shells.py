"""Shells from data (GRSD-T4..T6): every identity checked against an independent route."""

import math

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from grsd_sym.errors import (
    DegenerateGapError,
    EmptyShellError,
    InputError,
    NegativeEigenvalueError,
    NonFiniteError,
    ShapeError,
    ShellGridError,
)
from grsd_sym.numeric import (
    ShellGrid,
    assign_shells,
    boundary_fluxes,
    drift_flux,
    fit_velocity_exponent,
    kato_coefficients,
    loss,
    measure_shells,
    measured_velocity,
    outside_energy,
    projected_derivative,
    projected_derivative_from_jacobian,
    projector_transfer,
    projector_transfer_fd,
    shell_dissipation,
    shell_drift_velocity,
    shell_energies,
    transfer_matrix,
)
from grsd_sym.numeric.flow import integrate_flow
from grsd_sym.numeric.spectra import eigh_from_jacobian, eigh_psd, track_eigenpairs
from grsd_sym.strategies import power_law_spectra, psd_paths, shell_grids

ULP = np.finfo(float).eps


# ---------------------------------------------------------------- grid and assignment


@pytest.mark.parametrize(
    "h,s0", [(0.0, 0.0), (-1.0, 0.0), (np.nan, 0.0), (np.inf, 0.0), (1.0, np.nan), (1.0, np.inf), ("x", 0.0)]
)
def test_bad_grid(h, s0):
    with pytest.raises(ShellGridError):
        ShellGrid(h, s0)


@settings(max_examples=30)
@given(power_law_spectra(), shell_grids())
def test_assignment_matches_definition(spec, grid):
    lam = spec.eigenvalues
    A = assign_shells(lam, grid)
    assert A.counts.sum() + A.null_count == lam.size  # nothing dropped
    assert A.null_count == spec.n_null
    for k, x in enumerate(lam):
        if x <= 0:
            assert A.bins[k] == 0
            continue
        alpha = A.alpha_min + A.bins[k] - 1
        # pointwise Python evaluation of the definition s_alpha <= log lambda < s_alpha+1
        assert alpha == math.floor((math.log(x) - grid.s0) / grid.h)
        s = math.log(x)
        assert grid.lower(alpha) - 1e-12 <= s < grid.upper(alpha) + 1e-12


def test_assignment_errors_and_null_tol():
    g = ShellGrid(1.0)
    with pytest.raises(NonFiniteError):
        assign_shells([1.0, np.nan], g)
    with pytest.raises(NegativeEigenvalueError):
        assign_shells([1.0, -0.5], g)
    A = assign_shells([1.0, -1e-17, 0.0], g)  # within the default tolerance
    assert A.null_count == 2
    A = assign_shells([1.0, 1e-20], g, null_tol=1e-15)  # stated null tolerance
    assert A.null_count == 1 and A.K == 1
    with pytest.raises(InputError):
        assign_shells([1.0, 10.0], g, alpha_range=(0, 1))  # 10 is in shell 2: never dropped
    A = assign_shells([1.0], g, alpha_range=(-2, 3))
    assert A.alphas.tolist() == [-2, -1, 0, 1, 2, 3] and A.counts.tolist() == [0, 0, 1, 0, 0, 0]
    A = assign_shells([0.0, 0.0], g)
    assert A.K == 0 and A.null_count == 2
    with pytest.raises(ShapeError):
        shell_energies([1.0, 2.0], [1.0], g)
    with pytest.raises(ShellGridError):
        assign_shells([1.0], 1.0)


# ---------------------------------------------------------------- energies


@settings(max_examples=30)
@given(power_law_spectra(), shell_grids())
def test_energies_plus_null_equal_loss(spec, grid):
    a = spec.amplitudes
    exact = shell_energies(spec.eigenvalues, a, grid, exact=True)
    fast = shell_energies(spec.eigenvalues, a, grid)
    L = 0.5 * math.fsum((a * a).tolist())
    assert abs(exact.total - L) <= 4 * ULP * L  # a few ulps
    assert abs(fast.total - L) <= 1e-13 * L
    np.testing.assert_allclose(fast.values, exact.values, rtol=1e-13, atol=0)
    # the null shell is reported: its energy is the zero modes' energy
    z = spec.eigenvalues == 0
    assert math.isclose(exact.null, 0.5 * math.fsum((a[z] ** 2).tolist()), rel_tol=1e-15, abs_tol=0)


@settings(max_examples=20)
@given(st.integers(2, 12), st.integers(0, 2**31), shell_grids())
def test_energies_equal_loss_of_error_vector(n, seed, grid):
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n, n))
    M = X @ np.diag(rng.uniform(0, 2, n)) @ X.T
    e = rng.standard_normal(n)
    m = measure_shells(M, e, grid)
    assert math.isclose(m.energies.total, loss(e), rel_tol=1e-13)
    # dissipation sums to e^T M e
    assert math.isclose(m.dissipation.total, float(e @ M @ e), rel_tol=1e-10, abs_tol=1e-12)
    assert np.all(m.dissipation.values >= 0)


@settings(max_examples=15)
@given(st.integers(3, 10), st.integers(1, 4), st.integers(0, 2**31))
def test_thin_jacobian_basis_puts_outside_energy_in_null(n, P, seed):
    assume(n > P)
    rng = np.random.default_rng(seed)
    J = rng.standard_normal((n, P))
    e = rng.standard_normal(n)
    lam, U = eigh_from_jacobian(J)  # thin: n x P
    a = U.T @ e
    E = shell_energies(lam, a, ShellGrid(0.5), outside=outside_energy(U, e, a))
    assert math.isclose(E.total, loss(e), rel_tol=1e-12)
    # the complete basis gives the same shell energies and null energy
    lam_c, U_c = eigh_from_jacobian(J, complete=True)
    Ec = shell_energies(lam_c, U_c.T @ e, ShellGrid(0.5), null_tol=1e-12)
    np.testing.assert_allclose(Ec.values, E.values, rtol=1e-10)
    assert math.isclose(Ec.null, E.null, rel_tol=1e-9, abs_tol=1e-14)


# ---------------------------------------------------------------- Kato coefficients


@settings(max_examples=15)
@given(psd_paths(max_null=0), st.floats(0.1, 0.9))
def test_kato_coefficients_match_eigenvector_finite_differences(system, t):
    d = 1e-5
    lam, U = eigh_psd(system(t))
    A = kato_coefficients(lam, projected_derivative(U, system.dM(t)))
    assert np.allclose(A, -A.T, atol=1e-12)
    # independent route: eigenvectors at t +- d from fresh eigendecompositions, sign-aligned
    _, Up, _ = track_eigenpairs(U, *eigh_psd(system(t + d)))
    _, Um, _ = track_eigenpairs(U, *eigh_psd(system(t - d)))
    dU = (Up - Um) / (2 * d)
    A_fd = dU.T @ U  # A_kj = u_k'^T u_j
    np.testing.assert_allclose(A, A_fd, atol=1e-5 * max(1.0, np.abs(A).max()))
    # and Hellmann-Feynman: lambda_k' = u_k^T M' u_k against the path's own rates (sorted labels)
    B = projected_derivative(U, system.dM(t))
    order = np.argsort(system.eigenvalues(t))
    np.testing.assert_allclose(np.diag(B), system.eigenvalue_rates(t)[order], atol=1e-9)


def test_degenerate_gap_points_to_projector_form():
    lam = np.array([1.0, 1.0, 3.0])
    B = np.array([[0.0, 5.0, 2.0], [5.0, 0.0, 2.0], [2.0, 2.0, 0.0]])
    with pytest.raises(DegenerateGapError, match="GRSD-T5"):
        kato_coefficients(lam, B)


def test_projector_form_is_gauge_free_with_degenerate_shell():
    rng = np.random.default_rng(7)
    n = 5
    lam = np.array([1.5, 1.5, 1.8, 4.0, 9.0])  # shell 0 holds a degenerate pair
    Q = np.linalg.qr(rng.standard_normal((n, n)))[0]
    dM = rng.standard_normal((n, n))
    dM = dM + dM.T
    e = rng.standard_normal(n)
    grid = ShellGrid(1.0)
    asg = assign_shells(lam, grid)

    def T_of(U):
        return projector_transfer(lam, projected_derivative(U, dM), U.T @ e, asg).matrix

    T1 = T_of(Q)
    th = 0.7
    R = np.eye(n)
    R[:2, :2] = [[np.cos(th), -np.sin(th)], [np.sin(th), np.cos(th)]]
    T2 = T_of(Q @ R)  # another basis of the degenerate subspace
    np.testing.assert_allclose(T1, T2, atol=1e-12)
    # and by finite differences of spectral projectors (a third route)
    M = (Q * lam) @ Q.T
    Tfd = projector_transfer_fd(lambda t: M + t * dM, 0.0, e, grid, dt=1e-6)
    np.testing.assert_allclose(Tfd.matrix, T1, atol=1e-6)


# ---------------------------------------------------------------- transfer invariants (GRSD-T4..T6)


def _setup(system, t, grid, seed):
    e = np.random.default_rng(seed).standard_normal(system.n)
    lam, U = eigh_psd(system(t))
    a = U.T @ e
    asg = assign_shells(lam, grid, null_tol=1e-12)
    B = projected_derivative(U, system.dM(t))
    return e, lam, U, a, asg, B


@settings(max_examples=25)
@given(psd_paths(), shell_grids(h_min=0.2), st.floats(0.0, 1.0), st.integers(0, 2**31))
def test_transfer_identities(system, grid, t, seed):
    _e, lam, _U, a, asg, B = _setup(system, t, grid, seed)
    A = kato_coefficients(lam, B)
    T = transfer_matrix(a, A, asg)
    scale = float(np.abs(A).max() * (a * a).sum()) + 1e-300
    # intra-shell transfer vanishes to rounding (GRSD-T4)
    assert np.all(np.abs(T.intra) <= 64 * ULP * system.n * scale)
    # antisymmetric and sum_alpha T_alpha = 0 (GRSD-T6)
    np.testing.assert_array_equal(T.matrix, -T.matrix.T)
    assert abs(math.fsum(T.net.tolist())) <= 64 * ULP * system.n * scale
    # flux telescoping T_alpha = F_{alpha-1/2} - F_{alpha+1/2}, F from the double sum
    F = np.concatenate([[0.0], T.fluxes(), [0.0]])
    np.testing.assert_allclose(F[:-1] - F[1:], T.net, atol=64 * ULP * system.n * scale)
    # projector form == Kato form on a non-degenerate spectrum (GRSD-T5)
    Tp = projector_transfer(lam, B, a, asg)
    np.testing.assert_allclose(Tp.matrix, T.matrix, atol=64 * ULP * system.n * scale)
    # pairwise transfer against the mode-by-mode double loop of the definition
    for i in range(asg.K + 1):
        for j in range(asg.K + 1):
            if i != j:
                ks, js = np.flatnonzero(asg.bins == i), np.flatnonzero(asg.bins == j)
                ref = math.fsum(A[k, jj] * a[k] * a[jj] for k in ks for jj in js)
                assert math.isclose(T.matrix[i, j], ref, rel_tol=1e-9, abs_tol=1e-12 * scale)


@settings(max_examples=12)
@given(psd_paths(max_null=0), shell_grids(h_min=0.3), st.floats(0.2, 0.8), st.integers(0, 2**31))
def test_shell_balance_against_flow(system, grid, t, seed):
    """dE_alpha/dt = -D_alpha + T_alpha (GRSD-T4), dE/dt by finite differences along the true flow."""
    d = 1e-3 / (1.0 + float(system.eigenvalues(t).max()))  # FD error ~ (2 lambda d)^2 / 6
    e0 = np.random.default_rng(seed).standard_normal(system.n)
    flow = integrate_flow(system, e0, [t - d, t, t + d], steps=8)
    ms = [eigh_psd(system(x)) for x in (t - d, t, t + d)]
    asgs = [assign_shells(lam, grid) for lam, _ in ms]
    rng_ = (min(x.alpha_min for x in asgs), max(x.alpha_min + x.K - 1 for x in asgs))
    asgs = [assign_shells(lam, grid, alpha_range=rng_) for lam, _ in ms]
    assume(all(np.array_equal(np.sort(x.bins), np.sort(asgs[1].bins)) for x in asgs))  # no crossing
    E = [shell_energies(lam, U.T @ e, x).values for (lam, U), e, x in zip(ms, flow.errors, asgs, strict=True)]
    dE = (E[2] - E[0]) / (2 * d)
    lam, U = ms[1]
    a = U.T @ flow.errors[1]
    D = shell_dissipation(lam, a, asgs[1]).values
    T = projector_transfer(lam, projected_derivative(U, system.dM(t)), a, asgs[1])
    scale = 1.0 + float(np.abs(D).sum() + np.abs(T.net).sum())
    np.testing.assert_allclose(dE, -D + T.net[1:], atol=1e-5 * scale)


def test_boundary_fluxes_errors():
    with pytest.raises(InputError):
        boundary_fluxes(np.array([[0.0, 1.0], [1.0, 0.0]]))
    with pytest.raises(ShapeError):
        boundary_fluxes(np.ones((2, 3)))
    assert boundary_fluxes(np.zeros((1, 1))).size == 0


# ---------------------------------------------------------------- velocity


def test_measured_velocity_masks_empty_shells():
    grid = ShellGrid(1.0)
    lam = np.array([np.exp(0.5), np.exp(3.5)])  # shells 0 and 3; 1 and 2 empty
    rng = np.random.default_rng(0)
    Q = np.linalg.qr(rng.standard_normal((2, 2)))[0]
    dM = np.array([[0.0, 1.0], [1.0, 0.0]])
    m = measure_shells((Q * lam) @ Q.T, Q @ np.array([1.0, 2.0]), grid, dM=dM)
    s_b, V = m.velocity_s, m.velocity
    assert s_b.tolist() == [1.0, 2.0, 3.0]
    assert np.all(np.isfinite(V.data))
    # upwind eps: the flux across s=1 and s=2 comes from an empty shell on one side or the other
    F = m.fluxes[1:]
    E = m.energies.values
    for i in range(3):
        upstream = E[i] if F[i] >= 0 else E[i + 1]
        assert bool(np.ma.getmaskarray(V)[i]) == (upstream == 0)
        if upstream > 0:
            assert math.isclose(V[i], F[i] / (upstream / grid.h))
    _, Vm = measured_velocity(m.transfer, m.energies, eps_at="mean")
    assert not np.ma.getmaskarray(Vm)[0] and not np.ma.getmaskarray(Vm)[2]
    with pytest.raises(InputError):
        measured_velocity(m.transfer, m.energies, eps_at="sideways")


def test_drift_flux_integrates_to_the_crossing_energy():
    """A mode moving at ds/dt = v carries a^2/2 across every boundary it passes (GRSD-T6)."""
    grid = ShellGrid(0.5)
    v, a = 0.7, 1.3
    s_start = 0.1  # crosses s = 0.5 and s = 1.0
    ts = np.linspace(0.0, 1.3 / v, 20001)
    fl = []
    for tt in ts:
        lam = np.array([np.exp(s_start + v * tt), np.exp(-3.0), np.exp(3.0)])  # spectators fix the range
        asg = assign_shells(lam, grid, alpha_range=(-6, 6))
        fl.append(drift_flux(lam, np.array([v * lam[0], 0.0, 0.0]), np.array([a, 0.0, 0.0]), asg))
    fl = np.array(fl)
    integral = np.trapezoid(fl, ts, axis=0)
    sb = grid.lower(np.arange(-5, 7)).astype(float)
    for s, val in zip(sb, integral, strict=True):
        expect = 0.5 * a * a if s_start + grid.h <= s <= s_start + v * ts[-1] - grid.h else None
        if expect is not None:
            assert math.isclose(val, expect, rel_tol=1e-6)
        if s < s_start - grid.h or s > s_start + v * ts[-1] + grid.h:
            assert val == 0.0


def test_velocity_fit_and_errors():
    grid = ShellGrid(0.4)
    lam = np.exp(np.random.default_rng(3).uniform(-4, 1, 300))
    fit = fit_velocity_exponent(lam, -0.2 * lam**1.7, grid)
    assert abs(fit.b - 1.7) < 1e-12 and abs(fit.c - 0.2) < 1e-12 and fit.sigma == -1
    asg = assign_shells(lam, grid)
    V = shell_drift_velocity(lam, -0.2 * lam**1.7, asg)
    assert np.all(V.compressed() < 0)
    with pytest.raises(InputError):
        fit_velocity_exponent(np.array([1.0, 2.0]), np.array([1.0, -1.0]), grid)
    with pytest.raises(EmptyShellError):
        fit_velocity_exponent(np.array([1.0, 1.01]), np.array([1.0, 1.0]), grid)
    with pytest.raises(EmptyShellError):
        fit_velocity_exponent(np.array([0.0, 1.0]), np.array([0.0, 0.0]), grid)


def test_jacobian_projected_derivative_matches_kernel_route():
    rng = np.random.default_rng(4)
    J, dJ = rng.standard_normal((6, 9)), rng.standard_normal((6, 9))
    _lam, U = eigh_from_jacobian(J)
    dM = dJ @ J.T + J @ dJ.T
    np.testing.assert_allclose(projected_derivative_from_jacobian(U, J, dJ), projected_derivative(U, dM), atol=1e-11)


def test_measure_shells_reuses_given_eigenpairs():
    rng = np.random.default_rng(5)
    X = rng.standard_normal((6, 6))
    M, dM = X @ X.T, X + X.T
    e = rng.standard_normal(6)
    lam, U = np.linalg.eigh(M)
    a = measure_shells(M, e, ShellGrid(0.5), dM=dM)
    b = measure_shells(M, e, ShellGrid(0.5), dM=dM, eigenpairs=(lam, U))
    np.testing.assert_allclose(b.energies.extended, a.energies.extended, rtol=1e-10)
    np.testing.assert_allclose(b.fluxes, a.fluxes, rtol=1e-8, atol=1e-12)
    with pytest.raises(ShapeError):
        measure_shells(M, e, ShellGrid(0.5), eigenpairs=(lam, U[:3]))
