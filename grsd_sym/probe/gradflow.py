"""Gradient flow with a step size held below a stated bound on ``lr * lambda_max(t)``.

Full-batch gradient descent :math:`\\theta_{s+1} = \\theta_s - \\eta_s J^T e` is the Euler
discretisation of gradient flow :math:`\\dot e = -M e` (GRSD section 1) only while
:math:`\\eta_s\\lambda_{\\max}(M(t_s))` is small: at a fixed ``lr`` a network whose kernel grows
drifts towards the edge of stability (:math:`\\eta\\lambda_{\\max}\\to 2`), which is a different
dynamics.  :func:`train_flow` therefore adapts the step,

.. math:: \\eta_s = \\min\\big(\\eta_{\\text{user}},\\; \\text{lr\\_bound}/\\hat\\lambda_{\\max}(t_s)\\big),

with :math:`\\hat\\lambda_{\\max}` from a warm-started power iteration on :math:`M = JJ^T`
(``J u`` by a complex-step forward pass, ``J^T w`` by one backward pass) refreshed every
``power_every`` steps.  Time is :math:`t = \\sum_s \\eta_s` (GRSD-T1).  Checkpoints sit on a
log-spaced grid of *times*; the step before a checkpoint is shortened to land on it.  Each
checkpoint records ``t``, ``e``, ``M``, the exact :math:`\\dot M` along
:math:`\\dot\\theta = -J^Te` (complex step), the step size in force, the power-iteration
:math:`\\hat\\lambda_{\\max}` and the back-propagated gradient norms
:math:`\\|\\partial f/\\partial h_l\\|` (condition 1 *along* training, not only at ``t = 0``).
The exact :math:`\\eta\\lambda_{\\max}(t_i)` per checkpoint is reported by the diagnostics from the
eigendecomposition they make anyway.

With ``lr_bound=None`` the step is the fixed ``lr`` (plain gradient descent, the regime is then
reported as ``"fixed lr"`` with its measured :math:`\\eta\\lambda_{\\max}(t)`).

>>> from grsd_sym.probe.networks import make_network
>>> from grsd_sym.probe.tasks import power_law_teacher
>>> task = power_law_teacher(n_samples=12, input_dim=4, seed=0)
>>> net = make_network("mlp", 4, 8, 2, seed=0)
>>> traj = train_flow(net, task, t_max_scale=20.0, n_checkpoints=4)
>>> traj.n_checkpoints, traj.meta["regime"]["integrator"]
(5, 'adaptive-step gradient descent (gradient-flow regime)')
>>> max(traj.meta["lr_lambda_est_t"]) <= 0.5 + 1e-12
True
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from grsd_sym.errors import InputError, NonFiniteError
from grsd_sym.probe._checks import check_int
from grsd_sym.probe.adapter import Trajectory
from grsd_sym.probe.networks import Network
from grsd_sym.probe.tasks import Task

__all__ = ["DEFAULT_LR_BOUND", "kernel_lambda_max", "train_flow"]

#: default bound on ``lr * lambda_max(t)`` (well inside the Euler stability limit 2)
DEFAULT_LR_BOUND = 0.5


def _jvp(net: Network, theta: np.ndarray, X: np.ndarray, u: np.ndarray, eps: float = 1e-20) -> np.ndarray:
    """``J u`` (flattened outputs) by one complex-step forward pass (exact to rounding)."""
    p = net.layout.unflatten(theta + 1j * eps * u)
    F, _ = net._forward(p, X.astype(complex))
    return (F.imag / eps).ravel()


def _vjp(net: Network, theta: np.ndarray, X: np.ndarray, w: np.ndarray) -> np.ndarray:
    """``J^T w`` by one backward pass with cotangent ``w`` (shape of the outputs)."""
    p = net.layout.unflatten(theta)
    F, cache = net._forward(p, X)
    G = w.reshape(F.shape)
    grads, _ = net._backward(p, cache, G)
    return net._sum_grads(grads, G.dtype)


def kernel_lambda_max(
    net: Network,
    theta: np.ndarray,
    X: np.ndarray,
    w0: np.ndarray | None = None,
    iters: int = 30,
    rtol: float = 1e-3,
) -> tuple[float, np.ndarray]:
    """Largest eigenvalue of :math:`M = JJ^T` by power iteration, without forming ``J``.

    The Rayleigh quotient :math:`\\|J^Tw\\|^2` is a lower bound that increases monotonically to
    :math:`\\lambda_{\\max}`; iteration stops when it changes by < ``rtol``.

    Parameters
    ----------
    net : Network
    theta, X : numpy.ndarray
        Flat parameters and inputs.
    w0 : numpy.ndarray, optional
        Start vector (``N * output_dim``), e.g. the previous call's eigenvector.
    iters : int
        Most iterations.
    rtol : float
        Relative change that stops the iteration.

    Returns
    -------
    tuple of (float, numpy.ndarray)
        The ``lambda_max`` estimate and the unit eigenvector estimate.

    Raises
    ------
    InputError
        A zero start vector.

    Examples
    --------
    >>> from grsd_sym.probe.networks import make_network
    >>> net = make_network("mlp", 3, 4, 1)
    >>> X = np.random.default_rng(0).normal(size=(5, 3)); th = net.init_params()
    >>> lam, _ = kernel_lambda_max(net, th, X, iters=200, rtol=1e-12)
    >>> J = net.jacobian(th, X)
    >>> bool(np.isclose(lam, np.linalg.eigvalsh(J @ J.T)[-1], rtol=1e-6))
    True
    """
    theta = np.asarray(theta, dtype=float)
    X = np.asarray(X, dtype=float)
    n = X.shape[0] * net.output_dim
    rng = np.random.default_rng(0)
    w = rng.standard_normal(n) if w0 is None else np.array(w0, dtype=float)
    nw = np.linalg.norm(w)
    if not nw > 0:
        raise InputError("power iteration start vector is zero")
    w /= nw
    lam = 0.0
    for _ in range(max(1, int(iters))):
        g = _vjp(net, theta, X, w)
        new = float(g @ g)
        w = _jvp(net, theta, X, g)
        nw = np.linalg.norm(w)
        if not nw > 0:
            return 0.0, w
        w /= nw
        done = abs(new - lam) <= rtol * new
        lam = new
        if done:
            break
    return lam, w


def _time_grid(t_first: float, t_max: float, n_checkpoints: int) -> np.ndarray:
    return np.concatenate([[0.0], np.geomspace(t_first, t_max, n_checkpoints)])


def train_flow(
    net: Network,
    task: Task,
    *,
    lr: float | None = None,
    lr_bound: float | None = DEFAULT_LR_BOUND,
    t_max_scale: float = 200.0,
    n_checkpoints: int = 8,
    power_every: int = 10,
    max_steps: int = 200_000,
    divergence_factor: float = 1e4,
    theta0: np.ndarray | None = None,
    store_jacobians: bool = False,
    progress: Callable[[int, float, float], None] | None = None,
) -> Trajectory:
    """Train ``net`` on ``task`` in the gradient-flow regime (see the module docstring).

    Parameters
    ----------
    lr : float, optional
        Upper limit on the step (``None``: no limit besides the bound).  With ``lr_bound=None``
        it is the fixed step and is required.
    lr_bound : float or None
        Bound on :math:`\\eta\\hat\\lambda_{\\max}(t)`; ``None`` switches adaptation off.
    t_max_scale : float
        Final time :math:`t_{\\max} = \\text{t\\_max\\_scale}/\\lambda_{\\max}(M(0))`.
    n_checkpoints : int
        Log-spaced checkpoint times after ``t = 0``.

    Returns
    -------
    Trajectory
        With ``meta`` keys ``regime``, ``lr_t`` (step in force at each checkpoint),
        ``lambda_max_est_t``, ``lr_lambda_est_t``, ``lr_lambda_est_max`` (over all steps),
        ``grad_norms_t`` (T x (L+1)), ``steps``.

    Raises
    ------
    InputError
        Bad settings, or a network whose kernel is zero.
    NonFiniteError
        The loss became non-finite or exceeded ``divergence_factor`` times its initial value.

    Examples
    --------
    >>> from grsd_sym.probe.networks import make_network
    >>> from grsd_sym.probe.tasks import power_law_teacher
    >>> task = power_law_teacher(n_samples=8, input_dim=3)
    >>> traj = train_flow(make_network("mlp", 3, 4, 1), task, n_checkpoints=2, t_max_scale=5.0)
    >>> traj.M.shape, traj.meta["regime"]["lr_bound"]
    ((3, 8, 8), 0.5)
    """
    if task.input_dim != net.input_dim or task.output_dim != net.output_dim:
        raise InputError(
            f"task has input_dim={task.input_dim}, output_dim={task.output_dim} but the "
            f"network expects {net.input_dim}, {net.output_dim}"
        )
    if lr_bound is None and lr is None:
        raise InputError("give lr (fixed step) or lr_bound (adaptive step)")
    if lr_bound is not None and not (np.isfinite(lr_bound) and 0 < lr_bound < 2):
        raise InputError(f"lr_bound must be in (0, 2) (Euler stability), got {lr_bound!r}")
    if lr is not None and not (np.isfinite(lr) and lr > 0):
        raise InputError(f"lr must be a finite positive number, got {lr!r}")
    if not (np.isfinite(t_max_scale) and t_max_scale > 0):
        raise InputError(f"t_max_scale must be positive, got {t_max_scale!r}")
    check_int("n_checkpoints", n_checkpoints, 2)
    X, y = task.X, task.y
    theta = net.init_params() if theta0 is None else np.array(theta0, dtype=float)
    rec: dict[str, list] = {k: [] for k in ("t", "e", "M", "Mdot", "theta", "J", "gn", "lr", "lam_est")}
    lam_est = float("nan")

    def step_size() -> float:
        s = float("inf") if lr is None else float(lr)
        if lr_bound is not None:
            s = min(s, lr_bound / lam_est)
        return s

    def record(t_now: float, eta: float) -> None:
        F, J, hsq = net._jacobian_raw(theta, X, True)
        e = (F - y).ravel()
        Jd = net.jacobian_derivative(theta, X, -(J.T @ e))
        A = Jd @ J.T
        rec["t"].append(t_now)
        rec["e"].append(e)
        rec["M"].append(J @ J.T)
        rec["Mdot"].append(A + A.T)
        rec["theta"].append(theta.copy())
        rec["gn"].append(np.sqrt(hsq / F.size))
        rec["lr"].append(eta)
        rec["lam_est"].append(lam_est)
        if store_jacobians:
            rec["J"].append(J)

    record(0.0, float("nan"))
    lam_all, vec = np.linalg.eigh(rec["M"][0])  # exact lambda_max(M(0)) and its eigenvector
    lam0, w = float(lam_all[-1]), vec[:, -1]
    if not lam0 > 0:
        raise InputError("M(0) = J J^T is zero: the network output does not depend on its parameters")
    lam_est = lam0
    rec["lr"][0], rec["lam_est"][0] = step_size(), lam0
    t_max = max(float(t_max_scale) / lam0, 2.0 * step_size())  # at least two full steps
    times = _time_grid(step_size(), t_max, int(n_checkpoints))
    loss0 = float(0.5 * np.sum(rec["e"][0] ** 2))
    t_now, n_steps, worst, prev_loss = 0.0, 0, 0.0, float("inf")
    for target in times[1:]:
        while t_now < target * (1 - 1e-12):
            if n_steps >= max_steps:
                raise NonFiniteError(
                    f"gradient flow needs more than max_steps={max_steps} steps to "
                    f"reach t = {target:.3g} (lambda_max grew to {lam_est:.3g}); "
                    "raise max_steps or lower t_max_scale"
                )
            loss, g, _ = net.loss_and_grad(theta, X, y)
            # refresh the estimate every power_every steps, and at once when the loss went up
            # (the sign of a step beyond the stability limit)
            if n_steps > 0 and (n_steps % max(1, int(power_every)) == 0 or loss > prev_loss):
                lam_est, w = kernel_lambda_max(net, theta, X, w0=w, iters=5, rtol=1e-3)
            prev_loss = loss
            eta = min(step_size(), target - t_now)
            if not np.isfinite(loss) or loss > divergence_factor * max(loss0, 1e-300):
                raise NonFiniteError(
                    f"training diverged at step {n_steps} (t = {t_now:.3g}, loss "
                    f"{loss:.3g}, initial {loss0:.3g}); lower lr / lr_bound"
                )
            worst = max(worst, eta * lam_est)
            theta = theta - eta * g
            t_now += eta
            n_steps += 1
        t_now = float(target)
        record(t_now, step_size())
        if progress is not None:
            progress(n_steps, t_now, float(0.5 * np.sum(rec["e"][-1] ** 2)))
    regime = {
        "integrator": ("adaptive-step gradient descent (gradient-flow regime)" if lr_bound is not None else "fixed lr"),
        "lr_bound": lr_bound,
        "lr_cap": lr,
        "power_every": int(power_every),
        "bound_enforced_on": f"power-iteration estimate of lambda_max, refreshed every {int(power_every)} steps",
    }
    meta = {
        "network": net.describe(),
        "task": dict(task.info),
        "regime": regime,
        "lr": float(rec["lr"][0]),
        "lr_t": [float(x) for x in rec["lr"]],
        "lambda_max_0": float(lam0),
        "lambda_max_est_t": [float(x) for x in rec["lam_est"]],
        "lr_lambda_est_t": [float(a * b) for a, b in zip(rec["lr"], rec["lam_est"], strict=True)],
        "lr_lambda_est_max": float(worst),
        "steps": int(n_steps),
        "grad_norms_t": np.array(rec["gn"]).tolist(),
    }
    # M = J J^T is symmetric PSD by construction: no eigenvalue check here (the diagnostics
    # eigendecompose every checkpoint anyway)
    return Trajectory(
        t=np.array(rec["t"]),
        e=np.array(rec["e"]),
        M=np.array(rec["M"]),
        Mdot=np.array(rec["Mdot"]),
        Mdot_source="exact",
        J=np.array(rec["J"]) if store_jacobians else None,
        theta=np.array(rec["theta"]),
        grad_norms=np.asarray(rec["gn"][0]),
        meta=meta,
    )
