"""``grsd solve transport``: JSON fields, the parseable solution, and region errors."""

import json

import mpmath
import sympy as sp

from grsd_sym.cli import main


def _run(capsys, *argv):
    rc = main(["solve", "transport", *argv])
    out = capsys.readouterr()
    return rc, out.out, out.err


def test_json_solution_parses_and_solves_the_pde(capsys):
    rc, out, _ = _run(capsys, "--b", "1/2", "--c", "self-similar", "--d", "2", "--json")
    assert rc == 0
    doc = json.loads(out)
    for key in ("solution", "verified", "convention", "assumptions"):
        assert key in doc
    assert doc["verified"] is True and doc["convention"]["d"] == "2"
    expr = sp.sympify(doc["solution"])
    lam, t, c0 = sp.Symbol("lambda"), sp.Symbol("t"), sp.Symbol("c_0")
    assert {lam, t} <= expr.free_symbols and "F(" in doc["solution"]
    # independent check: concrete F, numeric derivatives of g_t + (v g)_lambda + 2 lambda g
    F = sp.Function("F")
    z = sp.Symbol("z")
    e = expr.replace(lambda x: x.func == F, lambda x: sp.Lambda(z, sp.cos(z) + 3)(*x.args)).subs(c0, 1)
    g = sp.lambdify((lam, t), e, "mpmath")
    flux = sp.lambdify((lam, t), -sp.sqrt(lam) / t ** sp.Rational(3, 2) * e, "mpmath")
    with mpmath.workdps(30):
        L, T = mpmath.mpf("0.2"), mpmath.mpf("0.9")
        r = mpmath.diff(lambda tt: g(L, tt), T) + mpmath.diff(lambda ll: flux(ll, T), L) + 2 * L * g(L, T)
        assert abs(r) < 1e-20 * abs(g(L, T))


def test_human_output(capsys):
    rc, out, _ = _run(capsys, "--b", "2", "--c", "const")
    assert rc == 0 and "g(lambda, t) =" in out and "verified:  True" in out


def test_region_errors(capsys):
    rc, _, err = _run(capsys, "--b", "2", "--d", "-1")
    assert rc == 2 and "d > 0" in err
    rc, _, err = _run(capsys, "--b", "2", "--sigma", "2")
    assert rc == 2 and "-1 or +1" in err
    rc, _, err = _run(capsys, "--b", "two")
    assert rc == 2 and "exact number" in err


def test_negative_fraction_b_is_a_value_not_an_option(capsys):
    # regression: argparse read '--b -1/2' as a missing argument
    rc, out, err = _run(capsys, "--b", "-1/2", "--c", "const", "--json")
    assert rc == 0, err
    doc = json.loads(out)
    assert doc["verified"] is True and doc["parameters"]["b"] == "-1/2"


def test_absurd_b_is_refused_not_hung(capsys):
    # regression: --b 1e400 ran the exact solver until the machine killed it
    rc, out, err = _run(capsys, "--b", "1e400")
    assert rc == 2 and "at most" in err and "Traceback" not in err
    assert len(err.strip().splitlines()[-1:]) == 1


def test_budget_turns_a_slow_solve_into_a_region_error():
    from grsd_sym.cli import cmd_solve
    from grsd_sym.errors import RegionError
    import time as _time

    def slow():
        _time.sleep(5)

    import pytest
    with pytest.raises(RegionError, match="--b b"):
        cmd_solve._solve_within_budget(slow, 0.2)
    assert cmd_solve._solve_within_budget(lambda: 7, 5) == 7
