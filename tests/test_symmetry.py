"""Lie point symmetries: finite action <-> generator, composition, brackets, prolongation."""

import random

import pytest
import sympy as sp
from hypothesis import given, settings
from hypothesis import strategies as st

from grsd_sym.certificate import check_zero
from grsd_sym.derive.symmetry import (
    JetSpace,
    OneParameterGroup,
    VectorField,
    commutator,
    determining_equations,
    graph_characteristic,
    graph_invariance_residual,
    invariance_condition,
    prolong,
    scaling_group,
    time_rescaling_group,
    transform_graph,
    translation_group,
)
from grsd_sym.errors import DerivationError, InputError
from grsd_sym.symbols import a, lam, t

x, y = sp.symbols("x y", real=True)
u = sp.Symbol("u", real=True)
vv = sp.Symbol("v", real=True)
rats = st.fractions(min_value=-3, max_value=3, max_denominator=4).map(sp.Rational)


@settings(max_examples=15, deadline=None)
@given(p=rats, q=rats, r=rats)
def test_scaling_generator_flow_round_trip(p, q, r):
    G = scaling_group({lam: p, t: q, vv: r})
    X = G.generator()
    assert X.coeff(lam) == p * lam and X.coeff(t) == q * t and X.coeff(vv) == r * vv
    back = X.flow(a, coords=[lam, t, vv])
    for z in (lam, t, vv):
        assert sp.simplify(back.action[z] - G.action[z]) == 0
    assert all(sp.simplify(e) == 0 for e in G.group_law_residual())


@pytest.mark.parametrize(
    "field, expected",
    [
        ({x: 1}, {x: x + a}),
        ({x: -y, y: x}, {x: x * sp.cos(a) - y * sp.sin(a), y: x * sp.sin(a) + y * sp.cos(a)}),
        ({x: x**2}, {x: x / (1 - a * x)}),
        ({x: 1, y: x}, {x: x + a, y: y + a * x + a**2 / 2}),
    ],
)
def test_flow_of_nonscaling_generators(field, expected):
    G = VectorField(field).flow(a, coords=[x, y])
    for z, e in expected.items():
        assert sp.simplify(G.action[z] - e) == 0
    # independent route: the group law and the generator recovered by differentiation
    assert all(sp.simplify(e) == 0 for e in G.group_law_residual())
    X = G.generator()
    for z in (x, y):
        assert sp.simplify(X.coeff(z) - VectorField(field).coeff(z)) == 0


def test_flow_refuses_what_it_cannot_integrate():
    with pytest.raises(DerivationError):
        VectorField({x: y**2, y: x**2}).flow(a)


def test_group_requires_identity():
    with pytest.raises(InputError):
        OneParameterGroup({x: x + 1 + a})


def test_commutator_known_brackets_and_composition():
    T = VectorField({x: 1})
    D = VectorField({x: x})
    assert commutator(T, D).coeffs == {x: 1}  # [d_x, x d_x] = d_x
    assert commutator(D, D).coeffs == {}
    # the bracket measures non-commutation of the finite actions
    a1, a2 = sp.symbols("a1 a2", real=True)
    Tg, Dg = translation_group({x: 1}, a1), scaling_group({x: 1}, a2)
    lhs = Tg.compose(Dg).action[x]
    rhs = Dg.compose(Tg).action[x]
    assert sp.simplify(lhs - rhs) != 0
    # second-order term of the group commutator equals the bracket coefficient
    eps = sp.Symbol("epsilon")
    conj = Tg.at(-eps).compose(Dg.at(-eps)).compose(Tg.at(eps)).compose(Dg.at(eps)).action[x]
    series = sp.series(conj - x, eps, 0, 3).removeO()
    assert (
        sp.simplify(series.coeff(eps, 2) - commutator(T, D).coeff(x).subs(x, x)) == 0
        or sp.simplify(series.coeff(eps, 2) + commutator(T, D).coeff(x)) == 0
    )
    # scaling groups commute
    S1, S2 = scaling_group({x: 1, y: 2}, a1), scaling_group({x: -1, y: 3}, a2)
    for z in (x, y):
        assert sp.simplify(S1.compose(S2).action[z] - S2.compose(S1).action[z]) == 0


@settings(max_examples=6, deadline=None)
@given(c=st.lists(st.integers(-2, 2), min_size=6, max_size=6))
def test_jacobi_identity(c):
    X = VectorField({x: c[0] * x + c[1] * y**2, y: c[2]})
    Y = VectorField({x: c[3] * y, y: c[4] * x * y})
    Z = VectorField({x: c[5] + x * y, y: y})
    J = commutator(X, commutator(Y, Z)) + commutator(Y, commutator(Z, X)) + commutator(Z, commutator(X, Y))
    assert all(sp.expand(e) == 0 for e in J.coeffs.values())


def test_prolongation_formula_against_direct_transformation():
    # scaling (x, u) -> (e^a x, e^{2a} u): u_x transforms to e^{a} u_x, so phi^(x) = u_x
    jet = JetSpace([x], [u])
    X = VectorField({x: x, u: 2 * u})
    pr = prolong(X, jet)
    ux = jet.d(u, x)
    assert sp.simplify(pr.coeff(ux) - ux) == 0
    # rotation in (x, u): phi^(x) = 1 + u_x^2 (textbook)
    R = VectorField({x: -u, u: x})
    assert sp.simplify(prolong(R, jet).coeff(ux) - (1 + ux**2)) == 0


def test_invariance_condition_accepts_symmetries_and_refuses_others():
    jet = JetSpace([x, t], [u])
    ux, ut = jet.d(u, x), jet.d(u, t)
    transport = ut + 3 * ux
    for ok in (VectorField({x: 1}), VectorField({t: 1}), VectorField({u: u}), VectorField({x: x, t: t})):
        assert invariance_condition(ok, transport, jet, ut) == 0
    bad = invariance_condition(VectorField({x: x}), transport, jet, ut)
    assert bad != 0
    assert check_zero(bad).passed is False
    dets = determining_equations(bad, jet)
    assert set(dets) == {ux}


def test_graph_invariance_two_routes():
    R = time_rescaling_group(lam, t, vv)
    X = R.generator()
    Phi = sp.Function("Phi")
    good = lam**2 * Phi(lam * t)
    assert sp.simplify(graph_invariance_residual(R, vv, [lam, t], good)) == 0
    assert sp.simplify(graph_characteristic(X, vv, [lam, t], good)) == 0
    bad = lam**3  # lambda^3 t = lambda^2 (lambda t) would be invariant
    fin = graph_invariance_residual(R, vv, [lam, t], bad)
    inf = graph_characteristic(X, vv, [lam, t], bad)
    assert sp.simplify(fin) != 0 and sp.simplify(inf) != 0
    # the characteristic is d/da of the finite residual at a = 0
    assert sp.simplify(sp.diff(fin, a).subs(a, 0) - inf) == 0
    # transformed graph, numerically at a random point
    rng = random.Random(3)
    f = sp.exp(-lam) * t
    tr = transform_graph(R, vv, [lam, t], f)
    for _ in range(3):
        vals = {
            lam: sp.Rational(rng.randint(1, 9), 4),
            t: sp.Rational(rng.randint(1, 9), 5),
            a: sp.Rational(rng.randint(-5, 5), 7),
        }
        direct = sp.exp(2 * vals[a]) * f.subs({lam: vals[lam] * sp.exp(-vals[a]), t: vals[t] * sp.exp(vals[a])})
        assert abs(float(tr.subs(vals) - direct)) < 1e-12
