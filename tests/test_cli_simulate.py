"""``grsd simulate transport`` through grsd_sym.cli.main (no subprocess)."""

import json

import numpy as np
import pytest

from grsd_sym.cli import main
from grsd_sym.derive.loss_quadrature import exact_loss
from grsd_sym.numeric.transport import TransportProblem


def run_json(capsys, *argv):
    rc = main(["simulate", "transport", *argv, "--json"])
    out = capsys.readouterr()
    assert rc == 0, out.err
    return json.loads(out.out)


def test_simulate_json_loss_curve_and_exponents(capsys):
    # b = 2, c0 = 4, d = 2: xi* = 1/4, d xi* = 0.5 < kappa = 0.9: transport-limited
    doc = run_json(capsys, "--b", "2", "--c0", "4", "--kappa", "0.9", "--d", "2", "--t-max", "1e8")
    t, loss = np.array(doc["t"]), np.array(doc["loss"])
    assert t.shape == loss.shape and t[-1] == pytest.approx(1e8) and np.all(np.diff(t) > 0)
    assert doc["xi_star"] == pytest.approx(0.25)
    assert doc["exponent_expected"] == pytest.approx(0.5)
    assert doc["exponent_fit"] == pytest.approx(doc["exponent_expected"], abs=0.02)
    assert doc["convention"]["d"] == "2" and doc["convention"]["sigma"] == -1
    # the curve itself against the exact closed form at b = 2 (independent route)
    P = TransportProblem(b=2.0, c0=4.0, kappa=0.9, d=2.0)
    ex = exact_loss(P.params, t[::10], method="closed")
    # transport-limited: the mass piles into a sub-cell spike at the frontier, where the scheme is
    # only first order; with the default h = 0.02 the error stays below 1% up to t = 1e8 (it was
    # about 5% with the former default h = 0.05: regression of the default, acceptance QA)
    assert doc["grid"]["h"] == pytest.approx(0.02)
    np.testing.assert_allclose(loss[::10], ex, rtol=1e-2)
    np.testing.assert_allclose(loss[:30:10], ex[:3], rtol=5e-3)
    assert doc["budget_residual_max"] < 1e-12


def test_simulate_dissipation_limited_and_text(capsys):
    doc = run_json(capsys, "--b", "3", "--c0", "0.5", "--kappa", "0.7", "--d", "2", "--t-max", "1e7")
    assert doc["exponent_expected"] == pytest.approx(0.7)
    assert doc["exponent_fit"] == pytest.approx(0.7, abs=0.02)
    rc = main(["simulate", "transport", "--b", "3", "--c0", "0.5", "--kappa", "0.7", "--d", "2",
               "--t-max", "1e4"])
    out = capsys.readouterr()
    assert rc == 0 and "late-time exponent" in out.out and "convention" in out.out
    assert "t =" in out.err  # progress on stderr


@pytest.mark.parametrize("argv,word", [
    (["--b", "nan", "--c0", "1", "--kappa", "1", "--d", "2"], "finite"),
    (["--b", "2", "--c0", "-1", "--kappa", "1", "--d", "2"], "c0"),
    (["--b", "2", "--c0", "1", "--kappa", "0", "--d", "2"], "kappa"),
    (["--b", "2", "--c0", "1", "--kappa", "1", "--d", "inf"], "finite"),
    (["--b", "0.5", "--c0", "1", "--kappa", "1", "--d", "2"], "b > 1"),
    (["--b", "2", "--c0", "1", "--kappa", "1", "--d", "2", "--sigma", "0"], "sigma"),
    (["--b", "2", "--c0", "1", "--kappa", "1", "--d", "2", "--t-max", "-5"], "t-max"),
])
def test_simulate_bad_values_one_line_error(capsys, argv, word):
    rc = main(["simulate", "transport", *argv])
    err = capsys.readouterr().err
    assert rc == 2
    assert err.count("\n") == 1 and word in err and "valid region" in err
