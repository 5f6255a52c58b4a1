"""QA: the asymptotic engine against independent numerics, and with symbolic parameters."""

import mpmath
import pytest
import sympy as sp

from grsd_sym.derive.asymptotics import Velocity, loss_asymptotics
from grsd_sym.symbols import lam

R = sp.Rational


def test_symbolic_kappa_with_transport_gives_the_phase_piecewise():
    # was a raw TypeError: the tail constant's quadrature received a symbolic g0
    k = sp.Symbol("kappa", positive=True)
    A = sp.Symbol("A", positive=True)
    r = loss_asymptotics(A * lam ** (k - 1), d=2, lambda_max=1, velocity=Velocity.of(3, 4, -1), evidence=False)
    # xi* = 4^(-1/2), d xi* = 1: L ~ t^-min(kappa, 1), a log at the tie kappa = 1
    for kv, alpha, m in ((R(1, 2), R(1, 2), 0), (2, 1, 0), (1, 1, 1)):
        assert sp.sympify(r.exponent).subs(k, kv) == alpha
        assert sp.sympify(r.log_power).subs(k, kv) == m


def _exact_loss(f, t):
    # L(t) = int_0^1 g0(l) exp(-d S(l, t)) dl, by mpmath, written out for each case below
    return mpmath.quad(lambda u: f(u, t), [0, 1 / t, 10 / t, 1])


CASES = [
    # sigma = +1, b = 2, c0 = 1, d = 2: Psi = -log(1 - X) up to X = 1, then the mode is learned
    (lam, Velocity.of(2, 1, 1), lambda u, t: u * (1 - u * t) ** 2 if u * t < 1 else 0),
    # constant c, b = 2, sigma = -1, c0 = 4, d = 2: S = log(1 + c0 l t)/c0
    (lam, Velocity.of(2, 4, -1, "constant"), lambda u, t: u * (1 + 4 * u * t) ** R(-1, 2)),
    # b = 1, c = c0/t (t0 = 1), sigma = +1, c0 = 1/2, d = 2: S = l (t^(3/2) - 1)/(3/2)
    (sp.Integer(1), Velocity.of(1, R(1, 2), 1), lambda u, t: mpmath.exp(-2 * u * (t**1.5 - 1) / 1.5)),
]


@pytest.mark.parametrize("g0,vel,f", CASES, ids=["blow-up b=2", "constant c b=2", "b=1 effective time"])
def test_engine_law_matches_independent_quadrature(g0, vel, f):
    r = loss_asymptotics(g0, d=2, lambda_max=1, velocity=vel, evidence=False)
    P = float(sp.N(r.prefactor)) if r.prefactor is not None else r.prefactor_float
    alpha, m = float(r.exponent), float(r.log_power)
    for t in (1e8, 1e10):
        L = _exact_loss(f, mpmath.mpf(t))
        assert float(L / (P * t**-alpha * mpmath.log(t) ** m)) == pytest.approx(1, rel=1e-3)
