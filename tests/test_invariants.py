"""Invariant forms: the engine on random scaling groups, discrete groups, contradictions."""

import random

import mpmath
import pytest
import sympy as sp
from hypothesis import given, settings
from hypothesis import strategies as st
from sympy.core.function import AppliedUndef

from grsd_sym.certificate import numeric_witness
from grsd_sym.derive.invariants import (
    Independence,
    ScalingInvariance,
    Separability,
    encode_periodic,
    finite_residual,
    invariant_form,
    split_integer_periods,
)
from grsd_sym.errors import AssumptionError, InputError
from grsd_sym.symbols import b, h, lam, t

rats = st.builds(lambda n, dd: sp.Rational(n, dd), st.integers(-6, 6), st.sampled_from([1, 2, 3]))
M_INT = sp.Symbol("m", integer=True)


def _concrete(expr, seed):
    """Replace every free function by a concrete smooth one (random coefficients)."""
    rng = random.Random(seed)

    def rep(app):
        cs = [sp.Rational(rng.randint(1, 9), 7) for _ in app.args]
        arg = sum(c_ * sp.sin(x) if i % 2 else c_ * x for i, (c_, x) in enumerate(zip(cs, app.args, strict=True)))
        return (2 + sp.cos(arg)) * sp.exp(sp.Rational(1, 3) * sp.sin(arg))

    return expr.replace(lambda z: isinstance(z, AppliedUndef), rep)


def _numeric_finite_check(expr, cons, seed=0):
    """u(k^p x) = k^r u(x) at random points, evaluated by mpmath at 30 digits (an independent route)."""
    rng = random.Random(seed)
    f = _concrete(expr, seed)
    syms = sorted(f.free_symbols - {lam, t}, key=str)
    F = sp.lambdify([lam, t, *syms], f, modules="mpmath")

    def mp(q):
        q = sp.Rational(q)
        return mpmath.mpf(q.p) / q.q

    worst = 0.0
    with mpmath.workdps(30):
        for _ in range(5):
            lv, tv = mp(sp.Rational(rng.randint(2, 30), 10)), mp(sp.Rational(rng.randint(2, 30), 10))
            extra = [mp(sp.Rational(rng.randint(3, 20), 10)) for _ in syms]
            for c_ in cons:
                kv = mp(sp.Rational(rng.randint(3, 30), 10))
                lhs = F(lv * kv ** mp(c_.weights.get(lam, 0)), tv * kv ** mp(c_.weights.get(t, 0)), *extra)
                rhs = kv ** mp(c_.degree) * F(lv, tv, *extra)
                worst = max(worst, float(abs(lhs - rhs) / (abs(lhs) + abs(rhs))))
    return worst


@settings(max_examples=20, deadline=None)
@given(p=rats, q=rats, r=rats, second=st.booleans(), p2=rats, q2=rats, r2=rats)
def test_random_scaling_groups(p, q, r, second, p2, q2, r2):
    cons = [ScalingInvariance({lam: p, t: q}, r, name="G1")]
    if second:
        cons.append(ScalingInvariance({lam: p2, t: q2}, r2, name="G2"))
    P = sp.Matrix([[c_.weights[lam], c_.weights[t]] for c_ in cons])
    R = sp.Matrix([c_.degree for c_ in cons])
    consistent = P.rank() == P.row_join(R).rank()
    if not consistent:
        with pytest.raises(AssumptionError):
            invariant_form([lam, t], cons)
        return
    form = invariant_form([lam, t], cons)
    assert form.verified, form.certificate.summary()
    # generality: number of invariants = number of variables - rank (characteristics)
    nargs = sum(len(a_) for a_ in form.free_functions.values())
    assert nargs == 2 - P.rank()
    assert (len(form.free_constants) == 1) == (nargs == 0)
    # an independent numeric route on a concrete member of the family
    assert _numeric_finite_check(form.expr, cons, seed=int(abs(p * 7 + q * 3 + r) * 10)) < 1e-20
    # a wrong form is refused: perturb the lambda exponent where the group moves lambda
    if any(c_.weights[lam] != 0 for c_ in cons):
        wrong = form.expr * lam ** sp.Rational(1, 7)
        c_bad = next(c_ for c_ in cons if c_.weights[lam] != 0)
        assert numeric_witness(finite_residual(wrong, c_bad)) < 5


def test_three_variables_separable():
    x, y, z = sp.symbols("x y z", positive=True)
    cons = [ScalingInvariance({x: 1, y: -1}, 2, name="G"), Separability(((x,), (y, z)))]
    form = invariant_form([x, y, z], cons)
    assert form.verified
    # the (y, z) block keeps a free function of z; the x-y coupling forces a power law in x
    assert any(args == (z,) for args in form.free_functions.values())
    assert form.free_exponents


def test_discrete_row_is_periodic_and_only_discrete():
    cons = [ScalingInvariance({lam: 1, t: -1}, 2, name="T10d", step=h), Separability(((lam,), (t,)))]
    form = invariant_form([lam, t], cons, exponent_names={lam: b})
    assert form.verified
    assert len(form.periodic) == 2 and all(per[1] == h for per in form.periodic.values())
    # the same form is refused under a half step (period h, shift h/2)
    half = ScalingInvariance({lam: 1, t: -1}, 2, name="half", step=h / 2)
    res = split_integer_periods(encode_periodic(finite_residual(form.expr, half), form.periodic), [M_INT])
    res = sp.expand_power_base(sp.expand(res), force=True)
    assert numeric_witness(res) < 5
    # and under the continuous group
    cont = ScalingInvariance({lam: 1, t: -1}, 2, name="cont")
    res = encode_periodic(finite_residual(form.expr, cont), form.periodic)
    assert numeric_witness(res) < 5


def test_discrete_without_separability_keeps_a_two_argument_function():
    form = invariant_form([lam, t], [ScalingInvariance({lam: 1, t: -1}, 2, name="T10d", step=h)])
    assert form.verified
    (args,) = form.free_functions.values()
    assert args[0] == lam * t and args[1] == sp.log(lam)


def test_consistency_conditions_force_and_contradict():
    base = [ScalingInvariance({lam: 1, t: -1}, 2, name="T10"), Independence(t)]
    form = invariant_form([lam, t], [*base, ScalingInvariance({lam: 1}, b, name="hom")])
    assert form.conditions == {b: 2}
    with pytest.raises(AssumptionError):
        invariant_form([lam, t], [*base, ScalingInvariance({lam: 1}, sp.Rational(3, 2), name="hom")])


def test_input_validation():
    x = sp.Symbol("x", real=True)
    with pytest.raises(InputError):
        invariant_form([x], [])
    with pytest.raises(InputError):
        ScalingInvariance({lam: sp.Symbol("p")}, 1)
    with pytest.raises(InputError):
        ScalingInvariance({lam: 1}, 1, step=-1)
