"""Rigidity lattice and GRSD-T9..T12: every theorem verifies; wrong claims are refused."""

import pytest
import sympy as sp

from grsd_sym.certificate import check_zero
from grsd_sym.derive.rigidity import (
    LATTICE,
    P_fn,
    Q_fn,
    check_velocity,
    derive_velocity,
    parse_velocity,
)
from grsd_sym.derive.symmetry import JetSpace, VectorField, determining_equations, invariance_condition
from grsd_sym.errors import AssumptionError, InputError
from grsd_sym.registry import get_theorem, run_theorem
from grsd_sym.symbols import Phi, S_src, b, c, c0, d, g, h, k, lam, sigma, t, v

IDS = ["GRSD-T9", "GRSD-T10", "GRSD-T11", "GRSD-T11a", "GRSD-T11b", "GRSD-T11c", "GRSD-T11d", "GRSD-T11e", "GRSD-T12"]


@pytest.mark.parametrize("tid", IDS)
def test_theorem_verifies(tid):
    cert = run_theorem(get_theorem(tid))
    assert cert.verified, cert.summary()
    assert cert.min_witness_digits >= 25


@pytest.mark.parametrize("row", LATTICE)
def test_lattice_rows_are_certified(row):
    form = derive_velocity(*row)
    assert form.verified
    # independent route: the finite equation of every constraint at random rational points
    # with a concrete member of the family (free functions -> periodic/smooth functions)
    x = sp.Symbol("x")
    concrete = {
        Phi: sp.Lambda(x, sp.exp(-x) + x**2),
        c: sp.Lambda(x, 1 + sp.sin(x)),
        P_fn: sp.Lambda(x, 3 + sp.cos(2 * sp.pi * x / h)),
        Q_fn: sp.Lambda(x, 2 + sp.sin(4 * sp.pi * x / h)),
    }
    e = form.expr
    for F, L in concrete.items():
        e = e.replace(lambda z, F=F: getattr(z, "func", None) == F, lambda z, L=L: L(*z.args))
    vals = {
        lam: sp.Rational(7, 5),
        t: sp.Rational(3, 4),
        b: sp.Rational(5, 3),
        c0: sp.Rational(2, 3),
        h: sp.Rational(1, 2),
    }
    if "homogeneous" in row[0]:
        kk = sp.Rational(9, 4)
        lhs, rhs = e.subs({lam: kk * lam}), kk**b * e
    else:
        kk = sp.exp(3 * h) if row[1] is not None else sp.Rational(9, 4)  # a = 3h on the lattice
        lhs, rhs = e.subs({lam: kk * lam, t: t / kk}, simultaneous=True), kk**2 * e
    assert abs(sp.N((lhs - rhs).subs(vals), 40)) < 1e-30
    if row[1] is not None:  # not invariant off the lattice (a = h/2)
        kk = sp.exp(h / 2)
        off = e.subs({lam: kk * lam, t: t / kk}, simultaneous=True) - kk**2 * e
        assert abs(sp.N(off.subs(vals), 30)) > 1e-3


def test_wrong_claims_are_refused_with_residual():
    r = check_velocity("c0*lambda**b", ["time-rescaling"])
    assert not r.verified and not r.certificate.verified
    (fail,) = r.failures
    res = fail[1]
    # the residual is c0 lambda^b (k^b - k^2) up to sign: check it, do not trust it
    assert check_zero(sp.expand(res**2 - (c0 * lam**b * (k**b - k**2)) ** 2), force=True).passed
    assert sp.Eq(b, 2) in fail[2]
    assert not check_velocity("c0*lambda**2*t", ["time-rescaling"]).verified
    assert not check_velocity("c(t)*lambda**b", ["time-rescaling", "separable"]).verified
    assert not check_velocity("lambda**3", ["time-rescaling", "autonomous"]).verified
    # period 2h instead of h is refused under the discrete shift
    bad = "lambda**b*t**(b-2)*P(log(lambda)/2)*Q(log(t))"
    assert not check_velocity(bad, ["separable"], discrete_shift="h").verified


def test_right_claims_are_verified():
    assert check_velocity("lambda^2*Phi(lambda*t)", ["log-shift"]).verified
    assert check_velocity("c0*t**(b-2)*lambda**b", ["time-rescaling", "separable"]).verified
    assert check_velocity("c0*t**(b-2)*lambda**b*P(log(lambda))*Q(log(t))", ["separable"], discrete_shift="h").verified
    assert check_velocity(c0 * lam**2, ["time-rescaling", "autonomous", "homogeneous"], degree=2).verified


def test_assumption_errors():
    with pytest.raises(AssumptionError, match="unknown assumption"):
        derive_velocity(["time-rescaling", "scale-free"])
    with pytest.raises(AssumptionError, match="b = 2"):
        derive_velocity(["time-rescaling", "autonomous", "homogeneous"], degree="3/2")
    with pytest.raises(AssumptionError):
        derive_velocity([])
    with pytest.raises(AssumptionError):
        derive_velocity(["separable"], degree=2)
    with pytest.raises(AssumptionError):
        derive_velocity(["log-shift"], discrete_shift="-1")
    with pytest.raises(InputError):
        parse_velocity("lambda**")


def test_forced_and_free_parts_are_reported():
    f = derive_velocity(["time-rescaling", "autonomous", "homogeneous"])
    assert f.conditions == {b: 2} and f.free_constants == [c0]
    f = derive_velocity(["time-rescaling", "separable"])
    assert f.free_exponents == [b] and f.free_constants == [c0] and not f.free_functions
    f = derive_velocity(["homogeneous"], degree="3/2")
    assert f.expr == lam ** sp.Rational(3, 2) * c(t)


def test_parse_velocity_maps_lambda():
    assert parse_velocity("c0*lambda^b*t**(b-2)") == c0 * lam**b * t ** (b - 2)
    assert parse_velocity("λ**2*Phi(λ*t)") == lam**2 * Phi(lam * t)
    assert parse_velocity("0.5*lam") == lam / 2


def test_broken_T12_variant_is_refused():
    # constant c with symbolic b: the determining equation does not vanish
    gs = sp.Symbol("g", real=True)
    jet = JetSpace([lam, t], [gs])
    gl, gt = jet.d(gs, lam), jet.d(gs, t)
    vel = sigma * c0 * lam**b
    Delta = gt + sp.expand(sp.diff(vel * gs, lam) + vel * gl) + d * lam * gs
    cond = invariance_condition(VectorField({lam: lam, t: -t}), Delta, jet, gt)
    assert check_zero(cond, force=True).passed is False
    assert sp.simplify(cond.subs(b, 2)) == 0
    dets = determining_equations(cond, jet)
    assert sp.simplify(dets[gl] - sigma * c0 * (b - 2) * lam**b) == 0


def test_broken_T9_variant_is_refused():
    # the documented S~ with a wrong factor k (instead of 1): the transformed residual is not a multiple
    mu, tau = sp.symbols("mu tau", positive=True)

    def E(gg, vv, SS, x, y):
        return sp.diff(gg, y) + sp.diff(vv * gg, x) + d * x * gg - SS

    for fac, ok in ((1, True), (k, False)):
        Et = E(g(lam / k, k * t) / k, k**2 * v(lam / k, k * t), fac * S_src(lam / k, k * t), lam, t)
        Et = Et.subs({lam: k * mu, t: tau / k}).doit()
        E0 = E(g(mu, tau), v(mu, tau), S_src(mu, tau), mu, tau)
        assert check_zero(sp.expand(Et - E0), force=True).passed is ok
