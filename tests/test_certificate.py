"""The checker itself: symbolic zero, numeric witness, certificates, serialisation."""

import json
import math
import os

import pytest
import sympy as sp
from hypothesis import given, strategies as st

from grsd_sym.certificate import (
    REQUIRED_DIGITS, Certificate, Derivation, check_zero, numeric_witness, symbolic_zero,
    write_atomic,
)
from grsd_sym.errors import InputError

x, y = sp.symbols("x y", positive=True)
z = sp.Symbol("z", real=True)
f = sp.Function("f")


def test_true_identity_passes_both_witnesses():
    chk = check_zero(sp.sin(x) ** 2 + sp.cos(x) ** 2 - 1)
    assert chk.symbolic and chk.witness_digits >= REQUIRED_DIGITS and chk.passed


def test_false_identity_fails_both_witnesses():
    chk = check_zero(sp.sin(x) ** 2 - sp.cos(x) ** 2)
    assert not chk.symbolic
    assert chk.witness_digits < 2
    assert not chk.passed


def test_power_identity_needs_positivity_rewrite():
    # (x*y)**b = x**b * y**b only holds for positive x, y: found by the force rung.
    b = sp.Symbol("b", real=True)
    ok, method, _ = symbolic_zero((x * y) ** b - x ** b * y ** b)
    assert ok
    assert method != "as is"
    # ...and NOT for two real factors, where the rewrite is invalid (z = w = -1, b = 1/2).
    w = sp.Symbol("w", real=True)
    ok2, _, _ = symbolic_zero((z * w) ** b - z ** b * w ** b)
    assert not ok2
    assert not check_zero((z * w) ** b - z ** b * w ** b).passed


def test_witness_catches_identity_true_only_for_polynomials_of_low_degree():
    # f''' = 0 holds for every quadratic but not in general: the witness functions are not polynomials.
    assert numeric_witness(sp.diff(f(x), x, 3)) < 1


def test_undefined_function_identity():
    # chain rule for an arbitrary f
    lhs = sp.diff(f(x * y), x)
    rhs = y * sp.Subs(sp.Derivative(f(z), z), z, x * y)
    assert check_zero(lhs - rhs).passed


@given(st.integers(1, 6), st.integers(-5, 5))
def test_binomial_identity_any_power(n, c):
    expr = sp.expand((x + c) ** n) - (x + c) ** n
    assert check_zero(expr).passed


@given(st.integers(-7, 7).filter(lambda q: q != 0))
def test_wrong_multiple_is_rejected(q):
    # 2x + q is never identically zero
    assert not check_zero(2 * x + q).passed


def test_matrix_residual_checks_every_entry():
    good = sp.Matrix([[x - x, 0], [sp.sin(x) ** 2 + sp.cos(x) ** 2 - 1, 0]])
    bad = sp.Matrix([[0, 0], [0, x - y]])
    assert check_zero(good).passed
    assert not check_zero(bad).passed


def test_custom_witness_is_used():
    P = sp.Symbol("P", commutative=False)
    chk = check_zero(P * P - P * P, witness=lambda rng: 40.0, witness_name="matrices")
    assert chk.passed and chk.custom_witness == "matrices"
    chk2 = check_zero(P * P - P, witness=lambda rng: 40.0)
    assert not chk2.passed  # noncommutative expand does not vanish


def test_witness_singular_point_is_a_failure_not_a_crash():
    chk = check_zero(1 / (x - x), domains={x: (1, 2)})
    assert not chk.passed


def test_domains_restrict_the_witness():
    # |x - 2| - (x - 2) vanishes only for x >= 2
    expr = sp.Abs(z - 2) - (z - 2)
    assert numeric_witness(expr, domains={z: (2, 5)}) == math.inf
    assert numeric_witness(expr, domains={z: (-5, 1)}) < 1


def _small_derivation(rhs):
    dv = Derivation("X-1", "derivative", provenance="derived")
    dv.assume("x > 0")
    dv.define(sp.Symbol("u"), x ** 2, "definition")
    dv.claim(sp.Derivative(x ** 2, x), rhs, "power rule")
    dv.conclude(sp.Eq(sp.Derivative(x ** 2, x), rhs))
    return dv.certificate()


def test_certificate_verdict_and_failed_steps():
    assert _small_derivation(2 * x).verified
    bad = _small_derivation(3 * x)
    assert not bad.verified
    assert [s.reason for s in bad.failed_steps] == ["power rule"]
    assert "power rule" in bad.summary()


def test_a_derivation_without_checked_steps_is_not_verified():
    dv = Derivation("X-2", "nothing checked")
    dv.define(sp.Symbol("u"), x, "just a name")
    assert not dv.certificate().verified


def test_error_makes_certificate_unverified():
    dv = Derivation("X-3", "t")
    dv.claim(x, x, "trivial")
    assert not dv.certificate(error="boom").verified


def test_bad_provenance_is_rejected():
    with pytest.raises(InputError, match="provenance"):
        Derivation("X-4", "t", provenance="folklore")


def test_json_round_trip_is_stable_and_complete(tmp_path):
    cert = _small_derivation(2 * x)
    path = cert.write_json(tmp_path / "c.json")
    data = json.loads(path.read_text())
    assert data["id"] == "X-1" and data["verified"] is True
    assert set(data["versions"]) >= {"sympy", "numpy", "mpmath", "python"}
    assert list(data) == sorted(data)  # stable key order
    assert cert.to_json() == cert.to_json()
    claims = [s for s in data["steps"] if s["kind"] == "claim"]
    assert claims[0]["check"]["symbolic_zero"] is True
    chk = claims[0]["check"]
    assert chk["witness_exact"] is True or chk["witness_digits"] >= 25
    assert isinstance(chk["witness_exact"], bool) and chk["witness_digits"] is None or \
        isinstance(chk["witness_digits"], float)
    assert claims[0]["lhs"] == "Derivative(x**2, x)"  # recorded as written
    assert data["verdict"] == "verified" and data["conclusion"]["accepted"] is True


def test_latex_is_an_align_block_with_reasons():
    tex = _small_derivation(2 * x).to_latex()
    assert "\\begin{align}" in tex and "\\end{align}" in tex
    assert "power rule" in tex and "verified" in tex
    assert "\\frac{d}{d x} x^{2}" in tex  # the claim as written, not 2x = 2x
    tex_bad = _small_derivation(3 * x).to_latex()
    assert "refuted" in tex_bad and "counterexample" in tex_bad


def test_atomic_write_leaves_no_partial_file_on_crash(tmp_path, monkeypatch):
    target = tmp_path / "out.json"
    write_atomic(target, "old")

    def boom(*a, **k):
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", boom)
    with pytest.raises(OSError):
        write_atomic(target, "new content")
    assert target.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["out.json"]
