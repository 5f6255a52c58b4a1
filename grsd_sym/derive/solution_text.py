"""Text form of symbolic solutions for ``grsd solve`` (round-trips through SymPy's printer).

>>> import sympy as sp
>>> from grsd_sym.symbols import lam, t
>>> solution_string(sp.exp(-lam * t))
"exp(-Symbol('lambda')*t)"
"""

from __future__ import annotations

import sympy as sp

from grsd_sym import symbols as S

__all__ = ["solution_string", "parse_solution"]


def solution_string(expr: sp.Basic) -> str:
    """A string that plain ``sympy.sympify`` parses back to ``expr`` (up to assumptions).

    ``lambda`` is a Python keyword, so the spectral variable is written ``Symbol('lambda')``;
    dummies of unevaluated integrals are renamed ``s``.
    """
    reps = {}
    for dm in expr.atoms(sp.Dummy):
        reps[dm] = sp.Symbol("s_" if dm.name == "s" else dm.name)
    e = expr.xreplace(reps)
    marker = sp.Symbol("LAMBDAMARKER")
    txt = sp.sstr(e.xreplace({S.lam: marker}))
    return txt.replace("LAMBDAMARKER", "Symbol('lambda')")


def parse_solution(text: str) -> sp.Basic:
    """Parse :func:`solution_string` output back, with the project's canonical symbols."""
    e = sp.sympify(text)
    canon = {sym.name: sym for sym in (S.t, S.lam, S.b, S.c0, S.d, S.kappa, S.A)}
    return e.xreplace({z: canon[z.name] for z in e.free_symbols if z.name in canon})
