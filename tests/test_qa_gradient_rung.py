"""QA: the 'gradient zero + one exact point' rung needs a *connected* domain.

A real symbol declared ``nonzero=True`` (and neither positive nor negative) lives on two
half-lines; a residual with zero gradient is then only *locally* constant.
``atan(x) + atan(1/x) - pi/2`` has zero gradient and vanishes at ``x = 1``, but equals ``-pi`` for
``x < 0``: the rung reported a proof of zero.
"""

import sympy as sp

from grsd_sym.certify.zero_test import zero_test


def test_gradient_rung_refuses_a_nonzero_real_symbol():
    x = sp.Symbol("x", real=True, nonzero=True)
    assert not zero_test(sp.atan(x) + sp.atan(1 / x) - sp.pi / 2).ok


def test_gradient_rung_refuses_a_product_of_nonzero_orthants():
    xs = sp.symbols("x1:4", real=True, nonzero=True)
    r = sp.Mul(*[sp.atan(v) + sp.atan(1 / v) + (-1) ** i * sp.pi / 2 for i, v in enumerate(xs)])
    assert not zero_test(r).ok


def test_gradient_rung_still_proves_on_a_half_line():
    x = sp.Symbol("x", positive=True)
    assert zero_test(sp.atan(x) + sp.atan(1 / x) - sp.pi / 2).ok


def test_gradient_rung_refuses_a_domain_with_holes():
    x = sp.Symbol("x", positive=True, noninteger=True)
    s = sp.sin(sp.pi * x) + 2  # smooth; the rung must not reason on a disconnected domain at all
    from grsd_sym.certify.zero_test import _smooth_on_real_domain

    assert not _smooth_on_real_domain(s)
    assert _smooth_on_real_domain(s.subs(x, sp.Symbol("y", positive=True)))


def test_false_claim_on_one_orthant_is_not_verified():
    # zero except where x1, x3, x5 < 0 < x2, x4 (1 orthant in 32): the witness's points miss it,
    # and before the fix the gradient rung 'proved' it -> verified
    from grsd_sym.certificate import Derivation

    xs = sp.symbols("x1:6", real=True, nonzero=True)
    y = sp.Symbol("y", real=True)
    r = sp.Mul(*[sp.atan(v) + sp.atan(1 / v) + (-1) ** i * sp.pi / 2 for i, v in enumerate(xs)])
    d = Derivation("QA-ORTH", "orthant", provenance="derived")
    step = d.claim(r + sp.sin(y) ** 2 + sp.cos(y) ** 2, 1, "zero off one orthant")
    assert step.check.verdict != "verified"
