"""Synthetic systems: rotation, characteristics (GRSD-T14) and recovery of the velocity exponent b."""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from grsd_sym.errors import InputError, RegionError, ShapeError
from grsd_sym.numeric.shells import ShellGrid, fit_velocity_exponent
from grsd_sym.numeric.spectra import eigen_trajectory
from grsd_sym.numeric.synthetic import (CharacteristicPath, Rotation, SyntheticSystem, drift_system,
                                        random_generator, random_system)


def test_rotation_group_properties():
    rng = np.random.default_rng(0)
    G = random_generator(6, rng, 2.0)
    R = Rotation(G)
    A, B = R.at(0.3), R.at(0.5)
    np.testing.assert_allclose(A.T @ A, np.eye(6), atol=1e-13)
    np.testing.assert_allclose(A @ B, R.at(0.8), atol=1e-13)
    d = 1e-6
    np.testing.assert_allclose((R.at(0.3 + d) - R.at(0.3 - d)) / (2 * d), G @ A, atol=1e-8)
    # Taylor series of expm as an independent route
    X, term = np.eye(6), np.eye(6)
    for k in range(1, 40):
        term = term @ (0.3 * G) / k
        X = X + term
    np.testing.assert_allclose(A, X, atol=1e-12)
    with pytest.raises(InputError):
        Rotation(np.ones((2, 2)))
    with pytest.raises(ShapeError):
        Rotation(np.ones((2, 3)))


@settings(max_examples=15)
@given(st.integers(1, 8), st.integers(0, 2**31), st.floats(0.0, 0.9))
def test_dM_is_the_derivative_of_M(n, seed, t):
    s = random_system(n, seed=seed, null=min(1, n - 1))
    d = 1e-6
    np.testing.assert_allclose(s.dM(t), (s(t + d) - s(t - d)) / (2 * d), atol=1e-7 * (1 + np.abs(s(t)).max()))


def _rk4_scalar_ode(f, y0, t0, t1, n=4000):
    y, h, t = y0, (t1 - t0) / n, t0
    for _ in range(n):
        k1 = f(t, y)
        k2 = f(t + h / 2, y + h / 2 * k1)
        k3 = f(t + h / 2, y + h / 2 * k2)
        k4 = f(t + h, y + h * k3)
        y, t = y + h / 6 * (k1 + 2 * k2 + 2 * k3 + k4), t + h
    return y


@settings(max_examples=15)
@given(st.floats(0.3, 3.0), st.floats(0.05, 1.0), st.sampled_from([-1, 1]))
def test_characteristics_solve_the_ode(b, c0, sigma):
    t0 = 0.5 if b > 1 else 1.0
    lam0 = np.array([0.2, 0.7])
    p = CharacteristicPath(lam0, b=b, c0=c0, sigma=sigma, t0=t0)
    t1 = t0 + 0.5
    try:
        target = p(t1)
    except RegionError:
        return  # outside the region of existence (checked separately)
    f = lambda t, y: sigma * c0 * t ** (b - 2) * y ** b
    num = _rk4_scalar_ode(f, lam0.copy(), t0, t1)
    np.testing.assert_allclose(target, num, rtol=1e-9)
    np.testing.assert_allclose(p.rate(t1), f(t1, target), rtol=1e-12)


@settings(max_examples=15)
@given(st.floats(1.1, 3.0), st.floats(0.05, 2.0))
def test_T14_form_and_frontier(b, c0):
    lam0 = np.exp(np.linspace(-2, 2, 7))
    p = CharacteristicPath(lam0, b=b, c0=c0)
    for t in (0.5, 3.0):
        # THEORY T14 as written: lambda0 (1 + c0 (lambda0 t)^(b-1))^(-1/(b-1))
        np.testing.assert_allclose(p(t), lam0 * (1 + c0 * (lam0 * t) ** (b - 1)) ** (-1 / (b - 1)), rtol=1e-12)
    xi = c0 ** (-1 / (b - 1))
    # every characteristic tends to the frontier xi*/t; the relative distance is
    # ~ (xi*/(lambda0 t))^(b-1)/(b-1), so look where that is < 1e-3
    t = float(xi / lam0.min() * (1e-3 * (b - 1)) ** (-1 / (b - 1)))
    assert np.all(np.abs(p(t) * t / xi - 1) < 2e-3)


def test_characteristic_region_errors():
    with pytest.raises(RegionError):
        CharacteristicPath(np.array([1.0]), b=0.5, c0=1.0)        # needs t0 > 0
    p = CharacteristicPath(np.array([1.0]), b=2.0, c0=1.0, sigma=1)
    p(0.5)
    with pytest.raises(RegionError):
        p(1.5)                                                     # blow-up at lambda0 t = xi* = 1
    with pytest.raises(RegionError):
        CharacteristicPath(np.array([1.0]), b=1.5, c0=1.0).rate(0.0)
    with pytest.raises(InputError):
        CharacteristicPath(np.array([-1.0]), b=2.0, c0=1.0)
    with pytest.raises(InputError):
        CharacteristicPath(np.array([1.0]), b=2.0, c0=1.0, sigma=2)
    with pytest.raises(ShapeError):
        SyntheticSystem(CharacteristicPath(np.array([1.0, 2.0]), b=2.0, c0=1.0), np.zeros((3, 3)))


@settings(max_examples=12)
@given(st.floats(0.3, 3.0), st.floats(0.05, 0.5), st.floats(0.0, 1.0), st.integers(0, 2**31))
def test_drift_system_recovers_b(b, c0, rot, seed):
    """Measure the shells of a system built from (b, c0): its velocity exponent is b to 1e-2."""
    t_mid = 1.0
    lam0 = np.exp(np.linspace(-3.0, 0.5, 48))
    system = drift_system(lam0, b=b, c0=c0, t0=0.0 if b > 1 else 0.9, rotation_scale=rot, seed=seed)
    dt = 0.02
    times = t_mid + dt * np.arange(-2, 3)
    traj = eigen_trajectory([system(t) for t in times], times)     # data only: kernels at checkpoints
    assert np.all(traj.overlaps > 0.9)
    lam = traj.eigenvalues
    dlam = (lam[1:] - lam[:-1]) / dt                                # rates at the half points
    # fourth-order central difference at t_mid from the tracked eigenvalues
    d4 = (-lam[4] + 8 * lam[3] - 8 * lam[1] + lam[0]) / (12 * dt)
    fit = fit_velocity_exponent(lam[2], d4, ShellGrid(0.5))
    assert abs(fit.b - b) < 1e-2, (fit.b, b)
    assert fit.sigma == -1
    assert math.isclose(fit.c, c0 * t_mid ** (b - 2), rel_tol=2e-2)
    assert dlam.shape == (4, 48)
