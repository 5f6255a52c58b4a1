r"""Synthetic kernels :math:`M(t) = U(t)\,\mathrm{diag}(\lambda(t))\,U(t)^T` with prescribed drift and rotation.

Simulators that do not use the theory: the eigenvalue paths and the rotation are given, and
everything else (:math:`\dot M`, the flow, the shells) is computed from them.

* :math:`U(t) = \exp(tG)\,U_0` with a fixed antisymmetric generator :math:`G`
  (:class:`Rotation`; the exponential by an eigendecomposition of the Hermitian :math:`iG`, no
  scipy), so :math:`\dot U = GU` and the columns are parallel transported
  (:math:`u_k^T\dot u_k = u_k^TGu_k = 0`, the Kato gauge of GRSD-T2);
* :math:`\dot M = GM - MG + U\,\mathrm{diag}(\dot\lambda)\,U^T`;
* eigenvalue paths: :class:`LogSmoothPath`
  (:math:`\lambda_k = \exp(s_k + r_kt + q_k\sin\omega_kt)`, zeros allowed as null modes) and
  :class:`CharacteristicPath`, the GRSD characteristics
  :math:`\dot\lambda = \sigma c_0 t^{b-2}\lambda^b` (GRSD-T14), evaluated by the kernels
  lowered from :func:`grsd_sym.derive.frontier.characteristic` and from the velocity law
  :func:`grsd_sym.theory.transport.transport_velocity`.

>>> sys_ = drift_system([1.0, 2.0], b=2.0, c0=1.0, generator=np.zeros((2, 2)))
>>> np.allclose(sys_.eigenvalues(1.0), [0.5, 2.0 / 3.0])
True
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Protocol

import numpy as np
from numpy.typing import ArrayLike

from grsd_sym.errors import InputError, RegionError, ShapeError
from grsd_sym.numeric.spectra import validate_finite

__all__ = [
    "Rotation",
    "random_generator",
    "random_orthogonal",
    "LogSmoothPath",
    "CharacteristicPath",
    "SyntheticSystem",
    "drift_system",
    "random_system",
]


class _EigenvaluePath(Protocol):
    """``t -> lambda(t)`` with ``rate(t) = dlambda/dt``."""

    def __call__(self, t: float) -> np.ndarray: ...

    def rate(self, t: float) -> np.ndarray: ...


class Rotation:
    r"""The rotation group :math:`t\mapsto\exp(tG)` of an antisymmetric ``G`` (n x n).

    :math:`iG` is Hermitian: :math:`iG = V\,\mathrm{diag}(w)\,V^H`, so
    :math:`\exp(tG) = \mathrm{Re}\,V\,\mathrm{diag}(e^{-iwt})\,V^H`.  One eigendecomposition, then
    every ``at(t)`` costs one complex matrix product.

    Parameters
    ----------
    G : array_like
        Antisymmetric generator (n, n).

    Attributes
    ----------
    G : numpy.ndarray
        The (exactly antisymmetrized) generator.

    Raises
    ------
    ShapeError, InputError
        ``G`` is not square, or :math:`G^T \ne -G`.

    Examples
    --------
    >>> R = Rotation(np.array([[0.0, -1.0], [1.0, 0.0]]))
    >>> np.allclose(R.at(np.pi / 2), [[0.0, -1.0], [1.0, 0.0]])
    True
    """

    def __init__(self, G: ArrayLike) -> None:
        G = validate_finite(G, "generator")
        if G.ndim != 2 or G.shape[0] != G.shape[1]:
            raise ShapeError(f"generator must be square, got {G.shape}")
        scale = float(np.max(np.abs(G), initial=0.0))
        if float(np.max(np.abs(G + G.T), initial=0.0)) > 1e-12 * max(scale, 1.0):
            raise InputError("generator must be antisymmetric (G^T = -G) to generate rotations")
        self.G = 0.5 * (G - G.T)
        w, V = np.linalg.eigh(1j * self.G)
        self._w, self._V = w, V
        self._VH = V.conj().T

    @property
    def n(self) -> int:
        """Dimension of the rotated space."""
        return int(self.G.shape[0])

    def at(self, t: float) -> np.ndarray:
        """:math:`\\exp(tG)` (orthogonal)."""
        ph = np.exp(-1j * self._w * float(t))
        return ((self._V * ph) @ self._VH).real


def random_generator(n: int, rng: np.random.Generator, scale: float = 1.0) -> np.ndarray:
    r"""A random antisymmetric generator with i.i.d. normal entries times ``scale/sqrt(n)``.

    Parameters
    ----------
    n : int
        Dimension.
    rng : numpy.random.Generator
        Source of randomness.
    scale : float
        Overall size of the generator.

    Returns
    -------
    numpy.ndarray
        Antisymmetric (n, n).

    Examples
    --------
    >>> G = random_generator(3, np.random.default_rng(0)); np.allclose(G, -G.T)
    True
    """
    X = rng.standard_normal((n, n)) * (scale / math.sqrt(max(n, 1)))
    return X - X.T


def random_orthogonal(n: int, rng: np.random.Generator) -> np.ndarray:
    """A Haar-random orthogonal matrix (QR of a Gaussian matrix with sign fix).

    Parameters
    ----------
    n : int
        Size.
    rng : numpy.random.Generator
        Random source.

    Returns
    -------
    numpy.ndarray
        Orthogonal (n, n).

    Examples
    --------
    >>> Q = random_orthogonal(3, np.random.default_rng(1)); np.allclose(Q.T @ Q, np.eye(3))
    True
    """
    Q, R = np.linalg.qr(rng.standard_normal((n, n)))
    return Q * np.sign(np.diag(R))


@dataclass(frozen=True)
class LogSmoothPath:
    r"""Smooth positive eigenvalue paths :math:`\lambda_k(t) = \exp(s_k + r_kt + q_k\sin\omega_kt)`.

    ``null`` extra modes have :math:`\lambda \equiv 0` (null shell, never dissipate); they come first.

    Attributes
    ----------
    s, r, q, w : numpy.ndarray
        Offsets, drift rates, wiggle amplitudes and frequencies of the log-eigenvalues.
    null : int
        Number of zero modes.

    Examples
    --------
    >>> p = LogSmoothPath(s=np.array([0.0]), r=np.array([1.0]), q=np.array([0.0]), w=np.array([1.0]))
    >>> float(p(1.0)[0]) == math.e, float(p.rate(1.0)[0]) == math.e
    (True, True)
    """

    s: np.ndarray
    r: np.ndarray
    q: np.ndarray
    w: np.ndarray
    null: int = 0

    def __call__(self, t: float) -> np.ndarray:
        return np.concatenate([np.zeros(self.null), self._positive(t)])

    def _positive(self, t: float) -> np.ndarray:
        return np.exp(self.s + self.r * t + self.q * np.sin(self.w * t))

    def rate(self, t: float) -> np.ndarray:
        """:math:`\\dot\\lambda_k(t)` in the same order."""
        lam = self._positive(t)
        return np.concatenate([np.zeros(self.null), lam * (self.r + self.q * self.w * np.cos(self.w * t))])


@dataclass(frozen=True)
class CharacteristicPath:
    r"""Eigenvalues on the GRSD characteristics :math:`\dot\lambda = \sigma c_0 t^{b-2}\lambda^b` (GRSD-T14).

    Closed form in the module docstring, starting from ``lam0`` at ``t0``.  Needs ``t0 > 0``
    unless ``b > 1``.  Outside the region where the characteristic exists (blow-up for
    :math:`\sigma=+1`, or reaching :math:`\lambda = 0`) :class:`RegionError`.

    Attributes
    ----------
    lam0 : numpy.ndarray
        Positive starting eigenvalues.
    b, c0 : float
        Velocity exponent and amplitude (``c0 > 0``).
    sigma : int
        Sign of the velocity.
    t0 : float
        Start time.

    Raises
    ------
    InputError, RegionError
        Parameters outside the region.

    Examples
    --------
    >>> p = CharacteristicPath(np.array([1.0]), b=2.0, c0=1.0)
    >>> float(p(1.0)[0]), float(p.rate(1.0)[0])
    (0.5, -0.25)

    References
    ----------
    GRSD-T14.
    """

    lam0: np.ndarray
    b: float
    c0: float
    sigma: int = -1
    t0: float = 0.0

    def __post_init__(self):
        lam0 = validate_finite(self.lam0, "lam0")
        if lam0.ndim != 1 or not np.all(lam0 > 0):
            raise InputError("lam0: characteristics start from positive eigenvalues (1-D array)")
        if self.sigma not in (-1, 1):
            raise InputError(f"sigma must be +1 or -1, got {self.sigma!r}")
        if not (math.isfinite(self.b) and math.isfinite(self.c0) and self.c0 > 0):
            raise InputError(f"need finite b and c0 > 0, got b={self.b!r}, c0={self.c0!r}")
        if not (math.isfinite(self.t0) and self.t0 >= 0):
            raise InputError(f"t0 must be finite and >= 0, got {self.t0!r}")
        if self.b <= 1 and self.t0 <= 0:
            raise RegionError(f"b = {self.b} <= 1: t^(b-2) is not integrable at 0; start at t0 > 0")
        object.__setattr__(self, "lam0", lam0)

    def _check_t(self, t):
        if not (t >= self.t0):
            raise RegionError(f"t = {t} is before the start t0 = {self.t0} of the characteristics")

    def __call__(self, t: float) -> np.ndarray:
        from grsd_sym.derive.frontier import characteristic_kernel, unit_b_characteristic_kernel

        t = float(t)
        self._check_t(t)
        b, c0, sg = self.b, self.c0, self.sigma
        if b == 1:
            return unit_b_characteristic_kernel(sg)(c0, self.lam0, t, self.t0)
        p = b - 1.0
        C = c0 * (t**p - self.t0**p) / p  # int_{t0}^t c0 tau^(b-2) dtau
        lam = characteristic_kernel(sg)(b, C, self.lam0, check=False)
        if not np.all(np.isfinite(lam) & (lam > 0)):
            raise RegionError(
                f"t = {t}: a characteristic has left (0, inf) (blow-up or extinction); b={b}, c0={c0}, sigma={sg}"
            )
        return lam

    def rate(self, t: float) -> np.ndarray:
        """Velocity :math:`\\sigma c_0 t^{b-2}\\lambda^b` along the characteristics."""
        from grsd_sym.derive.frontier import velocity_kernel

        lam = self(t)
        t = float(t)
        if t == 0:
            if self.b > 2:
                return np.zeros_like(lam)
            if self.b < 2:
                raise RegionError("the characteristic velocity t^(b-2) lambda^b is infinite at t = 0 for b < 2")
        return velocity_kernel(self.sigma)(self.b, self.c0, t, lam)


class SyntheticSystem:
    r"""A kernel path :math:`M(t) = U(t)\,\mathrm{diag}(\lambda(t))\,U(t)^T`, :math:`U(t) = \exp(tG)U_0`.

    ``path`` is callable ``t -> lambda(t)`` with a ``rate(t)`` method (e.g. :class:`LogSmoothPath`,
    :class:`CharacteristicPath`).  Calling the system returns :math:`M(t)`.

    Parameters
    ----------
    path : callable with ``rate``
        Eigenvalue path.
    generator : array_like
        Antisymmetric rotation generator ``G``.
    U0 : array_like, optional
        Orthogonal initial basis (default identity).

    Raises
    ------
    ShapeError, InputError
        Sizes that disagree, or a ``U0`` that is not orthogonal.

    Examples
    --------
    >>> s = SyntheticSystem(LogSmoothPath(np.zeros(2), np.ones(2), np.zeros(2), np.ones(2)),
    ...                     np.zeros((2, 2)))
    >>> np.allclose(s(0.0), np.eye(2)), np.allclose(s.dM(0.0), np.eye(2))
    (True, True)
    """

    def __init__(self, path: _EigenvaluePath, generator: ArrayLike, U0: ArrayLike | None = None) -> None:
        self.path = path
        self.rotation = Rotation(generator)
        n = self.rotation.n
        lam = np.asarray(path(float(getattr(path, "t0", 0.0))))
        if lam.shape != (n,):
            raise ShapeError(
                f"the eigenvalue path gives {lam.shape[0] if lam.ndim else 0} values for an n = {n} generator"
            )
        self.U0 = np.eye(n) if U0 is None else validate_finite(U0, "U0")
        if self.U0.shape != (n, n) or not np.allclose(self.U0.T @ self.U0, np.eye(n), atol=1e-10):
            raise InputError("U0 must be an n x n orthogonal matrix")

    @property
    def n(self) -> int:
        """Number of modes."""
        return self.rotation.n

    @property
    def generator(self) -> np.ndarray:
        """The rotation generator ``G``."""
        return self.rotation.G

    def basis(self, t: float) -> np.ndarray:
        """:math:`U(t) = \\exp(tG)U_0` (columns are the eigenvectors, parallel transported)."""
        return self.rotation.at(t) @ self.U0

    def eigenvalues(self, t: float) -> np.ndarray:
        """:math:`\\lambda(t)` in the path's labelling."""
        return np.asarray(self.path(t), dtype=float)

    def eigenvalue_rates(self, t: float) -> np.ndarray:
        """:math:`\\dot\\lambda(t)`."""
        return np.asarray(self.path.rate(t), dtype=float)

    def eigenpairs(self, t: float) -> tuple[np.ndarray, np.ndarray]:
        """``(lambda(t), U(t))`` in the path's labelling (not sorted)."""
        return self.eigenvalues(t), self.basis(t)

    def M(self, t: float) -> np.ndarray:
        """The kernel :math:`M(t)`."""
        U = self.basis(t)
        return (U * self.eigenvalues(t)) @ U.T

    __call__ = M

    def dM(self, t: float) -> np.ndarray:
        r""":math:`\dot M = GM - MG + U\,\mathrm{diag}(\dot\lambda)\,U^T` (exact)."""
        U = self.basis(t)
        M = (U * self.eigenvalues(t)) @ U.T
        G = self.rotation.G
        return G @ M - M @ G + (U * self.eigenvalue_rates(t)) @ U.T

    def kato_exact(self) -> np.ndarray:
        r"""For this system :math:`A_{kj} = \dot u_k^Tu_j = -(U_0^TGU_0)_{kj}`, constant in time."""
        return -(self.U0.T @ self.rotation.G @ self.U0)


def drift_system(
    lam0: ArrayLike,
    b: float,
    c0: float,
    *,
    sigma: int = -1,
    t0: float = 0.0,
    generator: ArrayLike | None = None,
    U0: ArrayLike | None = None,
    rotation_scale: float = 0.0,
    seed: int = 0,
) -> SyntheticSystem:
    r"""A system whose eigenvalues follow the GRSD characteristics of ``(b, c0, sigma)`` (GRSD-T14).

    The basis rotates with ``generator`` (default: a random one of size ``rotation_scale``, 0 =
    no rotation).  Measuring its eigenvalue drift must recover ``b``
    (:func:`grsd_sym.numeric.velocity.fit_velocity_exponent`).

    Parameters
    ----------
    lam0 : array_like
        Initial positive eigenvalues.
    b, c0 : float
        Velocity law.
    sigma : int
        Its sign.
    t0 : float
        Start time.
    generator : array_like, optional
        Rotation generator (default random).
    U0 : array_like, optional
        Initial basis.
    seed : int
        Seed of the random generator.
    rotation_scale : float
        Its size.

    Returns
    -------
    SyntheticSystem
        On a :class:`CharacteristicPath`.

    Examples
    --------
    >>> s = drift_system(np.exp(np.linspace(-2, 0, 5)), b=1.5, c0=0.3, rotation_scale=0.5)
    >>> lam = s.eigenvalues(2.0); np.allclose(s.eigenvalue_rates(2.0), -0.3 * 2.0 ** -0.5 * lam ** 1.5)
    True

    References
    ----------
    GRSD-T14.
    """
    path = CharacteristicPath(np.asarray(lam0, dtype=float), b=float(b), c0=float(c0), sigma=sigma, t0=float(t0))
    n = path.lam0.size
    if generator is None:
        generator = random_generator(n, np.random.default_rng(seed), rotation_scale)
    return SyntheticSystem(path, generator, U0)


def random_system(
    n: int,
    *,
    seed: int = 0,
    rotation_scale: float = 1.0,
    spacing: float = 0.5,
    s_min: float = -2.0,
    drift: float = 0.1,
    wiggle: float = 0.05,
    null: int = 0,
    random_basis: bool = True,
) -> SyntheticSystem:
    r"""A random smooth PSD path: log-eigenvalues spaced by ``spacing``, drifting by at most
    ``drift + wiggle`` per unit time, a random rotation of size ``rotation_scale``; ``null`` zero modes.

    Each log-eigenvalue moves by at most ``drift + 2*wiggle`` on :math:`t\in[0,1]`, and adjacent
    ones start at least ``0.9*spacing`` apart, so the order is preserved (no crossings: the Kato
    coefficients stay finite) when ``2*(drift + 2*wiggle) < 0.9*spacing`` (true for the defaults).

    Parameters
    ----------
    n : int
        Modes.
    seed : int
        Random seed.
    rotation_scale : float
        Size of the rotation.
    spacing : float
        Log-spacing of the eigenvalues.
    s_min : float
        Lowest log-eigenvalue.
    drift, wiggle : float
        Drift and oscillation of the log-eigenvalues.
    null : int
        Zero modes.
    random_basis : bool
        Random initial basis, else the identity.

    Returns
    -------
    SyntheticSystem

    Raises
    ------
    InputError
        ``n < 1`` or a bad ``null``.

    Examples
    --------
    >>> s = random_system(4, seed=1); lam = s.eigenvalues(0.5)
    >>> bool(np.all(np.diff(np.log(lam)) > 0))
    True
    """
    if n < 1 or null < 0 or null > n:
        raise InputError(f"need n >= 1 and 0 <= null <= n, got n={n}, null={null}")
    rng = np.random.default_rng(seed)
    m = n - null
    s = s_min + spacing * np.arange(m) + rng.uniform(0, 0.1 * spacing, m)
    r = rng.uniform(-drift, drift, m)
    w = rng.uniform(0.5, 3.0, m)
    q = rng.uniform(-wiggle, wiggle, m) / w
    path = LogSmoothPath(s=s, r=r, q=q, w=w, null=null)
    G = random_generator(n, rng, rotation_scale)
    U0 = random_orthogonal(n, rng) if random_basis else None
    return SyntheticSystem(path, G, U0)
