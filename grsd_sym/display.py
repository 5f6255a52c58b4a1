r"""Short ``repr`` and Jupyter rendering (``_repr_latex_``, ``_repr_html_``) of derived results.

A class opts in by deriving from :class:`RichDisplay` (dataclasses with ``repr=False``, so that
the short ``repr`` is not replaced by the generated one) and defining ``_display_parts``:

``_display_parts() -> (label, lhs_latex, expr, status, details)``

* ``label``: the class' short name and query (``"VelocityForm"``, ``"ExponentResult time"``),
* ``lhs_latex``: the left-hand side in LaTeX (``"v(\lambda, t)"``), or ``""``,
* ``expr``: the SymPy result,
* ``status``: one word or phrase (``"verified"``, ``"NOT VERIFIED"``, ``"bordelon2024"``),
* ``details``: a few short lines (assumptions, the law).

``repr`` is one line of at most :data:`REPR_WIDTH` characters; ``_repr_latex_`` is
``$\displaystyle lhs = expr$``; ``_repr_html_`` is the formula as MathML (:mod:`grsd_sym.mathml`)
with the status and details as text.

>>> import sympy as sp
>>> class Demo(RichDisplay):
...     def _display_parts(self):
...         return "Demo", "f(x)", sp.Symbol("x") ** 2, "verified", ["x real"]
>>> Demo()
<Demo f(x) = x**2 [verified]>
>>> Demo()._repr_latex_()
'$\\displaystyle f(x) = x^{2}$'
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from typing import Any

import sympy as sp

__all__ = ["REPR_WIDTH", "RichDisplay"]

#: the longest ``repr``
REPR_WIDTH = 160


def _cut(text: str, width: int) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= width else text[: width - 3] + "..."


class RichDisplay:
    """Mixin: a short one-line ``repr`` and LaTeX/HTML rendering for notebooks.

    A subclass defines ``_display_parts() -> (label, lhs_latex, expr, status, details)``.

    Examples
    --------
    >>> import sympy as sp
    >>> class Result(RichDisplay):
    ...     def _display_parts(self):
    ...         return "Result", "v", sp.Symbol("x") ** 2, "verified", ["a detail"]
    >>> Result(), Result()._repr_latex_().endswith("v = x^{2}$")
    (<Result v = x**2 [verified]>, True)
    """

    def _display_parts(self) -> tuple[str, str, Any, str, Sequence[str]]:  # pragma: no cover - abstract
        raise NotImplementedError(f"{type(self).__name__} must define _display_parts")

    def __repr__(self) -> str:
        label, lhs, expr, status, _ = self._display_parts()
        lhs_text = re.sub(r"\\(?:text|mathrm)\{([^}]*)\}", r"\1", lhs or "")
        lhs_text = lhs_text.replace("\\lambda", "lambda").replace("\\", "")
        body = f"{lhs_text} = {sp.sstr(expr)}" if lhs_text else sp.sstr(expr)
        tail = f" [{status}]>"
        room = REPR_WIDTH - len(label) - len(tail) - 2
        return f"<{label} {_cut(body, room)}{tail}"

    def _repr_latex_(self) -> str:
        _, lhs, expr, _, _ = self._display_parts()
        tex = sp.latex(expr)
        return f"$\\displaystyle {lhs} = {tex}$" if lhs else f"$\\displaystyle {tex}$"

    def _repr_html_(self) -> str:
        from grsd_sym.mathml import formula_html

        label, lhs, expr, status, details = self._display_parts()
        tex = (f"{lhs} = " if lhs else "") + sp.latex(expr)
        e = html.escape
        items = "".join(f"<li>{e(_cut(d, 300))}</li>" for d in details)
        return (
            f"<div class='grsd-result'><b>{e(label)}</b> <i>[{e(status)}]</i>"
            f"{formula_html(tex, sp.sstr(expr))}" + (f"<ul>{items}</ul>" if items else "") + "</div>"
        )
