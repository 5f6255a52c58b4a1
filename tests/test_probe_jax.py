"""JAX adapter: J, M and Mdot against the numpy networks and against the torch convolutions.

jax is imported directly: CI installs the extra, so a missing jax is a failure, not a skip.
"""

from __future__ import annotations

import importlib
import sys

import jax
import jax.numpy as jnp
import numpy as np
import pytest

from grsd_sym.errors import InputError, ShapeError
from grsd_sym.probe.architectures import ArchSpec
from grsd_sym.probe.jax_adapter import (
    build_jax_model,
    from_jax,
    jax_jacobian,
    jax_kernel,
    jax_model_from_theta,
)
from grsd_sym.probe.torch_adapter import build_torch_model, from_torch, torch_kernel

TOL = 1e-10


def _rel(a, b):
    return float(np.abs(a - b).max() / max(1.0, np.abs(b).max()))


def _problem(arch, k=2):
    spec = ArchSpec(arch, (5,), width=6, depth=3, output_dim=k)
    net = spec.numpy_network(seed=5)
    theta = net.init_params()
    rng = np.random.default_rng(2)
    return spec, net, theta, rng.normal(size=(9, 5)), rng.normal(size=(9, k))


@pytest.mark.parametrize("arch,k", [("mlp", 2), ("resnet", 1)])
def test_jax_J_M_Mdot_match_numpy_network(arch, k):
    spec, net, theta, X, y = _problem(arch, k)
    J_np, M_np, Md_np, e_np = net.kernel_and_velocity(theta, X, y)
    apply_fn, params, _stages = jax_model_from_theta(spec, theta)
    v = -(J_np.T @ e_np)
    J_j, Jd_j = jax_jacobian(apply_fn, params, X, direction=v)
    assert _rel(J_j, J_np) < TOL
    assert _rel(Jd_j, net.jacobian_derivative(theta, X, v)) < TOL
    out = jax_kernel(apply_fn, params, X, y, block_size=4)
    assert _rel(out["e"], e_np) < TOL
    assert _rel(out["M"], M_np) < TOL
    assert _rel(out["Mdot"], Md_np) < TOL


def test_float64_is_enabled_and_params_flatten_in_layout_order():
    spec, _net, theta, _X, _y = _problem("resnet")
    _apply_fn, params, _ = jax_model_from_theta(spec, theta)
    assert jax.config.jax_enable_x64 and params[0].dtype == jnp.float64
    flat = np.concatenate([np.asarray(p).ravel() for p in params])
    assert np.array_equal(flat, theta)


@pytest.mark.slow
@pytest.mark.parametrize("arch", ["rescnn", "cnn"])
def test_jax_and_torch_convolutional_nets_agree(arch):
    spec = ArchSpec(arch, (1, 4, 4), width=3, depth=2)
    rng = np.random.default_rng(1)
    X, y = rng.normal(size=(10, 16)), rng.normal(size=10)
    a = torch_kernel(build_torch_model(spec, seed=2), X, y)
    apply_fn, params, _ = build_jax_model(spec, seed=2)
    b = jax_kernel(apply_fn, params, X, y, block_size=3, max_memory=1)
    assert _rel(b["e"], a["e"]) < TOL and _rel(b["M"], a["M"]) < TOL
    assert _rel(b["Mdot"], a["Mdot"]) < TOL


def test_trajectories_of_jax_torch_and_numpy_agree_under_sgd():
    spec, net, theta, X, y = _problem("resnet", k=1)
    kw = dict(optimizer="sgd", batch_size=4, momentum=0.3, steps=15, n_checkpoints=3, lr=0.01, seed=7)
    apply_fn, params, stages = jax_model_from_theta(spec, theta)
    tj = from_jax(apply_fn, params, X, y, stages=stages, **kw)
    tt = from_torch(build_torch_model(spec, seed=5), X, y, **kw)
    assert np.allclose(tj.t, tt.t)
    assert _rel(tj.e, tt.e) < TOL and _rel(tj.M, tt.M) < TOL and _rel(tj.Mdot, tt.Mdot) < TOL
    assert _rel(tj.grad_norms, net.hidden_gradient_norms(theta, X)) < TOL
    nj, nt = tj.meta["checkpoints"]["gradient_noise_scale"], tt.meta["checkpoints"]["gradient_noise_scale"]
    assert np.allclose(nj, nt, rtol=1e-9)
    assert tj.meta["regime"]["regime"].startswith("sgd")


def test_user_loop_and_central_differences():
    spec, _net, theta, X, y = _problem("mlp", k=1)
    apply_fn, params, _stages = jax_model_from_theta(spec, theta)
    Xj, yj = jnp.asarray(X), jnp.asarray(y)
    grad = jax.jit(jax.grad(lambda p: 0.5 * jnp.sum((apply_fn(p, Xj) - yj) ** 2)))

    def train_fn(p, n):
        for _ in range(n):
            g = grad(p)
            p = [a - 0.02 * b for a, b in zip(p, g, strict=True)]
        return p

    user = from_jax(apply_fn, params, X, y, steps=20, n_checkpoints=3, lr=0.02, train_fn=train_fn)
    own = from_jax(apply_fn, params, X, y, steps=20, n_checkpoints=3, lr=0.02, mdot="central")
    assert user.meta["optimizer"]["kind"] == "user"
    assert _rel(user.e, own.e) < 1e-12 and _rel(user.M, own.M) < 1e-12
    assert own.Mdot_source == "central-difference" and _rel(own.Mdot, user.Mdot) < 1e-6
    assert user.grad_norms is None  # no stages given: condition 1 not measured


def test_stages_must_compose_to_apply_fn():
    spec, _net, theta, X, y = _problem("mlp")
    apply_fn, params, stages = jax_model_from_theta(spec, theta)
    bad = [*stages[:-1], lambda p, h: 2.0 * stages[-1](p, h)]
    with pytest.raises(InputError, match="differs from apply_fn"):
        from_jax(apply_fn, params, X, y, steps=2, n_checkpoints=2, stages=bad)
    with pytest.raises(ShapeError):
        jax_kernel(apply_fn, params, X, y[:, :1])


def test_missing_jax_names_the_extra(monkeypatch):
    monkeypatch.setitem(sys.modules, "jax", None)
    monkeypatch.delitem(sys.modules, "grsd_sym.probe.jax_adapter")
    with pytest.raises(InputError, match=r"grsd_sym\[jax\]"):
        importlib.import_module("grsd_sym.probe.jax_adapter")


@pytest.mark.slow
def test_run_probe_gives_the_same_diagnostics_in_numpy_torch_and_jax():
    from grsd_sym.probe.runs import run_probe

    opts = {
        "arch": "resnet",
        "depth": 2,
        "width": 8,
        "samples": 96,
        "input_dim": 16,
        "steps": 40,
        "checkpoints": 3,
        "shells": 3,
        "min_count": 3,
        "n_null": 5,
        "optimizer": "sgd",
        "batch_size": 16,
        "momentum": 0.5,
    }
    recs = {fw: run_probe(dict(opts, framework=fw)) for fw in ("numpy", "torch", "jax")}
    ref = recs["numpy"]
    for fw in ("torch", "jax"):
        for k in ("t", "loss", "lambda_max", "gradient_noise_scale"):
            assert np.allclose(recs[fw]["checkpoints"][k], ref["checkpoints"][k], rtol=1e-9), (fw, k)
        for k in ("rho0", "grad_spread", "kernel_movement_final"):
            assert recs[fw]["summary"][k] == pytest.approx(ref["summary"][k], rel=1e-8), (fw, k)
        assert recs[fw]["regime"]["regime"] == ref["regime"]["regime"]


@pytest.mark.slow
def test_npz_images_feed_the_convolutional_nets(tmp_path):
    from grsd_sym.probe.runs import run_probe

    rng = np.random.default_rng(3)
    X = rng.normal(size=(48, 1, 4, 4))
    np.savez(tmp_path / "imgs.npz", X=X, y=X[:, 0, 1, 2] - X[:, 0, 2, 1])
    opts = {
        "arch": "cnn",
        "depth": 1,
        "width": 3,
        "data": f"npz:{tmp_path / 'imgs.npz'}",
        "samples": 48,
        "steps": 10,
        "checkpoints": 2,
        "shells": 3,
        "min_count": 2,
        "n_null": 5,
    }
    a = run_probe(dict(opts, framework="torch"))
    b = run_probe(dict(opts, framework="jax"))
    assert a["arch"]["input_shape"] == [1, 4, 4] and a["task"]["image_shape"] == [1, 4, 4]
    assert np.allclose(a["checkpoints"]["loss"], b["checkpoints"]["loss"], rtol=1e-10)
    with pytest.raises(InputError, match="framework torch or jax"):
        run_probe(dict(opts, framework="numpy"))
