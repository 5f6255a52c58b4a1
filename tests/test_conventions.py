"""Conventions (docs/conventions.md) and the time-rescaling conversion of results (GRSD-T1)."""

import pytest
import sympy as sp
from hypothesis import given, settings
from hypothesis import strategies as st

from grsd_sym.conventions import DEFAULT, PAPER, Convention, convert, time_factor
from grsd_sym.errors import ConventionError, ShellGridError
from grsd_sym.symbols import lam, t

pos = st.fractions(min_value=sp.Rational(1, 10), max_value=10, max_denominator=24).map(sp.Rational)


def lazy_density(conv: Convention):
    """g(lambda, t) of the lazy PDE d_t g = -d lambda g, written in convention ``conv``.

    Solved independently in each convention (d and eta enter the PDE), not converted.
    """
    G = sp.Function("G")
    sol = sp.dsolve(sp.Eq(G(t).diff(t), -conv.eta * conv.d * lam * G(t)), ics={G(0): 1}).rhs
    return sol


@settings(max_examples=6)
@given(pos, pos, pos, pos)
def test_converting_the_lazy_solution_equals_solving_in_the_other_convention(e1, d1, e2, d2):
    c1, c2 = Convention(eta=e1, d=d1), Convention(eta=e2, d=d2)
    converted = convert(lazy_density(c1), c1, c2, kind="time")
    assert sp.simplify(converted - lazy_density(c2)) == 0


@given(pos, pos, pos)
def test_conversion_round_trip_and_composition(d1, d2, d3):
    c1, c2, c3 = Convention(d=d1), Convention(d=d2), Convention(d=d3)
    f = sp.exp(-t) * t**2
    assert sp.simplify(convert(convert(f, c1, c2, kind="time"), c2, c1, kind="time") - f) == 0
    assert (
        sp.simplify(convert(convert(f, c1, c2, kind="time"), c2, c3, kind="time") - convert(f, c1, c3, kind="time"))
        == 0
    )
    assert time_factor(c1, c3) == time_factor(c1, c2) * time_factor(c2, c3)


def test_velocity_conversion_follows_the_pde():
    # PDE with (d, v) at time t equals PDE with (d', v d'/d) at time t d/d'   (docs/conventions.md)
    vel = sp.Function("v")(lam, t)
    out = convert(vel, PAPER, DEFAULT, kind="velocity")
    assert out == 2 * sp.Function("v")(lam, 2 * t)


def test_amplitude_flips_with_sigma_and_exponent_is_invariant():
    c_plus = Convention(sigma=1)
    assert convert(sp.Integer(3), DEFAULT, c_plus, kind="amplitude") == -3
    assert convert(sp.Rational(1, 2), PAPER, DEFAULT, kind="exponent") == sp.Rational(1, 2)


@pytest.mark.parametrize(
    "kw, err",
    [
        ({"h": 0}, ShellGridError),
        ({"h": -1}, ShellGridError),
        ({"d": 0}, ConventionError),
        ({"eta": -2}, ConventionError),
        ({"sigma": 2}, ConventionError),
        ({"coordinate": "k"}, ConventionError),
        ({"s0": sp.oo}, ShellGridError),
    ],
)
def test_bad_conventions(kw, err):
    with pytest.raises(err):
        Convention(**kw)


def test_dict_round_trip_keeps_exact_values():
    c = Convention(eta=sp.Rational(1, 3), d=1, h=0.5, s0=-1)
    assert c.h == sp.Rational(1, 2)  # floats become exact rationals
    assert Convention.from_dict(c.to_dict()) == c
    with pytest.raises(ConventionError):
        Convention.from_dict({"bogus": 1})
    with pytest.raises(ConventionError):
        convert(t, c, c, kind="bogus")
