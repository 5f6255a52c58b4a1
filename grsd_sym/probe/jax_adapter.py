"""Probe a JAX model: train ``apply_fn(params, X)`` (or follow your loop) and record the trajectory.

:func:`from_jax` is the JAX twin of :func:`grsd_sym.probe.torch_adapter.from_torch`: the
parameters (any pytree) are flattened with ``jax.flatten_util.ravel_pytree``; the Jacobian of a
block of samples is ``jit(vmap(jacrev))`` and its derivative along gradient flow
:math:`\\dot\\theta = -J^T e` comes from ``jax.jvp`` of that block Jacobian (GRSD-T2), or from
central differences (``mdot="central"``, labelled).  ``M`` and ``Mdot`` are assembled block by
block in float64 (:func:`grsd_sym.probe.recording.panel_kernel`).

Float64 needs ``jax_enable_x64``: with ``dtype="float64"`` (the default) :func:`from_jax` turns it
on (a process-wide JAX setting).  JAX runs on its default device (a GPU when there is one).

Condition 1 needs the hidden states; JAX has no hooks, so give ``stages``: callables
``[s_0, s_1, ..., s_L, head]`` with :math:`h_0 = s_0(p, X)`, :math:`h_l = s_l(p, h_{l-1})`,
:math:`f = \\mathrm{head}(p, h_L)` whose composition is ``apply_fn`` (checked at the start).  The
built-in nets of :func:`build_jax_model` come with theirs.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, Unpack

import numpy as np
from numpy.typing import ArrayLike

from grsd_sym.errors import InputError, ShapeError
from grsd_sym.probe.adapter import Trajectory
from grsd_sym.probe.architectures import ArchSpec
from grsd_sym.probe.data import missing_extra
from grsd_sym.probe.recording import _BlockKernel, _record_run, _run_options, _RunOptions

try:
    import jax
    import jax.numpy as jnp
    from jax.flatten_util import ravel_pytree
except ImportError:  # pragma: no cover - the extra is installed in CI
    raise missing_extra("jax", "jax", "the JAX adapter") from None

__all__ = ["build_jax_model", "from_jax", "jax_jacobian", "jax_kernel", "jax_model_from_theta"]


def _dtype(name: str):
    if name == "float64":
        if not jax.config.read("jax_enable_x64"):
            jax.config.update("jax_enable_x64", True)
        return jnp.float64
    if name == "float32":
        return jnp.float32
    raise InputError(f"dtype must be 'float64' or 'float32', got {name!r}")


# ----------------------------------------------------------------------------- built-in nets
def jax_model_from_theta(
    spec: ArchSpec, theta: ArrayLike, dtype: str = "float64"
) -> tuple[Callable[..., Any], list[Any], list[Callable[..., Any]]]:
    """``(apply_fn, params, stages)`` of ``spec`` with flat parameters ``theta``.

    Parameters
    ----------
    spec, theta, dtype
        As in :func:`grsd_sym.probe.torch_adapter.torch_model_from_theta`.

    Returns
    -------
    tuple
        ``apply_fn(params, X)``, ``params`` (a list of arrays in layout order, so
        ``ravel_pytree(params)[0]`` is ``theta``) and the ``stages`` of condition 1.

    Raises
    ------
    InputError, ShapeError
        ``dtype`` not float64/float32, or ``theta`` not of ``spec.n_params`` values.

    Examples
    --------
    >>> spec = ArchSpec("mlp", (3,), width=4, depth=2)
    >>> apply_fn, params, stages = jax_model_from_theta(spec, spec.init_theta(0))
    >>> apply_fn(params, np.ones((2, 3))).shape
    (2, 1)
    """
    dt = _dtype(dtype)
    theta = np.asarray(theta, dtype=float)
    if theta.shape != (spec.n_params,):
        raise ShapeError(f"theta must have shape ({spec.n_params},), got {theta.shape}")
    names = [name for name, _, _ in spec.layout.entries]
    params = [
        jnp.asarray(theta[off : off + int(np.prod(shape))].reshape(shape), dtype=dt)
        for _, shape, off in spec.layout.entries
    ]
    idx = {n: i for i, n in enumerate(names)}
    phi = jnp.tanh if spec.activation == "tanh" else (lambda z: jnp.maximum(z, 0.0))
    a = spec.alpha

    def op(p, h, name):
        W, b = p[idx["W" + name]], p[idx["b" + name]]
        if spec.conv:
            out = jax.lax.conv_general_dilated(
                h, W, (1, 1), ((1, 1), (1, 1)), dimension_numbers=("NCHW", "OIHW", "NCHW")
            )
            return out + b[None, :, None, None]
        return h @ W.T + b

    def stage0(p, X):
        x = jnp.reshape(X, (X.shape[0], *tuple(spec.input_shape)))
        return op(p, x, "in") if spec.residual else x

    def make_stage(l):
        if spec.residual:
            return lambda p, h: h + a * op(p, phi(op(p, phi(h), f"{l}a")), f"{l}b")
        return lambda p, h: phi(op(p, h, str(l)))

    def head(p, h):
        return h.reshape(h.shape[0], -1) @ p[idx["Wo"]].T + p[idx["bo"]]

    stages = [stage0] + [make_stage(l) for l in range(1, spec.depth + 1)] + [head]

    def apply_fn(p, X):
        h = stages[0](p, X)
        for st in stages[1:]:
            h = st(p, h)
        return h

    return apply_fn, params, stages


def build_jax_model(
    spec: ArchSpec, seed: int = 0, dtype: str = "float64"
) -> tuple[Callable[..., Any], list[Any], list[Callable[..., Any]]]:
    """A freshly initialised ``(apply_fn, params, stages)`` (same weights as numpy/torch).

    Parameters
    ----------
    spec : ArchSpec
    seed : int
    dtype : {"float64", "float32"}

    Returns
    -------
    tuple
        As :func:`jax_model_from_theta`.

    Examples
    --------
    >>> spec = ArchSpec("mlp", (3,), width=4, depth=1)
    >>> bool(np.allclose(ravel_pytree(build_jax_model(spec)[1])[0], spec.init_theta(0)))
    True
    """
    return jax_model_from_theta(spec, spec.init_theta(seed), dtype=dtype)


# ----------------------------------------------------------------------------- context
class _JaxContext(_BlockKernel):
    def __init__(
        self,
        apply_fn,
        params,
        X,
        y,
        dtype="float64",
        block_size=None,
        max_memory=1 << 30,
        mdot="jvp",
        fd_step=1e-6,
        stages=None,
    ):
        if not callable(apply_fn):
            raise InputError("apply_fn must be callable: apply_fn(params, X) -> outputs")
        self._settings(mdot, fd_step, max_memory)
        self.dt = dt = _dtype(dtype)
        params = jax.tree_util.tree_map(lambda p: jnp.asarray(p, dtype=dt), params)
        self.theta0, self.unravel = ravel_pytree(params)
        if self.theta0.size == 0:
            raise InputError("params hold no parameters")
        self.X = jnp.asarray(np.asarray(X), dtype=dt)
        Y = jnp.asarray(np.asarray(y), dtype=dt)
        if Y.ndim == 1:
            Y = Y[:, None]
        N = self.X.shape[0]
        if N < 2 or Y.ndim != 2 or Y.shape[0] != N:
            raise ShapeError(f"y must have shape (N,) or (N, k) with N = {N} >= 2, got {Y.shape}")
        if not (bool(jnp.isfinite(self.X).all()) and bool(jnp.isfinite(Y).all())):
            raise InputError("X and y must be finite")
        self.Y, self.N, self.k, self.P = Y, N, Y.shape[1], int(self.theta0.size)
        unravel = self.unravel

        def f(th, Xb):
            return apply_fn(unravel(th), Xb).reshape(Xb.shape[0], -1)

        F = f(self.theta0, self.X)
        if F.shape != Y.shape:
            raise ShapeError(f"apply_fn outputs have shape {F.shape} but y has {Y.shape}")

        def loss(th, Xb, Yb):
            return 0.5 * jnp.sum((f(th, Xb) - Yb) ** 2)

        jac = jax.vmap(jax.jacrev(lambda th, x: f(th, x[None])[0]), in_axes=(None, 0))
        self.f = jax.jit(f)
        self._grad = jax.jit(jax.grad(loss))
        self._jac = jax.jit(jac)
        self._jac_jvp = jax.jit(lambda th, v, Xb: jax.jvp(lambda t: jac(t, Xb), (th,), (v,)))
        self._size_blocks(block_size)
        self._set_stages(apply_fn, stages, F)

    def _set_stages(self, apply_fn, stages, F):
        self.stages = None
        if stages is None:
            return
        stages = list(stages)
        if len(stages) < 2 or not all(callable(s) for s in stages):
            raise InputError("stages must be a list of >= 2 callables [s_0, ..., s_L, head]")
        p = self.unravel(self.theta0)
        h = stages[0](p, self.X)
        for st in stages[1:]:
            h = st(p, h)
        if h.shape != F.shape and h.reshape(F.shape).shape != F.shape:
            raise ShapeError("the composition of stages does not give apply_fn's output shape")
        err = float(jnp.max(jnp.abs(h.reshape(F.shape) - F)))
        if err > 1e-6 * max(1.0, float(jnp.max(jnp.abs(F)))):
            raise InputError(f"the composition of stages differs from apply_fn by {err:.3g}")
        self.stages = stages

    def _to_numpy(self, a):
        return np.asarray(a)

    def _norm(self, a):
        return float(jnp.linalg.norm(a))

    def _start(self, theta):
        return theta, self.f(theta, self.X) - self.Y, -self.loss_grad(theta, None)

    def loss_grad(self, theta, idx):
        if idx is None:
            return self._grad(theta, self.X, self.Y)
        return self._grad(theta, self.X[idx], self.Y[idx])

    def _block(self, theta, v, E, a, b):
        Xb, nb = self.X[a:b], b - a
        if nb < self.block_size:  # pad the short last block: one compiled shape for every block
            Xb = jnp.concatenate([Xb, jnp.repeat(Xb[:1], self.block_size - nb, axis=0)])
        if v is not None:
            Jb, Jdb = self._jac_jvp(theta, v, Xb)
            Jb, Jdb = Jb[:nb], Jdb[:nb].reshape(-1, self.P).astype(jnp.float64)
        else:
            Jb, Jdb = self._jac(theta, Xb)[:nb], None
        g = (Jb * E[a:b, :, None]).sum(1).astype(jnp.float64)
        return Jb.reshape(-1, self.P).astype(jnp.float64), Jdb, g

    def hidden_norms(self, theta):
        if self.stages is None:
            return None
        st = self.stages
        p = self.unravel(theta)
        hs = [st[0](p, self.X)]
        for s in st[1:-1]:
            hs.append(s(p, hs[-1]))

        def out_from(deltas, j):
            h = st[0](p, self.X) + deltas[0]
            for l, s in enumerate(st[1:-1], 1):
                h = s(p, h) + deltas[l]
            return jnp.sum(st[-1](p, h).reshape(self.N, -1)[:, j])

        zeros = [jnp.zeros_like(h) for h in hs]
        sq = np.zeros(len(hs))
        for j in range(self.k):
            gs = jax.grad(out_from)(zeros, j)
            sq += np.array([float(jnp.sum(g.astype(jnp.float64) ** 2)) for g in gs])
        norms = np.sqrt(sq / (self.N * self.k))
        return norms if norms.size >= 2 and np.all(norms > 0) else None


def jax_kernel(
    apply_fn: Callable[..., Any],
    params: Any,
    X: ArrayLike,
    y: ArrayLike,
    block_size: int | None = None,
    max_memory: int = 1 << 30,
    mdot: str = "jvp",
    fd_step: float = 1e-6,
    dtype: str = "float64",
) -> dict:
    """``e``, ``M`` and ``Mdot`` of ``apply_fn`` at ``params`` on ``(X, y)`` (numpy float64).

    Parameters
    ----------
    apply_fn : callable
        ``apply_fn(params, X) -> (N, k)`` outputs.
    params : pytree
    X, y : array_like
    block_size, max_memory, mdot, fd_step, dtype
        As in :func:`grsd_sym.probe.torch_adapter.torch_kernel`.

    Returns
    -------
    dict
        As :func:`grsd_sym.probe.torch_adapter.torch_kernel`.

    Examples
    --------
    >>> spec = ArchSpec("mlp", (3,), width=4, depth=1)
    >>> apply_fn, params, _ = build_jax_model(spec)
    >>> jax_kernel(apply_fn, params, np.ones((4, 3)), np.zeros(4))["M"].shape
    (4, 4)

    References
    ----------
    GRSD-T2 (:math:`\\dot M` along gradient flow).
    """
    ctx = _JaxContext(
        apply_fn, params, X, y, dtype=dtype, block_size=block_size, max_memory=max_memory, mdot=mdot, fd_step=fd_step
    )
    return ctx.kernel(ctx.theta0)


def jax_jacobian(
    apply_fn: Callable[..., Any],
    params: Any,
    X: ArrayLike,
    direction: ArrayLike | None = None,
    dtype: str = "float64",
    block_size: int | None = None,
) -> tuple[np.ndarray, np.ndarray | None]:
    """The whole Jacobian ``J`` (``n x P``) and, given ``direction``, :math:`\\dot J` -- for checks
    on small models (:func:`jax_kernel` never holds ``J``).

    Parameters
    ----------
    apply_fn, params : callable, pytree
    X, direction, dtype, block_size
        As in :func:`grsd_sym.probe.torch_adapter.torch_jacobian`.

    Returns
    -------
    tuple of numpy.ndarray
        ``(J, Jdot)``.

    Examples
    --------
    >>> spec = ArchSpec("mlp", (3,), width=4, depth=1)
    >>> apply_fn, params, _ = build_jax_model(spec)
    >>> jax_jacobian(apply_fn, params, np.ones((2, 3)))[0].shape
    (2, 21)
    """
    dt = _dtype(dtype)
    X = jnp.asarray(np.asarray(X), dtype=dt)
    k = int(np.prod(apply_fn(jax.tree_util.tree_map(lambda p: jnp.asarray(p, dt), params), X[:1]).shape))
    ctx = _JaxContext(apply_fn, params, X, np.zeros((X.shape[0], k)), dtype=dtype, block_size=block_size)
    v = None if direction is None else jnp.asarray(np.asarray(direction), dtype=dt)
    return ctx.jacobian(v, jnp.zeros((ctx.N, ctx.k), dtype=dt))


def from_jax(
    apply_fn: Callable[..., Any],
    params: Any,
    X: Any,
    y: Any,
    *,
    stages: Sequence[Callable[..., Any]] | None = None,
    **options: Unpack[_RunOptions],
) -> Trajectory:
    """Train ``apply_fn(params, X)`` (or follow your loop) and record its GRSD trajectory.

    Parameters
    ----------
    apply_fn : callable
        ``apply_fn(params, X) -> (N, k)`` outputs (or ``(N,)``).
    params : pytree
        Initial parameters.
    X, y : array_like
        Inputs (batch first) and targets ``(N,)`` or ``(N, k)``.
    stages : list of callables, optional
        ``[s_0, ..., s_L, head]`` whose composition is ``apply_fn`` (condition 1).
    **options
        ``optimizer, steps, n_checkpoints, lr, lr_scale, gf_bound, batch_size, momentum, seed,
        mdot, fd_step, block_size, max_memory, dtype, progress, meta`` as in
        :func:`grsd_sym.probe.torch_adapter.from_torch`; ``train_fn(params, n_steps) -> params``
        is your loop (give ``lr`` for the time axis).

    Returns
    -------
    Trajectory

    Raises
    ------
    InputError, ShapeError, NonFiniteError
        Bad options, shapes or ``stages``, or a diverging run.

    Examples
    --------
    >>> spec = ArchSpec("resnet", (3,), width=4, depth=2)
    >>> apply_fn, params, stages = build_jax_model(spec)
    >>> X = np.random.default_rng(0).normal(size=(6, 3)); y = X[:, 0]
    >>> traj = from_jax(apply_fn, params, X, y, steps=10, n_checkpoints=2, stages=stages)
    >>> traj.M.shape, traj.grad_norms.shape
    ((3, 6, 6), (3,))

    References
    ----------
    GRSD-T1 (:math:`\\dot e = -Me`), GRSD-T2 (:math:`\\dot M`), docs/theory/conditions.md (conditions).
    """
    o = _run_options("from_jax", options)
    ctx = _JaxContext(
        apply_fn,
        params,
        X,
        y,
        dtype=o["dtype"],
        block_size=o["block_size"],
        max_memory=o["max_memory"],
        mdot=o["mdot"],
        fd_step=o["fd_step"],
        stages=stages,
    )
    train_fn = o["train_fn"]

    def advance(theta: Any, n: int) -> Any:
        assert train_fn is not None
        new = train_fn(ctx.unravel(theta), n)
        flat, _ = ravel_pytree(jax.tree_util.tree_map(lambda a: jnp.asarray(a, ctx.dt), new))
        if flat.shape != theta.shape:
            raise ShapeError("train_fn returned parameters of a different structure")
        return flat

    framework = {"framework": "jax", "jax": jax.__version__, "device": str(jax.devices()[0])}
    return _record_run(ctx, o, advance, framework, "train_fn(params, n_steps) -> params")
