"""Probe diagnostics: the window, the shell stage, the four conditions (docs/theory/conditions.md).

Every numeric check compares two independent routes: the window against exact power laws, the
shell stage against ``grsd_sym.numeric.shells`` (projector transfer, energies, fluxes) and an
explicit double loop, the flux fit against data generated from the model, the eigenvalue drift
against ``sum(U * (Mdot @ U), 0)``.
"""

from __future__ import annotations

import json

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from grsd_sym.errors import EmptyShellError, InputError
from grsd_sym.numeric import assign_shells, projector_transfer, shell_energies
from grsd_sym.probe.adapter import save_trajectory_npz, trajectory_from_arrays
from grsd_sym.probe.blas import blas_threads
from grsd_sym.probe.condition4 import batched_toeplitz_deviation, covariant_toeplitz
from grsd_sym.probe.diagnostics import (
    SpectralCheckpoint,
    diagnose,
    diagnose_path,
    fit_flux_velocity,
    gradient_propagation,
    shell_checkpoint,
    spectral_path,
    toeplitz_null_baseline,
)
from grsd_sym.probe.gradflow import train_flow
from grsd_sym.probe.networks import make_network
from grsd_sym.probe.tasks import power_law_teacher
from grsd_sym.probe.window import (
    choose_scaling_window,
    refit_windows,
    window_from_bounds,
)


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
    w = choose_scaling_window(lam, n_shells=4, min_count=1, exclude_top=0)
    assert w.spectrum_slope == pytest.approx(-beta, abs=1e-9)
    assert w.rank_range == (1, n)  # a perfect power law is one window, all of it
    assert w.counts.sum() == n
    assert np.isclose(w.s_lo, np.log(lam[-1])) and w.h > 0


def test_window_excludes_top_ranks_and_keeps_min_count():
    lam = np.arange(1, 1025.0) ** -1.2
    w = choose_scaling_window(lam)  # defaults: min_count 30, top 2% excluded
    assert w.rank_range[0] == w.exclude_top + 1 and w.exclude_top == 20
    assert w.counts.min() >= 30 and w.n_shells >= 3
    assert np.exp(w.s_hi) < lam[w.exclude_top - 1]  # the excluded ranks are above the window
    # the automatic shell count is the largest with >= 30 modes in every shell
    with pytest.raises(EmptyShellError):
        choose_scaling_window(lam, n_shells=w.n_shells + 1, min_count=30, max_shells=w.n_shells + 1)
    bad = window_from_bounds(lam, w.s_lo, w.s_hi, n_shells=w.n_shells + 1, min_count=1)
    assert bad.counts.min() < 30


def test_window_is_the_intersection_over_checkpoints():
    lam = np.arange(1, 513.0) ** -1.0
    spectra = [lam, 3.0 * lam, 0.5 * lam]
    singles = [choose_scaling_window(s, min_count=10) for s in spectra]
    w = choose_scaling_window(spectra, min_count=10)
    assert w.s_lo == pytest.approx(max(x.per_checkpoint[0][0] for x in singles))
    assert w.s_hi == pytest.approx(min(x.per_checkpoint[0][1] for x in singles))
    assert len(w.per_checkpoint) == 3 and "intersection" in w.rule
    assert w.counts_min.min() >= 10
    # spectra that move apart have no common window; refitting gives one per checkpoint
    far = [lam, 1e6 * lam]
    with pytest.raises(EmptyShellError, match="do not overlap"):
        choose_scaling_window(far, min_count=10)
    ws = refit_windows(far, min_count=10)
    assert len(ws) == 2 and ws[0].n_shells == ws[1].n_shells
    assert ws[1].s_lo == pytest.approx(ws[0].s_lo + np.log(1e6))


def test_equal_count_shells():
    lam = np.arange(1, 801.0) ** -1.5
    w = choose_scaling_window(lam, shells="count", min_count=20)
    assert w.shells == "count" and w.counts.max() - w.counts.min() <= 1
    assert np.all(np.diff(w.edges) > 0)


def test_too_few_populated_shells_is_a_clear_error():
    lam = np.array([1.0] * 10 + [1e-3] * 10)
    with pytest.raises(EmptyShellError, match="populated shell"):
        window_from_bounds(lam, np.log(1e-3), np.log(1.0) + 1e-9, n_shells=4)
    with pytest.raises(EmptyShellError):
        choose_scaling_window(np.ones(5))
    with pytest.raises(InputError):
        choose_scaling_window(np.arange(1, 50.0) ** -1, n_shells=2)


def test_window_refuses_a_degenerate_cluster():
    clusters = np.concatenate([np.linspace(1.0, 1.01, 20), np.full(20, 100.0)])
    with pytest.raises(EmptyShellError):
        choose_scaling_window(clusters, n_shells=6, min_count=1, exclude_top=0)
    law = np.concatenate([clusters, np.arange(1, 200.0) ** -1.0 * 50.0])
    w2 = choose_scaling_window(law, n_shells=4, min_count=1)
    assert w2.s_hi - w2.s_lo >= 1.0


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
@settings(max_examples=10, deadline=None)
@given(b=st.floats(-1.0, 2.5), sigma=st.sampled_from([-1, 1]), seed=st.integers(0, 1000))
def test_flux_velocity_fit_recovers_power_law(b, sigma, seed):
    rng = np.random.default_rng(seed)
    s_b = np.linspace(-2.0, 3.0, 5)
    c = np.exp(rng.normal(size=4))
    v = sigma * c[:, None] * np.exp(b * s_b)[None, :]
    mask = np.zeros(v.shape, dtype=bool)
    mask[1, 2] = True
    v[1, 2] = -50 * v[1, 2]  # a masked entry must be ignored
    fit = fit_flux_velocity(s_b, v, mask, n_boot=5)
    assert fit.b == pytest.approx(b, abs=1e-3)
    np.testing.assert_allclose(fit.c_t, sigma * c, rtol=1e-2)
    assert fit.sigma == sigma


def test_flux_velocity_fit_is_robust_and_uses_every_entry():
    rng = np.random.default_rng(0)
    s_b = np.linspace(-1.0, 2.0, 6)
    c = rng.uniform(0.5, 2.0, 8)
    v = c[:, None] * np.exp(1.3 * s_b)[None, :] * (1 + 0.02 * rng.standard_normal((8, 6)))
    v[2, 3] = -v[2, 3] * 20  # one wrong-sign outlier stays in the fit
    fit = fit_flux_velocity(s_b, v, n_boot=30)
    assert fit.n_points == v.size
    assert fit.b == pytest.approx(1.3, abs=0.05)
    assert 0 < fit.b_se < 0.1
    assert fit.sign_consistency == pytest.approx(47 / 48)


def test_toeplitz_null_baseline():
    rng = np.random.default_rng(0)
    n = 5
    i, j = np.indices((n, n))
    Kt = np.sign(i - j) * np.exp(-np.abs(i - j)).astype(float)  # antisymmetric Toeplitz
    from grsd_sym.numeric.couplings import toeplitz_deviation

    assert toeplitz_deviation(Kt) == pytest.approx(0.0, abs=1e-15)
    assert toeplitz_null_baseline(Kt, rng, n=50, antisymmetric=True) > 0.3
    W = np.full((n, n), 0.1) + np.eye(n)
    assert toeplitz_null_baseline(W, rng, n=10) == pytest.approx(0.0, abs=1e-12)


@settings(max_examples=15, deadline=None)
@given(q=st.floats(-2.0, 2.0), h=st.floats(0.3, 1.5), m=st.integers(4, 7), seed=st.integers(0, 999))
def test_covariant_toeplitz_recovers_scaling(q, h, m, seed):
    rng = np.random.default_rng(seed)
    kappa = rng.uniform(0.5, 2.0, size=m) * rng.choice([-1, 1], size=m)
    i, j = np.indices((m, m))
    K = np.sign(j - i) * kappa[np.abs(i - j)] * np.exp(q * h * (i + j) / 2)
    q_fit, d = covariant_toeplitz(K, h)
    assert q_fit == pytest.approx(q, abs=1e-9)
    assert d == pytest.approx(0.0, abs=1e-9)


@settings(max_examples=15, deadline=None)
@given(m=st.integers(2, 7), seed=st.integers(0, 10_000))
def test_batched_toeplitz_matches_numeric_module(m, seed):
    from grsd_sym.numeric.couplings import toeplitz_deviation

    rng = np.random.default_rng(seed)
    P = rng.normal(size=(3, m, m))
    mask = rng.random((m, m)) < 0.3
    mask[0, 0] = False
    got = batched_toeplitz_deviation(P, mask)
    want = [toeplitz_deviation(np.ma.MaskedArray(p, mask=mask)) for p in P]
    np.testing.assert_allclose(got, want, rtol=1e-12, atol=1e-14)


# ----------------------------------------------------------------------------- the shell stage
def _random_checkpoint(n=120, seed=0):
    rng = np.random.default_rng(seed)
    lam = np.sort(np.arange(1, n + 1.0) ** -1.3 * np.exp(0.05 * rng.standard_normal(n)))
    Q, _ = np.linalg.qr(rng.standard_normal((n, n)))
    M = (Q * lam) @ Q.T
    G = rng.standard_normal((n, n))
    Md = G + G.T
    e = rng.standard_normal(n)
    traj = trajectory_from_arrays(t=[0.0, 1.0], e=np.array([e, e]), M=np.array([M, M]), Mdot=np.array([Md, Md]))
    return traj, lam, Q, Md, e


def test_shell_stage_matches_numeric_shells_module():
    traj, _lam, _Q, Md, _e = _random_checkpoint()
    path = spectral_path(traj)
    cp = path.checkpoints[0]
    w = choose_scaling_window(path.spectra, n_shells=4, min_count=5, exclude_top=2)
    sh = shell_checkpoint(cp, w)
    # numeric.shells on the same grid, all shells: the window block of T and E must agree
    asg = assign_shells(cp.lam, w.grid, null_tol=0.0, alpha_range=(-40, 40))
    T = projector_transfer(cp.lam, cp.B, cp.a, asg).inter
    E = shell_energies(cp.lam, cp.a, asg).values
    sel = slice(40, 40 + w.n_shells)
    np.testing.assert_allclose(sh["T"], T[sel, sel], rtol=1e-9, atol=1e-12 * np.abs(T).max())
    np.testing.assert_allclose(sh["E"], E[sel], rtol=1e-12)
    # boundary fluxes of all modes = net transfer from every shell below to every shell above
    for b in range(1, w.n_shells):
        want = T[40 + b :, : 40 + b].sum()
        assert sh["F"][b - 1] == pytest.approx(want, rel=1e-8, abs=1e-12 * np.abs(T).max())
    # the eigenvalue drift (Hellmann-Feynman) is the diagonal of B
    U = np.linalg.eigh(traj.M[0])[1]
    dlam = np.sum(U * (Md @ U), axis=0)
    np.testing.assert_allclose(np.diag(cp.B), dlam, rtol=1e-8, atol=1e-10)


def test_adiabatic_ratio_uses_gaps_between_shells_only():
    lam = np.array([1.0, 1.5, 2.0, 2.0 + 1e-9, 3.0, 5.0, 6.0, 9.0])  # a near-degenerate pair inside
    w = window_from_bounds(lam, 0.0 - 1e-9, np.log(9.0) + 1e-9, n_shells=3, min_count=1)
    B = np.ones((lam.size, lam.size))
    cp = SpectralCheckpoint(0.0, lam, np.ones(lam.size), B, 2.0, 0.0)
    sh = shell_checkpoint(cp, w)
    bins = w.bins(lam)
    want = []
    for k in range(lam.size):
        g = min(abs(lam[k] - lam[j]) for j in range(lam.size) if bins[j] != bins[k])
        want.append(2.0 / g**2)
    np.testing.assert_allclose(sh["adiabatic"], want)
    assert max(sh["adiabatic"]) < 1e3  # the intra-shell gap of 1e-9 does not enter


def test_degenerate_pair_on_a_boundary_skips_the_checkpoint_not_the_run():
    traj, _lam, _Q, _Md, _e = _random_checkpoint(seed=3)
    path = spectral_path(traj)
    w = choose_scaling_window(path.spectra, n_shells=4, min_count=5, exclude_top=2)
    # put two eigenvalues of checkpoint 0 on either side of an inner boundary, 1e-14 apart
    cp = path.checkpoints[0]
    edge = np.exp(w.edges[2])
    k = int(np.searchsorted(cp.lam, edge))
    cp.lam = cp.lam.copy()
    cp.lam[k - 1], cp.lam[k] = edge * (1 - 1e-14), edge * (1 + 1e-14)
    d = diagnose_path(path, w, n_null=19, n_boot=20)
    skipped = d["summary"]["skipped_checkpoints"]
    assert len(skipped) == 1 and skipped[0]["checkpoint"] == 0
    assert "straddle" in skipped[0]["reason"]
    assert d["summary"]["delta_K"] is not None  # the other checkpoint is measured


def test_rho0_matches_explicit_double_loop():
    task = power_law_teacher(n_samples=60, input_dim=6, seed=0)
    net = make_network("mlp", 6, 10, 2, seed=2)
    traj = train_flow(net, task, t_max_scale=5.0, n_checkpoints=2)
    d = diagnose(traj, n_shells=3, min_count=4, n_null=19, n_boot=20)
    w = d["window"]
    rho0 = d["summary"]["rho0"]
    lam, U = np.linalg.eigh(traj.M[0])
    a = U.T @ traj.e[0]
    B = U.T @ traj.Mdot[0] @ U
    bins = w.bins(lam)
    num, D = 0.0, 0.0
    for k in range(lam.size):
        if bins[k] < 0:
            continue
        D += lam[k] * a[k] ** 2
    T = np.zeros((w.n_shells, w.n_shells))
    for k in range(lam.size):
        for j in range(lam.size):
            if bins[k] >= 0 and bins[j] >= 0 and bins[k] != bins[j]:
                T[bins[k], bins[j]] += B[j, k] / (lam[k] - lam[j]) * a[k] * a[j]
    num = np.abs(T).sum()
    assert rho0 == pytest.approx(num / D, rel=1e-8)


def test_lazy_trajectory_reports_no_transport():
    """A linear model has a constant kernel: no transport, condition 4 inconclusive (GRSD-T8)."""
    rng = np.random.default_rng(1)
    n = 160
    X = rng.normal(size=(n, n)) * (np.arange(1, n + 1.0) ** -0.8)
    M = X @ X.T
    lam, U = np.linalg.eigh(M)
    a0 = rng.normal(size=n)
    t = np.concatenate([[0.0], np.geomspace(1e-2, 10.0, 4)]) / lam[-1]
    e = np.array([U @ (np.exp(-lam * ti) * a0) for ti in t])
    traj = trajectory_from_arrays(
        t=t, e=e, M=np.array([M] * t.size), Mdot=np.zeros((t.size, n, n)), grad_norms=np.ones(3)
    )
    s = diagnose(traj, min_count=8, n_null=19, n_boot=20)["summary"]
    assert s["transport"] == "no transport detected"
    assert s["condition4"]["verdict"] == "inconclusive"
    assert "no transport" in s["condition4"]["reason"]
    assert s["rho0"] == 0.0 and s["kernel_movement_final"] == 0.0


# ----------------------------------------------------------------------------- gradient flow
def test_power_iteration_lambda_max_matches_eigh():
    from grsd_sym.probe.gradflow import kernel_lambda_max

    task = power_law_teacher(n_samples=30, input_dim=5, seed=0)
    net = make_network("resnet", 5, 8, 2, seed=0)
    th = net.init_params()
    J = net.jacobian(th, task.X)
    lam, _ = kernel_lambda_max(net, th, task.X, iters=500, rtol=1e-12)
    assert lam == pytest.approx(np.linalg.eigvalsh(J @ J.T)[-1], rel=1e-6)


def test_gradient_flow_keeps_lr_lambda_max_below_the_bound():
    task = power_law_teacher(n_samples=64, input_dim=6, seed=1)
    net = make_network("mlp", 6, 12, 3, seed=0)
    traj = train_flow(net, task, lr_bound=0.3, t_max_scale=40.0, n_checkpoints=4, power_every=5)
    m = traj.meta
    assert m["lr_lambda_est_max"] <= 0.3 + 1e-12
    assert all(x <= 0.3 + 1e-12 for x in m["lr_lambda_est_t"])
    lam_max = [np.linalg.eigvalsh(M)[-1] for M in traj.M]
    exact = [lr * l for lr, l in zip(m["lr_t"], lam_max, strict=True)]
    assert max(exact) <= 0.3 * 1.05  # the estimate tracks the exact value
    assert traj.t[-1] == pytest.approx(40.0 / lam_max[0], rel=1e-9)
    assert np.array(m["grad_norms_t"]).shape == (5, 4)  # norms along training, layers 0..3
    s = diagnose(traj, n_shells=3, min_count=4, n_null=19, n_boot=20)["summary"]
    np.testing.assert_allclose(s["lr_lambda_max_t"], exact, rtol=1e-9)
    assert len(s["grad_spread_t"]) == 5
    assert s["regime"]["integrator"].startswith("adaptive-step")


def test_gradient_flow_rejects_bad_settings():
    task = power_law_teacher(n_samples=8, input_dim=3, seed=0)
    net = make_network("mlp", 3, 4, 1, seed=0)
    with pytest.raises(InputError):
        train_flow(net, task, lr_bound=None)
    with pytest.raises(InputError):
        train_flow(net, task, lr_bound=2.5)
    with pytest.raises(InputError):
        train_flow(net, task, lr=float("nan"))


# ----------------------------------------------------------------------------- CLI
def test_cli_probe_json_carries_the_condition4_test(capsys):
    from grsd_sym.cli import main

    rc = main(
        [
            "probe",
            "--depths",
            "2",
            "--seeds",
            "0,1,2,3",
            "--width",
            "8",
            "--samples",
            "160",
            "--checkpoints",
            "3",
            "--min-count",
            "8",
            "--calibration-trials",
            "2",
            "--t-max",
            "10",
            "--json",
        ]
    )
    out = capsys.readouterr()
    doc = json.loads(out.out)
    assert rc == (0 if doc["status"] == "ok" else 1)
    for arch in ("mlp", "resnet"):
        c4 = doc["results"]["teacher"][arch]["2"]["condition4"]
        for key in ("p_value", "positive_control", "split_half", "verdict"):
            assert key in c4, key
        assert c4["verdict"] in ("supported", "not supported", "inconclusive")
    d = doc["differences"]["teacher"]["2"]["delta_K"]
    assert set(d) == {"diff", "ci", "n"}
    assert "[8/8]" in out.err


def test_cli_probe_errors(tmp_path, capsys):
    from grsd_sym.cli import main

    assert main(["probe", "--depths", "x"]) == 2
    assert main(["probe", "--quick", "--branch-scale", "nan"]) == 2
    assert main(["probe", "--quick", "--shells", "2"]) == 2
    assert main(["probe", "--quick", "--lr-bound", "3"]) == 2
    err = capsys.readouterr().err
    assert "branch-scale" in err and "n_shells must be >= 3" in err and "lr-bound" in err
    e = np.ones((3, 4))
    np.savez(tmp_path / "bad.npz", t=[0.0, 1.0, 1.0], e=e, M=np.array([np.eye(4)] * 3))
    assert main(["probe", "--trajectory", str(tmp_path / "bad.npz")]) == 2
    # a diverging run: a fixed step far beyond 2 / lambda_max gives a failed status, exit 1
    rc = main(
        [
            "probe",
            "--arch",
            "mlp",
            "--depths",
            "1",
            "--seeds",
            "0",
            "--width",
            "4",
            "--samples",
            "40",
            "--checkpoints",
            "2",
            "--lr-bound",
            "none",
            "--lr",
            "1000",
            "--calibration-trials",
            "0",
            "--json",
        ]
    )
    out = capsys.readouterr()
    assert rc == 1
    doc = json.loads(out.out)
    assert doc["status"] == "failed" and "diverged" in doc["failed_runs"][0]["error"]


def test_cli_probe_user_trajectory(tmp_path, capsys):
    from grsd_sym.cli import main

    task = power_law_teacher(n_samples=120, input_dim=8, seed=1)
    net = make_network("mlp", 8, 16, 2, seed=0)
    traj = train_flow(net, task, t_max_scale=10.0, n_checkpoints=3)
    save_trajectory_npz(traj, tmp_path / "run.npz")
    assert (
        main(["probe", "--trajectory", str(tmp_path / "run.npz"), "--shells", "3", "--min-count", "4", "--json"]) == 0
    )
    doc = json.loads(capsys.readouterr().out)
    direct = diagnose(traj, n_shells=3, min_count=4)["summary"]
    assert doc["summary"]["rho0"] == pytest.approx(direct["rho0"], rel=1e-9)
    assert doc["summary"]["Mdot_source"] == "exact"
