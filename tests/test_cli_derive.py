"""``grsd derive velocity`` through grsd_sym.cli.main."""

import contextlib
import json
import os
import tempfile

import pytest

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
    rc = main(
        ["derive", "velocity", "--assume", "time-rescaling,separable", "--check", "c0*t^(b-2)*lambda^b", "--json"]
    )
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


# ---- issue 11: typed text is parsed, never executed ------------------------------------------

_SENTINEL = os.path.join(tempfile.gettempdir(), f"grsd_derive_sentinel_{os.getpid()}")


@pytest.mark.parametrize(
    "flag,value",
    [
        ("--check", "True"),
        ("--check", "[1,2]"),
        ("--check", f"__import__('os').system('touch {_SENTINEL}')"),
        ("--discrete-shift", "True"),
        ("--discrete-shift", f"__import__('os').system('touch {_SENTINEL}')"),
        ("--discrete-shift", "[1,2]"),
        ("--degree", "10**10**10"),
        ("--check", "lambda**(10**10**10)"),
    ],
)
def test_typed_text_is_refused_in_one_line(capsys, flag, value):
    # regression: '--check True' / '[1,2]' / '--discrete-shift True' were tracebacks, and a payload
    # was executed before the message 'must be a number'
    argv = ["derive", "velocity", flag, value]
    if flag == "--degree":
        argv += ["--assume", "homogeneous"]
    rc = main(argv)
    err = capsys.readouterr().err
    assert rc == 2 and "error" in err and "Traceback" not in err
    assert len(err.strip().splitlines()) <= 2  # the progress line and the error
    assert not os.path.exists(_SENTINEL)


def test_check_with_max_is_decided_not_a_name_error(capsys):
    # regression: NameError DiracDelta; lambda^2 Max(lambda t, 1) is time-rescaling invariant:
    # (k lam)^2 Max(k lam t/k, 1) = k^2 lam^2 Max(lam t, 1)
    rc = main(["derive", "velocity", "--check", "lambda**2*Max(lambda*t, 1)", "--json"])
    doc = json.loads(capsys.readouterr().out)
    assert rc == 0 and doc["verified"] is True and doc["ok"] is True
    rc = main(["derive", "velocity", "--check", "lambda**3*Max(lambda*t, 1)", "--json"])
    doc = json.loads(capsys.readouterr().out)
    assert rc == 1 and doc["verified"] is False and doc["warnings"]


def test_derive_timeout_stops_the_child(capsys, monkeypatch):
    import time as _time

    from grsd_sym.derive import rigidity

    def stuck(*a, **k):
        while True:
            with contextlib.suppress(BaseException):
                _time.sleep(0.05)

    monkeypatch.setattr(rigidity, "derive_velocity", stuck)
    from grsd_sym.cli import cmd_derive

    monkeypatch.setattr(cmd_derive, "derive_velocity", stuck)
    t0 = _time.monotonic()
    rc = main(["derive", "velocity", "--timeout", "1"])
    assert rc == 2 and "within the time budget of 1 s" in capsys.readouterr().err
    assert _time.monotonic() - t0 < 6
