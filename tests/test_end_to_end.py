"""End to end: every registered theorem verifies, and the report shows each with its verdict.

All theorems are derived once per session (the expensive part) and shared by the tests here.
"""

import html
import re
import tomllib
from pathlib import Path

import pytest

from grsd_sym.certificate import REQUIRED_DIGITS
from grsd_sym.cli import main
from grsd_sym.registry import builtin_theorems, run_theorem
from grsd_sym.report import render_markdown, write_report

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="session")
def certificates():
    return [run_theorem(th) for th in builtin_theorems().values()]


def test_the_derivation_chain_is_registered():
    ids = set(builtin_theorems())
    expected = {f"GRSD-T{i}" for i in range(1, 18)}
    assert expected <= ids, f"missing: {sorted(expected - ids)}"


def test_every_theorem_is_verified_with_exact_residuals(certificates):
    for cert in certificates:
        assert cert.verified, cert.summary()
        checked = [s for s in cert.steps if s.checked]
        assert checked, cert.theorem_id
        for st in checked:
            assert st.check.symbolic, (cert.theorem_id, st.reason)
            assert st.check.witness_digits >= REQUIRED_DIGITS, (cert.theorem_id, st.reason)


def test_every_certificate_states_its_provenance_and_sources(certificates):
    for cert in certificates:
        assert cert.provenance in ("paper", "derived", "defined")
        assert cert.statement is not None, f"{cert.theorem_id} concludes nothing"


def test_html_report_lists_every_theorem_with_its_verdict(certificates, tmp_path):
    path = write_report(certificates, tmp_path, fmt="html")
    page = path.read_text()
    body = page.split("<body>")[1].replace('xmlns="http://www.w3.org/1998/Math/MathML"', "")  # a namespace name
    assert "<script" not in page and "http" not in body  # self-contained: nothing is fetched
    rows = dict(re.findall(r"<td><a href='#([^']+)'>[^<]*</a></td>.*?<td class='(?:ok|bad)'>([^<]+)</td>", page))
    for cert in certificates:
        assert html.unescape(rows[cert.theorem_id]) == (cert.verdict if cert.verified else cert.verdict.upper())
        assert f"id='{cert.theorem_id}'" in page
        for st in cert.steps:
            assert html.escape(st.reason) in page


def test_markdown_report_has_every_theorem(certificates):
    md = render_markdown(certificates)
    for cert in certificates:
        assert f"## {cert.theorem_id}: " in md


def test_report_command(tmp_path, capsys):
    assert main(["report", "T1", "--out", str(tmp_path), "--format", "md"]) == 0
    assert (tmp_path / "report.md").read_text().count("## GRSD-T1") == 1
    assert main(["report", "T999", "--out", str(tmp_path)]) == 2


def test_wheel_ships_every_subpackage_and_the_proofs():
    cfg = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]
    pkgs = set(cfg["packages"])
    on_disk = {
        ".".join(p.parent.relative_to(ROOT).parts)
        for p in (ROOT / "grsd_sym").rglob("*.py")
        if "__pycache__" not in p.parts
    }
    assert on_disk <= pkgs, f"not packaged: {sorted(on_disk - pkgs)}"
    assert cfg["package-dir"]["grsd_sym._proofs"] == "proofs"
