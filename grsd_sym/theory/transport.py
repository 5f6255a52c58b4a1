r"""The continuum transport PDE and its finite-volume origin (GRSD-T7, T8).

Log coordinates (energy per unit :math:`s = \log\lambda`, velocity :math:`V = ds/dt`, source :math:`\varsigma`):

.. math::  \partial_t\varepsilon + \partial_s(V\varepsilon) = -d\,e^s\varepsilon + \varsigma ,

spectral coordinates (:math:`g = \varepsilon(\log\lambda)/\lambda`, :math:`v = \lambda V`, :math:`S = \varsigma/\lambda`):

.. math::  \partial_t g + \partial_\lambda(v g) = -d\,\lambda g + S .

The finite-volume shell balance on cells :math:`[s_\alpha, s_\alpha + h]` with the advective
closure :math:`F = V\varepsilon` at the faces (piecewise-constant :math:`\varepsilon`, face value
taken from the left or the right cell) is :func:`finite_volume_truncation`; its Taylor
expansion in ``h`` gives the PDE at order :math:`h^0` and the leading truncation error at
order :math:`h`.  The lazy limit :math:`v = 0` is :func:`lazy_solution`.

>>> import sympy as sp
>>> from grsd_sym.symbols import lam, t, d
>>> g0 = sp.Function("g0")
>>> lazy_solution(g0(lam), d, lam, t)
g0(lambda)*exp(-d*lambda*t)
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import sympy as sp

from grsd_sym import symbols as _sym
from grsd_sym.errors import DerivationError, InputError, RegionError, ShellGridError

if TYPE_CHECKING:
    from grsd_sym.derive.characteristics import PDESolution

__all__ = [
    "log_transport_residual",
    "lambda_transport_residual",
    "log_to_lambda",
    "lambda_to_log",
    "taylor",
    "finite_volume_truncation",
    "lazy_solution",
    "transport_velocity",
    "transport_pde",
    "general_solution",
]


def log_transport_residual(eps: Any, V: Any, src: Any, d: Any, s: sp.Symbol, t: sp.Symbol) -> sp.Basic:
    r""":math:`\partial_t\varepsilon + \partial_s(V\varepsilon) + d e^s\varepsilon - \varsigma` (zero on solutions).

    Parameters
    ----------
    eps, V, src : Any
        :math:`\varepsilon(s, t)`, :math:`V(s, t)`, :math:`\varsigma(s, t)`.
    d : Any
        Dissipation factor.
    s, t : sympy.Symbol
        Log-spectral coordinate and time.

    Returns
    -------
    sympy.Basic
        The residual (GRSD-T7).

    Examples
    --------
    >>> import sympy as sp
    >>> from grsd_sym.symbols import d, lam, s, t
    >>> log_transport_residual(sp.exp(-s), 0, 0, 0, s, t)
    0
    """
    return sp.diff(eps, t) + sp.diff(V * eps, s) + d * sp.exp(s) * eps - src


def lambda_transport_residual(g: Any, v: Any, S: Any, d: Any, lam: sp.Symbol, t: sp.Symbol) -> sp.Basic:
    r""":math:`\partial_t g + \partial_\lambda(v g) + d\lambda g - S` (zero on solutions).

    Parameters
    ----------
    g, v, S : Any
        :math:`g(\lambda, t)`, :math:`v(\lambda, t)`, :math:`S(\lambda, t)`.
    d : Any
        Dissipation factor.
    lam, t : sympy.Symbol
        Eigenvalue and time.

    Returns
    -------
    sympy.Basic
        The residual (GRSD-T7, T8).

    Examples
    --------
    >>> import sympy as sp
    >>> from grsd_sym.symbols import d, lam, s, t
    >>> lambda_transport_residual(sp.exp(-d * lam * t), 0, 0, d, lam, t)
    0
    """
    return sp.diff(g, t) + sp.diff(v * g, lam) + d * lam * g - S


def log_to_lambda(eps: Any, V: Any, src: Any, s: sp.Symbol, lam: sp.Symbol) -> tuple[Any, Any, Any]:
    r"""``(g, v, S)`` from ``(eps, V, src)`` (expressions in ``s``): :math:`g = \varepsilon/\lambda`,
    :math:`v = \lambda V`, :math:`S = \varsigma/\lambda` at :math:`s = \log\lambda`.

    Parameters
    ----------
    eps, V, src : Any
        Expressions in ``s``.
    s, lam : sympy.Symbol
        Log coordinate and (positive) eigenvalue.

    Returns
    -------
    tuple
        ``(g, v, S)`` (GRSD-T7).

    Raises
    ------
    InputError
        For a ``lam`` not known to be positive.

    Examples
    --------
    >>> import sympy as sp
    >>> from grsd_sym.symbols import d, lam, s, t
    >>> log_to_lambda(sp.exp(2 * s), sp.Integer(1), sp.Integer(0), s, lam)
    (lambda, lambda, 0)
    """
    if not lam.is_positive:
        raise InputError("the spectral coordinate lambda must be a positive symbol")
    at = {s: sp.log(lam)}
    return eps.subs(at) / lam, lam * V.subs(at), src.subs(at) / lam


def lambda_to_log(g: Any, v: Any, S: Any, lam: sp.Symbol, s: sp.Symbol) -> tuple[Any, Any, Any]:
    r"""``(eps, V, src)`` from ``(g, v, S)``: :math:`\varepsilon = e^s g(e^s)`, :math:`V = v/e^s`,
    :math:`\varsigma = e^s S(e^s)`.

    Parameters
    ----------
    g, v, S : Any
        Expressions in ``lam``.
    lam, s : sympy.Symbol
        Eigenvalue and log coordinate.

    Returns
    -------
    tuple
        ``(eps, V, src)`` (GRSD-T7).

    Examples
    --------
    >>> import sympy as sp
    >>> from grsd_sym.symbols import d, lam, s, t
    >>> lambda_to_log(lam, lam, sp.Integer(0), lam, s)
    (exp(2*s), 1, 0)
    """
    at = {lam: sp.exp(s)}
    return sp.exp(s) * g.subs(at), v.subs(at) * sp.exp(-s), sp.exp(s) * S.subs(at)


def taylor(expr: Any, var: sp.Symbol, delta: Any, order: int) -> sp.Basic:
    r""":math:`\sum_{m=0}^{order} \frac{\delta^m}{m!}\partial_{var}^m\,expr` (the Taylor polynomial of a shift).

    Parameters
    ----------
    expr : Any
        The expression.
    var : sympy.Symbol
        The variable shifted.
    delta : Any
        The shift.
    order : int
        The highest power kept.

    Returns
    -------
    sympy.Basic
        The Taylor polynomial.

    Raises
    ------
    InputError
        For a negative order.

    Examples
    --------
    >>> import sympy as sp
    >>> x, h = sp.symbols("x h")
    >>> taylor(x**3, x, h, 2)
    3*h**2*x + 3*h*x**2 + x**3
    """
    if order < 0:
        raise InputError(f"Taylor order must be >= 0, got {order}")
    out, term = sp.Integer(0), expr
    for m in range(order + 1):
        out += delta**m / sp.factorial(m) * term
        term = sp.diff(term, var)
    return out


def _cell_average(expr: sp.Basic, var: sp.Symbol, lo: Any, h: Any, order: int) -> sp.Basic:
    r""":math:`\frac1h\int_{var+lo}^{var+lo+h} expr` as a Taylor polynomial about ``var`` (``lo`` a multiple of ``h``)."""
    u = sp.Dummy("u")
    return sp.expand(sp.integrate(taylor(expr, var, u, order), (u, lo, lo + h)) / h)


def finite_volume_truncation(
    eps: Any, V: Any, src: Any, d: Any, s: sp.Symbol, t: sp.Symbol, h: sp.Symbol, *, face: str = "left", order: int = 3
) -> dict[str, Any]:
    r"""Taylor expansion in ``h`` of the shell balance residual on smooth data (GRSD-T7).

    Cell :math:`C_\alpha = [s, s+h]` with exact energy :math:`E_\alpha = h\bar\varepsilon_\alpha`;
    the balance with the closure is

    .. math::  \dot E_\alpha = F_{\alpha-1/2} - F_{\alpha+1/2} - D_\alpha + \Sigma_\alpha,\quad
               F_{\alpha+1/2} = V(s+h)\,\bar\varepsilon_{\text{face cell}},\quad
               D_\alpha = d\,e^{s} E_\alpha,\quad \Sigma_\alpha = \int_{C_\alpha}\varsigma .

    ``face="left"`` takes the face value from the cell below (upwind for :math:`V > 0`),
    ``"right"`` from the cell above (upwind for :math:`V < 0`).  Returns the residual
    :math:`\tau_h = (\dot E - F_- + F_+ + D - \Sigma)/h` expanded, and its coefficients of
    :math:`h^0` and :math:`h^1`.

    Parameters
    ----------
    eps, V, src : Any
        Smooth :math:`\varepsilon`, :math:`V`, :math:`\varsigma` in ``(s, t)``.
    d : Any
        Dissipation factor.
    s, t, h : sympy.Symbol
        Coordinate, time, shell width (positive).
    face : str
        ``"left"`` or ``"right"``.
    order : int
        Taylor order.

    Returns
    -------
    dict
        ``tau``, ``tau0``, ``tau1``, ``F_plus``, ``F_minus``.

    Raises
    ------
    ShellGridError, InputError
        For a non-positive ``h`` or an unknown ``face``.

    Examples
    --------
    >>> import sympy as sp
    >>> from grsd_sym.symbols import d, s, t, h
    >>> eps, V = sp.Function("epsilon")(s, t), sp.Function("V")(s, t)
    >>> r = finite_volume_truncation(eps, V, 0, d, s, t, h)
    >>> sp.simplify(r["tau0"] - log_transport_residual(eps, V, 0, d, s, t))
    0
    """
    if not h.is_positive:
        raise ShellGridError("the shell width h must be a positive symbol")
    if face not in ("left", "right"):
        raise InputError(f"face must be 'left' or 'right', got {face!r}")

    def avg(f, k):
        return _cell_average(f, s, k * h, h, order)

    up, lo = (0, -1) if face == "left" else (1, 0)
    F_plus = sp.expand(taylor(V, s, h, order) * avg(eps, up))
    F_minus = sp.expand(V * avg(eps, lo))
    E_dot = h * avg(sp.diff(eps, t), 0)
    D = d * sp.exp(s) * h * avg(eps, 0)
    Sig = h * avg(src, 0)
    tau = sp.expand((E_dot - F_minus + F_plus + D - Sig) / h)
    if any(c.has(h) for c in sp.Poly(tau, h).coeffs()):
        raise DerivationError("truncation residual is not a polynomial in h")
    return {"tau": tau, "tau0": tau.coeff(h, 0), "tau1": tau.coeff(h, 1), "F_plus": F_plus, "F_minus": F_minus}


def lazy_solution(g0: Any, d: Any, lam: sp.Symbol, t: sp.Symbol) -> sp.Basic:
    r"""Lazy (NTK) limit :math:`v = 0`, :math:`S = 0`: solve :math:`\partial_t g = -d\lambda g`, :math:`g(\lambda,0) = g_0`.

    Solved by ``dsolve`` in ``t`` (``lambda`` a parameter) and checked by substitution (the
    solver's answer is never trusted unchecked, docs/theory/traps.md).

    Parameters
    ----------
    g0 : Any
        Initial data :math:`g_0(\lambda)`.
    d : Any
        The factor :math:`d`.
    lam, t : sympy.Symbol
        :math:`\lambda` and :math:`t`.

    Returns
    -------
    sympy.Basic
        :math:`g_0 e^{-d\lambda t}` (GRSD-T8).

    Raises
    ------
    DerivationError
        If the solver's answer fails substitution.

    Examples
    --------
    >>> import sympy as sp
    >>> from grsd_sym.symbols import d, lam, t
    >>> lazy_solution(sp.Integer(2), d, lam, t)
    2*exp(-d*lambda*t)
    """
    G = sp.Function("G_lazy")
    sol = sp.dsolve(sp.Eq(G(t).diff(t), -d * lam * G(t)), G(t), ics={G(0): g0})
    g = sol.rhs
    if sp.simplify(lambda_transport_residual(g, 0, 0, d, lam, t)) != 0 or sp.simplify(g.subs(t, 0) - g0) != 0:
        raise DerivationError(f"dsolve returned {g}, which fails substitution")
    return g


# --------------------------------------------------------------------------------------
# the GRSD velocity law and its transport PDE (GRSD-T7), solved by characteristics
# --------------------------------------------------------------------------------------


def transport_velocity(b: Any = _sym.b, sigma: Any = -1, c: str = "self-similar", c0: Any = _sym.c0) -> sp.Basic:
    r"""``v = sigma c(t) lambda^b`` with ``c = c0`` (``"const"``) or ``c = c0 t^(b-2)`` (``"self-similar"``).

    Parameters
    ----------
    b, sigma, c0 : Any
        Exponent, sign and amplitude.
    c : str
        ``"const"`` or ``"self-similar"``.

    Returns
    -------
    sympy.Basic
        :math:`v(\lambda, t)`.

    Raises
    ------
    InputError
        For an unknown ``c``.

    Examples
    --------
    >>> transport_velocity(2, -1, "const", 3)
    -3*lambda**2

    References
    ----------
    GRSD-T7.
    """
    b, sigma, c0 = (sp.sympify(z, rational=True, strict=True) for z in (b, sigma, c0))
    if c == "const":
        ct = c0
    elif c == "self-similar":
        ct = c0 * _sym.t ** (b - 2)
    else:
        raise InputError(f"c must be 'const' or 'self-similar', got {c!r}")
    return sigma * ct * _sym.lam**b


def transport_pde(
    b: Any = _sym.b, sigma: Any = -1, c: str = "self-similar", d: Any = _sym.d, c0: Any = _sym.c0
) -> sp.Basic:
    r"""The GRSD transport PDE (GRSD-T7, source-free), as an expression ``= 0``.

    .. math::  \partial_t g + \partial_\lambda\bigl(\sigma c(t)\lambda^b g\bigr) + d\lambda g = 0

    Parameters
    ----------
    b, sigma, c, d, c0 : Any
        The velocity law :math:`v = \sigma c(t)\lambda^b` (``c``: ``"const"`` or ``"self-similar"``)
        and the dissipation factor.

    Returns
    -------
    sympy.Basic
        The left-hand side.

    Examples
    --------
    >>> transport_pde(2, -1, "const", 1, 3).doit().has(sp.Symbol("lambda", positive=True))
    True
    """
    gg = _sym.g(_sym.lam, _sym.t)
    vel = transport_velocity(b, sigma, c, c0)
    return (
        sp.Derivative(gg, _sym.t)
        + sp.Derivative(vel * gg, _sym.lam)
        + sp.sympify(d, rational=True, strict=True) * _sym.lam * gg
    )


def general_solution(
    b: Any = _sym.b,
    sigma: Any = -1,
    c: str = "self-similar",
    d: Any = _sym.d,
    c0: Any = _sym.c0,
    *,
    witness: bool = True,
) -> PDESolution:
    r"""General solution of the GRSD transport PDE by our characteristics solver (checked).

    For ``b`` symbolic or any rational; ``c = c0`` or ``c0 t^(b-2)``; ``sigma = +-1``.
    The result is :math:`g = \lambda^{-b} e^{-d\Lambda} F(\varphi)` up to the route taken.

    Parameters
    ----------
    b, sigma, c, d, c0
        The velocity law :math:`v = \sigma c(t)\lambda^b` (``c`` is ``"const"`` or
        ``"self-similar"``) and the dissipation factor; exact numbers or symbols.
    witness : bool
        Also check the solution with a numeric witness.

    Returns
    -------
    PDESolution

    Raises
    ------
    InputError
        A float parameter.
    RegionError
        ``sigma`` not +-1, ``d <= 0`` or ``c0 <= 0``.

    Examples
    --------
    >>> general_solution(b=2, sigma=-1, c="const").verified
    True

    References
    ----------
    GRSD-T7, GRSD-T13, GRSD-T14.
    """
    from grsd_sym.derive.characteristics import solve_first_order

    for name, val in (("b", b), ("d", d), ("c0", c0)):
        if isinstance(val, float):
            raise InputError(f"{name} must be exact (int, Rational or symbol), got the float {val}")
    sig = sp.sympify(sigma, strict=True)
    if sig.is_number and sig not in (1, -1):
        raise RegionError(f"sigma must be +1 or -1, got {sigma}")
    dd = sp.sympify(d, rational=True, strict=True)
    if dd.is_number and not dd.is_positive:
        raise RegionError(f"the dissipation factor needs d > 0, got {d}")
    cc = sp.sympify(c0, rational=True, strict=True)
    if cc.is_number and not cc.is_positive:
        raise RegionError(f"the velocity amplitude needs c0 > 0, got {c0}")
    pde = transport_pde(b, sigma, c, d, c0)
    return solve_first_order(pde, _sym.g(_sym.lam, _sym.t), witness=witness)
