r"""Conventions of the GRSD continuum, and conversion of results between them (docs/conventions.md).

A :class:`Convention` fixes the learning rate ``eta``, the dissipation factor ``d``, the sign
``sigma`` of the velocity ``v = sigma c(t) lambda^b``, the shell grid ``(h, s0)`` and the
coordinate (``lambda`` or ``s = log lambda``).

Changing ``eta`` or ``d`` is a time rescaling (GRSD-T1).  Under gradient flow
``e' = -eta M e`` the energy density decays as ``exp(-d eta lambda t)``, so the *intrinsic
time* is

.. math::  \tau = \eta\, d\, t,

and the PDE with ``(d, v)`` at time ``t`` equals the PDE with ``(d', v d'/d)`` at time
``t d/d'``.  Hence a function of time converts as ``f'(t') = f(t' eta' d'/(eta d))`` and a
velocity (``d lambda/dt``) picks up the factor ``eta' d'/(eta d)``.  Flipping ``sigma`` flips
the sign of the amplitude ``c``.

>>> import sympy as sp
>>> from grsd_sym.conventions import Convention, convert
>>> from grsd_sym.symbols import t, d as dsym
>>> paper, energy = Convention(d=1), Convention(d=2)
>>> convert(sp.exp(-t), paper, energy, kind="time")      # a decay exp(-d t) with d = 1
exp(-2*t)
"""

from __future__ import annotations

import dataclasses
from typing import Any

import sympy as sp

from grsd_sym import symbols as S
from grsd_sym.errors import ConventionError, ShellGridError

__all__ = ["exact", "Convention", "DEFAULT", "PAPER", "convert", "time_factor", "KINDS"]

#: what :func:`convert` knows how to convert
KINDS = ("time", "velocity", "amplitude", "rate", "exponent")


def exact(value: Any) -> sp.Basic:
    """A number as an exact SymPy object: ``0.1 -> 1/10`` (the decimal written), ``'3/2' -> 3/2``.

    Parameters
    ----------
    value : number, str or SymPy object
        Text goes through the safe parser (:mod:`grsd_sym.parsing`).

    Returns
    -------
    sympy.Basic
        Exact.

    Raises
    ------
    ConventionError
        On a non-finite float, unreadable text or a non-numeric object.

    Examples
    --------
    >>> exact(0.1), exact("3/2"), exact(sp.Float(0.25))
    (1/10, 3/2, 1/4)
    """
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            raise ConventionError(f"not a finite number: {value!r}")
        return sp.Rational(repr(value))
    if isinstance(value, sp.Float):
        return sp.Rational(str(value))
    if isinstance(value, str):
        from grsd_sym.errors import InputError
        from grsd_sym.parsing import parse_expression, parse_number

        try:
            return parse_number(value, name="the value")
        except InputError:
            try:
                return parse_expression(value, symbols={}, name="the value")
            except InputError as exc:
                raise ConventionError(str(exc)) from None
    try:
        return sp.sympify(value, strict=True)  # SymPy objects and numbers only: text is handled above
    except (sp.SympifyError, TypeError) as exc:
        raise ConventionError(f"not a number or expression: {value!r}") from exc


def _positive(name: str, value: Any, err=ConventionError) -> sp.Basic:
    val = exact(value)
    if val.is_positive is False or (val.is_number and not val.is_finite):
        raise err(f"{name} must be positive and finite, got {value!r}")
    return val


@dataclasses.dataclass(frozen=True)
class Convention:
    """The conventions in which a result is stated (docs/conventions.md).

    Parameters
    ----------
    eta : number or SymPy expression
        Learning rate, ``> 0``.
    d : number or SymPy expression
        Dissipation factor of the loss, ``> 0`` (2: energy; 1: the papers' PDE).
    sigma : int
        Sign of the velocity ``v = sigma c lambda^b``, -1 or +1.
    h, s0 : number or None
        Shell width (``None``: no shell grid) and grid origin.
    coordinate : str
        ``'lambda'`` or ``'s'`` (log-eigenvalue).

    Numbers are kept exact (floats become Rationals).

    Examples
    --------
    >>> c = Convention(eta=0.5, d=1)
    >>> c.time_unit, Convention.from_dict(c.to_dict()) == c
    (1/2, True)
    """

    eta: Any = 1
    d: Any = 2
    sigma: int = -1
    h: Any = None
    s0: Any = 0
    coordinate: str = "lambda"

    def __post_init__(self) -> None:
        object.__setattr__(self, "eta", _positive("eta", self.eta))
        object.__setattr__(self, "d", _positive("d", self.d))
        if self.sigma not in (-1, 1):
            raise ConventionError(f"sigma must be -1 or +1, got {self.sigma!r}")
        object.__setattr__(self, "sigma", int(self.sigma))
        if self.h is not None:
            object.__setattr__(self, "h", _positive("shell width h", self.h, ShellGridError))
        s0 = exact(self.s0)
        if s0.is_real is False or (s0.is_number and not s0.is_finite):
            raise ShellGridError(f"grid origin s0 must be real and finite, got {self.s0!r}")
        object.__setattr__(self, "s0", s0)
        if self.coordinate not in ("lambda", "s"):
            raise ConventionError(f"coordinate must be 'lambda' or 's', got {self.coordinate!r}")

    @property
    def time_unit(self) -> sp.Basic:
        """``eta*d``: intrinsic time per unit of this convention's time."""
        return self.eta * self.d

    def to_dict(self) -> dict:
        """JSON-ready fields (exact values as text)."""
        return {
            "eta": str(self.eta),
            "d": str(self.d),
            "sigma": self.sigma,
            "h": None if self.h is None else str(self.h),
            "s0": str(self.s0),
            "coordinate": self.coordinate,
        }

    @classmethod
    def from_dict(cls, data: dict) -> Convention:
        """Inverse of :meth:`to_dict`; unknown fields raise :class:`ConventionError`."""
        unknown = set(data) - {f.name for f in dataclasses.fields(cls)}
        if unknown:
            raise ConventionError(f"unknown convention fields {sorted(unknown)}")
        kw = dict(data)
        for key in ("eta", "d", "h", "s0"):
            if kw.get(key) is not None:
                kw[key] = exact(kw[key])
        return cls(**kw)

    def __str__(self) -> str:
        parts = [f"eta={self.eta}", f"d={self.d}", f"sigma={self.sigma:+d}"]
        if self.h is not None:
            parts += [f"h={self.h}", f"s0={self.s0}"]
        parts.append(f"coordinate={self.coordinate}")
        return "Convention(" + ", ".join(parts) + ")"


#: the project's default: energy dissipation d = 2, v = -c lambda^b
DEFAULT = Convention()
#: the papers' PDE, written with d = 1
PAPER = Convention(d=1)


def time_factor(frm: Convention, to: Convention) -> sp.Basic:
    r"""``t_from = time_factor * t_to`` for the same physical instant: ``eta' d' / (eta d)`` (GRSD-T1).

    Parameters
    ----------
    frm, to : Convention
        The two conventions.

    Returns
    -------
    sympy.Basic
        :math:`\eta' d'/(\eta d)`, simplified.

    Examples
    --------
    >>> time_factor(DEFAULT, PAPER)  # d = 2 -> d = 1
    1/2
    """
    return sp.simplify(to.time_unit / frm.time_unit)


def convert(expr: Any, frm: Convention, to: Convention, *, kind: str, t: sp.Symbol = S.t) -> sp.Basic:
    """Restate ``expr`` (given in convention ``frm``) in convention ``to``.

    ``kind`` says what ``expr`` is:

    * ``"time"``: a function of time ``t`` (loss curve, ``g(lambda, t)``); ``t -> t*f``;
    * ``"velocity"``: ``d lambda/dt`` as a function of time; scaled by ``f`` and ``t -> t*f``;
    * ``"amplitude"``: the amplitude ``c`` of ``v = sigma c lambda^b``; scaled by
      ``f sigma/sigma'`` (time dependence ``c(t)`` is substituted too);
    * ``"rate"``: a rate (1/time, e.g. a coupling ``C``); scaled by ``f``;
    * ``"exponent"``: a scaling exponent (``L ~ t^-x``): invariant under time rescaling.

    with ``f = eta' d'/(eta d)`` (:func:`time_factor`; GRSD-T1).

    Parameters
    ----------
    expr : SymPy expression
        The quantity in convention ``frm``.
    frm, to : Convention
        From and to.
    kind : str
        One of :data:`KINDS` (above).
    t : sympy.Symbol
        The time symbol of ``expr``.

    Returns
    -------
    sympy.Basic
        ``expr`` restated in ``to``.

    Raises
    ------
    ConventionError
        On an unknown ``kind`` or a non-Convention.

    Examples
    --------
    >>> convert(1 / S.t, DEFAULT, PAPER, kind="time")
    2/t
    """
    if kind not in KINDS:
        raise ConventionError(f"unknown kind {kind!r}; valid: {', '.join(KINDS)}")
    if not isinstance(frm, Convention) or not isinstance(to, Convention):
        raise ConventionError("convert needs two Convention objects")
    e = sp.sympify(expr, strict=True)
    f = time_factor(frm, to)
    if kind == "exponent":
        return e
    if kind == "rate":
        return e * f
    moved = e.subs(t, t * f)
    if kind == "time":
        return moved
    if kind == "velocity":
        return moved * f
    return moved * f * sp.Integer(frm.sigma * to.sigma)  # amplitude
