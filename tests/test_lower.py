"""Lowering (grsd_sym.lower): kernels vs independent mpmath evaluation of the SymPy expression."""

import math

import mpmath
import numpy as np
import pytest
import sympy as sp
from hypothesis import given, settings
from hypothesis import strategies as st

from grsd_sym.errors import InputError, NonFiniteError
from grsd_sym.lower import Kernel, lower, safe_rewrite

A, kap, d, t, lam, lam0, c0, b, x, y = sp.symbols("A kappa d t lambda lambda0 c0 b x y", positive=True)

rat = st.fractions(min_value=0, max_value=1, max_denominator=1000)


def r(lo, hi):
    """Exact rationals in [lo, hi] (SymPy Rationals: the reference evaluation stays exact)."""
    return st.fractions(min_value=lo, max_value=hi, max_denominator=997).map(
        lambda f: sp.Rational(f.numerator, f.denominator)
    )


def reference(expr, subs, digits=60):
    """SymPy's own evalf of the expression at exact rational arguments (independent route)."""
    val = sp.N(expr.subs(subs), digits)
    return mpmath.mpf(val._mpf_) if val.is_Float else mpmath.mpf(sp.Float(val, digits)._mpf_)


def check(expr, args, vals, np_tol=1e-12):
    k = lower(expr, args)
    subs = dict(zip(args, vals, strict=True))
    with mpmath.workdps(60):
        ref = reference(expr, subs)
        got = k.mpmath(*vals, dps=50)
        assert abs(got - ref) <= mpmath.mpf(10) ** -40 * abs(ref)
    got_np = float(k.numpy(*[float(v) for v in vals]))
    assert abs(got_np - float(ref)) <= np_tol * abs(float(ref))


@settings(max_examples=25, deadline=None)
@given(r(sp.Rational(1, 10), 10), r(sp.Rational(1, 10), 8), r(sp.Rational(1, 2), 4), r(sp.Rational(1, 100), 1000))
def test_lazy_loss_gamma_form(Av, kv, dv, tv):
    check(A * sp.gamma(kap) * (d * t) ** (-kap), [A, kap, d, t], [Av, kv, dv, tv])


@settings(max_examples=20, deadline=None)
@given(r(sp.Rational(1, 5), 6), r(sp.Rational(1, 2), 3), r(sp.Rational(1, 100), 500))
def test_incomplete_gamma_form(kv, dv, tv):
    # GRSD-T13 with lambda_max = 1: L = lowergamma(kappa, d t) (d t)^-kappa
    check(sp.lowergamma(kap, d * t) * (d * t) ** (-kap), [kap, d, t], [kv, dv, tv], np_tol=1e-12)


@settings(max_examples=20, deadline=None)
@given(r(sp.Rational(1, 5), 6), r(sp.Rational(1, 100), 60))
def test_upper_incomplete_gamma(kv, xv):
    check(sp.uppergamma(kap, x) * sp.exp(x), [kap, x], [kv, xv], np_tol=1e-11)


@settings(max_examples=25, deadline=None)
@given(r(sp.Rational(1, 100), 2), r(sp.Rational(1, 10), 5), r(sp.Rational(11, 10), 4), r(sp.Rational(1, 100), 10**4))
def test_characteristic_form(l0, cv, bv, tv):
    expr = lam0 * (1 + c0 * (b - 1) * lam0 ** (b - 1) * t) ** (-1 / (b - 1))
    check(expr, [lam0, c0, b, t], [l0, cv, bv, tv])


def test_expm1_rewrite_matters():
    k = lower(1 - sp.exp(-lam * t), [lam, t])
    naive = lower(1 - sp.exp(-lam * t), [lam, t], rewrite=False)
    assert "expm1" in k.numpy_source and "expm1" not in naive.numpy_source
    exact = float(-mpmath.expm1(-mpmath.mpf(1e-12)))  # lambda t = 1e-12 exactly as doubles give it
    good = float(k.numpy(1e-6, 1e-6))
    bad = float(naive.numpy(1e-6, 1e-6))
    prod = 1e-6 * 1e-6
    exact = float(-mpmath.expm1(-mpmath.mpf(prod)))
    assert abs(good - exact) <= 1e-15 * exact
    assert abs(bad - exact) > 1e-6 * exact


def test_log1p_and_expm1_sum_rewrites():
    e = sp.log(1 + x) + 3 * sp.exp(y) - 3
    rw = safe_rewrite(e)
    assert rw.has(sp.codegen.cfunctions.log1p) and rw.has(sp.codegen.cfunctions.expm1)
    assert (
        sp.simplify(rw.rewrite(sp.exp).rewrite(sp.log) - e) == 0
        or abs(
            complex(
                rw.subs({x: sp.Rational(1, 3), y: sp.Rational(2, 7)}).evalf(30)
                - e.subs({x: sp.Rational(1, 3), y: sp.Rational(2, 7)}).evalf(30)
            )
        )
        < 1e-25
    )
    k, naive = lower(e, [x, y]), lower(e, [x, y], rewrite=False)
    xv, yv = 1e-14, 1e-15
    exact = float(mpmath.log1p(mpmath.mpf(xv)) + 3 * mpmath.expm1(mpmath.mpf(yv)))
    assert abs(float(k.numpy(xv, yv)) - exact) <= 1e-15 * exact
    assert abs(float(naive.numpy(xv, yv)) - exact) > 1e-4 * exact


def test_power_of_one_plus_small_rewrite_matters():
    # (1 + x)^(1/eps) with eps = b - 1 tiny: log-space with log1p keeps the digits
    e = (1 + x) ** (1 / (b - 1))
    k, naive = lower(e, [x, b]), lower(e, [x, b], rewrite=False)
    xv, bv = 1e-9, 1 + 2.0**-20
    exact = float(mpmath.exp(mpmath.log1p(mpmath.mpf(xv)) / (mpmath.mpf(bv) - 1)))
    assert abs(float(k.numpy(xv, bv)) - exact) <= 1e-13 * exact
    assert abs(float(naive.numpy(xv, bv)) - exact) > 1e-11 * exact  # ~1e-16 amplified by 1/(b-1)


def test_gamma_overflow_log_space():
    e = A * sp.gamma(kap) * (d * t) ** (-kap)
    k, naive = lower(e, [A, kap, d, t]), lower(e, [A, kap, d, t], rewrite=False)
    with pytest.raises(NonFiniteError):
        naive.numpy(1.0, 200.0, 2.0, 1e3)  # Gamma(200) overflows a double
    got = float(k.numpy(1.0, 200.0, 2.0, 1e3))
    ref = float(mpmath.gamma(200) * mpmath.mpf(2000) ** -200)
    assert abs(got - ref) <= 1e-12 * ref
    # products of powers whose factors overflow separately
    k2 = lower(x**kap * y ** (-kap), [x, y, kap])
    assert float(k2.numpy(1e200, 1e200, 2.0)) == pytest.approx(1.0, rel=1e-13)
    with pytest.raises(NonFiniteError):
        lower(x**kap * y ** (-kap), [x, y, kap], rewrite=False).numpy(1e200, 1e200, 2.0)


def test_cse_shares_subexpressions():
    e = d * sp.log(1 + lam * t) ** 2 + sp.sin(sp.log(1 + lam * t)) + sp.cos(sp.log(1 + lam * t))
    k = lower(e, [d, lam, t])
    plain = lower(e, [d, lam, t], cse=False)
    assert "x0 = " in k.numpy_source, "cse found nothing to share"
    assert k.numpy_source.count("log1p") == 1  # computed once, shared
    assert plain.numpy_source.count("log1p") == 3  # without cse: three array passes
    lam_v = np.geomspace(1e-3, 1e3, 50)
    np.testing.assert_allclose(k.numpy(2.0, lam_v, 0.3), plain.numpy(2.0, lam_v, 0.3), rtol=1e-14)
    with mpmath.workdps(40):
        ref = reference(e, {d: 2, lam: sp.Rational(1, 7), t: sp.Rational(3, 10)}, 50)
        assert abs(k.mpmath(2, sp.Rational(1, 7), sp.Rational(3, 10), dps=40) - ref) < mpmath.mpf(10) ** -38


def test_mpmath_rationals_exact():
    k = lower(x + sp.Rational(1, 3), [x])
    assert "mpf(1)/mpf(3)" in k.mpmath_source
    with mpmath.workdps(60):
        third = mpmath.mpf(1) / 3
    got = k.mpmath(0, dps=60)
    with mpmath.workdps(60):
        assert abs(got - third) < mpmath.mpf(10) ** -59
        assert abs(mpmath.mpf(1.0 / 3.0) - third) > mpmath.mpf(10) ** -18  # a float would not do
    # rational arguments are exact too
    k2 = lower(x * 3, [x])
    with mpmath.workdps(50):
        assert k2.mpmath(sp.Rational(1, 3), dps=50) == 1


def test_broadcasting_kwargs_and_convention():
    from grsd_sym.conventions import Convention

    conv = Convention(d=2)
    k = lower(A * sp.gamma(kap) * (d * t) ** (-kap), [A, kap, d, t], convention=conv)
    assert k.convention is conv and k.convention_dict()["d"] == "2"
    assert k.expr == A * sp.gamma(kap) * (d * t) ** (-kap) and k.args == (A, kap, d, t)
    out = k.numpy(1.0, np.array([0.5, 1.0, 2.0])[:, None], 2.0, t=np.geomspace(1, 10, 4)[None, :])
    assert out.shape == (3, 4)
    ref = np.array([[math.gamma(kv) * (2 * tv) ** -kv for tv in np.geomspace(1, 10, 4)] for kv in (0.5, 1, 2)])
    np.testing.assert_allclose(out, ref, rtol=1e-13)
    const = lower(sp.Integer(3) + 0 * x, [x])
    assert const.numpy(np.zeros(5)).shape == (5,)
    kd = lower(x, [x], convention={"d": 1})
    assert kd.convention_dict() == {"d": 1}
    objs = k.mpmath(1, [1, 2], 2, 3, dps=20)
    assert objs.shape == (2,)


def test_bad_input():
    k = lower(sp.log(x), [x])
    with pytest.raises(NonFiniteError):
        k.numpy(np.array([1.0, np.nan]))
    with pytest.raises(NonFiniteError):
        k.numpy(-1.0)  # log of a negative number: never a silent NaN
    with pytest.raises(NonFiniteError):
        k.mpmath(float("inf"))
    with pytest.raises(InputError):
        lower(x + y, [x])  # y is not an argument
    with pytest.raises(InputError):
        k.numpy(1.0, 2.0)
    with pytest.raises(InputError):
        k.numpy(z=1.0)
    with pytest.raises(InputError):
        lower(sp.Function("f")(x), [x])  # an undefined function has no kernel
    with pytest.raises(InputError):
        lower(x, [x, x])
    with pytest.raises(InputError):
        Kernel(x, [x], convention=42)


@settings(max_examples=25, deadline=None)
@given(st.floats(0.05, 30), st.floats(1e-4, 80))
def test_incomplete_gamma_kernels_scipy(a, xv):
    """The scipy.special route of the gamma family (and its log-space form) against mpmath."""
    lo_k = lower(sp.lowergamma(kap, x), [kap, x])
    up_k = lower(sp.uppergamma(kap, x) * sp.exp(x) * x ** (-kap), [kap, x])  # log space: no overflow
    with mpmath.workdps(30):
        lo = mpmath.gammainc(a, 0, xv)
        up = mpmath.gammainc(a, xv) * mpmath.exp(xv) * mpmath.mpf(xv) ** (-a)
    assert abs(float(lo_k.numpy(a, xv)) / float(lo) - 1) < 1e-12
    assert abs(float(up_k.numpy(a, xv)) / float(up) - 1) < 1e-11


def test_kernels_are_cached():
    e = A * sp.gamma(kap) * (d * t) ** (-kap)
    k1, k2 = lower(e, [A, kap, d, t]), lower(e, [A, kap, d, t])
    assert k1._mp_fn is k2._mp_fn and k1._np_fn((True,) * 4) is k2._np_fn((True,) * 4)
