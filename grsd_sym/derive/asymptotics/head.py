r"""The head of the initial spectrum: :math:`g_0(\lambda) \sim A\lambda^{\kappa-1}\log(1/\lambda)^{m_0}` as :math:`\lambda \to 0`.

The leading term of the user's :math:`g_0` is *extracted* by limits, not assumed (GRSD-T16,
docs/theory/solutions.md, the loss along characteristics):

* :math:`\kappa - 1 = \lim_{\lambda\to 0}\lambda g_0'/g_0` (the log-slope);
* with :math:`h = g_0/\lambda^{\kappa-1}` and :math:`\lambda = e^{-u}`:
  :math:`m_0 = \lim_{u\to\infty} u\,h'(u)/h(u)` and :math:`A = \lim_{u\to\infty} h/u^{m_0}`;
* the extraction is checked by a separate limit of the ratio
  :math:`g_0/(A\lambda^{\kappa-1}\log(1/\lambda)^{m_0}) \to 1`, and the first correction
  :math:`\delta` (the ratio is :math:`1 + O(\lambda^{\delta})`) is extracted the same way.

The growth at :math:`\lambda \to \infty` (needed when :math:`\lambda_{\max} = \infty`) is the
log-slope limit at infinity.

>>> import sympy as sp
>>> lam = sp.Symbol("lambda", positive=True)
>>> h = leading_term(3 * lam + lam**2, lam)
>>> (h.kappa, h.log_power, h.amplitude, h.correction)
(2, 0, 3, 1)
"""

from __future__ import annotations

import dataclasses
from typing import Any

import sympy as sp

from grsd_sym.errors import InputError, RegionError

__all__ = ["LeadingTerm", "growth_at_infinity", "leading_term"]

_u = sp.Symbol("u", positive=True)


@dataclasses.dataclass(frozen=True)
class LeadingTerm:
    r"""``g0 ~ amplitude * lambda^(kappa-1) * log(1/lambda)^log_power`` as ``lambda -> 0`` (made by :func:`leading_term`).

    Attributes
    ----------
    expr, var : sympy.Expr, sympy.Symbol
        :math:`g_0` and its variable.
    kappa, log_power, amplitude : sympy.Expr
        The leading term's exponent data and amplitude.
    correction : sympy.Expr or None
        :math:`\delta` of the first relative correction :math:`O(\lambda^\delta)` (``oo``: exact;
        ``0``: only logarithmic; ``None``: not extracted).
    ratio_limit : sympy.Expr
        Limit of :math:`g_0` / leading term (1 when checked).

    Examples
    --------
    >>> lam = sp.Symbol("lambda", positive=True)
    >>> leading_term(3 * lam + lam**2, lam).leading
    3*lambda
    """

    expr: sp.Expr
    var: sp.Symbol
    kappa: sp.Expr
    log_power: sp.Expr
    amplitude: sp.Expr
    correction: sp.Expr | None
    ratio_limit: sp.Expr

    @property
    def leading(self) -> sp.Expr:
        """The extracted leading term as an expression in ``var``."""
        return self.amplitude * self.var ** (self.kappa - 1) * sp.log(1 / self.var) ** self.log_power


def _limit(expr: sp.Expr, var: sp.Symbol, point: Any, direction: str = "+") -> sp.Expr:
    try:
        val = sp.limit(expr, var, point, direction)
    except (NotImplementedError, ValueError, TypeError, RecursionError) as exc:
        raise NotImplementedError(f"SymPy could not take the limit of {expr} as {var} -> {point}: {exc}") from exc
    if val.has(sp.Limit, sp.AccumBounds, sp.nan, sp.zoo):
        raise NotImplementedError(f"the limit of {expr} as {var} -> {point} is not determined (SymPy returned {val})")
    return val


def _log_slope(expr: sp.Expr, var: sp.Symbol, point: Any) -> sp.Expr:
    return _limit(sp.cancel(var * sp.diff(expr, var) / expr), var, point)


def _correction(ratio: sp.Expr, var: sp.Symbol) -> sp.Expr | None:
    """Exponent of the leading behaviour of ``ratio - 1`` at 0 (``oo`` if it vanishes)."""
    r = sp.simplify(ratio - 1)
    if r == 0:
        return sp.oo
    try:
        p = _log_slope(r, var, 0)
    except NotImplementedError:
        return None
    if p.is_extended_real and p.is_finite and p >= 0:
        return p
    return None


def leading_term(g0: Any, var: sp.Symbol) -> LeadingTerm:
    r"""Extract the leading behaviour of ``g0`` at ``var -> 0+`` (GRSD-T16, head of the spectrum).

    Parameters
    ----------
    g0 : sympy expression
        The initial error-energy density, positive near 0, in the positive symbol ``var``.
    var : sympy.Symbol
        The spectral variable (declared positive).

    Returns
    -------
    LeadingTerm
        ``kappa``, ``log_power`` (:math:`m_0`), ``amplitude`` (:math:`A`), the correction
        exponent and the checked ratio limit (1).

    Raises
    ------
    RegionError
        If the head is not of the form :math:`A\lambda^{\kappa-1}\log(1/\lambda)^{m_0}` with
        :math:`A > 0`, or :math:`\kappa \le 0` (the loss integral diverges at 0).
    NotImplementedError
        If SymPy cannot take the limits.

    Examples
    --------
    >>> import sympy as sp
    >>> lam = sp.Symbol("lambda", positive=True)
    >>> h = leading_term(sp.sqrt(lam) * sp.log(1 / lam)**2, lam)
    >>> (h.kappa, h.log_power, h.amplitude)
    (3/2, 2, 1)

    References
    ----------
    GRSD-T16 (docs/theory/solutions.md, the loss along characteristics: the head of :math:`g_0` sets :math:`t^{-\kappa}(\log t)^{m_0}`).
    """
    if not isinstance(var, sp.Symbol) or not var.is_positive:
        raise InputError("the spectral variable must be a positive SymPy symbol")
    g0 = sp.sympify(g0, strict=True)
    if not isinstance(g0, sp.Expr) or any(not s.is_positive for s in g0.free_symbols - {var}):
        raise InputError(f"g0 must be an expression in {var} (and positive parameters), got {g0!r}")
    if g0.is_zero:
        raise RegionError("g0 = 0: there is no loss")
    km1 = _log_slope(g0, var, 0)
    if km1.is_finite is False or km1.is_extended_real is False:
        raise RegionError(f"g0 = {g0} is not power-like at lambda -> 0 (log-slope {km1})")
    kappa = sp.simplify(km1 + 1)
    if kappa.is_positive is False:
        raise RegionError(
            f"g0 = {g0} has kappa = {kappa} <= 0 at lambda -> 0: the loss integral "
            f"int_0 g0 dlambda diverges (kappa > 0 is needed)"
        )
    h = sp.powsimp(sp.expand_power_base(g0 / var ** (kappa - 1), force=True), force=True)
    hu = h.subs(var, sp.exp(-_u))
    m0 = sp.simplify(_limit(sp.simplify(_u * sp.diff(hu, _u) / hu), _u, sp.oo))
    if m0.is_finite is False:
        raise RegionError(
            f"g0 = {g0}: the factor beyond lambda^(kappa-1) is not a power of "
            f"log(1/lambda) (log-slope in log(1/lambda): {m0})"
        )
    amp = sp.simplify(_limit(hu / _u**m0, _u, sp.oo))
    if amp.is_positive is False or amp.is_finite is False or amp == 0:
        raise RegionError(
            f"g0 = {g0}: amplitude A = {amp} of the head is not finite and positive "
            f"(g0 must be positive near lambda = 0)"
        )
    leading = amp * var ** (kappa - 1) * sp.log(1 / var) ** m0
    ratio = sp.powsimp(sp.expand_power_base(g0 / leading, force=True), force=True)
    rlim = _limit(ratio, var, 0)
    if sp.simplify(rlim - 1) != 0:
        raise NotImplementedError(
            f"leading-term extraction of {g0} failed its check: g0 / ({leading}) -> {rlim}, not 1"
        )
    return LeadingTerm(g0, var, kappa, m0, amp, _correction(ratio, var), rlim)


def growth_at_infinity(g0: Any, var: sp.Symbol) -> sp.Expr:
    r"""The log-slope :math:`\lim_{\lambda\to\infty}\lambda g_0'/g_0` (``-oo`` for faster-than-power decay).

    Parameters
    ----------
    g0 : sympy.Expr
        The spectrum.
    var : sympy.Symbol
        Its variable.

    Returns
    -------
    sympy.Expr
        The limit (``-oo``: faster than every power).

    Examples
    --------
    >>> import sympy as sp
    >>> lam = sp.Symbol("lambda", positive=True)
    >>> growth_at_infinity(lam / (1 + lam)**3, lam)
    -2
    """
    return _log_slope(sp.sympify(g0, strict=True), var, sp.oo)
