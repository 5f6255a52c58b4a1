"""Every proof takes the theory's quantities from :mod:`grsd_sym.symbols` (one symbol table).

SymPy identifies a symbol by name *and* assumptions, so a proof that writes
``Symbol("tau", real=True)`` next to the canonical ``tau`` (positive) works with a second,
different ``tau``.  The proofs are parsed (not run): a ``Symbol``/``symbols``/``Dummy`` call with a
literal name that is a canonical name fails; a proof-local auxiliary symbol must use another name.
"""

from __future__ import annotations

import ast
import pathlib

import pytest
import sympy as sp

from grsd_sym import symbols as S

PROOFS = sorted((pathlib.Path(__file__).resolve().parents[1] / "proofs").glob("*.py"))

#: the SymPy names of the canonical symbols ("lambda", "t_0", ...); the unknown functions (g, v, ...) are
#: another kind of object (a proof's jet variable ``Symbol("g")`` stands for the value of ``g``)
CANONICAL = {obj.name for obj in (getattr(S, n) for n in S.__all__) if isinstance(obj, sp.Symbol)}


def _declared(tree: ast.AST) -> list[tuple[int, str]]:
    """``(line, name)`` for each symbol a ``Symbol``/``symbols``/``Dummy`` call with literal names creates."""
    out = []
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Call) and node.args and isinstance(node.args[0], ast.Constant)):
            continue
        fn = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
        text = node.args[0].value
        if fn in ("Symbol", "Dummy") and isinstance(text, str):
            out.append((node.lineno, text))
        elif fn == "symbols" and isinstance(text, str):
            made = sp.symbols(text, seq=True)  # sympy's own name grammar ("a0:4", "x y"); no parsing of expressions
            out += [(node.lineno, m.name) for m in made]
    return out


def test_canonical_names_are_known():
    assert {"t", "lambda", "tau", "k", "a", "b", "s", "p", "gamma", "t_0"} <= CANONICAL


@pytest.mark.parametrize("path", PROOFS, ids=lambda p: p.stem)
def test_proof_declares_no_canonical_name(path):
    clashes = [
        f"{path.name}:{line} {name!r}" for line, name in _declared(ast.parse(path.read_text())) if name in CANONICAL
    ]
    assert not clashes, "use grsd_sym.symbols (or a non-canonical name): " + ", ".join(clashes)


def test_detector_sees_each_form():
    src = 'x = sp.Symbol("tau", real=True)\ny, z = sp.symbols("k q")\nw = Dummy("gamma")\nu = sp.Symbol("u")\n'
    assert [n for _, n in _declared(ast.parse(src)) if n in CANONICAL] == ["tau", "k", "gamma"]
