"""A derivation report: every certificate as one self-contained HTML page or Markdown file.

The page needs no network: formulas are MathML, rendered by the browser itself
(:mod:`grsd_sym.mathml`; no MathJax, no script), with their SymPy text and LaTeX source folded
below; without ``latex2mathml`` the source is shown.  Each theorem gets its statement, provenance and
sources, assumptions, the steps with their reasons and checks (symbolic method, witness
digits), its verdict and its timing, plus the library versions: a reviewer can attach it to
a paper review.
"""

from __future__ import annotations

import datetime as _dt
import html
import math
from collections.abc import Iterable, Sequence
from pathlib import Path

from grsd_sym.certificate import Certificate, library_versions
from grsd_sym.cli._io import write_atomic
from grsd_sym.errors import InputError
from grsd_sym.mathml import formula_html

__all__ = ["render_html", "render_markdown", "write_report", "FORMATS"]

FORMATS = ("html", "md")

_CSS = """
body{font-family:system-ui,sans-serif;max-width:68rem;margin:2rem auto;padding:0 1rem;color:#222}
h1{font-size:1.6rem} h2{font-size:1.2rem;border-top:1px solid #ccc;padding-top:1rem}
table{border-collapse:collapse;width:100%} td,th{border:1px solid #ddd;padding:.3rem;vertical-align:top}
th{background:#f4f4f4;text-align:left} code,pre{font-family:ui-monospace,monospace;font-size:.85rem}
pre{white-space:pre-wrap;background:#f8f8f8;padding:.4rem;margin:0}
.formula{max-width:36rem;overflow-x:auto} .formula math{font-size:1.05rem;math-style:normal} details summary{color:#666;font-size:.8rem}
.ok{color:#0a7a2f;font-weight:bold} .bad{color:#b00020;font-weight:bold} .muted{color:#666}
"""


def _digits(x: float) -> str:
    return "exact" if x == math.inf else ("-" if not math.isfinite(x) else f"{x:.1f}")


def _verdict(cert: Certificate) -> str:
    v = cert.verdict
    return v if v == "verified" else v.upper()


def _overrides_text(ov: dict) -> str:
    return "; ".join(f"{k}: {v}" for k, v in ov.items())


def render_html(certs: Sequence[Certificate], *, title: str = "GRSD derivation report") -> str:
    """One self-contained HTML page (inline CSS, no scripts, no network).

    Parameters
    ----------
    certs : sequence of Certificate
        The certificates, in order.
    title : str
        The page title.

    Returns
    -------
    str
        The HTML page.

    Examples
    --------
    >>> from grsd_sym.registry import get_theorem, run_theorem
    >>> page = render_html([run_theorem(get_theorem("T11a"))])
    >>> page.startswith("<!DOCTYPE html>") and "GRSD-T11a" in page and "<script" not in page
    True
    """
    e = html.escape
    n_ok = sum(c.verified for c in certs)
    when = _dt.datetime.now(_dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    vers = ", ".join(f"{k} {v}" for k, v in library_versions().items())
    out = [
        f"<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><title>{e(title)}</title>",
        f"<style>{_CSS}</style></head><body>",
        f"<h1>{e(title)}</h1>",
        f"<p>{n_ok} of {len(certs)} theorems verified. Generated {e(when)} with {e(vers)}.</p>",
        "<p class='muted'>Each checked step has a verdict: verified (a sound symbolic proof that its "
        "residual is zero, rung shown, and no counterexample from the witness: ball arithmetic at "
        "points over the whole domain), refuted (a counterexample, shown) or unproven. Overrides "
        "(force, domains, custom witness, genericity, side conditions) are listed; numeric evidence "
        "is shown separately and is never a proof. "
        "Formulas are MathML (SymPy text and LaTeX source under 'source').</p>",
        "<table><tr><th>ID</th><th>title</th><th>provenance</th><th>verdict</th><th>overrides</th>"
        "<th>seconds</th></tr>",
    ]
    for c in certs:
        cls = "ok" if c.verified else "bad"
        out.append(
            f"<tr><td><a href='#{e(c.theorem_id)}'>{e(c.theorem_id)}</a></td><td>{e(c.title)}</td>"
            f"<td>{e(c.provenance)}</td><td class='{cls}'>{_verdict(c)}</td>"
            f"<td>{len(c.overrides)}</td><td>{c.seconds:.2f}</td></tr>"
        )
    out.append("</table>")
    for c in certs:
        d = c.to_dict()
        cls = "ok" if c.verified else "bad"
        out.append(
            f"<h2 id='{e(c.theorem_id)}'>{e(c.theorem_id)}: {e(c.title)} "
            f"<span class='{cls}'>[{_verdict(c)}]</span></h2>"
        )
        out.append(
            f"<p>provenance: <b>{e(c.provenance)}</b>; {c.seconds:.2f} s; "
            f"weakest witness: {_digits(c.min_witness_digits)} digits</p>"
        )
        if c.sources:
            out.append("<p>sources: " + "; ".join(e(s) for s in c.sources) + "</p>")
        if c.convention:
            out.append(f"<p>convention: <code>{e(str(c.convention))}</code></p>")
        out.append(f"<p>statement:</p>{formula_html(d['statement_latex'], d['statement'])}")
        if c.assumptions:
            out.append("<p>assumptions:</p><ul>" + "".join(f"<li>{e(a)}</li>" for a in c.assumptions) + "</ul>")
        if c.error:
            out.append(f"<p class='bad'>error: {e(c.error)}</p>")
        out.append(
            f"<p>conclusion {'accepted' if c.conclusion_accepted else '<b>not accepted</b>'}: "
            f"{e(c.conclusion_reason)}</p>"
        )
        if c.overrides:
            out.append(
                "<p class='bad'>overrides (refused by --strict):</p><ul>"
                + "".join(
                    f"<li>step {o['step']} ({e(o['reason'])}): {e(_overrides_text(o['overrides']))}</li>"
                    for o in c.overrides
                )
                + "</ul>"
            )
        if c.evidence:
            out.append(
                f"<p>numeric evidence ({e(c.evidence_verdict)}; not a proof):</p><ul>"
                + "".join(
                    f"<li>[{e(ev.verdict)}] {e(ev.description)} <span class='muted'>{e(ev.method)}</span></li>"
                    for ev in c.evidence
                )
                + "</ul>"
            )
        out.append("<table><tr><th>#</th><th>kind</th><th>step (SymPy / LaTeX)</th><th>reason</th><th>check</th></tr>")
        for i, st in enumerate(d["steps"], 1):
            chk = st["check"]
            if chk is None:
                ctext = "<span class='muted'>not checked</span>"
            else:
                ccls = "ok" if chk["passed"] else "bad"
                wd = "exact" if chk["witness_exact"] else chk["witness_digits"]
                ctext = (
                    f"<span class='{ccls}'>{e(chk['verdict'])}</span><br>"
                    f"symbolic: {e(chk['method'])}<br>witness: {e(str(wd))} digits at "
                    f"{chk['witness_points']} points ({e(chk['witness_engine'])})"
                )
                if st["overrides"]:
                    ctext += f"<br><span class='bad'>overrides: {e(_overrides_text(st['overrides']))}</span>"
                if chk["counterexample"]:
                    ctext += f"<br>counterexample: <code>{e(str(chk['counterexample'].get('point')))}</code>"
                if not chk["passed"]:
                    ctext += f"<br>remainder: <code>{e(chk['remainder'][:400])}</code>"
            out.append(
                f"<tr><td>{i}</td><td>{e(st['kind'])}</td><td>{formula_html(st['latex'], st['statement'][:2000])}</td><td>{e(st['reason'])}</td>"
                f"<td>{ctext}</td></tr>"
            )
        out.append("</table>")
    out.append("</body></html>")
    return "\n".join(out) + "\n"


def render_markdown(certs: Sequence[Certificate], *, title: str = "GRSD derivation report") -> str:
    """The same content as Markdown (LaTeX in ``$$`` blocks, renderable by most viewers).

    Parameters
    ----------
    certs : sequence of Certificate
        One section per certificate.
    title : str
        The heading.

    Returns
    -------
    str
        Markdown (formulas as ``$$...$$`` LaTeX).

    Examples
    --------
    >>> from grsd_sym.registry import get_theorem, run_theorem
    >>> page = render_markdown([run_theorem(get_theorem("T11a"))])
    >>> page.startswith("# GRSD derivation report") and "1 of 1 theorems verified" in page
    True
    """
    n_ok = sum(c.verified for c in certs)
    vers = ", ".join(f"{k} {v}" for k, v in library_versions().items())
    out = [
        f"# {title}",
        "",
        f"{n_ok} of {len(certs)} theorems verified ({vers}).",
        "",
        "| ID | title | provenance | verdict | overrides | seconds |",
        "|---|---|---|---|---|---|",
    ]
    for c in certs:
        out.append(
            f"| {c.theorem_id} | {c.title} | {c.provenance} | {_verdict(c)} | {len(c.overrides)} | {c.seconds:.2f} |"
        )
    for c in certs:
        d = c.to_dict()
        out += [
            "",
            f"## {c.theorem_id}: {c.title} [{_verdict(c)}]",
            "",
            f"provenance: **{c.provenance}**; {c.seconds:.2f} s; weakest witness "
            f"{_digits(c.min_witness_digits)} digits",
            "",
        ]
        if c.sources:
            out += ["sources: " + "; ".join(c.sources), ""]
        out += ["statement:", "", "$$" + d["statement_latex"] + "$$", ""]
        for a in c.assumptions:
            out.append(f"- assume: {a}")
        if c.error:
            out += ["", f"**error:** {c.error}"]
        out += ["", f"conclusion {'accepted' if c.conclusion_accepted else '**not accepted**'}: {c.conclusion_reason}"]
        for ev in c.evidence:
            out.append(f"- evidence [{ev.verdict}, not a proof]: {ev.description}")
        out.append("")
        for i, st in enumerate(d["steps"], 1):
            chk = st["check"]
            mark = (
                ""
                if chk is None
                else (" — verified" if chk["passed"] else f" — **{chk['verdict']}**")
                + (
                    ""
                    if chk is None
                    else f" ({chk['method']}; witness "
                    f"{'exact' if chk['witness_exact'] else chk['witness_digits']} digits)"
                )
            )
            if st["overrides"]:
                mark += f" — overrides: {_overrides_text(st['overrides'])}"
            out.append(f"{i}. *{st['kind']}*: {st['reason']}{mark}")
            out.append(f"   $${st['latex'][:2000]}$$")
    return "\n".join(out) + "\n"


def write_report(certs: Iterable[Certificate], out_dir: str | Path, *, fmt: str = "html") -> Path:
    """Write ``report.html`` (or ``report.md``) into ``out_dir`` atomically; return its path.

    Parameters
    ----------
    certs : iterable of Certificate
        The certificates.
    out_dir : str or pathlib.Path
        The folder (created if missing).
    fmt : str
        ``html`` or ``md``.

    Returns
    -------
    pathlib.Path
        The report's path.

    Raises
    ------
    InputError
        For an unknown format or no certificate.

    Examples
    --------
    >>> import tempfile
    >>> from grsd_sym.registry import get_theorem, run_theorem
    >>> write_report([run_theorem(get_theorem("T11a"))], tempfile.mkdtemp(), fmt="md").name
    'report.md'
    """
    if fmt not in FORMATS:
        raise InputError(f"unknown report format {fmt!r}; valid: {', '.join(FORMATS)}")
    certs = list(certs)
    if not certs:
        raise InputError("a report needs at least one certificate")
    text = render_html(certs) if fmt == "html" else render_markdown(certs)
    return write_atomic(Path(out_dir) / f"report.{fmt}", text)
