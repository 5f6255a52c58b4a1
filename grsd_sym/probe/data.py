"""Data sets of the probe: ``teacher`` | ``digits`` | ``npz:PATH`` (GRSD-T1 regression setting).

The probe trains on the squared loss :math:`L = \\tfrac12\\|f - y\\|^2`, so every data set is a
regression task :class:`~grsd_sym.probe.tasks.Task` with inputs flattened to ``(N, d)``; an
image shape ``(C, H, W)`` is kept in ``task.info["image_shape"]`` for the convolutional nets.

* ``teacher`` -- the power-law teacher of :func:`~grsd_sym.probe.tasks.power_law_teacher`
  (no image shape; a CNN sees a ``1 x 1 x d`` "image");
* ``digits`` -- scikit-learn's bundled 8x8 handwritten digits (extra ``digits``; no download):
  pixels scaled to unit variance per image set, target the digit label centred and scaled to
  unit variance (one output), or its centred one-hot code (``target="onehot"``, 10 outputs);
  the first ``n_samples`` of a seeded permutation;
* ``npz:PATH`` -- the user's arrays ``X`` (``(N, d)`` or images ``(N, C, H, W)`` / ``(N, H, W)``)
  and ``y`` (``(N,)`` or ``(N, k)``).

>>> task = load_data("teacher", n_samples=8, input_dim=4, seed=0)
>>> task.X.shape, task.info["name"]
((8, 4), 'power_law_teacher')
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from grsd_sym.errors import InputError, ShapeError
from grsd_sym.probe.tasks import Task, power_law_teacher, task_from_arrays

__all__ = ["DATA_KINDS", "image_shape", "load_data", "missing_extra", "parse_data_spec"]

#: the data-set kinds understood by ``--data``
DATA_KINDS = ("teacher", "digits", "npz:PATH")


def missing_extra(module: str, extra: str, purpose: str) -> InputError:
    """The error raised when an optional dependency is absent: says which extra installs it.

    Parameters
    ----------
    module, extra, purpose : str
        The missing package, the extra that installs it, and what needs it.

    Returns
    -------
    InputError

    Examples
    --------
    >>> "grsd_sym[torch]" in str(missing_extra("torch", "torch", "the PyTorch adapter"))
    True
    """
    return InputError(
        f"{purpose} needs the optional package {module!r}; install it with pip install 'grsd_sym[{extra}]'"
    )


def parse_data_spec(spec: str) -> tuple[str, str | None]:
    """Split ``teacher`` / ``digits`` / ``npz:PATH`` into ``(kind, path)``.

    Parameters
    ----------
    spec : str
        The ``--data`` value.

    Returns
    -------
    tuple of (str, str or None)
        The kind and, for ``npz``, the path.

    Raises
    ------
    InputError
        Unknown kind or ``npz:`` without a path.

    Examples
    --------
    >>> parse_data_spec("npz:runs/x.npz")
    ('npz', 'runs/x.npz')
    """
    if not isinstance(spec, str) or not spec.strip():
        raise InputError(f"--data must be one of {', '.join(DATA_KINDS)}, got {spec!r}")
    spec = spec.strip()
    if spec in ("teacher", "digits"):
        return spec, None
    if spec.startswith("npz:"):
        path = spec[4:]
        if not path:
            raise InputError("--data npz:PATH needs a path after 'npz:'")
        return "npz", path
    raise InputError(f"--data must be one of {', '.join(DATA_KINDS)}, got {spec!r}")


def image_shape(task: Task) -> tuple[int, int, int]:
    """``(C, H, W)`` of the task's inputs: the stored image shape, else ``(1, 1, d)``.

    Parameters
    ----------
    task : Task
        A task; ``task.info["image_shape"]`` is used when present.

    Returns
    -------
    tuple of int

    Raises
    ------
    ShapeError
        The stored shape does not hold ``input_dim`` values.

    Examples
    --------
    >>> image_shape(load_data("teacher", n_samples=4, input_dim=3))
    (1, 1, 3)
    """
    shp = task.info.get("image_shape")
    if shp is None:
        return (1, 1, task.input_dim)
    shp = tuple(int(s) for s in shp)
    if len(shp) != 3 or int(np.prod(shp)) != task.input_dim:
        raise ShapeError(f"image_shape {shp} does not match input_dim {task.input_dim}")
    return shp[0], shp[1], shp[2]


def _digits(n_samples: int, seed: int, target: str) -> Task:
    try:
        from sklearn.datasets import load_digits
    except ImportError:
        raise missing_extra("scikit-learn", "digits", "--data digits") from None
    X, labels = load_digits(return_X_y=True)
    if n_samples > X.shape[0]:
        raise InputError(f"digits has {X.shape[0]} images; asked for n_samples = {n_samples}")
    idx = np.random.default_rng(seed).permutation(X.shape[0])[:n_samples]
    X = X[idx].astype(float)
    X = (X - X.mean()) / X.std()
    lab = labels[idx].astype(float)
    if target == "label":
        y = ((lab - lab.mean()) / lab.std())[:, None]
    elif target == "onehot":
        y = np.eye(10)[labels[idx]]
        y = y - y.mean(axis=0)
    else:
        raise InputError(f"digits target must be 'label' or 'onehot', got {target!r}")
    task = task_from_arrays(X, y, name="digits")
    info = dict(task.info, image_shape=(1, 8, 8), target=target, seed=int(seed))
    return Task(task.X, task.y, info)


def _npz(path: str, n_samples: int | None) -> Task:
    p = Path(path)
    if not p.is_file():
        raise InputError(f"data file {path!r} does not exist")
    try:
        with np.load(p, allow_pickle=False) as data:
            missing = [k for k in ("X", "y") if k not in data.files]
            if missing:
                raise InputError(f"data file {path!r} lacks key(s) {missing}; it has {data.files}")
            X, y = np.asarray(data["X"], dtype=float), np.asarray(data["y"], dtype=float)
    except (OSError, ValueError) as exc:
        if isinstance(exc, InputError):
            raise
        raise InputError(f"cannot read {path!r} as .npz: {exc}") from exc
    shp = None
    if X.ndim == 3:
        X = X[:, None]
    if X.ndim == 4:
        shp = tuple(int(s) for s in X.shape[1:])
        X = X.reshape(X.shape[0], -1)
    if n_samples is not None:
        if n_samples > X.shape[0]:
            raise InputError(f"{path!r} has {X.shape[0]} samples; asked for n_samples = {n_samples}")
        X, y = X[:n_samples], y[:n_samples]
    task = task_from_arrays(X, y, name=p.name)
    info = dict(task.info, path=str(p))
    if shp is not None:
        info["image_shape"] = shp
    return Task(task.X, task.y, info)


def load_data(
    spec: str,
    n_samples: int = 128,
    input_dim: int = 32,
    seed: int = 0,
    alpha: float = 1.5,
    teacher: str = "tanh",
    target: str = "label",
) -> Task:
    """Build the task named by ``spec`` (``teacher``, ``digits`` or ``npz:PATH``).

    Parameters
    ----------
    spec : str
        Data set, see the module docstring.
    n_samples : int
        Samples used (``npz``: the first ``n_samples``; all of them when ``None``).
    input_dim, alpha, teacher : int, float, str
        Teacher task only.
    seed : int
        Teacher draw / digits subset.
    target : str
        ``digits`` only: ``"label"`` (one output) or ``"onehot"`` (10 outputs).

    Returns
    -------
    Task
        ``info`` names the data set and its settings.

    Raises
    ------
    InputError
        Unknown spec, missing file or extra, too many samples asked.

    Examples
    --------
    >>> load_data("teacher", n_samples=4, input_dim=3).y.shape
    (4, 1)

    References
    ----------
    GRSD-T1 (squared-loss regression, :math:`\\dot e = -M e`).
    """
    kind, path = parse_data_spec(spec)
    if n_samples is not None and (isinstance(n_samples, bool) or int(n_samples) < 2):
        raise InputError(f"n_samples must be an integer >= 2, got {n_samples!r}")
    if kind == "teacher":
        return power_law_teacher(
            n_samples=int(n_samples), input_dim=int(input_dim), alpha=alpha, teacher=teacher, seed=int(seed)
        )
    if kind == "digits":
        return _digits(int(n_samples), int(seed), target)
    assert path is not None  # parse_data_spec gives npz a path
    return _npz(path, None if n_samples is None else int(n_samples))
