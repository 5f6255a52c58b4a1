r"""The resolution frontier and closed-form loss exponents (GRSD-T13, T14, T16, T17).

Every function here returns a SymPy result *computed* by SymPy (``solve``, ``integrate``,
``limit``) on the canonical symbols, once (cached), then specialised to the caller's values;
the derivations are recorded and checked step by step in ``proofs/t13..t17``.

Setting (docs/theory/solutions.md): :math:`v = \sigma c_0 t^{b-2}\lambda^b`,
:math:`g_0 = A\lambda^{\kappa-1}` on :math:`(0, \lambda_{\max}]`, dissipation :math:`d\lambda g`.

* frontier (T14): along characteristics :math:`\xi = \lambda t` obeys
  :math:`t\,\dot\xi = \xi + \sigma c_0\xi^b`; for :math:`\sigma=-1`, :math:`b>1` the attracting
  fixed point is :math:`\xi^* = c_0^{-1/(b-1)}`;
* lazy loss (T13): :math:`L = \int_0^\infty A\lambda^{\kappa-1}e^{-d\lambda t}d\lambda = A\Gamma(\kappa)(dt)^{-\kappa}`;
* loss exponent (T16): :math:`L \sim t^{-\min(\kappa, d\xi^*)}` (:math:`\sigma=-1`), :math:`t^{-\kappa}` (:math:`\sigma=+1`);
* effective time (T17, :math:`b=1`, :math:`c=c_0/t`): :math:`\tau \sim t^{1-c_0}` for :math:`c_0<1`.

>>> from grsd_sym.derive.frontier import frontier_constant, transport_loss_exponent
>>> frontier_constant(3, 4)
1/2
>>> transport_loss_exponent(3, c0=4, kappa=2, d=2)
1
"""

from __future__ import annotations

import functools
from typing import Any

import sympy as sp
from sympy.codegen.cfunctions import log1p

from grsd_sym import symbols as S
from grsd_sym.certificate import symbolic_zero
from grsd_sym.errors import DerivationError, InputError, RegionError
from grsd_sym.lower import Kernel, lower

__all__ = [
    "frontier_constant",
    "lazy_loss",
    "transport_loss_exponent",
    "phase_boundary",
    "effective_time_exponent",
    "frontier_fixed_point_equation",
    "effective_time",
    "characteristic",
    "lazy_loss_kernel",
    "frontier_constant_kernel",
    "characteristic_kernel",
    "unit_b_characteristic_kernel",
    "velocity_kernel",
    "ACTION",
]

_beta = sp.Dummy("beta", positive=True)  # b - 1 > 0 (a Dummy: never clashes with a caller's beta)
_X = sp.Symbol("X", positive=True)  # lambda0 * t
_Y = sp.Symbol("Y", positive=True)
_q = sp.Symbol("q", positive=True)
_eps = sp.Symbol("epsilon", positive=True)
_s = sp.Symbol("s", positive=True)


def _exact(name: str, value: Any) -> sp.Basic:
    if isinstance(value, (str, float)) or value is None:
        from grsd_sym.parsing import parse_number

        value = parse_number(value, name=name)
    try:
        v = sp.sympify(value, strict=True)
    except (sp.SympifyError, TypeError) as exc:
        raise InputError(f"{name} must be a number or a SymPy expression, got {value!r}") from exc
    if v.is_number and (v.has(sp.nan, sp.zoo, sp.oo, -sp.oo) or not v.is_real):
        raise InputError(f"{name} must be real and finite, got {value!r}")
    return v


def _require(cond: Any, region: str, got: str) -> None:
    """Raise RegionError unless ``cond`` holds (symbolic conditions that are undecided pass)."""
    if cond is False or cond == sp.false:
        raise RegionError(f"outside the region of validity ({region}): got {got}")


# --------------------------------------------------------------------------------------
# T14: the frontier
# --------------------------------------------------------------------------------------


def frontier_fixed_point_equation(sigma: int = -1) -> sp.Basic:
    r"""The right side of :math:`t\,d\xi/dt` along a characteristic, computed from the velocity.

    With :math:`\lambda = \xi/t` and :math:`\dot\lambda = v`: :math:`t\dot\xi = t(\lambda + t v)`.

    Parameters
    ----------
    sigma : int
        Sign of the velocity, -1 or +1.

    Returns
    -------
    sympy.Expr
        In :math:`\xi`, :math:`t` and the canonical ``b``, ``c0``.

    Examples
    --------
    >>> from grsd_sym.symbols import b, c0, xi
    >>> frontier_fixed_point_equation(-1) == xi - c0 * xi**b
    True
    """
    lam_xi = S.xi / S.t
    vel = sigma * S.c0 * S.t ** (S.b - 2) * lam_xi**S.b
    return sp.expand(sp.powsimp(sp.expand_power_base(S.t * (lam_xi + S.t * vel), force=True), force=True))


@functools.cache
def _xi_star_symbolic() -> sp.Basic:
    rhs = frontier_fixed_point_equation(-1)  # xi - c0 xi^b
    eq = sp.expand(sp.powsimp(rhs / S.xi, force=True)).subs(S.b, 1 + _beta)  # 1 - c0 xi^beta
    roots = [r for r in sp.solve(eq, S.xi) if r.is_positive is not False]
    if len(roots) != 1:
        raise RuntimeError(f"frontier: expected one positive root, got {roots}")
    xs = roots[0].subs(_beta, S.b - 1)
    # check by substitution (log coordinates: c0 xs^(b-1) = 1)
    chk = sp.simplify(sp.expand_log(sp.log(S.c0 * xs.subs(S.b, 1 + _beta) ** _beta), force=True))
    if chk != 0:
        raise RuntimeError("frontier root failed substitution")
    return xs


def frontier_constant(b: Any, c0: Any) -> sp.Basic:
    r"""The frontier constant :math:`\xi^* = c_0^{-1/(b-1)}` (GRSD-T14).

    For :math:`\sigma = -1`, :math:`b > 1`, :math:`c = c_0 t^{b-2}`: the root of
    :math:`1 - c_0\xi^{b-1} = 0`, solved by SymPy; every characteristic tends to
    :math:`\lambda_f(t) = \xi^*/t`.  :class:`RegionError` outside ``b > 1``, ``c0 > 0``.

    Parameters
    ----------
    b, c0 : number or SymPy expression
        Velocity exponent (``> 1``) and amplitude (``> 0``).

    Returns
    -------
    sympy.Expr
        :math:`\xi^*`, exact where the inputs are.

    Raises
    ------
    RegionError
        Outside ``b > 1``, ``c0 > 0``.

    Examples
    --------
    >>> frontier_constant(2, 3)
    1/3
    """
    bb, cc = _exact("b", b), _exact("c0", c0)
    _require(
        sp.sympify(bb > 1, strict=True) if bb.is_number else True,
        "the frontier exists for b > 1 (sigma = -1, c = c0 t^(b-2))",
        f"b = {bb}",
    )
    _require(sp.sympify(cc > 0, strict=True) if cc.is_number else True, "c0 > 0", f"c0 = {cc}")
    return _xi_star_symbolic().subs({S.b: bb, S.c0: cc})


# --------------------------------------------------------------------------------------
# T13: lazy loss
# --------------------------------------------------------------------------------------


@functools.cache
def _lazy_loss_symbolic(bounded: bool) -> sp.Basic:
    top = S.lam_max if bounded else sp.oo
    L = sp.integrate(S.A * S.lam ** (S.kappa - 1) * sp.exp(-S.d * S.lam * S.t), (S.lam, 0, top))
    # the canonical forms A gamma(kappa, d lambda_max t) (d t)^-kappa and A Gamma(kappa) (d t)^-kappa,
    # checked equal to what integrate returned
    inc = sp.lowergamma(S.kappa, S.d * S.lam_max * S.t) if bounded else sp.gamma(S.kappa)
    canon = S.A * inc * sp.Pow(S.d * S.t, -S.kappa)
    if not symbolic_zero(sp.powsimp(sp.expand_power_base(L - canon, force=True), force=True))[0]:
        raise DerivationError(f"lazy loss: integrate returned {L}, not the canonical form {canon}")
    return canon


def lazy_loss(kappa: Any, A: Any, d: Any, t: Any, lambda_max: Any = sp.oo) -> sp.Basic:
    r"""The lazy (``v = 0``) loss :math:`L(t) = \int_0^{\lambda_{\max}} A\lambda^{\kappa-1}e^{-d\lambda t}d\lambda` (GRSD-T13).

    .. math::  L(t) = A\,\gamma(\kappa, d\lambda_{\max}t)\,(d t)^{-\kappa}
               \ \xrightarrow{\lambda_{\max}\to\infty}\ A\,\Gamma(\kappa)\,(d t)^{-\kappa}

    computed by SymPy's ``integrate`` (converges iff :math:`\kappa > 0`, :math:`d t > 0`).

    Parameters
    ----------
    kappa, A, d, t : number or sympy.Expr
        Spectral exponent, amplitude, dissipation factor, time (all ``> 0``).
    lambda_max : number or sympy.Expr
        Top of the spectrum (default ``oo``).

    Returns
    -------
    sympy.Expr
        The closed form (upper incomplete gamma for finite ``lambda_max``).

    Raises
    ------
    RegionError
        A numeric argument ``<= 0``.

    Examples
    --------
    >>> lazy_loss(2, 1, 2, 3)
    1/36

    References
    ----------
    GRSD-T13.
    """
    vals = {S.kappa: kappa, S.A: A, S.d: d, S.t: t, S.lam_max: lambda_max}
    vals = {k: (v if v is sp.oo else _exact(k.name, v)) for k, v in vals.items()}
    for sym, val in vals.items():
        if val.is_number:
            _require(
                sp.sympify(val > 0, strict=True),
                f"the lazy loss integral needs {sym.name} > 0 (kappa > 0: integrable at lambda -> 0)",
                f"{sym.name} = {val}",
            )
    out = _lazy_loss_symbolic(vals[S.lam_max] is not sp.oo).subs(vals)
    return out if out.is_number else sp.powsimp(out)


# --------------------------------------------------------------------------------------
# T16: the loss exponent
# --------------------------------------------------------------------------------------


@functools.cache
def _action_log_slope(sigma: int = -1) -> sp.Basic:
    r"""The limit :math:`\lim_{X\to\infty} X\,\Psi'(X)` of the dissipated action's log-slope.

    Along the characteristic from :math:`\lambda_0` (:math:`t=0`),
    :math:`\int_0^t\lambda\,ds = \Psi(\lambda_0 t)` with
    :math:`\Psi'(X) = (1 + c_0 X^{b-1})^{-1/(b-1)}` (:math:`\sigma=-1`); so
    :math:`e^{-d\Psi(X)} \sim X^{-d\,\xi^*}` at large ``X``.  Computed by ``limit`` with
    :math:`b = 1 + \beta`, :math:`\beta > 0`.
    """
    if sigma != -1:
        raise RegionError("the action grows logarithmically only for sigma = -1")
    psi_prime = (1 + S.c0 * _X**_beta) ** (-1 / _beta)
    # X * psi' = (X^-beta + c0)^(-1/beta) for X > 0
    slope = sp.limit(sp.powsimp(_X * psi_prime, force=True), _X, sp.oo)
    if slope.has(sp.Limit):
        slope = sp.limit((_X ** (-_beta) + S.c0) ** (-1 / _beta), _X, sp.oo)
    return slope.subs(_beta, S.b - 1)


@functools.cache
def _phase_exponents() -> dict:
    r"""Growth of :math:`I(Y) = \int_1^Y X^{q-1}dX` by phase, computed by ``integrate``/``limit``.

    Returns ``{"q>0": q, "q<0": 0, "q=0": "log"}``: with :math:`q = \kappa - d\xi^*` the loss is
    :math:`L \sim A t^{-\kappa} I(\lambda_{\max} t)`.
    """
    grow_pos = sp.limit(sp.log(sp.integrate(_X ** (_q - 1), (_X, 1, _Y))) / sp.log(_Y), _Y, sp.oo)
    lim_neg = sp.limit(sp.integrate(_X ** (-_q - 1), (_X, 1, _Y)), _Y, sp.oo)
    log_ratio = sp.limit(sp.integrate(_X ** (-1), (_X, 1, _Y)) / sp.log(_Y), _Y, sp.oo)
    return {
        "q>0": grow_pos.subs(_q, sp.Symbol("q")),
        "q<0": 0 if lim_neg.is_finite else sp.oo,
        "q=0": "log" if log_ratio == 1 else log_ratio,
    }


def transport_loss_exponent(b: Any, *, c0: Any, kappa: Any, d: Any, sigma: int = -1) -> sp.Basic:
    r"""The exponent ``x`` in :math:`L(t) \sim t^{-x}` with transport (GRSD-T16).

    .. math::  x = \min(\kappa, d\,\xi^*), \quad \xi^* = c_0^{-1/(b-1)} \qquad (\sigma = -1,\ b > 1)

    and :math:`x = \kappa` for :math:`\sigma = +1` (modes beyond :math:`\xi^*/t` are learned
    in finite time).  At :math:`\kappa = d\xi^*` there is a log correction
    (:math:`L \sim t^{-\kappa}\log t`).  Assembled from ``_action_log_slope`` and
    ``_phase_exponents``.  :class:`RegionError` outside ``b > 1``, ``kappa > 0``,
    ``d > 0``, ``c0 > 0``, ``sigma in {-1, +1}``.

    Parameters
    ----------
    b : number or SymPy expression
        Velocity exponent, ``> 1``.
    c0, kappa, d : number or SymPy expression
        Velocity amplitude, spectrum exponent, dissipation factor, all ``> 0``.
    sigma : int
        Sign of the velocity, -1 or +1.

    Returns
    -------
    sympy.Expr
        ``x``; a ``Min`` where the phase is not decided.

    Raises
    ------
    RegionError
        Outside the region above.

    Examples
    --------
    >>> transport_loss_exponent(2, c0=1, kappa=3, d=2)
    2
    >>> transport_loss_exponent(2, c0=1, kappa=3, d=2, sigma=1)
    3
    """
    bb, cc, kk, dd = (_exact(n, x) for n, x in (("b", b), ("c0", c0), ("kappa", kappa), ("d", d)))
    if sigma not in (-1, 1):
        raise RegionError(f"sigma must be -1 or +1, got {sigma!r}")
    if bb.is_number:
        _require(
            sp.sympify(bb > 1, strict=True),
            "the transport loss exponent is derived for b > 1 (c = c0 t^(b-2)); for b = 1 "
            "with c = c0/t see effective_time_exponent (GRSD-T17)",
            f"b = {bb}",
        )
    for name, val in (("kappa", kk), ("d", dd), ("c0", cc)):
        if val.is_number:
            _require(sp.sympify(val > 0, strict=True), f"{name} > 0", f"{name} = {val}")
    if sigma == 1:
        return kk
    D = dd * _action_log_slope(-1).subs({S.b: bb, S.c0: cc})
    ph = _phase_exponents()
    qsym = sp.Symbol("q")
    # L ~ t^-kappa * (lambda_max t)^{max(0, q)},  q = kappa - D
    x_transport = sp.expand(kk - ph["q>0"].subs(qsym, kk - D))  # q > 0 phase
    x_lazy = kk - ph["q<0"]  # q < 0 phase
    if (kk - D).is_number:
        return sp.nsimplify(x_transport) if (kk - D) > 0 else x_lazy
    return sp.Min(x_lazy, x_transport)


def phase_boundary(b: Any, *, c0: Any, d: Any) -> sp.Basic:
    r"""The :math:`\kappa` where the lazy and transport-limited phases meet: :math:`\kappa = d\xi^*` (GRSD-T16).

    Solved by SymPy from :math:`\kappa - d\,\xi^* = 0` (the exponent ``q`` of
    ``_phase_exponents`` vanishes).

    Parameters
    ----------
    b : number or SymPy expression
        Velocity exponent, ``> 1``.
    c0, d : number or SymPy expression
        Velocity amplitude and dissipation factor, ``> 0``.

    Returns
    -------
    sympy.Expr
        The boundary :math:`\kappa`.

    Raises
    ------
    RegionError
        Outside ``b > 1``, ``c0 > 0``, ``d > 0``.

    Examples
    --------
    >>> phase_boundary(3, c0=4, d=2)
    1
    """
    xs = frontier_constant(b, c0)
    dd = _exact("d", d)
    if dd.is_number:
        _require(sp.sympify(dd > 0, strict=True), "d > 0", f"d = {dd}")
    sol = sp.solve(sp.Eq(S.kappa, S.d * S.xi_star), S.kappa)
    return sol[0].subs({S.d: dd, S.xi_star: xs})


# --------------------------------------------------------------------------------------
# T17: effective time for b = 1, c = c0/t
# --------------------------------------------------------------------------------------


@functools.cache
def _effective_time_symbolic() -> sp.Basic:
    tau = sp.integrate(S.lam0 * (_s / S.t0) ** (-S.c0), (_s, S.t0, S.t), conds="piecewise")
    for e, cond in tau.args if isinstance(tau, sp.Piecewise) else [(tau, True)]:
        if cond is not sp.true:
            return sp.factor_terms(sp.powsimp(sp.expand(e), force=True))
    return tau


def effective_time(c0: Any = S.c0) -> sp.Basic:
    r"""The dissipated action of a mode for ``b = 1``, ``c = c0/t`` (GRSD-T17).

    .. math::  \int_{t_0}^t \lambda_0 (s/t_0)^{-c_0} ds
               = \lambda_0 t_0^{c_0}\,\frac{t^{1-c_0} - t_0^{1-c_0}}{1-c_0}\quad (c_0 \ne 1)

    Parameters
    ----------
    c0 : number or SymPy expression
        Amplitude of ``c = c0/t``.

    Returns
    -------
    sympy.Expr
        In ``lambda_0``, ``t``, ``t_0``.

    Examples
    --------
    >>> from grsd_sym.symbols import lam0, t, t0
    >>> sp.simplify(effective_time(sp.Rational(1, 2)) - 2 * lam0 * sp.sqrt(t0) * (sp.sqrt(t) - sp.sqrt(t0)))
    0
    """
    return _effective_time_symbolic().subs(S.c0, _exact("c0", c0))


def effective_time_exponent(c0: Any) -> sp.Basic:
    r"""The exponent ``alpha`` of :math:`\tau(t) \sim t^{\alpha}`, ``b = 1``, ``c = c0/t`` (GRSD-T17).

    :math:`\alpha = 1 - c_0` for :math:`0 < c_0 < 1` (computed as
    :math:`\lim_{t\to\infty}\log\tau/\log t` with :math:`c_0 = 1 - \epsilon`), so
    :math:`L \sim t^{-\kappa(1-c_0)}`.  For :math:`c_0 > 1` the action tends to a finite
    limit (learning freezes) and for :math:`c_0 = 1` it grows like :math:`\log t`: both raise
    :class:`RegionError`.

    Parameters
    ----------
    c0 : number or SymPy expression
        Amplitude of ``c = c0/t``, ``0 < c0 < 1``.

    Returns
    -------
    sympy.Expr
        ``1 - c0``.

    Raises
    ------
    RegionError
        For ``c0 <= 0`` or ``c0 >= 1`` (no power law).

    Examples
    --------
    >>> effective_time_exponent(sp.Rational(1, 4))
    3/4
    """
    cc = _exact("c0", c0)
    if cc.is_number:
        _require(sp.sympify(cc > 0, strict=True), "c0 > 0", f"c0 = {cc}")
        if cc > 1:
            raise RegionError(
                f"c0 = {cc} > 1: the dissipated action tends to the finite limit "
                f"lambda0 t0/(c0 - 1), learning freezes (no power law); a power law needs 0 < c0 < 1"
            )
        if cc == 1:
            raise RegionError(
                "c0 = 1: the action grows like lambda0 t0 log(t/t0), "
                "L ~ (log t)^-kappa (no power law); a power law needs 0 < c0 < 1"
            )
    tau = _effective_time_symbolic().subs(S.c0, 1 - _eps)
    alpha = sp.limit(sp.log(tau) / sp.log(S.t), S.t, sp.oo)
    return sp.expand(alpha.subs(_eps, 1 - cc))


# --------------------------------------------------------------------------------------
# characteristics (T14), computed with our solver's first integrals
# --------------------------------------------------------------------------------------


@functools.lru_cache(maxsize=64)
def characteristic(b: Any = S.b, sigma: int = -1, c: str = "self-similar", c0: Any = S.c0) -> sp.Basic:
    r"""The characteristic :math:`\lambda(t)` through :math:`\lambda_0` (GRSD-T14), computed.

    From the checked first integral :math:`\varphi(t,\lambda)` of :math:`\dot\lambda = v`
    (:func:`grsd_sym.derive.characteristics.first_integral`), set
    :math:`\varphi(t,\lambda) = \varphi(t_{\rm start}, \lambda_0)` and invert for
    :math:`\lambda`.  The start is :math:`t = 0` for ``c = c0 t^(b-2)`` with ``b > 1`` (where
    :math:`t^{b-1} \to 0`) and for constant ``c``; :math:`t = t_0` for ``b = 1``, ``c = c0/t``.

    Parameters
    ----------
    b : number or SymPy expression
        Velocity exponent.
    sigma : int
        Sign of the velocity, -1 or +1.
    c : str
        ``"self-similar"`` (``c = c0 t^(b-2)``) or ``"const"``.
    c0 : number or SymPy expression
        Velocity amplitude.

    Returns
    -------
    sympy.Expr
        In ``lambda_0``, ``t`` (and ``t_0`` for ``b = 1``).

    Examples
    --------
    >>> from grsd_sym.symbols import c0, lam0, t, t0
    >>> characteristic(1, -1, "self-similar").equals(lam0 * (t / t0)**(-c0))
    True
    """
    from grsd_sym.derive.characteristics import _clean_bases, _invert, _is_zero, first_integral
    from grsd_sym.theory.transport import transport_velocity

    bb = _exact("b", b)
    vel = transport_velocity(bb, sigma, c, c0)
    conds: list = []
    phi, _ = first_integral(sp.Integer(1), vel, S.t, S.lam, conds)
    if c == "self-similar" and bb == 1:
        start = phi.subs({S.t: S.t0, S.lam: S.lam0})
    else:
        at_lam0 = phi.subs(S.lam, S.lam0)
        if bb.is_number:
            start = sp.limit(at_lam0, S.t, 0, "+")
        else:
            start = sp.limit(at_lam0.subs(S.b, 1 + _beta), S.t, 0, "+").subs(_beta, S.b - 1)
    zeta = sp.Dummy("zeta")
    for cand in _invert(phi, S.lam, zeta):
        lam_t = cand.subs(zeta, start)
        lam_t = _clean_bases(sp.powsimp(sp.factor_terms(lam_t), force=True))
        if lam_t.has(sp.exp):
            lam_t = sp.powsimp(sp.simplify(sp.logcombine(lam_t, force=True)), force=True)
        res = sp.diff(lam_t, S.t) - vel.subs(S.lam, lam_t)
        # holds where the base of the power is positive: always for sigma = -1, b > 1;
        # before the blow-up (sigma = +1) or the extinction (b < 1) otherwise
        if _is_zero(res, region=True):
            return lam_t
    raise NotImplementedError(f"could not invert the first integral {phi} for lambda")


# --------------------------------------------------------------------------------------
# numeric kernels lowered from the closed forms above (cached)
# --------------------------------------------------------------------------------------

#: :math:`C = \int c\,dt`, the action of the velocity amplitude along the time interval
ACTION = sp.Symbol("C", nonnegative=True)


@functools.cache
def _characteristic_by_action(sigma: int) -> sp.Basic:
    r""":math:`\lambda = \lambda_0(1 - \sigma(b-1)C\lambda_0^{b-1})^{-1/(b-1)}` after the action :math:`C = \int c`.

    The characteristic of :func:`characteristic` depends on time only through :math:`C`
    (:math:`\dot u = -(b-1)\sigma c` for :math:`u = \lambda^{1-b}`); this form, with
    :math:`C = c_0 t^{b-1}/(b-1)`, is checked equal to the derived one.
    """
    p = S.b - 1
    form = S.lam0 * (1 - sigma * p * ACTION * S.lam0**p) ** (-1 / p)
    derived = characteristic(S.b, sigma, "self-similar")

    def u(lam: sp.Basic) -> sp.Basic:  # lambda^(1-b): linear in the action
        return sp.expand(sp.powdenest(sp.expand_power_base(lam ** (-p), force=True), force=True))

    if not symbolic_zero(u(derived) - u(form.subs(ACTION, S.c0 * S.t**p / p)))[0]:
        raise DerivationError(f"characteristic by action: {form} is not {derived}")
    return form


@functools.cache
def characteristic_kernel(sigma: int = -1, *, log: bool = False) -> Kernel:
    r"""Lowered characteristic :math:`\lambda(b, C, \lambda_0)` (GRSD-T14), :math:`C = \int c\,dt`.

    ``C = c0 t`` for constant ``c``, ``c0 t^(b-1)/(b-1)`` for the self-similar one; ``b != 1``.
    Past a blow-up (:math:`\sigma = +1`) or an extinction (``b < 1``) the float64 value is NaN
    (call with ``check=False``).  ``log=True`` gives :math:`\log\lambda` from
    :math:`s_0 = \log\lambda_0`, :math:`s_0 - \operatorname{log1p}(-\sigma(b-1)C e^{(b-1)s_0})/(b-1)`:
    the departure points of the finite-volume solver (run with ``-sigma`` backwards in time).

    Parameters
    ----------
    sigma : {-1, +1}
    log : bool
        Lower :math:`\log\lambda` as a function of :math:`\log\lambda_0`.

    Returns
    -------
    Kernel
        Arguments ``(b, C, lambda_0)``, or ``(b, C, s)`` with ``log=True``.

    Raises
    ------
    RegionError
        ``sigma`` not in {-1, +1}.

    Examples
    --------
    >>> float(characteristic_kernel(-1)(2.0, 1.0, 1.0))   # 1/(1 + C lambda0) at b = 2
    0.5
    >>> round(float(characteristic_kernel(-1, log=True)(2.0, 1.0, 0.0)), 12)   # log(1/2)
    -0.69314718056

    References
    ----------
    GRSD-T14.
    """
    if sigma not in (-1, 1):
        raise RegionError(f"sigma must be -1 or +1, got {sigma!r}")
    lam = _characteristic_by_action(sigma)
    if not log:
        return lower(lam, [S.b, ACTION, S.lam0])
    power = next(f for f in sp.Mul.make_args(lam) if f.is_Pow)
    # log(lambda0 (1 + x)^e) = s + e log1p(x), lambda0 = e^s
    log_lam = S.s + power.exp * log1p(sp.powsimp((power.base - 1).subs(S.lam0, sp.exp(S.s))))
    return lower(log_lam, [S.b, ACTION, S.s])


@functools.cache
def frontier_constant_kernel() -> Kernel:
    r"""Lowered frontier constant :math:`\xi^* = c_0^{-1/(b-1)}` of :func:`frontier_constant`.

    Arguments ``(b, c0)`` as floats: the float view of a problem whose exact ``b`` has a large
    denominator (a float read exactly) never asks SymPy for a power with that exponent.

    Returns
    -------
    Kernel
        Arguments ``(b, c0)``.

    Examples
    --------
    >>> float(frontier_constant_kernel()(3.0, 4.0))
    0.5

    References
    ----------
    GRSD-T14.
    """
    return lower(_xi_star_symbolic(), [S.b, S.c0])


@functools.cache
def lazy_loss_kernel(bounded: bool = True) -> Kernel:
    r"""Lowered lazy loss of :func:`lazy_loss` (GRSD-T13).

    Parameters
    ----------
    bounded : bool
        ``True``: :math:`A\gamma(\kappa, d\lambda_{\max}t)(dt)^{-\kappa}`, arguments
        ``(kappa, A, d, lambda_max, t)``; ``False``: :math:`A\Gamma(\kappa)(dt)^{-\kappa}`,
        arguments ``(kappa, A, d, t)``.

    Returns
    -------
    Kernel
        Arguments ``(kappa, A, d[, lambda_max], t)``.

    Examples
    --------
    >>> float(lazy_loss_kernel(False)(2.0, 1.0, 2.0, 3.0)) * 36
    1.0

    References
    ----------
    GRSD-T13.
    """
    if bounded:
        return lower(_lazy_loss_symbolic(True), [S.kappa, S.A, S.d, S.lam_max, S.t])
    return lower(_lazy_loss_symbolic(False), [S.kappa, S.A, S.d, S.t])


@functools.cache
def unit_b_characteristic_kernel(sigma: int = -1) -> Kernel:
    r"""Lowered characteristic for ``b = 1``, ``c = c0/t`` from :math:`\lambda_0` at :math:`t_0` (GRSD-T17).

    Parameters
    ----------
    sigma : int
        Sign of the velocity (the kernel is for one sign).

    Returns
    -------
    Kernel
        :math:`\lambda_0 (t/t_0)^{\sigma c_0}`, arguments ``(c0, lambda_0, t, t_0)``.

    Examples
    --------
    >>> float(unit_b_characteristic_kernel(-1)(1.0, 1.0, 2.0, 1.0))
    0.5

    References
    ----------
    GRSD-T14, GRSD-T17.
    """
    if sigma not in (-1, 1):
        raise RegionError(f"sigma must be -1 or +1, got {sigma!r}")
    return lower(characteristic(1, sigma, "self-similar"), [S.c0, S.lam0, S.t, S.t0])


@functools.cache
def velocity_kernel(sigma: int = -1) -> Kernel:
    r"""Lowered velocity law :math:`v = \sigma c_0 t^{b-2}\lambda^b` (GRSD-T7), arguments ``(b, c0, t, lambda)``.

    Parameters
    ----------
    sigma : int
        The sign :math:`\sigma` (-1 or +1).

    Returns
    -------
    Kernel
        The lowered velocity :math:`v`.

    Examples
    --------
    >>> float(velocity_kernel(-1)(2.0, 3.0, 1.0, 0.5))
    -0.75

    References
    ----------
    GRSD-T7, GRSD-T14.
    """
    from grsd_sym.theory.transport import transport_velocity

    if sigma not in (-1, 1):
        raise RegionError(f"sigma must be -1 or +1, got {sigma!r}")
    return lower(transport_velocity(S.b, sigma, "self-similar", S.c0), [S.b, S.c0, S.t, S.lam])
