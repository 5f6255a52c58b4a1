"""``grsd derive velocity`` through grsd_sym.cli.main."""

import json

from grsd_sym.cli import main


def test_derive_default_human(capsys):
    rc = main(["derive", "velocity", "--assume", "time-rescaling"])
    out = capsys.readouterr().out
    assert rc == 0
    assert "lambda**2*Phi(lambda*t)" in out and "verified" in out


def test_derive_json_separable(capsys):
    rc = main(["derive", "velocity", "--assume", "time-rescaling,separable", "--json"])
    doc = json.loads(capsys.readouterr().out)
    assert rc == 0 and doc["verified"] is True
    assert doc["form"] == "c_0*lambda**b*t**(b - 2)"
    assert doc["free_constants"] == ["c_0"] and doc["free_exponents"] == ["b"]
    assert doc["certificate"]["verified"] is True
    assert doc["assumptions"] == ["time-rescaling", "separable"]


def test_derive_discrete_shift(capsys):
    rc = main(["derive", "velocity", "--assume", "separable", "--discrete-shift", "1/2", "--json"])
    doc = json.loads(capsys.readouterr().out)
    assert rc == 0
    assert set(doc["periodic"]) == {"P", "Q"}
    assert all(p["period"] == "1/2" for p in doc["periodic"].values())


def test_degree_forced_and_contradiction(capsys):
    rc = main(["derive", "velocity", "--assume", "time-rescaling,autonomous,homogeneous", "--json"])
    doc = json.loads(capsys.readouterr().out)
    assert rc == 0 and doc["forced"] == {"b": "2"}
    rc = main(["derive", "velocity", "--assume", "time-rescaling,autonomous,homogeneous", "--degree", "3/2"])
    cap = capsys.readouterr()
    assert rc == 2
    assert "contradictory" in cap.err and "b = 2" in cap.err and len(cap.err.strip().splitlines()) == 1
    assert "Traceback" not in cap.err


def test_unknown_assumption(capsys):
    rc = main(["derive", "velocity", "--assume", "time-rescaling,magic"])
    err = capsys.readouterr().err
    assert rc == 2 and "unknown assumption 'magic'" in err and "valid:" in err


def test_check_refused_shows_residual(capsys):
    rc = main(["derive", "velocity", "--assume", "time-rescaling", "--check", "c0*lambda**b"])
    out = capsys.readouterr().out
    assert rc == 1
    assert "REFUSED" in out and "residual" in out and "k**b" in out and "b = 2" in out


def test_check_verified_json(capsys):
    rc = main(["derive", "velocity", "--assume", "time-rescaling,separable", "--check",
               "c0*t^(b-2)*lambda^b", "--json"])
    doc = json.loads(capsys.readouterr().out)
    assert rc == 0 and doc["verified"] is True and doc["failures"] == []


def test_check_bad_expression(capsys):
    rc = main(["derive", "velocity", "--check", "lambda**"])
    assert rc == 2 and "cannot parse" in capsys.readouterr().err


def test_homogeneous_with_separable_derives_not_crashes(capsys):
    # regression: a one-entry kernel vector made sympy.ilcm raise TypeError (traceback)
    rc = main(["derive", "velocity", "--assume", "homogeneous,separable", "--json"])
    cap = capsys.readouterr()
    assert rc == 0, cap.err
    doc = json.loads(cap.out)
    assert doc["verified"] is True and "c" in doc["free_functions"]
    # separability adds nothing to homogeneity: the same form as homogeneity alone
    rc = main(["derive", "velocity", "--assume", "homogeneous", "--json"])
    alone = json.loads(capsys.readouterr().out)
    assert rc == 0 and alone["form"] == doc["form"]


def test_refused_check_certificate_states_the_claim(capsys):
    rc = main(["derive", "velocity", "--assume", "time-rescaling", "--check", "c0*lambda**b", "--json"])
    doc = json.loads(capsys.readouterr().out)
    assert rc == 1 and doc["verified"] is False
    assert doc["certificate"]["statement"] != "None" and "c_0*lambda**b" in doc["certificate"]["statement"]
    assert doc["failures"] and "k**b" in doc["failures"][0]["residual"]
