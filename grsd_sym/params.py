r"""The parameters of the GRSD transport problem, exact and validated once.

The transport PDE (GRSD-T7) with the velocity law :math:`v = \sigma c(t)\lambda^b`,
:math:`c(t) = c_0` (``c_form="const"``) or :math:`c_0 t^{b-2}` (``"self-similar"``), initial
data :math:`g_0 = \lambda^{\kappa-1}` on :math:`(0, \lambda_{\max}]` and dissipation
:math:`d\lambda g`.  :class:`TransportParams` holds ``(b, c0, kappa, d, sigma, c_form,
lambda_max)`` as exact SymPy numbers; the symbolic derivations, the lowered kernels, the exact
quadrature and the finite-volume solver all read it.

>>> P = TransportParams(b=2.5, c0=1, kappa=Fraction(3, 2))
>>> P.b, P.kappa, P.xi_star
(5/2, 3/2, 1)
"""

from __future__ import annotations

import dataclasses
import math
from fractions import Fraction
from typing import Any

import numpy as np
import sympy as sp

from grsd_sym.errors import InputError, NonFiniteError, RegionError, TimeGridError

__all__ = ["TransportParams", "C_FORMS", "exact_number", "time_grid"]

#: the two amplitudes c(t) of the velocity law
C_FORMS = ("const", "self-similar")


def exact_number(value: Any, name: str) -> sp.Rational:
    """``value`` as an exact SymPy Rational (a float by its shortest decimal ``repr``).

    Parameters
    ----------
    value : int, float, Fraction, str or sympy.Rational
        The number; a string goes through :func:`grsd_sym.parsing.parse_number`.
    name : str
        Its name, for the error message.

    Returns
    -------
    sympy.Rational

    Raises
    ------
    NonFiniteError
        NaN or infinity.
    InputError
        Not a real number.

    Examples
    --------
    >>> exact_number(0.1, "c0"), exact_number(3, "d")
    (1/10, 3)
    """
    if isinstance(value, str):
        from grsd_sym.parsing import parse_number  # the one parser of user numbers (CLI issue)

        return parse_number(value, name=name)
    if isinstance(value, bool):
        raise InputError(f"{name} must be a number, got {value!r}")
    if isinstance(value, float):
        if not math.isfinite(value):
            raise NonFiniteError(f"{name} must be finite, got {value!r}")
        return sp.Rational(repr(value))
    if isinstance(value, (int, Fraction)):
        return sp.Rational(value)
    if isinstance(value, sp.Basic) and value.is_Rational:
        return value
    if isinstance(value, sp.Basic) and value.is_number and value.has(sp.oo, -sp.oo, sp.zoo, sp.nan):
        raise NonFiniteError(f"{name} must be finite, got {value}")
    if hasattr(value, "__float__") and not isinstance(value, sp.Basic):  # numpy scalars
        return exact_number(float(value), name)
    raise InputError(f"{name} must be an exact real number (int, float, Fraction, Rational), got {value!r}")


@dataclasses.dataclass(frozen=True)
class TransportParams:
    r"""``(b, c0, kappa, d, sigma, c_form, lambda_max)`` of the transport problem (GRSD-T7, T13-T16).

    Parameters
    ----------
    b : number
        Velocity exponent in :math:`v = \sigma c(t)\lambda^b`.
    c0 : number
        Velocity amplitude, ``>= 0`` (``0`` is lazy training, GRSD-T8/T13).
    kappa : number
        Spectral exponent, :math:`g_0 = \lambda^{\kappa-1}`, ``> 0``.
    d : number
        Dissipation factor, ``> 0``.
    sigma : {-1, +1}
        Sign of the velocity.
    c_form : {"self-similar", "const"}
        :math:`c = c_0 t^{b-2}` (needs ``b > 1`` when ``c0 > 0``) or :math:`c = c_0`.
    lambda_max : number
        Top of the initial spectrum, ``> 0``.

    Raises
    ------
    InputError, NonFiniteError
        A value that is not a finite real number.
    RegionError
        A value outside the region above.

    Examples
    --------
    >>> TransportParams(b=3, c0=4, kappa=1).floats()["c0"]
    4.0

    References
    ----------
    GRSD-T7 (the PDE), GRSD-T14 (characteristics), GRSD-T16 (the loss exponent).
    """

    b: Any
    c0: Any
    kappa: Any
    d: Any = 2
    sigma: int = -1
    c_form: str = "self-similar"
    lambda_max: Any = 1

    def __post_init__(self) -> None:
        for name in ("b", "c0", "kappa", "d", "lambda_max"):
            object.__setattr__(self, name, exact_number(getattr(self, name), name))
        if self.c0 < 0:
            raise RegionError(f"c0 must be >= 0 (the sign of the velocity is sigma), got {self.c0}")
        for name in ("kappa", "d", "lambda_max"):
            if not getattr(self, name) > 0:
                raise RegionError(f"{name} must be > 0, got {getattr(self, name)}")
        if self.sigma not in (-1, 1) or isinstance(self.sigma, bool):
            raise RegionError(f"sigma must be -1 or +1, got {self.sigma!r}")
        object.__setattr__(self, "sigma", int(self.sigma))
        if self.c_form not in C_FORMS:
            raise RegionError(f"c_form must be one of {C_FORMS}, got {self.c_form!r}")
        if self.c_form == "self-similar" and self.c0 > 0 and not self.b > 1:
            raise RegionError(
                f"c_form='self-similar' (c = c0 t^(b-2)) needs b > 1, got b = {self.b}: "
                "int_0^t c diverges at t = 0 for b <= 1; use c_form='const'"
            )

    @property
    def p(self) -> sp.Rational:
        """``b - 1``."""
        return self.b - 1

    @property
    def lazy(self) -> bool:
        """No transport (``c0 = 0``)."""
        return self.c0 == 0

    @property
    def xi_star(self) -> sp.Expr | None:
        r"""The frontier constant :math:`\xi^* = c_0^{-1/(b-1)}` (GRSD-T14): self-similar ``c``
        (or constant ``c`` at ``b = 2``); ``oo`` when lazy; ``None`` where there is no frontier."""
        if self.lazy:
            return sp.oo
        if self.c_form == "self-similar" or self.b == 2:
            from grsd_sym.derive.frontier import frontier_constant

            return frontier_constant(self.b, self.c0)
        return None

    def floats(self) -> dict[str, Any]:
        """The parameters as Python floats (``sigma`` and ``c_form`` unchanged)."""
        return {
            f.name: (float(v) if isinstance(v, sp.Basic) else v)
            for f in dataclasses.fields(self)
            for v in [getattr(self, f.name)]
        }

    def to_dict(self) -> dict[str, Any]:
        """JSON-able record: exact values as strings (``"5/2"``), ``sigma``, ``c_form``."""
        return {
            f.name: (str(v) if isinstance(v, sp.Basic) else v)
            for f in dataclasses.fields(self)
            for v in [getattr(self, f.name)]
        }


def time_grid(t: Any, *, allow_zero: bool = False) -> np.ndarray:
    """``t`` as a validated 1-d float array of strictly increasing times ``> 0`` (``>= 0``).

    Parameters
    ----------
    t : float or array_like
        The times.
    allow_zero : bool
        Accept ``t = 0``.

    Returns
    -------
    numpy.ndarray

    Raises
    ------
    TimeGridError
        Empty, not 1-d, non-finite, negative or not strictly increasing.

    Examples
    --------
    >>> time_grid([1, 2]).tolist()
    [1.0, 2.0]
    """
    ts = np.atleast_1d(np.asarray(t, dtype=float))
    if ts.ndim != 1 or ts.size == 0:
        raise TimeGridError("times must be a non-empty 1-d sequence")
    if not np.isfinite(ts).all():
        raise TimeGridError("times must be finite (got NaN or infinity)")
    if (ts < 0).any() or (not allow_zero and (ts <= 0).any()):
        raise TimeGridError("times must be > 0" + (" (or = 0)" if allow_zero else ""))
    if ts.size > 1 and not (np.diff(ts) > 0).all():
        raise TimeGridError("times must be strictly increasing")
    return ts
