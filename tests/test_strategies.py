"""The public Hypothesis strategies draw inside their stated regions, and the result each region
belongs to holds there by an independent (numeric) route."""

import math

import mpmath
import numpy as np
import pytest
import sympy as sp
from hypothesis import given, settings
from hypothesis import strategies as st

from grsd_sym import literature as lit
from grsd_sym.conventions import Convention, convert, time_factor
from grsd_sym.derive import scaling
from grsd_sym.derive.exponents import exponents
from grsd_sym.derive.frontier import effective_time_exponent, lazy_loss, transport_loss_exponent
from grsd_sym.numeric.shells import ShellGrid
from grsd_sym.strategies import (
    PHASES,
    chinchilla_parameters,
    convention_a_exponents,
    conventions,
    effective_time_parameters,
    error_vectors,
    exact_rationals,
    lazy_parameters,
    literature_conventions,
    power_law_spectra,
    psd_paths,
    shell_grids,
    transport_parameters,
)
from grsd_sym.symbols import t as tsym


def _small_rational(x, qmax=8):
    return isinstance(x, sp.Rational) and x.q <= qmax


# --------------------------------------------------------------------------------------
# exact regions
# --------------------------------------------------------------------------------------


@settings(max_examples=30)
@given(st.data())
def test_exact_rationals_respect_bounds_and_denominators(data):
    lo = data.draw(st.fractions(-5, 5, max_denominator=12))
    hi = lo + data.draw(st.fractions(1, 5, max_denominator=12))
    x = data.draw(exact_rationals(lo, hi, exclude_min=True, exclude_max=True))
    assert _small_rational(x) and lo < x < hi


@settings(max_examples=10)
@given(convention_a_exponents())
def test_convention_a_lazy_exponent_and_mode_sum(p):
    """Region a > 1, b > 1; GRSD-T13 in Convention A: kappa = (a-1)/b, A = 1/b, d = 2, checked
    against the discrete mode sum sum_k k^-a exp(-2 t k^-b) at large t."""
    assert p.a > 1 and p.b > 1 and _small_rational(p.a) and _small_rational(p.b)
    assert exponents("time", "bordelon2024", a=p.a, b=p.b).exponent == (p.a - 1) / p.b
    f = p.as_floats()
    t = 1e6
    kappa = (f["a"] - 1) / f["b"]
    closed = (1 / f["b"]) * math.gamma(kappa) * (2 * t) ** (-kappa)
    assert scaling.mode_sum_loss(f["a"], f["b"], t) == pytest.approx(closed, rel=1e-3)


@settings(max_examples=10)
@given(lazy_parameters())
def test_lazy_parameters_and_quadrature(p):
    """Region kappa, A, d > 0 (GRSD-T13): the closed form equals mpmath quadrature of the integral."""
    assert all(v > 0 and _small_rational(v) for v in p.as_dict().values())
    t = sp.Rational(3, 2)
    closed = lazy_loss(p.kappa, p.A, p.d, t)
    f = p.as_floats()
    with mpmath.workdps(20):
        # lambda = y^(1/kappa): (A/kappa) int_0^oo exp(-d t y^(1/kappa)) dy, no endpoint singularity
        quad = (
            f["A"]
            / f["kappa"]
            * mpmath.quad(lambda y: mpmath.exp(-f["d"] * 1.5 * y ** (1 / mpmath.mpf(f["kappa"]))), [0, 1, mpmath.inf])
        )
    assert float(closed) == pytest.approx(float(quad), rel=1e-8)


@settings(max_examples=12)
@given(st.sampled_from((None, *PHASES)).flatmap(lambda ph: st.tuples(st.just(ph), transport_parameters(phase=ph))))
def test_transport_parameters_phases_and_exponent(drawn):
    """Region b > 1, c0, kappa, d > 0; the phase is kappa vs d xi* (GRSD-T16) with xi* checked in
    floats as the fixed point of t xi' = xi - c0 xi^b (GRSD-T14); the exponent is min(kappa, d xi*)."""
    phase, p = drawn
    assert p.b > 1 and p.c0 > 0 and p.kappa > 0 and p.d > 0 and p.sigma in (-1, 1)
    f = p.as_floats()
    xs = f["c0"] ** (-1 / (f["b"] - 1))  # independent float route
    assert xs - f["c0"] * xs ** f["b"] == pytest.approx(0, abs=1e-12 * max(1, xs))
    assert float(p.xi_star) == pytest.approx(xs, rel=1e-12)
    x = float(transport_loss_exponent(p.b, c0=p.c0, kappa=p.kappa, d=p.d, sigma=p.sigma))
    if phase is not None:
        assert p.sigma == -1 and p.phase == phase
    if phase == "transport":
        assert f["d"] * xs < f["kappa"]
        assert x == pytest.approx(f["d"] * xs, rel=1e-12)
    elif phase == "dissipation":
        assert f["kappa"] < f["d"] * xs
        assert x == pytest.approx(f["kappa"], rel=1e-12)
    else:
        expect = f["kappa"] if p.sigma == 1 else min(f["kappa"], f["d"] * xs)
        assert x == pytest.approx(expect, rel=1e-12)


def test_transport_parameters_rejects_unknown_phase():
    with pytest.raises(ValueError, match="phase"):
        transport_parameters(phase="lazy")


@settings(max_examples=8)
@given(effective_time_parameters())
def test_effective_time_exponent_against_quadrature(p):
    """Region b = 1, 0 < c0 < 1 (GRSD-T17): tau(t) = int_t0^t (s/t0)^-c0 ds grows like t^(1-c0),
    measured as the log-log slope of the quadrature at large t."""
    assert p.b == 1 and 0 < p.c0 < 1 and p.kappa > 0 and p.t0 > 0
    assert effective_time_exponent(p.c0) == 1 - p.c0
    c0, t0 = float(p.c0), float(p.t0)

    def tau(T):
        return mpmath.quad(lambda s: (s / t0) ** (-c0), [t0, T])

    T1, T2 = 1e8, 1e9
    slope = float(mpmath.log(tau(T2) / tau(T1)) / mpmath.log(T2 / T1))
    # tau = t0^c0 (t^(1-c0) - t0^(1-c0))/(1-c0): the slope's error is ~ (t0/t)^(1-c0)
    assert slope == pytest.approx(1 - c0, abs=5 * (t0 / T1) ** (1 - c0) + 1e-9)


@settings(max_examples=8)
@given(chinchilla_parameters())
def test_chinchilla_optimum_is_a_numeric_minimum(p):
    """Region alpha, beta, A, B > 0, E >= 0 (GRSD-S8b): N* = G (C/6)^n minimises
    E + A N^-alpha + B D^-beta on the budget C = 6 N D (checked on a float grid)."""
    assert p.alpha > 0 and p.beta > 0 and p.A > 0 and p.B > 0 and p.E >= 0
    ch = scaling.chinchilla_optimal(p.alpha, p.beta, p.A, p.B, p.E)
    f = p.as_floats()
    C = 1e12
    logN = np.linspace(-5, math.log(C / 6) + 5, 40001)
    N = np.exp(logN)
    L = f["E"] + f["A"] * N ** (-f["alpha"]) + f["B"] * (C / (6 * N)) ** (-f["beta"])
    n_star = float(ch.G) * (C / 6) ** float(ch.n_exponent)
    assert math.log(n_star) == pytest.approx(logN[np.argmin(L)], abs=2 * (logN[1] - logN[0]))
    assert float(ch.n_exponent) == pytest.approx(f["beta"] / (f["alpha"] + f["beta"]), rel=1e-12)


@settings(max_examples=20)
@given(conventions(), conventions())
def test_conventions_round_trip_and_time_rescaling(c1, c2):
    """Valid Conventions round-trip through to_dict/from_dict; the lazy decay exp(-eta d lambda t)
    of one convention converts to that of the other (GRSD-T1: intrinsic time eta d t)."""
    for c in (c1, c2):
        assert isinstance(c, Convention) and c.eta > 0 and c.d > 0 and c.sigma in (-1, 1)
        assert c.h is None or c.h > 0
        assert Convention.from_dict(c.to_dict()) == c
    lam = sp.Symbol("lambda", positive=True)

    def decay(c):
        return sp.exp(-c.eta * c.d * lam * tsym)

    assert sp.simplify(convert(decay(c1), c1, c2, kind="time") - decay(c2)) == 0
    assert time_factor(c1, c2) * time_factor(c2, c1) == 1


@settings(max_examples=25)
@given(literature_conventions())
def test_literature_conventions_translate_inside_the_region(p):
    """Every drawn (name, params) translates with to_grsd (no RegionError), and the continuum
    data match the convention's definition measured numerically: with lambda_k ~ k^-bm and
    E_k ~ k^-e, kappa = (e - 1)/bm and A = 1/bm (sum-to-integral, GRSD-S8c)."""
    assert p.name in lit.NAMES
    cd = p.to_grsd()
    assert cd.kappa > 0 and cd.A > 0 and cd.d > 0
    if p.name == "grsd":
        assert (cd.kappa, cd.A, cd.d) == (p.params["kappa"], p.params["A"], p.params["d"])
        return
    conv = lit.CONVENTIONS[p.name]
    vals = {s: p.params[s.name] for s in conv.params}

    def slope(e):
        return -float(sp.log(e.subs(vals).subs(lit.k, 4) / e.subs(vals).subs(lit.k, 2)) / sp.log(2))

    bm, e = slope(conv.eigenvalue), slope(conv.energy)
    assert float(cd.kappa) == pytest.approx((e - 1) / bm, rel=1e-12, abs=1e-12)
    assert float(cd.A) == pytest.approx(1 / bm, rel=1e-12)


def test_literature_conventions_cover_every_name_and_reject_unknown():
    seen = set()

    @settings(max_examples=40)
    @given(literature_conventions())
    def collect(p):
        seen.add(p.name)

    collect()
    assert seen == set(lit.NAMES)
    with pytest.raises(ValueError, match="valid"):
        literature_conventions(["nope"])


# --------------------------------------------------------------------------------------
# numeric objects
# --------------------------------------------------------------------------------------


@settings(max_examples=20)
@given(power_law_spectra(n_max=60))
def test_power_law_spectra(spec):
    lam = spec.eigenvalues
    assert lam.shape == spec.amplitudes.shape
    assert (lam == 0).sum() == spec.n_null and np.all(lam >= 0)
    pos = lam[lam > 0]
    if pos.size >= 8:
        k = np.arange(1, pos.size + 1)
        slope = np.polyfit(np.log(k), np.log(pos), 1)[0]
        assert abs(-slope - spec.b) < 0.1  # the tail exponent is the one drawn


@settings(max_examples=10)
@given(power_law_spectra(n_min=40, n_max=80, max_null=0, exponents=convention_a_exponents()))
def test_power_law_spectra_in_convention_a(spec):
    """With Convention A exponents the task power lambda_k a_k^2 has log-log slope -a."""
    assert spec.a > 1 and spec.b > 1
    k = np.arange(1, spec.eigenvalues.size + 1)
    power = spec.eigenvalues * spec.amplitudes**2
    slope = np.polyfit(np.log(k), np.log(power), 1)[0]
    assert abs(-slope - spec.a) < 0.5  # amplitude jitter is +-0.5 in log


@settings(max_examples=20)
@given(shell_grids())
def test_shell_grids(g):
    assert isinstance(g, ShellGrid) and 0.05 <= g.h <= 2.0 and abs(g.s0) <= 3.0
    s = g.s0 + 2.5 * g.h  # a point inside shell 2
    assert int(g.alpha_of(np.array([math.exp(s)]))[0]) == 2


@settings(max_examples=15)
@given(psd_paths())
def test_psd_paths_are_smooth_simple_psd(system):
    ts = np.linspace(0, 1, 11)
    for t in ts:
        M = system(t)
        assert np.array_equal(M, M.T) or np.allclose(M, M.T, atol=1e-12)
        lam = np.sort(system.eigenvalues(t))
        np.testing.assert_allclose(np.linalg.eigvalsh(M), lam, atol=1e-10 * (1 + lam.max()))
        pos = lam[lam > 0]
        assert np.all(np.diff(np.log(pos)) > 0)  # simple positive spectrum: no crossings
    assert system.n <= 12


@settings(max_examples=10)
@given(error_vectors(4))
def test_error_vectors(e):
    assert e.shape == (4,) and np.isfinite(e).all()
