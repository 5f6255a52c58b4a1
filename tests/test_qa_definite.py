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


def test_true_definite_integral_still_verified():
    p = sp.Symbol("p", positive=True)
    d = Derivation("QA-DEF", "gaussian", provenance="derived")
    step = d.claim(sp.Integral(sp.exp(-p * x**2), (x, -sp.oo, sp.oo)), sp.sqrt(sp.pi / p), "gauss")
    assert step.check.verdict == "verified"
