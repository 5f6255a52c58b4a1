"""Optimizers of the probe: full-batch gradient flow / descent and minibatch SGD (+ momentum).

The theory is stated for gradient flow :math:`\\dot\\theta = -\\nabla L`,
:math:`L = \\tfrac12\\|f_\\theta - y\\|^2` (sum over samples), whence :math:`\\dot e = -M e`
(GRSD-T1).  The loop here is written once for any array type that supports ``+``, ``-`` and
scalar ``*`` (numpy, torch, jax), so the numpy, torch and jax probes share it:

* ``"gd"`` -- full-batch gradient descent with a fixed step ``lr`` (default
  ``lr_scale / lambda_max(M(0))``);
* ``"gf"`` -- gradient flow approximated by full-batch steps re-sized at every checkpoint to
  ``lr = gf_bound / lambda_max(M(t))``, so ``lr * lambda_max`` stays at ``gf_bound`` there;
* ``"sgd"`` -- minibatch SGD: batches of ``batch_size`` drawn without replacement (reshuffled
  every epoch, seeded), gradient rescaled by ``N / B`` so that it is an unbiased estimate of the
  full-batch gradient and time keeps the same meaning; heavy-ball ``momentum`` ``mu`` as an option.

Time is ``t = sum_s lr_s / (1 - mu)`` (learning rate absorbed in time, GRSD-T1; heavy ball with
momentum ``mu`` follows gradient flow on the time scale ``lr / (1 - mu)`` for small ``lr``).

At each checkpoint the recorder supplies the per-sample gradient moments, from which
:func:`gradient_noise_scale` gives the simple gradient-noise scale
:math:`B_{noise} = \\operatorname{tr}\\Sigma / \\|G\\|^2` (:math:`G` the mean per-sample gradient,
:math:`\\Sigma` their covariance): a minibatch of size ``B`` has noise-to-signal ratio
``B_noise / B``; the stochastic term is negligible against the drift when ``B >> B_noise``.
:func:`classify_regime` names the regime of a run from these numbers.

>>> spec = OptimizerSpec(kind="sgd", batch_size=4, momentum=0.5, steps=10, n_checkpoints=2)
>>> spec.validate(n_samples=16).describe()["effective_lr_factor"]
2.0
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, replace
from typing import Any

import numpy as np
from numpy.typing import ArrayLike

from grsd_sym.errors import InputError, NonFiniteError
from grsd_sym.probe.train import checkpoint_steps

__all__ = [
    "GF_BOUND",
    "OPTIMIZERS",
    "OptimizerSpec",
    "classify_regime",
    "follow_user_loop",
    "gradient_noise_scale",
    "optimize",
]

#: optimizer names
OPTIMIZERS = ("gd", "gf", "sgd")
#: largest ``lr * lambda_max`` at which full-batch descent is called gradient flow
GF_BOUND = 0.2


@dataclass(frozen=True)
class OptimizerSpec:
    """How a probe run is trained (see the module docstring).

    ``lr=None`` means ``lr_scale (1 - momentum) / lambda_max(M(0))`` (``gd``, ``sgd``; the
    heavy-ball step ``lr / (1 - momentum)`` is then ``lr_scale / lambda_max``) or
    ``gf_bound / lambda_max(M(t))`` per checkpoint interval (``gf``).

    Attributes
    ----------
    kind : {"gd", "gf", "sgd"}
    steps, n_checkpoints : int
        Training steps and log-spaced checkpoints (:func:`~grsd_sym.probe.train.checkpoint_steps`).
    lr, lr_scale, gf_bound : float
        Fixed step, or the scales of the default step above.
    batch_size : int or None
        SGD batch (filled with ``N`` for full batch by :meth:`validate`).
    momentum : float
        Heavy-ball ``mu`` in ``[0, 1)``.
    seed : int
        Batch shuffling.
    divergence_factor : float
        Loss growth that counts as divergence.

    Examples
    --------
    >>> OptimizerSpec(kind="gd").validate(n_samples=8).batch_size
    8
    """

    kind: str = "gd"
    steps: int = 1000
    n_checkpoints: int = 12
    lr: float | None = None
    lr_scale: float = 0.5
    gf_bound: float = 0.1
    batch_size: int | None = None
    momentum: float = 0.0
    seed: int = 0
    divergence_factor: float = 1e4

    def validate(self, n_samples: int) -> OptimizerSpec:
        """Check the fields against ``n_samples``; fills ``batch_size = n_samples`` for full batch."""
        if self.kind not in OPTIMIZERS:
            raise InputError(f"optimizer must be one of {', '.join(OPTIMIZERS)}, got {self.kind!r}")
        checkpoint_steps(self.steps, self.n_checkpoints)  # validates both
        for name in ("lr_scale", "gf_bound", "divergence_factor"):
            v = getattr(self, name)
            if not (isinstance(v, (int, float)) and np.isfinite(v) and v > 0):
                raise InputError(f"{name} must be a finite positive number, got {v!r}")
        if self.lr is not None and not (np.isfinite(self.lr) and self.lr > 0):
            raise InputError(f"lr must be a finite positive number, got {self.lr!r}")
        if not (np.isfinite(self.momentum) and 0 <= self.momentum < 1):
            raise InputError(f"momentum must be in [0, 1), got {self.momentum!r}")
        bs = self.batch_size
        if self.kind == "sgd":
            if bs is None or isinstance(bs, bool) or int(bs) < 1 or int(bs) > n_samples:
                raise InputError(f"sgd needs batch_size in [1, {n_samples}], got {bs!r}")
            return replace(self, batch_size=int(bs))
        if bs is not None and int(bs) != n_samples:
            raise InputError(
                f"optimizer {self.kind!r} is full-batch; batch_size must be omitted or "
                f"{n_samples}, got {bs!r} (use optimizer='sgd' for minibatches)"
            )
        if self.momentum and self.kind == "gf":
            raise InputError("momentum is not gradient flow; use optimizer='gd' or 'sgd' with momentum")
        return replace(self, batch_size=int(n_samples))

    def describe(self) -> dict:
        """The fields as a dict, with ``effective_lr_factor = 1 / (1 - momentum)``."""
        d = asdict(self)
        d["effective_lr_factor"] = 1.0 / (1.0 - self.momentum)
        return d


def gradient_noise_scale(sum_sq_norms: float, grad_sum: ArrayLike, n_samples: int) -> float | None:
    """Simple gradient-noise scale :math:`B_{noise} = \\operatorname{tr}\\Sigma/\\|G\\|^2`.

    Parameters
    ----------
    sum_sq_norms : float
        :math:`\\sum_i \\|g_i\\|^2` over per-sample gradients :math:`g_i = J_i^T e_i`.
    grad_sum : array_like
        :math:`\\sum_i g_i` (the full-batch gradient of the summed loss).
    n_samples : int
        ``N``.

    Returns
    -------
    float or None
        ``None`` when the mean gradient vanishes.

    Examples
    --------
    >>> g = np.array([[1.0, 0.0], [0.0, 1.0]])          # two per-sample gradients
    >>> round(gradient_noise_scale(float((g ** 2).sum()), g.sum(0), 2), 6)   # tr cov = 1, |G|^2 = 1/2
    2.0

    References
    ----------
    GRSD-T1 (drift of the mean flow); the noise scale is the input of a stochastic extension.
    """
    if n_samples < 2:
        raise InputError(f"the noise scale needs at least 2 samples, got {n_samples}")
    G = np.asarray(grad_sum, dtype=float) / n_samples
    g2 = float(G @ G)
    if not g2 > 0:
        return None
    tr = (float(sum_sq_norms) - n_samples * g2) / (n_samples - 1)
    return max(tr, 0.0) / g2


def classify_regime(
    spec: OptimizerSpec, lr_lambda_max: ArrayLike, noise_scale: Sequence[float | None] | None = None
) -> dict:
    """Name the regime of a run: gradient flow, gradient descent, edge of stability, or SGD.

    ``lr_lambda_max`` is ``lr * lambda_max(M(t))`` at the checkpoints.  Full batch: "gradient
    flow" when it stays at or below :data:`GF_BOUND`, "edge of stability" when it reaches 2,
    "gradient descent" otherwise.  SGD: "sgd" (``"sgd+momentum"``), with ``noise_ratio`` the
    median of ``B_noise / B`` ("sgd, drift-dominated" when it is below 0.1).

    Parameters
    ----------
    spec : OptimizerSpec
        The (validated) settings of the run.
    lr_lambda_max : array_like
        ``lr * lambda_max`` per checkpoint.
    noise_scale : sequence of float or None, optional
        Gradient-noise scale per checkpoint (SGD).

    Returns
    -------
    dict
        ``regime`` (the name), ``optimizer``, ``lr_lambda_max_max``, ``lr_lambda_max_median``,
        ``batch_size``, ``momentum`` (and ``noise_ratio`` for SGD).

    Raises
    ------
    InputError
        SGD without a batch size.

    Examples
    --------
    >>> classify_regime(OptimizerSpec(kind="gf"), [0.1, 0.1])["regime"]
    'gradient flow'
    """
    x = np.asarray(lr_lambda_max, dtype=float)
    out: dict[str, Any] = {
        "optimizer": spec.kind,
        "lr_lambda_max_max": float(np.max(x)),
        "lr_lambda_max_median": float(np.median(x)),
        "batch_size": spec.batch_size,
        "momentum": spec.momentum,
    }
    if spec.kind == "sgd":
        if spec.batch_size is None:
            raise InputError("sgd needs batch_size (validate the spec first)")
        ns = [v for v in (noise_scale or []) if v is not None and np.isfinite(v)]
        ratio = float(np.median(ns)) / spec.batch_size if ns else None
        out["noise_ratio"] = ratio
        name = "sgd+momentum" if spec.momentum else "sgd"
        if ratio is not None and ratio < 0.1:
            name += ", drift-dominated"
        out["regime"] = name
        return out
    top = out["lr_lambda_max_max"]
    if top <= GF_BOUND:
        out["regime"] = "gradient flow"
    elif top >= 2.0:
        out["regime"] = "edge of stability"
    else:
        out["regime"] = "gradient descent"
    if spec.momentum:
        out["regime"] += " (momentum)"
    return out


def follow_user_loop(
    theta: Any,
    advance: Callable,
    spec: OptimizerSpec,
    n_samples: int,  # not used: the call matches optimize's
    on_checkpoint: Callable[[int, float, Any, float], dict],
    progress: Callable[[int, int], None] | None = None,
) -> list[dict]:
    """Record checkpoints of the user's own training loop.

    ``advance(theta, n_steps) -> theta`` runs ``n_steps`` of the user's loop.  Time is
    ``lr x steps`` when ``spec.lr`` is given (then ``lr * lambda_max`` is recorded), else the step
    count (``lr`` taken as 1, stated in ``meta["optimizer"]["time_unit"]``).

    Parameters
    ----------
    theta : array
        Initial flat parameters.
    advance : callable
        ``advance(theta, n_steps) -> theta``.
    spec : OptimizerSpec
        ``steps``, ``n_checkpoints`` and ``lr`` are used.
    n_samples : int
        Not used (the call matches :func:`optimize`).
    on_checkpoint, progress : callable
        As in :func:`optimize`.

    Returns
    -------
    list of dict
        As :func:`optimize`.

    Raises
    ------
    NonFiniteError
        The loss became non-finite.

    Examples
    --------
    >>> rec = lambda s, t, th, lr: {"lambda_max": 1.0, "loss": float(th)}
    >>> spec = OptimizerSpec(steps=4, n_checkpoints=2, lr=0.5)
    >>> [r["t"] for r in follow_user_loop(1.0, lambda th, n: th / 2**n, spec, 2, rec)]
    [0.0, 0.5, 2.0]

    References
    ----------
    GRSD-T1 (time ``t = lr x steps``).
    """
    ckpt = checkpoint_steps(spec.steps, spec.n_checkpoints)
    lr = float(spec.lr) if spec.lr is not None else 1.0
    records = []
    prev = 0
    for s in ckpt:
        s = int(s)
        if s > prev:
            theta = advance(theta, s - prev)
            prev = s
        rec = on_checkpoint(s, lr * s, theta, lr)
        rec.update(step=s, t=lr * s, lr=lr, lr_lambda_max=lr * rec["lambda_max"])
        if not np.isfinite(rec["loss"]):
            raise NonFiniteError(f"the user's training loop diverged by step {s} (loss {rec['loss']})")
        records.append(rec)
        if progress is not None and s:
            progress(s, int(ckpt[-1]))
    return records


def optimize(
    theta: Any,
    grad_fn: Callable,
    spec: OptimizerSpec,
    n_samples: int,
    on_checkpoint: Callable[[int, float, Any, float], dict],
    progress: Callable[[int, int], None] | None = None,
) -> list[dict]:
    """Run the optimizer from ``theta`` and call ``on_checkpoint`` at the log-spaced steps.

    Parameters
    ----------
    theta : array
        Flat parameter vector (numpy, torch or jax array; it is not modified in place).
    grad_fn : callable
        ``grad_fn(theta, idx) -> gradient`` of :math:`\\tfrac12\\sum_{i\\in idx}\\|f_i - y_i\\|^2`;
        ``idx`` is ``None`` for the full batch, else an integer index array.
    spec : OptimizerSpec
    n_samples : int
    on_checkpoint : callable
        ``on_checkpoint(step, t, theta, lr) -> record``; the record must hold ``lambda_max``
        (of ``M`` at ``theta``) and ``loss``.  Its return values are collected.
    progress : callable, optional
        ``progress(step, steps)`` after each checkpoint.

    Returns
    -------
    list of dict
        The checkpoint records, each with ``step``, ``t``, ``lr`` and ``lr_lambda_max`` added.

    Raises
    ------
    NonFiniteError
        The loss became non-finite or grew by ``divergence_factor``.

    Examples
    --------
    >>> A = np.diag([1.0, 0.5])                       # f = A theta, y = 0: M = A A^T
    >>> rec = lambda s, t, th, lr: {"lambda_max": 1.0, "loss": 0.5 * float((A @ th) @ (A @ th))}
    >>> spec = OptimizerSpec(kind="gd", steps=8, n_checkpoints=2, lr=0.5)
    >>> recs = optimize(np.ones(2), lambda th, idx: A.T @ (A @ th), spec, 2, rec)
    >>> [r["step"] for r in recs], recs[-1]["loss"] < recs[0]["loss"]
    ([0, 1, 8], True)

    References
    ----------
    GRSD-T1 (time ``t = lr x steps``).
    """
    spec = spec.validate(n_samples)
    ckpt = checkpoint_steps(spec.steps, spec.n_checkpoints)
    rng = np.random.default_rng(spec.seed)
    mu = float(spec.momentum)
    scale_t = 1.0 / (1.0 - mu)
    records: list[dict] = []
    t = 0.0

    def check(rec, step):
        loss = rec["loss"]
        if not np.isfinite(loss) or loss > spec.divergence_factor * max(records[0]["loss"], 1e-300):
            raise NonFiniteError(
                f"training diverged at step {step} (loss {loss:.3g}, initial "
                f"{records[0]['loss']:.3g}); use a smaller lr (was {lr:.3g})"
            )

    def lr_from(lam):
        if spec.lr is not None:
            return float(spec.lr)
        if not lam > 0:
            raise InputError("M(0) = J J^T is zero: the network output does not depend on its parameters")
        # heavy ball moves by lr / (1 - mu) per step: the default keeps that at lr_scale / lambda
        return (spec.gf_bound if spec.kind == "gf" else spec.lr_scale) * (1.0 - mu) / lam

    rec = on_checkpoint(0, 0.0, theta, 0.0)
    lr = lr_from(rec["lambda_max"])
    rec.update(step=0, t=0.0, lr=lr, lr_lambda_max=lr * rec["lambda_max"])
    records.append(rec)
    buf = None
    perm = rng.permutation(n_samples)
    pos = 0
    B = spec.batch_size
    assert B is not None  # validate() fills it
    next_i = 1
    for s in range(1, int(ckpt[-1]) + 1):
        if spec.kind == "sgd":
            if pos + B > n_samples:
                perm, pos = rng.permutation(n_samples), 0
            idx = perm[pos : pos + B]
            pos += B
            g = grad_fn(theta, idx) * (n_samples / B)
        else:
            g = grad_fn(theta, None)
        buf = g if (buf is None or mu == 0.0) else buf * mu + g
        theta = theta - lr * buf
        t += lr * scale_t
        if s == ckpt[next_i]:
            rec = on_checkpoint(s, t, theta, lr)
            rec.update(step=s, t=t, lr=lr, lr_lambda_max=lr * rec["lambda_max"])
            records.append(rec)
            check(rec, s)
            if spec.kind == "gf" and spec.lr is None:
                lr = lr_from(rec["lambda_max"])
            next_i += 1
            if progress is not None:
                progress(s, int(ckpt[-1]))
    return records
