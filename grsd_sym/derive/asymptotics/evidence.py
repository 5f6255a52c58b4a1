r"""Numeric evidence for a derived asymptotic law: the exact loss by quadrature (GRSD-T16).

:func:`exact_loss` evaluates :math:`L(t) = \int_0^{\lambda_{\max}} g_0(\lambda_0)
e^{-d S(\lambda_0, t)} d\lambda_0` by mpmath quadrature in :math:`u = \log\lambda_0`, split around
the resolution scale :math:`\lambda_0 = 1/t`, with the summed error estimate.  :func:`check_law`
compares it with :math:`P t^{-\alpha}(\log t)^m` at several large :math:`t`: the local slope
:math:`-d\log L/d\log t` (centred difference) and the ratio.  When :math:`m \ne 0` or the law is
approached like :math:`1/\log t` the ratio and slope are extrapolated to :math:`1/\log t \to 0` by
a polynomial fit in :math:`1/\log t` (the known form of the correction), not compared with a
loose tolerance.
"""

from __future__ import annotations

import dataclasses
import itertools
import math
from collections.abc import Callable, Sequence
from typing import Any

import mpmath

from grsd_sym.errors import DerivationError

__all__ = ["Evidence", "check_law", "choose_times", "exact_loss", "record_evidence"]

_OFFSETS = (-60, -20, -6, -2, 0, 2, 6, 20, 60, 200, 600, 2000)


def _resolution_scale(action: Callable, t: Any, top: Any) -> Any:
    """``log lambda0`` where the action ``S(lambda0, t)`` crosses 1 (bisection; S increases with lambda0)."""
    lo, hi = -mpmath.log(t) - 200, -mpmath.log(t) + 200
    hi = min(hi, top)
    for _ in range(60):
        mid = (lo + hi) / 2
        s = action(mpmath.exp(mid), t)
        if s == mpmath.inf or s > 1:
            hi = mid
        else:
            lo = mid
    return (lo + hi) / 2


def exact_loss(
    t: Any, *, g0: Callable, action: Callable, d: Any, lam_max: Any, X_end: Any = None, dps: int = 15
) -> tuple[Any, Any]:
    r"""``(L(t), error estimate)`` by mpmath quadrature of the integral along characteristics.

    The split points are placed around the resolution scale, the :math:`\lambda_0` where the
    action :math:`S(\lambda_0, t)` crosses 1 (found by bisection, so no derived result is used).

    ``g0(lam0)`` and ``action(lam0, t)`` are mpmath callables; ``X_end`` (blow-up) cuts the
    range at :math:`\lambda_0 = X_{\rm end}/t`.

    Parameters
    ----------
    t : number
        Time, ``> 0``.
    g0, action : callable
        ``g0(lam0)`` and ``action(lam0, t)`` (mpmath).
    d : number
        Dissipation factor.
    lam_max : number or None
        Top of the spectrum (``None``: infinite).
    X_end : number or None
        Blow-up cut, or ``None``.
    dps : int
        Working precision (digits).

    Returns
    -------
    tuple
        ``(L(t), error estimate)`` as mpmath numbers.

    Raises
    ------
    DerivationError
        When the quadrature is not a finite real number.

    Examples
    --------
    >>> L, err = exact_loss(1, g0=lambda l0: 1, action=lambda l0, t: l0 * t, d=1, lam_max=None)
    >>> round(float(L), 12), err < 1e-10  # int_0^oo exp(-lam0) dlam0 = 1
    (1.0, True)
    """
    with mpmath.workdps(dps):
        t = mpmath.mpf(t)
        dd = mpmath.mpf(d)
        top = mpmath.inf if lam_max is None else mpmath.log(mpmath.mpf(lam_max))
        if X_end is not None:
            top = min(top, mpmath.log(mpmath.mpf(X_end) / t))
        uc = _resolution_scale(action, t, top)
        pts = [uc + o for o in _OFFSETS if uc + o < top]
        pts = [-mpmath.inf, *pts, top]

        def f(u):
            lam0 = mpmath.exp(u)
            s = action(lam0, t)
            if s == mpmath.inf:
                return mpmath.mpf(0)
            if dd * s > 20000:
                return mpmath.mpf(0)
            return lam0 * g0(lam0) * mpmath.exp(-dd * s)

        total, err = mpmath.mpf(0), mpmath.mpf(0)
        for a, b in itertools.pairwise(pts):
            if b <= a:
                continue
            v, e = mpmath.quad(f, [a, b], error=True)
            total += v
            err += abs(e)
        if not mpmath.isfinite(total) or mpmath.im(total) != 0:
            raise DerivationError(f"the exact loss at t = {t} is not a finite real number ({total})")
        return total, err


@dataclasses.dataclass
class Evidence:
    """Quadrature evidence for ``L ~ P t^-alpha (log t)^m`` (made by :func:`check_law`; GRSD-T16).

    Attributes
    ----------
    times, log10_times : list of float
        The times :math:`t` and :math:`\\log_{10} t`.
    losses : list of str
        :math:`L(t)` (12 digits).
    quad_errors, slopes, ratios : list of float
        Relative quadrature errors, local slopes :math:`-d\\log L/d\\log t`, ratios :math:`L` / law.
    slope_limit, ratio_limit : float
        Their limits (``method`` says how).
    method : str
        Last value, or extrapolation in :math:`1/\\log t`.
    slope_deviation, ratio_deviation, tolerance : float
        Distances from :math:`\\alpha` and 1, and the tolerance both must meet.

    Examples
    --------
    >>> Evidence([1e3], [3.0], ["1.0"], [0.0], [0.5], [1.0], 0.5, 1.0, "last", 0.0, 0.0, 1e-3).passed
    True
    """

    times: list[float]
    log10_times: list[float]
    losses: list[str]
    quad_errors: list[float]
    slopes: list[float]
    ratios: list[float]
    slope_limit: float
    ratio_limit: float
    method: str
    slope_deviation: float
    ratio_deviation: float
    tolerance: float

    @property
    def passed(self) -> bool:
        """Both deviations within the tolerance."""
        return self.slope_deviation <= self.tolerance and self.ratio_deviation <= self.tolerance

    def to_dict(self) -> dict:
        """The fields and ``passed``, JSON-ready."""
        out = dataclasses.asdict(self)
        out["passed"] = self.passed
        return out


def choose_times(correction: Any, log_power: Any, *, target: float = 1e-4, count: int = 3) -> list:
    r"""Times at which the derived corrections are below ``target``.

    For an algebraic correction :math:`t^{-\omega}` (``correction = omega``) the smallest time is
    :math:`t_1 = (\omega\,\text{target})^{-1/\omega}` (the :math:`1/\omega` covers the prefactor of
    a correction such as :math:`(\lambda_{\max}t)^{-\omega}/\omega`), then a factor
    :math:`10^{3}` apart; for a logarithmic correction (``omega = 0`` or :math:`m \ne 0`) times
    spread in :math:`\log t` (:math:`10^{25}, 10^{50}, 10^{100}, 10^{200}`) for the extrapolation in
    :math:`1/\log t`.

    Parameters
    ----------
    correction : number or None
        :math:`\omega` (``None`` or ``<= 0``: logarithmic).
    log_power : number
        :math:`m`.
    target : float
        Size of the correction at the first time.
    count : int
        Number of times (algebraic case).

    Returns
    -------
    list of mpmath.mpf
        Increasing times.

    Examples
    --------
    >>> [int(mpmath.log10(t)) for t in choose_times(1, 0)]
    [4, 7, 10]
    """
    if correction is None or float(correction) <= 0 or float(log_power) != 0:
        return [mpmath.mpf(10) ** k for k in (25, 50, 100, 200)][: max(count, 3) + 1]
    om = float(correction)
    if math.isinf(om):
        l1 = 3.0
    else:
        l1 = min(max(-math.log10(target * min(om, 1.0)) / om, 3.0), 600.0)
    return [mpmath.mpf(10) ** (l1 + 3 * k) for k in range(count)]


def _extrapolate(xs: Sequence[float], ys: Sequence[float]) -> float:
    """Value at x = 0 of the polynomial through (xs, ys) (Neville)."""
    n = len(xs)
    p = list(ys)
    for k in range(1, n):
        for i in range(n - k):
            p[i] = ((0 - xs[i + k]) * p[i] + (xs[i] - 0) * p[i + 1]) / (xs[i] - xs[i + k])
    return p[0]


def check_law(
    loss: Callable[[Any], tuple[Any, Any]],
    law: tuple[Any, Any, Any],
    times: Sequence,
    *,
    logarithmic: bool = False,
    tolerance: float = 1e-3,
    dps: int = 15,
    step: float = 1e-3,
) -> Evidence:
    r"""Compare the exact :math:`L(t)` (``loss(t) -> (L, error)``, e.g. :func:`exact_loss` with its
    quadrature data bound) with the law :math:`P t^{-\alpha}(\log t)^m`, ``law = (alpha, m, P)``, at ``times``.

    Returns the local slopes (centred difference of :math:`\log L` in :math:`\log t`, step
    ``step``), the ratios, and their limits: the last value, or (``logarithmic``) the value at
    :math:`1/\log t = 0` of the polynomial in :math:`1/\log t` through the points.  For the slope
    the known :math:`-m/\log t` term is removed before extrapolating.  :math:`L(t)` itself is the
    geometric mean of :math:`L(te^{\pm h})` (relative error :math:`O(h^2)`, :math:`10^{-6}` here).

    Parameters
    ----------
    loss : callable
        ``loss(t) -> (L, error)``.
    law : tuple
        ``(alpha, m, P)``.
    times : sequence
        Times, increasing.
    logarithmic : bool
        Extrapolate in :math:`1/\log t` instead of taking the last value.
    tolerance : float
        Allowed deviation of the slope from :math:`\alpha` and of the ratio from 1.
    dps : int
        Working precision (digits).
    step : float
        Half-width :math:`h` of the centred difference in :math:`\log t`.

    Returns
    -------
    Evidence
        Slopes, ratios, their limits and the verdict.

    Examples
    --------
    >>> exact = lambda t: (1 / t, 0)  # L = 1/t exactly
    >>> ev = check_law(exact, (1, 0, 1), [10.0, 100.0])
    >>> ev.passed, round(ev.slope_limit, 9)
    (True, 1.0)
    """
    alpha, log_power, prefactor = law
    al, m = float(alpha), float(log_power)
    slopes, ratios, losses, errs, l10 = [], [], [], [], []
    with mpmath.workdps(dps):
        h = mpmath.mpf(step)
        for t in times:
            t = mpmath.mpf(t)
            Lp, ep = loss(t * mpmath.exp(h))
            Lm, em = loss(t * mpmath.exp(-h))
            L, e = mpmath.sqrt(Lp * Lm), (ep + em) / 2  # L(t) to O(h^2) relative
            lt = mpmath.log(t)
            slopes.append(float(-(mpmath.log(Lp) - mpmath.log(Lm)) / (2 * h)))
            model = mpmath.mpf(prefactor) * t ** (-al) * lt**m
            ratios.append(float(L / model))
            losses.append(mpmath.nstr(L, 12))
            errs.append(float(e / L))
            l10.append(float(mpmath.log10(t)))
    if logarithmic:
        inv = [1 / (li * math.log(10)) for li in l10]
        ratio_lim = _extrapolate(inv, ratios)
        slope_lim = _extrapolate(inv, [s + m * x for s, x in zip(slopes, inv, strict=True)])
        method = f"extrapolation to 1/log t = 0 (polynomial of degree {len(inv) - 1} in 1/log t)"
    else:
        ratio_lim, slope_lim = ratios[-1], slopes[-1]
        method = "value at the largest t (algebraic corrections below the tolerance there)"
    return Evidence(
        [float(x) for x in times],
        l10,
        losses,
        errs,
        slopes,
        ratios,
        slope_lim,
        ratio_lim,
        method,
        abs(slope_lim - al),
        abs(ratio_lim - 1),
        tolerance,
    )


def record_evidence(dv: Any, description: str, *, passed: bool, data: Any = None, method: str = "") -> None:
    """Record numeric evidence in ``dv`` (:meth:`~grsd_sym.certificate.Derivation.evidence`: never a proof).

    Parameters
    ----------
    dv : Derivation
        Where to record it.
    description : str
        What was compared.
    passed : bool
        The verdict.
    data : optional
        The numbers (e.g. :meth:`Evidence.to_dict`).
    method : str
        How they were obtained.

    Examples
    --------
    >>> from grsd_sym.certificate import Derivation
    >>> dv = Derivation("EX", "evidence")
    >>> record_evidence(dv, "slope of L(t)", passed=True)
    >>> [e.passed for e in dv.evidence_items]
    [True]
    """
    dv.evidence(description, passed=passed, data=data, method=method)
