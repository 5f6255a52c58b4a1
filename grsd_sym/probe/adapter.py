"""Training trajectories as arrays: the common input of the diagnostics.

A :class:`Trajectory` holds checkpoints of gradient-flow training (GRSD section 1,
:math:`\\dot e = -M(t)\\,e`, :math:`M = JJ^T`):

================  ===============  ==========================================================
key (``.npz``)    shape            meaning
================  ===============  ==========================================================
``t``             ``(T,)``         checkpoint times (``lr x steps``), strictly increasing
``e``             ``(T, n)``       errors ``f - y`` (samples x outputs, flattened)
``J``             ``(T, n, P)``    output Jacobians ``df/dtheta`` (give ``J`` or ``M``)
``M``             ``(T, n, n)``    kernels ``J J^T`` (symmetric PSD)
``Mdot``          ``(T, n, n)``    optional exact ``dM/dt``; else estimated from ``M`` by
                                   finite differences on the checkpoint grid
``theta``         ``(T, P)``       optional parameters
``grad_norms``    ``(L+1,)``       optional ``||df/dh_l||`` at initialisation (condition 1)
================  ===============  ==========================================================

Users bring PyTorch or JAX runs by saving these arrays with ``numpy.savez``;
:func:`load_trajectory_npz` validates them (``ShapeError`` when shapes disagree with the
errors, ``TimeGridError`` for a grid that is not strictly increasing).

>>> import numpy as np
>>> J = np.ones((2, 3, 4)); e = np.ones((2, 3))
>>> trajectory_from_arrays(t=[0.0, 1.0], e=e, J=J).M.shape
(2, 3, 3)
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import ArrayLike

from grsd_sym import errors
from grsd_sym.errors import InputError, NonFiniteError, ShapeError, TimeGridError

__all__ = [
    "Trajectory",
    "trajectory_from_arrays",
    "load_trajectory_npz",
    "save_trajectory_npz",
    "finite_difference_velocity",
    "NPZ_KEYS",
]

#: documented keys of a trajectory ``.npz``
NPZ_KEYS = ("t", "e", "J", "M", "Mdot", "theta", "grad_norms")


@dataclass
class Trajectory:
    """Validated checkpoints ``(t, e, M, Mdot)``; build it with :func:`trajectory_from_arrays`.

    Attributes
    ----------
    t, e, M, Mdot : numpy.ndarray
        Times ``(T,)``, errors ``(T, n)``, kernels and their velocities ``(T, n, n)``.
    Mdot_source : str
        ``"exact"`` (given or complex-step), ``"finite-difference"`` or ``"central-difference"``.
    J, theta, grad_norms : numpy.ndarray or None
        Optional Jacobians, parameters and initial hidden-gradient norms (module docstring).
    meta : dict
        Provenance (optimizer, regime, per-checkpoint arrays).

    Examples
    --------
    >>> traj = trajectory_from_arrays(t=[0.0, 1.0], e=np.ones((2, 3)), M=np.stack([np.eye(3)] * 2))
    >>> traj.n_checkpoints, traj.n_modes, traj.loss.tolist(), traj.Mdot_source
    (2, 3, [1.5, 1.5], 'finite-difference')
    """

    t: np.ndarray
    e: np.ndarray
    M: np.ndarray
    Mdot: np.ndarray
    Mdot_source: str
    J: np.ndarray | None = None
    theta: np.ndarray | None = None
    grad_norms: np.ndarray | None = None
    meta: dict = field(default_factory=dict)

    @property
    def n_checkpoints(self) -> int:
        """``T``, the number of checkpoints."""
        return len(self.t)

    @property
    def loss(self) -> np.ndarray:
        """:math:`L(t) = \\tfrac12\\|e(t)\\|^2` at each checkpoint."""
        return 0.5 * np.sum(self.e**2, axis=1)

    @property
    def n_modes(self) -> int:
        """``n`` (samples x outputs)."""
        return self.e.shape[1]


def _finite(name, a):
    if not np.all(np.isfinite(a)):
        raise NonFiniteError(f"{name} contains NaN or infinity")


def finite_difference_velocity(t: np.ndarray, M: np.ndarray) -> np.ndarray:
    """Estimate :math:`\\dot M` on a non-uniform grid (second-order central differences inside,
    one-sided at the ends), as ``numpy.gradient`` with coordinates ``t``.

    Parameters
    ----------
    t : numpy.ndarray
        Checkpoint times ``(T,)``.
    M : numpy.ndarray
        Kernels ``(T, n, n)``.

    Returns
    -------
    numpy.ndarray
        ``(T, n, n)``.

    Raises
    ------
    TimeGridError
        Fewer than 2 checkpoints.

    Examples
    --------
    >>> t = np.array([0.0, 1.0, 2.0]); M = t[:, None, None] ** 2 * np.ones((3, 1, 1))
    >>> float(finite_difference_velocity(t, M)[1, 0, 0])   # d(t^2)/dt = 2t, exact inside
    2.0
    """
    if t.shape[0] < 2:
        raise TimeGridError("need at least 2 checkpoints to estimate dM/dt by finite differences")
    return np.gradient(M, t, axis=0, edge_order=1)


def _as_float_array(name, x) -> np.ndarray:
    try:
        return np.asarray(x, dtype=float)
    except (ValueError, TypeError) as exc:  # ragged nested lists
        raise ShapeError(
            f"{name}: cannot be read as a rectangular float array (ragged "
            f"checkpoints? every checkpoint must have the same shape): {exc}"
        ) from None


def trajectory_from_arrays(
    t: ArrayLike,
    e: ArrayLike,
    J: ArrayLike | None = None,
    M: ArrayLike | None = None,
    Mdot: ArrayLike | None = None,
    theta: ArrayLike | None = None,
    grad_norms: ArrayLike | None = None,
    meta: dict | None = None,
    sym_tol: float = 1e-8,
    psd_tol: float = 1e-8,
) -> Trajectory:
    """Validate arrays and build a :class:`Trajectory` (``M = J J^T`` when ``J`` is given).

    A given ``M`` must be symmetric to ``sym_tol`` (relative to ``max(1, max|M|)``) and positive
    semidefinite: an eigenvalue below ``-psd_tol * max|lambda|`` at any checkpoint raises
    :class:`~grsd_sym.errors.NegativeEigenvalueError`.

    Parameters
    ----------
    t, e, J, M, Mdot, theta, grad_norms : array_like
        The arrays of the module docstring's table (give ``J`` or ``M``).
    meta : dict, optional
        Provenance stored in the trajectory.
    sym_tol, psd_tol : float
        Symmetry and positive-semidefiniteness tolerances of a given ``M``.

    Returns
    -------
    Trajectory

    Raises
    ------
    InputError, ShapeError, TimeGridError, NonFiniteError, NotSymmetricError, NegativeEigenvalueError
        Missing, mis-shaped, non-finite or invalid arrays.

    Examples
    --------
    >>> traj = trajectory_from_arrays(t=[0.0, 1.0], e=np.ones((2, 3)), J=np.ones((2, 3, 4)))
    >>> float(traj.M[0, 0, 0]), traj.Mdot_source
    (4.0, 'finite-difference')
    """
    return _validated(t, e, J, M, Mdot, theta, grad_norms, meta, sym_tol, psd_tol)


def _validated(
    t: Any,
    e: Any,
    J: Any,
    M: Any,
    Mdot: Any,
    theta: Any,
    grad_norms: Any,
    meta: dict | None,
    sym_tol: float,
    psd_tol: float,
) -> Trajectory:
    """The body of :func:`trajectory_from_arrays` (each argument is rebound to its checked array)."""
    t = _as_float_array("t", t)
    e = _as_float_array("e", e)
    if t.ndim != 1 or t.shape[0] < 2:
        raise TimeGridError(f"t must be a 1-d array of at least 2 checkpoint times, got shape {t.shape}")
    _finite("t", t)
    if np.any(np.diff(t) <= 0):
        bad = int(np.argmax(np.diff(t) <= 0))
        raise TimeGridError(
            f"checkpoint times must be strictly increasing; t[{bad}] = {t[bad]} >= t[{bad + 1}] = {t[bad + 1]}"
        )
    if t[0] < 0:
        raise TimeGridError(f"checkpoint times must be >= 0, got t[0] = {t[0]}")
    T = t.shape[0]
    if e.ndim != 2 or e.shape[0] != T:
        raise ShapeError(f"e must have shape (T, n) with T = {T} checkpoints, got {e.shape}")
    n = e.shape[1]
    _finite("e", e)
    if J is None and M is None:
        raise InputError("give the Jacobians J (T x n x P) or the kernels M (T x n x n)")
    if J is not None:
        J = _as_float_array("J", J)
        if J.ndim != 3 or J.shape[:2] != (T, n):
            raise ShapeError(f"J must have shape (T, n, P) = ({T}, {n}, P) to match e {e.shape}, got {J.shape}")
        _finite("J", J)
        MJ = J @ np.swapaxes(J, 1, 2)
        if M is not None:
            M = _as_float_array("M", M)
            if M.shape != MJ.shape or not np.allclose(M, MJ, rtol=1e-6, atol=1e-9 * max(1.0, np.abs(MJ).max())):
                raise ShapeError("both J and M given but M != J J^T; give one of them")
        M = MJ
    else:
        M = _as_float_array("M", M)
        if M.shape != (T, n, n):
            raise ShapeError(f"M must have shape (T, n, n) = ({T}, {n}, {n}) to match e {e.shape}, got {M.shape}")
        _finite("M", M)
        scale = max(1.0, float(np.abs(M).max()))
        asym = float(np.abs(M - np.swapaxes(M, 1, 2)).max())
        if asym > sym_tol * scale:
            raise errors.NotSymmetricError(f"M must be symmetric: max |M - M^T| = {asym:.3g} > {sym_tol} x {scale:.3g}")
        M = 0.5 * (M + np.swapaxes(M, 1, 2))
        lam = np.linalg.eigvalsh(M)  # (T, n), ascending per checkpoint
        top = np.abs(lam).max(axis=1)
        failing = np.flatnonzero(lam[:, 0] < -psd_tol * top)
        if failing.size:
            k = int(failing[0])
            raise errors.NegativeEigenvalueError(
                f"M(t[{k}] = {t[k]:.6g}) has eigenvalue {lam[k, 0]:.6e} below -psd_tol x "
                f"max|lambda| = {-psd_tol * top[k]:.3e}; M = J J^T must be positive "
                f"semidefinite ({failing.size} of {T} checkpoints fail)"
            )
    if Mdot is not None:
        Mdot = _as_float_array("Mdot", Mdot)
        if Mdot.shape != M.shape:
            raise ShapeError(f"Mdot must have shape {M.shape} like M, got {Mdot.shape}")
        _finite("Mdot", Mdot)
        Mdot = 0.5 * (Mdot + np.swapaxes(Mdot, 1, 2))
        source = "exact"
    else:
        Mdot = finite_difference_velocity(t, M)
        source = "finite-difference"
    if theta is not None:
        theta = _as_float_array("theta", theta)
        if theta.ndim != 2 or theta.shape[0] != T:
            raise ShapeError(f"theta must have shape (T, P) with T = {T}, got {theta.shape}")
        if J is not None and theta.shape[1] != J.shape[2]:
            raise ShapeError(f"theta has P = {theta.shape[1]} parameters but J has {J.shape[2]}")
        _finite("theta", theta)
    if grad_norms is not None:
        grad_norms = _as_float_array("grad_norms", grad_norms)
        if grad_norms.ndim != 1 or grad_norms.shape[0] < 2:
            raise ShapeError(f"grad_norms must be a 1-d array of >= 2 layer norms, got {grad_norms.shape}")
        _finite("grad_norms", grad_norms)
        if np.any(grad_norms <= 0):
            raise InputError("grad_norms must be positive (a zero norm is a dead network)")
    return Trajectory(
        t=t, e=e, M=M, Mdot=Mdot, Mdot_source=source, J=J, theta=theta, grad_norms=grad_norms, meta=dict(meta or {})
    )


def load_trajectory_npz(path: str | Path) -> Trajectory:
    """Load and validate a trajectory saved with the keys of :data:`NPZ_KEYS`.

    Parameters
    ----------
    path : str or pathlib.Path
        The trajectory's ``.npz`` file.

    Returns
    -------
    Trajectory
        ``meta["source"]`` is the path.

    Raises
    ------
    InputError
        Missing or unreadable file, unknown or missing keys (then as :func:`trajectory_from_arrays`).

    Examples
    --------
    >>> import os, tempfile
    >>> traj = trajectory_from_arrays(t=[0.0, 1.0], e=np.ones((2, 3)), J=np.ones((2, 3, 4)))
    >>> path = os.path.join(tempfile.mkdtemp(), "run.npz")
    >>> save_trajectory_npz(traj, path)
    >>> bool(np.array_equal(load_trajectory_npz(path).M, traj.M))
    True
    """
    path = Path(path)
    if not path.is_file():
        raise InputError(f"trajectory file {str(path)!r} does not exist")
    try:
        with np.load(path, allow_pickle=False) as data:
            arrays = {k: data[k] for k in data.files}
    except (OSError, ValueError) as exc:
        raise InputError(f"cannot read {str(path)!r} as .npz: {exc}") from exc
    unknown = sorted(set(arrays) - set(NPZ_KEYS))
    if unknown:
        raise InputError(f"unknown key(s) {unknown} in {str(path)!r}; valid keys are {list(NPZ_KEYS)}")
    for k in ("t", "e"):
        if k not in arrays:
            raise InputError(f"trajectory file {str(path)!r} lacks required key {k!r}")
    return trajectory_from_arrays(meta={"source": str(path)}, **arrays)


def save_trajectory_npz(traj: Trajectory, path: str | Path, include_jacobians: bool = False) -> None:
    """Write ``traj`` in the documented format (``M``, or ``J`` when asked and present).

    Parameters
    ----------
    traj : Trajectory
    path : str or pathlib.Path
    include_jacobians : bool
        Store ``J`` instead of ``M``.

    Examples
    --------
    >>> import os, tempfile
    >>> traj = trajectory_from_arrays(t=[0.0, 1.0], e=np.ones((2, 3)), J=np.ones((2, 3, 4)))
    >>> path = os.path.join(tempfile.mkdtemp(), "run.npz")
    >>> save_trajectory_npz(traj, path, include_jacobians=True)
    >>> sorted(np.load(path).files)
    ['J', 'e', 't']
    """
    arrays: dict[str, Any] = {"t": traj.t, "e": traj.e, "M": traj.M}
    if traj.Mdot_source == "exact":
        arrays["Mdot"] = traj.Mdot
    if traj.theta is not None:
        arrays["theta"] = traj.theta
    if traj.grad_norms is not None:
        arrays["grad_norms"] = traj.grad_norms
    if include_jacobians and traj.J is not None:
        arrays["J"] = traj.J
        del arrays["M"]
    np.savez(path, **arrays)
