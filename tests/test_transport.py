"""Finite-volume transport solver vs the exact characteristic solution (GRSD-T7, T13, T14, T16)."""

import math

import mpmath
import numpy as np
import pytest
import sympy as sp
from hypothesis import given, settings
from hypothesis import strategies as st

from grsd_sym import symbols as S
from grsd_sym.derive.frontier import ACTION, _characteristic_by_action, characteristic_kernel, lazy_loss_kernel
from grsd_sym.derive.frontier import characteristic as derived_characteristic
from grsd_sym.derive.loss_quadrature import dissipated_action, fit_loss_exponent
from grsd_sym.derive.loss_quadrature import exact_loss as _exact_loss
from grsd_sym.errors import InputError, NonFiniteError, RegionError, TimeGridError
from grsd_sym.lower import lower
from grsd_sym.numeric.transport import TransportProblem, expected_loss_exponent, observed_order
from grsd_sym.numeric.transport import simulate_transport as solve_transport


def exact_loss(P, ts, **kw):
    return _exact_loss(P.params, ts, **kw)


def lazy_loss(kappa, d, ts):
    """The lowered bounded lazy loss (GRSD-T13), A = 1, lambda_max = 1."""
    return lazy_loss_kernel()(kappa, 1.0, d, 1.0, np.asarray(ts, dtype=float))


def characteristic(P, l0, t):
    """The lowered characteristic (GRSD-T14) at the action C = int_0^t c of the problem
    (b = 1, constant c: the derived exponential one); 0 after an extinction (b < 1)."""
    if P.b == 1.0:
        k = lower(derived_characteristic(1, P.sigma, "const"), [S.c0, S.lam0, S.t])
        return k(P.c0, l0, t)
    lam = characteristic_kernel(P.sigma)(P.b, P.c_integral(0.0, t), l0, check=False)
    return np.where(np.isnan(lam), math.inf if P.b > 1 else 0.0, lam)


def test_characteristic_by_action_solves_the_ode():
    """The kernel's source solves d lambda/dt = sigma c(t) lambda^b, lambda(0) = lambda0, for both c(t)."""
    l0, c0, t, b = S.lam0, S.c0, S.t, S.b
    for sg in (-1, 1):
        form = _characteristic_by_action(sg)
        for C, c in ((c0 * t, c0), (c0 * t ** (b - 1) / (b - 1), c0 * t ** (b - 2))):
            lam = form.subs(ACTION, C)
            res = sp.diff(lam, t) - sg * c * lam**b
            for pt in (
                {l0: sp.Rational(1, 3), c0: sp.Rational(2, 5), t: sp.Rational(7, 11), b: sp.Rational(5, 2)},
                {l0: sp.Rational(3, 4), c0: sp.Rational(1, 7), t: sp.Rational(1, 2), b: sp.Rational(17, 5)},
            ):
                assert abs(sp.N(res.subs(pt), 40)) < 1e-35
                assert sp.N(lam.subs(t, 0).subs(pt), 30) == sp.N(l0.subs(pt), 30)
    # the frontier: lambda t -> xi* = c0^(-1/(b-1)) for the self-similar c
    lim = sp.limit(
        (_characteristic_by_action(-1).subs(ACTION, c0 * t ** (b - 1) / (b - 1)) * t).subs({b: 3, c0: 4}), t, sp.oo
    )
    assert lim == sp.Rational(1, 2)


@pytest.mark.parametrize(
    "form,b,sg",
    [("const", 2.5, -1), ("const", 0.5, -1), ("const", 1.0, 1), ("self-similar", 1.5, -1), ("self-similar", 3.0, 1)],
)
def test_dissipated_action_vs_quadrature_of_characteristic(form, b, sg):
    P = TransportProblem(b=b, c0=0.7, kappa=1.0, d=2.0, sigma=sg, c_form=form)
    for l0, tt in ((0.3, 0.5), (0.05, 4.0)):
        with mpmath.workdps(25):
            phi, alive = dissipated_action(P.params, l0, tt)
            if not alive:
                continue
            pts = [0, tt]
            if form == "const" and b < 1 and sg == -1:  # lambda reaches 0 at T: split there
                T = 1 / ((1 - b) * 0.7 * l0 ** (b - 1))
                pts = [0, T, tt] if tt > T else pts
            quad = mpmath.quad(lambda tau, l0=l0: mpmath.mpf(float(characteristic(P, l0, float(tau)))), pts)
            assert abs(phi - quad) < 1e-10 * abs(quad)


@pytest.mark.parametrize("sg", [-1, 1])
def test_exact_loss_quadrature_vs_closed_form(sg):
    P = TransportProblem(b=2.0, c0=1.3, kappa=0.7, d=2.0, sigma=sg)
    ts = [0.1, 3.0, 100.0]
    np.testing.assert_allclose(exact_loss(P, ts, dps=20), exact_loss(P, ts, method="closed", dps=30), rtol=1e-13)
    lazy = TransportProblem(b=2.0, c0=0.0, kappa=0.7, d=2.0)
    np.testing.assert_allclose(exact_loss(lazy, ts), lazy_loss(0.7, 2.0, ts), rtol=1e-13)


def test_lazy_matches_incomplete_gamma_second_order():
    ts = np.geomspace(1e-2, 1e6, 9)
    ref = lazy_loss(0.7, 2.0, ts)  # gamma(kappa, d t)/(d t)^kappa, lambda_max = 1
    P = TransportProblem(b=2.0, c0=0.0, kappa=0.7, d=2.0)
    errs = []
    for h in (0.2, 0.1, 0.05):
        sol = solve_transport(P, ts, h=h)
        errs.append(np.max(np.abs(sol.loss / ref - 1)))
    order = observed_order(errs, [0.2, 0.1, 0.05])
    print("lazy observed order", order, errs)
    assert errs[-1] < 5e-5 and np.all(order > 1.8)
    big = float(lazy_loss(0.7, 2.0, [1e6])[0])  # -> Gamma(kappa) (d t)^-kappa for d t >> 1
    assert big == pytest.approx(math.gamma(0.7) * (2e6) ** -0.7, rel=1e-12)


# exact values are computed once per module (mpmath quadrature is the slow part)
_CACHE = {}


def _exact(P, ts):
    key = (P, tuple(ts))
    if key not in _CACHE:
        _CACHE[key] = exact_loss(P, ts, dps=15)
    return _CACHE[key]


@pytest.mark.parametrize(
    "params,min_order",
    [
        (dict(b=3.0, c0=0.5, sigma=-1, c_form="self-similar"), 1.2),  # dissipation-limited
        (dict(b=1.5, c0=2.0, sigma=-1, c_form="self-similar"), 0.6),  # transport-limited (front)
        (dict(b=1.5, c0=1.0, sigma=-1, c_form="const"), 1.2),
        (dict(b=2.0, c0=1.0, sigma=1, c_form="self-similar"), 1.0),
    ],
)
def test_fv_converges_to_characteristics(params, min_order):
    P = TransportProblem(kappa=0.7, d=2.0, **params)
    ts = (1e2, 1e4)
    ex = _exact(P, ts) if P.b != 2.0 else exact_loss(P, ts, method="closed")
    hs = (0.2, 0.1, 0.05)
    errs = []
    for h in hs:
        sol = solve_transport(P, ts, h=h, dt_growth=h / 2)  # Courant number at the frontier fixed
        errs.append(np.max(np.abs(sol.loss / ex - 1)))
        assert np.max(np.abs(sol.budget_residual)) < 1e-12
    order = observed_order(errs, hs)
    print(params, "errors", errs, "observed order", order)
    assert errs[0] > errs[1] > errs[2]
    assert np.all(order > min_order)


def test_constant_c_b_below_one_and_reservoir_inflow():
    for sg in (-1, 1):
        P = TransportProblem(b=0.5, c0=1.0, kappa=0.8, d=2.0, sigma=sg, c_form="const")
        ex = _exact(P, (1.0,))
        sol = solve_transport(P, [1.0], h=0.05)
        assert abs(sol.loss[0] / ex[0] - 1) < 2e-3
        assert abs(sol.budget_residual[0]) < 1e-13


@settings(max_examples=12, deadline=None)
@given(
    b=st.floats(1.1, 3.5),
    c0=st.floats(0.0, 3.0),
    kappa=st.floats(0.2, 2.5),
    d=st.floats(0.5, 3.0),
    sg=st.sampled_from([-1, 1]),
    form=st.sampled_from(["const", "self-similar"]),
)
def test_positivity_and_energy_budget(b, c0, kappa, d, sg, form):
    P = TransportProblem(b=b, c0=c0, kappa=kappa, d=d, sigma=sg, c_form=form)
    ts = np.geomspace(1e-2, 1e3, 6)
    sol = solve_transport(P, ts, h=0.25)
    assert np.all(sol.shell_energies >= 0) and np.all(sol.loss > 0)
    assert np.all(np.diff(sol.loss) <= 1e-15)  # the loss never increases
    # booked budget: grid + reservoir + dissipated + learned = initial mass
    assert np.max(np.abs(sol.budget_residual)) < 1e-12 * sol.initial_mass
    # the dissipation tally against an independent time integral of D = d sum lambda_bar m
    fine = np.linspace(1.0, 2.0, 41)
    s2 = solve_transport(P, fine, h=0.25, dt_growth=0.01)
    lam_bar = np.diff(np.exp(s2.s_edges)) / 0.25
    rate = d * (s2.shell_energies * lam_bar).sum(axis=1)
    integ = float(np.sum(0.5 * (rate[1:] + rate[:-1]) * np.diff(fine)))
    booked = s2.dissipated[-1] - s2.dissipated[0]
    assert booked == pytest.approx(integ, rel=2e-3, abs=1e-14)


@pytest.mark.parametrize("params", [dict(b=3.0, c0=0.5), dict(b=2.0, c0=4.0), dict(b=2.0, c0=0.0)])
def test_late_time_exponent_matches_closed_form(params):
    P = TransportProblem(kappa=0.9, d=2.0, **params)
    ts = np.geomspace(1e6, 1e8, 21)
    sol = solve_transport(P, ts, h=0.05)
    assert sol.steps < 1000  # self-similar steps: t = 1e8 is cheap
    expected, _ = expected_loss_exponent(P)
    assert sol.exponent_fit() == pytest.approx(expected, abs=0.02)


def test_expected_exponent_regions():
    assert expected_loss_exponent(TransportProblem(b=2.0, c0=4.0, kappa=0.9, d=2.0))[0] == pytest.approx(0.5)
    assert expected_loss_exponent(TransportProblem(b=3.0, c0=4.0, kappa=0.9, d=2.0))[0] == 0.9  # d xi* = 1
    assert expected_loss_exponent(TransportProblem(b=3.0, c0=16.0, kappa=0.9, d=2.0))[0] == pytest.approx(0.5)
    assert expected_loss_exponent(TransportProblem(b=3.0, c0=1.0, kappa=0.9, d=2.0, sigma=1))[0] == 0.9
    assert expected_loss_exponent(TransportProblem(b=1.5, c0=1.0, kappa=0.9, d=2.0, c_form="const"))[0] == 0.0
    assert TransportProblem(b=3.0, c0=4.0, kappa=1, d=2).frontier_constant == pytest.approx(0.5)


def test_bad_input():
    with pytest.raises(NonFiniteError):
        TransportProblem(b=float("nan"), c0=1.0, kappa=1.0)
    with pytest.raises(NonFiniteError):
        TransportProblem(b=2.0, c0=float("inf"), kappa=1.0)
    with pytest.raises(RegionError):
        TransportProblem(b=2.0, c0=-1.0, kappa=1.0)
    with pytest.raises(RegionError):
        TransportProblem(b=2.0, c0=1.0, kappa=0.0)
    with pytest.raises(RegionError):
        TransportProblem(b=2.0, c0=1.0, kappa=1.0, sigma=0)
    with pytest.raises(RegionError):
        TransportProblem(b=0.5, c0=1.0, kappa=1.0, c_form="self-similar")
    P = TransportProblem(b=2.0, c0=1.0, kappa=1.0)
    with pytest.raises(TimeGridError):
        solve_transport(P, [1.0, 1.0, 2.0])
    with pytest.raises(TimeGridError):
        solve_transport(P, [2.0, 1.0])
    with pytest.raises(TimeGridError):
        solve_transport(P, [1.0, float("nan")])
    with pytest.raises(TimeGridError):
        exact_loss(P, [-1.0])
    with pytest.raises(InputError):
        solve_transport(P, [1.0], h=-0.1)
    with pytest.raises(InputError):
        solve_transport(P, [1.0], s_min=1.0, s_max=2.0)
    with pytest.raises(NonFiniteError):
        fit_loss_exponent([1.0, 2.0], [1.0, float("nan")])
    with pytest.raises(RegionError):
        exact_loss(TransportProblem(b=3.0, c0=1.0, kappa=1.0), [1.0], method="closed")
    with pytest.raises(InputError):
        solve_transport("not a problem", [1.0])
