"""``grsd exponents``: through ``grsd_sym.cli.main`` with capsys; JSON contract, regions, and the
numbers against independent routes (mode sums, fitted slopes, the frontier engine)."""

import json

import numpy as np
import pytest
import sympy as sp

from grsd_sym.cli import main
from grsd_sym.derive import frontier, scaling


def _run(capsys, *argv):
    code = main(["exponents", *argv])
    out, err = capsys.readouterr()
    return code, out, err


def _json(capsys, *argv):
    code, out, err = _run(capsys, *argv, "--json")
    assert code == 0, err
    doc = json.loads(out)
    for key in ("exponent", "exponent_float", "convention", "assumptions", "prefactor"):
        assert key in doc
    assert doc["assumptions"] and all(isinstance(a, str) for a in doc["assumptions"])
    assert float(sp.sympify(doc["exponent"])) == pytest.approx(doc["exponent_float"], rel=1e-15)
    return doc


def test_time_bordelon_against_mode_sum(capsys):
    doc = _json(capsys, "time", "--convention", "bordelon2024", "--a", "2", "--b", "3/2")
    assert doc["convention"] == "bordelon2024"
    assert doc["dynamics_convention"]["d"] == "2"
    x, pref = sp.sympify(doc["exponent"]), doc["prefactor_float"]
    assert x == sp.Rational(2, 3)
    # independent route: the discrete mode sum, its fitted slope and its value at large t
    ts = np.array([1e4, 1e5, 1e6])
    sums = [scaling.mode_sum_loss(2, 1.5, t) for t in ts]
    slope = np.polyfit(np.log(ts), np.log(sums), 1)[0]
    assert -slope == pytest.approx(doc["exponent_float"], abs=1e-6)
    assert sums[-1] == pytest.approx(pref * ts[-1] ** -doc["exponent_float"], rel=1e-6)


def test_time_prefactor_matches_frontier_lazy_loss(capsys):
    doc = _json(capsys, "time", "--convention", "grsd", "--kappa", "3/4", "--A", "2", "--d", "1")
    t = sp.Symbol("t", positive=True)
    L = frontier.lazy_loss(sp.Rational(3, 4), 2, 1, t)
    assert sp.simplify(L - sp.sympify(doc["prefactor"]) * t ** -sp.sympify(doc["exponent"])) == 0


@pytest.mark.parametrize(
    "argv",
    [
        ["--convention", "bordelon2024", "--a", "5/2", "--b", "3/2"],
        ["--convention", "source-capacity", "--alpha", "3/2", "--r", "1/2"],
        ["--convention", "paquette2024", "--alpha", "3/4", "--beta", "1/2"],
    ],
)
def test_same_physics_same_cli_answers(capsys, argv):
    """These three are one problem (Convention A a = 5/2, b = 3/2): identical exponents."""
    ref = {"time": "1", "size": "3/2", "compute-optimal": "3/5"}
    for kind, expected_from_convention_a in ref.items():
        doc = _json(capsys, kind, *argv)
        # Convention A closed forms (a-1)/b, a-1, (a-1)/(1+b) at a = 5/2, b = 3/2
        assert sp.sympify(doc["exponent"]) == sp.sympify(expected_from_convention_a)
        assert doc["grsd"] == {"kappa": "1", "A": "2/3", "d": "2", "modes_b": "3/2"}


def test_size_floor_against_hurwitz_tail(capsys):
    import mpmath

    doc = _json(capsys, "size", "--convention", "lin2024", "--a", "2.5")
    assert doc["parameters"] == {"a": "5/2"}
    Ns = np.array([1e3, 1e4, 1e5])
    floors = [float(mpmath.zeta(2.5, int(n) + 1)) for n in Ns]
    assert -np.polyfit(np.log(Ns), np.log(floors), 1)[0] == pytest.approx(doc["exponent_float"], abs=2e-3)
    assert floors[-1] == pytest.approx(doc["prefactor_float"] * Ns[-1] ** -doc["exponent_float"], rel=1e-4)
    assert "time_exponent" in doc and "loss_t_N_exact" in doc
    t, N = sp.symbols("t N", positive=True)
    exact = sp.sympify(doc["loss_t_N_exact"], locals={"t": t, "N": N})  # parses (N is not sympy's N())
    assert float(exact.subs({t: 10**12, N: 10**3})) == pytest.approx(
        doc["prefactor_float"] * 1e3 ** -doc["exponent_float"], rel=1e-9
    )  # floor regime


def test_size_grsd_without_mode_count_states_its_variable(capsys):
    doc = _json(capsys, "size", "--convention", "grsd", "--kappa", "1/2", "--A", "1")
    assert doc["variable"] == "1/lambda_min"
    doc = _json(capsys, "size", "--convention", "grsd", "--kappa", "1/2", "--A", "1", "--b", "2")
    assert doc["variable"] == "N" and sp.sympify(doc["exponent"]) == 1


def test_compute_optimal_fields_and_consistency(capsys):
    doc = _json(capsys, "compute-optimal", "--convention", "source-capacity", "--alpha", "2", "--r", "0.25")
    n, tx, e = (sp.sympify(doc[k]) for k in ("n_exponent", "t_exponent", "exponent"))
    assert n + tx == 1
    # L* = L(t*, N*) with the reported two-term law: the exponent of L* is x * n with x the time exponent
    assert e == sp.sympify(doc["time_exponent"]) * tx
    C = sp.Symbol("C", positive=True)
    Ns, ts = sp.sympify(doc["N_star"], locals={"C": C}), sp.sympify(doc["t_star"], locals={"C": C})
    assert sp.simplify(Ns * ts - C) == 0


def test_chinchilla(capsys):
    doc = _json(
        capsys,
        "compute-optimal",
        "--form",
        "chinchilla",
        "--alpha",
        "0.34",
        "--beta",
        "0.28",
        "--A",
        "406.4",
        "--B",
        "410.7",
        "--E",
        "1.69",
    )
    assert doc["convention"] == "chinchilla"
    assert doc["parameters"]["alpha"] == "17/50"
    n, dexp, G = (sp.sympify(doc[k]) for k in ("n_exponent", "d_exponent", "G"))
    assert n + dexp == 1 and n == sp.Rational(14, 31)
    # G against the float evaluation of Hoffmann et al.'s formula (alpha A/(beta B))^(1/(alpha+beta))
    assert float(G) == pytest.approx((0.34 * 406.4 / (0.28 * 410.7)) ** (1 / 0.62), rel=1e-12)
    assert doc["G_float"] == pytest.approx(float(G), rel=1e-15)


def test_transport_against_frontier_and_formula(capsys):
    doc = _json(capsys, "transport", "--b", "3", "--c0", "4", "--kappa", "2", "--d", "2")
    assert sp.sympify(doc["exponent"]) == frontier.transport_loss_exponent(3, c0=4, kappa=2, d=2)
    xi = sp.Rational(4) ** sp.Rational(-1, 2)
    assert sp.sympify(doc["exponent"]) == sp.Min(2, 2 * xi)  # min(kappa, d xi*) of GRSD-T16 (docs/theory/solutions.md)
    assert sp.sympify(doc["xi_star"]) == xi
    assert doc["prefactor"] is None
    assert doc["dynamics_convention"]["sigma"] == -1
    doc = _json(capsys, "transport", "--b", "3", "--c0", "4", "--kappa", "2", "--d", "2", "--sigma", "1")
    assert sp.sympify(doc["exponent"]) == 2


def test_transport_with_a_literature_spectrum(capsys):
    doc = _json(
        capsys, "transport", "--convention", "source-capacity", "--alpha", "2", "--r", "1", "--b", "2", "--c0", "1"
    )
    assert sp.sympify(doc["exponent"]) == frontier.transport_loss_exponent(2, c0=1, kappa=2, d=2)


@pytest.mark.parametrize(
    "argv,region",
    [
        (["time", "--convention", "grsd", "--kappa", "0", "--A", "1"], "kappa > 0"),
        (["time", "--convention", "bordelon2024", "--a", "1", "--b", "2"], "a > 1"),
        (["size", "--convention", "source-capacity", "--alpha", "1", "--r", "1"], "alpha > 1"),
        (["transport", "--b", "1", "--c0", "1", "--kappa", "1"], "b > 1"),
        (["transport", "--b", "2", "--c0", "1", "--kappa", "-1"], "kappa > 0"),
        (
            ["compute-optimal", "--form", "chinchilla", "--alpha", "0", "--beta", "1", "--A", "1", "--B", "1"],
            "alpha > 0",
        ),
    ],
)
def test_region_errors_one_line_exit_2(capsys, argv, region):
    code, out, err = _run(capsys, *argv)
    assert code == 2 and out == ""
    assert region in err and err.count("\n") == 1


@pytest.mark.parametrize(
    "argv,text",
    [
        (["time", "--a", "2", "--b", "2"], "state the convention"),
        (["time", "--convention", "nope"], "unknown convention"),
        (["time", "--convention", "bordelon2024", "--a", "2", "--b", "2", "--r", "1"], "unexpected parameter"),
        (["transport", "--convention", "bordelon2024", "--a", "2", "--b", "2", "--c0", "1"], "velocity exponent"),
        (["compute-optimal", "--convention", "grsd", "--kappa", "1", "--A", "1"], "mode-counting"),
        (["time", "--convention", "lin2024", "--a", "two"], "must be a number"),
    ],
)
def test_input_errors_exit_2(capsys, argv, text):
    code, _out, err = _run(capsys, *argv)
    assert code == 2 and text in err


def test_human_output_states_convention(capsys):
    code, out, _ = _run(capsys, "compute-optimal", "--convention", "bordelon2024", "--a", "2", "--b", "2")
    assert code == 0
    assert "convention bordelon2024" in out and "n_exponent" in out and "assumptions" in out
    assert "exponent:             1/3" in out  # (a-1)/(1+b) of Convention A at a = 2, b = 2


def test_paquette_region_checks_alpha_plus_beta_jointly(capsys):
    # regression: a sequential subs evaluated 2 + 2*beta > 1 with a positive beta symbol to True
    code, out, err = _run(capsys, "time", "--convention", "paquette2024", "--alpha", "1", "--beta", "-1/2")
    assert code == 2 and "2 alpha + 2 beta > 1" in err and "zoo" not in err
    doc = _json(capsys, "time", "--convention", "paquette2024", "--alpha", "1", "--beta", "-1/4")
    # energy j^(-2 alpha - 2 beta) = k^-(3/2), eigenvalues k^-2: Convention A a = 3/2, b = 2
    code, out, err = _run(capsys, "time", "--convention", "bordelon2024", "--a", "3/2", "--b", "2", "--json")
    assert code == 0 and sp.sympify(doc["exponent"]) == sp.sympify(json.loads(out)["exponent"])


def test_huge_value_is_an_input_error_not_a_recursion(capsys):
    code, _out, err = _run(capsys, "time", "--convention", "bordelon2024", "--a", "1e400", "--b", "3/2")
    assert code == 2 and "too large" in err and "Traceback" not in err


@pytest.mark.parametrize("kappa,phase", [("1", "lazy-limited"), ("3", "transport-limited"), ("2", "phase boundary")])
def test_transport_phase_is_stated(capsys, kappa, phase):
    # b = 3/2, c0 = 1: xi* = c0^(-1/(b-1)) = 1, so the boundary is kappa = d xi* = 2
    doc = _json(capsys, "transport", "--b", "3/2", "--c0", "1", "--kappa", kappa, "--d", "2")
    assert phase in doc["phase"]
    assert sp.sympify(doc["exponent"]) == sp.Min(sp.Rational(kappa), 2)
    assert ("logarithmic" in doc["law"]) == (kappa == "2")


# ---- issue 11 (added by the CLI work): typed parameters are parsed, never executed ---------------


def test_parameters_are_never_executed(capsys, tmp_path):
    # regression: '--a "__import__(...).system(touch X)"' created X, then said "a must be a number"
    sentinel = tmp_path / "X"
    code, out, err = _run(
        capsys,
        "time",
        "--convention",
        "bordelon2024",
        "--a",
        f"__import__('os').system('touch {sentinel}')",
        "--b",
        "3/2",
    )
    assert code == 2 and out == "" and err.count("\n") == 1 and not sentinel.exists()


@pytest.mark.parametrize("value", ["2 3", "10**10**10", "[1,2]", "True", "nan", "x"])
def test_bad_parameter_text_is_one_line(capsys, value):
    # regression: '--a "2 3"' was read as 23; '--a 10**10**10' hung (size checked after evaluation)
    code, out, err = _run(capsys, "time", "--convention", "bordelon2024", "--a", value, "--b", "3/2")
    assert code == 2 and out == "" and err.count("\n") == 1 and "a " in err


def test_numeric_expressions_still_accepted(capsys):
    # 'sqrt(4)' through the whitelist parser equals the literal 2 (two routes to one exponent)
    via_expr = _json(capsys, "time", "--convention", "bordelon2024", "--a", "sqrt(4)", "--b", "3/2")
    via_lit = _json(capsys, "time", "--convention", "bordelon2024", "--a", "2", "--b", "3/2")
    assert via_expr["exponent"] == via_lit["exponent"] == "2/3"


def test_convention_is_case_insensitive(capsys):
    upper = _json(capsys, "time", "--convention", "Bordelon2024", "--a", "2", "--b", "3/2")
    lower = _json(capsys, "time", "--convention", "bordelon2024", "--a", "2", "--b", "3/2")
    assert upper["exponent"] == lower["exponent"] and upper["convention"] == "bordelon2024"


def test_transport_loss_exponent_nan_is_a_project_error():
    # regression: transport_loss_exponent(b=nan, ...) raised TypeError
    from grsd_sym.errors import InputError

    for bad in (float("nan"), "nan", None, "__import__('os')"):
        with pytest.raises(InputError):
            frontier.transport_loss_exponent(b=bad, c0=1, kappa=1, d=2)
    # the string and the exact route agree
    assert frontier.transport_loss_exponent(b="3", c0="4", kappa="2", d="2") == frontier.transport_loss_exponent(
        b=3, c0=4, kappa=2, d=2
    )
