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

The quadrature runs in :math:`u = \log X` with mpmath tanh-sinh, split at unit intervals.
"""

from __future__ import annotations

from typing import Sequence

import mpmath

from grsd_sym.errors import InputError, RegionError

__all__ = ["action", "transport_loss", "transport_losses", "fitted_exponent", "local_exponent"]


def _check(b, c0, kappa, d, sigma):
    if sigma not in (-1, 1):
        raise RegionError(f"sigma must be -1 or +1, got {sigma!r}")
    if not b > 1:
        raise RegionError(f"the exact transport loss is computed for b > 1, got b = {b}")
    for name, val in (("c0", c0), ("kappa", kappa), ("d", d)):
        if not val > 0:
            raise RegionError(f"{name} > 0 is required, got {name} = {val}")


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
            coef *= -(self.beta + n - 1) / n * w          # binom(-beta, n) w^n
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


def action(X, b, c0, sigma: int = -1):
    r"""The dissipated action :math:`\Psi_\sigma(X)` (per unit :math:`\lambda_0`-time), mpmath."""
    return _Action(b, c0, sigma)(X)


def transport_losses(ts: Sequence, *, b, c0, kappa, d, sigma: int = -1, A=1, lam_max=1,
                     dps: int = 20) -> list:
    r"""The exact loss :math:`L(t)` at every ``t`` in ``ts``, by quadrature at ``dps`` digits.

    The integrals over :math:`u = \log X \in (-\infty, \log(\lambda_{\max} t)]` are nested,
    so they are accumulated over one partition of unit steps (each piece computed once).
    """
    _check(b, c0, kappa, d, sigma)
    if not lam_max > 0 or any(not t > 0 for t in ts):
        raise InputError(f"t > 0 and lam_max > 0 are required, got t = {list(ts)}, lam_max = {lam_max}")
    with mpmath.workdps(dps):
        b_, c0_, k_, d_ = (mpmath.mpf(x) for x in (b, c0, kappa, d))
        psi = _Action(b_, c0_, sigma)
        tops = []
        for t in ts:
            top = mpmath.mpf(lam_max) * mpmath.mpf(t)
            if sigma == 1:
                top = min(top, c0_ ** (-1 / (b_ - 1)))
            tops.append(mpmath.log(top))

        def f(u):
            return mpmath.exp(k_ * u - d_ * psi(mpmath.exp(u)))

        # partition: -inf, then unit steps from below min(tops) up to max(tops), plus every top
        lo = min(mpmath.mpf(-1), min(tops) - 1)
        pts = {lo + i for i in range(int(mpmath.floor(max(tops) - lo)) + 1)} | set(tops)
        pts = sorted(pts)
        pieces = [mpmath.quad(f, [-mpmath.inf, pts[0]], method="gauss-legendre")]
        for u0, u1 in zip(pts[:-1], pts[1:]):
            pieces.append(mpmath.quad(f, [u0, u1], method="gauss-legendre"))
        cum = {pts[0]: pieces[0]}
        acc = pieces[0]
        for u1, piece in zip(pts[1:], pieces[1:]):
            acc += piece
            cum[u1] = acc
        return [mpmath.mpf(A) * mpmath.mpf(t) ** (-k_) * cum[top] for t, top in zip(ts, tops)]


def transport_loss(t, **kw):
    r"""The exact loss :math:`L(t)` at one time (see :func:`transport_losses`)."""
    return transport_losses([t], **kw)[0]


def local_exponent(t, *, rel_step: float = 0.5, **kw):
    r"""The local slope :math:`-d\log L/d\log t` by a centred difference in :math:`\log t`."""
    h = mpmath.mpf(rel_step)
    lp = mpmath.log(transport_loss(t * mpmath.e ** h, **kw))
    lm = mpmath.log(transport_loss(t * mpmath.e ** (-h), **kw))
    return -(lp - lm) / (2 * h)


def fitted_exponent(ts: Sequence, **kw) -> float:
    r"""Least-squares slope of :math:`-\log L` against :math:`\log t` over the times ``ts``."""
    if len(ts) < 2:
        raise InputError("need at least two times to fit an exponent")
    xs = [mpmath.log(mpmath.mpf(t)) for t in ts]
    ys = [-mpmath.log(L) for L in transport_losses(ts, **kw)]
    n = len(xs)
    mx, my = sum(xs) / n, sum(ys) / n
    sxy = sum((x - mx) * (y - my) for x, y in zip(xs, ys))
    sxx = sum((x - mx) ** 2 for x in xs)
    return float(sxy / sxx)
