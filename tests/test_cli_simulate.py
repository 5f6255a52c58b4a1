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
    rc = main(["simulate", "transport", "--b", "3", "--c0", "0.5", "--kappa", "0.7", "--d", "2", "--t-max", "1e4"])
    out = capsys.readouterr()
    assert rc == 0 and "late-time exponent" in out.out and "convention" in out.out
    assert "t =" in out.err  # progress on stderr


@pytest.mark.parametrize(
    "argv,word",
    [
        (["--b", "nan", "--c0", "1", "--kappa", "1", "--d", "2"], "finite"),
        (["--b", "2", "--c0", "-1", "--kappa", "1", "--d", "2"], "c0"),
        (["--b", "2", "--c0", "1", "--kappa", "0", "--d", "2"], "kappa"),
        (["--b", "2", "--c0", "1", "--kappa", "1", "--d", "inf"], "finite"),
        (["--b", "0.5", "--c0", "1", "--kappa", "1", "--d", "2"], "b > 1"),
        (["--b", "2", "--c0", "1", "--kappa", "1", "--d", "2", "--sigma", "0"], "sigma"),
        (["--b", "2", "--c0", "1", "--kappa", "1", "--d", "2", "--t-max", "-5"], "t-max"),
    ],
)
def test_simulate_bad_values_one_line_error(capsys, argv, word):
    rc = main(["simulate", "transport", *argv])
    err = capsys.readouterr().err
    assert rc == 2
    assert err.count("\n") == 1 and word in err and "valid region" in err


# ---- issue 11: fractions, no lost work, no tracebacks -----------------------------------------


def _sim(capsys, *argv):
    rc = main(["simulate", "transport", *argv])
    cap = capsys.readouterr()
    return rc, cap.out, cap.err


def test_fractions_and_exact_sigma_are_accepted(capsys):
    # regression: '--b 3/2' was 'invalid float', '--sigma -1.0' was refused
    rc_frac, out_frac, _ = _sim(
        capsys, "--b", "3/2", "--c0", "1/2", "--kappa", "1", "--d", "2", "--t-max", "1e3", "--sigma", "-1.0", "--json"
    )
    rc_dec, out_dec, _ = _sim(
        capsys, "--b", "1.5", "--c0", "0.5", "--kappa", "1", "--d", "2", "--t-max", "1e3", "--json"
    )
    assert rc_frac == rc_dec
    a, b = json.loads(out_frac), json.loads(out_dec)
    assert a["problem"] == b["problem"] and a["loss"] == b["loss"]
    assert a["parameters"]["b"] == "3/2" and a["parameters"]["sigma"] == -1


def test_failed_fit_keeps_the_curve_and_exits_1(capsys):
    # regression: '--c-form const --sigma 1' (b = 1/2: every mode is learned, the loss reaches 0)
    # computed the curve, then exited 2 and dropped it, even with --json
    rc, out, err = _sim(
        capsys, "--b", "0.5", "--c0", "1", "--kappa", "1", "--d", "2", "--c-form", "const", "--sigma", "1", "--json"
    )
    doc = json.loads(out)
    assert rc == 1 and doc["ok"] is False and doc["exponent_fit"] is None
    assert len(doc["loss"]) == len(doc["t"]) == 61 and "could not be fitted" in err and "warning" in err
    # the curve is the solver's: it decreases from the initial mass 1/kappa towards 0
    assert doc["loss"][0] <= 1.0 + 1e-9 and doc["loss"][-1] <= doc["loss"][0]
    rc, out, err = _sim(
        capsys, "--b", "0.5", "--c0", "1", "--kappa", "1", "--d", "2", "--c-form", "const", "--sigma", "1"
    )
    assert rc == 1 and "L(t)" in out and "n/a" in out and "Traceback" not in err


def test_exponent_mismatch_is_reported(capsys):
    # a horizon far too short for the asymptotics: the fit disagrees and the run says so (exit 1)
    rc, out, err = _sim(
        capsys, "--b", "1.0001", "--c0", "0.001", "--kappa", "2", "--d", "2", "--t-max", "1e3", "--json"
    )
    doc = json.loads(out)
    assert rc == 1 and doc["passed"] is False and "differs from the closed form" in err
    assert abs(doc["exponent_fit"] - doc["exponent_expected"]) > doc["exponent_tolerance"]


@pytest.mark.parametrize(
    "argv,word",
    [
        (["--h", "5"], "--h must be <= 0.5"),  # regression: silently fitted 3.39 vs 1.00
        (["--b", "1e400"], "floating-point range"),
        (["--b", "__import__('os')"], "must be a number"),
        (["--b", "2 3"], "must be a number"),
        (["--points", "2.5"], "integer"),
        (["--t-max", "nan"], "NaN"),
    ],
)
def test_more_bad_values_one_line(capsys, argv, word):
    base = {"--b": "2", "--c0": "1", "--kappa": "1", "--d": "2"}
    for k, v in zip(argv[::2], argv[1::2], strict=True):
        base[k] = v
    rc, out, err = _sim(capsys, *[x for kv in base.items() for x in kv])
    assert rc == 2 and err.count("\n") == 1 and word in err and out == "", err


def test_overflowing_frontier_constant_is_not_a_traceback(capsys):
    # regression: '--b 1.0001 --c0 0.001' raised OverflowError computing xi* = c0^(-1/(b-1))
    rc, out, err = _sim(
        capsys, "--b", "1.0001", "--c0", "0.001", "--kappa", "2", "--d", "2", "--t-max", "1e2", "--json"
    )
    doc = json.loads(out)
    assert rc in (0, 1) and doc["xi_star"] is None and "Traceback" not in err
    assert "inf" in doc["exponent_expected_reason"]


@pytest.mark.slow  # about 60 s: 300 decades of self-similar time steps
def test_huge_horizon(capsys):
    # regression: '--t-max 1e300' raised IndexError; now a curve (L ~ 1/t for kappa = 1 < d xi*)
    rc, out, err = _sim(capsys, "--b", "2", "--c0", "1", "--kappa", "1", "--d", "2", "--t-max", "1e300", "--json")
    doc = json.loads(out)
    assert rc == 0, err
    t, loss = np.array(doc["t"]), np.array(doc["loss"])
    assert t[-1] == pytest.approx(1e300) and np.all(np.isfinite(loss))
    assert doc["exponent_fit"] == pytest.approx(doc["exponent_expected"], abs=0.01)


def test_plot_file(tmp_path, capsys):
    import matplotlib  # noqa: F401  (an extra the test command installs: fail, never skip)

    target = tmp_path / "fig.png"
    rc, out, err = _sim(
        capsys,
        "--b",
        "2",
        "--c0",
        "4",
        "--kappa",
        "0.9",
        "--d",
        "2",
        "--t-max",
        "1e3",
        "--points",
        "13",
        "--plot",
        str(target),
    )
    assert rc == 0, err
    assert target.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and "figure written" in out
    assert [p.name for p in tmp_path.iterdir()] == ["fig.png"]  # no temporary file left


def test_plot_path_checked_before_the_run(tmp_path, capsys):
    (tmp_path / "f").write_text("x")
    rc, out, err = _sim(
        capsys, "--b", "2", "--c0", "1", "--kappa", "1", "--d", "2", "--plot", str(tmp_path / "f" / "fig.png")
    )
    assert rc == 2 and "is a file, not a folder" in err and "t =" not in err and out == ""  # no run
    rc, out, err = _sim(
        capsys, "--b", "2", "--c0", "1", "--kappa", "1", "--d", "2", "--plot", str(tmp_path / "fig.txt")
    )
    assert rc == 2 and ".png" in err and out == ""


def test_plot_without_matplotlib_is_a_clear_error(tmp_path, capsys, monkeypatch):
    import builtins

    real = builtins.__import__

    def no_mpl(name, *a, **k):
        if name == "matplotlib" or name.startswith("matplotlib."):
            raise ImportError("No module named 'matplotlib'")
        return real(name, *a, **k)

    monkeypatch.setattr(builtins, "__import__", no_mpl)
    rc, out, err = _sim(
        capsys, "--b", "2", "--c0", "1", "--kappa", "1", "--d", "2", "--plot", str(tmp_path / "fig.png")
    )
    assert rc == 2 and "pip install 'grsd_sym[plot]'" in err and err.count("\n") == 1 and out == ""
