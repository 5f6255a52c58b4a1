"""Regression tasks for the probe: a power-law teacher (default) and user arrays.

The built-in task draws inputs with a power-law covariance spectrum (capacity condition,
docs/conventions.md, source/capacity convention)

.. math:: x = R\\,\\Lambda^{1/2} z,\\quad z \\sim \\mathcal N(0, I_d),\\quad
          \\Lambda = \\operatorname{diag}(k^{-\\alpha})_{k=1..d}

with a random rotation ``R``, and labels from a fixed random teacher (a linear map, or a
one-hidden-layer tanh network) so the target has power in every direction of the input.
Everything is generated from ``seed``: no download.

>>> task = power_law_teacher(n_samples=8, input_dim=4, seed=0)
>>> task.X.shape, task.y.shape
((8, 4), (8, 1))
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from numpy.typing import ArrayLike

from grsd_sym.errors import InputError, NonFiniteError, ShapeError
from grsd_sym.probe._checks import check_int

__all__ = ["Task", "power_law_teacher", "load_task_arrays", "task_from_arrays"]


@dataclass(frozen=True)
class Task:
    """Inputs ``X`` (N x d) and targets ``y`` (N x k) with a description.

    Attributes
    ----------
    X, y : numpy.ndarray
        Inputs ``(N, d)`` and targets ``(N, k)``.
    info : dict
        Name and generation settings.

    Examples
    --------
    >>> t = task_from_arrays(np.ones((3, 2)), [1.0, 2.0, 3.0])
    >>> t.n_samples, t.input_dim, t.output_dim
    (3, 2, 1)
    """

    X: np.ndarray
    y: np.ndarray
    info: dict = field(default_factory=dict)

    @property
    def n_samples(self) -> int:
        """``N``."""
        return self.X.shape[0]

    @property
    def input_dim(self) -> int:
        """``d``."""
        return self.X.shape[1]

    @property
    def output_dim(self) -> int:
        """``k``."""
        return self.y.shape[1]


def task_from_arrays(X: ArrayLike, y: ArrayLike, name: str = "user") -> Task:
    """Validate user data: ``X`` of shape (N, d), ``y`` of shape (N,) or (N, k), finite.

    Parameters
    ----------
    X, y : array_like
    name : str
        Stored in ``info``.

    Returns
    -------
    Task
        ``y`` as ``(N, k)``; ``info`` has the name and sizes.

    Raises
    ------
    ShapeError, NonFiniteError
        Bad shapes, NaN or infinity.

    Examples
    --------
    >>> task_from_arrays([[0.0], [1.0]], [0.0, 1.0]).y.shape
    (2, 1)
    """
    X = np.asarray(X, dtype=float)
    y = np.asarray(y, dtype=float)
    if X.ndim != 2 or X.shape[0] < 2 or X.shape[1] < 1:
        raise ShapeError(f"X must be a 2-d array (N >= 2 samples, d >= 1 features), got shape {X.shape}")
    if y.ndim == 1:
        y = y[:, None]
    if y.ndim != 2 or y.shape[0] != X.shape[0]:
        raise ShapeError(f"y must have shape (N,) or (N, k) with N = {X.shape[0]}, got {y.shape}")
    if not (np.all(np.isfinite(X)) and np.all(np.isfinite(y))):
        raise NonFiniteError("X and y must be finite (no NaN or infinity)")
    return Task(X, y, {"name": name, "n_samples": X.shape[0], "input_dim": X.shape[1], "output_dim": y.shape[1]})


def load_task_arrays(path: str | Path, x_key: str = "X", y_key: str = "y") -> Task:
    """Load a task from an ``.npz`` file with arrays ``X`` (N x d) and ``y`` (N or N x k).

    Parameters
    ----------
    path : str or pathlib.Path
    x_key, y_key : str
        Names of the arrays in the file.

    Returns
    -------
    Task
        ``info["name"]`` is the file name.

    Raises
    ------
    InputError
        Missing file or keys, unreadable file (then as :func:`task_from_arrays`).

    Examples
    --------
    >>> import os, tempfile
    >>> path = os.path.join(tempfile.mkdtemp(), "task.npz")
    >>> np.savez(path, X=np.ones((4, 2)), y=np.arange(4.0))
    >>> load_task_arrays(path).info["name"]
    'task.npz'
    """
    path = Path(path)
    if not path.is_file():
        raise InputError(f"task file {str(path)!r} does not exist")
    try:
        with np.load(path, allow_pickle=False) as data:
            missing = [k for k in (x_key, y_key) if k not in data.files]
            if missing:
                raise InputError(f"task file {str(path)!r} lacks key(s) {missing}; it has {data.files}")
            X, y = data[x_key], data[y_key]
    except (OSError, ValueError) as exc:
        if isinstance(exc, InputError):
            raise
        raise InputError(f"cannot read {str(path)!r} as .npz: {exc}") from exc
    return task_from_arrays(X, y, name=path.name)


def power_law_teacher(
    n_samples: int = 64,
    input_dim: int = 32,
    alpha: float = 1.5,
    output_dim: int = 1,
    teacher: str = "tanh",
    teacher_width: int = 64,
    noise: float = 0.0,
    seed: int = 0,
) -> Task:
    """Synthetic teacher task with input covariance eigenvalues :math:`k^{-\\alpha}`.

    ``teacher="linear"``: :math:`y = w^T x / \\sqrt{\\operatorname{tr}\\Lambda}` (unit-variance);
    ``teacher="tanh"``: :math:`y = a^T \\tanh(B x)/\\sqrt{m}` with ``B`` scaled so pre-activations
    have unit variance.  Targets are centred and scaled to unit variance per output, plus
    optional Gaussian label noise of standard deviation ``noise``.

    Parameters
    ----------
    n_samples, input_dim, output_dim : int
    alpha : float
        Exponent of the input spectrum.
    teacher : {"tanh", "linear"}
    teacher_width : int
        Hidden units of the tanh teacher.
    noise : float
        Label noise.
    seed : int

    Returns
    -------
    Task
        Standardised targets; ``info`` holds the settings.

    Raises
    ------
    InputError
        Bad sizes or settings.

    Examples
    --------
    >>> t = power_law_teacher(n_samples=50, input_dim=4)
    >>> t.X.shape, round(float(t.y.std()), 6)
    ((50, 4), 1.0)
    """
    check_int("n_samples", n_samples, 2)
    for name, val in (("input_dim", input_dim), ("output_dim", output_dim), ("teacher_width", teacher_width)):
        check_int(name, val)
    if not np.isfinite(alpha) or alpha < 0:
        raise InputError(f"alpha (power-law exponent of the input spectrum) must be >= 0, got {alpha}")
    if not np.isfinite(noise) or noise < 0:
        raise InputError(f"noise must be >= 0, got {noise}")
    if teacher not in ("linear", "tanh"):
        raise InputError(f"teacher must be 'linear' or 'tanh', got {teacher!r}")
    rng = np.random.default_rng(seed)
    lam = np.arange(1, input_dim + 1, dtype=float) ** (-float(alpha))
    Q, _ = np.linalg.qr(rng.normal(size=(input_dim, input_dim)))
    Z = rng.normal(size=(n_samples, input_dim))
    X = (Z * np.sqrt(lam)) @ Q.T
    # scale so that E||x||^2 = d (unit average variance per coordinate)
    X *= np.sqrt(input_dim / lam.sum())
    if teacher == "linear":
        W = rng.normal(size=(input_dim, output_dim))
        y = X @ W / np.sqrt(input_dim)
    else:
        B = rng.normal(size=(teacher_width, input_dim)) / np.sqrt(input_dim)
        A = rng.normal(size=(teacher_width, output_dim))
        y = np.tanh(X @ B.T) @ A / np.sqrt(teacher_width)
    y = y - y.mean(axis=0)
    sd = y.std(axis=0)
    y = y / np.where(sd > 0, sd, 1.0)
    if noise > 0:
        y = y + noise * rng.normal(size=y.shape)
    info = {
        "name": "power_law_teacher",
        "n_samples": n_samples,
        "input_dim": input_dim,
        "alpha": float(alpha),
        "output_dim": output_dim,
        "teacher": teacher,
        "teacher_width": teacher_width,
        "noise": float(noise),
        "seed": int(seed),
    }
    return Task(X, y, info)
