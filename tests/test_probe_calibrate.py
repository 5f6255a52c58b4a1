"""The condition-4 test and its calibration (positive control, controlled violations)."""

from __future__ import annotations

import json

import numpy as np
import pytest

from grsd_sym.errors import InputError, ShapeError
from grsd_sym.probe.blas import blas_threads
from grsd_sym.probe.calibrate import calibrate, synthetic_couplings
from grsd_sym.probe.condition4 import condition4_test, position_regression, split_half
from grsd_sym.probe.experiment import bootstrap_difference
from grsd_sym.probe.window import choose_scaling_window


@pytest.fixture(autouse=True)
def _one_blas_thread():
    with blas_threads(1):
        yield


def _toeplitz(kappa, m, q=0.0, h=1.0):
    i, j = np.indices((m, m))
    d = np.abs(i - j)
    K = np.where(d > 0, np.sign(j - i) * np.array([0.0, *list(kappa)])[d], 0.0)
    return K * np.exp(q * h * (i + j) / 2)


def _reps(K, noise, R, rng):
    out = []
    for _ in range(R):
        Z = rng.standard_normal(K.shape)
        out.append(K + noise * (Z - Z.T) / np.sqrt(2))
    return np.array(out)


def test_condition4_verdicts_on_constructed_replicates():
    rng = np.random.default_rng(0)
    K = _toeplitz([1.0, 0.5, 0.2, 0.05], 5)
    assert condition4_test(_reps(K, 0.05, 8, rng), h=1.0)["verdict"] == "supported"
    r = condition4_test(_reps(_toeplitz([1.0, 0.5, 0.2, 0.05], 5, q=0.6), 0.05, 8, rng), h=1.0)
    assert r["verdict"] == "not supported" and r["p_invariance"] < 0.05
    assert r["position_slope"] > 0
    r = condition4_test(_reps(np.zeros((5, 5)), 1.0, 8, rng), h=1.0)
    assert r["verdict"] in ("inconclusive", "not supported")
    flat = condition4_test(_reps(_toeplitz([0.5, 0.5, 0.5, 0.5], 5), 0.05, 8, rng), h=1.0)
    assert flat["verdict"] != "supported"  # nothing depends on alpha - beta: no shift structure
    with pytest.raises(ShapeError):
        condition4_test(np.zeros((3, 4)), h=1.0)
    few = condition4_test(_reps(K, 0.05, 3, rng), h=1.0)
    assert few["verdict"] == "inconclusive" and "too few" in few["reason"]


def test_position_regression_and_split_half_by_hand():
    m, h, gamma = 5, 0.7, -0.3
    a, b = np.triu_indices(m, 1)
    kappa = {1: 2.0, 2: 1.0, 3: 0.4, 4: 0.1}
    y = np.array([kappa[bb - aa] for aa, bb in zip(a, b, strict=True)]) + gamma * h * (a + b) / 2
    assert position_regression(y, a, b, h) == pytest.approx(gamma, abs=1e-12)
    Y = np.tile(y, (6, 1))
    r = split_half(Y + 1e-9 * np.arange(6)[:, None], np.random.default_rng(0), 20)
    assert r["r"] == pytest.approx(1.0) and r["sign_agreement"] == 1.0


def test_synthetic_couplings_are_toeplitz_in_the_mean():
    lam = np.sort(np.arange(1, 513.0) ** -1.0)
    w = choose_scaling_window(lam, min_count=20)
    rng = np.random.default_rng(1)
    K = np.mean([synthetic_couplings(lam, w, rng, noise=0.0) for _ in range(3)], axis=0)
    from grsd_sym.numeric.couplings import toeplitz_deviation

    assert toeplitz_deviation(K) < 0.1  # shell discreteness only
    Kq = np.mean([synthetic_couplings(lam, w, rng, noise=0.0, q=1.0) for _ in range(3)], axis=0)
    assert toeplitz_deviation(Kq) > 3 * toeplitz_deviation(K)  # the violation is visible
    np.testing.assert_allclose(K, -K.T, atol=1e-12)


def test_calibration_pins_power_and_false_positive_rate_at_a_small_size():
    r = calibrate(n_modes=384, n_seeds=8, n_trials=10, min_count=12, seed=0)
    assert r["window"]["n_shells"] >= 4
    assert r["power"] >= 0.9, r["conditions"]
    assert r["false_positive_rate"] <= 0.1, r["conditions"]
    assert set(r["conditions"]["invariant"]) == {"supported", "not supported", "inconclusive"}
    with pytest.raises(InputError):
        calibrate(n_modes=8)


def test_cli_calibrate_json(capsys):
    from grsd_sym.cli import main

    assert main(["probe", "calibrate", "--modes", "256", "--trials", "1", "--min-count", "12", "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert 0 <= doc["power"] <= 1 and 0 <= doc["false_positive_rate"] <= 1
    assert doc["n_modes"] == 256 and doc["n_trials"] == 1


def test_bootstrap_difference_interval_covers_the_difference():
    rng = np.random.default_rng(0)
    x, y = rng.normal(0.0, 1.0, 8), rng.normal(2.0, 1.0, 8)
    r = bootstrap_difference(x, y, n_boot=500)
    assert r["diff"] == pytest.approx(y.mean() - x.mean())
    assert r["ci"][0] < r["diff"] < r["ci"][1]
    assert bootstrap_difference([1.0], [2.0, 3.0])["ci"] is None


def test_plot_results_writes_labelled_figures(tmp_path):
    import matplotlib  # noqa: F401  (an extra the test command installs: fail, never skip)

    from grsd_sym.probe.plots import plot_results

    def agg(v):
        return {"mean": {"delta_K": v, "delta_C": v + 0.1}, "std": {"delta_K": 0.1, "delta_C": 0.1}}

    diff = {
        k: {"diff": 0.1, "ci": [0.0, 0.2], "n": [8, 8]}
        for k in ("delta_K", "delta_C", "delta_W_offdiag", "kernel_movement_final")
    }
    doc = {
        "results": {"teacher": {"mlp": {"2": agg(0.5), "4": agg(0.6)}, "resnet": {"2": agg(0.4), "4": agg(0.45)}}},
        "differences": {"teacher": {"2": diff, "4": diff}},
    }
    files = plot_results(doc, tmp_path)
    assert sorted(p.split("/")[-1] for p in files) == ["delta_vs_depth_teacher.png", "differences_teacher.png"]
    assert all((tmp_path / p.split("/")[-1]).stat().st_size > 5000 for p in files)
