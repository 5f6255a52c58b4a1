"""Simulators: direct flow vs Kato mode equations, energy balance, convergence order, Krylov exp."""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from grsd_sym.errors import InputError, NonFiniteError, NotSymmetricError, ShapeError, TimeGridError
from grsd_sym.numeric.flow import expm_sym_apply, integrate_flow, integrate_modes, kato_mode_path
from grsd_sym.strategies import psd_paths


@settings(max_examples=15)
@given(psd_paths(), st.integers(0, 2**31))
def test_kato_modes_agree_with_direct_flow(system, seed):
    """GRSD-T3: a_k = u_k^T e from the direct flow equals the integrated mode equations."""
    e0 = np.random.default_rng(seed).standard_normal(system.n)
    times = np.linspace(0.0, 1.0, 6)
    lam_max = max(float(system.eigenvalues(t).max()) for t in times)
    h = min(0.01, 0.1 / (1.0 + lam_max + np.abs(system.kato_exact()).sum(axis=1).max()))
    direct = integrate_flow(system, e0, times, method="magnus4", max_step=h)
    path = kato_mode_path(system.eigenpairs, system.dM)  # Kato formula from M' (numeric)
    modes = integrate_modes(path, system.basis(0.0).T @ e0, times, max_step=h)
    a_direct = np.stack([system.basis(t).T @ e for t, e in zip(times, direct.errors, strict=True)])
    scale = float(np.linalg.norm(e0))
    np.testing.assert_allclose(modes.errors, a_direct, atol=1e-7 * scale)
    # energy balance L(t) - L(0) = -int e^T M e in both integrators
    for r in (direct, modes):
        assert np.all(np.abs(r.balance_defect) <= 1e-7 * r.loss[0]), r.balance_defect / r.loss[0]
    np.testing.assert_allclose(modes.dissipated, direct.dissipated, rtol=1e-6, atol=1e-9 * scale**2)


@pytest.mark.parametrize("method,order", [("magnus2", 2), ("magnus4", 4), ("rk4", 4)])
def test_observed_order(method, order):
    from grsd_sym.numeric.synthetic import random_system

    system = random_system(6, seed=11, rotation_scale=2.0)
    e0 = np.random.default_rng(1).standard_normal(6)
    ref = integrate_flow(system, e0, [0.0, 1.0], method="magnus4", steps=1500).errors[-1]
    errs = [
        np.linalg.norm(integrate_flow(system, e0, [0.0, 1.0], method=method, steps=N).errors[-1] - ref)
        for N in (12, 24, 48)
    ]
    p = np.log2(np.array(errs[:-1]) / np.array(errs[1:]))
    assert np.all(np.abs(p - order) < 0.3), p


def test_dissipation_book_is_order_four():
    """The Simpson/Hermite dissipation book converges at order 4 (independent of the flow method)."""

    def M(t):
        return np.array([[1.0 + t, 0.5 * np.sin(t)], [0.5 * np.sin(t), 2.0 - t * t / 2]])

    e0 = np.array([1.0, -2.0])
    d = [abs(integrate_flow(M, e0, [0.0, 1.0], method="magnus4", steps=N).balance_defect[-1]) for N in (8, 16, 32)]
    p = np.log2(np.array(d[:-1]) / np.array(d[1:]))
    assert np.all(p > 3.5), p


def test_lazy_flow_closed_form():
    """M constant (lazy/NTK, GRSD-T8): e(t) = exp(-M t) e0 exactly, and the loss is a sum of exponentials."""
    rng = np.random.default_rng(2)
    Q = np.linalg.qr(rng.standard_normal((5, 5)))[0]
    lam = np.array([0.0, 0.3, 1.0, 2.0, 5.0])
    M = (Q * lam) @ Q.T
    e0 = rng.standard_normal(5)
    ts = np.linspace(0, 2, 5)
    r = integrate_flow(M, e0, ts, method="magnus2", steps=1)
    a0 = Q.T @ e0
    L = [0.5 * math.fsum((a0**2 * np.exp(-2 * lam * t)).tolist()) for t in ts]
    np.testing.assert_allclose(r.loss, L, rtol=1e-12)


def test_expm_sym_apply_lanczos_matches_dense():
    rng = np.random.default_rng(5)
    n = 120
    X = rng.standard_normal((n, n))
    S = X @ X.T / n * 30  # spectrum up to ~120: stiff enough to need many steps
    v = rng.standard_normal(n)
    lam, U = np.linalg.eigh(S)
    for tau in (1e-3, 0.1, 1.0):
        ref = U @ (np.exp(-tau * lam) * (U.T @ v))
        got = expm_sym_apply(S, v, tau)
        np.testing.assert_allclose(got, ref, atol=1e-11 * np.linalg.norm(v))
    assert np.all(expm_sym_apply(S, np.zeros(n), 1.0) == 0)


def test_flow_bad_input():
    with pytest.raises(NonFiniteError):
        integrate_flow(lambda t: np.array([[np.nan]]), [1.0], [0.0, 1.0])
    with pytest.raises(NotSymmetricError):
        integrate_flow(lambda t: np.array([[1.0, 1.0], [0.0, 1.0]]), [1.0, 1.0], [0.0, 1.0])
    with pytest.raises(ShapeError):
        integrate_flow(lambda t: np.eye(3), [1.0, 1.0], [0.0, 1.0])
    with pytest.raises(TimeGridError):
        integrate_flow(np.eye(2), [1.0, 1.0], [1.0, 0.0])
    with pytest.raises(InputError):
        integrate_flow(np.eye(2), [1.0, 1.0], [0.0, 1.0], method="euler")
    with pytest.raises(InputError, match="stability"):
        integrate_flow(100 * np.eye(2), [1.0, 1.0], [0.0, 1.0], method="rk4", steps=2)
    with pytest.raises(NonFiniteError):
        integrate_flow(np.eye(2), [np.inf, 1.0], [0.0, 1.0])
    with pytest.raises(ShapeError):
        integrate_modes(lambda t: (np.ones(2), np.zeros((3, 3))), [1.0, 1.0], [0.0, 1.0])
    with pytest.raises(InputError):
        integrate_modes(lambda t: (1e3 * np.ones(2), np.zeros((2, 2))), [1.0, 1.0], [0.0, 1.0], steps=1)
    r = integrate_flow(np.eye(2), [1.0, 1.0], [0.0, 1.0], dissipation=False)
    with pytest.raises(InputError):
        _ = r.balance_defect


# --- regression (acceptance QA): bad input to the flow simulators is an error, never a silent NaN ---


@pytest.mark.parametrize("n", [6, 80])  # dense eigh path and Lanczos path
def test_expm_sym_apply_rejects_nonfinite(n):
    S = np.diag(np.arange(1.0, n + 1.0))
    S[1, 2] = S[2, 1] = np.nan
    with pytest.raises(NonFiniteError):
        expm_sym_apply(S, np.ones(n), 0.1)
    with pytest.raises(NonFiniteError):
        expm_sym_apply(np.eye(n), np.full(n, np.inf), 0.1)


def test_integrate_flow_rejects_negative_eigenvalue_and_accepts_rounding():
    from grsd_sym.errors import NegativeEigenvalueError

    rng = np.random.default_rng(3)
    J = rng.standard_normal((8, 3))
    M_psd = J @ J.T  # rank 3: five eigenvalues are rounding-level around 0
    e0 = rng.standard_normal(8)
    lam_min = float(np.linalg.eigvalsh(M_psd)[0])
    r = integrate_flow(M_psd, e0, [0.0, 0.5, 1.0], max_step=0.05)
    # the singular PSD kernel is accepted, and the flow agrees with the eigen-route solution
    lam, U = np.linalg.eigh(M_psd)
    np.testing.assert_allclose(r.errors[-1], U @ (np.exp(-lam) * (U.T @ e0)), atol=1e-9)
    assert abs(lam_min) < 1e-12

    # a kernel that becomes indefinite at t = 1 is refused at that output time
    def shift(t):
        return M_psd - 2.0 * t * np.eye(8) * (1.0 if t > 0.75 else 0.0)

    with pytest.raises(NegativeEigenvalueError, match=r"M\(1\)"):
        integrate_flow(shift, e0, [0.0, 0.5, 1.0], max_step=0.05)
    r2 = integrate_flow(shift, e0, [0.0, 0.5, 1.0], max_step=0.05, validate=False)  # opt-out is explicit
    assert np.isfinite(r2.errors).all()
