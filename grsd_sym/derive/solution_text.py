"""Text form of symbolic solutions for ``grsd solve`` (round-trips through SymPy's printer)."""

from __future__ import annotations

import sympy as sp

from grsd_sym import symbols as S

__all__ = ["solution_string"]


def solution_string(expr: sp.Basic) -> str:
    """A string that plain ``sympy.sympify`` parses back to ``expr`` (up to assumptions).

    ``lambda`` is a Python keyword, so the spectral variable is written ``Symbol('lambda')``;
    dummies of unevaluated integrals are renamed ``s``.

    Parameters
    ----------
    expr : sympy.Basic
        A solution in the theory's symbols.

    Returns
    -------
    str
        Text for the JSON ``solution`` field.

    Examples
    --------
    >>> from grsd_sym.symbols import lam, t
    >>> solution_string(sp.exp(-lam * t))
    "exp(-Symbol('lambda')*t)"
    """
    reps = {}
    for dm in expr.atoms(sp.Dummy):
        reps[dm] = sp.Symbol("s_" if dm.name == "s" else dm.name)
    e = expr.xreplace(reps)
    marker = sp.Symbol("LAMBDAMARKER")
    txt = sp.sstr(e.xreplace({S.lam: marker}))
    return txt.replace("LAMBDAMARKER", "Symbol('lambda')")
