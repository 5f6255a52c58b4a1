r"""LaTeX for certificates: formulas broken to fit the page, reasons in ``\intertext``.

A certificate is rendered as an ``align`` block (``amsmath`` only): each step is introduced by
an ``\intertext`` line (its number, kind, verdict, rung and reason), then its formula.  A long
side is broken at its top-level sums (and, for a single long product, between factors) into
lines of at most :data:`LINE_CHARS` characters of LaTeX source, so that no line runs off an A4
page at 10pt.

>>> import sympy as sp
>>> x = sp.Symbol("x")
>>> lines = broken_lines(sum(x ** k / sp.factorial(k) for k in range(30)))
>>> len(lines) > 1 and all(len(line) <= LINE_CHARS + 40 for line in lines)
True
"""

from __future__ import annotations

from typing import Any

import sympy as sp

__all__ = ["LINE_CHARS", "aligned_rows", "broken_lines", "latex_of", "tex_text"]

#: longest LaTeX source per displayed line (about one line of an A4 page at 10pt)
LINE_CHARS = 90

_TEX_ESCAPES = {
    "\\": r"\textbackslash{}",
    "{": r"\{",
    "}": r"\}",
    "_": r"\_",
    "^": r"\^{}",
    "%": r"\%",
    "&": r"\&",
    "#": r"\#",
    "$": r"\$",
    "~": r"\~{}",
}


def tex_text(text: str) -> str:
    """Escape plain text for use inside ``\\text{...}`` or ``\\intertext{...}``.

    Parameters
    ----------
    text : str
        Plain text.

    Returns
    -------
    str
        The text with LaTeX's special characters escaped.

    Examples
    --------
    >>> print(tex_text("50% of a_k"))
    50\\% of a\\_k
    """
    return "".join(_TEX_ESCAPES.get(ch, ch) for ch in str(text))


def latex_of(obj: Any) -> str:
    """LaTeX of a SymPy object (``\\text{...}`` for a string).

    Parameters
    ----------
    obj : Any
        A SymPy object or a string.

    Returns
    -------
    str
        Its LaTeX.

    Examples
    --------
    >>> import sympy as sp
    >>> latex_of(sp.Symbol("x") ** 2), latex_of("in words")
    ('x^{2}', '\\\\text{in words}')
    """
    if isinstance(obj, str):
        return r"\text{" + tex_text(obj) + "}"
    try:
        return sp.latex(obj)
    except Exception:  # pragma: no cover - latex printer gaps
        return r"\text{" + tex_text(str(obj)) + "}"


def _pieces(expr: Any) -> list[tuple[str, str]]:
    """(operator, LaTeX) pieces of ``expr``: its top-level terms, or factors of a long product."""
    if isinstance(expr, sp.Add):
        out = []
        for i, t in enumerate(sp.Add.make_args(expr)):
            neg = t.could_extract_minus_sign()
            body = latex_of(-t if neg else t)
            if isinstance(-t if neg else t, sp.Add):
                body = r"\left(" + body + r"\right)"
            op = "-" if neg else ("+" if i else "")
            out.append((op, body))
        return out
    if isinstance(expr, sp.Mul) and len(latex_of(expr)) > LINE_CHARS:
        out = []
        for i, f in enumerate(expr.args):
            body = latex_of(f)
            if isinstance(f, sp.Add):
                body = r"\left(" + body + r"\right)"
            out.append((r"\cdot" if i else "", body))
        return out
    return [("", latex_of(expr))]


def broken_lines(expr: Any) -> list[str]:
    """LaTeX of ``expr`` as lines of at most about :data:`LINE_CHARS` characters.

    Parameters
    ----------
    expr : Any
        The SymPy expression to typeset.

    Returns
    -------
    list of str
        The lines (``["0"]`` for an empty expression).

    Examples
    --------
    >>> import sympy as sp
    >>> x = sp.Symbol("x")
    >>> lines = broken_lines(sum(x**i / (i + 1) for i in range(40)))
    >>> len(lines) > 1 and all(len(line) < 2 * LINE_CHARS for line in lines)
    True
    """
    pieces = _pieces(expr)
    lines: list[str] = []
    cur = ""
    for op, body in pieces:
        chunk = f" {op} {body}".strip() if cur else f"{op} {body}".strip()
        if cur and len(cur) + len(chunk) > LINE_CHARS:
            lines.append(cur)
            cur = chunk
        else:
            cur = f"{cur} {chunk}".strip()
    if cur:
        lines.append(cur)
    return lines or ["0"]


def aligned_rows(lhs: Any, rhs: Any, relation: str = "=") -> list[str]:
    """``align`` rows for ``lhs = rhs``, each side broken into short lines.

    Parameters
    ----------
    lhs, rhs : Any
        The two sides.
    relation : str
        The relation sign.

    Returns
    -------
    list of str
        The rows (without ``\\\\`` separators).

    Examples
    --------
    >>> import sympy as sp
    >>> aligned_rows(sp.Symbol("a"), sp.Symbol("b"))
    ['a &= b']
    """
    left = broken_lines(lhs)
    right = broken_lines(rhs)
    rows = []
    for line in left:
        rows.append(f"& {line}")
    rows[-1] = rows[-1].replace("& ", "", 1)
    if len(left) == 1 and len(left[0]) + len(right[0]) < LINE_CHARS:
        rows[-1] = f"{left[0]} &{relation} {right[0]}"
    else:
        rows[-1] = f"& {left[-1]}" if len(left) > 1 else f"& {left[0]}"
        rows.append(f"&{relation} {right[0]}")
    for line in right[1:]:
        rows.append(rf"&\quad {line}")
    return rows
