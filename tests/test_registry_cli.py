"""The proof registry and the core sub-commands: list, prove, show; user proof files."""

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from grsd_sym.cli import main
from grsd_sym.errors import ProofLoadError, UnknownTheoremError
from grsd_sym.registry import builtin_theorems, get_theorem, load_file, proofs_dir, resolve

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text()


def readme_block(tag: str) -> str:
    m = re.search(rf"<!-- {tag} -->\s*```\w*\n(.*?)```", README, re.S)
    assert m, f"README has no block tagged {tag}"
    return m.group(1)


def test_every_proof_module_registers_theorems_with_unique_ids():
    files = [f for f in proofs_dir().glob("*.py") if not f.name.startswith("_")]
    ids = [th.id for f in files for th in load_file(f)]
    assert len(ids) == len(set(ids))
    assert set(ids) == set(builtin_theorems())
    assert "GRSD-T1" in ids


def test_short_ids_resolve_and_unknown_ids_name_the_valid_ones():
    assert get_theorem("T1").id == "GRSD-T1"
    assert get_theorem("grsd-t1".upper()).id == "GRSD-T1"
    # short IDs are case-insensitive, including the lettered ones
    assert get_theorem("T11a").id == get_theorem("t11A").id == "GRSD-T11a"
    assert get_theorem("s8a").id == "GRSD-S8a"
    assert get_theorem("grsd-t4").id == "GRSD-T4"
    with pytest.raises(UnknownTheoremError, match=r"valid IDs: .*GRSD-T1,"):
        get_theorem("T999")


def test_list_json(capsys):
    assert main(["list", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert {r["id"] for r in rows} == set(builtin_theorems())
    assert all(r["provenance"] in ("paper", "derived", "defined") for r in rows)


def test_prove_one_writes_certificates_and_json(capsys, tmp_path):
    assert main(["prove", "T1", "--json", "--out", str(tmp_path)]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["all_verified"] is True
    (row,) = out["theorems"]
    assert row["id"] == "GRSD-T1" and row["verified"] and row["seconds"] > 0
    cert = json.loads((tmp_path / "GRSD-T1.json").read_text())
    assert cert["verified"] is True
    tex = (tmp_path / "GRSD-T1.tex").read_text()
    assert "\\begin{align}" in tex and tex.startswith("\\documentclass") and tex.rstrip().endswith("\\end{document}")
    # files get the ordinary permissions (0666 less the umask), not mkstemp's 0600
    umask = os.umask(0)
    os.umask(umask)
    assert (tmp_path / "GRSD-T1.json").stat().st_mode & 0o777 == 0o666 & ~umask


def test_bad_id_is_a_one_line_error_exit_2(capsys):
    assert main(["prove", "T999", "--no-write"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "valid IDs" in err


def test_bad_option_exit_2(capsys):
    with pytest.raises(SystemExit) as exc:
        main(["prove", "--bogus"])
    assert exc.value.code == 2


def test_show_latex_and_text(capsys):
    assert main(["show", "T1", "--latex"]) == 0
    assert "\\begin{align}" in capsys.readouterr().out
    assert main(["show", "GRSD-T1"]) == 0
    assert "verified" in capsys.readouterr().out


def test_readme_user_proof_example_verifies_and_its_wrong_variant_is_rejected(tmp_path, capsys):
    code = readme_block("user-proof")
    good = tmp_path / "my_proof.py"
    good.write_text(code)
    assert main(["prove", str(good), "--no-write"]) == 0
    assert "MY-1" in capsys.readouterr().out

    assert "-lam * sol" in code
    bad = tmp_path / "my_wrong_proof.py"
    bad.write_text(code.replace("-lam * sol", "lam * sol"))
    assert main(["prove", str(bad), "--no-write"]) == 1
    out = capsys.readouterr().out
    assert "refuted" in out and "counterexample for 'substitute the solution back" in out


def test_a_user_file_without_theorems_or_broken_is_a_clear_error(tmp_path, capsys):
    empty = tmp_path / "empty.py"
    empty.write_text("x = 1\n")
    with pytest.raises(ProofLoadError, match="defines no theorem"):
        load_file(empty)
    (th,) = resolve([str(empty)])
    assert "defines no theorem" in th.load_error
    assert main(["prove", str(empty), "--no-write"]) == 1
    assert "defines no theorem" in capsys.readouterr().out
    broken = tmp_path / "broken.py"
    broken.write_text("import not_a_module_anywhere\n")
    assert main(["prove", str(broken), "--out", str(tmp_path / "c")]) == 1
    assert "failed to import" in capsys.readouterr().out
    cert = json.loads((tmp_path / "c" / "file-broken.json").read_text())
    assert cert["verdict"] == "unproven" and "failed to import" in cert["error"]


def test_a_proof_file_that_calls_sys_exit_is_an_error_certificate(tmp_path, capsys):
    at_import = tmp_path / "exits.py"
    at_import.write_text("import sys\nsys.exit(0)\n")
    assert main(["prove", str(at_import), "--no-write"]) == 1
    assert "SystemExit" in capsys.readouterr().out
    in_proof = tmp_path / "exits_in_proof.py"
    in_proof.write_text(
        "import sys\nfrom grsd_sym import theorem\n\n@theorem('MY-E', 'exits')\ndef prove(d):\n    sys.exit(0)\n"
    )
    assert main(["prove", str(in_proof), "--no-write"]) == 1
    assert "SystemExit" in capsys.readouterr().out


def _user_file(tmp_path, name, tid):
    f = tmp_path / name
    f.write_text(
        "import sympy as sp\nfrom grsd_sym import theorem\n\n"
        f"@theorem({tid!r}, 'x = x')\n"
        "def prove(d):\n    x = sp.Symbol('x', positive=True)\n"
        "    s = d.claim(x + x, 2 * x, 'doubling')\n    d.conclude(s.statement)\n"
    )
    return f


@pytest.mark.parametrize("tid", ["../evil", "a/b", "x" * 65, "GRSD-T4", "grsd-t4", "with space"])
def test_bad_user_theorem_ids_are_usage_errors(tmp_path, capsys, tid):
    assert main(["prove", str(_user_file(tmp_path, "p.py", tid)), "--no-write"]) == 2
    assert "theorem ID" in capsys.readouterr().err


def test_duplicate_user_theorem_id_is_an_error_certificate(tmp_path, capsys):
    a = _user_file(tmp_path, "a.py", "MY-D")
    b = _user_file(tmp_path, "b.py", "my-d")
    assert main(["prove", str(a), str(b), "--no-write"]) == 1
    out = capsys.readouterr().out
    assert "duplicate theorem ID" in out and "1/2 verified" in out


def test_strict_refuses_overrides_and_json_is_strict(tmp_path, capsys):
    f = tmp_path / "forced.py"
    f.write_text(
        "import sympy as sp\nfrom grsd_sym import theorem\n\n@theorem('MY-F', 'restricted')\n"
        "def prove(d):\n    x = sp.Symbol('x', real=True)\n"
        "    s = d.claim(sp.Abs(x), x, 'on x > 0 only', side_conditions=[x > 0], domains={x: (1, 3)})\n"
        "    d.conclude(sp.Implies(x > 0, s.statement))\n"
    )
    assert main(["prove", str(f), "--json", "--out", str(tmp_path / "c")]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["theorems"][0]["overrides"] == 1
    assert main(["prove", str(f), "--strict", "--no-write"]) == 1
    assert "overrides" in capsys.readouterr().out
    text = (tmp_path / "c" / "MY-F.json").read_text()
    data = json.loads(text, parse_constant=lambda c: pytest.fail(f"non-JSON constant {c}"))
    assert data["overrides"][0]["overrides"]["domains"] == {"x": ["1", "3"]}
    assert "domains" in (tmp_path / "c" / "MY-F.tex").read_text()


def test_a_proof_that_raises_is_reported_unverified(tmp_path, capsys):
    f = tmp_path / "raises.py"
    f.write_text(
        "from grsd_sym import theorem\n\n@theorem('MY-X', 'raises')\ndef prove(d):\n    raise RuntimeError('no')\n"
    )
    assert main(["prove", str(f), "--no-write"]) == 1
    assert "RuntimeError: no" in capsys.readouterr().out


def test_ci_runs_exactly_the_readme_test_command():
    lines = README.splitlines()
    assert lines[2:5] == ["```bash", "pip install -e . && grsd prove", "```"]
    test_cmd = readme_block("test-command").strip()
    assert "pytest" in test_cmd
    ci = (ROOT / ".ci" / "run").read_text()
    # .ci/run extracts the command from the README (so the two cannot drift apart)
    out = subprocess.run(
        ["sed", "-n", "/^<!-- test-command -->/{n;n;p;}", str(ROOT / "README.md")],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    assert out == test_cmd and "test-command" in ci


def test_python_dash_m_entry_point():
    res = subprocess.run([sys.executable, "-m", "grsd_sym", "list"], capture_output=True, text=True, cwd=ROOT)
    assert res.returncode == 0 and "GRSD-T1" in res.stdout


def test_every_public_name_resolves():
    import grsd_sym

    for name in grsd_sym.__all__:
        assert getattr(grsd_sym, name) is not None, name
    assert grsd_sym.numeric.ShellGrid is grsd_sym.ShellGrid
