"""The literature convention translator (GRSD-S8c): maps from definitions, inverses, and the
same exponents for the same physics in every convention."""

import math

import pytest
import sympy as sp
from hypothesis import given, settings
from hypothesis import strategies as st

from grsd_sym import literature as lit
from grsd_sym.certificate import check_zero
from grsd_sym.derive import scaling
from grsd_sym.derive.exponents import exponents
from grsd_sym.errors import ConventionError, DerivationError, InputError, RegionError
from grsd_sym.registry import get_theorem, run_theorem


def rat(lo, hi, q=20):
    return st.integers(int(lo * q) + 1, int(hi * q)).map(lambda n: sp.Rational(n, q))


# physics drawn in each convention (inside its region)
DRAWS = {
    "bordelon2024": st.fixed_dictionaries({"a": rat(1, 4), "b": rat(1, 3)}),
    "source-capacity": st.fixed_dictionaries({"alpha": rat(1, 3), "r": rat(0, 2)}),
    "paquette2024": st.fixed_dictionaries({"alpha": rat(0.5, 2), "beta": rat(0, 2)}),
    "lin2024": st.fixed_dictionaries({"a": rat(1, 4)}),
}


def _numeric_power_exponent(expr, params):
    """-d log f/d log k of a convention's *definition*, measured numerically (no SymPy map)."""
    f = sp.lambdify(lit.k, expr.subs(params), "mpmath")
    k1, k2 = 1000.0, 2000.0
    return -float((math.log(float(f(k2))) - math.log(float(f(k1)))) / math.log(k2 / k1))


# --------------------------------------------------------------------------------------
# the computed maps against independent routes
# --------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", list(lit.CONVENTIONS))
def test_map_matches_numeric_mode_sum_of_the_definition(name):
    """The lazy loss A Gamma(kappa) (2t)^-kappa from the translator vs the mode sum
    sum_k E_k exp(-2 lambda_k t) built from the convention's definition (exponents measured
    numerically from the lambdified lambda_k and E_k), at large t."""
    conv = lit.CONVENTIONS[name]
    params = {
        "bordelon2024": {"a": 2, "b": sp.Rational(3, 2)},
        "source-capacity": {"alpha": 2, "r": sp.Rational(1, 3)},
        "paquette2024": {"alpha": sp.Rational(3, 4), "beta": sp.Rational(1, 2)},
        "lin2024": {"a": sp.Rational(5, 2)},
    }[name]
    vals = {p: params[p.name] for p in conv.params}
    b_num = _numeric_power_exponent(conv.eigenvalue, vals)
    a_num = _numeric_power_exponent(conv.energy, vals)
    cd = lit.to_grsd(name, **params)
    t = 1e5
    direct = scaling.mode_sum_loss(a_num, b_num, t)
    closed = float(cd.A * sp.gamma(cd.kappa) * (cd.d * t) ** (-cd.kappa))
    assert direct == pytest.approx(closed, rel=1e-6)
    assert float(cd.modes_b) == pytest.approx(b_num, rel=1e-9)


def test_paquette_energy_is_covariance_weighted():
    """Paquette: energy in mode j is lambda_j b_j^2 = j^-(2 alpha + 2 beta): the same physics as
    Convention A with a = 2 alpha + 2 beta, b = 2 alpha."""
    tr = lit.translate("paquette2024", "bordelon2024", alpha=sp.Rational(3, 4), beta=sp.Rational(1, 2))
    assert tr.params == {"a": sp.Rational(5, 2), "b": sp.Rational(3, 2)}
    # b_j^2 alone (no covariance weight) would be a different problem
    cd = lit.to_grsd("paquette2024", alpha=sp.Rational(3, 4), beta=sp.Rational(1, 2))
    wrong = lit.continuum_map(lit.k ** sp.Rational(-3, 2), lit.k**-1)
    assert wrong.kappa != cd.kappa


def test_lin_isotropic_prior_is_convention_a_at_b_equals_a():
    assert lit.translate("lin2024", "bordelon2024", a=3).params == {"a": 3, "b": 3}
    with pytest.raises(RegionError, match="cannot represent"):
        lit.translate("bordelon2024", "lin2024", a=3, b=2)


def test_grsd_with_other_d_is_a_time_rescaling():
    tr = lit.from_grsd("bordelon2024", kappa=1, A=sp.Rational(1, 2), d=1)
    assert tr.params == {"a": 3, "b": 2}
    assert tr.time_factor == sp.Rational(1, 2)
    # lazy losses agree at t_lit = t d/2
    t = sp.Rational(7)
    cd = lit.to_grsd("bordelon2024", **tr.params)
    lhs = 1 * sp.gamma(1) * sp.Rational(1, 2) * (1 * t) ** -1
    rhs = cd.A * sp.gamma(cd.kappa) * (cd.d * t * tr.time_factor) ** (-cd.kappa)
    assert sp.simplify(lhs - rhs) == 0


# --------------------------------------------------------------------------------------
# property tests: round trips and the same exponents in every convention
# --------------------------------------------------------------------------------------


@settings(max_examples=15, deadline=None)
@given(data=st.data(), name=st.sampled_from(sorted(DRAWS)))
def test_round_trip(data, name):
    params = data.draw(DRAWS[name])
    cd = lit.to_grsd(name, **params)
    back = lit.from_grsd(name, cd.kappa, cd.A, cd.d)
    assert back.params == params
    assert back.time_factor == 1


def _all_routes(name, params):
    """Exponents of one problem computed in every convention that can represent it."""
    cd = lit.to_grsd(name, **params)
    routes = {name: params, "grsd": {"kappa": cd.kappa, "A": cd.A, "d": cd.d}}
    for other in lit.CONVENTIONS:
        if other == name:
            continue
        try:
            routes[other] = lit.from_grsd(other, cd.kappa, cd.A, cd.d).params
        except RegionError:
            continue  # e.g. lin2024 represents only A = 1 - kappa; a region may exclude the image
    out = {}
    for conv, p in routes.items():
        extra = {"b": cd.modes_b} if conv == "grsd" else {}  # grsd: the mode count for size/compute
        co = exponents("compute-optimal", conv, **p, **extra)
        out[conv] = (
            exponents("time", conv, **p).exponent,
            exponents("size", conv, **p, **extra).exponent,
            co.exponent,
            co.extra["n_exponent"],
        )
    return out


@settings(max_examples=8, deadline=None)
@given(data=st.data(), name=st.sampled_from(sorted(DRAWS)))
def test_same_physics_same_exponents_in_every_convention(data, name):
    params = data.draw(DRAWS[name])
    out = _all_routes(name, params)
    assert len(out) >= 3  # the origin, grsd, and at least one other literature convention
    ref = out[name]
    for conv, ex in out.items():
        assert ex == ref, (conv, ex, ref)
    # and Convention A's published closed forms, through the translator
    a_b = lit.from_grsd("bordelon2024", *(lambda c: (c.kappa, c.A))(lit.to_grsd(name, **params))).params
    a, b = a_b["a"], a_b["b"]
    assert ref == ((a - 1) / b, a - 1, (a - 1) / (1 + b), 1 / (1 + b))


# --------------------------------------------------------------------------------------
# regions and input errors
# --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name,params,region",
    [
        ("source-capacity", {"alpha": 1, "r": sp.Rational(1, 2)}, "alpha > 1"),
        ("source-capacity", {"alpha": 2, "r": 0}, "r > 0"),
        ("bordelon2024", {"a": 1, "b": 2}, "a > 1"),
        ("bordelon2024", {"a": 2, "b": 1}, "b > 1"),
        ("paquette2024", {"alpha": sp.Rational(1, 2), "beta": 1}, "2 alpha > 1"),
        ("lin2024", {"a": sp.Rational(1, 2)}, "a > 1"),
        ("grsd", {"kappa": 0, "A": 1}, "kappa > 0"),
        ("grsd", {"kappa": 1, "A": -1}, "A > 0"),
    ],
)
def test_region_errors_name_the_region(name, params, region):
    with pytest.raises(RegionError, match=region.replace("(", r"\(")):
        lit.to_grsd(name, **params)


def test_input_errors():
    with pytest.raises(ConventionError, match="valid: bordelon2024"):
        lit.to_grsd("chinchilla2022", a=1)
    with pytest.raises(InputError, match="needs parameter"):
        lit.to_grsd("bordelon2024", a=2)
    with pytest.raises(InputError, match="unknown"):
        lit.to_grsd("bordelon2024", a=2, b=2, r=1)
    with pytest.raises(InputError):
        lit.parse_value("x + 1")
    with pytest.raises(InputError):
        lit.parse_value("oo")
    with pytest.raises(InputError):
        lit.parse_value(float("nan"))


def test_parse_value_is_exact():
    assert lit.parse_value("0.34") == sp.Rational(17, 50)
    assert lit.parse_value("3/2") == sp.Rational(3, 2)
    assert lit.parse_value(0.1) == sp.Rational(1, 10)
    assert lit.parse_value("1e-3") == sp.Rational(1, 1000)
    assert lit.parse_value("sqrt(2)") == sp.sqrt(2)


def test_continuum_map_rejects_what_it_cannot_do():
    with pytest.raises(DerivationError):
        lit.continuum_map(sp.exp(-lit.k), lit.k**-2)  # not a power law
    with pytest.raises(DerivationError):
        lit.continuum_map(lit.k**2, lit.k**-2)  # increasing eigenvalues


# --------------------------------------------------------------------------------------
# the proof
# --------------------------------------------------------------------------------------


def test_conventions_proof_verifies():
    cert = run_theorem(get_theorem("GRSD-S8c"))
    assert cert.verified, cert.summary()


def test_jacobian_without_dk_dlambda_is_rejected():
    """A broken map (forgetting |dk/dlambda|: g0 = E_k(lambda)) fails the Jacobian identity."""
    conv = lit.CONVENTIONS["bordelon2024"]
    m = lit._symbolic_map("bordelon2024")
    a_, b_ = conv.params
    broken = conv.energy.subs(lit.k, m.k_of_lambda)
    dom = {a_: (sp.Rational(11, 10), 4), b_: (sp.Rational(11, 10), 4)}
    res = broken.subs(lit.lam, conv.eigenvalue) * (-sp.diff(conv.eigenvalue, lit.k)) - conv.energy
    assert check_zero(res, domains=dom).passed is False
    good = m.g0.subs(lit.lam, conv.eigenvalue) * (-sp.diff(conv.eigenvalue, lit.k)) - conv.energy
    assert check_zero(good, domains=dom).passed is True
