r"""The literature convention translator: power-law spectra <-> GRSD continuum ``(kappa, A, d)``.

Every literature convention of docs/conventions.md describes a problem by two sequences over a mode
index :math:`k = 1, 2, \dots`: the eigenvalues :math:`\lambda_k` and the *energy in mode k*
:math:`E_k` (the mode's share of the initial loss).  Gradient flow on the squared loss makes the
mode's error decay as :math:`e^{-\lambda_k t}`, so its energy decays as :math:`e^{-2\lambda_k t}`:
every literature convention has **dissipation factor** :math:`d = 2`, and the loss is

.. math::  L(t) = \sum_k E_k\, e^{-2\lambda_k t}.

The GRSD continuum (GRSD-S8c) replaces the sum by an integral over :math:`\lambda`
(sum-to-integral limit, valid for the slowly varying tail :math:`k \to \infty`, i.e.
:math:`\lambda \to 0`, that controls the large-``t`` loss):

.. math::  E_k\,dk = g_0(\lambda)\,d\lambda, \qquad
           g_0(\lambda) = E_{k(\lambda)} \left|\frac{dk}{d\lambda}\right|
           = A\,\lambda^{\kappa-1}.

:func:`continuum_map` *computes* this change of variables with SymPy for each convention: it
inverts :math:`\lambda = \lambda(k)` with ``solve`` (keeping only the positive real root, checked
by substitution: ``solve`` also returns complex branches), forms :math:`g_0`, and reads off

.. math::  \kappa = 1 + \lambda\,\partial_\lambda \log g_0, \qquad A = g_0\,\lambda^{1-\kappa},

asserting both are free of :math:`\lambda` (a convention that is not a pure power law is rejected).
It also reads off the mode-counting exponent :math:`b_{\rm modes} = -k\,\partial_k\log\lambda_k`
(a finite model of :math:`N` modes resolves down to :math:`\lambda_{\min} = \lambda_N =
N^{-b_{\rm modes}}`; needed for the size and compute results of section 8).

The conventions (power laws stated with unit prefactors, as the papers write them; ``~`` is
read as ``=``):

* ``bordelon2024`` -- Convention A (Bordelon, Atanasov, Pehlevan 2024, arXiv 2402.01092):
  :math:`\lambda_k = k^{-b}`, task power :math:`E_k = \lambda_k w_k^2 = k^{-a}`; region
  :math:`b > 1` (trace-class spectrum), :math:`a > 1` (finite target energy).
* ``source-capacity`` (Caponnetto and De Vito 2007; Cui et al. 2021): :math:`\eta_k = k^{-\alpha}`,
  :math:`E_k = \theta_k^2\eta_k = k^{-(1 + 2\alpha r)}`; region capacity :math:`\alpha > 1`,
  source :math:`r > 0`.
* ``paquette2024`` (Paquette, Paquette, Xiao, Pennington 2024, arXiv 2405.15074): data covariance
  eigenvalues :math:`\lambda_j = j^{-2\alpha}`, target coefficients :math:`b_j = j^{-\beta}`.
  The population risk is :math:`\mathbb E_x(\langle x, \theta\rangle - \langle x, b\rangle)^2
  = \sum_j \lambda_j(\theta_j - b_j)^2`, so at :math:`\theta = 0` the **energy in mode j is**
  :math:`E_j = \lambda_j b_j^2 = j^{-2\alpha - 2\beta}` (the coefficient is weighted by the
  covariance eigenvalue, not :math:`b_j^2` alone).  Region :math:`2\alpha > 1` (trace class: the
  infinite-dimensional limit; the paper also treats :math:`1/4 < \alpha \le 1/2` at finite data
  dimension, which is outside this translator) and :math:`2\alpha + 2\beta > 1` (finite energy).
* ``lin2024`` (Lin, Wu, Kakade, Bartlett, Lee 2024, arXiv 2406.08466): :math:`\lambda_k = k^{-a}`
  and an isotropic Gaussian prior :math:`w^*\sim\mathcal N(0, I)` on the target, so the expected
  energy per mode is :math:`E_k = \lambda_k\,\mathbb E (w^*_k)^2 = \lambda_k = k^{-a}` (energy
  proportional to the eigenvalue); region :math:`a > 1`.
* ``grsd`` -- the continuum itself: :math:`g_0(\lambda) = A\lambda^{\kappa-1}`, dissipation
  ``d``; region :math:`\kappa > 0, A > 0, d > 0`.

:func:`from_grsd` inverts the map (SymPy ``solve`` on :math:`\kappa(p) = \kappa, A(p) = A`, every
root substituted back); ``lin2024`` has one parameter for two data, so only the line
:math:`A = 1 - \kappa` is representable.  A GRSD problem with ``d != 2`` is the same physics as a
literature problem observed at time :math:`t_{\rm lit} = t\, d/2` (GRSD-T1); the factor is
returned as ``time_factor``.  Exponents are invariant.

>>> from grsd_sym.literature import to_grsd, from_grsd
>>> c = to_grsd("bordelon2024", a=3, b=2)
>>> (c.kappa, c.A, c.d, c.modes_b)
(1, 1/2, 2, 2)
>>> from_grsd("source-capacity", kappa=c.kappa, A=c.A).params
{'alpha': 2, 'r': 1/2}
"""

from __future__ import annotations

import dataclasses
import functools
import math
from collections.abc import Mapping, Sequence
from typing import Any

import sympy as sp

from grsd_sym.errors import ConventionError, DerivationError, InputError, RegionError
from grsd_sym.symbols import A as _A
from grsd_sym.symbols import d as _d
from grsd_sym.symbols import k, lam
from grsd_sym.symbols import kappa as _kappa

__all__ = [
    "NAMES",
    "LiteratureConvention",
    "ContinuumData",
    "ContinuumMap",
    "Translation",
    "CONVENTIONS",
    "get_convention",
    "continuum_map",
    "to_grsd",
    "from_grsd",
    "translate",
    "parse_value",
    "solve_power_balance",
]

# convention parameters (each convention's own symbols; positive so power rules apply); the mode
# index k, the eigenvalue lambda and the continuum data kappa, A, d are the theory's (grsd_sym.symbols)
_a, _b, _alpha, _r, _beta = sp.symbols("a b alpha r beta", positive=True)


def _gt(lhs, rhs) -> sp.Basic:
    """An unevaluated ``lhs > rhs`` (``Gt`` of a positive symbol and 0 would collapse to True)."""
    return sp.Gt(lhs, rhs, evaluate=False)


#: dissipation factor of every literature convention (energy of a mode decays as exp(-2 lambda t))
LITERATURE_D = sp.Integer(2)


@dataclasses.dataclass(frozen=True)
class LiteratureConvention:
    r"""A literature convention: mode sequences :math:`\lambda_k`, :math:`E_k` and the region (GRSD-S8c).

    Attributes
    ----------
    name : str
        Key in :data:`CONVENTIONS`.
    params : tuple of sympy.Symbol
        The parameters (their names are the CLI flags).
    eigenvalue, energy : sympy.Expr
        :math:`\lambda_k` and :math:`E_k` in :data:`k` and the parameters.
    region : tuple
        ``(relation, text)`` pairs that must hold.
    definition, source : str
        The convention in words and its reference.

    Examples
    --------
    >>> get_convention("bordelon2024").param_names
    ('a', 'b')
    """

    name: str
    params: tuple[sp.Symbol, ...]
    eigenvalue: sp.Expr
    energy: sp.Expr
    region: tuple[tuple[Any, str], ...]
    definition: str
    source: str

    @property
    def param_names(self) -> tuple[str, ...]:
        """The parameters' names."""
        return tuple(p.name for p in self.params)

    def check_region(self, values: Mapping[sp.Symbol, Any]) -> None:
        """Raise :class:`RegionError` naming the region if ``values`` are outside it."""
        for rel, text in self.region:
            # substitute all values at once: a sequential subs evaluates e.g. 2 + 2 beta > 1 with
            # the positive symbol beta to True before beta = -1/2 is substituted
            vals = {sym: sp.sympify(v, strict=True) for sym, v in values.items()}
            ok = rel.func(rel.lhs.xreplace(vals), rel.rhs.xreplace(vals))
            if ok is not sp.true:
                given = ", ".join(f"{p.name}={values[p]}" for p in self.params if p in values)
                raise RegionError(
                    f"{self.name}: {given} is outside the region where the convention is defined: needs {text}"
                )


def _lit(name, params, eigenvalue, energy, region, definition, source) -> LiteratureConvention:
    return LiteratureConvention(name, tuple(params), eigenvalue, energy, tuple(region), definition, source)


#: the literature conventions of docs/conventions.md, from their definitions
CONVENTIONS: dict[str, LiteratureConvention] = {
    c.name: c
    for c in [
        _lit(
            "bordelon2024",
            (_a, _b),
            k**-_b,
            k**-_a,
            [
                (_gt(_b, 1), "b > 1 (trace-class spectrum lambda_k = k^-b)"),
                (_gt(_a, 1), "a > 1 (finite target energy, task power k^-a)"),
            ],
            "lambda_k = k^-b, task power lambda_k w_k^2 = k^-a",
            "Bordelon, Atanasov, Pehlevan 2024, arXiv 2402.01092 (Convention A)",
        ),
        _lit(
            "source-capacity",
            (_alpha, _r),
            k**-_alpha,
            k ** -(1 + 2 * _alpha * _r),
            [(_gt(_alpha, 1), "alpha > 1 (capacity)"), (_gt(_r, 0), "r > 0 (source)")],
            "eta_k = k^-alpha, theta_k^2 eta_k = k^-(1 + 2 alpha r)",
            "Caponnetto and De Vito 2007; Cui et al. 2021",
        ),
        _lit(
            "paquette2024",
            (_alpha, _beta),
            k ** (-2 * _alpha),
            k ** (-2 * _alpha) * (k**-_beta) ** 2,
            [
                (_gt(2 * _alpha, 1), "2 alpha > 1 (trace-class covariance, infinite dimension)"),
                (_gt(2 * _alpha + 2 * _beta, 1), "2 alpha + 2 beta > 1 (finite target energy)"),
            ],
            "covariance eigenvalues j^(-2 alpha), target b_j = j^-beta, energy lambda_j b_j^2",
            "Paquette, Paquette, Xiao, Pennington 2024, arXiv 2405.15074",
        ),
        _lit(
            "lin2024",
            (_a,),
            k**-_a,
            k**-_a * 1,
            [(_gt(_a, 1), "a > 1 (summable spectrum k^-a)")],
            "lambda_k = k^-a, prior w* ~ N(0, I): energy E[lambda_k w_k^2] = lambda_k",
            "Lin, Wu, Kakade, Bartlett, Lee 2024, arXiv 2406.08466",
        ),
    ]
}

#: every convention name the translator knows (the GRSD continuum last)
NAMES: tuple[str, ...] = (*tuple(CONVENTIONS), "grsd")

GRSD_PARAMS = (_kappa, _A, _d)
GRSD_REGION = (
    (_gt(_kappa, 0), "kappa > 0 (finite initial energy near lambda = 0)"),
    (_gt(_A, 0), "A > 0"),
    (_gt(_d, 0), "d > 0"),
)


def get_convention(name: str) -> LiteratureConvention:
    """The literature convention called ``name`` (ConventionError naming the valid ones).

    Parameters
    ----------
    name : str
        One of :data:`NAMES` other than ``grsd``.

    Returns
    -------
    LiteratureConvention
        From :data:`CONVENTIONS`.

    Raises
    ------
    ConventionError
        Naming the valid ones.

    Examples
    --------
    >>> get_convention("lin2024").param_names
    ('a',)
    """
    try:
        return CONVENTIONS[name]
    except KeyError:
        raise ConventionError(f"unknown convention {name!r}; valid: {', '.join(NAMES)}") from None


#: bound on the magnitude of an exact parameter (1e400 is not a scaling exponent)
MAX_EXACT = 10**12


def parse_value(value: Any, name: str = "value") -> sp.Rational | sp.Expr:
    """Parse a parameter exactly: ``'3/2'``, ``'0.34'`` (-> ``17/50``), ``2``, ``'1e-3'``.

    Floats are converted through their decimal repr (``0.34`` -> ``17/50``), never bit-exactly.
    Numeric SymPy expressions (``'sqrt(2)'``) are accepted; symbols are not.

    Parameters
    ----------
    value : number, str or SymPy number
        The value.
    name : str
        Its name in messages.

    Returns
    -------
    sympy.Expr
        Exact (Rational or numeric expression).

    Raises
    ------
    InputError
        On text that is not a number, a symbol or a value beyond :data:`MAX_EXACT`.

    Examples
    --------
    >>> parse_value("0.34"), parse_value(0.1), parse_value("3/2")
    (17/50, 1/10, 3/2)
    """
    if isinstance(value, sp.Basic):
        val = value
    elif isinstance(value, bool):
        raise InputError(f"{name} must be a number, got {value!r}")
    elif isinstance(value, int):
        val = sp.Integer(value)
    elif isinstance(value, float):  # includes numpy floats
        if not math.isfinite(value):
            raise InputError(f"{name} must be finite, got {value!r}")
        val = sp.Rational(repr(float(value)))
    elif isinstance(value, str):
        text = value.strip()
        from grsd_sym.parsing import parse_expression, parse_number

        try:
            val = parse_number(text, name=name)
        except InputError:
            try:  # numeric forms such as sqrt(2)
                val = parse_expression(text, symbols={}, name=name)
            except InputError as exc:
                why = str(exc).split("; valid:")[0].removeprefix(f"{name}: ")
                raise InputError(
                    f"{name} must be a number like 3/2, 0.34 or 1e-3, or a numeric expression such as sqrt(2) ({why})"
                ) from None
    else:
        raise InputError(f"{name} must be a number, got {type(value).__name__}")
    if not isinstance(val, sp.Expr) or not val.is_number:
        raise InputError(f"{name} must be a number (like 3/2 or 0.34), got {value!r}")
    if val.is_real is not True or not val.is_finite:
        raise InputError(f"{name} must be a finite real number, got {value!r}")
    if val.is_Rational and abs(val) > MAX_EXACT:
        # e.g. 1e400: exact Gamma/powers of such numbers exhaust the recursion limit or memory
        raise InputError(f"{name} = {value!r} is too large: exact parameters need |{name}| <= {MAX_EXACT:.0e}")
    return val


# --------------------------------------------------------------------------------------
# the sum-to-integral map, computed
# --------------------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class ContinuumMap:
    r"""The symbolic result of :func:`continuum_map` for one convention (GRSD-S8c).

    Attributes
    ----------
    k_of_lambda, g0 : sympy.Expr
        The inverse mode map :math:`k(\lambda)` and :math:`g_0(\lambda)`.
    kappa, A : sympy.Expr
        :math:`g_0 = A\lambda^{\kappa-1}`.
    modes_b, energy_exponent : sympy.Expr
        :math:`\lambda_k = k^{-b}` and :math:`E_k \propto k^{-e}`.

    Examples
    --------
    >>> continuum_map(k**-2, k**-3).kappa
    1
    """

    k_of_lambda: sp.Expr
    g0: sp.Expr
    kappa: sp.Expr
    A: sp.Expr
    modes_b: sp.Expr
    energy_exponent: sp.Expr


def _free_of(expr: sp.Expr, var: sp.Symbol, what: str) -> sp.Expr:
    e = sp.factor(sp.powsimp(sp.expand(expr), force=True))
    if e.has(var):
        e = sp.simplify(e)
    if e.has(var):
        raise DerivationError(f"{what} depends on {var}: {e}; the convention is not a pure power law")
    return e


def _exp_of_logs(u: sp.Expr) -> sp.Expr:
    """``exp(u)`` with ``u = sum_i c_i log(X_i) + c_0`` written as ``exp(c_0) prod X_i^c_i``."""
    out = sp.Integer(1)
    for term in sp.Add.make_args(sp.expand(u)):
        logs = [f for f in sp.Mul.make_args(term) if isinstance(f, sp.log)]
        if len(logs) == 1:
            out *= logs[0].args[0] ** sp.cancel(term / logs[0])
        else:
            out *= sp.exp(term)
    return out


def solve_power_balance(lhs: sp.Expr, rhs: sp.Expr, var: sp.Symbol) -> sp.Expr:
    r"""The positive root of ``lhs = rhs`` where both sides are products of powers (positive
    symbols): SymPy ``solve`` in log coordinates, where the equation is linear in
    :math:`u = \log(\mathrm{var})`; the root is substituted back and must make
    ``lhs - rhs`` vanish to 40 digits at random rational points (mpmath).

    Solving in log coordinates keeps only the positive real branch: ``solve`` on the equation
    itself also returns complex branches (e.g. ``(-1/sqrt(lambda))**(1/alpha)`` for
    ``lambda = k**(-2 alpha)``) and is slow.

    Parameters
    ----------
    lhs, rhs : sympy.Expr
        Products of powers of ``var``.
    var : sympy.Symbol
        A positive symbol.

    Returns
    -------
    sympy.Expr
        The root.

    Raises
    ------
    DerivationError
        When it is not a power balance or not exactly one root passes.

    Examples
    --------
    >>> x = sp.Symbol("x", positive=True)
    >>> solve_power_balance(x**2, 4 / x, x)
    2**(2/3)
    """
    from grsd_sym.certificate import numeric_witness

    u = sp.Dummy("u", real=True)
    eq = sp.expand_log(sp.log(lhs), force=True) - sp.expand_log(sp.log(rhs), force=True)
    eq = sp.expand(eq).subs(sp.log(var), u)
    if eq.has(var):
        raise DerivationError(f"{lhs} = {rhs} is not a power balance in {var}")
    roots = [_exp_of_logs(r) for r in sp.solve(eq, u, check=False, simplify=False)]
    good = []
    for r in roots:
        try:
            if numeric_witness(lhs.subs(var, r) - rhs.subs(var, r)) >= 40:
                good.append(r)
        except DerivationError:
            continue
    if len(good) != 1:
        raise DerivationError(
            f"solving {lhs} = {rhs} for {var}: solve gave {roots}, {len(good)} pass substitution (need exactly one)"
        )
    return good[0]


def continuum_map(eigenvalue: sp.Expr, energy: sp.Expr, params: Sequence[sp.Symbol] = ()) -> ContinuumMap:
    r"""Compute the GRSD continuum data of a mode spectrum (GRSD-S8c).

    .. math::  g_0(\lambda) = -E_{k(\lambda)}\,\frac{dk}{d\lambda},\quad
               \kappa = 1 + \lambda\,\partial_\lambda\log g_0,\quad A = g_0\lambda^{1-\kappa}.

    ``eigenvalue`` must decrease in :data:`k` (otherwise :class:`DerivationError`).

    Parameters
    ----------
    eigenvalue, energy : sympy.Expr
        :math:`\lambda_k` and :math:`E_k` in :data:`k`.
    params : sequence of sympy.Symbol
        The convention's parameters.

    Returns
    -------
    ContinuumMap
        :math:`k(\lambda)`, :math:`g_0`, :math:`\kappa`, :math:`A` and the exponents.

    Raises
    ------
    DerivationError
        Unless the spectrum is a decreasing power law in :data:`k`.

    Examples
    --------
    >>> continuum_map(k**-2, k**-3).A
    1/2
    """
    k_of_lam = solve_power_balance(eigenvalue, lam, k)
    if not sp.diff(eigenvalue, k).subs(k, k_of_lam).is_negative:
        raise DerivationError(f"eigenvalues {eigenvalue} must decrease in k")
    dk = sp.diff(k_of_lam, lam)
    g0 = sp.powsimp(sp.expand_power_base(-energy.subs(k, k_of_lam) * dk, force=True), force=True)
    kappa = _free_of(1 + lam * sp.diff(sp.expand_log(sp.log(g0), force=True), lam), lam, "kappa")
    A = _free_of(g0 / lam ** (kappa - 1), lam, "A")
    modes_b = _free_of(-k * sp.diff(sp.expand_log(sp.log(eigenvalue), force=True), k), k, "the mode-counting exponent")
    e_exp = _free_of(-k * sp.diff(sp.expand_log(sp.log(energy), force=True), k), k, "the energy exponent")
    return ContinuumMap(k_of_lam, g0, kappa, A, modes_b, e_exp)


@functools.cache
def _symbolic_map(name: str) -> ContinuumMap:
    conv = get_convention(name)
    return continuum_map(conv.eigenvalue, conv.energy, conv.params)


# --------------------------------------------------------------------------------------
# to and from the GRSD continuum
# --------------------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class ContinuumData:
    r"""GRSD continuum data :math:`g_0 = A\lambda^{\kappa-1}`, dissipation ``d`` (GRSD-S8c).

    Attributes
    ----------
    kappa, A, d : sympy.Expr
        The continuum data.
    modes_b : sympy.Expr or None
        Mode-counting exponent (:math:`\lambda_k = k^{-b_{\rm modes}}`), or ``None`` without a mode count.
    source : tuple
        The convention and parameters it was translated from.

    Examples
    --------
    >>> to_grsd("bordelon2024", a=2, b="3/2").to_dict()
    {'kappa': '2/3', 'A': '2/3', 'd': '2', 'modes_b': '3/2'}
    """

    kappa: sp.Expr
    A: sp.Expr
    d: sp.Expr
    modes_b: sp.Expr | None = None
    source: tuple = ("grsd", ())

    def to_dict(self) -> dict:
        """JSON-ready (exact values as text)."""
        return {
            "kappa": str(self.kappa),
            "A": str(self.A),
            "d": str(self.d),
            "modes_b": None if self.modes_b is None else str(self.modes_b),
        }


@dataclasses.dataclass(frozen=True)
class Translation:
    r"""The parameters of ``convention`` for given continuum data (made by :func:`from_grsd`).

    Attributes
    ----------
    convention : str
        The convention.
    params : dict
        Its parameters by name.
    time_factor : sympy.Expr
        :math:`t_{\rm lit} = t\,\mathrm{time\_factor}` (``d/2``; 1 when ``d = 2``).

    Examples
    --------
    >>> translate("bordelon2024", "source-capacity", a=2, b="3/2").params
    {'alpha': 3/2, 'r': 1/3}
    """

    convention: str
    params: dict
    time_factor: sp.Expr


def _values(conv_params, given: Mapping[str, Any], name: str) -> dict:
    names = [p.name for p in conv_params]
    unknown = set(given) - set(names)
    missing = [n for n in names if given.get(n) is None]
    if unknown:
        raise InputError(f"{name} has parameters {', '.join(names)}; got unknown {sorted(unknown)}")
    if missing:
        raise InputError(f"{name} needs parameter(s) {', '.join(missing)}")
    return {p: parse_value(given[p.name], p.name) for p in conv_params}


def to_grsd(name: str, **params: Any) -> ContinuumData:
    """Translate a problem stated in convention ``name`` to GRSD continuum data.

    For ``name="grsd"`` the parameters are ``kappa, A`` and optionally ``d`` (default 2) and
    ``modes_b``.  Values are parsed exactly (:func:`parse_value`).

    Parameters
    ----------
    name : str
        A convention of :data:`NAMES`.
    **params
        Its parameters by name (exact).

    Returns
    -------
    ContinuumData
        ``kappa, A, d`` and the mode count.

    Raises
    ------
    ConventionError, InputError, RegionError
        On an unknown convention, parameter or a value outside the region.

    Examples
    --------
    >>> to_grsd("bordelon2024", a=2, b="3/2").kappa
    2/3
    """
    if name == "grsd":
        modes_b = params.pop("modes_b", None)
        params.setdefault("d", 2)
        vals = _values(GRSD_PARAMS, params, "grsd")
        for rel, text in GRSD_REGION:
            if rel.subs(vals) is not sp.true:
                raise RegionError(f"grsd: {rel.lhs} = {rel.lhs.subs(vals)} is outside the region: needs {text}")
        mb = None
        if modes_b is not None:
            mb = parse_value(modes_b, "modes_b")
            if not mb > 0:
                raise RegionError(
                    f"grsd: mode-counting exponent b = {mb} outside the region b > 0 "
                    f"(eigenvalues lambda_k = k^-b must decrease)"
                )
        return ContinuumData(
            vals[_kappa], vals[_A], vals[_d], mb, ("grsd", tuple((p.name, vals[p]) for p in GRSD_PARAMS))
        )
    conv = get_convention(name)
    vals = _values(conv.params, params, name)
    conv.check_region(vals)
    m = _symbolic_map(name)
    return ContinuumData(
        sp.nsimplify(m.kappa.subs(vals)),
        sp.nsimplify(m.A.subs(vals)),
        LITERATURE_D,
        sp.nsimplify(m.modes_b.subs(vals)),
        (name, tuple((p.name, vals[p]) for p in conv.params)),
    )


@functools.cache
def _symbolic_inverse(name: str) -> tuple[list[dict[Any, Any]], list[int]]:
    """Solve ``kappa(p) = kappa, A(p) = A`` for the convention parameters ``p`` (all roots).

    With fewer parameters than data (``lin2024``) the first equations are solved and the rest
    are left as consistency conditions.  Returns ``(solutions, indices of the solved equations)``.
    """
    conv = get_convention(name)
    m = _symbolic_map(name)
    eqs = [m.kappa - _kappa, m.A - _A]
    n = len(conv.params)
    for first in ([0, 1], [1, 0]):
        chosen = [eqs[i] for i in first[:n]]
        sols = sp.solve(chosen, list(conv.params), dict=True)
        if sols:
            return sols, first[:n]
    raise DerivationError(f"{name}: solve found no inverse of the continuum map")


def from_grsd(name: str, kappa: Any, A: Any, d: Any = 2) -> Translation:
    """Parameters of literature convention ``name`` describing ``g0 = A lambda^(kappa-1)``.

    Every root returned by ``solve`` is substituted back (both data, exactly) and must lie in
    the convention's region; otherwise :class:`RegionError` says why.

    Parameters
    ----------
    name : str
        The target convention.
    kappa, A, d : number or str
        Continuum data.

    Returns
    -------
    Translation
        The parameters, exact, and the time factor.

    Raises
    ------
    RegionError
        When convention ``name`` cannot represent ``(kappa, A)``.

    Examples
    --------
    >>> from_grsd("bordelon2024", "2/3", "2/3").params
    {'a': 2, 'b': 3/2}
    """
    kv, Av, dv = (parse_value(x, n) for x, n in ((kappa, "kappa"), (A, "A"), (d, "d")))
    for rel, text in GRSD_REGION:
        if rel.subs({_kappa: kv, _A: Av, _d: dv}) is not sp.true:
            raise RegionError(f"grsd data outside the region: needs {text}")
    if name == "grsd":
        return Translation("grsd", {"kappa": kv, "A": Av, "d": dv}, sp.Integer(1))
    conv = get_convention(name)
    m = _symbolic_map(name)
    sols, _ = _symbolic_inverse(name)
    found = []
    for sol in sols:
        vals = {p: sp.nsimplify(sp.simplify(sol[p].subs({_kappa: kv, _A: Av}))) for p in conv.params}
        if any(not (v.is_real and v.is_finite) for v in vals.values()):
            continue
        # substitute back: both data must be reproduced exactly
        if sp.simplify(m.kappa.subs(vals) - kv) != 0 or sp.simplify(m.A.subs(vals) - Av) != 0:
            continue
        found.append(vals)
    if not found:
        raise RegionError(
            f"{name} cannot represent kappa={kv}, A={Av}: its continuum data are kappa = {m.kappa}, A = {m.A}"
        )
    vals = found[0]
    conv.check_region(vals)
    return Translation(name, {p.name: v for p, v in vals.items()}, dv / LITERATURE_D)


def translate(frm: str, to: str, **params: Any) -> Translation:
    """Restate a problem given in convention ``frm`` in convention ``to`` (via the continuum).

    Parameters
    ----------
    frm, to : str
        The two conventions.
    **params
        Parameters of ``frm``.

    Returns
    -------
    Translation
        In the target convention.

    Examples
    --------
    >>> translate("bordelon2024", "paquette2024", a=2, b="3/2").params
    {'alpha': 3/4, 'beta': 1/4}
    """
    cd = to_grsd(frm, **params)
    return from_grsd(to, cd.kappa, cd.A, cd.d)
