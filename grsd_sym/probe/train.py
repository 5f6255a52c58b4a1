"""Full-batch gradient descent on MSE with checkpoints on a log-spaced time grid.

Gradient descent :math:`\\theta_{s+1} = \\theta_s - \\eta\\, J^T e` on
:math:`L = \\tfrac12\\|f_\\theta - y\\|^2` is the Euler discretisation of gradient flow
:math:`\\dot\\theta = -\\eta J^T e`, whence :math:`\\dot e = -\\eta M e` (GRSD section 1).
Time is ``t = lr x steps`` (GRSD-T1 absorbs ``eta`` into time).  :func:`gradient_flow`
is gradient descent with a step small against the stiffest mode, ``lr = dt_scale / lambda_max(M(0))``.

At each checkpoint the trajectory stores ``t``, ``e``, ``M = J J^T``, the exact kernel velocity
:math:`\\dot M` along :math:`\\dot\\theta = -J^T e` (complex step, see
:meth:`grsd_sym.probe.networks.Network.jacobian_derivative`), parameters, and optionally ``J``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from grsd_sym.errors import InputError, NonFiniteError
from grsd_sym.probe._checks import check_int
from grsd_sym.probe.adapter import Trajectory, trajectory_from_arrays
from grsd_sym.probe.networks import Network
from grsd_sym.probe.tasks import Task

__all__ = ["checkpoint_steps", "train", "gradient_flow"]


def checkpoint_steps(steps: int, n_checkpoints: int) -> np.ndarray:
    """Step indices ``0`` and ``n_checkpoints`` log-spaced integers in ``[1, steps]`` (deduplicated).

    Parameters
    ----------
    steps : int
        Last step (``>= 1``).
    n_checkpoints : int
        Log-spaced checkpoints after step 0 (``>= 2``).

    Returns
    -------
    numpy.ndarray
        Integer steps, starting at 0.

    Raises
    ------
    InputError
        Bad counts.

    Examples
    --------
    >>> checkpoint_steps(100, 3).tolist()
    [0, 1, 10, 100]
    """
    check_int("steps", steps)
    check_int("n_checkpoints", n_checkpoints, 2)
    s = np.unique(np.round(np.geomspace(1, steps, n_checkpoints)).astype(int))
    return np.concatenate([[0], s])


def train(
    net: Network,
    task: Task,
    lr: float | None = None,
    lr_scale: float = 0.5,
    steps: int = 2000,
    n_checkpoints: int = 16,
    theta0: np.ndarray | None = None,
    store_jacobians: bool = True,
    divergence_factor: float = 1e4,
    progress: Callable[[int, int, float], None] | None = None,
) -> Trajectory:
    """Train ``net`` on ``task`` by full-batch gradient descent and record checkpoints.

    Parameters
    ----------
    net : Network
    task : Task
    lr : float, optional
        Learning rate; ``None`` means ``lr_scale / lambda_max(M(0))`` (stable for ``lr_scale < 2``
        while the kernel does not grow).
    lr_scale : float
    steps, n_checkpoints : int
        As in :func:`checkpoint_steps`.
    theta0 : numpy.ndarray, optional
        Initial parameters (default ``net.init_params()``).
    store_jacobians : bool
        Keep ``J`` at each checkpoint.
    divergence_factor : float
        Loss growth that counts as divergence.
    progress : callable, optional
        ``progress(step, steps, loss)``.

    Returns
    -------
    Trajectory
        Time ``t = lr x step``, exact (complex-step) ``Mdot``.

    Raises
    ------
    InputError
        Task and network sizes differ, bad ``lr``, or a zero kernel.
    NonFiniteError
        The loss became non-finite or exceeded ``divergence_factor`` times its initial value.

    Examples
    --------
    >>> from grsd_sym.probe import make_network, power_law_teacher
    >>> traj = train(make_network("mlp", 3, 4, 1), power_law_teacher(8, 3), steps=20, n_checkpoints=2)
    >>> traj.J.shape, bool(traj.loss[-1] < traj.loss[0])
    ((3, 8, 21), True)

    References
    ----------
    GRSD-T1 (:math:`\\dot e = -Me`, time ``lr x steps``), GRSD-T2 (:math:`\\dot M`).
    """
    if task.input_dim != net.input_dim or task.output_dim != net.output_dim:
        raise InputError(
            f"task has input_dim={task.input_dim}, output_dim={task.output_dim} but the "
            f"network expects {net.input_dim}, {net.output_dim}"
        )
    X, y = task.X, task.y
    theta = net.init_params() if theta0 is None else np.array(theta0, dtype=float)
    ckpt = checkpoint_steps(steps, n_checkpoints)
    grad_norms = net.hidden_gradient_norms(theta, X)
    ts, es, Ms, Mds, thetas, Js = [], [], [], [], [], []

    def record(step, eta):
        J, M, Md, e = net.kernel_and_velocity(theta, X, y)
        ts.append(step * eta)
        es.append(e)
        Ms.append(M)
        Mds.append(Md)
        thetas.append(theta.copy())
        if store_jacobians:
            Js.append(J)
        return M

    M0 = None
    if lr is None:
        J0 = net.jacobian(theta, X)
        lam_max = float(np.linalg.eigvalsh(J0 @ J0.T)[-1])
        if not lam_max > 0:
            raise InputError("M(0) = J J^T is zero: the network output does not depend on its parameters")
        if not (np.isfinite(lr_scale) and lr_scale > 0):
            raise InputError(f"lr_scale must be positive, got {lr_scale}")
        lr = lr_scale / lam_max
    lr = float(lr)
    if not (np.isfinite(lr) and lr > 0):
        raise InputError(f"lr must be a finite positive number, got {lr}")
    M0 = record(0, lr)
    loss0 = float(0.5 * np.sum(es[0] ** 2))
    next_i = 1
    for s in range(1, int(ckpt[-1]) + 1):
        loss, g, _ = net.loss_and_grad(theta, X, y)
        if not np.isfinite(loss) or loss > divergence_factor * max(loss0, 1e-300):
            raise NonFiniteError(
                f"training diverged at step {s} (loss {loss:.3g}, initial {loss0:.3g}); use a smaller lr (was {lr:.3g})"
            )
        theta = theta - lr * g
        if s == ckpt[next_i]:
            record(s, lr)
            next_i += 1
            if progress is not None:
                progress(s, int(ckpt[-1]), float(0.5 * np.sum(es[-1] ** 2)))
    meta = {
        "network": net.describe(),
        "task": dict(task.info),
        "lr": lr,
        "steps": int(ckpt[-1]),
        "lambda_max_0": float(np.linalg.eigvalsh(M0)[-1]),
    }
    return trajectory_from_arrays(
        t=np.array(ts),
        e=np.array(es),
        M=np.array(Ms),
        Mdot=np.array(Mds),
        theta=np.array(thetas),
        J=np.array(Js) if store_jacobians else None,
        grad_norms=grad_norms,
        meta=meta,
    )


def gradient_flow(
    net: Network, task: Task, t_max_scale: float = 200.0, dt_scale: float = 0.05, n_checkpoints: int = 16, **kwargs: Any
) -> Trajectory:
    """Gradient flow approximated by small steps ``dt = dt_scale / lambda_max(M(0))`` up to
    ``t_max = t_max_scale / lambda_max(M(0))``.

    Parameters
    ----------
    net : Network
    task : Task
    t_max_scale, dt_scale : float
        Final time and step in units of ``1 / lambda_max(M(0))``.
    n_checkpoints : int
    **kwargs
        Passed to :func:`train` (``theta0``, ``store_jacobians``, ``progress``, ...).

    Returns
    -------
    Trajectory

    Raises
    ------
    InputError
        ``dt_scale`` outside ``(0, 1]`` or ``t_max_scale <= dt_scale``.

    Examples
    --------
    >>> from grsd_sym.probe.networks import make_network
    >>> from grsd_sym.probe.tasks import power_law_teacher
    >>> traj = gradient_flow(make_network("mlp", 3, 4, 1), power_law_teacher(8, 3), t_max_scale=1.0, dt_scale=0.5)
    >>> traj.meta["steps"]
    2
    """
    if not (np.isfinite(dt_scale) and 0 < dt_scale <= 1):
        raise InputError(f"dt_scale must be in (0, 1], got {dt_scale}")
    if not (np.isfinite(t_max_scale) and t_max_scale > dt_scale):
        raise InputError(f"t_max_scale must exceed dt_scale, got {t_max_scale}")
    steps = int(np.ceil(t_max_scale / dt_scale))
    return train(net, task, lr=None, lr_scale=dt_scale, steps=steps, n_checkpoints=n_checkpoints, **kwargs)
