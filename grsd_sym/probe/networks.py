"""Small networks with exact per-sample Jacobians (numpy only).

Two architectures, both with a flat parameter vector ``theta`` (so that the Jacobian
``J = df/dtheta`` is an ``n x P`` matrix, ``n = samples x output dims``, GRSD section 1):

* :class:`MLP`, the plain network without skip connections

  .. math:: h_0 = x,\\quad h_l = \\phi(W_l h_{l-1} + b_l)\\ (l = 1..L),\\quad f = W_o h_L + b_o

* :class:`ResMLP`, a pre-activation residual network

  .. math:: h_0 = W_{in} x + b_{in},\\quad
            h_l = h_{l-1} + \\alpha\\, (W_{2,l}\\,\\phi(W_{1,l}\\,\\phi(h_{l-1}) + b_{1,l}) + b_{2,l}),
            \\quad f = W_o h_L + b_o

  with branch scale ``alpha`` (default :math:`1/\\sqrt{L}`).

The Jacobian is computed exactly by reverse mode: one backward sweep per output dimension
with a one-hot cotangent, keeping the per-sample outer products instead of summing over the
batch.  The same sweeps give the back-propagated gradient norms :math:`\\|\\partial f/\\partial h_l\\|`
used by diagnostic 1 (bounded gradient propagation, docs/theory/conditions.md).

Every routine is dtype generic and uses no conjugation, so the *complex-step* derivative
:math:`\\dot J = \\operatorname{Im} J(\\theta + i\\varepsilon v)/\\varepsilon` is exact to rounding;
:meth:`Network.jacobian_derivative` uses it to give the kernel velocity
:math:`\\dot M = \\dot J J^T + J \\dot J^T` along the gradient-flow direction
:math:`\\dot\\theta = -J^T e` (GRSD-T2 needs :math:`\\dot M`).

>>> import numpy as np
>>> net = ResMLP(input_dim=3, width=4, depth=2, output_dim=1, seed=0)
>>> X = np.ones((5, 3))
>>> net.jacobian(net.init_params(), X).shape == (5, net.n_params)
True
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import ArrayLike

from grsd_sym.errors import InputError, NonFiniteError, ShapeError
from grsd_sym.probe._checks import check_int

__all__ = [
    "ACTIVATIONS",
    "INITIALISATIONS",
    "ParamLayout",
    "Network",
    "MLP",
    "ResMLP",
    "make_network",
]


# ----------------------------------------------------------------------------- activations
def _tanh(z):
    return np.tanh(z)


def _tanh_prime(z, a):
    # a = tanh(z), cached by the forward pass (tanh is the costly part)
    return 1.0 - a * a


def _relu(z):
    # real-part test keeps the complex step exact (piecewise linear)
    return np.where(np.real(z) > 0, z, 0.0)


def _relu_prime(z, a):
    return (np.real(z) > 0).astype(float)


#: name -> (phi, phi') with phi'(z, phi(z)) taking the cached activation
ACTIVATIONS: dict[str, tuple[Callable, Callable]] = {
    "tanh": (_tanh, _tanh_prime),
    "relu": (_relu, _relu_prime),
}

#: name -> variance of a weight entry as a function of (fan_in, fan_out)
INITIALISATIONS: dict[str, Callable[[int, int], float]] = {
    "he": lambda fi, fo: 2.0 / fi,
    "lecun": lambda fi, fo: 1.0 / fi,
    "xavier": lambda fi, fo: 2.0 / (fi + fo),
}


# ----------------------------------------------------------------------------- layout
@dataclass(frozen=True)
class ParamLayout:
    """Where each named weight lives in the flat parameter vector.

    Attributes
    ----------
    entries : tuple
        ``(name, shape, offset)`` per weight; weights are stored row-major.

    Examples
    --------
    >>> L = ParamLayout.build([("W", (2, 3)), ("b", (2,))])
    >>> L.size, L.slices()["b"], L.unflatten(np.arange(8.0))["W"].shape
    (8, slice(6, 8, None), (2, 3))
    """

    entries: tuple[tuple[str, tuple[int, ...], int], ...]

    @classmethod
    def build(cls, shapes: list[tuple[str, tuple[int, ...]]]) -> ParamLayout:
        """The layout of ``[(name, shape), ...]`` stored one after the other."""
        out, off = [], 0
        for name, shape in shapes:
            out.append((name, tuple(shape), off))
            off += int(np.prod(shape))
        return cls(tuple(out))

    @property
    def size(self) -> int:
        """Total number of parameters."""
        if not self.entries:
            return 0
        _name, shape, off = self.entries[-1]
        return off + int(np.prod(shape))

    def unflatten(self, theta: np.ndarray) -> dict[str, np.ndarray]:
        """Views of ``theta`` (leading axes of ``theta`` are kept: ``(..., P)``)."""
        lead = theta.shape[:-1]
        return {
            name: theta[..., off : off + int(np.prod(shape))].reshape(lead + shape) for name, shape, off in self.entries
        }

    def slices(self) -> dict[str, slice]:
        """Name -> slice of the flat vector."""
        return {name: slice(off, off + int(np.prod(shape))) for name, shape, off in self.entries}


# ----------------------------------------------------------------------------- base class
class Network:
    """Common machinery: validation, Jacobians, gradients, complex-step derivative.

    Sub-classes define ``_shapes()``, ``_forward(p, X) -> (F, cache)`` and
    ``_backward(p, cache, G) -> (grads, hidden_cotangents)`` where ``grads`` maps a weight
    name to a pair ``(G_out, H_in)`` (per-sample cotangent at a linear layer's output and its
    input; bias grads are ``G_out``) and ``hidden_cotangents`` is the list of
    :math:`\\partial/\\partial h_l` for ``l = 0..L``.

    Parameters
    ----------
    input_dim, width, depth, output_dim : int
    activation : {"tanh", "relu"}
    init : {"lecun", "he", "xavier"}
        Weight variance rule.
    seed : int
        Default seed of :meth:`init_params`.

    Examples
    --------
    >>> net = make_network("mlp", 3, 4, 1)
    >>> X = np.ones((2, 3)); th = net.init_params()
    >>> net.n_params, net.forward(th, X).shape, net.jacobian(th, X).shape
    (21, (2, 1), (2, 21))
    """

    arch = "base"

    def __init__(
        self,
        input_dim: int,
        width: int,
        depth: int,
        output_dim: int = 1,
        activation: str = "tanh",
        init: str = "lecun",
        seed: int = 0,
    ):
        self.input_dim = check_int("input_dim", input_dim)
        self.width = check_int("width", width)
        self.depth = check_int("depth", depth)
        self.output_dim = check_int("output_dim", output_dim)
        if activation not in ACTIVATIONS:
            raise InputError(f"activation must be one of {sorted(ACTIVATIONS)}, got {activation!r}")
        if init not in INITIALISATIONS:
            raise InputError(f"init must be one of {sorted(INITIALISATIONS)}, got {init!r}")
        self.activation = activation
        self.init = init
        self.seed = int(seed)
        self.phi, self.dphi = ACTIVATIONS[activation]
        self.layout = ParamLayout.build(self._shapes())

    # -- to be provided by sub-classes
    def _shapes(self) -> list[tuple[str, tuple[int, ...]]]:  # pragma: no cover
        raise NotImplementedError

    def _forward(self, p, X):  # pragma: no cover
        raise NotImplementedError

    def _backward(self, p, cache, G):  # pragma: no cover
        raise NotImplementedError

    # -- public API
    @property
    def n_params(self) -> int:
        """Number of parameters."""
        return self.layout.size

    def describe(self) -> dict:
        """Architecture and sizes as a JSON-ready dict."""
        return {
            "arch": self.arch,
            "input_dim": self.input_dim,
            "width": self.width,
            "depth": self.depth,
            "output_dim": self.output_dim,
            "activation": self.activation,
            "init": self.init,
            "n_params": self.n_params,
        }

    def init_params(self, seed: int | None = None) -> np.ndarray:
        """Gaussian weights with variance ``INITIALISATIONS[init](fan_in, fan_out)``, zero biases."""
        rng = np.random.default_rng(self.seed if seed is None else seed)
        theta = np.zeros(self.n_params)
        for name, shape, off in self.layout.entries:
            if name.startswith("W"):
                fo, fi = shape
                var = INITIALISATIONS[self.init](fi, fo)
                theta[off : off + fo * fi] = rng.normal(0.0, np.sqrt(var), size=fo * fi)
        return theta

    def _check(self, theta: ArrayLike, X: ArrayLike) -> tuple[np.ndarray, np.ndarray]:
        theta_a = np.asarray(theta)
        X_a = np.asarray(X)
        if theta_a.shape != (self.n_params,):
            raise ShapeError(f"theta must have shape ({self.n_params},), got {theta_a.shape}")
        if X_a.ndim != 2 or X_a.shape[1] != self.input_dim:
            raise ShapeError(f"X must have shape (N, {self.input_dim}), got {X_a.shape}")
        if not np.all(np.isfinite(theta_a)) or not np.all(np.isfinite(X_a)):
            raise NonFiniteError("theta and X must be finite")
        return theta_a, X_a

    def forward(self, theta: ArrayLike, X: ArrayLike) -> np.ndarray:
        """Outputs ``f`` of shape ``(N, output_dim)``."""
        theta, X = self._check(theta, X)
        return self._forward(self.layout.unflatten(theta), X)[0]

    def _sum_grads(self, grads, dtype) -> np.ndarray:
        g = np.zeros(self.n_params, dtype=dtype)
        sl = self.layout.slices()
        for name, (Gout, Hin) in grads.items():
            g[sl[name]] = (Gout.T @ Hin).ravel()
            g[sl["b" + name[1:]]] = Gout.sum(axis=0)
        return g

    def loss_and_grad(self, theta: ArrayLike, X: ArrayLike, y: np.ndarray) -> tuple[float, np.ndarray, np.ndarray]:
        """MSE loss :math:`L = \\tfrac12\\|f - y\\|^2` and :math:`\\nabla L = J^T e` (one backward)."""
        theta, X = self._check(theta, X)
        p = self.layout.unflatten(theta)
        F, cache = self._forward(p, X)
        if np.shape(y) != F.shape:
            raise ShapeError(f"y must have shape {F.shape}, got {np.shape(y)}")
        E = F - y
        grads, _ = self._backward(p, cache, E)
        return 0.5 * float(np.sum(E * E)), self._sum_grads(grads, E.dtype), E

    def _jacobian_raw(self, theta, X, want_hidden: bool):
        p = self.layout.unflatten(theta)
        F, cache = self._forward(p, X)
        N, k_out = F.shape
        J = np.zeros((N, k_out, self.n_params), dtype=F.dtype)
        sl = self.layout.slices()
        hidden_sq = None
        for k in range(k_out):
            G = np.zeros_like(F)
            G[:, k] = 1.0
            grads, hid = self._backward(p, cache, G)
            for name, (Gout, Hin) in grads.items():
                J[:, k, sl[name]] = (Gout[:, :, None] * Hin[:, None, :]).reshape(N, -1)
                J[:, k, sl["b" + name[1:]]] = Gout
            if want_hidden:
                sq = np.array([float(np.sum(np.abs(h) ** 2)) for h in hid])
                hidden_sq = sq if hidden_sq is None else hidden_sq + sq
        return F, J.reshape(N * k_out, self.n_params), hidden_sq

    def jacobian(self, theta: ArrayLike, X: ArrayLike) -> np.ndarray:
        """Exact per-sample Jacobian :math:`J_{(i,k),p} = \\partial f_k(x_i)/\\partial\\theta_p`.

        Rows are ordered sample-major (row ``i*output_dim + k``), matching ``e.ravel()``.
        """
        theta, X = self._check(theta, X)
        return self._jacobian_raw(theta, X, False)[1]

    def hidden_gradient_norms(self, theta: ArrayLike, X: ArrayLike) -> np.ndarray:
        """:math:`g_l = \\|\\partial f/\\partial h_l\\|_F` for ``l = 0..L`` (all samples and outputs).

        ``h_0`` is the input of the first hidden layer (MLP) or the embedded input (ResMLP);
        the norms are root-mean-square over the ``n`` outputs.  Diagnostic 1 of docs/theory/conditions.md.
        """
        theta, X = self._check(theta, X)
        F, _, sq = self._jacobian_raw(theta, X, True)
        return np.sqrt(sq / F.size)

    def jacobian_derivative(self, theta: ArrayLike, X: ArrayLike, v: ArrayLike, eps: float = 1e-20) -> np.ndarray:
        """Directional derivative :math:`\\dot J = (\\partial J/\\partial\\theta)\\,v` by complex step.

        .. math:: \\dot J = \\operatorname{Im} J(\\theta + i\\varepsilon v)/\\varepsilon + O(\\varepsilon^2)

        exact to rounding for ``eps = 1e-20`` (no subtractive cancellation).
        """
        theta, X = self._check(theta, X)
        v = np.asarray(v, dtype=float)
        if v.shape != theta.shape:
            raise ShapeError(f"direction v must have shape {theta.shape}, got {v.shape}")
        if not np.all(np.isfinite(v)):
            raise NonFiniteError("direction v must be finite")
        _, Jc, _ = self._jacobian_raw(theta + 1j * eps * v, X.astype(complex), False)
        return Jc.imag / eps

    def kernel_and_velocity(
        self, theta: ArrayLike, X: ArrayLike, y: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """``(J, M, Mdot, e)`` at ``theta``: :math:`M = JJ^T` and, along gradient flow
        :math:`\\dot\\theta = -J^T e`, :math:`\\dot M = \\dot J J^T + J\\dot J^T` (exact, complex step)."""
        theta, X = self._check(theta, X)
        F, J, _ = self._jacobian_raw(theta, X, False)
        if np.shape(y) != F.shape:
            raise ShapeError(f"y must have shape {F.shape}, got {np.shape(y)}")
        e = (F - y).ravel()
        v = -(J.T @ e)
        Jd = self.jacobian_derivative(theta, X, v)
        M = J @ J.T
        A = Jd @ J.T
        return J, M, A + A.T, e


# ----------------------------------------------------------------------------- plain MLP
class MLP(Network):
    """Plain multilayer perceptron (no skip connections), ``depth`` hidden layers of ``width``.

    Parameters as :class:`Network`.

    Examples
    --------
    >>> MLP(3, 4, 1).n_params       # 4 x 3 + 4 + 1 x 4 + 1
    21
    """

    arch = "mlp"

    def _shapes(self):
        s, fan = [], self.input_dim
        for l in range(1, self.depth + 1):
            s += [(f"W{l}", (self.width, fan)), (f"b{l}", (self.width,))]
            fan = self.width
        s += [("Wo", (self.output_dim, self.width)), ("bo", (self.output_dim,))]
        return s

    def _forward(self, p, X):
        H, Zs = [X], []
        for l in range(1, self.depth + 1):
            Z = H[-1] @ p[f"W{l}"].T + p[f"b{l}"]
            Zs.append(Z)
            H.append(self.phi(Z))
        F = H[-1] @ p["Wo"].T + p["bo"]
        return F, (H, Zs)

    def _backward(self, p, cache, G):
        H, Zs = cache
        grads = {"Wo": (G, H[-1])}
        gH = G @ p["Wo"]
        hidden = []
        for l in range(self.depth, 0, -1):
            hidden.append(gH)  # d/dh_l
            gZ = gH * self.dphi(Zs[l - 1], H[l])
            grads[f"W{l}"] = (gZ, H[l - 1])
            gH = gZ @ p[f"W{l}"]
        hidden.append(gH)  # d/dh_0 = d/dx
        return grads, hidden[::-1]


# ----------------------------------------------------------------------------- residual MLP
class ResMLP(Network):
    """Pre-activation residual MLP: ``depth`` blocks ``h + alpha * W2 phi(W1 phi(h))`` of ``width``.

    ``branch_scale`` is ``alpha``; ``None`` means :math:`1/\\sqrt{L}` (keeps the residual
    stream's variance bounded with depth without normalisation layers).

    Parameters
    ----------
    *args, **kwargs
        As :class:`Network`.
    branch_scale : float, optional

    Examples
    --------
    >>> net = ResMLP(3, 4, 2)
    >>> net.n_params, round(net.branch_scale, 6)
    (101, 0.707107)
    """

    arch = "resnet"

    def __init__(self, *args: Any, branch_scale: float | None = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        if branch_scale is None:
            branch_scale = 1.0 / np.sqrt(self.depth)
        branch_scale = float(branch_scale)
        if not np.isfinite(branch_scale) or branch_scale <= 0:
            raise InputError(f"branch_scale must be a finite positive number, got {branch_scale}")
        self.branch_scale = branch_scale

    def describe(self) -> dict:
        """As :meth:`Network.describe`, with ``branch_scale``."""
        d = super().describe()
        d["branch_scale"] = self.branch_scale
        return d

    def _shapes(self):
        w = self.width
        s = [("Win", (w, self.input_dim)), ("bin", (w,))]
        for l in range(1, self.depth + 1):
            s += [(f"W{l}a", (w, w)), (f"b{l}a", (w,)), (f"W{l}b", (w, w)), (f"b{l}b", (w,))]
        s += [("Wo", (self.output_dim, w)), ("bo", (self.output_dim,))]
        return s

    def _forward(self, p, X):
        a = self.branch_scale
        H = [X @ p["Win"].T + p["bin"]]
        blocks = []
        for l in range(1, self.depth + 1):
            Hprev = H[-1]
            U = self.phi(Hprev)
            Z = U @ p[f"W{l}a"].T + p[f"b{l}a"]
            V = self.phi(Z)
            R = V @ p[f"W{l}b"].T + p[f"b{l}b"]
            H.append(Hprev + a * R)
            blocks.append((U, Z, V))
        F = H[-1] @ p["Wo"].T + p["bo"]
        return F, (X, H, blocks)

    def _backward(self, p, cache, G):
        X, H, blocks = cache
        a = self.branch_scale
        grads = {"Wo": (G, H[-1])}
        gH = G @ p["Wo"]
        hidden = [gH]
        for l in range(self.depth, 0, -1):
            U, Z, V = blocks[l - 1]
            gR = a * gH
            grads[f"W{l}b"] = (gR, V)
            gZ = (gR @ p[f"W{l}b"]) * self.dphi(Z, V)
            grads[f"W{l}a"] = (gZ, U)
            gU = gZ @ p[f"W{l}a"]
            gH = gH + gU * self.dphi(H[l - 1], U)
            hidden.append(gH)
        grads["Win"] = (gH, X)
        return grads, hidden[::-1]


def make_network(
    arch: str,
    input_dim: int,
    width: int,
    depth: int,
    output_dim: int = 1,
    activation: str = "tanh",
    init: str | None = None,
    seed: int = 0,
    branch_scale: float | None = None,
) -> Network:
    """Factory: ``arch`` in ``{"mlp", "resnet"}``; default init is LeCun for tanh, He for ReLU.

    Parameters
    ----------
    arch : {"mlp", "resnet"}
    input_dim, width, depth, output_dim : int
    activation : {"tanh", "relu"}
    init : {"lecun", "he", "xavier"}, optional
    seed : int
    branch_scale : float, optional
        ``resnet`` only.

    Returns
    -------
    Network

    Raises
    ------
    InputError
        Unknown architecture, bad sizes, or ``branch_scale`` for an ``mlp``.

    Examples
    --------
    >>> make_network("resnet", 3, 4, 2).describe()["arch"]
    'resnet'
    """
    if init is None:
        init = "he" if activation == "relu" else "lecun"
    if arch == "mlp":
        if branch_scale is not None:
            raise InputError("branch_scale applies to arch='resnet' only")
        return MLP(input_dim, width, depth, output_dim, activation, init, seed)
    if arch == "resnet":
        return ResMLP(input_dim, width, depth, output_dim, activation, init, seed, branch_scale=branch_scale)
    raise InputError(f"arch must be 'mlp' or 'resnet', got {arch!r}")
