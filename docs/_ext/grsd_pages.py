"""Generate the pages of the site that must follow the code: theorems, tutorials, API reference.

Run by Sphinx at ``builder-inited`` (before any source is read); each page is rewritten only
when its text changes, so incremental builds stay incremental.

- ``theorems/``: one page per theorem of :func:`grsd_sym.registry.builtin_theorems` (ID, title,
  provenance, sources, assumptions, the proof module's docstring as statement and proof sketch,
  the theory page it belongs to) and, unless ``GRSD_DOCS_RUN_PROOFS=0``, the certificate its
  proof produces during this build: verdict, every step with its check, and the JSON and LaTeX
  certificate files to download (the same files ``grsd prove ID --out DIR`` writes).  A proof
  that does not verify is a build warning, so an error under ``sphinx-build -W``.
- ``tutorials/``: ``notebooks/*.py`` (jupytext percent format) as Markdown pages; the test suite
  executes the notebooks, the site shows their text and code.
- ``api/``: the public API (each package's ``__all__``; modules without one document their
  public members), through ``sphinx.ext.autodoc``.

The helpers are plain functions so that ``tests/test_docs.py`` can check them without Sphinx.
"""

from __future__ import annotations

import ast
import importlib
import inspect
import os
import pkgutil
import re
from pathlib import Path
from typing import Any

DOCS = Path(__file__).resolve().parents[1]
ROOT = DOCS.parent
GENERATED = ("theorems", "tutorials", "api")

#: theorem ID pattern -> the theory page that states it (docs/theory/<page>.md)
THEORY_PAGES: tuple[tuple[str, str], ...] = (
    (r"^GRSD-T[1-3]$", "microscopic"),
    (r"^GRSD-T[4-6]$", "shells"),
    (r"^GRSD-T[78]$", "continuum"),
    (r"^GRSD-T(9|1[0-2])[a-z]?$", "rigidity"),
    (r"^GRSD-T1[3-7][a-z]?$", "solutions"),
    (r"^GRSD-S8[a-z]?$", "scaling"),
)

#: the longest LaTeX statement shown as a formula in a certificate table (longer: see the JSON)
MAX_FORMULA = 700


def theory_page(tid: str) -> str:
    """The theory page (``theory/<name>``) that states theorem ``tid``; the overview if unknown."""
    for pattern, page in THEORY_PAGES:
        if re.match(pattern, tid):
            return f"theory/{page}"
    return "theory/index"


def page_name(tid: str) -> str:
    """File stem of a theorem's page: ``GRSD-T11a`` -> ``grsd-t11a``."""
    return re.sub(r"[^a-z0-9-]", "-", tid.lower())


def rst_escape(text: str) -> str:
    """Escape RST inline markup so that free text (reasons, sources) renders verbatim."""
    return re.sub(r"([\\*`|_])", r"\\\1", " ".join(str(text).split()))


def _heading(text: str, char: str) -> str:
    return f"{text}\n{char * len(text)}\n"


def _titled(title: str, intro: str) -> list[str]:
    """The first lines of a generated page: its title and an introductory paragraph."""
    return [_heading(title, "="), intro + "\n"]


def source_rst(source: str) -> str:
    """A source line; a reference to a docs page (``docs/theory/x.md ...``) becomes a link."""
    m = re.match(r"docs/([\w/-]+)\.md\b(.*)$", source)
    if m and (DOCS / f"{m.group(1)}.md").is_file():
        rest = rst_escape(m.group(2))
        return f":doc:`/{m.group(1)}` {rest}" if rest else f":doc:`/{m.group(1)}`"
    return rst_escape(source)


def proof_docstring(th: Any) -> str:
    """The proof module's docstring (statement and proof sketch), read from its source."""
    path = Path(th.module)
    doc = None
    if path.is_file():
        doc = ast.get_docstring(ast.parse(path.read_text(encoding="utf-8")))
    func_doc = inspect.getdoc(th.func)
    parts = [p for p in (doc, func_doc) if p]
    text = "\n\n".join(parts) if parts else "(the proof module has no docstring)"
    return _link_docs_refs(text, ":doc:`/{}`")


def _link_docs_refs(text: str, role: str) -> str:
    """Turn references to docs pages in prose ("(docs/theory/shells.md)", "docs/theory/") into
    links written with ``role`` (RST ``:doc:`/{}``` or MyST ``{doc}`/{}```)."""

    def link(m: re.Match) -> str:
        page = f"{m.group(1)}index" if m.group(1).endswith("/") else m.group(1)
        return role.format(page) if (DOCS / f"{page}.md").is_file() else m.group(0)

    return re.sub(r"(?<=[\s(])docs/([\w/-]+/|[\w/-]+(?=\.md))(?:\.md)?(?=[\s).,;:]|$)", link, text)


def _formula(latex: str) -> str | None:
    """``latex`` as an RST math role if it renders as MathML, else ``None``."""
    if not latex or len(latex) > MAX_FORMULA:
        return None
    try:
        from grsd_mathml import to_mathml

        to_mathml(latex, display="inline")
    except Exception:
        return None
    return f":math:`{latex}`"


def _statement_cell(step: dict) -> str:
    text = " ".join(str(step.get("statement", "")).split())
    if text == " ".join(str(step.get("reason", "")).split()):
        return "(in words)"  # an assumption stated as text: the reason column has it
    math = _formula(step.get("latex") or "")
    if math:
        return math
    if len(text) > 300:
        text = text[:300] + " ..."
    return f"``{text}``" if "`" not in text else rst_escape(text)


def _check_cell(step: dict) -> str:
    chk = step.get("check")
    if not chk:
        return "not checked (" + step.get("kind", "") + ")"
    verdict = "passed" if chk.get("passed") else "**FAILED**"
    digits = chk.get("witness_digits")
    digits = "exact" if digits == "exact" else f"{digits} digits"
    return f"{verdict}: {rst_escape(chk.get('method', ''))}; witness {digits}"


def certificate_rst(cert: dict, tid: str) -> str:
    """The certificate section of a theorem page, from :meth:`Certificate.to_dict`."""
    stem = page_name(tid)
    verdict = "verified" if cert.get("verified") else "NOT VERIFIED"
    out = [_heading("Certificate", "-")]
    out.append(
        f"Produced by this build of the site: **{verdict}**, "
        f"{sum(1 for s in cert['steps'] if s.get('check'))} checked steps, weakest numeric witness "
        f"{cert.get('min_witness_digits')} digits, {cert.get('seconds')} s.  Download the certificate as "
        f":download:`JSON <certificates/{stem}.json>` or :download:`LaTeX <certificates/{stem}.tex>` "
        f"(the files ``grsd prove {tid} --out DIR`` writes); ``grsd show {tid}`` prints it.\n"
    )
    if cert.get("error"):
        out.append(f"Error: ``{cert['error']}``\n")
    out.append(".. list-table::\n   :header-rows: 1\n   :widths: 3 8 40 30 19\n")
    out.append("   * - #\n     - kind\n     - statement\n     - reason\n     - check")
    for i, step in enumerate(cert["steps"], 1):
        out.append(
            f"   * - {i}\n     - {step.get('kind', '')}\n     - {_statement_cell(step)}\n"
            f"     - {rst_escape(step.get('reason', ''))}\n     - {_check_cell(step)}"
        )
    return "\n".join(out) + "\n"


def theorem_rst(th: Any, cert: dict | None) -> str:
    """The page of one theorem (RST)."""
    title = f"{th.id}: {th.title}"
    out = [f".. _{page_name(th.id)}:\n", _heading(rst_escape(title), "=")]
    src = Path(th.module)
    try:
        src_txt = src.resolve().relative_to(ROOT).as_posix()
    except ValueError:
        src_txt = src.name
    out.append(
        f":provenance: [{th.provenance}]\n"
        f":theory: :doc:`/{theory_page(th.id)}`\n"
        f":proof module: ``{src_txt}``\n"
        f":certificate: ``grsd prove {th.id} --out DIR`` (JSON + LaTeX), ``grsd show {th.id}``\n"
    )
    out.append(_heading("Statement and proof sketch", "-"))
    out.append(proof_docstring(th) + "\n")
    if th.assumptions:
        out.append(_heading("Assumptions stated by the theorem", "-"))
        out.extend(f"- {rst_escape(a)}" for a in th.assumptions)
        out.append("")
    if th.sources:
        out.append(_heading("Sources", "-"))
        out.extend(f"- {source_rst(s)}" for s in th.sources)
        out.append("")
    if cert is None:
        out.append(_heading("Certificate", "-"))
        out.append(f"Not produced in this build (``GRSD_DOCS_RUN_PROOFS=0``): run ``grsd show {th.id}``.\n")
    else:
        out.append(certificate_rst(cert, th.id))
    return "\n".join(out)


def theorems_index_rst(theorems: list[Any]) -> str:
    """The index of the theorem pages: a table and the toctree listing every page."""
    out = _titled(
        "Theorems",
        "One page per registered theorem, generated from the registry (``grsd list``) when the site "
        "is built, with the certificate its proof produced in that build.  Provenance tags: "
        "[paper] stated in the source papers' abstracts, [derived] derived by this project, "
        "[defined] a definition chosen by this project (see :doc:`/theory/index`).",
    )
    out.append(".. list-table::\n   :header-rows: 1\n   :widths: 12 10 60 18\n")
    out.append("   * - ID\n     - provenance\n     - title\n     - theory")
    for th in theorems:
        out.append(
            f"   * - :doc:`{th.id} <{page_name(th.id)}>`\n     - {th.provenance}\n"
            f"     - {rst_escape(th.title)}\n     - :doc:`/{theory_page(th.id)}`"
        )
    out.append("\n.. toctree::\n   :hidden:\n")
    out.extend(f"   {page_name(th.id)}" for th in theorems)
    return "\n".join(out) + "\n"


def notebook_md(path: Path) -> str:
    """A jupytext percent-format notebook as a MyST Markdown page (text cells and code cells)."""
    import jupytext

    nb = jupytext.read(path)
    out = []
    first = True
    for cell in nb.cells:
        src = cell.source.rstrip()
        if not src:
            continue
        if cell.cell_type == "markdown":
            out.append(_link_docs_refs(src, "{{doc}}`/{}`"))
            if first:
                out.append(
                    f"```{{note}}\nThis tutorial is `notebooks/{path.name}` (jupytext percent format). The test "
                    f"suite executes it; run it with `cd notebooks && python {path.name}` or open it in Jupyter "
                    f"with `jupytext --to notebook notebooks/{path.name}`.\n```"
                )
            first = False
        else:
            out.append(f"```python\n{src}\n```")
    return "\n\n".join(out) + "\n"


def tutorials_index_md(names: list[str]) -> str:
    lines = [
        "# Tutorials",
        "",
        "The notebooks of `notebooks/`, shown as text and code (the test suite executes every one of "
        "them, `tests/test_notebooks.py`, so what they print is checked there).",
        "",
        "```{toctree}",
        ":maxdepth: 1",
        "",
        *names,
        "```",
    ]
    return "\n".join(lines) + "\n"


#: packages and modules of the public API, in reading order (missing ones are skipped)
API_ROOTS = (
    "grsd_sym.errors",
    "grsd_sym.conventions",
    "grsd_sym.symbols",
    "grsd_sym.parsing",
    "grsd_sym.params",
    "grsd_sym.certificate",
    "grsd_sym.registry",
    "grsd_sym.theory",
    "grsd_sym.derive",
    "grsd_sym.literature",
    "grsd_sym.lower",
    "grsd_sym.numeric",
    "grsd_sym.probe",
    "grsd_sym.strategies",
    "grsd_sym.report",
)


def api_modules() -> list[str]:
    """The modules the API reference documents: a package with ``__all__`` is documented as one
    module (its ``__all__`` is its public surface), one without is documented module by module."""
    out: list[str] = []
    for name in API_ROOTS:
        try:
            mod = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name == name:  # not (yet) in this tree
                continue
            raise
        if hasattr(mod, "__path__") and not hasattr(mod, "__all__"):
            out.append(name)  # the package's docstring, then its modules
            for info in pkgutil.iter_modules(mod.__path__):
                if not info.name.startswith("_"):
                    out.append(f"{name}.{info.name}")
        else:
            out.append(name)
    return out


def api_index_rst(modules: list[str]) -> str:
    """The API reference's index: the top-level package, then one page per public module."""
    out = _titled(
        "API reference",
        "Generated from the docstrings (numpydoc style).  ``import grsd_sym`` exposes the names of "
        "``grsd_sym.__all__`` directly (heavy sub-modules load on first use); each page below is "
        "one package or module of the public API.",
    )
    out.append(".. automodule:: grsd_sym\n   :no-members:\n")
    out.append(".. toctree::\n   :maxdepth: 1\n")
    out.extend(f"   {name}" for name in modules)
    return "\n".join(out) + "\n"


def api_page_rst(name: str) -> str:
    """One module's API page."""
    return _heading(f"``{name}``", "=") + f"\n.. automodule:: {name}\n"


def write_if_changed(path: Path, text: str) -> bool:
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.is_file() and path.read_text(encoding="utf-8") == text:
        return False
    path.write_text(text, encoding="utf-8")
    return True


def _prune(folder: Path, keep: set[str]) -> None:
    for f in folder.glob("*"):
        if f.is_file() and f.name not in keep:
            f.unlink()


def _certify(tid: str) -> tuple[dict, str, str, bool, str]:
    """Run one proof: its certificate as a dict, JSON and LaTeX, its verdict and what failed."""
    from grsd_sym.registry import get_theorem, run_theorem

    cert = run_theorem(get_theorem(tid))
    problems = cert.error or "; ".join(s.reason for s in cert.failed_steps)
    return cert.to_dict(), cert.to_json(), cert.to_latex(), cert.verified, problems


def certify_all(tids: list[str], jobs: int) -> dict[str, tuple[dict, str, str, bool, str]]:
    """Certificates of ``tids``, computed in ``jobs`` worker processes (the proofs are independent)."""
    if jobs <= 1 or len(tids) <= 1:
        return {tid: _certify(tid) for tid in tids}
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    with ProcessPoolExecutor(jobs, mp_context=multiprocessing.get_context("fork")) as pool:
        return dict(zip(tids, pool.map(_certify, tids), strict=True))


def generate_theorems(app: Any, run_proofs: bool) -> None:
    from sphinx.util import logging

    from grsd_sym.registry import builtin_theorems

    logger = logging.getLogger(__name__)
    folder = DOCS / "theorems"
    theorems = list(builtin_theorems().values())
    keep = {"index.rst"}
    certs = folder / "certificates"
    results: dict[str, tuple[dict, str, str, bool, str]] = {}
    if run_proofs:
        jobs = int(os.environ.get("GRSD_DOCS_JOBS", min(4, os.cpu_count() or 1)))
        results = certify_all([th.id for th in theorems], jobs)
    for th in theorems:
        cert_dict = None
        stem = page_name(th.id)
        if th.id in results:
            cert_dict, as_json, as_latex, verified, problems = results[th.id]
            write_if_changed(certs / f"{stem}.json", as_json)
            write_if_changed(certs / f"{stem}.tex", as_latex)
            if not verified:
                logger.warning("theorem %s is NOT verified in this build: %s", th.id, problems)
        write_if_changed(folder / f"{stem}.rst", theorem_rst(th, cert_dict))
        keep.add(f"{stem}.rst")
    write_if_changed(folder / "index.rst", theorems_index_rst(theorems))
    _prune(folder, keep)
    if certs.is_dir():
        _prune(certs, {f"{page_name(t)}.{ext}" for t in results for ext in ("json", "tex")})


def generate(app: Any) -> None:
    run_proofs = os.environ.get("GRSD_DOCS_RUN_PROOFS", "1") != "0"
    generate_theorems(app, run_proofs)
    tut = DOCS / "tutorials"
    names = []
    for nb in sorted((ROOT / "notebooks").glob("[0-9]*.py")):
        write_if_changed(tut / f"{nb.stem}.md", notebook_md(nb))
        names.append(nb.stem)
    write_if_changed(tut / "index.md", tutorials_index_md(names))
    _prune(tut, {f"{n}.md" for n in names} | {"index.md"})
    modules = api_modules()
    for name in modules:
        write_if_changed(DOCS / "api" / f"{name}.rst", api_page_rst(name))
    write_if_changed(DOCS / "api" / "index.rst", api_index_rst(modules))
    _prune(DOCS / "api", {f"{name}.rst" for name in modules} | {"index.rst"})


_SEEN: set[tuple[str, int]] = set()


def skip_duplicates(app: Any, what: str, name: str, obj: Any, skip: bool, options: Any) -> bool | None:
    """Document each function or class once, where the API reference first meets it."""
    if what != "module" or skip or not (inspect.isclass(obj) or inspect.isfunction(obj)):
        return None
    key = (getattr(obj, "__qualname__", name), id(obj))
    if key in _SEEN:
        return True
    _SEEN.add(key)
    return None


def setup(app: Any) -> dict[str, Any]:
    app.connect("builder-inited", generate)
    app.connect("autodoc-skip-member", skip_duplicates)
    return {"version": "1.0", "parallel_read_safe": False, "parallel_write_safe": True}
