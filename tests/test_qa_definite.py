"""QA: SymPy's ``doit`` of a definite integral can be wrong; the checker must not trust it.

``Integral((x - a)**-2, (x, 0, 2a))`` diverges (a double pole inside the interval), yet SymPy 1.14
returns ``-2/a`` by Newton-Leibniz across the pole.  The symbolic rung ``doit+expand`` and the
witness (which evaluated the same ``doit`` form) both agreed, so the false claim was *verified*.
"""

import pytest
import sympy as sp

from grsd_sym.certificate import Derivation

x = sp.Symbol("x", real=True)
a = sp.Symbol("a", positive=True)
f = sp.Function("f")

FALSE_DEFINITE = [
    ("divergent double pole", sp.Integral((x - a) ** -2, (x, 0, 2 * a)), -2 / a),
    ("divergent simple pole", sp.Integral(1 / (x - a), (x, 0, 2 * a)), -sp.I * sp.pi),
    ("diverges for a < 1", sp.Integral((x - a) ** -2, (x, 0, 1)), 1 / (a - 1) - 1 / a),
    # diverges only for a < 10**-6, where the quadrature check (moderate points) does not look
    ("pole near 0", sp.Integral((x - a) ** -2, (x, 0, sp.Rational(1, 10**6))), 1 / (a - sp.Rational(1, 10**6)) - 1 / a),
    ("odd pole, principal value 0", sp.Integral((x - a) ** -3, (x, 0, 2 * a)), 0),
    (
        "divergent pole plus FTC",
        sp.Integral((x - a) ** -2 + sp.Derivative(f(x), x), (x, 0, 2 * a)),
        -2 / a + f(2 * a) - f(0),
    ),
]


@pytest.mark.parametrize("name,lhs,rhs", FALSE_DEFINITE, ids=[c[0] for c in FALSE_DEFINITE])
def test_wrong_doit_of_a_definite_integral_is_not_verified(name, lhs, rhs):
    d = Derivation("QA-DEF", name, provenance="derived")
    step = d.claim(lhs, rhs, name)
    assert step.check.verdict != "verified"


@pytest.mark.slow  # SymPy's doit of the outer integral takes 30-120 s
def test_inner_integral_wrong_outer_left_unevaluated_is_not_verified():
    # doit evaluates the inner (divergent) integral to -2/y and leaves the outer one: the witness
    # then evaluates the outer integral of the wrong closed form
    y = sp.Symbol("y", positive=True)
    h = sp.exp(-(y**3)) * sp.log(1 + y)
    lhs = sp.Integral(sp.Integral((x - y) ** -2, (x, 0, 2 * y)) * h, (y, 1, 2))
    d = Derivation("QA-DEF", "nested", provenance="derived")
    step = d.claim(lhs, sp.Integral(-2 / y * h, (y, 1, 2)), "nested divergent")
    assert step.check.verdict != "verified"


def test_partly_evaluated_true_integral_is_still_verified():
    # doit returns a NonElementaryIntegral (evalf leaves it alone) times a constant: still confirmed
    p = sp.Symbol("p", positive=True)
    y = sp.Symbol("y", positive=True)
    lhs = sp.Integral(p * sp.exp(-p * y**3) / y, (y, 1, 2))
    d = Derivation("QA-DEF", "partial", provenance="derived")
    step = d.claim(lhs, p * sp.Integral(sp.exp(-p * y**3) / y, (y, 1, 2)), "constant out")
    assert step.check.verdict == "verified"


def test_true_definite_integral_still_verified():
    p = sp.Symbol("p", positive=True)
    d = Derivation("QA-DEF", "gaussian", provenance="derived")
    step = d.claim(sp.Integral(sp.exp(-p * x**2), (x, -sp.oo, sp.oo)), sp.sqrt(sp.pi / p), "gauss")
    assert step.check.verdict == "verified"
