"""QA: ``grsd exponents`` on inputs the asymptotic engine does not derive: one line, exit 2, no traceback."""

import pytest

from grsd_sym.cli import main

CASES = [
    # lambda_max = oo with g0 ~ lambda at infinity: L(t) diverges (NotImplementedError escaped)
    ["exponents", "loss", "--g0", "lambda", "--d", "2", "--b", "2", "--c0", "1"],
    # the engine's limit cannot handle Max (NotImplementedError escaped)
    ["exponents", "loss", "--g0", "Max(lambda, 1)", "--d", "2", "--lambda-max", "1"],
    # a symbolic constant reached mpmath.isfinite (TypeError escaped)
    ["exponents", "loss", "--g0", "exp(exp(exp(exp(lambda))))", "--d", "2", "--lambda-max", "1"],
    # lambda_max below every float (ZeroDivisionError escaped)
    ["exponents", "transport", "--b", "3", "--c0", "4", "--kappa", "2", "--d", "2", "--lambda-max", "1e-999"],
]


@pytest.mark.parametrize("argv", CASES, ids=[" ".join(c[1:4]) for c in CASES])
def test_not_derived_is_one_line_and_exit_2(argv, capsys):
    rc = main(argv)
    err = capsys.readouterr().err
    assert rc == 2
    assert "Traceback" not in err
    assert "not derived" in err


def test_matrix_claimed_equal_to_scalar_zero_is_checked_entrywise():
    import sympy as sp

    from grsd_sym.certificate import Derivation

    x = sp.Symbol("x", real=True)
    d = Derivation("QA-MAT", "matrix = 0", provenance="derived")
    assert d.claim(sp.Matrix([[x - x, 0], [0, 0]]), 0, "zero").check.verdict == "verified"
    assert d.claim(sp.Matrix([[sp.sqrt(x**2) - x, 0]]), 0, "false").check.verdict == "refuted"


@pytest.mark.parametrize(
    "text", ["((lambda**1000)**1000)**1000", "((1+lambda)**1000)**1000", "lambda**600*lambda**600"]
)
def test_combined_powers_are_bounded_before_any_work(text, capsys):
    # each power is within the limit, the combined one is not: the engine ran out of memory (11 GB)
    import sympy as sp

    from grsd_sym.errors import InputError
    from grsd_sym.parsing import parse_expression

    with pytest.raises(InputError, match="beyond 1000"):
        parse_expression(text, symbols={"lambda": sp.Symbol("lambda", positive=True)}, name="--g0")
    assert main(["exponents", "loss", "--g0", text, "--d", "2", "--lambda-max", "1"]) == 2
    assert "beyond 1000" in capsys.readouterr().err
