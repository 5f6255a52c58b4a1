"""Our characteristics solver: general solutions checked by an independent numeric route.

The solver checks itself symbolically; here each solution is re-checked by *numeric*
differentiation (mpmath ``diff``) with a concrete ``F``, independent of SymPy's calculus.
"""

import mpmath
import pytest
import sympy as sp

from grsd_sym import symbols as S
from grsd_sym.certificate import check_zero
from grsd_sym.derive.characteristics import pde_residual, solve_first_order
from grsd_sym.derive.solution_text import solution_string
from grsd_sym.theory.transport import general_solution as solve_transport


def _numeric_pde_residual(expr, b, sigma, c, d, c0, point):
    """|g_t + (v g)_lambda + d lambda g| / scale at a point, by numeric differentiation."""
    Fc = sp.Lambda(sp.Symbol("z"), sp.exp(sp.Symbol("z") / 3) + sp.Symbol("z") ** 2 / 5 + 2)
    e = expr.replace(lambda x: isinstance(x, sp.core.function.AppliedUndef), lambda x: Fc(*x.args))
    e = e.subs({S.d: d, S.c0: c0})
    bb = sp.sympify(b)
    ct = c0 if c == "const" else c0 * S.t ** (bb - 2)
    flux = sigma * ct * S.lam**bb * e
    # unevaluated Integral(f(s), (s, u)) as the antiderivative: replace by the definite integral from 0
    f_g = sp.lambdify((S.lam, S.t), e, modules="mpmath")
    f_flux = sp.lambdify((S.lam, S.t), flux, modules="mpmath")
    lam_v, t_v = point
    with mpmath.workdps(30):
        gt = mpmath.diff(lambda tt: f_g(lam_v, tt), t_v)
        fl = mpmath.diff(lambda ll: f_flux(ll, t_v), lam_v)
        gv = f_g(lam_v, t_v)
        r = gt + fl + d * lam_v * gv
        scale = abs(gt) + abs(fl) + abs(d * lam_v * gv)
        return float(abs(r) / scale)


CASES = [
    ("const", sp.Rational(1, 2), -1),
    ("const", sp.Rational(1, 2), 1),
    ("const", 1, -1),
    ("const", 2, -1),
    ("self-similar", sp.Rational(1, 2), -1),
    ("self-similar", 2, -1),
    ("self-similar", 3, 1),
    ("self-similar", 1, -1),
]


@pytest.mark.parametrize("c,b,sigma", CASES)
def test_transport_solution_numeric_residual(c, b, sigma):
    sol = solve_transport(b, sigma, c)
    assert sol.verified
    d, c0 = sp.Rational(3, 2), sp.Rational(7, 5)
    # a point away from the frontier lambda t = xi* and inside the real domain of the logs
    pt = (mpmath.mpf("0.3"), mpmath.mpf("0.7"))
    expr = sol.rhs
    assert not expr.has(sp.Integral)  # closed forms for every rational b here
    res = _numeric_pde_residual(expr, b, sigma, c, d, c0, pt)
    assert res < 1e-15


def test_symbolic_b_const_and_integral_form():
    sol = solve_transport(S.b, -1, "const")
    assert sol.verified and sp.Ne(S.b, 1) in sol.conditions and sp.Ne(S.b, 2) in sol.conditions
    # at b = 1/2 the generic-b solution must agree with the specialised one up to F
    r = pde_residual(sol.pde.subs(S.b, sp.Rational(1, 2)), S.g(S.lam, S.t), sol.rhs.subs(S.b, sp.Rational(1, 2)))
    assert check_zero(r).passed


@pytest.mark.slow
def test_symbolic_b_self_similar():
    sol = solve_transport(S.b, -1, "self-similar")
    assert sol.verified and sol.rhs.has(sp.Integral)


def test_linear_examples_and_implicit_quasilinear():
    x, y = sp.symbols("x y", positive=True)
    u = sp.Function("u")(x, y)
    s1 = solve_first_order(u.diff(x) + 2 * u.diff(y) + u, u)
    assert check_zero(pde_residual(u.diff(x) + 2 * u.diff(y) + u, u, s1.rhs)).passed
    s2 = solve_first_order(u.diff(x) + u.diff(y) - x, u)  # inhomogeneous
    assert check_zero(pde_residual(u.diff(x) + u.diff(y) - x, u, s2.rhs)).passed
    s3 = solve_first_order(x * u.diff(x) - y * u.diff(y) + u - x * y, u)
    assert check_zero(pde_residual(x * u.diff(x) - y * u.diff(y) + u - x * y, u, s3.rhs)).passed
    tt, xx = sp.symbols("t x", positive=True)
    w = sp.Function("w")(xx, tt)
    burgers = solve_first_order(w.diff(tt) + w * w.diff(xx), w)  # quasi-linear
    assert burgers.kind == "implicit"
    # independent check of u = F(x - u t) with F linear: u = (x - u t)/2  ->  u = x/(2 + t)
    F = burgers.arbitrary
    impl = burgers.solution.lhs - burgers.solution.rhs
    U = sp.Symbol("U")
    lin = impl.subs(w, U).replace(lambda e: getattr(e, "func", None) == F, lambda e: e.args[0] / 2)
    usol = sp.solve(lin, U)[0]
    assert sp.simplify(usol.diff(tt) + usol * usol.diff(xx)) == 0


def test_unsupported_raises_not_implemented():
    x, y = sp.symbols("x y", positive=True)
    u = sp.Function("u")(x, y)
    with pytest.raises(NotImplementedError):
        solve_first_order(u.diff(x, 2) + u.diff(y), u)
    with pytest.raises(NotImplementedError):
        solve_first_order(u.diff(x) ** 2 + u.diff(y), u)


def test_wrong_solution_is_rejected():
    sol = solve_transport(sp.Rational(1, 2), -1, "const")
    F = sol.arbitrary
    wrong = sol.rhs.replace(lambda e: getattr(e, "func", None) == F, lambda e: F(e.args[0] + S.t))
    assert not check_zero(pde_residual(sol.pde, S.g(S.lam, S.t), wrong)).passed
    flipped = sol.rhs.subs(S.d, -S.d)  # wrong dissipation sign
    assert not check_zero(pde_residual(sol.pde, S.g(S.lam, S.t), flipped)).passed


def test_solution_string_round_trip():
    sol = solve_transport(sp.Rational(3, 2), -1, "self-similar")
    text = solution_string(sol.rhs)
    assert "Symbol('lambda')" in text
    # the documented JSON contract: the user's own sympify reads it back (names -> our symbols)
    back = sp.sympify(text)
    assert back.free_symbols >= {sp.Symbol("lambda"), sp.Symbol("t")}
    canon = {z.name: z for z in (S.t, S.lam, S.b, S.c0, S.d)}
    back = back.xreplace({z: canon[z.name] for z in back.free_symbols if z.name in canon})
    assert sp.simplify(back - sol.rhs) == 0
