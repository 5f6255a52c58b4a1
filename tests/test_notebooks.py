"""Execute the walkthrough notebooks (issue 7) and check that they produce their figures.

Each ``notebooks/NN_name.py`` (jupytext percent format) is converted to an ``nbformat``
notebook and executed cell by cell with ``nbclient`` on the ``python3`` kernel of ipykernel; a
cell that raises fails the test (the notebooks assert what they show: verified certificates,
simulation vs closed form, ...).  The figures go to ``$GRSD_NB_OUT/<notebook>/`` (a temporary
folder here); the test checks that every expected PNG was written, is a real PNG, and that the
notebook also displayed images inline.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

# The notebooks extra is part of the README's test command: a missing package is a failure.
import jupytext
import nbclient
import nbformat
import pytest

ROOT = Path(__file__).resolve().parent.parent
NB_DIR = ROOT / "notebooks"
CELL_TIMEOUT = 300  # seconds per cell: generous, the machine may be loaded

#: notebook -> PNG files it must write (and at least that many inline images)
EXPECTED = {
    "01_derivation_chain": ["verdicts.png"],
    "02_rigidity": ["log_periodic_modulation.png"],
    "03_exponents": ["frontier.png", "phase_diagram.png", "simulation_vs_closed_form.png"],
    "04_probe": ["couplings.png"],
}

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def _execute(name: str, out: Path, monkeypatch) -> nbformat.NotebookNode:
    nb = jupytext.read(NB_DIR / f"{name}.py")
    monkeypatch.setenv("GRSD_NB_OUT", str(out))
    monkeypatch.setenv("MPLBACKEND", "Agg")
    # the kernel must import this checkout's grsd_sym even without `pip install -e .`
    monkeypatch.setenv(
        "PYTHONPATH",
        os.pathsep.join([str(ROOT)] + [p for p in os.environ.get("PYTHONPATH", "").split(os.pathsep) if p]),
    )
    client = nbclient.NotebookClient(
        nb, timeout=CELL_TIMEOUT, kernel_name="python3", resources={"metadata": {"path": str(NB_DIR)}}
    )
    client.execute()
    return nb


def _image_outputs(nb) -> int:
    return sum(
        1
        for cell in nb.cells
        if cell.cell_type == "code"
        for o in cell.get("outputs", [])
        if "image/png" in o.get("data", {})
    )


def _errors(nb) -> list[str]:
    return [
        o.get("ename", "")
        for cell in nb.cells
        if cell.cell_type == "code"
        for o in cell.get("outputs", [])
        if o.get("output_type") == "error"
    ]


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_notebook_executes_and_draws(name, tmp_path, monkeypatch):
    out = tmp_path / "nb_out"
    nb = _execute(name, out, monkeypatch)
    assert _errors(nb) == []
    folder = out / name
    for png in EXPECTED[name]:
        f = folder / png
        assert f.is_file(), f"{name} did not write {png} (found {sorted(p.name for p in folder.glob('*'))})"
        data = f.read_bytes()
        assert data.startswith(PNG_MAGIC) and len(data) > 5000, f"{png} is not a real figure"
    assert _image_outputs(nb) >= len(EXPECTED[name]), "figures must also be displayed inline"
    if name == "01_derivation_chain":
        texs = sorted(folder.glob("GRSD-T*.tex"))
        assert [p.stem for p in texs] == [f"GRSD-T{i}" for i in range(1, 9)]
        for p in texs:
            _check_latex(p.read_text(encoding="utf-8"), p.name)


def _check_latex(tex: str, what: str) -> None:
    """A certificate's LaTeX: one balanced align block (braces and environment)."""
    body = "\n".join(line for line in tex.splitlines() if not line.startswith("%"))
    assert body.count(r"\begin{align}") == body.count(r"\end{align}") == 1, what
    depth = 0
    for ch in re.sub(r"\\[{}]", "", body):
        depth += {"{": 1, "}": -1}.get(ch, 0)
        assert depth >= 0, f"{what}: closing brace without an opening one"
    assert depth == 0, f"{what}: unbalanced braces"


def test_every_notebook_is_listed_and_percent_format():
    files = sorted(p.stem for p in NB_DIR.glob("[0-9][0-9]_*.py"))
    assert files == sorted(EXPECTED), "a notebook without a figure check (or a missing notebook)"
    readme = (NB_DIR / "README.md").read_text(encoding="utf-8")
    for name in files:
        assert f"{name}.py" in readme, f"notebooks/README.md does not link {name}.py"
        text = (NB_DIR / f"{name}.py").read_text(encoding="utf-8")
        assert "# %% [markdown]" in text and "\n# %%\n" in text, f"{name} is not jupytext percent format"
        nb = jupytext.reads(text, fmt="py:percent")
        assert sum(c.cell_type == "markdown" for c in nb.cells) >= 3
        assert sum(c.cell_type == "code" for c in nb.cells) >= 3
