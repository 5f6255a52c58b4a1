r"""Public Hypothesis strategies for grsd_sym: parameters *inside the region where a result holds*.

Each strategy draws only values for which the GRSD result it names is proved (docs/theory/), so a
property test written with it tests the result, not its region checks.  Symbolic parameters are
exact :class:`sympy.Rational` with small denominators (SymPy stays fast); every parameter
object has ``as_dict()`` (exact) and ``as_floats()`` (a float view for numeric code).

=================================  ==============================================  ================
strategy                           draws                                           region from
=================================  ==============================================  ================
:func:`convention_a_exponents`     ``(a, b)``, ``a > 1``, ``b > 1``                docs/conventions.md (Conv. A)
:func:`lazy_parameters`            ``(kappa, A, d)``, all ``> 0``                  GRSD-T13
:func:`transport_parameters`       ``(b > 1, c0 > 0, kappa > 0, d > 0, sigma)``    GRSD-T14, T16
                                   in a chosen phase (``kappa`` vs ``d xi*``)
:func:`effective_time_parameters`  ``b = 1``, ``0 < c0 < 1``, ``kappa, t0 > 0``    GRSD-T17
:func:`chinchilla_parameters`      ``alpha, beta, A, B > 0``, ``E >= 0``           GRSD-S8b
:func:`conventions`                :class:`grsd_sym.conventions.Convention`        docs/conventions.md, T1
:func:`literature_conventions`     a name of :mod:`grsd_sym.literature` + params   GRSD-S8c
:func:`shell_grids`                :class:`~grsd_sym.numeric.shells.ShellGrid`     docs/theory/shells.md
:func:`power_law_spectra`          spectra with a power-law tail + null modes      Conv. A, GRSD-S8c
:func:`psd_paths`                  smooth symmetric PSD paths, simple spectrum     GRSD-T2, T3
:func:`error_vectors`              finite error vectors                            --
=================================  ==============================================  ================

Write your own property test::

    from hypothesis import given, settings
    from grsd_sym.derive.exponents import exponents
    from grsd_sym.strategies import convention_a_exponents

    @settings(max_examples=10, deadline=None)
    @given(convention_a_exponents())
    def test_lazy_exponent_is_a_minus_one_over_b(p):
        assert exponents("time", "bordelon2024", a=p.a, b=p.b).exponent == (p.a - 1) / p.b

Every strategy draws a few scalars (and a seed for the bulk arrays) so that examples shrink
towards small, simple cases.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from fractions import Fraction
from typing import TYPE_CHECKING, Any, ClassVar

import numpy as np
import sympy as sp
from hypothesis import strategies as st

from grsd_sym.numeric.shells import ShellGrid
from grsd_sym.numeric.synthetic import SyntheticSystem, random_system

if TYPE_CHECKING:
    from grsd_sym.conventions import Convention
    from grsd_sym.literature import ContinuumData

__all__ = [
    # exact parameter regions
    "exact_rationals",
    "ConventionAExponents",
    "convention_a_exponents",
    "LazyParameters",
    "lazy_parameters",
    "TransportParameters",
    "transport_parameters",
    "PHASES",
    "EffectiveTimeParameters",
    "effective_time_parameters",
    "ChinchillaParameters",
    "chinchilla_parameters",
    "conventions",
    "LiteratureParameters",
    "literature_conventions",
    # numeric objects
    "PowerLawSpectrum",
    "power_law_spectra",
    "shell_grids",
    "psd_paths",
    "error_vectors",
]

#: the phases of the transport loss exponent (GRSD-T16), see :func:`transport_parameters`
PHASES = ("dissipation", "transport")


# --------------------------------------------------------------------------------------
# exact rationals
# --------------------------------------------------------------------------------------


def _frac(x: Any) -> Fraction:
    """An exact Fraction of an int, Fraction, sympy Rational or string like ``'1/4'``."""
    return x if isinstance(x, Fraction) else Fraction(str(x))


def exact_rationals(
    min_value: Any, max_value: Any, *, max_denominator: int = 8, exclude_min: bool = False, exclude_max: bool = False
) -> st.SearchStrategy[sp.Rational]:
    r"""Exact :class:`sympy.Rational` values in ``[min_value, max_value]`` with denominators
    at most ``max_denominator`` (open at an end with ``exclude_min``/``exclude_max``).

    Bounds may be ints, ``Fraction``, ``sympy.Rational`` or strings like ``"1/4"``.

    Parameters
    ----------
    min_value, max_value : number or str
        The bounds.
    max_denominator : int
        Largest denominator of the bounds' grid (bounds beyond it are rounded inward).
    exclude_min, exclude_max : bool
        Open at that end.

    Returns
    -------
    hypothesis.strategies.SearchStrategy
        Of ``sympy.Rational``.

    Raises
    ------
    ValueError
        When ``[min_value, max_value]`` holds no rational at that denominator.

    Examples
    --------
    >>> import sympy as sp
    >>> from hypothesis import given
    >>> @given(exact_rationals(1, 4, exclude_min=True))
    ... def check(x):
    ...     assert isinstance(x, sp.Rational) and 1 < x <= 4 and x.q <= 8
    >>> check()
    """
    lo, hi = _frac(min_value), _frac(max_value)
    q = max_denominator
    # a bound with a larger denominator is rounded inward (then it is excluded automatically)
    if lo.denominator > q:
        lo = Fraction(-((-lo.numerator * q) // lo.denominator), q)
    if hi.denominator > q:
        hi = Fraction((hi.numerator * q) // hi.denominator, q)
    if lo > hi or (lo == hi and (exclude_min or exclude_max)):
        raise ValueError(f"exact_rationals: empty range [{min_value}, {max_value}] at denominators <= {q}")
    s = st.fractions(min_value=lo, max_value=hi, max_denominator=max_denominator)
    if exclude_min:
        s = s.filter(lambda x: x != lo)
    if exclude_max:
        s = s.filter(lambda x: x != hi)
    return s.map(lambda f: sp.Rational(f.numerator, f.denominator))


class _Exact:
    """Mixin: exact and float views of a parameter dataclass."""

    __dataclass_fields__: ClassVar[dict[str, Any]]

    def as_dict(self) -> dict:
        """The parameters by name, exact (as drawn)."""
        return {f.name: getattr(self, f.name) for f in dataclasses.fields(self)}

    def as_floats(self) -> dict:
        """The parameters by name as Python floats (``sigma`` stays an int)."""
        return {
            k: (v if isinstance(v, int) and not isinstance(v, sp.Basic) else float(v))
            for k, v in self.as_dict().items()
        }


# --------------------------------------------------------------------------------------
# Convention A and the lazy loss (GRSD-T13)
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ConventionAExponents(_Exact):
    r"""Convention A exponents: :math:`\lambda_k = k^{-b}`, task power :math:`\lambda_k w_k^2 = k^{-a}`.

    Attributes
    ----------
    a, b : sympy.Rational
        Task-power and spectral exponents.

    Examples
    --------
    >>> ConventionAExponents(sp.Integer(2), sp.Rational(3, 2)).as_dict()
    {'a': 2, 'b': 3/2}
    """

    a: sp.Rational
    b: sp.Rational


def convention_a_exponents(
    *, a_max: Any = 4, b_max: Any = 3, max_denominator: int = 8
) -> st.SearchStrategy[ConventionAExponents]:
    r"""Convention A exponents ``(a, b)`` with :math:`a > 1` (finite target energy) and
    :math:`b > 1` (trace-class spectrum): the region of docs/conventions.md / ``bordelon2024`` in
    :mod:`grsd_sym.literature`.  There the lazy loss is GRSD-T13 with
    :math:`\kappa = (a-1)/b`, :math:`A = 1/b`, :math:`d = 2`.

    Parameters
    ----------
    a_max, b_max : number or str
        Upper bounds of ``a`` and ``b``.
    max_denominator : int
        Largest denominator of ``a`` and ``b``.

    Returns
    -------
    hypothesis.strategies.SearchStrategy
        Draws :class:`ConventionAExponents`.

    Examples
    --------
    >>> from hypothesis import given
    >>> from hypothesis import settings
    >>> from grsd_sym.literature import to_grsd
    >>> @settings(max_examples=10, deadline=None)
    ... @given(convention_a_exponents())
    ... def check(p):
    ...     assert p.a > 1 and p.b > 1
    ...     assert to_grsd("bordelon2024", a=p.a, b=p.b).kappa == (p.a - 1) / p.b
    >>> check()
    """
    return st.builds(
        ConventionAExponents,
        exact_rationals(1, a_max, max_denominator=max_denominator, exclude_min=True),
        exact_rationals(1, b_max, max_denominator=max_denominator, exclude_min=True),
    )


@dataclass(frozen=True)
class LazyParameters(_Exact):
    r"""GRSD continuum data :math:`g_0 = A\lambda^{\kappa-1}`, dissipation factor ``d`` (GRSD-T13).

    Attributes
    ----------
    kappa, A, d : sympy.Rational
        All positive.

    Examples
    --------
    >>> LazyParameters(sp.Rational(1, 2), sp.Integer(1), sp.Integer(2)).as_floats()
    {'kappa': 0.5, 'A': 1.0, 'd': 2.0}
    """

    kappa: sp.Rational
    A: sp.Rational
    d: sp.Rational


def lazy_parameters(*, kappa_max: Any = 6, max_denominator: int = 8) -> st.SearchStrategy[LazyParameters]:
    r"""``(kappa, A, d)`` positive exact: the region of the lazy loss (GRSD-T13)

    .. math::  L(t) = \int_0^\infty A\lambda^{\kappa-1}e^{-d\lambda t}\,d\lambda
               = A\,\Gamma(\kappa)\,(d t)^{-\kappa},

    which converges iff :math:`\kappa > 0` and :math:`d t > 0` (``A > 0`` is a density).
    ``kappa`` in ``(0, kappa_max]``, ``A`` in ``[1/8, 8]``, ``d`` in ``[1/4, 4]``.

    Parameters
    ----------
    kappa_max : number or str
        Upper bound of ``kappa``.
    max_denominator : int
        Largest denominator of ``kappa``, ``A`` and ``d``.

    Returns
    -------
    hypothesis.strategies.SearchStrategy
        Of :class:`LazyParameters` (exact).

    Examples
    --------
    >>> from hypothesis import find
    >>> from grsd_sym.derive.frontier import lazy_loss
    >>> p = find(lazy_parameters(), lambda p: p.kappa > 1)   # the simplest draw with kappa > 1
    >>> bool(lazy_loss(p.kappa, p.A, p.d, 1) > 0)
    True
    """
    q = max_denominator
    return st.builds(
        LazyParameters,
        exact_rationals(0, kappa_max, max_denominator=q, exclude_min=True),
        exact_rationals(sp.Rational(1, 8), 8, max_denominator=q),
        exact_rationals(sp.Rational(1, 4), 4, max_denominator=q),
    )


# --------------------------------------------------------------------------------------
# transport: the frontier and the loss exponent (GRSD-T14, T16)
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class TransportParameters(_Exact):
    r"""Velocity :math:`v = \sigma c_0 t^{b-2}\lambda^b` acting on :math:`g_0\propto\lambda^{\kappa-1}`
    with dissipation ``d`` (docs/theory/solutions.md; GRSD-T14, T16).

    ``xi_star``, ``phase_boundary`` and ``phase`` are computed by :mod:`grsd_sym.derive.frontier`.

    Attributes
    ----------
    b, c0, kappa, d : sympy.Rational
        Velocity exponent (``> 1``), amplitude, spectrum exponent, dissipation factor.
    sigma : int
        Sign of the velocity.

    Examples
    --------
    >>> p = TransportParameters(sp.Integer(3), sp.Integer(4), sp.Integer(2), sp.Integer(2), -1)
    >>> p.xi_star, p.phase
    (1/2, 'transport')
    """

    b: sp.Rational
    c0: sp.Rational
    kappa: sp.Rational
    d: sp.Rational
    sigma: int

    @property
    def xi_star(self) -> sp.Expr:
        r"""The frontier constant :math:`\xi^* = c_0^{-1/(b-1)}` (GRSD-T14; for ``sigma = +1`` the
        blow-up point :math:`\lambda_0 t = \xi^*`)."""
        from grsd_sym.derive.frontier import frontier_constant

        return frontier_constant(self.b, self.c0)

    @property
    def phase_boundary(self) -> sp.Expr:
        r"""The :math:`\kappa` of the phase boundary :math:`\kappa = d\xi^*` (GRSD-T16)."""
        from grsd_sym.derive.frontier import phase_boundary

        return phase_boundary(self.b, c0=self.c0, d=self.d)

    @property
    def phase(self) -> str:
        r"""``'dissipation'`` (:math:`\kappa < d\xi^*`: :math:`L\sim t^{-\kappa}`), ``'transport'``
        (:math:`d\xi^* < \kappa`: :math:`L\sim t^{-d\xi^*}`) or ``'boundary'`` (log correction),
        for ``sigma = -1``; always ``'dissipation'`` for ``sigma = +1`` (the exponent stays
        :math:`\kappa`, GRSD-T16)."""
        if self.sigma == 1:
            return "dissipation"
        gap = sp.nsimplify(self.kappa - self.phase_boundary)
        if gap.is_zero:
            return "boundary"
        return "transport" if gap.is_positive else "dissipation"

    def as_params(self, c_form: str = "self-similar") -> Any:
        """The draw as the project's one parameter object, :class:`~grsd_sym.params.TransportParams`."""
        from grsd_sym.params import TransportParams

        return TransportParams(self.b, self.c0, self.kappa, self.d, self.sigma, c_form)


def _rational_below(x: sp.Expr, q: int) -> tuple[int, int]:
    """``(m, q')``: the integers ``n = 1..m`` give ``n/q' < x`` (``q'`` a multiple of ``q``, ``m >= 1``)."""
    while True:
        m = int(sp.ceiling(x * q)) - 1
        if m >= 1:
            return m, q
        q *= 2


def transport_parameters(
    phase: str | None = None, *, max_denominator: int = 4
) -> st.SearchStrategy[TransportParameters]:
    r"""Parameters of the transport loss exponent (GRSD-T14, T16), optionally in one phase.

    Region: :math:`b > 1`, :math:`c_0 > 0`, :math:`\kappa > 0`, :math:`d > 0`,
    :math:`\sigma\in\{-1,+1\}`; with :math:`\xi^* = c_0^{-1/(b-1)}` (T14)

    .. math::  L(t)\sim t^{-\min(\kappa,\, d\xi^*)}\ (\sigma=-1), \qquad L(t)\sim t^{-\kappa}\ (\sigma=+1).

    ``phase=None`` draws anywhere in the region (both signs); ``phase='dissipation'`` draws
    :math:`\sigma=-1`, :math:`\kappa < d\xi^*` (exponent :math:`\kappa`);
    ``phase='transport'`` draws :math:`\sigma=-1`, :math:`d\xi^* < \kappa` (exponent
    :math:`d\xi^*`).  The boundary :math:`d\xi^*` comes from
    :func:`grsd_sym.derive.frontier.phase_boundary`.  Ranges: :math:`b-1\in[1/4,3]`,
    :math:`c_0\in[1/2,2]`, :math:`d\in[1/2,4]` (so :math:`\xi^*\in[1/16,16]`).

    Parameters
    ----------
    phase : str or None
        One of :data:`PHASES` (``None``: either).
    max_denominator : int
        Largest denominator (default 4: the phase boundary stays cheap).

    Returns
    -------
    hypothesis.strategies.SearchStrategy
        Drawing :class:`TransportParameters`, in ``phase`` if given.

    Raises
    ------
    ValueError
        On an unknown ``phase`` name.

    Examples
    --------
    >>> from hypothesis import given, settings
    >>> from grsd_sym.derive.frontier import transport_loss_exponent
    >>> @settings(max_examples=5, deadline=None)
    ... @given(transport_parameters(phase="transport"))
    ... def check(p):
    ...     assert p.sigma == -1 and p.phase == "transport"
    ...     x = transport_loss_exponent(p.b, c0=p.c0, kappa=p.kappa, d=p.d, sigma=p.sigma)
    ...     assert sp.simplify(x - p.d * p.xi_star) == 0
    >>> check()
    """
    if phase not in (None, *PHASES):
        raise ValueError(f"transport_parameters: phase must be None, 'dissipation' or 'transport', got {phase!r}")
    return _transport_parameters(phase, max_denominator)


@st.composite
def _transport_parameters(draw: st.DrawFn, phase: str | None, max_denominator: int) -> TransportParameters:
    q = max_denominator
    b = 1 + draw(exact_rationals(sp.Rational(1, 4), 3, max_denominator=q))
    c0 = draw(exact_rationals(sp.Rational(1, 2), 2, max_denominator=q))
    d = draw(exact_rationals(sp.Rational(1, 2), 4, max_denominator=q))
    sigma = -1 if phase is not None else draw(st.sampled_from([-1, 1]))
    if phase is None:
        kappa = draw(exact_rationals(0, 8, max_denominator=2 * q, exclude_min=True))
    else:
        from grsd_sym.derive.frontier import phase_boundary

        K = phase_boundary(b, c0=c0, d=d)
        if phase == "transport":
            base = sp.Rational(int(sp.floor(K * 2 * q)) + 1, 2 * q)  # the first n/(2q) above K
            kappa = base + draw(exact_rationals(0, 4, max_denominator=2 * q))
        else:
            m, qq = _rational_below(K, 2 * q)
            kappa = sp.Rational(draw(st.integers(1, m)), qq)
    out = TransportParameters(b, c0, kappa, d, int(sigma))
    if phase is not None and out.phase != phase:  # pragma: no cover - guards the construction
        raise AssertionError(f"transport_parameters drew {out} in phase {out.phase}, not {phase}")
    return out


# --------------------------------------------------------------------------------------
# effective time (GRSD-T17)
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class EffectiveTimeParameters(_Exact):
    r"""``b = 1``, :math:`c = c_0/t` for :math:`t\ge t_0`, spectrum :math:`g_0\propto\lambda^{\kappa-1}` (GRSD-T17).

    Attributes
    ----------
    c0, kappa, t0 : sympy.Rational
        :math:`0 < c_0 < 1`, :math:`\kappa > 0`, :math:`t_0 > 0`.
    b : sympy.Integer
        Always 1.

    Examples
    --------
    >>> EffectiveTimeParameters(sp.Rational(1, 2), sp.Integer(1), sp.Integer(1)).as_dict()
    {'c0': 1/2, 'kappa': 1, 't0': 1, 'b': 1}
    """

    c0: sp.Rational
    kappa: sp.Rational
    t0: sp.Rational
    b: sp.Integer = field(default_factory=lambda: sp.Integer(1))


def effective_time_parameters(*, max_denominator: int = 8) -> st.SearchStrategy[EffectiveTimeParameters]:
    r"""``b = 1`` and :math:`0 < c_0 < 1` (with :math:`\kappa > 0`, :math:`t_0 > 0`): the region of
    GRSD-T17, where a mode's dissipated action is

    .. math::  \tau(t) = \lambda_0 t_0^{c_0}\frac{t^{1-c_0} - t_0^{1-c_0}}{1-c_0} \sim t^{1-c_0},
               \qquad L(t)\sim t^{-\kappa(1-c_0)}

    (for :math:`c_0 \ge 1` learning freezes or slows to a log: no power law).

    Parameters
    ----------
    max_denominator : int
        Largest denominator of ``c0``, ``kappa``, ``t0``.

    Returns
    -------
    hypothesis.strategies.SearchStrategy
        Of :class:`EffectiveTimeParameters` with ``b = 1`` and ``0 < c0 < 1``.

    Examples
    --------
    >>> from hypothesis import given
    >>> from hypothesis import settings
    >>> from grsd_sym.derive.frontier import effective_time_exponent
    >>> @settings(max_examples=5, deadline=None)
    ... @given(effective_time_parameters())
    ... def check(p):
    ...     assert p.b == 1 and effective_time_exponent(p.c0) == 1 - p.c0
    >>> check()
    """
    q = max_denominator
    return st.builds(
        EffectiveTimeParameters,
        exact_rationals(0, 1, max_denominator=q, exclude_min=True, exclude_max=True),
        exact_rationals(0, 4, max_denominator=q, exclude_min=True),
        exact_rationals(sp.Rational(1, 4), 4, max_denominator=q),
    )


# --------------------------------------------------------------------------------------
# Chinchilla compute-optimal form (GRSD-S8b)
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ChinchillaParameters(_Exact):
    r""":math:`L(N, D) = E + A N^{-\alpha} + B D^{-\beta}` (Hoffmann et al. 2022; GRSD-S8b).

    Attributes
    ----------
    alpha, beta, A, B : sympy.Rational
        Positive.
    E : sympy.Rational
        ``>= 0``.

    Examples
    --------
    >>> ChinchillaParameters(*[sp.Integer(1)] * 5).as_floats()["E"]
    1.0
    """

    alpha: sp.Rational
    beta: sp.Rational
    A: sp.Rational
    B: sp.Rational
    E: sp.Rational


def chinchilla_parameters(*, max_denominator: int = 8) -> st.SearchStrategy[ChinchillaParameters]:
    r"""``alpha, beta, A, B > 0`` and ``E >= 0``: the region of the compute-optimal allocation
    of :math:`E + A/N^\alpha + B/D^\beta` at :math:`C = 6ND` (GRSD-S8b,
    :func:`grsd_sym.derive.scaling.chinchilla_optimal`), where

    .. math::  N^*\propto C^{\beta/(\alpha+\beta)},\quad D^*\propto C^{\alpha/(\alpha+\beta)},
               \quad L^* - E \propto C^{-\alpha\beta/(\alpha+\beta)}.

    ``alpha, beta`` in ``[1/8, 2]``, ``A, B`` in ``[1, 500]``, ``E`` in ``[0, 4]``.

    Parameters
    ----------
    max_denominator : int
        Largest denominator of the five parameters.

    Returns
    -------
    hypothesis.strategies.SearchStrategy
        Chinchilla problems as :class:`ChinchillaParameters`.

    Examples
    --------
    >>> from hypothesis import given, settings
    >>> from grsd_sym.derive.scaling import chinchilla_optimal
    >>> @settings(max_examples=5, deadline=None)
    ... @given(chinchilla_parameters())
    ... def check(p):
    ...     ch = chinchilla_optimal(p.alpha, p.beta, p.A, p.B, p.E)
    ...     assert ch.n_exponent + ch.d_exponent == 1
    >>> check()
    """
    q = max_denominator
    expo = exact_rationals(sp.Rational(1, 8), 2, max_denominator=q)
    coef = exact_rationals(1, 500, max_denominator=2)
    return st.builds(ChinchillaParameters, expo, expo, coef, coef, exact_rationals(0, 4, max_denominator=4))


# --------------------------------------------------------------------------------------
# conventions (docs/conventions.md) and literature conventions (GRSD-S8c)
# --------------------------------------------------------------------------------------


@st.composite
def conventions(draw: st.DrawFn, *, grid: bool | None = None, max_denominator: int = 8) -> Convention:
    r"""Valid :class:`grsd_sym.conventions.Convention` objects (docs/conventions.md): exact
    ``eta`` in ``[1/8, 8]``, ``d`` in ``[1/4, 4]``, ``sigma`` in ``{-1, +1}``, a shell grid
    ``h`` in ``[1/8, 2]``, ``s0`` in ``[-3, 3]`` (``grid=None``: sometimes ``h=None``;
    ``True``: always a grid; ``False``: never), coordinate ``'lambda'`` or ``'s'``.

    Changing conventions is a time rescaling by :math:`\eta' d'/(\eta d)` (GRSD-T1).

    Parameters
    ----------
    draw
        Supplied by Hypothesis (``conventions()`` takes only the keywords).
    grid : bool or None
        Shell grid: sometimes (``None``), always, never.
    max_denominator : int
        Largest denominator of ``eta``, ``d``, ``h``, ``s0``.

    Returns
    -------
    hypothesis.strategies.SearchStrategy
        Valid :class:`~grsd_sym.conventions.Convention` objects.

    Examples
    --------
    >>> from hypothesis import given
    >>> from grsd_sym.conventions import Convention
    >>> @given(conventions())
    ... def check(c):
    ...     assert Convention.from_dict(c.to_dict()) == c
    >>> check()
    """
    q = max_denominator
    eta = draw(exact_rationals(sp.Rational(1, 8), 8, max_denominator=q))
    d = draw(exact_rationals(sp.Rational(1, 4), 4, max_denominator=q))
    sigma = draw(st.sampled_from([-1, 1]))
    has_grid = draw(st.booleans()) if grid is None else grid
    h = draw(exact_rationals(sp.Rational(1, 8), 2, max_denominator=q)) if has_grid else None
    s0 = draw(exact_rationals(-3, 3, max_denominator=q)) if has_grid else sp.Integer(0)
    coordinate = draw(st.sampled_from(["lambda", "s"]))
    from grsd_sym.conventions import Convention

    return Convention(eta=eta, d=d, sigma=sigma, h=h, s0=s0, coordinate=coordinate)


@dataclass(frozen=True)
class LiteratureParameters:
    """A literature convention name (:data:`grsd_sym.literature.NAMES`) and exact parameters
    inside its region; ``to_grsd()`` translates them (GRSD-S8c).

    Attributes
    ----------
    name : str
        The convention.
    params : dict
        Its parameters by name.

    Examples
    --------
    >>> LiteratureParameters("lin2024", {"a": sp.Integer(2)}).to_grsd().kappa
    1/2
    """

    name: str
    params: dict

    def to_grsd(self) -> ContinuumData:
        """:func:`grsd_sym.literature.to_grsd` of this problem."""
        from grsd_sym.literature import to_grsd

        return to_grsd(self.name, **self.params)

    def as_floats(self) -> dict:
        """The parameters as Python floats."""
        return {k: float(v) for k, v in self.params.items()}


def _paquette(q: int):
    # 2 alpha > 1 and 2 alpha + 2 beta > 1 (beta may be negative when alpha > 1/2)
    return exact_rationals(sp.Rational(1, 2), 2, max_denominator=q, exclude_min=True).flatmap(
        lambda al: exact_rationals(sp.Rational(1, 2) - al, 2, max_denominator=q, exclude_min=True).map(
            lambda be: {"alpha": al, "beta": be}
        )
    )


def _literature_draws(q: int) -> dict:
    def r(lo, hi):
        return exact_rationals(lo, hi, max_denominator=q, exclude_min=True)

    return {
        "bordelon2024": convention_a_exponents(max_denominator=q).map(lambda p: p.as_dict()),
        "source-capacity": st.fixed_dictionaries({"alpha": r(1, 3), "r": r(0, 2)}),
        "paquette2024": _paquette(q),
        "lin2024": st.fixed_dictionaries({"a": r(1, 4)}),
        "grsd": lazy_parameters(max_denominator=q).map(lambda p: p.as_dict()),
    }


def literature_conventions(names: Any = None, *, max_denominator: int = 8) -> st.SearchStrategy[LiteratureParameters]:
    r"""A convention of :mod:`grsd_sym.literature` and exact parameters inside its region
    (the regions :func:`grsd_sym.literature.to_grsd` checks; GRSD-S8c):

    * ``bordelon2024``: :math:`a > 1`, :math:`b > 1` (Convention A);
    * ``source-capacity``: capacity :math:`\alpha > 1`, source :math:`r > 0`;
    * ``paquette2024``: :math:`2\alpha > 1`, :math:`2\alpha + 2\beta > 1` (so ``beta`` may be
      negative);
    * ``lin2024``: :math:`a > 1`;
    * ``grsd``: :math:`\kappa, A, d > 0`.

    ``names`` restricts the choice (default: all of :data:`grsd_sym.literature.NAMES`).

    Parameters
    ----------
    names : iterable of str or None
        Conventions to draw from (default: all).
    max_denominator : int
        Largest denominator of every drawn parameter.

    Returns
    -------
    hypothesis.strategies.SearchStrategy
        Pairs (name, params) as :class:`LiteratureParameters`.

    Examples
    --------
    >>> from hypothesis import given
    >>> from hypothesis import settings
    >>> @settings(max_examples=10, deadline=None)
    ... @given(literature_conventions())
    ... def check(p):
    ...     assert p.to_grsd().kappa > 0
    >>> check()
    """
    from grsd_sym.literature import NAMES

    draws = _literature_draws(max_denominator)
    chosen = list(NAMES) if names is None else [names] if isinstance(names, str) else list(names)
    unknown = [n for n in chosen if n not in draws]
    if unknown or not chosen:
        raise ValueError(f"literature_conventions: unknown names {unknown}; valid: {', '.join(NAMES)}")
    return st.sampled_from(chosen).flatmap(lambda n: draws[n].map(lambda p, n=n: LiteratureParameters(n, dict(p))))


# --------------------------------------------------------------------------------------
# numeric objects: spectra, shell grids, PSD paths, error vectors
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PowerLawSpectrum:
    r"""Eigenvalues :math:`\lambda_k = \lambda_1 k^{-b}(1+\text{jitter})` and amplitudes with
    :math:`a_k^2 \propto k^{-(a-b)}` (Convention A: task power :math:`\lambda_k a_k^2 \sim k^{-a}`),
    preceded by ``n_null`` exact zeros (null-shell modes, arbitrary amplitudes).

    Attributes
    ----------
    eigenvalues, amplitudes : numpy.ndarray
        The spectrum and the amplitudes.
    b, a : float
        The exponents (floats: the numeric side consumes them).
    n_null : int
        Number of leading zero eigenvalues.

    Examples
    --------
    >>> PowerLawSpectrum(np.array([0.0, 1.0]), np.array([1.0, 1.0]), 1.0, 2.0, 1).n_null
    1
    """

    eigenvalues: np.ndarray
    amplitudes: np.ndarray
    b: float
    a: float
    n_null: int


@st.composite
def power_law_spectra(
    draw: st.DrawFn,
    *,
    n_min: int = 1,
    n_max: int = 200,
    b_min: float = 0.5,
    b_max: float = 3.0,
    max_null: int = 3,
    exponents: st.SearchStrategy[ConventionAExponents] | None = None,
) -> PowerLawSpectrum:
    r"""Finite positive spectra with a power-law tail, plus up to ``max_null`` zero eigenvalues.

    .. math::  \lambda_k = \lambda_1 k^{-b} e^{u_k},\quad |u_k| \le 0.05,\qquad
               a_k = \pm k^{-(a-b)/2} e^{w_k},\quad |w_k| \le 0.5,

    :math:`\lambda_1\in[10^{-2}, 10^2]`, ``n`` modes in ``[n_min, n_max]``.  By default ``b`` is a
    float in ``[b_min, b_max]`` and ``a`` in ``[b + 0.1, b + 3]`` (a finite spectrum needs no
    trace-class condition).  Pass ``exponents=convention_a_exponents()`` to draw ``(a, b)`` in
    Convention A's region instead (the spectra whose continuum limit is GRSD-S8c's
    :math:`g_0 = \lambda^{(a-1)/b - 1}/b`).  The jitter keeps the spectrum simple (no ties)
    while the log-log slope stays ``-b``.

    Parameters
    ----------
    draw
        Supplied by Hypothesis.
    n_min, n_max : int
        Range of the number of modes.
    b_min, b_max : float
        Range of ``b``.
    max_null : int
        Most leading zero eigenvalues.
    exponents : SearchStrategy or None
        Draws ``(a, b)`` instead (e.g. :func:`convention_a_exponents`).

    Returns
    -------
    hypothesis.strategies.SearchStrategy
        Spectra as :class:`PowerLawSpectrum` (floats).

    Examples
    --------
    >>> from hypothesis import given
    >>> @given(power_law_spectra(n_max=20))
    ... def check(spec):
    ...     assert spec.eigenvalues.shape == spec.amplitudes.shape
    ...     assert (spec.eigenvalues >= 0).all() and (spec.eigenvalues == 0).sum() == spec.n_null
    >>> check()
    """
    n = draw(st.integers(n_min, n_max))
    if exponents is None:
        b = draw(st.floats(b_min, b_max, allow_nan=False))
        a = draw(st.floats(b + 0.1, b + 3.0, allow_nan=False))
    else:
        ab = draw(exponents)
        a, b = float(ab.a), float(ab.b)
    lam1 = draw(st.floats(1e-2, 1e2))
    n_null = draw(st.integers(0, min(max_null, n)))
    seed = draw(st.integers(0, 2**32 - 1))
    rng = np.random.default_rng(seed)
    m = n - n_null
    k = np.arange(1, m + 1, dtype=float)
    lam = lam1 * k ** (-b) * np.exp(rng.uniform(-0.05, 0.05, m))
    amp = k ** (-(a - b) / 2) * rng.choice([-1.0, 1.0], m) * np.exp(rng.uniform(-0.5, 0.5, m))
    lam = np.concatenate([np.zeros(n_null), lam])
    amp = np.concatenate([rng.standard_normal(n_null), amp])
    return PowerLawSpectrum(lam, amp, float(b), float(a), int(n_null))


def shell_grids(*, h_min: float = 0.05, h_max: float = 2.0, s0_max: float = 3.0) -> st.SearchStrategy[ShellGrid]:
    r"""Valid logarithmic shell grids :math:`s_\alpha = s_0 + \alpha h` (docs/theory/shells.md,
    :class:`grsd_sym.numeric.shells.ShellGrid`): width ``h`` in ``[h_min, h_max]`` (``h > 0``
    required), origin :math:`|s_0| \le` ``s0_max``.  Floats: the grid is numeric (use
    :func:`conventions` with ``grid=True`` for an exact ``(h, s0)``).

    Parameters
    ----------
    h_min, h_max : float
        Range of the width ``h``.
    s0_max : float
        Bound of ``|s0|``.

    Returns
    -------
    hypothesis.strategies.SearchStrategy
        Grids.

    Examples
    --------
    >>> from hypothesis import given
    >>> @given(shell_grids())
    ... def check(g):
    ...     assert g.h > 0 and abs(g.s0) <= 3.0
    ...     assert g.lower(1) == g.upper(0)      # shells tile the s axis
    >>> check()
    """
    if not 0 < h_min <= h_max:
        raise ValueError(f"shell_grids: need 0 < h_min <= h_max, got {h_min}, {h_max}")
    return st.builds(ShellGrid, st.floats(h_min, h_max, allow_nan=False), st.floats(-s0_max, s0_max, allow_nan=False))


@st.composite
def psd_paths(
    draw: Any, *, n_min: int = 1, n_max: int = 12, max_null: int = 1, rotation_max: float = 2.0, log_range: float = 5.0
) -> SyntheticSystem:
    r"""Smooth symmetric PSD kernel paths :math:`M(t) = U(t)\,\mathrm{diag}(\lambda(t))\,U(t)^T` on ``t in [0, 1]``.

    :math:`U(t) = \exp(tG)U_0` (random antisymmetric ``G`` of size up to ``rotation_max``, Haar
    :math:`U_0`); :math:`\lambda_k(t) = \exp(s_k + r_kt + q_k\sin\omega_kt)`, log-spaced and
    non-crossing on ``[0, 1]``, spanning at most ``log_range`` in :math:`\log\lambda` (so the
    flow :math:`e' = -Me` is not stiff), plus at most ``max_null`` zero modes.  The spectrum of
    the positive part is *simple* at every ``t``: the region where the Hellmann-Feynman/Kato
    formulas (GRSD-T2) and the mode equations (GRSD-T3) hold, with finite coefficients
    :math:`1/(\lambda_j - \lambda_k)`.  See :func:`grsd_sym.numeric.synthetic.random_system`.

    Parameters
    ----------
    draw
        Supplied by Hypothesis.
    n_min, n_max : int
        Range of the size.
    max_null : int
        Most null modes.
    rotation_max : float
        Size bound of the rotation generator.
    log_range : float
        Spread of the log-eigenvalues.

    Returns
    -------
    hypothesis.strategies.SearchStrategy
        Paths as :class:`~grsd_sym.numeric.synthetic.SyntheticSystem`.

    Examples
    --------
    >>> from hypothesis import given
    >>> @given(psd_paths(n_max=5))
    ... def check(system):
    ...     M = system(0.5)
    ...     assert np.allclose(M, M.T) and np.linalg.eigvalsh(M).min() > -1e-12
    >>> check()
    """
    n = draw(st.integers(n_min, n_max))
    null = draw(st.integers(0, min(max_null, n - 1))) if n > 1 else 0
    seed = draw(st.integers(0, 2**32 - 1))
    rot = draw(st.floats(0.0, rotation_max, allow_nan=False))
    spacing = draw(st.floats(0.2, 1.0))
    spacing = min(spacing, log_range / max(n - null - 1, 1) / 1.1)
    s_min = draw(st.floats(-3.0, -1.0))
    return random_system(
        n,
        seed=seed,
        rotation_scale=rot,
        spacing=spacing,
        drift=0.1 * spacing,
        wiggle=0.05 * spacing,
        null=null,
        s_min=s_min,
    )


def error_vectors(n: int, *, scale: float = 10.0) -> st.SearchStrategy[np.ndarray]:
    r"""Finite error vectors :math:`e\in[-\text{scale}, \text{scale}]^n` (initial conditions of
    :math:`e' = -\eta M e`).

    Parameters
    ----------
    n : int
        Length.
    scale : float
        Bound of each entry.

    Returns
    -------
    hypothesis.strategies.SearchStrategy
        Of ``numpy.ndarray``.

    Examples
    --------
    >>> from hypothesis import given
    >>> @given(error_vectors(3))
    ... def check(e):
    ...     assert e.shape == (3,) and np.isfinite(e).all()
    >>> check()
    """
    return st.lists(st.floats(-scale, scale, allow_nan=False), min_size=n, max_size=n).map(
        lambda xs: np.array(xs, dtype=float)
    )
