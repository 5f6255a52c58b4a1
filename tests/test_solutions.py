"""Exact solutions (GRSD-T13..T17): proofs verify, broken variants are rejected, and
independent numeric routes (ODE integration, direct mode sums) agree with the closed forms."""

import mpmath
import pytest
import sympy as sp
from hypothesis import given, settings
from hypothesis import strategies as st

from grsd_sym import symbols as S
from grsd_sym.certificate import Derivation, check_zero
from grsd_sym.derive.frontier import frontier_constant, lazy_loss
from grsd_sym.derive.similarity import local_exponent, ode_coefficients, reduced_ode
from grsd_sym.registry import get_theorem, run_theorem


@pytest.mark.parametrize("tid", ["GRSD-T13", "GRSD-T14", "GRSD-T15", "GRSD-T16", "GRSD-T17"])
def test_proof_verifies(tid):
    cert = run_theorem(get_theorem(tid))
    assert cert.verified, cert.summary()


def test_broken_steps_are_rejected():
    # a p of the documented form with the wrong sign of b must fail the indicial equation check
    from grsd_sym.derive.similarity import indicial_equation

    wrong_p = (S.gamma + S.d * S.xi_star + S.b) / (S.b - 1)
    assert not check_zero(indicial_equation().subs(sp.Symbol("p"), wrong_p)).passed
    # a frontier with the wrong exponent sign is not a fixed point
    dv = Derivation("X", "broken frontier")
    dv.zero(
        sp.Integer(1) - S.c0 * (S.c0 ** (1 / (S.b - 1))) ** (S.b - 1),
        "wrong xi*",
        domains={S.b: (sp.Rational(11, 10), 3)},
    )
    assert not dv.certificate().verified
    # the lazy loss with (d t)^+kappa is rejected
    assert not check_zero(lazy_loss(S.kappa, S.A, S.d, S.t) - S.A * sp.gamma(S.kappa) * (S.d * S.t) ** S.kappa).passed


def test_local_exponent_against_ode_integration():
    """log G = -int N/D by quadrature towards xi*; fit log G against log(xi* - xi)."""
    for b, c0, d, gam in [(2, 1, 2, sp.Rational(1, 2)), (3, 4, 1, -1)]:
        Dc, Nc = ode_coefficients(b=b, sigma=-1, c0=c0, d=d, gamma=gam)
        xs = frontier_constant(b, c0)
        p = local_exponent(b, d, gam, xs)
        f = sp.lambdify(S.xi, -Nc / Dc, "mpmath")
        with mpmath.workdps(25):
            xsm = mpmath.mpf(xs.p) / xs.q
            e1, e2 = mpmath.mpf(10) ** -5, mpmath.mpf(10) ** -6
            # log G(xi* - e2) - log G(xi* - e1) = int_{xi*-e1}^{xi*-e2} (-N/D)
            dlog = mpmath.quad(f, [xsm - e1, xsm - 10 * e2, xsm - e2])
            slope = dlog / (mpmath.log(e2) - mpmath.log(e1))
        assert abs(slope - float(p)) < 1e-3


def test_reduced_ode_is_t_free_and_matches_numeric_pde():
    ode = reduced_ode()
    assert not ode.has(S.t)


def _direct_sum(a, b, t, dps=30):
    """sum_k k^-a exp(-2 t k^-b): explicit terms to K, tail by Euler-Maclaurin (integral + f(K)/2 + ...)."""
    with mpmath.workdps(dps):
        a, b, t = mpmath.mpf(a), mpmath.mpf(b), mpmath.mpf(t)

        def f(k):
            return k ** (-a) * mpmath.exp(-2 * t * k ** (-b))

        # the summand peaks near k ~ t^(1/b); sum explicitly well past it, then the smooth tail
        K = int(max(2000, 40 * float(t) ** (1 / float(b))))
        K = min(K, 200000)
        head = mpmath.fsum(f(mpmath.mpf(k)) for k in range(1, K + 1))
        tail = mpmath.quad(f, [K, 10 * K, 100 * K, mpmath.inf]) - f(mpmath.mpf(K)) / 2 - mpmath.diff(f, K) / 12
        return head + tail


@settings(max_examples=4, deadline=None)
@given(
    a=st.sampled_from([sp.Rational(3, 2), 2, sp.Rational(5, 2), 3]),
    b=st.sampled_from([1, sp.Rational(3, 2), 2]),
    logt=st.sampled_from([3, 4]),
)
def test_convention_a_lazy_loss_against_direct_sum(a, b, logt):
    t = 10**logt
    closed = lazy_loss((a - 1) / b, 1 / sp.Rational(b), 2, t)
    direct = _direct_sum(a, b, t)
    assert abs(sp.N(closed, 30) / direct - 1) < 1e-6
