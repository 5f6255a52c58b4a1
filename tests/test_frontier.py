"""Frontier, lazy loss and exponents: closed forms against independent numeric routes."""

import mpmath
import pytest
import sympy as sp
from hypothesis import given, settings
from hypothesis import strategies as st

from grsd_sym import symbols as S
from grsd_sym.derive.frontier import (
    characteristic,
    characteristic_kernel,
    effective_time,
    effective_time_exponent,
    frontier_constant,
    lazy_loss,
    phase_boundary,
    transport_loss_exponent,
)
from grsd_sym.derive.loss_quadrature import _Action, fitted_exponent, transport_losses
from grsd_sym.errors import RegionError

rationals = st.fractions(min_value=sp.Rational(1, 4), max_value=4, max_denominator=8).map(sp.Rational)
b_gt1 = st.fractions(min_value=sp.Rational(9, 8), max_value=4, max_denominator=8).map(sp.Rational)


_LAM_T = characteristic(S.b, -1)


@settings(max_examples=15, deadline=None)
@given(b=b_gt1, c0=rationals)
def test_frontier_is_the_limit_of_t_lambda(b, c0):
    xs = frontier_constant(b, c0)
    f = sp.lambdify((S.lam0, S.t, S.b, S.c0), _LAM_T, "mpmath")
    with mpmath.workdps(30):
        bm, cm = mpmath.mpf(b.p) / b.q, mpmath.mpf(c0.p) / c0.q
        xsm = mpmath.mpf(sp.N(xs, 40))
        T = mpmath.mpf(10) ** 12
        rel = abs(T * f(mpmath.mpf("0.7"), T, bm, cm) / xsm - 1)
        # t lambda(t) = xi* (1 + (lambda0 t)^-(b-1)/c0)^(-1/(b-1)): error ~ (lambda0 t)^-(b-1)/((b-1) c0)
        bound = 2 * (mpmath.mpf("0.7") * T) ** (-(bm - 1)) / ((bm - 1) * cm)
        assert rel < bound + mpmath.mpf(10) ** -26  # plus the 30-digit working precision
    assert abs(float(c0) * float(xs) ** float(b - 1) - 1) < 1e-12


def test_region_errors_name_the_region():
    with pytest.raises(RegionError, match="b > 1"):
        frontier_constant(1, 2)
    with pytest.raises(RegionError, match="b > 1"):
        transport_loss_exponent(sp.Rational(1, 2), c0=1, kappa=1, d=2)
    with pytest.raises(RegionError, match="kappa"):
        lazy_loss(0, 1, 2, 1)
    with pytest.raises(RegionError, match="freezes"):
        effective_time_exponent(2)
    with pytest.raises(RegionError, match="log"):
        effective_time_exponent(1)
    with pytest.raises(RegionError, match="kappa"):
        transport_loss_exponent(2, c0=1, kappa=-1, d=2)


@settings(max_examples=10, deadline=None)
@given(kappa=rationals, d=rationals, t=rationals)
def test_lazy_loss_against_quadrature(kappa, d, t):
    val = lazy_loss(kappa, sp.Rational(3, 2), d, t)
    with mpmath.workdps(25):
        k_, d_, t_ = (mpmath.mpf(x.p) / x.q for x in (kappa, d, t))
        # lambda = y^(1/kappa) removes the endpoint singularity: (A/kappa) int exp(-d t y^(1/kappa)) dy
        num = 1.5 / k_ * mpmath.quad(lambda y: mpmath.exp(-d_ * t_ * y ** (1 / k_)), [0, 1, mpmath.inf])
        assert abs(sp.N(val, 25) / num - 1) < 1e-18


def test_action_hypergeometric_against_direct_quadrature():
    for sigma, b, c0, xs in [(-1, 2.5, 1.3, [0.2, 3, 300]), (1, 2.5, 1.3, [0.2, 0.8]), (-1, 3, 4, [0.1, 50])]:
        psi = _Action(b, c0, sigma)
        for X in xs:
            # Psi'(u) is the lowered characteristic from lambda0 = 1 at the action C = c0 u^(b-1)/(b-1)
            kern = characteristic_kernel(sigma)
            with mpmath.workdps(20):
                direct = mpmath.quad(
                    lambda u, kern=kern, b=b, c0=c0: kern.mpmath(b, c0 * u ** (b - 1) / (b - 1), 1, dps=20), [0, X]
                )
            assert abs(psi(X) / direct - 1) < 1e-12


GRID = [(2, 1, 1, 2), (2, 1, 3, 2), (3, 4, sp.Rational(1, 2), 2), (3, 1, 4, 1)]


@pytest.mark.parametrize("b,c0,kappa,d", GRID)
def test_fitted_exponent_matches_min(b, c0, kappa, d):
    x = transport_loss_exponent(b, c0=c0, kappa=kappa, d=d)
    xs = frontier_constant(b, c0)
    assert x == min(sp.Rational(kappa), d * xs)
    fit = fitted_exponent([1e4, 1e5, 1e6], b=b, c0=c0, kappa=float(kappa), d=d, dps=15)
    assert abs(fit - float(x)) < 1e-2


def test_phase_boundary_log_correction():
    b, c0, d = 3, 4, 2  # xi* = 1/2, boundary kappa = 1
    kb = phase_boundary(b, c0=c0, d=d)
    assert kb == 1
    ts = [1e4, 1e5, 1e6]
    Ls = transport_losses(ts, b=b, c0=c0, kappa=1, d=d, dps=15)
    scaled = [L * t for L, t in zip(Ls, ts, strict=True)]  # t^kappa L = K log(t) + C
    d1, d2 = scaled[1] - scaled[0], scaled[2] - scaled[1]
    assert abs(d2 / d1 - 1) < 1e-2 and d1 > 0  # linear in log t: the log correction
    # away from the boundary t^kappa L converges instead
    Lz = transport_losses(ts, b=b, c0=c0, kappa=sp.Rational(1, 2), d=d, dps=15)
    sz = [L * t**0.5 for L, t in zip(Lz, ts, strict=True)]
    # ... geometrically, at the rate t^-(d xi* - kappa) = 10^-(1/2) per decade
    assert abs((sz[2] - sz[1]) / (sz[1] - sz[0]) - 10**-0.5) < 0.05


def test_sigma_plus_exponent_is_kappa_exactly_after_blowup():
    b, c0, kappa, d = 2, 1, sp.Rational(3, 2), 2  # xi* = 1: constant t^kappa L for t >= 1
    assert transport_loss_exponent(b, c0=c0, kappa=kappa, d=d, sigma=1) == kappa
    Ls = transport_losses([3, 30], b=b, c0=c0, kappa=1.5, d=d, sigma=1, dps=20)
    assert abs(Ls[0] * 3**1.5 / (Ls[1] * 30**1.5) - 1) < 1e-15


@settings(max_examples=10, deadline=None)
@given(c0=st.fractions(min_value=sp.Rational(1, 8), max_value=sp.Rational(7, 8), max_denominator=8))
def test_effective_time_exponent_against_quadrature(c0):
    c0 = sp.Rational(c0)
    alpha = effective_time_exponent(c0)
    tau = sp.lambdify(S.t, (effective_time(c0) / S.lam0).subs(S.t0, 1), "mpmath")
    with mpmath.workdps(25):
        c = mpmath.mpf(c0.p) / c0.q
        for T in (mpmath.mpf(10) ** 6,):
            direct = mpmath.quad(lambda s: s ** (-c), [mpmath.mpf(10) ** k for k in range(7)])
            assert abs(tau(T) / direct - 1) < 1e-15
        slope = (mpmath.log(tau(mpmath.mpf(10) ** 14)) - mpmath.log(tau(mpmath.mpf(10) ** 13))) / mpmath.log(10)
        assert abs(slope - float(alpha)) < 1e-3
