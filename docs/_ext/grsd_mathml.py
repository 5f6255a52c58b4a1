"""Render the site's math as MathML at build time (no script, no network when a page is read).

Sphinx's default HTML math renderer, MathJax, loads a script from a CDN each time a page is
viewed; this site must read offline (a clean clone, a laptop on a train).  ``imgmath`` needs a
LaTeX installation.  MathML is rendered natively by current browsers (Firefox, Chromium >= 109,
Safari), so each ``math`` node is converted once, here, by ``latex2mathml`` (pure Python).

A formula ``latex2mathml`` cannot convert is a build warning (an error under ``sphinx-build -W``)
naming the document and the formula, so a broken formula cannot reach the site unnoticed.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # Sphinx and docutils are imported by the functions Sphinx calls
    from docutils import nodes
    from sphinx.application import Sphinx


def to_mathml(latex: str, *, display: str) -> str:
    """Convert ``latex`` to a MathML string; raise ``ValueError`` when it cannot be converted."""
    from latex2mathml.converter import convert

    if "&" in latex:
        # latex2mathml turns alignment tabs into literal '&' identifiers (invalid HTML): refuse
        raise ValueError("alignment '&' is not supported: write one display block per line")
    try:
        return convert(latex.strip(), display=display)
    except Exception as exc:  # latex2mathml raises many types
        raise ValueError(f"{type(exc).__name__}: {exc}") from exc


def _render(self: Any, node: nodes.Element, display: str) -> str:
    from sphinx.util import logging

    latex = node.astext()
    try:
        return to_mathml(latex, display=display)
    except ValueError as exc:
        logging.getLogger(__name__).warning("cannot render math %r as MathML: %s", latex, exc, location=node)
        return f"<code>{self.encode(latex)}</code>"


def visit_math(self: Any, node: nodes.math) -> None:
    from docutils import nodes

    self.body.append(self.starttag(node, "span", "", CLASS="math"))
    self.body.append(_render(self, node, "inline"))
    self.body.append("</span>")
    raise nodes.SkipNode


def visit_displaymath(self: Any, node: nodes.math_block) -> None:
    from docutils import nodes

    self.body.append(self.starttag(node, "div", CLASS="math"))
    if node.get("number"):
        from sphinx.util.math import get_node_equation_number

        self.body.append(f'<span class="eqno">({get_node_equation_number(self, node)})</span>')
    parts = [p for p in node.astext().split("\n\n") if p.strip()]
    for part in parts:
        probe = nodes.math_block(part, part)
        probe.source, probe.line = node.source, node.line
        self.body.append(_render(self, probe, "block"))
    self.body.append("</div>\n")
    raise nodes.SkipNode


def setup(app: Sphinx) -> dict[str, Any]:
    app.add_html_math_renderer("mathml", (visit_math, None), (visit_displaymath, None))
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
