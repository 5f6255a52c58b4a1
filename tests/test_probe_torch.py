"""PyTorch adapter: J, M and Mdot against the numpy networks (same weights), blocks, optimizers.

torch is imported directly: CI installs the extra, so a missing torch is a failure, not a skip.
"""

from __future__ import annotations

import importlib
import json
import subprocess
import sys

import numpy as np
import pytest
import torch

from grsd_sym.errors import InputError, ShapeError
from grsd_sym.probe.architectures import ArchSpec
from grsd_sym.probe.optim import gradient_noise_scale
from grsd_sym.probe.runs import _numpy_trajectory, normalize_options
from grsd_sym.probe.tasks import task_from_arrays
from grsd_sym.probe.torch_adapter import (
    build_torch_model,
    from_torch,
    torch_jacobian,
    torch_kernel,
    torch_model_from_theta,
)

TOL = 1e-10


def _rel(a, b):
    return float(np.abs(a - b).max() / max(1.0, np.abs(b).max()))


def _problem(arch, k=2, seed=3):
    spec = ArchSpec(arch, (5,), width=6, depth=3, output_dim=k)
    net = spec.numpy_network(seed=seed)
    theta = net.init_params()
    rng = np.random.default_rng(11)
    X, y = rng.normal(size=(9, 5)), rng.normal(size=(9, k))
    return spec, net, theta, X, y


@pytest.mark.parametrize("arch", ["mlp", "resnet"])
@pytest.mark.parametrize("k", [1, 2])
def test_torch_J_M_Mdot_match_numpy_network(arch, k):
    spec, net, theta, X, y = _problem(arch, k)
    J_np, M_np, Md_np, e_np = net.kernel_and_velocity(theta, X, y)
    model = torch_model_from_theta(spec, theta)
    v = -(J_np.T @ e_np)
    J_t, Jd_t = torch_jacobian(model, X, direction=v)
    assert J_t.shape == J_np.shape
    assert _rel(J_t, J_np) < TOL
    assert _rel(Jd_t, net.jacobian_derivative(theta, X, v)) < TOL  # complex step vs jvp
    out = torch_kernel(model, X, y)
    assert _rel(out["e"], e_np) < TOL
    assert _rel(out["M"], M_np) < TOL
    assert _rel(out["Mdot"], Md_np) < TOL


def test_parameter_order_is_the_numpy_layout():
    spec, net, theta, X, _y = _problem("resnet")
    model = torch_model_from_theta(spec, theta)
    flat = torch.cat([p.detach().reshape(-1) for p in model.parameters()]).numpy()
    assert np.array_equal(flat, theta)
    assert np.allclose(model(torch.tensor(X)).detach().numpy(), net.forward(theta, X), atol=1e-14)


@pytest.mark.parametrize("block_size,max_memory", [(2, 1), (4, 10**9), (9, 1)])
def test_blocks_and_memory_budget_give_the_same_kernel(block_size, max_memory):
    spec, _net, theta, X, y = _problem("mlp")
    ref = torch_kernel(torch_model_from_theta(spec, theta), X, y, block_size=9)
    out = torch_kernel(torch_model_from_theta(spec, theta), X, y, block_size=block_size, max_memory=max_memory)
    nb = -(-9 // block_size)
    # a budget of one byte holds one block per panel: block j is recomputed for every panel
    # before it (nb (nb + 1) / 2 evaluations); a large budget computes each block once
    assert out["computed"] == (nb * (nb + 1) // 2 if max_memory == 1 else nb)
    assert _rel(out["M"], ref["M"]) < 1e-13 and _rel(out["Mdot"], ref["Mdot"]) < 1e-13
    # per-sample gradient moments do not depend on the blocking
    assert abs(out["sum_sq"] - ref["sum_sq"]) <= 1e-12 * ref["sum_sq"]


def test_central_differences_are_labelled_and_close_to_jvp():
    spec, _net, theta, X, y = _problem("resnet")
    kw = dict(steps=5, n_checkpoints=2, lr=1e-3)
    exact = from_torch(torch_model_from_theta(spec, theta), X, y, **kw)
    fd = from_torch(torch_model_from_theta(spec, theta), X, y, mdot="central", **kw)
    assert exact.Mdot_source == "exact" and fd.Mdot_source == "central-difference"
    assert _rel(fd.Mdot, exact.Mdot) < 1e-6
    assert fd.meta["mdot_method"] == "central"


def test_hidden_gradient_norms_match_numpy():
    for arch in ("mlp", "resnet"):
        spec, net, theta, X, y = _problem(arch)
        traj = from_torch(torch_model_from_theta(spec, theta), X, y, steps=2, n_checkpoints=2, lr=1e-3)
        assert _rel(traj.grad_norms, net.hidden_gradient_norms(theta, X)) < TOL


def test_gradient_descent_trajectory_matches_numpy_training():
    spec, _net, theta, X, y = _problem("resnet", k=1)
    task = task_from_arrays(X, y)
    o = normalize_options(
        {"arch": "resnet", "depth": 3, "width": 6, "seed": 3, "steps": 40, "checkpoints": 4, "lr": 0.01}
    )
    ref, _ = _numpy_trajectory(spec, o, task)
    traj = from_torch(torch_model_from_theta(spec, theta), X, y, steps=40, n_checkpoints=4, lr=0.01)
    assert np.allclose(traj.t, ref.t, rtol=1e-14)
    assert _rel(traj.e, ref.e) < TOL and _rel(traj.M, ref.M) < TOL and _rel(traj.Mdot, ref.Mdot) < TOL


def test_user_training_loop_equals_builtin_gradient_descent():
    spec, _net, theta, X, y = _problem("mlp", k=1)
    Xt, yt = torch.tensor(X), torch.tensor(y)

    def train_fn(model, n_steps):
        opt = torch.optim.SGD(model.parameters(), lr=0.02)
        for _ in range(n_steps):
            opt.zero_grad()
            (0.5 * ((model(Xt) - yt) ** 2).sum()).backward()
            opt.step()

    user = from_torch(torch_model_from_theta(spec, theta), X, y, steps=30, n_checkpoints=3, lr=0.02, train_fn=train_fn)
    own = from_torch(torch_model_from_theta(spec, theta), X, y, steps=30, n_checkpoints=3, lr=0.02)
    assert user.meta["optimizer"]["kind"] == "user" and user.meta["regime"]["regime"] == "user loop"
    assert np.allclose(user.t, own.t) and _rel(user.e, own.e) < 1e-12 and _rel(user.M, own.M) < 1e-12


def test_sgd_noise_scale_regime_and_momentum_time():
    spec, net, theta, X, y = _problem("mlp", k=1)
    traj = from_torch(
        torch_model_from_theta(spec, theta),
        X,
        y,
        optimizer="sgd",
        batch_size=3,
        momentum=0.5,
        steps=12,
        n_checkpoints=3,
        lr=0.01,
        seed=4,
    )
    # noise scale at t = 0 from numpy per-sample gradients g_i = J_i^T e_i
    J, _, _, e = net.kernel_and_velocity(theta, X, y)
    g = J * e[:, None]
    B = gradient_noise_scale(float((g**2).sum()), g.sum(0), 9)
    Gm = g.mean(0)
    B_direct = np.trace(np.cov(g.T)) / (Gm @ Gm)  # independent route: numpy covariance
    ck = traj.meta["checkpoints"]
    assert ck["gradient_noise_scale"][0] == pytest.approx(B, rel=1e-10)
    assert pytest.approx(B_direct, rel=1e-10) == B
    assert ck["noise_ratio"][0] == pytest.approx(B / 3, rel=1e-12)
    assert traj.meta["regime"]["regime"].startswith("sgd+momentum")
    assert traj.meta["optimizer"]["batch_size"] == 3
    steps = np.array(ck["step"])
    assert np.allclose(traj.t, 0.01 * steps / (1 - 0.5))


def test_cnn_and_rescnn_run_and_are_deterministic():
    rng = np.random.default_rng(0)
    X, y = rng.normal(size=(12, 16)), rng.normal(size=12)
    for arch in ("cnn", "rescnn"):
        spec = ArchSpec(arch, (1, 4, 4), width=3, depth=2)
        a = torch_kernel(build_torch_model(spec, seed=1), X, y)
        b = torch_kernel(build_torch_model(spec, seed=1), X, y, block_size=5, max_memory=1)
        assert _rel(a["M"], b["M"]) < 1e-13
        assert np.all(np.linalg.eigvalsh(a["M"]) > -1e-10 * a["lambda_max"])


def test_input_errors():
    spec, _net, theta, X, y = _problem("mlp")
    model = torch_model_from_theta(spec, theta)
    with pytest.raises(ShapeError):
        torch_kernel(model, X, y[:, :1])  # 2 outputs, 1 target column
    with pytest.raises(InputError):
        torch_kernel(model, X, y, mdot="forward")
    with pytest.raises(InputError):
        from_torch(model, X, y, optimizer="sgd")  # sgd needs a batch size
    with pytest.raises(InputError):
        from_torch(object(), X, y)


def test_missing_torch_names_the_extra(monkeypatch):
    monkeypatch.setitem(sys.modules, "torch", None)
    monkeypatch.delitem(sys.modules, "grsd_sym.probe.torch_adapter")
    with pytest.raises(InputError, match=r"grsd_sym\[torch\]"):
        importlib.import_module("grsd_sym.probe.torch_adapter")


def _probe_cnn_digits_json(*extra: str) -> dict:
    """``grsd probe --framework torch --arch rescnn,cnn --data digits --quick --json EXTRA``, parsed."""
    argv = ["probe", "--framework", "torch", "--arch", "rescnn,cnn", "--data", "digits", *extra, "--quick", "--json"]
    out = subprocess.run([sys.executable, "-m", "grsd_sym", *argv], capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout)


def test_cli_torch_cnn_digits_small():
    small = ("--depths", "1", "--seeds", "0", "--width", "3", "--samples", "48", "--steps", "20")
    doc = _probe_cnn_digits_json(*small, "--checkpoints", "4", "--shells", "3")
    assert doc["framework"] == "torch" and set(doc["conditions"]) == {"rescnn", "cnn"}
    for arch in ("rescnn", "cnn"):
        conds = doc["conditions"][arch]["1"]
        assert set(conds) == {
            "1_gradient_propagation",
            "2_functional_incoherence",
            "3_jacobian_evolution",
            "4_log_shift_invariance",
        }
        assert conds["2_functional_incoherence"]["rho0"]["mean"] is not None


def test_cli_numpy_cnn_is_a_clear_error():
    out = subprocess.run(
        [sys.executable, "-m", "grsd_sym", "probe", "--arch", "cnn", "--quick"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert out.returncode == 2 and "--framework torch or jax" in out.stderr


@pytest.mark.slow
def test_cli_quick_torch_rescnn_cnn_digits_reports_four_conditions():
    doc = _probe_cnn_digits_json()
    for arch in ("rescnn", "cnn"):
        for _depth, conds in doc["conditions"][arch].items():
            assert len(conds) == 4
            assert conds["1_gradient_propagation"]["grad_spread"]["mean"] is not None
            assert conds["4_log_shift_invariance"]["delta_K"]["mean"] is not None


def _readme_block(marker: str) -> str:
    from pathlib import Path

    text = (Path(__file__).resolve().parents[1] / "README.md").read_text()
    body = text.split(f"<!-- {marker} -->", 1)[1].split(f"<!-- /{marker} -->", 1)[0]
    return body.split("```python", 1)[1].split("```", 1)[0]


@pytest.mark.slow
def test_readme_probe_your_own_model_runs(capsys):
    old = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        exec(compile(_readme_block("own-model"), "README.md:own-model", "exec"), {})
    finally:
        torch.set_num_threads(old)
    first, second = capsys.readouterr().out.strip().splitlines()
    assert first == "gradient flow exact"
    rho0, movement, dK = (float(x) for x in second.split())
    assert rho0 > 0 and movement > 0 and dK >= 0


@pytest.mark.slow
def test_memory_at_n1024_and_1e5_parameters_stays_under_4GB():
    code = (
        "import resource, numpy as np, torch\n"
        "torch.set_num_threads(1)\n"
        "from grsd_sym.probe.architectures import ArchSpec\n"
        "from grsd_sym.probe.torch_adapter import build_torch_model, from_torch\n"
        "spec = ArchSpec('mlp', (64,), width=280, depth=2)\n"
        "X = np.random.default_rng(0).normal(size=(1024, 64)); y = np.tanh(X[:, 0])\n"
        "traj = from_torch(build_torch_model(spec), X, y, steps=1, n_checkpoints=2)\n"
        "print(spec.n_params, traj.meta['block_size'], traj.M.shape[1],\n"
        "      resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=1200, check=False)
    assert out.returncode == 0, out.stderr
    n_params, block, n, peak_kib = (int(x) for x in out.stdout.split())
    assert n == 1024 and n_params >= 95_000 and block < n  # J is blocked, never whole
    assert peak_kib * 1024 < 4 * 2**30  # peak resident set < 4 GiB
