r"""High-precision quadrature of the exact transport loss (numeric witness of GRSD-T16).

For :math:`v = \sigma c_0 t^{b-2}\lambda^b` (:math:`b > 1`), :math:`g_0 = A\lambda^{\kappa-1}` on
:math:`(0, \lambda_{\max}]`, transporting the energy along the exact characteristics
(GRSD-T14) gives, exactly,

.. math::

    L(t) = \int_0^{\lambda_{\max}} A\lambda_0^{\kappa-1} e^{-d\Psi_\sigma(\lambda_0 t)}\,d\lambda_0
         = A\,t^{-\kappa}\int_0^{\min(\lambda_{\max}t,\ X_\sigma)} X^{\kappa-1}e^{-d\Psi_\sigma(X)}\,dX,

    \Psi_\sigma(X) = \int_0^X (1 - \sigma c_0 u^{b-1})^{-1/(b-1)}\,du
                   = X\,{}_2F_1\!\left(\tfrac{1}{b-1}, \tfrac{1}{b-1}; 1 + \tfrac{1}{b-1}; \sigma c_0 X^{b-1}\right)

with :math:`X_{-1} = \infty` and :math:`X_{+1} = \xi^*` (for :math:`\sigma=+1` the modes with
:math:`\lambda_0 t \ge \xi^*` have been carried to :math:`\lambda = \infty` -- learned -- in
finite time).  The hypergeometric form follows from termwise integration of the binomial
series and is checked against direct quadrature of :math:`\Psi'` in the tests.

The quadrature runs in :math:`u = \log X` with mpmath Gauss-Legendre, split at unit intervals.

:func:`exact_loss` is the one exact loss of the transport problem
(:class:`~grsd_sym.params.TransportParams`): the lowered lazy loss (GRSD-T13) for ``c0 = 0``,
the hypergeometric closed form for ``b = 2``, the quadrature above for the self-similar ``c``
and, for constant ``c`` (:math:`c = c_0`), the quadrature of
:math:`\lambda_0^{\kappa-1}e^{-d\Phi(\lambda_0, t)}` with the action :math:`\Phi` of
:func:`dissipated_action`.  :func:`fit_loss_exponent` is the one least-squares exponent fit.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from typing import Any

import mpmath
import numpy as np

from grsd_sym.errors import InputError, NonFiniteError, RegionError
from grsd_sym.params import TransportParams, time_grid

__all__ = ["action", "dissipated_action", "transport_losses", "exact_loss", "fitted_exponent", "fit_loss_exponent"]


def _params(params: TransportParams | None, kw: dict) -> TransportParams:
    """The parameters (given, or built from the keywords ``b, c0, kappa, d, sigma, lam_max``)."""
    if params is None:
        kw = dict(kw)
        params = TransportParams(
            kw.pop("b"),
            kw.pop("c0"),
            kw.pop("kappa"),
            kw.pop("d"),
            kw.pop("sigma", -1),
            "self-similar",
            kw.pop("lam_max", 1),
        )
        if kw:
            raise InputError(f"unknown parameter(s) {sorted(kw)}")
    if not isinstance(params, TransportParams):
        raise InputError("params must be a TransportParams")
    if params.c_form != "self-similar" or not params.b > 1 or params.lazy:
        raise RegionError(f"the quadrature is derived for c = c0 t^(b-2) with b > 1 and c0 > 0, got {params.to_dict()}")
    return params


class _Action:
    r"""Fast evaluation of :math:`\Psi_\sigma(X)` at the working precision.

    * :math:`|z| \le 1/2` (:math:`z = \sigma c_0 X^{b-1}`): the hypergeometric series
      :math:`X\sum_n \frac{(\beta)_n}{n!}\frac{\beta}{\beta+n} z^n`, :math:`\beta = 1/(b-1)`;
    * :math:`\sigma=-1`, :math:`|z| \ge 2`: :math:`\Psi = \xi^*\log X + R_\infty
      - \xi^*\sum_{n\ge1}\binom{-\beta}{n}\frac{(c_0 X^{b-1})^{-n}}{n(b-1)}` (termwise integral
      of :math:`\Psi' - \xi^*/X`), with :math:`R_\infty` matched to ``hyp2f1`` at :math:`|z| = 2`;
    * otherwise mpmath ``hyp2f1``.
    """

    def __init__(self, b, c0, sigma):
        self.b, self.c0, self.sigma = mpmath.mpf(b), mpmath.mpf(c0), sigma
        self.beta = 1 / (self.b - 1)
        self.xs = self.c0 ** (-self.beta)
        self.eps = mpmath.mpf(10) ** (-mpmath.mp.dps - 3)
        if sigma == -1:
            X0 = (2 / self.c0) ** self.beta
            self.R = self._hyp(X0) - self.xs * mpmath.log(X0) + self._tail(X0)

    def _hyp(self, X):
        z = self.sigma * self.c0 * X ** (self.b - 1)
        return X * mpmath.hyp2f1(self.beta, self.beta, 1 + self.beta, z)

    def _tail(self, X):
        w = 1 / (self.c0 * X ** (self.b - 1))
        total, coef, n = mpmath.mpf(0), mpmath.mpf(1), 1
        while True:
            coef *= -(self.beta + n - 1) / n * w  # binom(-beta, n) w^n
            term = coef / (n * (self.b - 1))
            total += term
            if abs(term) < self.eps * (1 + abs(total)):
                break
            n += 1
        return self.xs * total

    def __call__(self, X):
        X = mpmath.mpf(X)
        z = self.sigma * self.c0 * X ** (self.b - 1)
        if abs(z) <= 0.5:
            total, coef, n = mpmath.mpf(0), mpmath.mpf(1), 0
            while True:
                term = coef * self.beta / (self.beta + n)
                total += term
                if abs(term) < self.eps * abs(total):
                    break
                coef *= (self.beta + n) / (n + 1) * z
                n += 1
            return X * total
        if self.sigma == -1 and abs(z) >= 2:
            return self.xs * mpmath.log(X) + self.R - self._tail(X)
        return self._hyp(X)


def action(X: Any, b: Any, c0: Any, sigma: int = -1) -> mpmath.mpf:
    r"""The dissipated action :math:`\Psi_\sigma(X)` (per unit :math:`\lambda_0`-time), mpmath (GRSD-T14).

    Parameters
    ----------
    X : number
        :math:`\lambda_0 t`.
    b, c0 : number
        Velocity exponent and amplitude.
    sigma : int
        Sign of the velocity, -1 or +1.

    Returns
    -------
    mpmath.mpf
        :math:`\Psi_\sigma(X)`.

    Examples
    --------
    >>> float(action(1, 2, 1))   # b = 2: log(1 + X)
    0.6931471805599453
    """
    return _Action(b, c0, sigma)(X)


def transport_losses(
    ts: Sequence[Any], params: TransportParams | None = None, *, A: Any = 1, dps: int = 20, **kw: Any
) -> list:
    r"""The exact loss :math:`L(t)` at every ``t`` in ``ts``, by quadrature at ``dps`` digits.

    The integrals over :math:`u = \log X \in (-\infty, \log(\lambda_{\max} t)]` are nested,
    so they are accumulated over one partition of unit steps (each piece computed once).

    Parameters
    ----------
    ts : sequence of numbers
        Times ``> 0``.
    params : TransportParams, optional
        Self-similar ``c``, ``b > 1``, ``c0 > 0``; or the keywords ``b, c0, kappa, d, sigma, lam_max``.
    A : number
        Amplitude of :math:`g_0`.
    dps : int
        Working precision.

    Returns
    -------
    list of mpmath.mpf
        :math:`L(t)` at each time.

    Raises
    ------
    RegionError, InputError

    Examples
    --------
    >>> L = transport_losses([10], b=2, c0=1, kappa=1, d=1, dps=15)
    >>> round(float(L[0]), 10)   # int_0^10 e^{-log(1+X)} dX / 10 = log(11)/10
    0.2397895273

    References
    ----------
    GRSD-T16.
    """
    P = _params(params, kw)
    if any(not t > 0 for t in ts):
        raise InputError(f"t > 0 is required, got t = {list(ts)}")
    with mpmath.workdps(dps):
        b_, c0_, k_, d_ = (mpmath.mpf(x.p) / x.q for x in (P.b, P.c0, P.kappa, P.d))
        sigma = P.sigma
        psi = _Action(b_, c0_, sigma)
        tops = []
        for t in ts:
            top = mpmath.mpf(P.lambda_max.p) / P.lambda_max.q * mpmath.mpf(t)
            if sigma == 1:
                top = min(top, c0_ ** (-1 / (b_ - 1)))
            tops.append(mpmath.log(top))

        def f(u: Any) -> Any:
            return mpmath.exp(k_ * u - d_ * psi(mpmath.exp(u)))

        # partition: -inf, then unit steps from below min(tops) up to max(tops), plus every top
        lo = min(mpmath.mpf(-1), min(tops) - 1)
        pts = sorted({lo + i for i in range(int(mpmath.floor(max(tops) - lo)) + 1)} | set(tops))
        acc = mpmath.quad(f, [-mpmath.inf, pts[0]], method="gauss-legendre")
        cum = {pts[0]: acc}
        for u0, u1 in itertools.pairwise(pts):
            acc += mpmath.quad(f, [u0, u1], method="gauss-legendre")
            cum[u1] = acc
        return [mpmath.mpf(A) * mpmath.mpf(t) ** (-k_) * cum[top] for t, top in zip(ts, tops, strict=True)]


def fitted_exponent(ts: Sequence[Any], **kw: Any) -> float:
    r"""Least-squares :math:`\alpha` of :math:`L \propto t^{-\alpha}` over the exact losses at ``ts`` (GRSD-T16).

    Parameters
    ----------
    ts : sequence of numbers
        At least two increasing times.
    **kw
        The problem, as for :func:`transport_losses`.

    Returns
    -------
    float
        :func:`fit_loss_exponent` of :func:`transport_losses`.

    Raises
    ------
    InputError
        With fewer than two times.

    Examples
    --------
    >>> round(fitted_exponent([1e3, 1e4], b=3, c0=1, kappa=2, d=1, dps=15), 3)  # min(kappa, d xi*) = 1
    1.0
    """
    if len(ts) < 2:
        raise InputError("need at least two times to fit an exponent")
    return fit_loss_exponent(ts, [float(L) for L in transport_losses(ts, **kw)], decades=math.inf)


def fit_loss_exponent(t: Any, loss: Any, *, decades: float = 1.0) -> float:
    r"""Least-squares :math:`\alpha` in :math:`L \propto t^{-\alpha}` over the last ``decades``
    of the (increasing, positive) times.

    Parameters
    ----------
    t, loss : array_like
        Times and losses ``> 0``.
    decades : float
        Width of the fitting window in decades of ``t`` (``inf``: all points).

    Returns
    -------
    float
        The fitted :math:`\alpha`.

    Raises
    ------
    NonFiniteError, InputError, TimeGridError

    Examples
    --------
    >>> round(fit_loss_exponent([1, 10, 100], [1, 0.1, 0.01]), 12)
    1.0
    """
    t = time_grid(t)
    L = np.asarray(loss, dtype=float)
    if L.shape != t.shape:
        raise InputError("t and loss must have the same length")
    if not np.isfinite(L).all() or (L <= 0).any():
        raise NonFiniteError("the loss must be finite and > 0 to fit an exponent")
    sel = t >= t[-1] / 10.0**decades
    if sel.sum() < 2:
        raise InputError(f"need at least 2 times within the last {decades} decade(s) to fit an exponent")
    return float(-np.polyfit(np.log(t[sel]), np.log(L[sel]), 1)[0])


# --------------------------------------------------------------------------------------
# the exact loss of every transport problem
# --------------------------------------------------------------------------------------


def dissipated_action(params: TransportParams, lambda0: Any, t: Any) -> tuple[mpmath.mpf, bool]:
    r""":math:`\Phi = \int_0^t \lambda(\tau;\lambda_0)\,d\tau` in mpmath (current precision), and
    whether the characteristic is still alive (not blown up) at ``t``.

    Self-similar ``c``: :math:`\Psi_\sigma(\lambda_0 t)` (:func:`action`).  Constant ``c``, with
    :math:`p = b-1`, :math:`A = -p\sigma c_0\lambda_0^p`:
    :math:`\Phi = \lambda_0\operatorname{expm1}((1-1/p)\operatorname{log1p}(A t))/(A(1-1/p))`
    (:math:`p = 1`: :math:`\lambda_0\operatorname{log1p}(At)/A`; :math:`p = 0`:
    :math:`\lambda_0\operatorname{expm1}(\sigma c_0 t)/(\sigma c_0)`), frozen after a
    characteristic reaches :math:`\lambda = 0` (``b < 1``).

    Parameters
    ----------
    params : TransportParams
        The problem.
    lambda0, t : number
        Label of the characteristic and time.

    Returns
    -------
    (mpmath.mpf, bool)
        ``(Phi, alive)``.

    Examples
    --------
    >>> P = TransportParams(b=2, c0=1, kappa=1, c_form="const")
    >>> phi, alive = dissipated_action(P, 1, 1)
    >>> float(phi), alive   # log(1 + t) for b = 2
    (0.6931471805599453, True)

    References
    ----------
    GRSD-T14.
    """
    P = params
    lam0, t = mpmath.mpf(lambda0), mpmath.mpf(t)
    if P.lazy:
        return lam0 * t, True
    c0, sg, p = mpmath.mpf(P.c0.p) / P.c0.q, P.sigma, mpmath.mpf(P.p.p) / P.p.q
    if P.c_form == "self-similar":
        x = lam0 * t
        if sg * c0 * x**p >= 1:
            return mpmath.inf, False
        return _Action(p + 1, c0, sg)(x), True
    if p == 0:
        return lam0 * mpmath.expm1(sg * c0 * t) / (sg * c0), True
    A = -p * sg * c0 * lam0**p
    T, alive = t, True
    if 1 + A * t <= 0:  # p > 0: blow-up (dead); p < 0: reached lambda = 0 (alive, frozen)
        if p > 0:
            return mpmath.inf, False
        T = -1 / A
    if p == 1:
        return lam0 * mpmath.log1p(A * T) / A, alive
    e = 1 - 1 / p
    return lam0 * mpmath.expm1(e * mpmath.log1p(A * T)) / (A * e), alive


def _blowup_lambda0(P: TransportParams, t: float) -> float:
    """Smallest lambda0 whose characteristic has blown up by time t (inf if none)."""
    if P.lazy or P.sigma == -1 or P.p <= 0:
        return math.inf
    if P.c_form == "self-similar":
        xi = P.xi_star
        assert xi is not None  # a self-similar c always has a frontier (GRSD-T14)
        return float(xi) / t
    return float(P.p * P.c0 * t) ** (-1.0 / float(P.p))


def _closed_loss_b2(P: TransportParams, t: Any) -> mpmath.mpf:
    r"""``b = 2`` (``c = c0`` in both forms): :math:`e^{-d\Phi} = (1 - \sigma c_0\lambda_0 t)^{\sigma d/c_0}`, so

    .. math:: \sigma=-1:\ L = {}_2F_1(d/c_0, \kappa; \kappa+1; -c_0 t)/\kappa, \qquad
              \sigma=+1:\ L = {}_2F_1(-d/c_0, \kappa; \kappa+1; c_0 t)/\kappa\ (c_0 t < 1),\
              (c_0 t)^{-\kappa} B(\kappa, 1 + d/c_0)\ (c_0 t \ge 1),\ \text{for } \lambda_{max} = 1.
    """
    k, d, c0, lm = (mpmath.mpf(v.p) / v.q for v in (P.kappa, P.d, P.c0, P.lambda_max))
    x = c0 * lm * t
    if P.sigma == -1:
        return lm**k * mpmath.hyp2f1(d / c0, k, k + 1, -x) / k
    if x < 1:
        return lm**k * mpmath.hyp2f1(-d / c0, k, k + 1, x) / k
    return (c0 * t) ** (-k) * mpmath.beta(k, 1 + d / c0)


def exact_loss(params: TransportParams, t: Any, *, dps: int = 20, method: str = "quad") -> np.ndarray:
    r"""Exact :math:`L(t)` of the transport problem by characteristics (module docstring).

    Independent of the finite-volume scheme: the mass of every initial :math:`d\lambda_0` is
    carried along its characteristic and damped by :math:`\exp(-d\Phi)`.

    Parameters
    ----------
    params : TransportParams
    t : float or array_like
        Times ``>= 0``, increasing.
    dps : int
        Working precision of the quadrature.
    method : {"quad", "closed", "auto"}
        ``"closed"``: the closed forms (lazy: the lowered lazy loss; ``b = 2``: hypergeometric);
        ``"auto"``: those where they exist, else the quadrature.

    Returns
    -------
    numpy.ndarray
        Losses as floats, one per time.

    Raises
    ------
    InputError, TimeGridError, RegionError
        A bad method or time grid; ``"closed"`` where no closed form exists.

    Examples
    --------
    >>> P = TransportParams(b=2, c0=1, kappa=1, d=1)
    >>> bool(abs(exact_loss(P, [10.0])[0] / exact_loss(P, [10.0], method="closed")[0] - 1) < 1e-12)
    True

    References
    ----------
    GRSD-T13, GRSD-T14, GRSD-T16.
    """
    from grsd_sym.derive.frontier import lazy_loss_kernel

    P = params
    if not isinstance(P, TransportParams):
        raise InputError("params must be a TransportParams")
    ts = time_grid(t, allow_zero=True)
    if method not in ("quad", "closed", "auto"):
        raise InputError(f"method must be 'quad', 'closed' or 'auto', got {method!r}")
    has_closed = P.lazy or P.b == 2
    if method == "closed" and not has_closed:
        raise RegionError("closed-form exact loss exists only for c0 = 0 (lazy) or b = 2")
    out = np.full(ts.shape, float(P.lambda_max**P.kappa / P.kappa))  # t = 0
    pos = ts > 0
    if method != "quad" and has_closed:
        if P.lazy:
            out[pos] = [
                float(lazy_loss_kernel().mpmath(P.kappa, 1, P.d, P.lambda_max, tt, dps=max(dps, 15))) for tt in ts[pos]
            ]
        else:
            with mpmath.workdps(dps):
                out[pos] = [float(_closed_loss_b2(P, mpmath.mpf(tt))) for tt in ts[pos]]
        return out
    if P.c_form == "self-similar" and not P.lazy:
        out[pos] = [float(x) for x in transport_losses(list(ts[pos]), P, dps=dps)]
        return out
    with mpmath.workdps(dps):
        kap, d = mpmath.mpf(P.kappa.p) / P.kappa.q, mpmath.mpf(P.d.p) / P.d.q
        for n in np.nonzero(pos)[0]:
            tt = float(ts[n])
            top = min(float(P.lambda_max), _blowup_lambda0(P, tt))
            top_m = mpmath.mpf(top)

            def f(y: Any, tt: float = tt, top_m: Any = top_m) -> Any:  # lambda0 = top * exp(-y)
                phi, alive = dissipated_action(P, top_m * mpmath.exp(-y), tt)
                return top_m**kap * mpmath.exp(-kap * y - d * phi) if alive else mpmath.mpf(0)

            # breakpoints where lambda0 t crosses decades (the structure of exp(-d Phi))
            y_scale = math.log(top * tt) if top * tt > 0 else 0.0
            pts = [0.0]
            for k in range(-4, 5):
                y = y_scale + k * math.log(10.0)
                if y > pts[-1] + 1e-9:
                    pts.append(y)
            out[n] = float(mpmath.quad(f, [mpmath.mpf(y) for y in pts] + [mpmath.inf]))
    return out
