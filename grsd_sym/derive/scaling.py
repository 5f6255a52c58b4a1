r"""Model size, data and compute: truncated spectra and compute-optimal allocation (docs/theory/scaling.md).

**Truncated spectrum (GRSD-S8a).**  A model of :math:`N` modes with eigenvalues
:math:`\lambda_k = k^{-b}` resolves only :math:`\lambda \ge \lambda_{\min} = N^{-b}`; the energy
below :math:`\lambda_{\min}` is never learned.  With :math:`g_0 = A\lambda^{\kappa-1}`, no
transport, and :math:`\lambda_{\max} = \infty` the exact continuum loss is

.. math::  L(t, N) = \int_{\lambda_{\min}}^{\infty} A\lambda^{\kappa-1}e^{-d\lambda t}\,d\lambda
                   + \int_0^{\lambda_{\min}} A\lambda^{\kappa-1}\,d\lambda
                   = A\,(d t)^{-\kappa}\,\Gamma(\kappa, d t\lambda_{\min})
                   + \frac{A}{\kappa}\lambda_{\min}^{\kappa},

with the upper incomplete gamma function; its floor is :math:`L(\infty, N) = (A/\kappa)
N^{-b\kappa}` (:math:`= N^{-(a-1)}/(a-1)` in Convention A).  The two-term form

.. math::  L(t, N) \simeq A_1 t^{-x} + A_2 N^{-y},\quad A_1 = A\Gamma(\kappa)d^{-\kappa},\ x = \kappa,
           \quad A_2 = A/\kappa,\ y = b\kappa

has the exact form's two limits: with :math:`z = dt\lambda_{\min}`, for :math:`z\to 0` the exact loss is
:math:`A_1t^{-x}(1 + O(z^{\kappa+1}))` (the floor is cancelled by the not-yet-learned modes
just above :math:`\lambda_{\min}`) and the added :math:`A_2N^{-y}` is :math:`O(z^\kappa)` relative;
for :math:`z\to\infty` the exact loss tends to :math:`A_2N^{-y}`.  Near :math:`z = O(1)` (where the
compute optimum lies) the constants differ, the exponents do not.

The exact form is scale covariant, :math:`L(s^b t, sN) = s^{-b\kappa}L(t, N)`, so the compute
exponents below hold for it exactly too (with different constants).

**Compute-optimal allocation (GRSD-S8b).**  With :math:`C = N t`, minimising
:math:`A_1 (C/N)^{-x} + A_2 N^{-y}` over :math:`N` (SymPy ``solve`` on the stationarity
condition, the root substituted back):

.. math::  N^* = \Big(\frac{y A_2}{x A_1}\Big)^{\frac{1}{x+y}} C^{\frac{x}{x+y}},\quad
           t^* = C/N^* \propto C^{\frac{y}{x+y}},\quad L^* \propto C^{-\frac{xy}{x+y}},

i.e. in Convention A :math:`N^*\propto C^{1/(1+b)}`, :math:`L^*\propto C^{-(a-1)/(1+b)}`.
The Chinchilla form :math:`E + A/N^\alpha + B/D^\beta` with :math:`C = 6ND` gives
:math:`N^* = G(C/6)^{\beta/(\alpha+\beta)}`, :math:`D^* = G^{-1}(C/6)^{\alpha/(\alpha+\beta)}`,
:math:`G = (\alpha A/(\beta B))^{1/(\alpha+\beta)}`, :math:`L^* - E\propto C^{-\alpha\beta/(\alpha+\beta)}`.

Numeric kernels: :func:`mode_sum_loss` evaluates the *discrete* loss
:math:`\sum_{k\le N}k^{-a}e^{-d t k^{-b}} + \sum_{k>N}k^{-a}` by an explicit head sum plus an
Euler-Maclaurin tail with a quadrature integral (never bare ``mpmath.nsum``, docs/theory/traps.md);
:func:`truncated_loss_numeric` evaluates the continuum form with mpmath.

>>> from grsd_sym.derive.scaling import compute_optimal
>>> co = compute_optimal(x=1, y=2, A1=1, A2=1)
>>> co.n_exponent, co.t_exponent, co.exponent
(1/3, 2/3, 2/3)
"""

from __future__ import annotations

import dataclasses
import functools
from typing import Any

import mpmath
import numpy as np
import sympy as sp

from grsd_sym.derive.frontier import lazy_loss as lazy_loss  # GRSD-T13, its one home
from grsd_sym.errors import DerivationError, InputError, RegionError

__all__ = [
    "lazy_loss",
    "truncated_loss",
    "size_floor",
    "loss_t_N",
    "power_law_terms",
    "stationary_point",
    "symbolic_compute_optimal",
    "symbolic_chinchilla_optimal",
    "ComputeOptimal",
    "compute_optimal",
    "ChinchillaOptimal",
    "chinchilla_optimal",
    "mode_sum_loss",
    "truncated_loss_numeric",
]

_x, _y, _A1, _A2 = sp.symbols("x y A_1 A_2", positive=True)
_N, _C, _t, _D = sp.symbols("N C t D", positive=True)
_al, _be, _Ach, _Bch, _E = sp.symbols("alpha beta A B E", positive=True)


def _num(value: Any, name: str) -> sp.Expr:
    from grsd_sym.literature import parse_value

    return parse_value(value, name)


def _positive(value: Any, name: str, region: str) -> sp.Expr:
    v = _num(value, name) if not isinstance(value, sp.Symbol) else value
    if v.is_positive is False:
        raise RegionError(f"{name} = {v} is outside the region {region}")
    return v


# --------------------------------------------------------------------------------------
# the truncated-spectrum loss
# --------------------------------------------------------------------------------------


def truncated_loss(kappa: Any, A: Any, d: Any, t: Any, lam_min: Any) -> sp.Expr:
    r"""Exact continuum loss of a spectrum truncated below ``lam_min`` (GRSD-S8a).

    .. math::  L = A(dt)^{-\kappa}\Gamma(\kappa, dt\lambda_{\min}) + \frac{A}{\kappa}\lambda_{\min}^\kappa

    Parameters
    ----------
    kappa, A, d : number or SymPy expression
        Spectrum exponent and amplitude, dissipation factor.
    t, lam_min : number or SymPy expression
        Time and the smallest resolved eigenvalue.

    Returns
    -------
    sympy.Expr
        :math:`L(t)` with the floor.

    Examples
    --------
    >>> truncated_loss(sp.Integer(2), 1, 1, 1, 0)  # lazy: A Gamma(kappa) (d t)^-kappa
    1
    """
    return A * (d * t) ** (-kappa) * sp.uppergamma(kappa, d * t * lam_min) + size_floor(kappa, A, lam_min)


def size_floor(kappa: Any, A: Any, lam_min: Any) -> sp.Expr:
    r"""Unresolved energy :math:`\int_0^{\lambda_{\min}}A\lambda^{\kappa-1}d\lambda = A\lambda_{\min}^\kappa/\kappa`.

    Parameters
    ----------
    kappa, A : number or SymPy expression
        Spectrum exponent and amplitude.
    lam_min : number or SymPy expression
        Smallest resolved eigenvalue.

    Returns
    -------
    sympy.Expr
        :math:`A\lambda_{\min}^\kappa/\kappa`.

    Examples
    --------
    >>> size_floor(2, 3, sp.Rational(1, 2))
    3/8
    """
    return A * lam_min**kappa / kappa


def power_law_terms(kappa: Any, A: Any, d: Any, modes_b: Any) -> tuple[sp.Expr, sp.Expr, sp.Expr, sp.Expr]:
    r"""``(A1, x, A2, y)`` of :math:`L(t,N)\simeq A_1t^{-x} + A_2N^{-y}` (GRSD-S8a):
    :math:`A_1 = A\Gamma(\kappa)d^{-\kappa}, x = \kappa, A_2 = A/\kappa, y = b\kappa`.

    Parameters
    ----------
    kappa, A, d : number or SymPy expression
        Spectrum exponent and amplitude, dissipation factor.
    modes_b : number or SymPy expression
        Mode-counting exponent (:math:`\lambda_k = k^{-b}`).

    Returns
    -------
    tuple
        ``(A1, x, A2, y)``.

    Examples
    --------
    >>> power_law_terms(sp.Integer(1), 1, 2, 2)
    (1/2, 1, 1, 2)
    """
    return A * sp.gamma(kappa) * d ** (-kappa), kappa, A / kappa, modes_b * kappa


def loss_t_N(kappa: Any, A: Any, d: Any, modes_b: Any, t: Any, N: Any, *, exact: bool = True) -> sp.Expr:
    r""":math:`L(t, N)` with :math:`\lambda_{\min} = N^{-b}`: the exact incomplete-gamma form,
    or (``exact=False``) its two-term asymptotic form :math:`A_1t^{-x} + A_2N^{-y}` (GRSD-S8a).

    Parameters
    ----------
    kappa, A, d, modes_b : number or SymPy expression
        As for :func:`power_law_terms`.
    t, N : number or SymPy expression
        Time and number of modes.
    exact : bool
        Incomplete-gamma form (else the two-term form).

    Returns
    -------
    sympy.Expr
        :math:`L(t, N)`.

    Examples
    --------
    >>> from grsd_sym.symbols import N, t
    >>> loss_t_N(sp.Integer(1), 1, 2, 2, t, N, exact=False)
    1/(2*t) + N**(-2)
    """
    if exact:
        return truncated_loss(kappa, A, d, t, N ** (-modes_b))
    A1, x, A2, y = power_law_terms(kappa, A, d, modes_b)
    return A1 * t ** (-x) + A2 * N ** (-y)


# --------------------------------------------------------------------------------------
# compute-optimal allocation
# --------------------------------------------------------------------------------------


def _as_power_law(expr: sp.Expr, var: sp.Symbol) -> tuple[sp.Expr, sp.Expr]:
    """``(G, e)`` with ``expr = G var^e``: every term is brought to the form ``c var^e_i``
    (power rules valid for the positive symbols used here) and the ``e_i`` must agree."""
    e = sp.expand(sp.powdenest(sp.expand_power_base(sp.sympify(expr, strict=True), force=True), force=True), force=True)
    coef, expo = sp.Integer(0), None
    for term in sp.Add.make_args(e):
        ind, dep = term.as_independent(var, as_Add=False)
        dep = sp.powsimp(dep, force=True)
        base, ex = dep.as_base_exp() if dep != 1 else (var, sp.Integer(0))
        if base != var or ex.has(var):
            raise DerivationError(f"{expr} is not a power law in {var} (term {term})")
        if expo is None:
            expo = sp.factor(sp.cancel(ex))
        elif sp.cancel(ex - expo) != 0:
            raise DerivationError(f"{expr} mixes powers {expo} and {ex} of {var}")
        coef += ind
    if expo is None:
        raise DerivationError(f"{expr} is not a power law in {var}")
    return sp.powsimp(coef, force=True), expo


def stationary_point(L: sp.Expr, var: sp.Symbol) -> tuple[sp.Expr, sp.Expr]:
    r"""The stationary point of ``L`` in ``var > 0``, found by SymPy ``solve`` and checked.

    The stationarity condition :math:`N\,\partial_N L = P N^p - Q N^q = 0` (two power terms of
    opposite sign, positive symbols) is the power balance :math:`P N^p = Q N^q`, solved by
    :func:`grsd_sym.literature.solve_power_balance` (SymPy ``solve`` in log coordinates, every
    root substituted back into the balance, exactly one must remain).  The root is substituted
    into :math:`\partial_N L` once more here; the proof GRSD-S8b also shows that residual is
    symbolically zero.  Returns ``(root, dL/dvar)``.

    Parameters
    ----------
    L : sympy.Expr
        The loss, a sum of powers of ``var``.
    var : sympy.Symbol
        The positive variable.

    Returns
    -------
    tuple
        ``(root, dL/dvar)``.

    Raises
    ------
    DerivationError
        When the stationarity is not a balance of two power terms or the root fails the check.

    Examples
    --------
    >>> n = sp.Symbol("N", positive=True)
    >>> stationary_point(n + 1 / n, n)
    (1, 1 - 1/N**2)
    """
    from grsd_sym.certificate import numeric_witness
    from grsd_sym.literature import solve_power_balance

    dL = sp.diff(L, var)
    terms = sp.Add.make_args(sp.expand(var * dL))
    pos = [t_ for t_ in terms if t_.is_positive]
    neg = [t_ for t_ in terms if t_.is_negative]
    if len(terms) != 2 or len(pos) != 1 or len(neg) != 1:
        raise DerivationError(f"stationarity of {L} in {var} is not a balance of two power terms")
    root = solve_power_balance(pos[0], -neg[0], var)
    if numeric_witness(dL.subs(var, root)) < 40:
        raise DerivationError(f"stationary point {root} fails substitution into dL/d{var}")
    return root, dL


@dataclasses.dataclass(frozen=True)
class _SymbolicOptimum:
    L: sp.Expr
    stationarity: sp.Expr
    N_star: sp.Expr
    other_star: sp.Expr
    L_star: sp.Expr
    n_exponent: sp.Expr
    other_exponent: sp.Expr
    exponent: sp.Expr
    prefactor: sp.Expr
    N_prefactor: sp.Expr


def _optimum(L: sp.Expr, other_of_N: sp.Expr, reducible_shift=0) -> _SymbolicOptimum:
    Ns, dL = stationary_point(L, _N)
    other = other_of_N.subs(_N, Ns)
    Ls = L.subs(_N, Ns)
    GN, n_exp = _as_power_law(Ns, _C)
    _, o_exp = _as_power_law(other, _C)
    GL, l_exp = _as_power_law(Ls - reducible_shift, _C)
    return _SymbolicOptimum(L, dL, Ns, other, Ls, n_exp, o_exp, sp.factor(-l_exp), GL, GN)


@functools.cache
def symbolic_compute_optimal() -> _SymbolicOptimum:
    r"""The general power-law optimum, derived once with symbols ``x, y, A_1, A_2, C``.

    Returns
    -------
    _SymbolicOptimum
        ``L, stationarity, N_star, other_star, L_star`` and their exponents and prefactors.

    Examples
    --------
    >>> symbolic_compute_optimal().exponent
    x*y/(x + y)
    """
    return _optimum(_A1 * (_C / _N) ** (-_x) + _A2 * _N ** (-_y), _C / _N)


@functools.cache
def symbolic_chinchilla_optimal() -> _SymbolicOptimum:
    r"""The Chinchilla optimum of :math:`E + A N^{-\alpha} + B D^{-\beta}`, :math:`D = C/(6N)`.

    Returns
    -------
    _SymbolicOptimum
        As :func:`symbolic_compute_optimal`, ``other_star`` is :math:`D^*`.

    Examples
    --------
    >>> symbolic_chinchilla_optimal().n_exponent
    beta/(alpha + beta)
    """
    return _optimum(_E + _Ach * _N ** (-_al) + _Bch * (_C / (6 * _N)) ** (-_be), _C / (6 * _N), _E)


def _tidy(e: sp.Expr) -> sp.Expr:
    """Cheap normal form of a numeric prefactor (no ``simplify``: queries must stay fast)."""
    return sp.powsimp(sp.sympify(e, strict=True), force=True)


@dataclasses.dataclass(frozen=True)
class ComputeOptimal:
    r"""Compute-optimal allocation of :math:`A_1t^{-x} + A_2N^{-y}` at :math:`C = Nt` (GRSD-S8b).

    Attributes
    ----------
    N_star, t_star, L_star : sympy.Expr
        :math:`N^* = G_N C^{n}`, :math:`t^* = C/N^*\propto C^{t}`, :math:`L^* = G_L C^{-e}`.
    n_exponent, t_exponent, exponent : sympy.Expr
        The exponents :math:`n`, :math:`t`, :math:`e`.
    prefactor, N_prefactor : sympy.Expr
        The prefactors :math:`G_L`, :math:`G_N` (tidied).
    C : sympy.Symbol
        The compute symbol.

    Examples
    --------
    >>> compute_optimal(1, 2, 1, 1).N_star
    2**(1/3)*C**(1/3)
    """

    N_star: sp.Expr
    t_star: sp.Expr
    L_star: sp.Expr
    n_exponent: sp.Expr
    t_exponent: sp.Expr
    exponent: sp.Expr
    prefactor: sp.Expr
    N_prefactor: sp.Expr
    C: sp.Symbol = _C


def compute_optimal(x: Any, y: Any, A1: Any, A2: Any) -> ComputeOptimal:
    r"""Compute-optimal :math:`N^*(C), t^*(C), L^*(C)` for :math:`L = A_1t^{-x} + A_2N^{-y}`,
    :math:`C = N t` (GRSD-S8b).  Inputs exact (parsed with ``Rational``), all positive.

    Parameters
    ----------
    x, y : number or SymPy expression
        Exponents of :math:`t` and :math:`N`, ``> 0``.
    A1, A2 : number or SymPy expression
        Their amplitudes, ``> 0``.

    Returns
    -------
    ComputeOptimal
        Exact where the inputs are.

    Raises
    ------
    RegionError
        For a non-positive input.

    Examples
    --------
    >>> r = compute_optimal(1, 2, 1, 1)
    >>> r.n_exponent, r.exponent
    (1/3, 2/3)
    """
    vals = {s: _positive(v, s.name, f"{s.name} > 0") for s, v in ((_x, x), (_y, y), (_A1, A1), (_A2, A2))}
    so = symbolic_compute_optimal()
    return ComputeOptimal(
        so.N_star.subs(vals),
        so.other_star.subs(vals),
        so.L_star.subs(vals),
        sp.cancel(so.n_exponent.subs(vals)),
        sp.cancel(so.other_exponent.subs(vals)),
        sp.cancel(so.exponent.subs(vals)),
        _tidy(so.prefactor.subs(vals)),
        _tidy(so.N_prefactor.subs(vals)),
    )


@dataclasses.dataclass(frozen=True)
class ChinchillaOptimal:
    r"""Chinchilla allocation (GRSD-S8b): :math:`N^* = G(C/6)^{n}`, :math:`D^* = G^{-1}(C/6)^{d}`, :math:`L^* - E = G_L C^{-e}`.

    Attributes
    ----------
    N_star, D_star, L_star : sympy.Expr
        The optimum as functions of ``C``.
    n_exponent, d_exponent, exponent : sympy.Expr
        :math:`n`, :math:`d` and :math:`e`.
    G, prefactor : sympy.Expr
        :math:`G` and :math:`G_L`.
    C : sympy.Symbol
        The compute.

    Examples
    --------
    >>> r = chinchilla_optimal(1, 1, 1, 1)
    >>> r.n_exponent, r.d_exponent
    (1/2, 1/2)
    """

    N_star: sp.Expr
    D_star: sp.Expr
    L_star: sp.Expr
    n_exponent: sp.Expr
    d_exponent: sp.Expr
    exponent: sp.Expr
    G: sp.Expr
    prefactor: sp.Expr
    C: sp.Symbol = _C


def chinchilla_optimal(alpha: Any, beta: Any, A: Any, B: Any, E: Any = 0) -> ChinchillaOptimal:
    r"""Compute-optimal allocation of :math:`E + A/N^\alpha + B/D^\beta` at :math:`C = 6ND`
    (Hoffmann et al. 2022 form; GRSD-S8b).  ``G`` is defined by :math:`N^* = G\,(C/6)^{n}`.

    Parameters
    ----------
    alpha, beta, A, B : number or SymPy expression
        Exponents and amplitudes, ``> 0``.
    E : number or SymPy expression
        Irreducible loss, ``>= 0``.

    Returns
    -------
    ChinchillaOptimal
        Exact exponents; ``G`` and the prefactor tidied.

    Raises
    ------
    RegionError
        For a value outside the region.

    Examples
    --------
    >>> chinchilla_optimal("0.34", "0.28", 406, 411, "1.69").exponent
    119/775
    """
    vals = {s: _positive(v, s.name, f"{s.name} > 0") for s, v in ((_al, alpha), (_be, beta), (_Ach, A), (_Bch, B))}
    Ev = _num(E, "E")
    if Ev.is_negative:
        raise RegionError(f"E = {Ev} is outside the region E >= 0 (irreducible loss)")
    vals[_E] = Ev
    so = symbolic_chinchilla_optimal()
    n_exp = sp.cancel(so.n_exponent.subs(vals))
    G = _tidy(so.N_prefactor.subs(vals) * sp.Integer(6) ** n_exp)
    return ChinchillaOptimal(
        so.N_star.subs(vals),
        so.other_star.subs(vals),
        so.L_star.subs(vals),
        n_exp,
        sp.cancel(so.other_exponent.subs(vals)),
        sp.cancel(so.exponent.subs(vals)),
        G,
        _tidy(so.prefactor.subs(vals)),
    )


# --------------------------------------------------------------------------------------
# numeric kernels
# --------------------------------------------------------------------------------------

_CHUNK = 1 << 20


def _head_sum(a: float, b: float, dt: float, k_lo: int, k_hi: int) -> float:
    """sum_{k_lo <= k < k_hi} k^-a exp(-dt k^-b) in float64, chunked, pairwise summation."""
    total = 0.0
    for lo in range(k_lo, k_hi, _CHUNK):
        kk = np.arange(lo, min(lo + _CHUNK, k_hi), dtype=np.float64)
        total += float(np.sum(kk ** (-a) * np.exp(-dt * kk ** (-b))))
    return total


def _em_tail(f, K: int, M, power: tuple | None = None, order: int = 3):
    """Euler-Maclaurin: sum_{k=K}^{M} f(k) (M may be inf) = int_K^M f + (f(K) + f(M))/2
    - sum_j B_2j/(2j)! (f^(2j-1)(K) - f^(2j-1)(M)).

    ``power = (a, g)`` says ``f = k^-a + g`` with ``g`` decaying faster: the ``k^-a`` part is
    integrated in closed form (a slowly decaying power defeats quadrature on ``[K, inf)``) and
    only ``g`` by quadrature.
    """
    inf = mpmath.inf == M
    pts = [mpmath.mpf(K)]
    while pts[-1] * 10 < M and len(pts) < 12:
        pts.append(pts[-1] * 10)
    pts.append(M)
    if power is not None:
        am, g = power
        upper = 0 if inf else M ** (1 - am)
        total = (K ** (1 - am) - upper) / (am - 1) + mpmath.quad(g, pts)
    else:
        total = mpmath.quad(f, pts)
    total += f(K) / 2 + (0 if inf else f(M) / 2)
    for j in range(1, order + 1):
        c = mpmath.bernoulli(2 * j) / mpmath.factorial(2 * j)
        total -= c * mpmath.diff(f, K, 2 * j - 1)
        if not inf:
            total += c * mpmath.diff(f, M, 2 * j - 1)
    return total


def mode_sum_loss(a: Any, b: Any, t: Any, N: Any = None, d: Any = 2, *, head: int | None = None) -> float:
    r"""The discrete loss :math:`\sum_{k=1}^{N} k^{-a}e^{-d t k^{-b}} + \sum_{k>N}k^{-a}`.

    Head :math:`k < K` summed explicitly (float64), :math:`K \ge \max(2000, 8 (dt)^{1/b})` so that
    the summand is smooth and slowly varying beyond it; the rest by Euler-Maclaurin with an
    mpmath quadrature integral and three Bernoulli corrections; the floor
    :math:`\sum_{k>N}k^{-a} = \zeta(a, N+1)` (Hurwitz).  ``N=None`` means infinitely many modes.
    Bare ``mpmath.nsum`` is wrong here at large ``t`` (docs/theory/traps.md).

    Parameters
    ----------
    a, b : number or SymPy expression
        Task-power (``> 1``) and spectral (``> 0``) exponents.
    t, d : number or SymPy expression
        Time (``>= 0``) and dissipation factor (``> 0``).
    N : int or None
        Number of modes (``None``: infinitely many).
    head : int or None
        Override of the head size :math:`K`.

    Returns
    -------
    float
        The sum in float64.

    Raises
    ------
    RegionError, InputError
        Outside the region, or ``N < 1``.

    Examples
    --------
    >>> round(mode_sum_loss(2, 1, 0), 12) == round(float(sp.pi**2 / 6), 12)  # zeta(2)
    True
    """
    a, b, t, d = (float(_num(v, n)) for v, n in ((a, "a"), (b, "b"), (t, "t"), (d, "d")))
    if not (a > 1 and b > 0 and t >= 0 and d > 0):
        raise RegionError(f"mode_sum_loss needs a > 1, b > 0, t >= 0, d > 0; got a={a}, b={b}, t={t}, d={d}")
    if N is not None:
        N = int(N)
        if N < 1:
            raise InputError(f"N must be a positive integer, got {N}")
    dt = d * t
    K = head if head is not None else int(max(2000, 8 * dt ** (1 / b) if dt > 0 else 0))
    with mpmath.workdps(30):
        am, bm, dtm = mpmath.mpf(a), mpmath.mpf(b), mpmath.mpf(dt)

        def f(kk):
            return kk ** (-am) * mpmath.exp(-dtm * kk ** (-bm))

        if N is not None and N < K:
            return _head_sum(a, b, dt, 1, N + 1) + float(mpmath.zeta(am, N + 1))
        total = mpmath.mpf(_head_sum(a, b, dt, 1, K))

        def g(kk):
            return kk ** (-am) * mpmath.expm1(-dtm * kk ** (-bm))

        total += _em_tail(f, K, mpmath.inf if N is None else mpmath.mpf(N), power=(am, g))
        if N is not None:
            total += mpmath.zeta(am, N + 1)
        return float(total)


@functools.cache
def _truncated_loss_kernel() -> Any:
    from grsd_sym import symbols as S
    from grsd_sym.lower import lower

    lam_min = sp.Symbol("lambda_min", nonnegative=True)
    return lower(truncated_loss(S.kappa, S.A, S.d, S.t, lam_min), [S.kappa, S.A, S.d, S.t, lam_min])


def truncated_loss_numeric(kappa: Any, A: Any, d: Any, t: Any, lam_min: Any = 0, *, dps: int = 30) -> float:
    r"""Float value of :func:`truncated_loss`, by its lowered kernel in mpmath (``lam_min = 0``: lazy loss).

    Parameters
    ----------
    kappa, A, d, t : number or SymPy expression
        As for :func:`truncated_loss`, ``> 0``.
    lam_min : number or SymPy expression
        ``>= 0``.
    dps : int
        mpmath working precision.

    Returns
    -------
    float
        Evaluated at ``dps`` digits.

    Raises
    ------
    RegionError
        Unless ``kappa, A, d, t > 0`` and ``lam_min >= 0``.

    Examples
    --------
    >>> round(truncated_loss_numeric(2, 1, 2, 3) * 36, 12)   # lazy: Gamma(2) / 6^2
    1.0

    References
    ----------
    GRSD-S8a.
    """
    vals = [_num(v, n) for v, n in ((kappa, "kappa"), (A, "A"), (d, "d"), (t, "t"), (lam_min, "lam_min"))]
    if not (all(v > 0 for v in vals[:4]) and vals[4] >= 0):
        raise RegionError("truncated_loss_numeric needs kappa, A, d, t > 0 and lam_min >= 0")
    return float(_truncated_loss_kernel().mpmath(*vals, dps=dps))
