"""Networks, tasks, training and the array adapter of grsd_sym.probe.

Independent routes: reverse-mode Jacobian vs central finite differences of the forward pass;
complex-step J' vs central differences of J; one-backward gradient vs J^T e; the recorded
exact Mdot vs the kernel change along a tiny gradient step; M = J J^T from the adapter.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from grsd_sym.errors import InputError, NonFiniteError, NotSymmetricError, ShapeError, TimeGridError
from grsd_sym.probe.adapter import load_trajectory_npz, save_trajectory_npz, trajectory_from_arrays
from grsd_sym.probe.blas import blas_threads
from grsd_sym.probe.networks import MLP, ResMLP, make_network
from grsd_sym.probe.tasks import load_task_arrays, power_law_teacher, task_from_arrays
from grsd_sym.probe.train import checkpoint_steps, gradient_flow, train


def _perturbed_params(net, seed):
    # random biases keep ReLU pre-activations away from the kink, where FD is not a derivative
    rng = np.random.default_rng(seed)
    return net.init_params() + 0.2 * rng.normal(size=net.n_params)


def _fd_jacobian(net, theta, X, eps=1e-6):
    J = np.zeros((X.shape[0] * net.output_dim, net.n_params))
    for p in range(net.n_params):
        d = np.zeros_like(theta)
        d[p] = eps
        J[:, p] = ((net.forward(theta + d, X) - net.forward(theta - d, X)) / (2 * eps)).ravel()
    return J


@settings(max_examples=12, deadline=None)
@given(
    arch=st.sampled_from(["mlp", "resnet"]),
    act=st.sampled_from(["tanh", "relu"]),
    depth=st.integers(1, 3),
    width=st.integers(2, 5),
    k_out=st.integers(1, 2),
    seed=st.integers(0, 10_000),
)
def test_jacobian_matches_finite_differences(arch, act, depth, width, k_out, seed):
    net = make_network(arch, 3, width, depth, output_dim=k_out, activation=act, seed=seed)
    theta = _perturbed_params(net, seed)
    X = np.random.default_rng(seed + 1).normal(size=(4, 3))
    J = net.jacobian(theta, X)
    assert J.shape == (4 * k_out, net.n_params)
    np.testing.assert_allclose(J, _fd_jacobian(net, theta, X), atol=1e-6, rtol=1e-5)


@settings(max_examples=10, deadline=None)
@given(arch=st.sampled_from(["mlp", "resnet"]), act=st.sampled_from(["tanh", "relu"]), seed=st.integers(0, 10_000))
def test_gradient_is_J_transpose_e(arch, act, seed):
    net = make_network(arch, 3, 4, 2, output_dim=2, activation=act, seed=seed)
    theta = _perturbed_params(net, seed)
    rng = np.random.default_rng(seed)
    X, y = rng.normal(size=(5, 3)), rng.normal(size=(5, 2))
    loss, g, E = net.loss_and_grad(theta, X, y)
    np.testing.assert_allclose(loss, 0.5 * np.sum((net.forward(theta, X) - y) ** 2))
    np.testing.assert_allclose(g, net.jacobian(theta, X).T @ E.ravel(), atol=1e-12)


@pytest.mark.parametrize("arch,act", [("mlp", "tanh"), ("resnet", "tanh"), ("resnet", "relu"), ("mlp", "relu")])
def test_complex_step_jacobian_derivative_matches_central_difference(arch, act):
    net = make_network(arch, 3, 4, 2, output_dim=1, activation=act, seed=3)
    theta = _perturbed_params(net, 3)
    rng = np.random.default_rng(4)
    X, v = rng.normal(size=(5, 3)), rng.normal(size=net.n_params)
    Jd = net.jacobian_derivative(theta, X, v)
    h = 1e-5
    fd = (net.jacobian(theta + h * v, X) - net.jacobian(theta - h * v, X)) / (2 * h)
    np.testing.assert_allclose(Jd, fd, atol=1e-7 * max(1.0, np.abs(fd).max()))


def test_hidden_gradient_norms_first_layer_matches_input_gradient():
    # route 1: backprop norms; route 2: d f / d x by finite differences of the forward pass
    net = MLP(3, 6, 3, output_dim=1, activation="tanh", seed=1)
    theta = net.init_params()
    X = np.random.default_rng(0).normal(size=(4, 3))
    g = net.hidden_gradient_norms(theta, X)
    assert g.shape == (4,)
    eps = 1e-6
    grads = np.zeros((4, 3))
    for j in range(3):
        d = np.zeros_like(X)
        d[:, j] = eps
        grads[:, j] = ((net.forward(theta, X + d) - net.forward(theta, X - d)) / (2 * eps))[:, 0]
    np.testing.assert_allclose(g[0], np.sqrt(np.sum(grads**2) / 4), rtol=1e-6)
    # last entry: df/dh_L = W_o for every sample
    np.testing.assert_allclose(g[-1], np.linalg.norm(net.layout.unflatten(theta)["Wo"]), rtol=1e-12)


def test_resnet_hidden_gradient_last_is_readout():
    net = ResMLP(3, 5, 4, output_dim=1, seed=2)
    theta = net.init_params()
    X = np.random.default_rng(0).normal(size=(6, 3))
    g = net.hidden_gradient_norms(theta, X)
    assert g.shape == (5,)
    np.testing.assert_allclose(g[-1], np.linalg.norm(net.layout.unflatten(theta)["Wo"]), rtol=1e-12)


@pytest.mark.parametrize("init,var", [("he", 2.0 / 400), ("lecun", 1.0 / 400), ("xavier", 2.0 / 800)])
def test_initialisation_variance(init, var):
    net = MLP(400, 400, 1, output_dim=1, init=init, seed=0)
    W = net.layout.unflatten(net.init_params())["W1"]
    assert abs(W.var() / var - 1) < 0.02  # 160000 draws: sd of the ratio ~ 0.0035


def test_resnet_default_branch_scale_and_errors():
    assert ResMLP(2, 3, 4).branch_scale == pytest.approx(0.5)
    with pytest.raises(InputError):
        make_network("mlp", 2, 3, 2, branch_scale=0.5)
    with pytest.raises(InputError, match="arch"):
        make_network("cnn", 2, 3, 2)
    with pytest.raises(InputError, match="activation"):
        MLP(2, 3, 2, activation="gelu")
    with pytest.raises(InputError, match="depth"):
        MLP(2, 3, 0)
    net = MLP(2, 3, 2)
    with pytest.raises(ShapeError):
        net.forward(np.zeros(net.n_params + 1), np.zeros((2, 2)))
    with pytest.raises(ShapeError):
        net.forward(net.init_params(), np.zeros((2, 5)))
    with pytest.raises(NonFiniteError):
        net.forward(net.init_params(), np.full((2, 2), np.nan))


@pytest.fixture(autouse=True)
def _one_blas_thread():
    # performance only: small matrices on a shared 2-core machine
    with blas_threads(1):
        yield


# ----------------------------------------------------------------------------- tasks
def test_power_law_teacher_covariance_spectrum():
    task = power_law_teacher(n_samples=20000, input_dim=8, alpha=2.0, seed=1)
    ev = np.sort(np.linalg.eigvalsh(np.cov(task.X.T)))[::-1]
    slope = np.polyfit(np.log(np.arange(1, 9)), np.log(ev), 1)[0]
    assert abs(slope + 2.0) < 0.1
    assert task.y.shape == (20000, 1)
    np.testing.assert_allclose(task.y.std(), 1.0, rtol=1e-10)
    again = power_law_teacher(n_samples=20000, input_dim=8, alpha=2.0, seed=1)
    np.testing.assert_array_equal(task.X, again.X)


def test_task_loader_roundtrip_and_errors(tmp_path):
    rng = np.random.default_rng(0)
    X, y = rng.normal(size=(5, 3)), rng.normal(size=5)
    np.savez(tmp_path / "d.npz", X=X, y=y)
    task = load_task_arrays(tmp_path / "d.npz")
    np.testing.assert_array_equal(task.X, X)
    assert task.y.shape == (5, 1)
    with pytest.raises(ShapeError):
        task_from_arrays(X, y[:4])
    with pytest.raises(NonFiniteError):
        task_from_arrays(np.full((3, 2), np.inf), np.zeros(3))
    np.savez(tmp_path / "bad.npz", X=X)
    with pytest.raises(InputError, match="lacks"):
        load_task_arrays(tmp_path / "bad.npz")
    with pytest.raises(InputError, match="does not exist"):
        load_task_arrays(tmp_path / "nope.npz")
    with pytest.raises(InputError):
        power_law_teacher(teacher="cubic")


# ----------------------------------------------------------------------------- training
def test_checkpoint_steps_log_spaced():
    s = checkpoint_steps(1000, 4)
    assert s.tolist() == [0, 1, 10, 100, 1000]
    with pytest.raises(InputError):
        checkpoint_steps(0, 4)


def test_training_records_exact_kernel_velocity():
    task = power_law_teacher(n_samples=10, input_dim=4, seed=0)
    net = make_network("resnet", 4, 6, 2, seed=0)
    traj = train(net, task, lr_scale=0.3, steps=50, n_checkpoints=5)
    assert traj.Mdot_source == "exact"
    assert traj.J.shape == (traj.n_checkpoints, 10, net.n_params)
    np.testing.assert_allclose(traj.M, traj.J @ np.swapaxes(traj.J, 1, 2))
    assert np.all(np.diff(traj.t) > 0) and traj.t[0] == 0
    assert traj.loss[-1] < traj.loss[0]
    # independent route: M changes by ~ lr * Mdot over one tiny gradient step
    theta = traj.theta[0]
    lr = 1e-6
    _, g, _ = net.loss_and_grad(theta, task.X, task.y)
    J1 = net.jacobian(theta - lr * g, task.X)
    fd = (J1 @ J1.T - traj.M[0]) / lr
    np.testing.assert_allclose(fd, traj.Mdot[0], atol=1e-4 * np.abs(traj.Mdot[0]).max())


def test_gradient_flow_dimensionless_time_and_divergence():
    task = power_law_teacher(n_samples=8, input_dim=3, seed=2)
    net = make_network("mlp", 3, 5, 2, seed=1)
    traj = gradient_flow(net, task, t_max_scale=5.0, dt_scale=0.1, n_checkpoints=4, store_jacobians=False)
    lam0 = traj.meta["lambda_max_0"]
    np.testing.assert_allclose(traj.t[-1] * lam0, 5.0, rtol=1e-12)
    assert traj.J is None
    with pytest.raises(NonFiniteError, match="diverged"):
        train(net, task, lr_scale=10.0, steps=200, n_checkpoints=3)


# ----------------------------------------------------------------------------- adapter
def test_adapter_validation(tmp_path):
    rng = np.random.default_rng(0)
    J = rng.normal(size=(3, 4, 6))
    e = rng.normal(size=(3, 4))
    tr = trajectory_from_arrays(t=[0.0, 0.5, 2.0], e=e, J=J)
    assert tr.Mdot_source == "finite-difference"
    # finite-difference velocity of a kernel linear in time is exact
    M = np.array([np.eye(4) * (1 + 2 * t) for t in (0.0, 0.5, 2.0)])
    tl = trajectory_from_arrays(t=[0.0, 0.5, 2.0], e=e, M=M)
    np.testing.assert_allclose(tl.Mdot, np.array([2 * np.eye(4)] * 3), atol=1e-12)
    with pytest.raises(ShapeError, match="match e"):
        trajectory_from_arrays(t=[0.0, 0.5, 2.0], e=e[:, :3], J=J)
    with pytest.raises(ShapeError):
        trajectory_from_arrays(t=[0.0, 0.5, 2.0], e=e, M=M[:, :3, :3])
    with pytest.raises(TimeGridError, match="strictly increasing"):
        trajectory_from_arrays(t=[0.0, 0.5, 0.5], e=e, J=J)
    with pytest.raises(TimeGridError):
        trajectory_from_arrays(t=[0.0, 2.0, 1.0], e=e, J=J)
    with pytest.raises(ShapeError):
        trajectory_from_arrays(t=[0.0, 1.0], e=e, J=J)
    Ma = M.copy()
    Ma[0, 0, 1] = 1.0
    with pytest.raises(NotSymmetricError):
        trajectory_from_arrays(t=[0.0, 0.5, 2.0], e=e, M=Ma)
    with pytest.raises(InputError, match="give"):
        trajectory_from_arrays(t=[0.0, 0.5, 2.0], e=e)
    # npz round trip, and an unknown key is refused
    save_trajectory_npz(tr, tmp_path / "tr.npz")
    back = load_trajectory_npz(tmp_path / "tr.npz")
    np.testing.assert_allclose(back.M, tr.M)
    np.savez(tmp_path / "bad.npz", t=[0.0, 1.0], e=e[:2], J=J[:2], jac=J[:2])
    with pytest.raises(InputError, match="unknown key"):
        load_trajectory_npz(tmp_path / "bad.npz")
    np.savez(tmp_path / "bad2.npz", t=[0.0, 1.0, 0.5], e=e, J=J)
    with pytest.raises(TimeGridError):
        load_trajectory_npz(tmp_path / "bad2.npz")


def test_blas_threads_sets_and_restores():
    from grsd_sym.probe.blas import _find

    fns = _find()
    outer = int(fns[1]()) if fns else None
    with blas_threads(1) as old:
        if fns is None:
            assert old is None
        else:
            assert int(fns[1]()) == 1
    if fns is not None:
        assert int(fns[1]()) == outer


def test_adapter_rejects_indefinite_kernels_and_ragged_checkpoints():
    """Regression (acceptance QA): a non-PSD M and ragged Jacobian lists are specific errors."""
    from grsd_sym.errors import NegativeEigenvalueError

    rng = np.random.default_rng(1)
    J = rng.normal(size=(3, 5, 2))
    e = rng.normal(size=(3, 5))
    M = J @ np.swapaxes(J, 1, 2)  # rank 2 of 5: PSD with rounding-level zero eigenvalues
    ok = trajectory_from_arrays(t=[0.0, 0.5, 2.0], e=e, M=M)
    np.testing.assert_allclose(ok.M, trajectory_from_arrays(t=[0.0, 0.5, 2.0], e=e, J=J).M)
    bad = M.copy()
    bad[2] -= 0.1 * np.abs(np.linalg.eigvalsh(M[2])).max() * np.eye(5)
    with pytest.raises(NegativeEigenvalueError, match=r"t\[2\]"):
        trajectory_from_arrays(t=[0.0, 0.5, 2.0], e=e, M=bad)
    with pytest.raises(ShapeError, match="ragged"):
        trajectory_from_arrays(t=[0.0, 0.5], e=e[:2], J=[J[0], J[1][:, :1]])
