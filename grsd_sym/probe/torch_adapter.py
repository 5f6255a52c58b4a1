"""Probe a PyTorch model: train it (or follow your loop) and record the GRSD trajectory.

:func:`from_torch` trains ``model`` on ``(X, y)`` with the squared loss
:math:`L = \\tfrac12\\|f - y\\|^2` (full-batch gradient flow / descent or minibatch SGD, see
:mod:`grsd_sym.probe.optim`) and at log-spaced checkpoints records what the diagnostics need, in
the format of :class:`~grsd_sym.probe.adapter.Trajectory`:

* errors :math:`e = f - y` and the kernel :math:`M = JJ^T` (GRSD section 1), with ``J`` computed
  per block of samples by ``torch.func.vmap(jacrev)`` and never held whole
  (:func:`grsd_sym.probe.recording.panel_kernel`);
* the kernel velocity :math:`\\dot M = \\dot J J^T + J\\dot J^T` along gradient flow
  :math:`\\dot\\theta = -J^T e` (GRSD-T2), exact by forward mode (``torch.func.jvp`` of the block
  Jacobian), or by central differences when ``mdot="central"`` (``Mdot_source`` says which);
* the back-propagated norms :math:`\\|\\partial f/\\partial h_l\\|` of the hidden states (forward
  hooks on ``layers``; docs/theory/conditions.md, condition 1), per-checkpoint gradient-noise scale,
  ``lr * lambda_max`` and the regime.

The products are accumulated in float64 whatever the model's dtype; ``dtype`` (default float64)
is the dtype the model is evaluated in.  The same code runs on a GPU: the model, ``X`` and ``y``
go to ``device`` (default: the model's), only ``M``/``Mdot`` blocks come back to the host.

Three steps to probe your own model::

    traj = grsd_sym.probe.from_torch(model, X, y, optimizer="gf", steps=2000)
    result = grsd_sym.probe.diagnose(traj)
    print(result["summary"]["rho0"], result["summary"]["delta_K"])
"""

from __future__ import annotations

import copy
from collections.abc import Sequence
from typing import Any, Unpack

import numpy as np
from numpy.typing import ArrayLike

from grsd_sym.errors import InputError, ShapeError
from grsd_sym.probe.adapter import Trajectory
from grsd_sym.probe.architectures import ArchSpec
from grsd_sym.probe.data import missing_extra
from grsd_sym.probe.recording import _BlockKernel, _record_run, _run_options, _RunOptions

try:
    import torch
    from torch import nn
    from torch.func import functional_call, jacrev, jvp, vmap
except ImportError:  # pragma: no cover - the extra is installed in CI
    raise missing_extra("torch", "torch", "the PyTorch adapter") from None

__all__ = [
    "ProbeNet",
    "build_torch_model",
    "from_torch",
    "torch_jacobian",
    "torch_kernel",
    "torch_model_from_theta",
]

_DTYPES = {"float64": torch.float64, "float32": torch.float32}


# ----------------------------------------------------------------------------- built-in nets
class ProbeNet(nn.Module):
    """The probe's architectures (:class:`~grsd_sym.probe.architectures.ArchSpec`) in PyTorch.

    Parameters are registered in the layout order of the numpy networks, so
    ``torch.cat([p.flatten() for p in net.parameters()])`` is the numpy ``theta``.  The hidden
    states :math:`h_0..h_L` pass through ``nn.Identity`` taps (``probe_layers``) so that forward
    hooks can read them.

    Parameters
    ----------
    spec : ArchSpec
    theta : array_like
        Flat parameters in the spec's layout.
    dtype : torch.dtype
    device : torch.device, optional

    Examples
    --------
    >>> spec = ArchSpec("resnet", (3,), width=4, depth=2)
    >>> net = ProbeNet(spec, spec.init_theta(0))
    >>> len(net.probe_layers), sum(p.numel() for p in net.parameters()) == spec.n_params
    (3, True)
    """

    def __init__(self, spec: ArchSpec, theta: ArrayLike, dtype: Any = torch.float64, device: Any = None):
        super().__init__()
        self.spec = spec
        theta = np.asarray(theta, dtype=float)
        if theta.shape != (spec.n_params,):
            raise ShapeError(f"theta must have shape ({spec.n_params},), got {theta.shape}")
        for name, shape, off in spec.layout.entries:
            w = theta[off : off + int(np.prod(shape))].reshape(shape)
            self.register_parameter(name, nn.Parameter(torch.tensor(w, dtype=dtype, device=device)))
        self.taps = nn.ModuleList(nn.Identity() for _ in range(spec.depth + 1))
        self.probe_layers = list(self.taps)
        self.probe_include_input = False
        self._phi = torch.tanh if spec.activation == "tanh" else torch.relu

    def forward(self, x: Any) -> Any:
        """Outputs ``(N, output_dim)`` of a batch ``x`` (reshaped to the spec's input shape)."""
        s, phi, tap = self.spec, self._phi, self.taps
        x = x.reshape((x.shape[0], *tuple(s.input_shape)))
        p = dict(self.named_parameters())
        a = s.alpha
        lin = nn.functional.linear

        def conv(h, name):
            return nn.functional.conv2d(h, p["W" + name], p["b" + name], padding=1)

        op = conv if s.conv else (lambda h, name: lin(h, p["W" + name], p["b" + name]))
        if s.residual:
            h = tap[0](op(x, "in"))
            for l in range(1, s.depth + 1):
                r = op(phi(op(phi(h), f"{l}a")), f"{l}b")
                h = tap[l](h + a * r)
        else:
            h = tap[0](x)
            for l in range(1, s.depth + 1):
                h = tap[l](phi(op(h, str(l))))
        return lin(h.reshape(h.shape[0], -1), p["Wo"], p["bo"])


def torch_model_from_theta(spec: ArchSpec, theta: ArrayLike, dtype: str = "float64", device: Any = None) -> ProbeNet:
    """The torch version of ``spec`` with parameters ``theta`` (e.g. a numpy network's).

    Parameters
    ----------
    spec : ArchSpec
    theta : array_like
        Flat parameters in the spec's layout.
    dtype : {"float64", "float32"}
    device : torch.device, optional

    Returns
    -------
    ProbeNet

    Raises
    ------
    InputError, ShapeError
        Unknown dtype, or ``theta`` of the wrong size.

    Examples
    --------
    >>> spec = ArchSpec("mlp", (3,), width=4, depth=2)
    >>> net = torch_model_from_theta(spec, spec.init_theta(0))
    >>> tuple(net(torch.ones(2, 3, dtype=torch.float64)).shape)
    (2, 1)
    """
    if dtype not in _DTYPES:
        raise InputError(f"dtype must be one of {sorted(_DTYPES)}, got {dtype!r}")
    return ProbeNet(spec, theta, dtype=_DTYPES[dtype], device=device)


def build_torch_model(spec: ArchSpec, seed: int = 0, dtype: str = "float64", device: Any = None) -> ProbeNet:
    """A freshly initialised torch :class:`ProbeNet` (same weights as numpy/jax for ``seed``).

    Parameters
    ----------
    spec : ArchSpec
    seed : int
    dtype : {"float64", "float32"}
    device : torch.device, optional

    Returns
    -------
    ProbeNet

    Examples
    --------
    >>> spec = ArchSpec("mlp", (3,), width=4, depth=1)
    >>> theta = torch.cat([p.detach().flatten() for p in build_torch_model(spec).parameters()])
    >>> bool(np.allclose(theta.numpy(), spec.init_theta(0)))
    True
    """
    return torch_model_from_theta(spec, spec.init_theta(seed), dtype=dtype, device=device)


# ----------------------------------------------------------------------------- kernels
class _Functional:
    """``f(theta, X)`` of a module with a flat float parameter vector."""

    def __init__(self, model: nn.Module, dtype, device):
        self.model = model
        named = [(n, p) for n, p in model.named_parameters() if p.requires_grad]
        if not named:
            raise InputError("the model has no trainable parameters")
        self.names = [n for n, _ in named]
        self.shapes = [tuple(p.shape) for _, p in named]
        self.sizes = [int(np.prod(s)) if s else 1 for s in self.shapes]
        self.theta0 = torch.cat([p.detach().reshape(-1) for _, p in named]).to(dtype=dtype, device=device)

    def params(self, theta):
        return {n: t.view(s) for n, t, s in zip(self.names, torch.split(theta, self.sizes), self.shapes, strict=True)}

    def __call__(self, theta, X):
        out = functional_call(self.model, self.params(theta), (X,))
        return out.reshape(X.shape[0], -1)

    def single(self, theta, x):
        return self(theta, x.unsqueeze(0))[0]


def torch_kernel(
    model: nn.Module,
    X: Any,
    y: Any,
    theta: Any = None,
    block_size: int | None = None,
    max_memory: int = 1 << 30,
    mdot: str = "jvp",
    fd_step: float = 1e-6,
    dtype: str = "float64",
    device: Any = None,
) -> dict:
    """``e``, ``M`` and ``Mdot`` of ``model`` at its parameters (or ``theta``) on ``(X, y)``.

    Parameters
    ----------
    model : torch.nn.Module
    X, y : array_like or torch.Tensor
        Inputs (batch first) and targets ``(N,)`` or ``(N, k)``.
    theta : torch.Tensor, optional
        Flat parameters (order of ``model.parameters()``); default the model's own.
    block_size : int, optional
        Samples per Jacobian block (default: sized from ``max_memory``).
    max_memory : int
        Bytes of Jacobian blocks held at once (the panel).
    mdot : {"jvp", "central"}
        Exact forward-mode velocity, or central differences along :math:`-J^Te`.
    fd_step : float
        Relative step of the central differences.
    dtype : {"float64", "float32"}
        Dtype the model is evaluated in (products are float64 either way).
    device : torch.device, optional

    Returns
    -------
    dict
        ``e`` (``n``), ``M``, ``Mdot`` (``n x n`` numpy float64), ``loss``, ``lambda_max``,
        ``sum_sq``, ``grad_sum`` (per-sample gradient moments), ``block_size``, ``computed``.

    Raises
    ------
    InputError, ShapeError

    Examples
    --------
    >>> spec = ArchSpec("mlp", (3,), width=4, depth=1)
    >>> out = torch_kernel(build_torch_model(spec), np.ones((4, 3)), np.zeros(4))
    >>> out["M"].shape
    (4, 4)

    References
    ----------
    GRSD-T2 (:math:`\\dot M` along gradient flow).
    """
    ctx = _Context(model, X, y, dtype, device, block_size, max_memory, mdot, fd_step)
    th = ctx.fn.theta0 if theta is None else torch.as_tensor(theta, dtype=ctx.dtype, device=ctx.device)
    return ctx.kernel(th)


def torch_jacobian(
    model: nn.Module, X: Any, direction: ArrayLike | None = None, dtype: str = "float64", block_size: int | None = None
) -> tuple[np.ndarray, np.ndarray | None]:
    """The whole Jacobian ``J`` (``n x P``, rows sample-major) and, given a direction ``v``, its
    derivative :math:`\\dot J = (\\partial J/\\partial\\theta) v` -- for checks on small models
    (:func:`torch_kernel` never holds ``J``).

    Parameters
    ----------
    model : torch.nn.Module
    X : array_like or torch.Tensor
    direction : array_like, optional
        ``v`` (``P``).
    dtype : {"float64", "float32"}
    block_size : int, optional

    Returns
    -------
    tuple of numpy.ndarray
        ``J`` and ``Jdot`` (``None`` without a direction).

    Examples
    --------
    >>> spec = ArchSpec("mlp", (3,), width=4, depth=1)
    >>> torch_jacobian(build_torch_model(spec), np.ones((2, 3)))[0].shape
    (2, 21)
    """
    X = np.asarray(X) if not torch.is_tensor(X) else X
    ctx = _Context(model, X, np.zeros((len(X), _out_dim(model, X))), dtype=dtype, block_size=block_size)
    v = None if direction is None else torch.as_tensor(np.asarray(direction), dtype=ctx.dtype, device=ctx.device)
    return ctx.jacobian(v, torch.zeros((ctx.N, ctx.k), dtype=ctx.dtype, device=ctx.device))


def _out_dim(model, X) -> int:
    with torch.no_grad():
        p = next(model.parameters())
        out = model(torch.as_tensor(X[:1]).to(p.dtype))
    return int(out.reshape(1, -1).shape[1])


class _Context(_BlockKernel):
    """Model, data and settings of one probe run (shared by the kernel and the training loop)."""

    def __init__(
        self,
        model,
        X,
        y,
        dtype="float64",
        device=None,
        block_size=None,
        max_memory=1 << 30,
        mdot="jvp",
        fd_step=1e-6,
        layers=None,
        include_input=None,
    ):
        if not isinstance(model, nn.Module):
            raise InputError(f"model must be a torch.nn.Module, got {type(model).__name__}")
        if dtype not in _DTYPES:
            raise InputError(f"dtype must be one of {sorted(_DTYPES)}, got {dtype!r}")
        self._settings(mdot, fd_step, max_memory)
        self.dtype = _DTYPES[dtype]
        self._orig = model
        if device is None:
            first = next(model.parameters(), None)
            device = first.device if first is not None else torch.device("cpu")
        self.device = torch.device(device)
        self.model = copy.deepcopy(model).to(dtype=self.dtype, device=self.device)
        self.fn = _Functional(self.model, self.dtype, self.device)
        self.theta0 = self.fn.theta0
        self.X = torch.as_tensor(np.asarray(X) if not torch.is_tensor(X) else X).to(
            dtype=self.dtype, device=self.device
        )
        Y = torch.as_tensor(np.asarray(y) if not torch.is_tensor(y) else y).to(dtype=self.dtype, device=self.device)
        if Y.ndim == 1:
            Y = Y[:, None]
        N = self.X.shape[0]
        if N < 2 or Y.ndim != 2 or Y.shape[0] != N:
            raise ShapeError(f"y must have shape (N,) or (N, k) with N = {N} >= 2, got {tuple(Y.shape)}")
        if not (torch.isfinite(self.X).all() and torch.isfinite(Y).all()):
            raise InputError("X and y must be finite")
        with torch.no_grad():
            F = self.fn(self.fn.theta0, self.X)
        if F.shape != Y.shape:
            raise ShapeError(f"model outputs have shape {tuple(F.shape)} but y has {tuple(Y.shape)}")
        self.Y = Y
        self.N, self.k = N, Y.shape[1]
        self.P = int(self.fn.theta0.numel())
        self._size_blocks(block_size)
        self._jac = vmap(jacrev(self.fn.single), in_dims=(None, 0))
        self._set_layers(layers, include_input)

    def _set_layers(self, layers, include_input):
        m = self.model
        if layers is None:
            if hasattr(m, "probe_layers"):
                layers = list(m.probe_layers)
                include_input = (
                    bool(getattr(m, "probe_include_input", False)) if include_input is None else include_input
                )
            else:
                leaves = [
                    mod for mod in m.modules() if not list(mod.children()) and any(True for _ in mod.parameters(False))
                ]
                layers = leaves[:-1]
        else:  # the user's modules live in the original model: map them to the copy by name
            names = {id(mod): name for name, mod in self._orig_modules()}
            own = dict(m.named_modules())
            try:
                layers = [own[names[id(mod)]] for mod in layers]
            except KeyError:
                raise InputError("layers must be sub-modules of the model") from None
        self.layers = layers
        self.include_input = bool(include_input)

    def _orig_modules(self):
        return self._orig.named_modules()

    # -- pieces
    def _to_numpy(self, a):
        return a.detach().cpu().numpy()

    def _norm(self, a):
        return float(a.norm())

    def loss_grad(self, theta, idx):
        """:math:`\\nabla_\\theta \\tfrac12\\sum_{i\\in idx}\\|f_i - y_i\\|^2` (plain reverse mode: it is
        the inner loop of training, and ``torch.func.grad`` costs about twice as much per call)."""
        if idx is not None:
            idx = torch.as_tensor(idx, device=self.device)
        Xb, Yb = (self.X, self.Y) if idx is None else (self.X[idx], self.Y[idx])
        th = theta.detach().requires_grad_(True)
        loss = 0.5 * ((self.fn(th, Xb) - Yb) ** 2).sum()
        return torch.autograd.grad(loss, th)[0]

    def _block(self, theta, v, e, a, b):
        Xb = self.X[a:b]
        if v is not None:
            Jb, Jdb = jvp(lambda th: self._jac(th, Xb), (theta,), (v,))
            Jdb = Jdb.reshape(-1, self.P).to(torch.float64)
        else:
            Jb, Jdb = self._jac(theta, Xb), None
        g = (Jb * e[a:b, :, None]).sum(1).to(torch.float64)
        return Jb.reshape(-1, self.P).to(torch.float64), Jdb, g

    def _start(self, theta):
        theta = theta.detach()
        with torch.no_grad():
            E = self.fn(theta, self.X) - self.Y
        return theta, E, -self.loss_grad(theta, None).detach()

    def hidden_norms(self, theta):
        """:math:`\\|\\partial f/\\partial h_l\\|` (root mean square over outputs), or ``None``."""
        if not self.layers and not self.include_input:
            return None
        captured = []
        handles = [m.register_forward_hook(lambda mod, inp, out: captured.append(out)) for m in self.layers]
        Xg = self.X.clone().requires_grad_(True)
        try:
            F = self.fn(theta.detach(), Xg)
        finally:
            for hd in handles:
                hd.remove()
        hs = ([Xg] if self.include_input else []) + [c for c in captured if torch.is_tensor(c)]
        if len(hs) < 2:
            return None
        sq = np.zeros(len(hs))
        for j in range(F.shape[1]):
            gs = torch.autograd.grad(F[:, j].sum(), hs, retain_graph=True, allow_unused=True)
            sq += np.array([0.0 if g is None else float((g.to(torch.float64) ** 2).sum()) for g in gs])
        norms = np.sqrt(sq / F.numel())
        return norms if np.all(norms > 0) else None


def from_torch(
    model: Any,
    X: Any,
    y: Any,
    *,
    device: Any = None,
    layers: Sequence[Any] | None = None,
    include_input: bool | None = None,
    threads: int | None = None,
    **options: Unpack[_RunOptions],
) -> Trajectory:
    """Train a PyTorch model (or follow your loop) and record its GRSD trajectory.

    Parameters
    ----------
    model : torch.nn.Module
        Any module mapping a batch ``X`` to outputs ``(N, k)``; it is copied, never modified.
    X, y : array_like or torch.Tensor
        Training inputs (batch first) and targets ``(N,)`` or ``(N, k)``.
    optimizer : {"gd", "gf", "sgd"}
        See :mod:`grsd_sym.probe.optim`; ``steps``, ``n_checkpoints``, ``lr``, ``lr_scale``,
        ``gf_bound``, ``batch_size``, ``momentum``, ``seed`` as in
        :class:`~grsd_sym.probe.optim.OptimizerSpec`.
    train_fn : callable, optional
        Your training loop instead of the built-in optimizer: ``train_fn(model, n_steps)`` trains
        the (copied) model in place for ``n_steps``; checkpoints are read between calls; give
        ``lr`` so that time is ``lr x steps``.
    mdot : {"jvp", "central"}
        Exact kernel velocity (forward mode) or central differences (labelled
        ``Mdot_source = "central-difference"``).
    fd_step : float
        Relative step of the central differences.
    block_size, max_memory : int
        Samples per Jacobian block (default sized from ``max_memory``) and the byte budget of the
        held blocks (default ``2**30``).
    dtype : {"float64", "float32"}
        Evaluation dtype (kernel products are always float64).
    device : optional
        Where to run (default: the model's device).
    layers : sequence of modules, optional
        Modules whose outputs are the hidden states :math:`h_l` of condition 1; default the
        model's ``probe_layers`` if it has them, else every parametrised leaf module but the last.
    include_input : bool, optional
        Count the input as :math:`h_0`.
    progress : callable, optional
        ``progress(step, steps)``.
    meta : dict, optional
        Extra metadata stored in the trajectory.
    threads : int, optional
        torch CPU threads during the run (restored afterwards); 1 is much faster for small
        models on a busy machine.
    **options
        The keyword options above other than ``device``, ``layers``, ``include_input`` and
        ``threads`` (shared with :func:`~grsd_sym.probe.jax_adapter.from_jax`); defaults
        ``optimizer="gd"``, ``steps=1000``, ``n_checkpoints=12``, ``mdot="jvp"``,
        ``fd_step=1e-6``, ``dtype="float64"``, the rest as in
        :class:`~grsd_sym.probe.optim.OptimizerSpec` or ``None``.

    Returns
    -------
    Trajectory
        ``t, e, M, Mdot, grad_norms`` and ``meta`` (optimizer, regime, per-checkpoint
        ``lr * lambda_max``, gradient-noise scale, ``block_size``).

    Raises
    ------
    InputError, ShapeError, NonFiniteError
        Bad options or shapes, or a diverging run.

    Examples
    --------
    >>> spec = ArchSpec("resnet", (3,), width=4, depth=2)
    >>> X = np.random.default_rng(0).normal(size=(6, 3)); y = X[:, 0]
    >>> traj = from_torch(build_torch_model(spec), X, y, steps=10, n_checkpoints=2)
    >>> traj.M.shape, traj.Mdot_source, traj.meta["regime"]["regime"]
    ((3, 6, 6), 'exact', 'gradient descent')

    References
    ----------
    GRSD-T1 (:math:`\\dot e = -Me`), GRSD-T2 (:math:`\\dot M`), docs/theory/conditions.md (conditions).
    """
    o = _run_options("from_torch", options)
    if threads is not None:
        if isinstance(threads, bool) or not isinstance(threads, int) or threads < 1:
            raise InputError(f"threads must be an integer >= 1, got {threads!r}")
        old = torch.get_num_threads()
        torch.set_num_threads(threads)
        try:
            return from_torch(model, X, y, device=device, layers=layers, include_input=include_input, **o)
        finally:
            torch.set_num_threads(old)
    ctx = _Context(
        model,
        X,
        y,
        dtype=o["dtype"],
        device=device,
        block_size=o["block_size"],
        max_memory=o["max_memory"],
        mdot=o["mdot"],
        fd_step=o["fd_step"],
        layers=layers,
        include_input=include_input,
    )
    train_fn = o["train_fn"]

    def advance(theta: Any, n: int) -> Any:
        assert train_fn is not None
        train_fn(ctx.model, n)
        return torch.cat([p.detach().reshape(-1) for n_, p in ctx.model.named_parameters() if p.requires_grad]).to(
            ctx.dtype
        )

    framework = {"framework": "torch", "torch": torch.__version__, "device": str(ctx.device)}
    return _record_run(ctx, o, advance, framework, "train_fn(model, n_steps)")
