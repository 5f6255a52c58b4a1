r"""Formulas as MathML for the HTML report: rendered by the browser itself, offline.

Browsers render MathML natively (Chromium since version 109, Firefox, Safari), so a report
needs no MathJax, no script and no network.  The conversion from the LaTeX that SymPy prints is
done by ``latex2mathml`` (a small pure-Python package, in the ``report`` extra:
``pip install 'grsd_sym[report]'``); without it, or for a formula it cannot convert, the
report shows the LaTeX source as before.  The source is always kept, folded under the
formula, so it can be copied into a paper.

>>> html = formula_html(r"\frac{a}{b} + \lambda^{2}")
>>> html.startswith("<div class='formula'>") and ("<math" in html or "<pre" in html)
True
>>> "<script" in formula_html("<script>alert(1)</script>")
False
"""

from __future__ import annotations

import html as _html
import re
from functools import lru_cache

__all__ = ["MAX_LATEX_CHARS", "available", "formula_html", "latex_to_mathml"]

#: longer formulas are shown as source (a browser lays out huge MathML slowly)
MAX_LATEX_CHARS = 6000

# SymPy LaTeX that latex2mathml does not know, rewritten to forms it does
_REWRITES: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"\\limits"), ""),
    (re.compile(r"\\displaystyle"), ""),
    (re.compile(r"\\left\."), r"\\left("),  # a lone \left. (evaluation bar) -> balanced
    (re.compile(r"\\right\."), r"\\right)"),
    (re.compile(r"\\mathtt\{"), r"\\mathrm{"),
    (re.compile(r"\\operatorname\{([A-Za-z]+)\}"), r"\\mathrm{\1}"),
)


def available() -> bool:
    """Whether ``latex2mathml`` is installed.

    Returns
    -------
    bool
        True if MathML can be produced.

    Examples
    --------
    >>> isinstance(available(), bool)
    True
    """
    try:
        import latex2mathml.converter  # noqa: F401
    except ImportError:
        return False
    return True


def _fix(latex: str) -> str:
    for pat, rep in _REWRITES:
        latex = pat.sub(rep, latex)
    return latex


@lru_cache(maxsize=4096)
def latex_to_mathml(latex: str, *, display: str = "block") -> str | None:
    r"""MathML for ``latex``, or ``None`` when it cannot be converted (or latex2mathml is missing).

    Parameters
    ----------
    latex : str
        LaTeX math (no ``$``), e.g. from :func:`sympy.latex`.
    display : {"block", "inline"}

    Returns
    -------
    str or None
        A ``<math>`` element (no script, no external reference).

    Examples
    --------
    >>> m = latex_to_mathml(r"x^{2}")
    >>> m is None or (m.startswith("<math") and "<msup>" in m)
    True
    """
    if not isinstance(latex, str) or not latex.strip() or len(latex) > MAX_LATEX_CHARS:
        return None
    try:
        from latex2mathml.converter import convert
    except ImportError:
        return None
    try:
        out = convert(_fix(latex), display=display)
    except Exception:
        return None
    if not out.startswith("<math") or "<script" in out.lower() or "href" in out.lower():
        return None
    return out


_TEXT_ONLY = re.compile(r"^\\text\{((?:[^{}\\]|\\.)*)\}$", re.DOTALL)  # exactly one \text{...}
_TEXT_ESCAPES = re.compile(r"\\([{}_%$&#])")


def formula_html(latex: str, text: str | None = None) -> str:
    r"""A report cell: the formula as MathML, its LaTeX (and SymPy text) source folded below.

    Prose wrapped in ``\text{...}`` (assumptions, definitions in words) is shown as text.
    Everything but the converter's MathML is HTML-escaped.

    Parameters
    ----------
    latex : str
        The formula's LaTeX.
    text : str, optional
        Its SymPy text, shown folded.

    Returns
    -------
    str
        An HTML ``<div>``.

    Examples
    --------
    >>> formula_html(r"\text{S = \{p, q\} with Delta\_k}")
    "<div class='formula prose'>S = {p, q} with Delta_k</div>"
    """
    e = _html.escape
    prose = _TEXT_ONLY.match(latex.strip()) if isinstance(latex, str) else None
    if prose and "\\text{" not in prose.group(1):
        words = _TEXT_ESCAPES.sub(r"\1", prose.group(1))
        return f"<div class='formula prose'>{e(words)}</div>"
    math = latex_to_mathml(latex, display="inline")  # left-aligned; CSS math-style keeps display size
    src = f"<pre class='latex'>{e(latex)}</pre>"
    if text is not None:
        src = f"<pre>{e(text)}</pre>" + src
    if math is None:
        return f"<div class='formula'>{src}</div>"
    return f"<div class='formula'>{math}<details><summary>source</summary>{src}</details></div>"
