"""The probe's architectures for every framework: parameter layouts and initial weights.

Four architectures (``--arch``), each a flat parameter vector laid out as in
:class:`~grsd_sym.probe.networks.ParamLayout` (weights row-major, PyTorch's ``(out, in[, kh, kw])``
order), so that the numpy, torch and jax versions of one network share the same ``theta`` and
the same Jacobian columns:

* ``mlp``, ``resnet`` -- exactly :class:`~grsd_sym.probe.networks.MLP` and
  :class:`~grsd_sym.probe.networks.ResMLP` (the initial weights *are* the numpy network's);
* ``cnn`` -- plain convolutional net on ``(C, H, W)`` inputs:
  :math:`h_0 = x,\\ h_l = \\phi(\\mathrm{conv}_l h_{l-1})` (3x3, padding 1, ``width`` channels),
  :math:`f = W_o\\,\\mathrm{vec}(h_L) + b_o`;
* ``rescnn`` -- residual convolutional net: :math:`h_0 = \\mathrm{conv}_{in} x`,
  :math:`h_l = h_{l-1} + \\alpha\\,\\mathrm{conv}_{l,b}\\,\\phi(\\mathrm{conv}_{l,a}\\,\\phi(h_{l-1}))`,
  :math:`\\alpha = 1/\\sqrt{L}` by default, :math:`f = W_o\\,\\mathrm{vec}(h_L) + b_o`.

The hidden states :math:`h_0..h_L` are where diagnostic 1 measures
:math:`\\|\\partial f/\\partial h_l\\|` (docs/theory/conditions.md, same definition as the numpy nets).
Convolution weights are drawn with variance ``gain / fan_in`` (``fan_in = C_in x 9``; LeCun for
tanh, He for ReLU), biases zero.

>>> spec = ArchSpec("rescnn", (1, 8, 8), width=4, depth=2, output_dim=1)
>>> spec.n_params, spec.init_theta(seed=0).shape
(889, (889,))
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from grsd_sym.errors import InputError
from grsd_sym.probe._checks import check_int
from grsd_sym.probe.networks import ACTIVATIONS, Network, ParamLayout, make_network

__all__ = ["ARCHS", "ArchSpec"]

#: architectures of ``--arch``
ARCHS = ("mlp", "resnet", "cnn", "rescnn")


@dataclass(frozen=True)
class ArchSpec:
    """One architecture with its sizes; ``input_shape`` is ``(d,)`` or ``(C, H, W)``.

    Attributes
    ----------
    arch : {"mlp", "resnet", "cnn", "rescnn"}
    input_shape : tuple of int
        ``(d,)`` (dense) or ``(C, H, W)`` (convolutional; a ``(d,)`` becomes ``(1, 1, d)``).
    width, depth, output_dim : int
    activation : {"tanh", "relu"}
    branch_scale : float or None
        Residual branch scale (default ``1/sqrt(depth)``).

    Examples
    --------
    >>> spec = ArchSpec("rescnn", (1, 4, 4), width=2, depth=1)
    >>> spec.n_params, spec.residual, spec.conv, spec.input_dim
    (129, True, True, 16)
    """

    arch: str
    input_shape: tuple
    width: int
    depth: int
    output_dim: int = 1
    activation: str = "tanh"
    branch_scale: float | None = None

    def __post_init__(self):
        if self.arch not in ARCHS:
            raise InputError(f"arch must be one of {', '.join(ARCHS)}, got {self.arch!r}")
        if self.activation not in ACTIVATIONS:
            raise InputError(f"activation must be one of {sorted(ACTIVATIONS)}, got {self.activation!r}")
        for name in ("width", "depth", "output_dim"):
            check_int(name, getattr(self, name))
        shp = tuple(int(s) for s in self.input_shape)
        if self.conv and len(shp) == 1:
            shp = (1, 1, shp[0])
        if not self.conv:
            shp = (int(np.prod(shp)),)
        if len(shp) not in (1, 3) or min(shp) < 1:
            raise InputError(f"input_shape must be (d,) or (C, H, W), got {self.input_shape!r}")
        object.__setattr__(self, "input_shape", shp)
        if self.branch_scale is not None and self.arch not in ("resnet", "rescnn"):
            raise InputError(f"branch_scale applies to residual nets only, not {self.arch!r}")

    @property
    def conv(self) -> bool:
        """Convolutional (``cnn``, ``rescnn``)."""
        return self.arch in ("cnn", "rescnn")

    @property
    def residual(self) -> bool:
        """Residual (``resnet``, ``rescnn``)."""
        return self.arch in ("resnet", "rescnn")

    @property
    def input_dim(self) -> int:
        """Input values per sample."""
        return int(np.prod(self.input_shape))

    @property
    def alpha(self) -> float:
        """Residual branch scale (``1/sqrt(depth)`` unless given)."""
        return float(self.branch_scale) if self.branch_scale is not None else 1.0 / np.sqrt(self.depth)

    def numpy_network(self, seed: int = 0) -> Network:
        """The numpy :class:`~grsd_sym.probe.networks.Network` of ``mlp`` / ``resnet``."""
        if self.conv:
            raise InputError(f"the numpy framework has no {self.arch!r}; use --framework torch or jax")
        return make_network(
            self.arch,
            self.input_dim,
            self.width,
            self.depth,
            self.output_dim,
            activation=self.activation,
            seed=seed,
            branch_scale=self.branch_scale if self.residual else None,
        )

    def shapes(self) -> list[tuple[str, tuple[int, ...]]]:
        """``[(name, shape), ...]`` of the parameters in layout order."""
        if not self.conv:
            return [(name, shape) for name, shape, _ in self.numpy_network().layout.entries]
        C, H, W = self.input_shape
        w = self.width
        s: list[tuple[str, tuple[int, ...]]] = []
        if self.arch == "cnn":
            fan = C
            for l in range(1, self.depth + 1):
                s += [(f"W{l}", (w, fan, 3, 3)), (f"b{l}", (w,))]
                fan = w
        else:
            s += [("Win", (w, C, 3, 3)), ("bin", (w,))]
            for l in range(1, self.depth + 1):
                s += [(f"W{l}a", (w, w, 3, 3)), (f"b{l}a", (w,)), (f"W{l}b", (w, w, 3, 3)), (f"b{l}b", (w,))]
        s += [("Wo", (self.output_dim, w * H * W)), ("bo", (self.output_dim,))]
        return s

    @property
    def layout(self) -> ParamLayout:
        """Offsets of :meth:`shapes` in the flat parameter vector."""
        return ParamLayout.build(self.shapes())

    @property
    def n_params(self) -> int:
        """Number of parameters."""
        return self.layout.size

    def init_theta(self, seed: int = 0) -> np.ndarray:
        """Initial flat parameters (the numpy network's for ``mlp``/``resnet``)."""
        if not self.conv:
            return self.numpy_network(seed).init_params()
        rng = np.random.default_rng(seed)
        gain = 2.0 if self.activation == "relu" else 1.0
        theta = np.zeros(self.n_params)
        for name, shape, off in self.layout.entries:
            if name.startswith("W"):
                size = int(np.prod(shape))
                fan_in = size // shape[0]
                theta[off : off + size] = rng.normal(0.0, np.sqrt(gain / fan_in), size=size)
        return theta

    def describe(self) -> dict:
        """The spec as a JSON-ready dict (with ``n_params``)."""
        return {
            "arch": self.arch,
            "input_shape": list(self.input_shape),
            "width": self.width,
            "depth": self.depth,
            "output_dim": self.output_dim,
            "activation": self.activation,
            "branch_scale": self.alpha if self.residual else None,
            "n_params": self.n_params,
        }
