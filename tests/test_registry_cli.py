"""The proof registry and the core sub-commands: list, prove, show; user proof files."""

import json
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
    with pytest.raises(UnknownTheoremError, match="valid IDs: .*GRSD-T1,"):
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
    assert "\\begin{align}" in (tmp_path / "GRSD-T1.tex").read_text()


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
    assert "NOT VERIFIED" in out and "failed: substitute the solution back" in out


def test_a_user_file_without_theorems_or_broken_is_a_clear_error(tmp_path, capsys):
    empty = tmp_path / "empty.py"
    empty.write_text("x = 1\n")
    with pytest.raises(ProofLoadError, match="defines no theorem"):
        resolve([str(empty)])
    broken = tmp_path / "broken.py"
    broken.write_text("import not_a_module_anywhere\n")
    assert main(["prove", str(broken), "--no-write"]) == 2
    assert "failed to import" in capsys.readouterr().err


def test_a_proof_that_raises_is_reported_unverified(tmp_path, capsys):
    f = tmp_path / "raises.py"
    f.write_text("from grsd_sym import theorem\n\n@theorem('MY-X', 'raises')\n"
                 "def prove(d):\n    raise RuntimeError('no')\n")
    assert main(["prove", str(f), "--no-write"]) == 1
    assert "RuntimeError: no" in capsys.readouterr().out


def test_ci_runs_exactly_the_readme_test_command():
    lines = README.splitlines()
    assert lines[2:5] == ["```bash", "pip install -e . && grsd prove", "```"]
    test_cmd = readme_block("test-command").strip()
    assert "pytest" in test_cmd
    ci = (ROOT / ".ci" / "run").read_text()
    # .ci/run extracts the command from the README (so the two cannot drift apart)
    out = subprocess.run(["sed", "-n", "/^<!-- test-command -->/{n;n;p;}", str(ROOT / "README.md")],
                         capture_output=True, text=True, check=True).stdout.strip()
    assert out == test_cmd and "test-command" in ci


def test_python_dash_m_entry_point():
    res = subprocess.run([sys.executable, "-m", "grsd_sym", "list"], capture_output=True, text=True,
                         cwd=ROOT)
    assert res.returncode == 0 and "GRSD-T1" in res.stdout


def test_every_public_name_resolves():
    import grsd_sym

    for name in grsd_sym.__all__:
        assert getattr(grsd_sym, name) is not None, name
    assert grsd_sym.numeric.ShellGrid is grsd_sym.ShellGrid
