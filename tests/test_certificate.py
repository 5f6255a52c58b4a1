"""The checker itself: symbolic zero, numeric witness, certificates, serialisation."""

import json
import math
import os

import pytest
import sympy as sp
from hypothesis import given
from hypothesis import strategies as st

from grsd_sym.certificate import (
    REQUIRED_DIGITS,
    Derivation,
    check_zero,
    numeric_witness,
    symbolic_zero,
)
from grsd_sym.cli._io import write_atomic
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
    ok, method, _ = symbolic_zero((x * y) ** b - x**b * y**b)
    assert ok
    assert method != "as is"
    # ...and NOT for two real factors, where the rewrite is invalid (z = w = -1, b = 1/2).
    w = sp.Symbol("w", real=True)
    ok2, _, _ = symbolic_zero((z * w) ** b - z**b * w**b)
    assert not ok2
    assert not check_zero((z * w) ** b - z**b * w**b).passed


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
    dv.define(sp.Symbol("u"), x**2, "definition")
    dv.claim(sp.Derivative(x**2, x), rhs, "power rule")
    dv.conclude(sp.Eq(sp.Derivative(x**2, x), rhs))
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
    assert (isinstance(chk["witness_exact"], bool) and chk["witness_digits"] is None) or isinstance(
        chk["witness_digits"], float
    )
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
    with pytest.raises(OSError, match="disk full"):
        write_atomic(target, "new content")
    assert target.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["out.json"]


# ----------------------------------------------------------------------------------------
# soundness: the issue's false claims, verdicts, conclusions, overrides, evidence, JSON
# ----------------------------------------------------------------------------------------

g = sp.Function("g")


def _one_claim(lhs, rhs, **kw):
    dv = Derivation("S-1", "one claim")
    st = dv.claim(lhs, rhs, "the claim", **kw)
    dv.conclude(st.statement)
    return dv.certificate(), st


@pytest.mark.parametrize(
    "lhs, rhs",
    [
        (sp.sqrt((4 - x) * (5 - x)), sp.sqrt(4 - x) * sp.sqrt(5 - x)),
        (
            sp.log((x - sp.Rational(1, 10)) * (x - sp.Rational(1, 5))),
            sp.log(x - sp.Rational(1, 10)) + sp.log(x - sp.Rational(1, 5)),
        ),
        (sp.sqrt(f(x) ** 2), f(x)),
        (sp.log(f(x) * g(x)), sp.log(f(x)) + sp.log(g(x))),
    ],
)
def test_the_issues_false_claims_are_refuted_with_a_counterexample(lhs, rhs):
    cert, st = _one_claim(lhs, rhs)
    assert cert.verdict == "refuted" and st.verdict == "refuted" and not cert.verified
    cx = st.check.counterexample
    assert cx["point"] and cx["residual"]["rad"] is not None
    # the recorded sides differ at the point (independently: SymPy at 30 digits, no test functions needed
    # when there are none)
    if not lhs.atoms(sp.core.function.AppliedUndef):
        vals = {x: cx["values"]["x"]}
        diff = sp.N((lhs - rhs).subs(vals), 30)
        assert abs(complex(diff)) > 1e-10


def test_force_with_a_restricted_domain_is_recorded_and_strict_refuses_it():
    # true on 0 < x < 3 only: with the overrides it is verified, and says so everywhere
    cert, st = _one_claim(sp.sqrt((4 - x) * (5 - x)), sp.sqrt(4 - x) * sp.sqrt(5 - x), force=True, domains={x: (0, 3)})
    assert cert.verdict == "verified" and cert.strict_verdict() == "unproven"
    assert "domains" in st.overrides
    data = json.loads(cert.to_json())
    assert data["overrides"][0]["overrides"]["domains"] == {"x": ["0", "3"]}
    assert "domains" in cert.to_latex() and "overrides" in cert.summary()
    assert "overrides" in cert.summary(strict=True) and "unproven" in cert.summary(strict=True)


def test_custom_witness_and_generic_and_side_conditions_are_overrides():
    P = sp.Symbol("P", commutative=False)
    dv = Derivation("S-2", "t")
    a = dv.claim(P * P, P * P, "nc", witness=lambda rng: 40.0, witness_name="matrices")
    b = dv.claim(x / x, 1, "generic", generic="x != 0")
    c = dv.claim(sp.sqrt((4 - x) * (5 - x)), sp.sqrt(x - 4) * sp.sqrt(x - 5), "x > 5", side_conditions=[x > 5])
    dv.conclude(sp.And(a.statement, b.statement, sp.Implies(x > 5, c.statement)))
    cert = dv.certificate()
    assert [set(s.overrides) for s in (a, b, c)] == [{"witness"}, {"generic"}, {"side_conditions"}]
    assert cert.verdict == "verified" and cert.strict_verdict() == "unproven"


def test_side_condition_makes_a_branch_identity_provable_and_the_witness_respects_it():
    dv = Derivation("S-8", "under x > 5")
    st = dv.claim(sp.sqrt((4 - x) * (5 - x)), sp.sqrt(x - 4) * sp.sqrt(x - 5), "x > 5", side_conditions=[x > 5])
    dv.conclude(st.statement)  # the side condition is part of the statement: the bare equality is not proved
    assert dv.certificate().verdict == "unproven"
    dv.conclude(sp.Implies(x > 5, st.statement))
    assert dv.certificate().verified
    cert2, _ = _one_claim(sp.sqrt((4 - x) * (5 - x)), sp.sqrt(x - 4) * sp.sqrt(x - 5))
    assert cert2.verdict == "refuted"  # without the condition it fails for 4 < x < 5


def test_gradient_rung_proves_atan_identity_for_positive_x_and_witness_refutes_it_for_real_x():
    cert, st = _one_claim(sp.atan(x) + sp.atan(1 / x), sp.pi / 2)
    assert cert.verified and st.check.method == "gradient zero + one exact point"
    cert2, st2 = _one_claim(sp.atan(z) + sp.atan(1 / z), sp.pi / 2)
    assert cert2.verdict == "refuted" and float(st2.check.counterexample["values"]["z"]) < 0


def test_off_by_exp_minus_1000_is_refuted_at_high_precision():
    cert, st = _one_claim(sp.sin(x) ** 2 + sp.cos(x) ** 2 + sp.exp(-1000), 1)
    assert cert.verdict == "refuted"
    assert st.check.counterexample.get("precision_bits") == 2048


def test_conclude_must_follow_from_the_checked_claims():
    dv = Derivation("S-3", "pi is not 3")
    dv.claim(sp.Derivative(x**2, x), 2 * x, "true but unrelated")
    dv.conclude(sp.Eq(sp.pi, 3))
    cert = dv.certificate()
    assert cert.verdict == "unproven" and "not accepted" in cert.summary()
    # a chain of claims and definitions is accepted, and so is Implies with a recorded assumption
    u = sp.Symbol("u")
    dv2 = Derivation("S-4", "chain")
    hyp = sp.Gt(x, 1)
    dv2.assume("x > 1", hyp)
    dv2.define(u, x**2 + 2 * x + 1, "u")
    dv2.claim(x**2 + 2 * x + 1, (x + 1) ** 2, "square")
    dv2.conclude(sp.Implies(hyp, sp.Eq(u, (x + 1) ** 2)))
    assert dv2.certificate().verified
    dv2.conclude(sp.Implies(sp.Gt(x, 2), sp.Eq(u, (x + 1) ** 2)))
    assert "not a recorded assumption" in dv2.certificate().conclusion_reason
    # no conclude and no statement: unproven, with the reason
    dv3 = Derivation("S-5", "nothing concluded")
    dv3.claim(x + x, 2 * x, "doubling")
    assert dv3.certificate().verdict == "unproven"
    assert "conclude" in dv3.certificate().conclusion_reason


def test_evidence_is_separate_and_a_failed_item_makes_the_theorem_unproven():
    dv = Derivation("S-6", "with evidence")
    st = dv.claim(x + x, 2 * x, "doubling")
    dv.conclude(st.statement)
    dv.evidence("fitted slope", passed=True, data={"slope": 1.001, "nan": float("nan")}, method="lstsq")
    assert dv.certificate().verified and dv.certificate().evidence_verdict == "passed"
    dv.evidence("second fit", passed=False, data={"slope": 3.0})
    cert = dv.certificate()
    assert cert.verdict == "unproven" and "evidence failed: second fit" in cert.summary()
    data = json.loads(cert.to_json())
    assert data["evidence"][0]["data"]["nan"] is None  # strict JSON: missing number is null


def test_json_is_strict_even_for_an_error_certificate_with_no_steps():
    cert = Derivation("S-7", "fails early").certificate(error="RuntimeError: boom")
    text = cert.to_json()
    data = json.loads(text, parse_constant=lambda c: pytest.fail(f"non-JSON constant {c}"))
    assert data["min_witness_digits"] is None and data["verdict"] == "unproven"


def test_repr_is_short_and_notebook_reprs_exist():
    cert = _small_derivation(2 * x)
    assert len(repr(cert)) < 300 and "verified" in repr(cert)
    assert cert._repr_latex_().startswith("$$") and "<table>" in cert._repr_html_()


def test_long_formulas_are_broken_into_short_latex_lines():
    big = sum(sp.Symbol(f"a_{i}") * x**i for i in range(40))
    cert, _ = _one_claim(big, sp.expand(big))
    for line in cert.to_latex().splitlines():
        if not line.startswith(("\\intertext", "%")):
            assert len(line) < 200, line


def test_velocity_check_refutes_the_issues_branch_cut_example():
    from grsd_sym.derive.rigidity import check_velocity

    res = check_velocity("lambda**2*(sqrt((40-lambda)*(50-lambda)) - sqrt(40-lambda)*sqrt(50-lambda) + 1)")
    assert not res.verified and res.certificate.verdict == "refuted"
    assert "counterexample" in res.summary()
