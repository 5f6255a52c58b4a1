"""``grsd solve transport``: JSON fields, the parseable solution, and region errors."""

import contextlib
import json

import mpmath
import pytest
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
    assert rc == 2 and "must be a number like 3/2" in err and "'b' for a symbolic value" in err


def test_negative_fraction_b_is_a_value_not_an_option(capsys):
    # regression: argparse read '--b -1/2' as a missing argument
    rc, out, err = _run(capsys, "--b", "-1/2", "--c", "const", "--json")
    assert rc == 0, err
    doc = json.loads(out)
    assert doc["verified"] is True and doc["parameters"]["b"] == "-1/2"


def test_absurd_b_is_refused_not_hung(capsys):
    # regression: --b 1e400 ran the exact solver until the machine killed it
    rc, _, err = _run(capsys, "--b", "1e400")
    assert rc == 2 and "at most" in err and "Traceback" not in err
    assert len(err.strip().splitlines()[-1:]) == 1


def test_budget_stops_a_solve_that_swallows_alarms(capsys, monkeypatch):
    # regression (issue 11): 'grsd solve transport --b 9973/10000' ran past 280 s with a 60 s budget,
    # the alarm exception being swallowed inside SymPy's integrator.  The solve now runs in a child
    # process killed at the deadline; a stand-in solver that swallows every exception in a busy loop
    # proves that nothing inside can delay the stop.
    import time as _time

    from grsd_sym.derive import characteristics

    def stubborn(*args, **kwargs):
        while True:
            with contextlib.suppress(BaseException):
                _time.sleep(0.05)

    monkeypatch.setattr(characteristics, "solve_transport", stubborn)
    t0 = _time.monotonic()
    rc, out, err = _run(capsys, "--b", "9973/10000", "--timeout", "1.5")
    elapsed = _time.monotonic() - t0
    assert rc == 2 and "within 1.5 s" in err and "stopped" in err and out == ""
    assert elapsed < 1.5 + 5


def test_timeout_flag_is_validated(capsys):
    for bad in ("-1", "nan", "1e9", "soon"):
        rc, _, err = _run(capsys, "--b", "2", "--timeout", bad)
        assert rc == 2 and "--timeout" in err and err.count("\n") <= 2, (bad, err)


def test_c_form_is_the_flag_name_and_case_insensitive(capsys):
    rc, out, _ = _run(capsys, "--b", "2", "--c-form", "CONST", "--json")
    assert rc == 0 and json.loads(out)["parameters"]["c"] == "const"


def test_sigma_accepts_exact_forms(capsys):
    rc, out, err = _run(capsys, "--b", "2", "--c-form", "const", "--sigma", "+1.0", "--json")
    assert rc == 0, err
    assert json.loads(out)["parameters"]["sigma"] == 1


def _grsd(*argv, timeout=180):
    """Run grsd; return (returncode, stderr, seconds from the first progress line to the exit).

    The clock starts at the progress line so that a slow interpreter start on a busy machine does
    not count against the budget being tested.
    """
    import os
    import subprocess
    import sys
    import time as _time

    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    proc = subprocess.Popen(
        [sys.executable, "-m", "grsd_sym", *argv],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=root,
        env={**os.environ, "PYTHONPATH": root},
    )
    first = proc.stderr.readline()
    t0 = _time.monotonic()
    _, err = proc.communicate(timeout=timeout)
    return proc.returncode, first + err, _time.monotonic() - t0


def test_issue_reproducer_9973_stops_within_its_budget():
    # the real reproducer with a short budget: killed at 3 s, one-line error
    rc, err, elapsed = _grsd("solve", "transport", "--b", "9973/10000", "--timeout", "3")
    assert rc == 2 and "within 3 s" in err and "Traceback" not in err
    assert elapsed < 3 + 5


@pytest.mark.slow
def test_issue_reproducer_9973_default_budget():
    rc, err, elapsed = _grsd("solve", "transport", "--b", "9973/10000")
    assert rc == 2 and "within 60 s" in err
    assert elapsed < 60 + 5
