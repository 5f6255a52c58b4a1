"""The documentation site (docs/): references into it resolve, every theorem has its page, and
the pages generated at build time (docs/_ext/grsd_pages.py) say what the code says.

The full build (``sphinx-build -W``) runs in ``.ci/run``; ``test_docs_build_without_warnings`` is
the same build, marked slow.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
sys.path.insert(0, str(DOCS / "_ext"))

import grsd_mathml  # noqa: E402
import grsd_pages  # noqa: E402

from grsd_sym.registry import builtin_theorems, get_theorem, run_theorem  # noqa: E402

#: where the project's own text lives (the docs replace the old specification file)
PROJECT_TEXT = [
    ROOT / "README.md",
    *sorted(ROOT.glob("grsd_sym/**/*.py")),
    *sorted(ROOT.glob("proofs/*.py")),
    *sorted(ROOT.glob("notebooks/*")),
    *sorted(ROOT.glob("tests/*.py")),
    *sorted(ROOT.glob("benchmarks/*.py")),
    ROOT / "pyproject.toml",
]
OLD_SPEC = "THEORY" + ".md"  # spelled in two parts so that this file does not match itself
DOC_REF = re.compile(r"docs/[\w./-]*\w")


def _texts():
    for path in PROJECT_TEXT:
        if path.is_file() and path.resolve() != Path(__file__).resolve():
            yield path, path.read_text(encoding="utf-8")


def _toctree_entries(md: str) -> list[str]:
    """Entries of the MyST ``{toctree}`` blocks of a Markdown page."""
    out = []
    for block in re.findall(r"```\{toctree\}\n(.*?)```", md, flags=re.S):
        out += [ln.strip() for ln in block.splitlines() if ln.strip() and not ln.startswith(":")]
    return out


def test_no_project_file_cites_the_old_specification():
    hits = [
        f"{p.relative_to(ROOT)}:{i}"
        for p, text in _texts()
        for i, line in enumerate(text.splitlines(), 1)
        if OLD_SPEC in line or re.search(r"\bTHEORY\b", line)
    ]
    assert hits == []


def test_every_docs_reference_in_the_project_resolves():
    refs = {(p.relative_to(ROOT).as_posix(), m.group(0)) for p, text in _texts() for m in DOC_REF.finditer(text)}
    refs = {(f, r) for f, r in refs if not r.startswith("docs/_build")}
    assert len(refs) > 50  # the package, the proofs and the README point into docs/
    missing = sorted((f, r) for f, r in refs if not (ROOT / r).exists())
    assert missing == []


def test_every_registered_theorem_is_stated_on_its_theory_page():
    for th in builtin_theorems().values():
        page = grsd_pages.theory_page(th.id)
        assert page != "theory/index", f"{th.id} is not placed on a theory page (docs/_ext/grsd_pages.py)"
        text = (DOCS / f"{page}.md").read_text(encoding="utf-8")
        short = th.id.removeprefix("GRSD-")
        assert th.id in text or re.search(rf"\b{short}\b", text), f"{th.id} is not mentioned on {page}.md"
        # and the theory page links to the theorem's page
        assert f"/theorems/{grsd_pages.page_name(th.id)}" in text, f"{page}.md does not link {th.id}"


def test_theorem_index_lists_a_page_for_every_theorem():
    theorems = list(builtin_theorems().values())
    index = grsd_pages.theorems_index_rst(theorems)
    toctree = index.split(".. toctree::", 1)[1].split()
    assert [grsd_pages.page_name(th.id) for th in theorems] == [e for e in toctree if e.startswith("grsd-")]
    assert len({grsd_pages.page_name(th.id) for th in theorems}) == len(theorems)  # no two share a page
    for th in theorems:
        page = grsd_pages.theorem_rst(th, None)
        assert page.splitlines()[2].startswith(th.id)  # the title
        assert f":provenance: [{th.provenance}]" in page
        assert f":doc:`/{grsd_pages.theory_page(th.id)}`" in page
        assert grsd_pages.proof_docstring(th).splitlines()[0] in page


def test_theory_toctree_lists_every_theory_page():
    index = (DOCS / "theory" / "index.md").read_text(encoding="utf-8")
    entries = _toctree_entries(index)
    pages = sorted(p.stem for p in (DOCS / "theory").glob("*.md") if p.stem != "index")
    assert sorted(e for e in entries if not e.startswith("/")) == pages
    assert "/conventions" in entries
    root = _toctree_entries((DOCS / "index.md").read_text(encoding="utf-8"))
    for needed in ("theory/index", "theorems/index", "tutorials/index", "api/index", "cli"):
        assert needed in root


def test_certificate_table_matches_the_certificate():
    th = get_theorem("GRSD-T6")
    cert = run_theorem(th)
    assert cert.verified
    d = cert.to_dict()
    rst = grsd_pages.certificate_rst(d, th.id)
    rows = re.findall(r"^   \* - (\d+)$", rst, flags=re.M)
    assert [int(r) for r in rows] == list(range(1, len(d["steps"]) + 1))
    assert "**verified**" in rst and "certificates/grsd-t6.json" in rst
    checked = sum(1 for s in d["steps"] if s["check"])
    assert rst.count("passed: ") == checked > 0
    # a failed step is shown as failed
    d_bad = json.loads(json.dumps(d))
    d_bad["verified"] = False
    next(s for s in d_bad["steps"] if s["check"])["check"]["passed"] = False
    bad = grsd_pages.certificate_rst(d_bad, th.id)
    assert "NOT VERIFIED" in bad and "**FAILED**" in bad


def test_rst_escape_keeps_free_text_verbatim():
    from docutils.core import publish_doctree

    text = "xi* = c0^(-1/(b-1)), lambda_f = xi*/t, `code`, |a|, back\\slash"
    doctree = publish_doctree(grsd_pages.rst_escape(text), settings_overrides={"report_level": 5})
    assert doctree.astext() == text


def test_mathml_renderer_converts_and_refuses():
    out = grsd_mathml.to_mathml(
        r"\lambda(t) = \lambda_0\bigl(1 + c_0(\lambda_0 t)^{b-1}\bigr)^{-1/(b-1)}", display="inline"
    )
    assert out.startswith("<math") and "<msup>" in out and "&#x003BB;" in out
    with pytest.raises(ValueError, match="alignment"):
        grsd_mathml.to_mathml(r"a &= b", display="block")


def test_notebooks_become_tutorial_pages():
    import jupytext

    for nb_path in sorted((ROOT / "notebooks").glob("[0-9]*.py")):
        page = grsd_pages.notebook_md(nb_path)
        nb = jupytext.read(nb_path)
        code = [c for c in nb.cells if c.cell_type == "code" and c.source.strip()]
        assert page.count("```python\n") == len(code)
        assert "# %%" not in page
        first_md = next(c for c in nb.cells if c.cell_type == "markdown")
        assert page.startswith(first_md.source.splitlines()[0])
        assert f"notebooks/{nb_path.name}" in page


def test_ci_runs_the_static_checks_and_the_docs_build():
    ci = (ROOT / ".ci" / "run").read_text()
    for step in (
        "ruff check .",
        "ruff format --check .",
        "step mypy",
        "sphinx-build -W --keep-going -q -b html docs docs/_build/html",
        "-e '.[lint,docs]'",
    ):
        assert step in ci


@pytest.mark.slow
def test_docs_build_without_warnings(tmp_path):
    env = {"GRSD_DOCS_RUN_PROOFS": "0", "PATH": "/usr/bin:/bin"}
    res = subprocess.run(
        [
            sys.executable,
            "-m",
            "sphinx",
            "-W",
            "--keep-going",
            "-q",
            "-b",
            "html",
            "-d",
            str(tmp_path / "doctrees"),
            str(DOCS),
            str(tmp_path / "html"),
        ],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=900,
    )
    assert res.returncode == 0, res.stderr[-3000:]
    html = (tmp_path / "html" / "theorems" / "grsd-t14.html").read_text(encoding="utf-8")
    assert "<math" in html and "GRSD-T14" in html
