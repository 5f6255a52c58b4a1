r"""Mellin-type analysis of the loss along characteristics: which end dominates (GRSD-T13, T16, T17).

With :math:`X = \lambda_0 t` the loss is :math:`L(t) = t^{-1}\int_0^{\lambda_{\max}t}
g_0(X/t)e^{-d\Psi(X)}dX`.  Two ends compete:

* the **head** (:math:`X = O(1)`, i.e. :math:`\lambda_0 \sim 1/t`): :math:`g_0 \sim
  A\lambda^{\kappa-1}\log(1/\lambda)^{m_0}` gives :math:`A t^{-\kappa}(\log t)^{m_0} I`,
  :math:`I = \int_0^{X_{\rm end}} X^{\kappa-1}e^{-d\Psi}dX`, which converges at large :math:`X` iff
  :math:`\kappa < D`;
* the **tail** (:math:`X \to \infty`, :math:`\lambda_0` fixed): :math:`e^{-d\Psi} \sim e^{-dC}X^{-D}`,
  :math:`D = d\xi^*`, gives :math:`e^{-dC}t^{-D}M`, :math:`M = \int_0^{\lambda_{\max}}
  g_0\lambda^{-D}d\lambda`, which converges at 0 iff :math:`\kappa > D`.

:func:`compare_ends` decides the sign of :math:`q = \kappa - D` (exactly); the engine records the
comparison as a checked step, so a wrong comparison fails the certificate.  Equal exponents give
:math:`A e^{-dC}t^{-\kappa}(\log t)^{m_0+1}/(m_0+1)`.  Without a tail (lazy: :math:`D = \infty`;
:math:`\sigma = +1`: :math:`X_{\rm end} = X^*`) the head always wins.
"""

from __future__ import annotations

import itertools
from typing import Any

import mpmath
import sympy as sp

from grsd_sym.errors import RegionError

__all__ = ["compare_ends", "head_constant", "record_comparison", "tail_constant"]


#: exponents below -_UNDERFLOW are taken as 0 (exp would underflow any working precision)
_UNDERFLOW = 20000


def _guarded(u, f):
    """exp(u) f(exp(u)), 0 where it underflows (f may return huge or tiny mpf)."""
    try:
        val = mpmath.exp(u) * f(mpmath.exp(u))
    except (OverflowError, ZeroDivisionError):
        return mpmath.mpf(0)
    return val


def compare_ends(q: Any) -> str | None:
    r"""The dominant end of the loss integral from the sign of :math:`q = \kappa - D` (GRSD-T16).

    Parameters
    ----------
    q : number or sympy.Expr
        :math:`\kappa - D`; ``-oo`` when there is no tail.

    Returns
    -------
    str or None
        ``"head"`` (:math:`q < 0`), ``"tail"`` (:math:`q > 0`), ``"tie"`` (:math:`q = 0`), or
        ``None`` when the sign is not decided (symbolic :math:`q`).

    Examples
    --------
    >>> compare_ends(sp.Rational(-1, 2)), compare_ends(sp.sqrt(2) - 1), compare_ends(0)
    ('head', 'tail', 'tie')
    """
    q = sp.sympify(q, strict=True)
    if q == -sp.oo:
        return "head"
    if q.is_number:
        q = sp.nsimplify(q) if q.is_Float else q
        z = q.is_zero
        if z is None:
            z = sp.simplify(q) == 0
        if z:
            return "tie"
        if q.is_negative:
            return "head"
        if q.is_positive:
            return "tail"
        val = sp.N(q, 60)
        if abs(val) > sp.Float("1e-50"):
            return "head" if val < 0 else "tail"
        raise NotImplementedError(f"could not decide the sign of kappa - d xi* = {q}")
    if q.is_zero:
        return "tie"
    if q.is_negative:
        return "head"
    if q.is_positive:
        return "tail"
    return None


def record_comparison(dv: Any, kappa: Any, D: Any, end: str) -> None:
    r"""Record the comparison of the two ends' exponents as checked steps of ``dv``.

    ``head``: :math:`\min(q, 0) = q`; ``tail``: :math:`\max(q, 0) = q`; ``tie``: :math:`q = 0`
    (:math:`q = \kappa - D`).  Each holds only for the right sign, so a wrong ``end`` fails.

    Parameters
    ----------
    dv : Derivation
        Where the steps go.
    kappa, D : sympy.Expr
        The head exponent and :math:`D = d\xi^*` (``oo``: no tail).
    end : str
        The end claimed to dominate (:func:`compare_ends`).

    Examples
    --------
    >>> from grsd_sym.certificate import Derivation
    >>> dv = Derivation("EX", "ends")
    >>> record_comparison(dv, sp.Rational(1, 2), sp.Integer(1), "head")  # q = -1/2 < 0
    >>> record_comparison(dv, sp.Rational(1, 2), sp.Integer(1), "tail")  # wrong end
    >>> [st.passed for st in dv.steps]
    [True, False]
    """
    if sp.oo == D:
        dv.claim(
            sp.Integer(int(end == "head")),
            1,
            "compare the ends: exp(-d Psi) has no power-law tail (D = oo), so only the head "
            f"can dominate (engine's comparison: {end})",
        )
        return
    q = kappa - D
    if end == "head":
        dv.claim(
            sp.Min(q, 0),
            q,
            f"compare the ends: q = kappa - d xi* = {q} < 0: the head "
            "X^(kappa-1) exp(-d Psi) is integrable at X -> oo: the head dominates",
        )
    elif end == "tail":
        dv.claim(
            sp.Max(q, 0),
            q,
            f"compare the ends: q = kappa - d xi* = {q} > 0: the integral "
            "diverges at X -> oo, cut off at lambda_max t: the tail (frontier) dominates",
        )
    else:
        dv.zero(
            q,
            f"compare the ends: q = kappa - d xi* = {q} = 0: equal exponents, the integral "
            "grows like log(lambda_max t): one extra power of log t",
        )


def _beta_fn(a: sp.Expr, b: sp.Expr) -> sp.Expr:
    return sp.gamma(a) * sp.gamma(b) / sp.gamma(a + b)


def head_constant(prof: Any, kappa: Any, d: Any, dv: Any) -> tuple[sp.Expr | None, Any, Any]:
    r""":math:`I = \int_0^{X_{\rm end}} X^{\kappa-1}e^{-d\Psi(X)}dX`: ``(closed form or None, value, error)``.

    Closed forms (Mellin transforms, each verified generically in the tests by SymPy
    ``integrate`` and per answer by quadrature): :math:`\Psi = X`: :math:`\Gamma(\kappa)d^{-\kappa}`;
    :math:`e^{-d\Psi} = (1 + aX)^{-p}`: :math:`a^{-\kappa}B(\kappa, p - \kappa)`;
    :math:`e^{-d\Psi} = (1 - aX)^{p}` on :math:`(0, 1/a)`: :math:`a^{-\kappa}B(\kappa, p + 1)`.
    Otherwise mpmath quadrature with its error estimate.

    Parameters
    ----------
    prof : ActionProfile
        The action (:math:`\Psi`, ``X_end``).
    kappa, d : sympy.Expr
        Head exponent and dissipation factor.
    dv : Derivation
        Where the closed form's step is recorded.

    Returns
    -------
    tuple
        ``(closed form or None, value, error)`` of :math:`I`.

    Examples
    --------
    >>> from grsd_sym.certificate import Derivation
    >>> from grsd_sym.derive.asymptotics.phases import action_profile
    >>> dv = Derivation("EX", "head")
    >>> head_constant(action_profile(None, 2, dv), sp.Rational(1, 2), 2, dv)[0]
    sqrt(2)*sqrt(pi)/2
    """
    from grsd_sym.derive.asymptotics.phases import X

    closed = None
    psi = prof.psi
    vel = prof.velocity
    if psi is not None and sp.simplify(psi - X) == 0:
        closed = sp.gamma(kappa) * d ** (-kappa)
        dv.claim(
            sp.exp(-d * psi),
            sp.exp(-d * X),
            "Psi(X) = X: I = int_0^oo X^(kappa-1) exp(-d X) dX = Gamma(kappa) d^-kappa (Mellin transform of exp)",
        )
    elif psi is not None and vel is not None and vel.b == 2:
        sig, c0 = vel.sigma, vel.c0
        p = d / c0
        Y = sp.Dummy("Y", positive=True)  # Y = 1 - sigma c0 X > 0 (before the blow-up for sigma = +1)
        dv.claim(
            sp.exp(-d * psi).subs(X, sig * (1 - Y) / c0),
            Y ** (sig * p),
            f"b = 2: exp(-d Psi(X)) = (1 {'+' if sig == -1 else '-'} c0 X)^({sig * p}) "
            "(checked in Y = 1 - sigma c0 X > 0)",
            force=True,
        )
        if sig == -1:
            closed = c0 ** (-kappa) * _beta_fn(kappa, p - kappa)
            why = "I = c0^-kappa B(kappa, d/c0 - kappa) (Beta integral, kappa < d/c0)"
        else:
            closed = c0 ** (-kappa) * _beta_fn(kappa, p + 1)
            why = "I = int_0^(1/c0) X^(kappa-1) (1 - c0 X)^(d/c0) dX = c0^-kappa B(kappa, d/c0 + 1)"
        dv.define(sp.Symbol("I"), closed, why)
    if not (sp.sympify(kappa, strict=True).is_number and sp.sympify(d, strict=True).is_number):
        return closed, None, None
    val, err = _head_quad(prof, kappa, d)
    return closed, val, err


def _head_quad(prof, kappa: Any, d: Any, dps: int = 20):
    with mpmath.workdps(dps):
        k, dd = mpmath.mpf(sp.N(kappa, dps)), mpmath.mpf(sp.N(d, dps))
        if prof.psi is not None:  # the large-t profile Psi(X) (constant c, b > 2: X, not S(X, 1))
            from grsd_sym.derive.asymptotics.phases import X as _X

            pf = sp.lambdify(_X, prof.psi, "mpmath")

            def act(Xv, _t):
                return pf(Xv)
        else:
            act = prof.action_mp
        one = mpmath.mpf(1)

        def f(u):
            Xv = mpmath.exp(u)
            if Xv >= xend:
                return mpmath.mpf(0)
            s = act(Xv, one)
            if s == mpmath.inf:
                return mpmath.mpf(0)
            e = k * u - dd * mpmath.re(s)  # rounding next to the blow-up point may give a zero imag part
            return mpmath.exp(e) if e > -_UNDERFLOW else mpmath.mpf(0)

        xend = mpmath.inf if prof.X_end == sp.oo else mpmath.mpf(sp.N(prof.X_end, dps))
        top = mpmath.log(xend)
        pts = [-mpmath.inf, -40, -20, -10, -4, -2, 0, 2, 4, 10, 20, 40, 80, 160, 320, 640, 1280, mpmath.inf]
        pts = [p for p in pts if p < top] + [top]
        tot, err = mpmath.mpf(0), mpmath.mpf(0)
        for a, b in itertools.pairwise(pts):
            v, e = mpmath.quad(f, [a, b], error=True)
            tot += v
            err += abs(e)
        return tot, err


def _spectrum_moment(g0: sp.Expr, lam: sp.Symbol, D: Any, lam_max: Any) -> sp.Expr | None:
    r"""Closed form of :math:`M = \int_0^{\lambda_{\max}} g_0(\lambda)\lambda^{-D}d\lambda` when
    :math:`g_0` is a finite sum of :math:`a\lambda^{p}\log(1/\lambda)^{m}` and :math:`\lambda_{\max}`
    is finite (``None`` otherwise).

    Term by term, with :math:`s = p + 1 - D > 0` and :math:`u = \log(1/\lambda)`:
    :math:`a\,s^{-m-1}\Gamma(m+1, s\log(1/\lambda_{\max}))` (:math:`a\lambda_{\max}^s/s` for
    :math:`m = 0`).
    """
    from grsd_sym.derive.asymptotics.head import leading_term

    if lam_max == sp.oo:
        return None
    total = sp.Integer(0)
    for term in sp.Add.make_args(sp.expand(g0)):
        try:
            h = leading_term(term, lam)
        except (RegionError, NotImplementedError):
            return None
        if h.correction != sp.oo:
            return None
        s = h.kappa - D
        if not s.is_positive:
            return None
        m = h.log_power
        if m == 0:
            total += h.amplitude * lam_max**s / s
        elif lam_max == 1:
            total += h.amplitude * sp.gamma(m + 1) / s ** (m + 1)
        elif lam_max < 1 or (m.is_integer and m > 0):
            total += h.amplitude * sp.uppergamma(m + 1, s * sp.log(1 / lam_max)) / s ** (m + 1)
        else:
            return None
    return total


def tail_constant(g0: sp.Expr, lam: sp.Symbol, D: Any, lam_max: Any, dps: int = 20) -> tuple[sp.Expr | None, Any, Any]:
    r""":math:`M = \int_0^{\lambda_{\max}} g_0\lambda^{-D}d\lambda`, the tail end's constant (GRSD-T16).

    Parameters
    ----------
    g0 : sympy.Expr
        The spectrum in ``lam``.
    lam : sympy.Symbol
        Its variable.
    D : sympy.Expr
        :math:`d\xi^*`.
    lam_max : sympy.Expr
        Top of the spectrum (finite for a convergent tail).
    dps : int
        Working precision of the quadrature.

    Returns
    -------
    tuple
        ``(closed form or None, value, error)``.

    Examples
    --------
    >>> lam = sp.Symbol("lambda", positive=True)
    >>> closed, val, err = tail_constant(lam, lam, sp.Integer(1), sp.Integer(1))
    >>> closed, float(val)
    (1, 1.0)
    """
    closed = _spectrum_moment(g0, lam, D, lam_max)
    f = sp.lambdify(lam, g0 * lam ** (-D), "mpmath")
    with mpmath.workdps(dps):
        top = mpmath.inf if lam_max == sp.oo else mpmath.log(mpmath.mpf(sp.N(lam_max, dps)))
        pts = [-mpmath.inf, -80, -40, -20, -10, -5, -2, 0, 2, 5, 10, 20, 40, 80, mpmath.inf]
        pts = [p for p in pts if p < top] + [top]
        tot, err = mpmath.mpf(0), mpmath.mpf(0)
        for a, b in itertools.pairwise(pts):
            v, e = mpmath.quad(lambda u: _guarded(u, f), [a, b], error=True)
            tot += v
            err += abs(e)
    return closed, tot, err
