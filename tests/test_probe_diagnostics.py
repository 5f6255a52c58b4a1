"""Diagnostics of the four conditions and the probe CLI.

Independent routes: the shell balance E_alpha' = -D_alpha + sum_beta T_alpha,beta (GRSD-T4)
checked against the energy change over one tiny gradient step of a real network; rho0 from the
numeric module's projector transfer vs an explicit mode-by-mode Kato double loop; the lazy
(linear-model) limit where every coupling must vanish exactly; synthetic power laws whose
exponents the fits must return.
"""

from __future__ import annotations

import json

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from grsd_sym.probe.blas import blas_threads

from grsd_sym.errors import EmptyShellError, InputError
from grsd_sym.numeric.shells import ShellGrid
from grsd_sym.probe.adapter import save_trajectory_npz, trajectory_from_arrays
from grsd_sym.probe.diagnostics import (diagnose, fit_flux_velocity, functional_incoherence,
                                        gradient_propagation, measure_trajectory,
                                        toeplitz_null_baseline)
from grsd_sym.probe.networks import make_network
from grsd_sym.probe.tasks import power_law_teacher
from grsd_sym.probe.train import train
from grsd_sym.probe.window import choose_scaling_window, window_from_bounds


@pytest.fixture(autouse=True)
def _one_blas_thread():
    # performance only: small matrices on a shared 2-core machine
    with blas_threads(1):
        yield


# ----------------------------------------------------------------------------- window
@settings(max_examples=15, deadline=None)
@given(beta=st.floats(0.5, 3.0), n=st.integers(40, 200))
def test_window_recovers_exact_power_law(beta, n):
    lam = np.arange(1, n + 1.0) ** (-beta)
    w = choose_scaling_window(lam, n_shells=4, min_count=1)
    assert w.spectrum_slope == pytest.approx(-beta, abs=1e-9)
    assert w.rank_range == (1, n)  # a perfect power law is one window, all of it
    assert w.counts.sum() == n
    assert np.isclose(w.s_lo, np.log(lam[-1])) and w.h > 0


def test_window_skips_non_power_law_head():
    # a detached top eigenvalue (outlier) must fall outside the window
    lam = np.concatenate([[1e6], np.arange(2, 101.0) ** -1.5])
    w = choose_scaling_window(lam, n_shells=4, min_count=1)
    assert w.rank_range[0] >= 2
    assert np.exp(w.s_hi) < 1e5


def test_too_few_populated_shells_is_a_clear_error():
    lam = np.array([1.0] * 10 + [1e-3] * 10)
    with pytest.raises(EmptyShellError, match="populated shell"):
        window_from_bounds(lam, np.log(1e-3), np.log(1.0) + 1e-9, n_shells=4)
    with pytest.raises(EmptyShellError):
        choose_scaling_window(np.ones(5))
    with pytest.raises(InputError):
        choose_scaling_window(np.arange(1, 50.0) ** -1, n_shells=2)


# ----------------------------------------------------------------------------- condition 1
def test_gradient_propagation_geometric_norms():
    g = 3.0 * 2.0 ** np.arange(6)
    r = gradient_propagation(g)
    assert r["spread"] == pytest.approx(32.0)
    assert r["log_slope_per_layer"] == pytest.approx(np.log(2.0))
    with pytest.raises(InputError):
        gradient_propagation([1.0])
    with pytest.raises(InputError):
        gradient_propagation([1.0, 0.0])


# ----------------------------------------------------------------------------- condition 4 fits
@settings(max_examples=15, deadline=None)
@given(b=st.floats(-1.0, 2.5), sigma=st.sampled_from([-1, 1]), seed=st.integers(0, 1000))
def test_flux_velocity_fit_recovers_power_law(b, sigma, seed):
    rng = np.random.default_rng(seed)
    s_b = np.linspace(-2.0, 3.0, 5)
    c = np.exp(rng.normal(size=4))
    V = sigma * c[:, None] * np.exp((b - 1.0) * s_b)[None, :]  # V = v / lambda
    mask = np.zeros(V.shape, dtype=bool)
    mask[1, 2] = True
    V[1, 2] = -V[1, 2]  # a masked, wrong-sign entry must be ignored
    fit = fit_flux_velocity(s_b, V, mask)
    assert fit["b"] == pytest.approx(b, abs=1e-9)
    assert fit["sigma"] == sigma and fit["sign_consistency"] == 1.0
    np.testing.assert_allclose(fit["c_t"], c, rtol=1e-9)


def test_toeplitz_null_baseline():
    rng = np.random.default_rng(0)
    n = 5
    i, j = np.indices((n, n))
    Kt = np.sign(i - j) * np.exp(-np.abs(i - j)).astype(float)  # antisymmetric Toeplitz
    from grsd_sym.numeric.couplings import toeplitz_deviation
    assert toeplitz_deviation(Kt) == pytest.approx(0.0, abs=1e-15)
    assert toeplitz_null_baseline(Kt, rng, n=50, antisymmetric=True) > 0.3
    # a matrix whose off-diagonal entries are all equal is Toeplitz under every permutation
    W = np.full((n, n), 0.1) + np.eye(n)
    assert toeplitz_null_baseline(W, rng, n=10) == pytest.approx(0.0, abs=1e-12)


@settings(max_examples=20, deadline=None)
@given(q=st.floats(-2.0, 2.0), h=st.floats(0.3, 1.5), m=st.integers(4, 7), seed=st.integers(0, 999))
def test_covariant_toeplitz_recovers_scaling(q, h, m, seed):
    from grsd_sym.numeric.couplings import toeplitz_deviation
    from grsd_sym.probe.diagnostics import covariant_toeplitz

    rng = np.random.default_rng(seed)
    kappa = rng.uniform(0.5, 2.0, size=m) * rng.choice([-1, 1], size=m)
    i, j = np.indices((m, m))
    K = np.sign(j - i) * kappa[np.abs(i - j)] * np.exp(q * h * (i + j) / 2)
    q_fit, d = covariant_toeplitz(K, h)
    assert q_fit == pytest.approx(q, abs=1e-9)
    assert d == pytest.approx(0.0, abs=1e-9)
    if abs(q) > 0.3:
        assert toeplitz_deviation(K) > 0.01  # the plain delta sees the scaling as a violation


@settings(max_examples=20, deadline=None)
@given(m=st.integers(2, 7), seed=st.integers(0, 10_000))
def test_batched_toeplitz_matches_numeric_module(m, seed):
    from grsd_sym.numeric.couplings import toeplitz_deviation
    from grsd_sym.probe.diagnostics import _batched_toeplitz_deviation

    rng = np.random.default_rng(seed)
    P = rng.normal(size=(3, m, m))
    mask = rng.random((m, m)) < 0.3
    mask[0, 0] = False
    got = _batched_toeplitz_deviation(P, mask)
    want = [toeplitz_deviation(np.ma.MaskedArray(p, mask=mask)) for p in P]
    np.testing.assert_allclose(got, want, rtol=1e-12, atol=1e-14)


# ----------------------------------------------------------------------------- shell balance
def test_shell_balance_against_one_tiny_gradient_step():
    """E_alpha' = -D_alpha + sum_beta T_alpha,beta (GRSD-T4) with T from the exact Mdot."""
    task = power_law_teacher(n_samples=24, input_dim=6, seed=3)
    net = make_network("resnet", 6, 10, 2, seed=1)
    traj = train(net, task, lr_scale=0.3, steps=3, n_checkpoints=2, store_jacobians=False)
    lam0 = np.linalg.eigvalsh(traj.M[0])
    grid = ShellGrid(1.3, s0=float(np.log(lam0[lam0 > 0].min())) - 0.41)
    # two nearby states on the gradient-flow path: theta and theta - dt * grad
    theta = traj.theta[0]
    dt = 1e-7
    _, g, _ = net.loss_and_grad(theta, task.X, task.y)
    th2 = theta - dt * g
    J2, M2, Md2, e2 = net.kernel_and_velocity(th2, task.X, task.y)
    pair = trajectory_from_arrays(t=[0.0, dt], e=np.array([traj.e[0], e2]),
                                  M=np.array([traj.M[0], M2]), Mdot=np.array([traj.Mdot[0], Md2]))
    sh = measure_trajectory(pair, grid)
    m0, m1 = sh.measurements
    assert np.array_equal(m0.assignment.bins[np.argsort(m0.eigenvalues)],
                          m1.assignment.bins[np.argsort(m1.eigenvalues)])
    dE = (m1.energies.values - m0.energies.values) / dt
    # trapezoid of the two endpoint rates: O(dt^2) error
    rate = 0.5 * sum(-m.dissipation.values + m.transfer.net[1:] for m in (m0, m1))
    scale = np.abs(m0.dissipation.values).max()
    np.testing.assert_allclose(dE, rate, atol=1e-5 * scale)
    assert np.abs(m0.transfer.net[1:]).max() > 1e-4 * scale  # transfer is not trivially zero


def test_rho0_matches_explicit_kato_double_loop():
    task = power_law_teacher(n_samples=16, input_dim=5, seed=0)
    net = make_network("mlp", 5, 8, 2, seed=2)
    traj = train(net, task, lr_scale=0.3, steps=2, n_checkpoints=2, store_jacobians=False)
    lam, U = np.linalg.eigh(traj.M[0])
    grid = ShellGrid(1.0, s0=float(np.log(lam[lam > 1e-10 * lam[-1]].min())) - 0.5)
    sh = measure_trajectory(traj, grid)
    rho0 = functional_incoherence(sh.measurements[0])
    # explicit route: mode pairs in different shells, A_kj = u_j^T Mdot u_k / (lam_k - lam_j)
    a = U.T @ traj.e[0]
    B = U.T @ traj.Mdot[0] @ U
    pos = lam > sh.null_tol
    alpha = np.full(lam.size, -10**9)
    alpha[pos] = np.floor((np.log(lam[pos]) - grid.s0) / grid.h).astype(int)
    T = {}
    for k in range(lam.size):
        for j in range(lam.size):
            if pos[k] and pos[j] and alpha[k] != alpha[j]:
                key = (alpha[k], alpha[j])
                T[key] = T.get(key, 0.0) + B[j, k] / (lam[k] - lam[j]) * a[k] * a[j]
    D = sum(lam[k] * a[k] ** 2 for k in range(lam.size) if pos[k])
    assert rho0 == pytest.approx(sum(abs(v) for v in T.values()) / D, rel=1e-8)


# ----------------------------------------------------------------------------- lazy limit
def test_lazy_linear_model_has_no_transfer():
    """A linear model f = X theta has J = X constant: Mdot = 0, T = 0, W = identity (GRSD-T8)."""
    rng = np.random.default_rng(1)
    n = 60
    X = rng.normal(size=(n, n)) * (np.arange(1, n + 1.0) ** -0.8)
    M = X @ X.T
    lam, U = np.linalg.eigh(M)
    a0 = rng.normal(size=n)
    t = np.concatenate([[0.0], np.geomspace(1e-2, 10.0, 6)]) / lam[-1]
    e = np.array([U @ (np.exp(-lam * ti) * a0) for ti in t])
    traj = trajectory_from_arrays(t=t, e=e, M=np.array([M] * t.size), Mdot=np.zeros((t.size, n, n)),
                                  grad_norms=np.ones(3))
    d = diagnose(traj, n_shells=4, n_null=10)
    s = d["summary"]
    assert s["rho0"] == 0.0
    assert s["kernel_movement_final"] == 0.0
    assert s["delta_K"] is None  # K = 0: the deviation is undefined, not 0
    assert s["delta_W"] == pytest.approx(0.0, abs=1e-12)  # W = identity is Toeplitz
    assert s["grad_spread"] == 1.0


def test_diagnose_trained_network_summary_is_finite():
    task = power_law_teacher(n_samples=48, input_dim=12, seed=0)
    net = make_network("resnet", 12, 12, 2, seed=0)
    traj = train(net, task, steps=200, n_checkpoints=8, store_jacobians=False)
    s = diagnose(traj, n_shells=4, n_null=20)["summary"]
    for k in ("delta_K", "delta_W", "rho0", "kernel_movement_final", "grad_spread",
              "adiabatic_ratio_median", "delta_K_null"):
        assert s[k] is not None and np.isfinite(s[k]), k
    assert 0 <= s["delta_K"] <= 1.0 + 1e-12 and 0 <= s["delta_W"] <= 1.0 + 1e-12
    assert s["window"]["populated"] >= 3


# ----------------------------------------------------------------------------- CLI
def test_cli_probe_tiny_json(capsys):
    from grsd_sym.cli import main

    rc = main(["probe", "--arch", "mlp,resnet", "--depths", "1,2", "--seeds", "0,1", "--width", "6",
               "--samples", "32", "--steps", "60", "--checkpoints", "5", "--shells", "3", "--json"])
    out = capsys.readouterr()
    assert rc == 0
    doc = json.loads(out.out)
    for arch in ("mlp", "resnet"):
        for depth in ("1", "2"):
            agg = doc["results"][arch][depth]
            assert len(agg["seeds"]) == 2
            for key in ("delta_K", "delta_W", "b_flux", "grad_spread", "rho0",
                        "kernel_movement_final", "adiabatic_ratio_median"):
                assert key in agg["mean"] and key in agg["std"]
            ok = [s for s in agg["seeds"] if "error" not in s]
            if len(ok) == 2 and all(s["delta_K"] is not None for s in ok):
                vals = [s["delta_K"] for s in ok]
                assert agg["mean"]["delta_K"] == pytest.approx(np.mean(vals))
                assert agg["std"]["delta_K"] == pytest.approx(np.std(vals, ddof=1))
    assert "[8/8]" in out.err  # progress on stderr


def test_cli_probe_errors(tmp_path, capsys):
    from grsd_sym.cli import main

    assert main(["probe", "--arch", "cnn", "--depths", "1", "--seeds", "0"]) == 2
    assert main(["probe", "--depths", "x"]) == 2
    e = np.ones((3, 4))
    np.savez(tmp_path / "bad.npz", t=[0.0, 1.0, 1.0], e=e, M=np.array([np.eye(4)] * 3))
    assert main(["probe", "--trajectory", str(tmp_path / "bad.npz")]) == 2
    np.savez(tmp_path / "bad2.npz", t=[0.0, 1.0, 2.0], e=e, J=np.ones((3, 5, 2)))
    assert main(["probe", "--trajectory", str(tmp_path / "bad2.npz")]) == 2
    err = capsys.readouterr().err
    assert "strictly increasing" in err and "match e" in err
    # regression (acceptance QA): a config that cannot give a Toeplitz structure fails before training
    assert main(["probe", "--quick", "--shells", "2"]) == 2
    assert main(["probe", "--quick", "--checkpoints", "1"]) == 2
    err = capsys.readouterr().err
    assert "n_shells must be >= 3" in err and "n_checkpoints must be >= 2" in err


def test_cli_probe_user_trajectory(tmp_path, capsys):
    from grsd_sym.cli import main

    task = power_law_teacher(n_samples=40, input_dim=8, seed=1)
    net = make_network("mlp", 8, 10, 2, seed=0)
    traj = train(net, task, steps=100, n_checkpoints=6)
    save_trajectory_npz(traj, tmp_path / "run.npz", include_jacobians=True)
    assert main(["probe", "--trajectory", str(tmp_path / "run.npz"), "--shells", "4", "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    direct = diagnose(traj, n_shells=4)["summary"]
    assert doc["summary"]["rho0"] == pytest.approx(direct["rho0"], rel=1e-9)
    # the exact Mdot travels in the file (key Mdot) with the Jacobians (key J)
    assert doc["summary"]["Mdot_source"] == "exact"


def test_cli_probe_plot(tmp_path, capsys):
    from grsd_sym.cli import main

    argv = ["probe", "--arch", "resnet", "--depths", "1", "--seeds", "0", "--width", "5",
            "--samples", "30", "--steps", "40", "--checkpoints", "4", "--shells", "3",
            "--plot", str(tmp_path / "figs")]
    try:
        import matplotlib  # noqa: F401
    except ImportError:
        assert main(argv) == 2
        assert "matplotlib" in capsys.readouterr().err
        return
    assert main(argv) == 0
    names = sorted(p.name for p in (tmp_path / "figs").iterdir())
    assert names == ["couplings_K.png", "couplings_W.png", "delta_vs_depth.png",
                     "shell_energies.png", "spectra.png"]
    assert all((tmp_path / "figs" / n).stat().st_size > 1000 for n in names)


def test_pure_drift_velocity_exponent_is_recovered():
    """Fixed eigenvectors, eigenvalues drifting as lambda' = -c lambda^b: no transfer (T = 0), all
    flux is drift; the fits must return b with sigma = -1 (GRSD-T2, T6)."""
    rng = np.random.default_rng(0)
    n, b, c = 240, 0.5, 0.3
    Q, _ = np.linalg.qr(rng.normal(size=(n, n)))
    lam0 = np.exp(np.linspace(-3.0, 3.0, n))
    a = np.ones(n)
    t = np.array([0.0, 0.01, 0.02, 0.04])
    # exact solution of lambda' = -c lambda^b: lambda^(1-b) = lambda0^(1-b) - (1-b) c t
    lam_t = np.array([(lam0 ** (1 - b) - (1 - b) * c * ti) ** (1 / (1 - b)) for ti in t])
    M = np.array([(Q * l) @ Q.T for l in lam_t])
    Md = np.array([(Q * (-c * l ** b)) @ Q.T for l in lam_t])
    e = np.array([Q @ a] * t.size)  # amplitudes held fixed: only the velocity matters here
    traj = trajectory_from_arrays(t=t, e=e, M=M, Mdot=Md)
    from grsd_sym.probe.window import window_from_bounds
    w = window_from_bounds(lam_t[0], -2.0, 2.0, n_shells=5)
    s = diagnose(traj, window=w, n_null=5)["summary"]
    assert s["rho0"] == pytest.approx(0.0, abs=1e-9)
    assert s["b_drift"] == pytest.approx(b, abs=1e-6)
    assert s["total_flux_sign"] == -1 and s["total_flux_sign_consistency"] == 1.0
    assert s["b_flux_total"] == pytest.approx(b, abs=0.05)


def test_window_refuses_a_degenerate_cluster():
    """Regression (acceptance QA): two clusters of near-equal eigenvalues hold no scaling window.

    Inside one cluster every rank range is a 'power law' over a tiny s-range; the chooser must
    say so instead of cutting shells narrower than the data's spread.  The same spectrum with a
    true power law between the clusters keeps its window.
    """
    clusters = np.concatenate([np.linspace(1.0, 1.01, 20), np.full(20, 100.0)])
    with pytest.raises(EmptyShellError, match="min_span"):
        choose_scaling_window(clusters, n_shells=6)
    w = choose_scaling_window(clusters, n_shells=3, min_count=1, min_span=0.0)  # opt-out is explicit
    assert w.s_hi - w.s_lo < 0.02
    law = np.concatenate([clusters, np.arange(1, 200.0) ** -1.0 * 50.0])
    w2 = choose_scaling_window(law, n_shells=4, min_count=1)
    assert w2.s_hi - w2.s_lo >= 1.0
